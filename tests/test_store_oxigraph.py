"""The embedded Oxigraph store: atomic replace, round-trips, manifest, export, stats."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef

import lodpub.store
from lodpub.store import MANIFEST_GRAPH, StoreError
from lodpub.uris import Uris
from lodpub.vocab import CRM, LP, OA

U = Uris("http://example.org")


@pytest.fixture(params=["memory", "disk"])
def store(request, tmp_path):
    url = "memory:" if request.param == "memory" else f"oxigraph:{tmp_path / 'store'}"
    s = lodpub.store.open(url)
    yield s
    s.close()


def doc(key: str, *, label: str = "Kim Yong-beom", extra: bool = True) -> Dataset:
    """A small document dataset with a claims and a catalogue graph."""
    ds = Dataset()
    claims = ds.graph(URIRef(U.claims_graph(key)))
    cat = ds.graph(URIRef(U.catalogue_graph(key)))
    person = URIRef(U.thing("person", "kim-yong-beom"))
    event = URIRef(U.thing("event", f"{key}-meeting"))
    claims.add((event, RDF.type, CRM.E7_Activity))
    claims.add((event, CRM.P11_had_participant, person))
    cat.add((person, RDF.type, CRM.E21_Person))
    cat.add((person, RDFS.label, Literal(label, lang="en")))
    cat.add((person, LP.reviewed, Literal(False)))
    mention = URIRef(U.mention(key, 12, 25))
    cat.add((mention, RDF.type, OA.Annotation))
    cat.add((mention, OA.hasBody, person))
    if extra:
        cat.add((URIRef(U.document(key)), RDFS.label, Literal(f"Report {key}", lang="en")))
    return ds


def stored_quads(s) -> set[tuple]:
    """The data quads of a store as rdflib terms, parsed from its N-Quads export."""
    buf = io.BytesIO()
    s.export("nquads", buf)
    parsed = Dataset()
    parsed.parse(data=buf.getvalue().decode("utf-8"), format="nquads")
    return {
        q for q in parsed.quads((None, None, None, None)) if q[3] != parsed.default_graph.identifier
    }


def quads_of(ds: Dataset) -> set[tuple]:
    return {
        q
        for q in ds.quads((None, None, None, None))
        if len(ds.graph(q[3])) and q[3] != ds.default_graph.identifier
    }


def test_replace_document_writes_its_graphs(store):
    store.replace_document("d1", doc("d1"))
    assert stored_quads(store) == quads_of(doc("d1"))
    assert store.documents() == ["d1"]
    assert store.graph_names() == sorted([U.catalogue_graph("d1"), U.claims_graph("d1")])


def test_replace_removes_stale_quads_and_graphs(store):
    store.replace_document("d1", doc("d1"))
    store.replace_document("d2", doc("d2"))
    newer = Dataset()
    newer.graph(URIRef(U.catalogue_graph("d1"))).add(
        (URIRef(U.document("d1")), RDFS.label, Literal("Renamed", lang="en"))
    )
    store.replace_document("d1", newer)
    assert stored_quads(store) == quads_of(newer) | quads_of(doc("d2"))
    assert U.claims_graph("d1") not in store.graph_names()


def test_same_input_twice_gives_same_quads_and_version(store):
    store.replace_document("d1", doc("d1"))
    first, version = stored_quads(store), store.version()
    store.replace_document("d1", doc("d1"))
    assert stored_quads(store) == first
    assert store.version() == version


def test_version_changes_with_content(store):
    empty = store.version()
    store.replace_document("d1", doc("d1"))
    one = store.version()
    store.replace_document("d1", doc("d1", label="Kim Yong Bom"))
    assert len({empty, one, store.version()}) == 3
    store.replace_document("d1", doc("d1"))
    assert store.version() == one
    assert store.remove_document("d1") is True
    assert store.version() == empty
    assert store.remove_document("d1") is False


def test_terms_rdflib_keeps_apart_but_rdf_does_not_count_once(store, tmp_path):
    """ "x" and "x"^^xsd:string are one RDF term: a document stating both holds one triple,
    and its version is that of the document stating it once (so a restore keeps it)."""
    person = URIRef(U.thing("person", "kim-yong-beom"))
    twice = doc("d1")
    twice.graph(URIRef(U.catalogue_graph("d1"))).add(
        (person, RDFS.comment, Literal("note", datatype=XSD.string))
    )
    twice.graph(URIRef(U.catalogue_graph("d1"))).add((person, RDFS.comment, Literal("note")))
    once = doc("d1")
    once.graph(URIRef(U.catalogue_graph("d1"))).add((person, RDFS.comment, Literal("note")))
    store.replace_document("d1", twice)
    with lodpub.store.open("memory:") as other:
        other.replace_document("d1", once)
        assert store.version() == other.version()
    counted = store.query(
        f"SELECT ?n WHERE {{ GRAPH <{MANIFEST_GRAPH}> "
        f"{{ <{U.catalogue_graph('d1')}> <http://rdfs.org/ns/void#triples> ?n }} }}",
        default_graph=[],
        named_graphs=[MANIFEST_GRAPH],
    )
    assert [int(row["n"].value) for row in counted] == [
        len(once.graph(URIRef(U.catalogue_graph("d1"))))
    ]


def test_typed_literals_are_digested_as_the_store_holds_them(store):
    """Oxigraph keeps a typed literal's value ("05" is 5, nonNegativeInteger is xsd:integer):
    the version is that of the canonical document, so a restore from a dump keeps it."""
    position = URIRef(U.mention("d1", 12, 25) + "/selector")
    written, canonical = doc("d1"), doc("d1")
    for dataset, start, end in (
        (
            written,
            Literal("012", datatype=XSD.integer),
            Literal(25, datatype=XSD.nonNegativeInteger),
        ),
        (canonical, Literal(12), Literal(25)),
    ):
        catalogue = dataset.graph(URIRef(U.catalogue_graph("d1")))
        catalogue.add((position, OA.start, start))
        catalogue.add((position, OA.end, end))
    store.replace_document("d1", written)
    dump = io.BytesIO()
    store.export("nquads", dump)
    with lodpub.store.open("memory:") as other, lodpub.store.open("memory:") as restored:
        other.replace_document("d1", canonical)
        restored.load_dump(io.BytesIO(dump.getvalue()), "nquads")
        assert store.version() == other.version() == restored.version()


def test_a_malformed_term_leaves_the_old_version(store):
    store.replace_document("d1", doc("d1"))
    before, version = stored_quads(store), store.version()
    broken = doc("d1", label="changed")
    broken.graph(URIRef(U.claims_graph("d1"))).add(
        (URIRef("http://example.org/id/person/a b"), RDF.type, CRM.E21_Person)
    )
    with pytest.raises(ValueError, match="a b"):
        store.replace_document("d1", broken)
    assert stored_quads(store) == before
    assert store.version() == version


class FailingAtTheEnd:
    """Wraps a pyoxigraph store so every update request fails after all of its operations ran."""

    def __init__(self, inner: ox.Store) -> None:
        self.inner = inner

    def update(self, sparql: str) -> None:
        # DROP GRAPH (without SILENT) of a missing graph fails at evaluation time, after the
        # drops and inserts before it in the same request have been applied to the transaction.
        self.inner.update(sparql + " ;\nDROP GRAPH <http://example.org/missing>")

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_an_update_failing_midway_leaves_the_old_version(store):
    store.replace_document("d1", doc("d1"))
    before, version = stored_quads(store), store.version()
    store._ox = FailingAtTheEnd(store._ox)
    with pytest.raises(RuntimeError, match="missing"):
        store.replace_document("d1", doc("d1", label="changed", extra=False))
    store._ox = store._ox.inner
    assert stored_quads(store) == before
    assert store.version() == version
    assert store.documents() == ["d1"]


def test_refuses_graphs_of_another_document_or_the_default_graph(store):
    with pytest.raises(ValueError, match="not one of its graphs"):
        store.replace_document("d2", doc("d1"))
    loose = doc("d1")
    loose.add((URIRef(U.document("d1")), RDFS.label, Literal("x")))
    with pytest.raises(ValueError, match="outside a named graph"):
        store.replace_document("d1", loose)
    assert store.documents() == []


LITERALS = [
    Literal("plain"),
    Literal('quote " backslash \\ newline\n tab\t cr\r', lang="en"),
    Literal("Pak Heon-yeong", lang="ko-latn"),
    Literal("é\u00a0 non-BMP \U0001f600 control \u0001", lang="fr"),
    Literal("1945-10-20T00:00:00", datatype=XSD.dateTime),
    Literal("1945", datatype=XSD.gYear),
    Literal("3000", datatype=XSD.integer),
    Literal("2.5", datatype=XSD.decimal),
    Literal("true", datatype=XSD.boolean),
    Literal("not a date", datatype=XSD.date),
    Literal("x", datatype=URIRef("http://example.org/dt")),
    Literal("long " * 5000, lang="en"),
]


def test_literals_round_trip_exactly(store):
    g = Graph()
    s = URIRef("http://example.org/id/thing/x")
    for i, lit in enumerate(LITERALS):
        g.add((s, URIRef(f"http://example.org/p{i}"), lit))
    store.replace_graph(U.authorities_graph, g)
    back = {}
    for row in store.query("SELECT ?p ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }"):
        back[row["p"].value] = row["o"]
    for i, lit in enumerate(LITERALS):
        got = back[f"http://example.org/p{i}"]
        assert got.value == str(lit)
        assert got.language == lit.language
        if lit.language is None:
            assert got.datatype.value == str(lit.datatype or XSD.string)
    assert {q[:3] for q in stored_quads(store)} == set(g)


def test_language_tags_are_stored_lower_case(store):
    # Oxigraph keeps the RDF 1.1 canonical (lower-case) form; rdflib compares tags ignoring case.
    g = Graph()
    g.add((URIRef("http://example.org/a"), RDFS.label, Literal("x", lang="ko-Latn")))
    store.replace_graph(U.authorities_graph, g)
    (row,) = store.query("SELECT ?o WHERE { <http://example.org/a> ?p ?o }")
    assert row["o"].language == "ko-latn"
    assert {q[:3] for q in stored_quads(store)} == set(g)


def test_numbers_are_stored_in_canonical_form(store):
    # Oxigraph stores xsd numbers and booleans by value: a non-canonical lexical form comes back
    # canonical, so the model should write canonical forms to round-trip exactly.
    g = Graph()
    g.add((URIRef("http://example.org/a"), RDF.value, Literal("2.50", datatype=XSD.decimal)))
    store.replace_graph(U.authorities_graph, g)
    (row,) = store.query("SELECT ?o WHERE { <http://example.org/a> ?p ?o }")
    assert row["o"].value == "2.5"


def test_replace_graph_replaces_only_that_graph(store):
    store.replace_document("d1", doc("d1"))
    first = Graph()
    first.add((URIRef("http://example.org/a"), RDFS.label, Literal("A", lang="en")))
    store.replace_graph(U.authorities_graph, first)
    second = Graph()
    second.add((URIRef("http://example.org/b"), RDFS.label, Literal("B", lang="en")))
    store.replace_graph(U.authorities_graph, second)
    authority = URIRef(U.authorities_graph)
    assert {q for q in stored_quads(store) if q[3] == authority} == {
        (*t, authority) for t in second
    }
    assert store.documents() == ["d1"]


@pytest.mark.parametrize("fmt", ["nquads", "trig", "jsonld"])
def test_dataset_exports_parse_back_isomorphic(store, fmt):
    store.replace_document("d1", doc("d1"))
    store.replace_document("d2", doc("d2"))
    buf = io.BytesIO()
    store.export(fmt, buf)
    parsed = Dataset()
    parsed.parse(data=buf.getvalue().decode("utf-8"), format={"jsonld": "json-ld"}.get(fmt, fmt))
    got = {q for q in parsed.quads((None, None, None, None))}
    assert got == quads_of(doc("d1")) | quads_of(doc("d2"))
    assert not any(str(q[3]) == MANIFEST_GRAPH for q in got)


def test_turtle_export_is_the_merge_of_all_graphs(store):
    store.replace_document("d1", doc("d1"))
    store.replace_document("d2", doc("d2"))  # the person's triples are in both documents
    buf = io.BytesIO()
    store.export("ttl", buf)
    text = buf.getvalue().decode("utf-8")
    parsed = Graph().parse(data=text, format="turtle")
    expected = {q[:3] for q in quads_of(doc("d1")) | quads_of(doc("d2"))}
    assert set(parsed) == expected
    assert text.count('"Kim Yong-beom"@en') == 1


def test_unknown_export_format(store):
    with pytest.raises(ValueError, match="rdfxml"):
        store.export("rdfxml", io.BytesIO())


def test_stats_count_documents_graphs_entities(store):
    store.replace_document("d1", doc("d1"))
    store.replace_document("d2", doc("d2"))
    authority = Graph()
    place = URIRef(U.thing("place", "seoul"))
    authority.add((place, RDF.type, CRM.E53_Place))
    authority.add((place, RDFS.label, Literal("Seoul", lang="en")))
    authority.add((place, LP.reviewed, Literal(True)))
    store.replace_graph(U.authorities_graph, authority)
    stats = store.stats()
    assert stats["documents"] == 2
    assert stats["named_graphs"] == 5
    assert stats["graphs_by_kind"] == {"authorities": 1, "catalogue": 2, "claims": 2}
    assert stats["triples_by_graph_kind"] == {"authorities": 3, "catalogue": 12, "claims": 4}
    assert stats["quads"] == 19
    assert stats["entities"] == {"person": 1, "group": 0, "place": 1, "event": 2}
    assert stats["unreviewed"] == 1  # the person; the place is curated
    assert stats["version"] == store.version()


def test_query_union_and_explicit_graphs(store):
    store.replace_document("d1", doc("d1"))
    store.replace_document("d2", doc("d2"))
    count = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a crm:E7_Activity }"
    prefixed = "PREFIX crm: <http://www.cidoc-crm.org/cidoc-crm/> " + count
    assert next(iter(store.query(prefixed)))["n"].value == "2"
    only_d1 = store.query(prefixed, default_graph=[U.claims_graph("d1")])
    assert next(iter(only_d1))["n"].value == "1"
    named = store.query(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=[U.claims_graph("d2")]
    )
    assert [row["g"].value for row in named] == [U.claims_graph("d2")]
    with pytest.raises(SyntaxError):
        store.query("SELECT WHERE {")


def test_on_disk_store_reopens_read_only(tmp_path):
    path = tmp_path / "store"
    with lodpub.store.open(str(path)) as s:
        s.replace_document("d1", doc("d1"))
        version = s.version()
    with lodpub.store.open(f"oxigraph:{path}", read_only=True) as ro:
        assert ro.documents() == ["d1"]
        assert ro.version() == version
        with pytest.raises(StoreError, match="read-only"):
            ro.replace_document("d2", doc("d2"))
        with pytest.raises(StoreError, match="read-only"):
            ro.remove_document("d1")


def test_closed_store_refuses_work():
    s = lodpub.store.open("memory:")
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.documents()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/store", "unknown scheme 'ftp'"),
        ("oxigraph:", "names no path"),
    ],
)
def test_open_rejects_unusable_urls(url, message):
    with pytest.raises(StoreError, match=message) as info:
        lodpub.store.open(url)
    assert url in str(info.value)


def test_open_read_only_needs_an_existing_store(tmp_path):
    with pytest.raises(StoreError, match="no store at"):
        lodpub.store.open(str(tmp_path / "absent"), read_only=True)


def test_open_never_writes_into_a_folder_that_is_not_a_store(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(StoreError, match="neither an Oxigraph store nor empty"):
        lodpub.store.open(str(tmp_path))
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_open_defaults_to_env(tmp_path, monkeypatch):
    monkeypatch.setenv("LODPUB_STORE", str(tmp_path / "from-env"))
    with lodpub.store.open() as s:
        assert s.location == str(tmp_path / "from-env")
    assert (tmp_path / "from-env").is_dir()
