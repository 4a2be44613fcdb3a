"""The authority file: its content, its format and the errors a mistake in it gives."""

from pathlib import Path

import pytest

from lodpub.resolve import Authority, AuthorityError, ExternalId
from lodpub.uris import Uris

AUTHORITY = Path(__file__).parents[1] / "authority" / "authority.toml"


@pytest.fixture(scope="module")
def authority() -> Authority:
    return Authority.load(AUTHORITY)


def only(authority: Authority, name: str, kind: str) -> str:
    found = authority.lookup(name, kind)
    assert len(found) == 1, (name, [e.slug for e in found])
    return found[0].slug


# datamodel.md §4.2: every person, group and place of the seed
PERSONS = {
    "Kim Yong-beom": "kim-yong-beom",
    "O Gi-seop": "o-gi-seop",
    "Pak Heon-yeong": "pak-heon-yeong",
    "Ri Yeong": "ri-yeong",
    "Choe Ik-han": "choe-ik-han",
    "Jeong Baek": "jeong-baek",
    "Song Jin-u": "song-jin-u",
    "Kim Il Sung": "kim-il-sung",
    "Syngman Rhee": "syngman-rhee",
    "Stalin": "joseph-stalin",
    "Gary Goldberg": "gary-goldberg",
    # bracketed romanizations
    "Kim Yong Bom": "kim-yong-beom",
    "O Ki Sop": "o-gi-seop",
    "Pak Hon Yong": "pak-heon-yeong",
    "Ri Yong": "ri-yeong",
    "Choe Ik Han": "choe-ik-han",
    "Jong Baek": "jeong-baek",
}
GROUPS = {
    "Korean Communist Party": "korean-communist-party",
    "CC of the Korean Communist Party": "kcp-central-committee",
    "CC of the Korean Workers Party": "kcp-central-committee",
    "Organization Bureau": "kcp-organization-bureau",
    "organization committee": "kcp-organization-bureau",
    "Organization Committee": "kcp-organization-bureau",
    "control commission": "kcp-control-commission",
    "district committees": "kcp-district-committees-north",
    "South Pyeongan Provincial Committee": "south-pyeongan-provincial-committee",
    "Hamqyeong [Kanko] Provincial Committee": "hamgyeong-provincial-committee",
    "factional group of Ri Yeong": "ri-yeong-faction",
    "American Command": "american-command",
    "Bolshevik Party": "bolshevik-party",
    "Communist Party of Russia": "bolshevik-party",
    "Komsomol": "korean-komsomol",
    "Korean Democratic Union of Youth": "korean-democratic-union-of-youth",
    "woman's organization": "womens-organization-north",
    "Red Army": "red-army",
    "Special Brigade": "special-brigade",
    "battalion 88": "battalion-88",
    "Korean partisan detachment": "korean-partisan-detachment",
    "government mainly of communists": "cc-government-august-1945",
    "popular democratic front": "popular-democratic-front",
    "united bloc of democracy": "united-bloc-of-democracy",
    "the Americans": "americans",
    "the Japanese": "japanese",
    "Leon Levy Foundation": "leon-levy-foundation",
    "History and Public Policy Program": "history-and-public-policy-program",
    "AGShVS RF": "agshvs-rf",
    "Archive of the General Staff of the Armed Forces of the Russian Federation": "agshvs-rf",
}
PLACES = {
    "Korea": "korea",
    "North Korea": "north-korea-soviet-zone-1945",
    "South Korea": "south-korea-us-zone-1945",
    "American occupation zone": "south-korea-us-zone-1945",
    "South Pyeongan": "south-pyeongan",
    "Hamgyeong": "hamgyeong",
    "Hamqyeong": "hamgyeong",
    "Kanko": "hamgyeong",
    "Seoul": "seoul",
    "Haeju": "haeju",
    "Manchuria": "manchuria",
    "Khabarovsk": "khabarovsk",
    "Hawaii": "hawaii",
    "Moscow": "moscow",
    "USSR": "ussr",
    "Poland": "poland",
    "Bulgaria": "bulgaria",
    "Romania": "romania",
    "Yugoslavia": "yugoslavia",
    "Germany": "nazi-germany",
    "Japan": "japan",
}


@pytest.mark.parametrize(
    ("kind", "name", "slug"),
    [("person", n, s) for n, s in PERSONS.items()]
    + [("group", n, s) for n, s in GROUPS.items()]
    + [("place", n, s) for n, s in PLACES.items()],
)
def test_every_seed_entity_is_curated(authority, kind, name, slug):
    assert only(authority, name, kind) == slug


def test_the_two_democratic_parties_share_a_name_and_have_context(authority):
    parties = authority.lookup("Democratic Party", "group")
    assert {e.slug for e in parties} == {"democratic-party-north", "korea-democratic-party-south"}
    assert all(e.context for e in parties)


def test_verified_ids_exact_and_close(authority):
    expected = {
        ("person", "joseph-stalin"): ExternalId("wikidata", "Q855", "exact"),
        ("place", "seoul"): ExternalId("wikidata", "Q8684", "exact"),
        ("place", "moscow"): ExternalId("wikidata", "Q649", "exact"),
        ("place", "korea"): ExternalId("wikidata", "Q483134", "exact"),
        ("place", "north-korea-soviet-zone-1945"): ExternalId("wikidata", "Q423", "close"),
        ("place", "south-korea-us-zone-1945"): ExternalId("wikidata", "Q884", "close"),
        ("place", "ussr"): ExternalId("wikidata", "Q15180", "exact"),
        ("place", "united-states"): ExternalId("wikidata", "Q30", "exact"),
        ("place", "hawaii"): ExternalId("wikidata", "Q782", "close"),
        ("place", "japan"): ExternalId("wikidata", "Q17", "close"),
        ("place", "nazi-germany"): ExternalId("wikidata", "Q7318", "exact"),
        ("place", "poland"): ExternalId("wikidata", "Q36", "close"),
        ("place", "bulgaria"): ExternalId("wikidata", "Q219", "close"),
        ("place", "romania"): ExternalId("wikidata", "Q218", "close"),
        ("place", "yugoslavia"): ExternalId("wikidata", "Q36704", "exact"),
    }
    carrying = {(e.kind, e.slug): e.external for e in authority.entries if e.external}
    assert carrying == {key: (ext,) for key, ext in expected.items()}


def test_curated_entities_under_a_base(authority):
    uris = Uris("https://archive.example.org")
    seoul = authority.entities(uris)["https://archive.example.org/id/place/seoul"]
    assert seoul.reviewed
    assert seoul.broader == "https://archive.example.org/id/place/south-korea-us-zone-1945"
    assert seoul.external[0].uri == "http://www.wikidata.org/entity/Q8684"
    pak = authority.get("person", "pak-heon-yeong").entity(uris)
    assert pak.member_of == ("https://archive.example.org/id/group/kcp-central-committee",)
    assert "Pak Hon Yong" in pak.variants


def test_empty_authority():
    assert len(Authority.empty()) == 0
    assert Authority.empty().lookup("Seoul", "place") == ()


def load(tmp_path: Path, text: str) -> Authority:
    path = tmp_path / "authority.toml"
    path.write_text(text, encoding="utf-8")
    return Authority.load(path)


def error(tmp_path: Path, text: str) -> str:
    with pytest.raises(AuthorityError) as caught:
        load(tmp_path, text)
    return str(caught.value)


def test_duplicate_slug_names_file_and_both_entries(tmp_path):
    message = error(
        tmp_path,
        '[[person]]\nslug = "kim"\nlabel = "Kim A"\n\n[[person]]\nslug = "kim"\nlabel = "Kim B"\n',
    )
    assert str(tmp_path / "authority.toml") in message
    assert "person #2 'kim'.slug" in message
    assert "person #1 'kim'" in message


def test_unknown_broader_place(tmp_path):
    message = error(tmp_path, '[[place]]\nslug = "haeju"\nlabel = "Haeju"\nbroader = "hwanghae"\n')
    assert "authority.toml: [place #1 'haeju'.broader] no place with slug 'hwanghae'" in message


def test_unknown_member_of_group(tmp_path):
    message = error(tmp_path, '[[person]]\nslug = "a"\nlabel = "A"\nmember_of = ["nope"]\n')
    assert "[person #1 'a'.member_of] no group with slug 'nope'" in message


def test_shared_variant_without_context(tmp_path):
    message = error(
        tmp_path,
        '[[group]]\nslug = "dp-north"\nlabel = "DP North"\nvariants = ["Democratic Party"]\n'
        'context = ["north"]\n\n'
        '[[group]]\nslug = "dp-south"\nlabel = "DP South"\nvariants = ["DEMOCRATIC PARTY"]\n',
    )
    assert "group #2 'dp-south'.variants" in message
    assert "'democratic party'" in message


def test_shared_variant_with_context_on_both_loads(tmp_path):
    authority = load(
        tmp_path,
        '[[group]]\nslug = "dp-north"\nlabel = "DP North"\nvariants = ["Democratic Party"]\n'
        'context = ["north"]\n\n'
        '[[group]]\nslug = "dp-south"\nlabel = "DP South"\nvariants = ["Democratic Party"]\n'
        'context = ["south"]\n',
    )
    assert len(authority.lookup("democratic party", "group")) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[[person]]\nslug = "Kim Il Sung"\nlabel = "K"\n', "[person #1 'Kim Il Sung'.slug]"),
        ('[[person]]\nslug = "k"\n', "[person #1 'k'.label] must be a non-empty string"),
        ('[[person]]\nslug = "k"\nlabel = "K"\nvaraints = ["x"]\n', "'k'.varaints] unknown field"),
        ('[[place]]\nslug = "k"\nlabel = "K"\nmember_of = []\n', "'k'.member_of] unknown field"),
        ('[[place]]\nslug = "k"\nlabel = "K"\nexact = ["Q42"]\n', "'k'.exact] 'Q42': write"),
        ('[[place]]\nslug = "k"\nlabel = "K"\nclose = ["wikidata:42"]\n', "not a well-formed"),
        ('[[place]]\nslug = "k"\nlabel = "K"\ncontext_required = true\n', "non-empty context"),
        ('[[people]]\nslug = "k"\n', "unknown section(s) 'people'"),
        ('[[person]]\nslug = "k"\nlabel = "K"\nlabel = "L"\n', "not valid TOML"),
        (
            '[[place]]\nslug = "a"\nlabel = "A"\nbroader = "b"\n'
            '[[place]]\nslug = "b"\nlabel = "B"\nbroader = "a"\n',
            "in a circle: a → b → a",
        ),
        (
            '[[place]]\nslug = "a"\nlabel = "A"\n[[place]]\nslug = "b"\nlabel = "B"\n'
            'replaces = ["a"]\n',
            "[place #2 'b'.replaces] slug 'a' is already used by place #1 'a'",
        ),
    ],
)
def test_format_errors_name_entry_and_field(tmp_path, text, expected):
    assert expected in error(tmp_path, text)


def test_missing_file(tmp_path):
    with pytest.raises(AuthorityError, match="cannot read the authority file"):
        Authority.load(tmp_path / "none.toml")


def test_replaced_slugs_are_reserved_and_answer_with_the_survivor(tmp_path):
    authority = load(
        tmp_path, '[[person]]\nslug = "kim-il-sung"\nlabel = "Kim Il Sung"\nreplaces = ["kim"]\n'
    )
    assert authority.reserved("person") == {"kim-il-sung", "kim"}
    entity = authority.get("person", "kim-il-sung").entity(Uris())
    assert entity.replaces == ("http://127.0.0.1:8080/id/person/kim",)
