"""Roles in the claims graph: PC107 nodes with a kind of member plus the plain P107, E85
joinings with their PC144 kind and election, each backed by annotations of its cue phrases."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF

from lodpub.extract import extract
from lodpub.extract.lexicon import DATA_DIR, FILES, load_lexicon
from lodpub.model import authority_graph, build
from lodpub.resolve import Authority, resolve
from lodpub.sources import read_path
from lodpub.sources.record import Citation, CitationPart, Record
from lodpub.uris import Uris
from lodpub.validate import validate
from lodpub.vocab import CRM, LPT, OA

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_3a5edd602105b0b3.txt"
ROLES = Path(__file__).parent / "fixtures" / "roles"
URIS = Uris()
KIND = CRM["P107.1_kind_of_member"]
JOINED_AS = CRM["P144.1_kind_of_member"]


def person(slug: str) -> URIRef:
    return URIRef(URIS.thing("person", slug))


def group(slug: str) -> URIRef:
    return URIRef(URIS.thing("group", slug))


def role(slug: str) -> URIRef:
    return LPT[f"role/{slug}"]


@pytest.fixture(scope="module")
def authority():
    return Authority.load(ROOT / "authority" / "authority.toml")


def other_style(name: str, key: str) -> Record:
    """A record of one of the role fixture texts, catalogued like any archive's record."""
    body = (ROLES / name).read_text(encoding="utf-8")
    citation = Citation(
        "Example Archive, Series 7, File 12",
        (
            CitationPart("archive", "Example Archive"),
            CitationPart("series", "7"),
            CitationPart("file", "12"),
        ),
    )
    return Record(
        source=name,
        key=key,
        title=body.splitlines()[0],
        body=body,
        citation=citation,
        rights="Reuse permitted for research.",
    )


def pipeline(record: Record, authority: Authority, lexicon=None):
    resolution = resolve(record, extract(record, lexicon), authority, URIS)
    return resolution, build(resolution, URIS)


@pytest.fixture(scope="module")
def seed(authority):
    result = read_path(SEED)
    assert not result.errors
    return pipeline(result.records[0], authority)


def claims(resolution, dataset):
    return dataset.graph(URIRef(URIS.claims_graph(resolution.record.key)))


def memberships(graph) -> set[tuple]:
    """(group, holder, kinds) of every PC107 node."""
    return {
        (
            graph.value(node, CRM.P01_has_domain),
            graph.value(node, CRM.P02_has_range),
            frozenset(graph.objects(node, KIND)),
        )
        for node in graph.subjects(RDF.type, CRM.PC107_has_current_or_former_member)
    }


def joinings(graph) -> set[tuple]:
    """(holder, group, kind, type of the event it is part of) of every E85."""
    found = set()
    for node in graph.subjects(RDF.type, CRM.E85_Joining):
        kind = graph.value(predicate=CRM.P01_has_domain, object=node)
        event = graph.value(predicate=CRM.P9_consists_of, object=node)
        found.add(
            (
                graph.value(node, CRM.P143_joined),
                graph.value(node, CRM.P144_joined_with),
                graph.value(kind, JOINED_AS),
                graph.value(event, CRM.P2_has_type) if event is not None else None,
            )
        )
    return found


def test_resolution_carries_roles_and_links_their_holders_and_groups(seed):
    resolution, _ = seed
    found = [m for m in resolution.mentions if m.kind == "role"]
    assert len(found) == 15
    linked = {link.mention.span: link.entity for link in resolution.links}
    assert not any(m.span in linked for m in found)
    song = next(m for m in found if resolution.record.body[slice(*m.role.holder)] == "Song Jin-u")
    assert linked[song.role.organisation] == str(group("korea-democratic-party-south"))


def test_seed_offices_heads_and_organs_are_pc107_nodes(seed):
    cc = group("kcp-central-committee")
    assert memberships(claims(*seed)) == {
        (
            group("south-pyeongan-provincial-committee"),
            person("kim-yong-beom"),
            frozenset({role("secretary")}),
        ),
        (
            group("hamgyeong-provincial-committee"),
            person("o-gi-seop"),
            frozenset({role("secretary")}),
        ),
        (cc, group("kcp-organization-bureau"), frozenset({role("subordinate-organ")})),
        (cc, person("pak-heon-yeong"), frozenset({role("head")})),
        (cc, person("pak-heon-yeong"), frozenset({role("secretary")})),
        (group("korean-communist-party"), person("pak-heon-yeong"), frozenset({role("head")})),
        (group("korea-democratic-party-south"), person("song-jin-u"), frozenset({role("head")})),
        (
            group("korean-partisan-detachment"),
            person("kim-il-sung"),
            frozenset({role("commander")}),
        ),
        (group("battalion-88"), person("kim-il-sung"), frozenset({role("commander")})),
    }


def test_seed_offices_conferred_are_joinings_in_their_election(seed):
    bureau = group("kcp-organization-bureau")
    assert joinings(claims(*seed)) == {
        (person("kim-yong-beom"), bureau, role("first-secretary"), LPT["event/election"]),
        (person("o-gi-seop"), bureau, role("second-secretary"), LPT["event/election"]),
    }


def test_every_role_also_states_the_plain_membership(seed):
    graph = claims(*seed)
    for node in graph.subjects(RDF.type, CRM.PC107_has_current_or_former_member):
        domain, member = graph.value(node, CRM.P01_has_domain), graph.value(node, CRM.P02_has_range)
        assert (domain, CRM.P107_has_current_or_former_member, member) in graph
    for node in graph.subjects(RDF.type, CRM.E85_Joining):
        joined, member = graph.value(node, CRM.P144_joined_with), graph.value(node, CRM.P143_joined)
        assert (joined, CRM.P107_has_current_or_former_member, member) in graph


def test_a_role_stated_again_is_one_node_with_an_annotation_per_statement(seed):
    resolution, dataset = seed
    graph = claims(resolution, dataset)
    body = resolution.record.body
    heads = [
        node
        for node, *_ in graph.triples((None, CRM.P02_has_range, person("pak-heon-yeong")))
        if (node, KIND, role("head")) in graph
        and (node, CRM.P01_has_domain, group("kcp-central-committee")) in graph
    ]
    assert len(heads) == 1
    first = body.index("headed by")
    assert heads[0] == URIRef(
        URIS.doc_part(resolution.record.key, "claim", "role", f"{first}-{first + 9}")
    )
    catalogue = dataset.graph(URIRef(URIS.catalogue_graph(resolution.record.key)))
    annotations = list(catalogue.subjects(OA.hasBody, heads[0]))
    assert len(annotations) == 4
    quotes = {
        str(catalogue.value(selector, OA.exact))
        for a in annotations
        for target in catalogue.objects(a, OA.hasTarget)
        for selector in catalogue.objects(target, OA.hasSelector)
        if catalogue.value(selector, OA.exact) is not None
    }
    assert quotes == {"headed by"}


def test_every_role_node_is_annotated_at_its_cue(seed):
    resolution, dataset = seed
    key = resolution.record.key
    graph, catalogue = claims(resolution, dataset), dataset.graph(URIRef(URIS.catalogue_graph(key)))
    nodes = set(graph.subjects(RDF.type, CRM.PC107_has_current_or_former_member))
    nodes |= set(graph.subjects(RDF.type, CRM.E85_Joining))
    assert len(nodes) == 11
    prefix = URIS.doc_part(key, "claim", "role", "")
    for node in nodes:
        assert str(node).startswith(prefix)
        annotation = URIRef(URIS.doc_part(key, "mention", str(node)[len(prefix) :]))
        assert (annotation, OA.hasBody, node) in catalogue
        assert (annotation, OA.motivatedBy, OA.identifying) in catalogue


def test_seed_with_roles_conforms_and_builds_the_same_quads_twice(seed, authority):
    resolution, dataset = seed
    report = validate(dataset, extra=authority_graph(authority, URIS))
    assert report.conforms, report.text()
    assert set(build(resolution, URIS).quads()) == set(dataset.quads())
    assert not any(isinstance(t, BNode) for quad in dataset.quads() for t in quad[:3])


def test_roles_without_a_linked_holder_or_group_are_left_out(authority):
    """ "Mr. Bevin, the Foreign Secretary" names no group; "The Cabinet is headed by Mr. Attlee"
    opens the record, so "The Cabinet" refers to nothing named before it."""
    resolution, dataset = pipeline(other_style("british_cabinet.txt", "cabinet"), authority)
    graph = claims(resolution, dataset)
    assert {(d.rsplit("/", 1)[1], h.rsplit("/", 1)[1], k) for d, h, k in memberships(graph)} == {
        ("labour-party", "attlee", frozenset({role("leader")})),
        ("war-cabinet", "stafford-cripps", frozenset({role("member")})),
        ("british-delegation-cabinet", "alexander-cadogan", frozenset({role("head")})),
        (
            "allied-control-council",
            "control-commission-for-germany",
            frozenset({role("subordinate-organ")}),
        ),
    }
    assert {(h.rsplit("/", 1)[1], g.rsplit("/", 1)[1], k, e) for h, g, k, e in joinings(graph)} == {
        ("hugh-dalton", "labour-party", role("member"), None)
    }
    report = validate(dataset, extra=authority_graph(authority, URIS))
    assert report.conforms, report.text()


def test_chinese_news_roles(authority):
    resolution, dataset = pipeline(other_style("chinese_news.txt", "xinhua"), authority)
    graph = claims(resolution, dataset)
    slugs = {(d.rsplit("/", 1)[1], h.rsplit("/", 1)[1], k) for d, h, k in memberships(graph)}
    assert slugs == {
        ("state-council", "zhou-enlai", frozenset({role("premier")})),
        ("central-peoples-government", "mao-zedong", frozenset({role("chairman")})),
        ("political-bureau", "liu-shaoqi", frozenset({role("member")})),
        ("chinese-peoples-volunteers", "peng-dehuai", frozenset({role("head"), role("commander")})),
        (
            "central-committee-of-the-communist-party-of-china",
            "northeast-bureau",
            frozenset({role("subordinate-organ")}),
        ),
    }
    assert {(h.rsplit("/", 1)[1], k, e) for h, _, k, e in joinings(graph)} == {
        ("peng-dehuai", role("commander"), LPT["event/appointment"])
    }
    report = validate(dataset, extra=authority_graph(authority, URIS))
    assert report.conforms, report.text()


@pytest.mark.parametrize(
    ("office", "kind"),
    [
        ("Deputy Foreign Minister", "foreign-minister"),  # its broader office
        ("quartermaster", "office-holder"),  # no type of its own: the label keeps the wording
    ],
)
def test_an_office_without_a_type_of_its_own(tmp_path, authority, office, kind):
    for name in FILES:
        shutil.copy(DATA_DIR / f"{name}.toml", tmp_path / f"{name}.toml")
    path = tmp_path / "roles.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('"secretary", "first', f'"{office.lower()}", "secretary", "first'),
        encoding="utf-8",
    )
    body = f"Hugh Dalton, {office} of the Labour Party, spoke."
    record = Record(source="test", key="test", title="Report, 1950", body=body)
    resolution, dataset = pipeline(record, authority, load_lexicon(tmp_path))
    graph = claims(resolution, dataset)
    assert {k for *_, k in memberships(graph)} == {frozenset({role(kind)})}
    node = next(graph.subjects(RDF.type, CRM.PC107_has_current_or_former_member))
    assert graph.value(node, URIRef("http://www.w3.org/2000/01/rdf-schema#label")) == Literal(
        f"Hugh Dalton – {office} of Labour Party", lang="en"
    )
