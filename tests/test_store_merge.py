"""The store's default graph is the merge of its data graphs: each triple once, however many
documents state it; kept by every write; the manifest stays out; dumps load back into it."""

from __future__ import annotations

import gzip
import io

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, URIRef

import lodpub.store
from lodpub.store import MANIFEST_GRAPH, StoreError
from lodpub.uris import Uris
from lodpub.vocab import CRM, LP

U = Uris("http://example.org")
PERSON = URIRef(U.thing("person", "kim-yong-beom"))
EVENT = URIRef(U.thing("event", "liberation-1945"))
PREFIXES = {"rdfs": str(RDFS), "crm": str(CRM), "lp": str(LP)}


@pytest.fixture(params=["memory", "disk"])
def store(request, tmp_path):
    url = "memory:" if request.param == "memory" else f"oxigraph:{tmp_path / 'store'}"
    s = lodpub.store.open(url)
    yield s
    s.close()


def document(key: str, *, shared: bool = True) -> Dataset:
    """A document; with `shared`, it also describes an unreviewed person and a shared event."""
    ds = Dataset()
    claims = ds.graph(URIRef(U.claims_graph(key)))
    catalogue = ds.graph(URIRef(U.catalogue_graph(key)))
    catalogue.add((URIRef(U.document(key)), RDFS.label, Literal(f"Report {key}", lang="en")))
    if shared:
        catalogue.add((PERSON, RDF.type, CRM.E21_Person))
        catalogue.add((PERSON, RDFS.label, Literal("Kim Yong-beom", lang="en")))
        catalogue.add((PERSON, LP.reviewed, Literal(False)))
        catalogue.add((EVENT, RDF.type, CRM.E5_Event))
        catalogue.add((EVENT, RDFS.label, Literal("Liberation", lang="en")))
        claims.add((EVENT, CRM.P11_had_participant, PERSON))
    return ds


def count(store, where: str, **dataset) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"
    return int(next(iter(store.query(query, prefixes=PREFIXES, **dataset)))["n"].value)


LABEL = f"<{PERSON}> rdfs:label ?label"


def default_graph(store) -> set[ox.Triple]:
    quads = store.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph())
    return {q.triple for q in quads}


def merge_of_named_graphs(store) -> set[ox.Triple]:
    triples = set()
    for name in store.graph_names():
        triples |= {
            q.triple for q in store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(name))
        }
    return triples


def test_a_triple_two_documents_state_matches_once(store):
    store.replace_document("d1", document("d1"))
    store.replace_document("d2", document("d2"))
    assert count(store, LABEL) == 1
    assert count(store, f"<{EVENT}> ?p ?o") == 3
    assert count(store, f"GRAPH ?g {{ {LABEL} }}") == 2  # each document still says it
    assert default_graph(store) == merge_of_named_graphs(store)


def test_removing_or_replacing_one_document_keeps_what_the_other_says(store):
    store.replace_document("d1", document("d1"))
    store.replace_document("d2", document("d2"))
    store.replace_document("d1", document("d1", shared=False))
    assert count(store, LABEL) == 1
    store.replace_document("d1", document("d1"))
    assert store.remove_document("d2")
    assert count(store, LABEL) == 1
    assert count(store, f"<{U.document('d2')}> ?p ?o") == 0
    assert store.remove_document("d1")
    assert count(store, LABEL) == 0
    assert default_graph(store) == set()


def test_replacing_a_shared_graph_keeps_triples_a_document_also_states(store):
    authorities = Graph()
    authorities.add((PERSON, RDFS.label, Literal("Kim Yong-beom", lang="en")))
    authorities.add((PERSON, LP.reviewed, Literal(True)))
    store.replace_graph(U.authorities_graph, authorities)
    store.replace_document("d1", document("d1"))
    store.replace_graph(U.authorities_graph, Graph())
    assert count(store, LABEL) == 1
    assert count(store, f"<{PERSON}> lp:reviewed true") == 0
    assert default_graph(store) == merge_of_named_graphs(store)


def test_the_manifest_is_not_in_the_default_graph_but_is_a_named_graph(store):
    store.replace_document("d1", document("d1"))
    assert count(store, "?g lp:digest ?d") == 0
    assert count(store, f"GRAPH <{MANIFEST_GRAPH}> {{ ?g lp:documentKey ?k }}") == 2
    assert MANIFEST_GRAPH not in store.graph_names()


def test_from_in_the_query_is_honoured_and_parameters_override_it(store):
    store.replace_document("d1", document("d1"))
    store.replace_document("d2", document("d2", shared=False))
    labels = "SELECT ?d FROM <{}> WHERE {{ ?d a ?c }}"
    only_claims = store.query(labels.format(U.claims_graph("d2")))
    assert list(only_claims) == []
    catalogue = store.query(labels.format(U.catalogue_graph("d1")))
    assert {row["d"].value for row in catalogue} == {str(PERSON), str(EVENT)}
    overridden = store.query(
        labels.format(U.catalogue_graph("d1")), default_graph=[U.claims_graph("d1")]
    )
    assert list(overridden) == []
    assert count(store, "?s ?p ?o", default_graph=[]) == 0


def test_stats_count_distinct_triples(store):
    store.replace_document("d1", document("d1"))
    store.replace_document("d2", document("d2"))
    stats = store.stats()
    assert stats["quads"] == 14
    assert stats["triples"] == 8  # six shared triples once, two document labels
    assert stats["unreviewed"] == 1


def test_export_then_load_dump_gives_the_same_store(store, tmp_path):
    store.replace_document("d1", document("d1"))
    store.replace_document("d2", document("d2"))
    authorities = Graph()
    seoul, name = URIRef(U.thing("place", "seoul")), BNode()
    authorities.add((seoul, RDFS.label, Literal("Seoul", lang="en")))
    authorities.add((seoul, CRM.P1_is_identified_by, name))  # blank nodes keep their labels
    authorities.add((name, CRM.P190_has_symbolic_content, Literal("서울")))
    store.replace_graph(U.authorities_graph, authorities)
    for fmt in ("nquads", "trig"):
        dump = io.BytesIO()
        store.export(fmt, dump)
        restored = lodpub.store.open(f"oxigraph:{tmp_path / fmt}")
        restored.load_dump(io.BytesIO(dump.getvalue()), fmt)
        again = io.BytesIO()
        restored.export(fmt, again)
        assert _canonical(again.getvalue(), fmt) == _canonical(dump.getvalue(), fmt)
        assert restored.documents() == ["d1", "d2"]
        assert len(default_graph(restored)) == len(default_graph(store))
        assert default_graph(restored) == merge_of_named_graphs(restored)
        assert {k: v for k, v in restored.stats().items() if k != "version"} == {
            k: v for k, v in store.stats().items() if k != "version"
        }
        restored.remove_document("d2")  # the manifest knows each document's graphs
        assert count(restored, LABEL) == 1
        restored.close()


def _canonical(data: bytes, fmt: str) -> set[ox.Quad]:
    """The dataset of a dump with its blank nodes canonically named (RDFC-1.0)."""
    dataset = ox.Dataset(ox.parse(data, format=lodpub.store.EXPORT_FORMATS[fmt]))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def test_load_dump_keeps_the_version_of_data_without_blank_nodes(store):
    # The digest of a graph hashes its triples' N-Triples lines; Oxigraph gives blank nodes
    # new labels when they are written, so only data without them keeps its version.
    store.replace_document("d1", document("d1"))
    store.replace_document("d2", document("d2"))
    dump = io.BytesIO()
    store.export("nquads", dump)
    with lodpub.store.open("memory:") as restored:
        restored.load_dump(io.BytesIO(dump.getvalue()), "nquads")
        assert restored.version() == store.version()
        assert restored.stats() == store.stats()


def test_load_dump_reads_a_gzipped_file_by_path(tmp_path):
    with lodpub.store.open("memory:") as source:
        source.replace_document("d1", document("d1"))
        path = tmp_path / "dump.nq"
        with open(path, "wb") as fp:
            source.export("nquads", fp)
        version = source.version()
    with lodpub.store.open("memory:") as target:
        target.load_dump(path, "nquads")
        assert target.version() == version
        assert count(target, LABEL) == 1
    with gzip.open(tmp_path / "dump.nq.gz", "wb") as zipped:
        zipped.write(path.read_bytes())
    with lodpub.store.open("memory:") as target, gzip.open(tmp_path / "dump.nq.gz", "rb") as fp:
        target.load_dump(fp, "nquads")
        assert target.version() == version


def test_load_dump_refuses_a_store_that_is_not_empty(store):
    store.replace_document("d1", document("d1"))
    dump = io.BytesIO()
    store.export("nquads", dump)
    with pytest.raises(StoreError, match="not empty"):
        store.load_dump(io.BytesIO(dump.getvalue()), "nquads")


@pytest.mark.parametrize("graph", ["", f"<{MANIFEST_GRAPH}>"])
def test_load_dump_refuses_triples_outside_the_data_graphs_and_writes_nothing(graph):
    data = (
        f'<http://example.org/a> <http://example.org/p> "kept?" <{U.claims_graph("d1")}> .\n'
        f'<http://example.org/a> <http://example.org/p> "loose" {graph} .\n'
    )
    with lodpub.store.open("memory:") as target:
        with pytest.raises(ValueError, match="data graphs only"):
            target.load_dump(io.BytesIO(data.encode()), "nquads")
        assert list(target.oxigraph) == []


def test_a_store_without_the_merged_default_graph_is_merged_when_opened_read_write(tmp_path):
    path = tmp_path / "store"
    with lodpub.store.open(path) as old:
        old.replace_document("d1", document("d1"))
        old.replace_document("d2", document("d2"))
        old.oxigraph.update("CLEAR DEFAULT")  # what an earlier lodpub wrote
    with pytest.raises(StoreError, match="no merged default graph"):
        lodpub.store.open(path, read_only=True)
    with lodpub.store.open(path) as store:
        assert count(store, LABEL) == 1
        assert default_graph(store) == merge_of_named_graphs(store)
    with lodpub.store.open(path, read_only=True) as store:
        assert count(store, LABEL) == 1


TRIPLES = [
    (URIRef(f"http://example.org/s{i % 3}"), RDFS.label, Literal(f"v{i % 4}")) for i in range(12)
] + [(URIRef("http://example.org/s0"), CRM.P1_is_identified_by, BNode("name"))]
STEPS = st.lists(
    st.tuples(
        st.sampled_from(["d1", "d2", "d3", "authorities"]),
        st.none() | st.sets(st.integers(0, len(TRIPLES) - 1), max_size=6),
    ),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(STEPS)
def test_the_default_graph_is_always_the_merge_of_the_data_graphs(steps):
    with lodpub.store.open("memory:") as store:
        for owner, chosen in steps:
            if owner == "authorities":
                graph = Graph()
                for i in chosen or ():
                    graph.add(TRIPLES[i])
                store.replace_graph(U.authorities_graph, graph)
            elif chosen is None:
                store.remove_document(owner)
            else:
                ds = Dataset()
                for n, i in enumerate(sorted(chosen)):
                    name = U.claims_graph(owner) if n % 2 else U.catalogue_graph(owner)
                    ds.graph(URIRef(name)).add(TRIPLES[i])
                store.replace_document(owner, ds)
            assert default_graph(store) == merge_of_named_graphs(store)


def test_replacing_a_graph_of_awkward_literals_keeps_the_merge(store):
    awkward = [
        Literal('quote " backslash \\ newline\n tab\t', lang="en"),
        Literal("é\u00a0 \U0001f600 control \u0001", lang="ko-Latn"),
        Literal("2.50", datatype=XSD.decimal),
        Literal("x", datatype=URIRef("http://example.org/dt")),
    ]
    subject = URIRef("http://example.org/id/thing/x")
    for keep in (4, 2, 3, 0):
        graph = Graph()
        for i, literal in enumerate(awkward[:keep]):
            graph.add((subject, URIRef(f"http://example.org/p{i}"), literal))
        store.replace_graph(U.authorities_graph, graph)
        assert len(default_graph(store)) == keep
        assert default_graph(store) == merge_of_named_graphs(store)
