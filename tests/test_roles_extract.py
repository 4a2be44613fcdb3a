"""Role mentions: offices, memberships, headship, subordinate organs and offices conferred, read
from cue phrases in the seed and in records of other styles; nothing hypothetical or stray."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest

from extract_support import FIXTURES as EXTRACT_FIXTURES
from extract_support import record
from lodpub.extract import Mention, extract
from lodpub.extract.lexicon import DATA_DIR, FILES, LexiconError, load_lexicon
from lodpub.extract.mention import ROLE_RELATIONS
from lodpub.model.vocabulary import vocabulary
from lodpub.sources import read_path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_3a5edd602105b0b3.txt"
ROLES = Path(__file__).parent / "fixtures" / "roles"


def roles(found: tuple[Mention, ...], body: str) -> list[tuple]:
    """Each role as (cue, relation, office, holder, organisation, event), as the text words them."""

    def words(span):
        return body[span[0] : span[1]] if span else None

    return [
        (
            m.text,
            m.role.relation,
            m.role.office,
            *map(words, (m.role.holder, m.role.organisation, m.role.event)),
        )
        for m in found
        if m.kind == "role"
    ]


def of_file(path: Path) -> tuple[tuple[Mention, ...], str]:
    body = path.read_text(encoding="utf-8")
    return extract(record(body, body.splitlines()[0])), body


@pytest.fixture(scope="module")
def seed():
    result = read_path(SEED)
    assert not result.errors
    found = extract(result.records[0])
    return found, result.records[0].body


def test_seed_roles_are_found_with_their_holders_groups_and_elections(seed):
    found, body = seed
    workers_cc = "CC of the Korean Workers Party"
    assert roles(found, body) == [
        (
            "Secretary of",
            "office",
            "Secretary",
            "Kim Yong-beom",
            "South Pyeongan Provincial Committee",
            None,
        ),
        (
            "was chosen as First Secretary of",
            "joined",
            "First Secretary",
            "Kim Yong-beom",
            "Organization Bureau",
            "chosen",
        ),
        (
            "Secretary of",
            "office",
            "Secretary",
            "O Gi-seop",
            "Hamqyeong [Kanko] Provincial Committee",
            None,
        ),
        # the group is elided: the one of the election before it in the sentence
        (
            "was elected as Second Secretary",
            "joined",
            "Second Secretary",
            "O Gi-seop",
            "Organization Bureau",
            "elected",
        ),
        ("subordinate to", "subordinate", None, "Organization Bureau", workers_cc, None),
        ("headed by", "head", None, "Pak Heon-yeong", workers_cc, None),
        ("Secretary", "office", "Secretary", "Pak Heon-yeong", "CC", None),  # "CC Secretary Pak"
        ("headed by", "head", None, "Pak Heon-yeong", "Korean Communist Party", None),
        ("Secretary", "office", "Secretary", "Pak Heon-yeong", "CC", None),
        ("headed by", "head", None, "Pak Heon-yeong", "CC of the Communist Party", None),
        # "The party numbers about 10,000 and is headed by": the anaphor, for the resolver
        ("headed by", "head", None, "Song Jin-u", "The party", None),
        ("commander of", "office", "commander", "KIM IL SUNG", "Korean partisan detachment", None),
        ("commander of", "office", "commander", "KIM IL SUNG", "battalion 88", None),
        ("headed by", "head", None, "Pak Heon-yeong", "CC of the Communist Party of Korea", None),
        ("headed by", "head", None, "Pak Heon-yeong", "CC of the Communist Party of Korea", None),
    ]


def test_seed_roles_in_plans_are_not_facts(seed):
    """ "an organization committee, which would be directly subordinate to the CC" and "Create a
    united bloc ... and place headed by Kim Il Sung" are recommendations."""
    found, body = seed
    plans = (body.index("which would be directly subordinate"), body.index("place headed by"))
    assert not [
        m for m in found if m.kind == "role" and any(m.start < p + 40 and p < m.end for p in plans)
    ]


def test_british_cabinet_style():
    found, body = of_file(ROLES / "british_cabinet.txt")
    assert roles(found, body) == [
        ("headed by", "head", None, "Attlee", "The Cabinet", None),
        ("Foreign Secretary", "office", "Foreign Secretary", "Bevin", None, None),
        ("Leader of", "office", "Leader", "Attlee", "Labour Party", None),
        # "Leader of the House of Commons" and "Chancellor of the Exchequer": in no named group
        ("member of", "member", None, "Stafford Cripps", "War Cabinet", None),
        ("led by", "head", None, "Alexander Cadogan", "British delegation", None),
        (
            "subordinate to",
            "subordinate",
            None,
            "Control Commission for Germany",
            "Allied Control Council",
            None,
        ),
        ("joined", "joined", None, "Hugh Dalton", "Labour Party", None),
        # "It is proposed that the Coal Board should be accountable to ...": a plan
    ]


def test_chinese_news_style():
    found, body = of_file(ROLES / "chinese_news.txt")
    volunteers = "Chinese People's Volunteers"
    assert roles(found, body) == [
        ("Premier of", "office", "Premier", "Zhou Enlai", "State Council", None),
        ("Chairman of", "office", "Chairman", "Mao Zedong", "Central People's Government", None),
        ("member of", "member", None, "Liu Shaoqi", "Political Bureau", None),
        (
            "was appointed commander of",
            "joined",
            "commander",
            "Peng Dehuai",
            volunteers,
            "appointed",
        ),
        ("under the command of", "head", "commander", "Peng Dehuai", volunteers, None),
        (
            "subordinate to",
            "subordinate",
            None,
            "Northeast Bureau",
            "Central Committee of the Communist Party of China",
            None,
        ),
        # "It is proposed that Gao Gang be elected", "will be led by": plans
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "The Central Committee of the Hungarian Working People's Party elected Imre Nagy "
            "chairman of the Council of Ministers.",
            [
                (
                    "elected Imre Nagy chairman of",
                    "joined",
                    "chairman",
                    "Imre Nagy",
                    "Council of Ministers",
                    "elected Imre Nagy",
                )
            ],
        ),
        (
            "At the request of the First Secretary of the Provincial Committee, Leon Stasiak, "
            "troops were sent.",
            [
                (
                    "First Secretary of",
                    "office",
                    "First Secretary",
                    "Leon Stasiak",
                    "Provincial Committee",
                    None,
                )
            ],
        ),
        (
            "In 1946 Walter Ulbricht became Deputy Chairman of the Socialist Unity Party.",
            [
                (
                    "became Deputy Chairman of",
                    "joined",
                    "Deputy Chairman",
                    "Walter Ulbricht",
                    "Socialist Unity Party",
                    None,
                )
            ],
        ),
        (
            "The Komsomol, a member of the World Federation of Democratic Youth, grew.",
            [
                (
                    "member of",
                    "member",
                    None,
                    "Komsomol",
                    "World Federation of Democratic Youth",
                    None,
                )
            ],
        ),
        (
            "Vyacheslav Molotov, candidate member of the Politburo, arrived.",
            [
                (
                    "candidate member of",
                    "member",
                    "candidate member",
                    "Vyacheslav Molotov",
                    "Politburo",
                    None,
                )
            ],
        ),
    ],
)
def test_other_phrasings(body, expected):
    assert roles(extract(record(body, "Report, 1950")), body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "The Japanese offered a large sum of money for his head.",
        "KIM IL SUNG will be a suitable candidate to head it.",
        "Comrade Gerő remains First Secretary, but his position is weak.",
        "The Minister of National Defence, Marshal Rokossovsky, ordered units into the city.",
        "The Politburo met under the chairmanship of Comrade Ulbricht.",
        "It was decided that the Youth League should be subordinate to the Party Committee.",
        "Members of the Politburo travelled to Moscow.",
    ],
)
def test_no_role_without_a_stated_holder_and_group(body):
    assert roles(extract(record(body, "Report, 1950")), body) == []


def test_records_in_other_styles_give_only_the_roles_they_state():
    """The extractor's nine annotated records (telegrams, memoranda, cables, reports) state two
    roles with a group named; nothing else is taken for one."""
    found = {}
    for path in sorted(EXTRACT_FIXTURES.glob("*.txt")):
        title = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["title"]
        body = path.read_text(encoding="utf-8")
        for role in roles(extract(record(body, title)), body):
            found.setdefault(path.stem, []).append(role[:5])
    assert found == {
        "hungary_report": [
            (
                "elected Imre Nagy chairman of",
                "joined",
                "chairman",
                "Imre Nagy",
                "Council of Ministers",
            )
        ],
        "polish_report": [
            (
                "First Secretary of",
                "office",
                "First Secretary",
                "Leon Stasiak",
                "Provincial Committee",
            )
        ],
    }


def test_holders_and_groups_are_spans_of_person_and_group_mentions(seed):
    for found, _ in (
        seed,
        of_file(ROLES / "british_cabinet.txt"),
        of_file(ROLES / "chinese_news.txt"),
    ):
        spans = {(m.kind, m.span) for m in found}
        for m in (m for m in found if m.kind == "role"):
            assert m.role.relation in ROLE_RELATIONS
            assert ("person", m.role.holder) in spans or ("group", m.role.holder) in spans
            assert m.role.organisation is None or ("group", m.role.organisation) in spans
            assert m.role.event is None or ("event", m.role.event) in spans


def test_every_office_in_the_data_names_a_declared_role_type():
    data = tomllib.loads((DATA_DIR / "roles.toml").read_text(encoding="utf-8"))
    phrases = data["offices"]["names"] + data["offices"]["members"]
    phrases += [office for office in data["head"].values() if office]
    assert [p for p in phrases if vocabulary().find("role", p) is None] == []


@pytest.fixture
def lexicon_dir(tmp_path):
    for name in FILES:
        shutil.copy(DATA_DIR / f"{name}.toml", tmp_path / f"{name}.toml")
    return tmp_path


def test_a_copied_lexicon_can_add_an_office(lexicon_dir):
    path = lexicon_dir / "roles.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            '"secretary", "first', '"quartermaster", "secretary", "first'
        ),
        encoding="utf-8",
    )
    body = "Hugh Dalton, quartermaster of the Labour Party, spoke."
    assert roles(extract(record(body)), body) == []
    found = extract(record(body), load_lexicon(lexicon_dir))
    assert roles(found, body) == [
        ("quartermaster of", "office", "quartermaster", "Hugh Dalton", "Labour Party", None)
    ]


def test_an_office_listed_as_a_membership_too_is_named(lexicon_dir):
    path = lexicon_dir / "roles.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'members = ["member",', 'members = ["secretary", "member",'
        ),
        encoding="utf-8",
    )
    with pytest.raises(
        LexiconError, match=r"roles\.toml: \[offices\.members\] lists \['secretary'\]"
    ):
        load_lexicon(lexicon_dir)


def test_a_missing_roles_key_is_named(lexicon_dir):
    (lexicon_dir / "roles.toml").write_text('[offices]\nnames = ["secretary"]\n', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"roles\.toml: \[offices\.members\] is missing"):
        load_lexicon(lexicon_dir)
