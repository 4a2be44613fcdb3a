"""The same queries mean the same on every backend: lodpub's published Linked Data store, read
through `Store.query` embedded and from each engine, gives equal answers — the merged default
graph, the named graphs, DESCRIBE, literals with their language tags and datatypes, no blank
nodes."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

import lodpub.store
from backends import NAMES, Backend, differs
from ld_servers import BASE, HUB, published_store, thing
from lodpub.store import statistics
from lodpub.store.generations import live_generation
from lodpub.store.remote import RemoteView

QUERIES = {
    "default-graph": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
    "named-graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "literals": "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER isLiteral(?o) }",
    "datatypes": (
        "SELECT ?type (COUNT(*) AS ?n) "
        'WHERE { ?s ?p ?o FILTER (isLiteral(?o) && LANG(?o) = "") } '
        "GROUP BY (DATATYPE(?o) AS ?type)"
    ),
    "languages": (
        "SELECT ?lang (COUNT(*) AS ?n) "
        'WHERE { ?s ?p ?o FILTER (LANG(?o) != "") } GROUP BY (LANG(?o) AS ?lang)'
    ),
    "language-filter": 'SELECT ?s WHERE { ?s rdfs:label ?l FILTER langMatches(LANG(?l), "en") }',
    "dates": "SELECT ?s ?value WHERE { ?s ?p ?value FILTER (DATATYPE(?value) = xsd:dateTime) }",
    "date-order": (
        "SELECT ?value WHERE { ?s ?p ?value FILTER (DATATYPE(?value) = xsd:dateTime) } "
        "ORDER BY DESC(?value) LIMIT 5"
    ),
    "booleans": "SELECT ?s ?p WHERE { ?s ?p true }",
    "language-datatype": (
        'SELECT DISTINCT (DATATYPE(?o) AS ?type) WHERE { ?s ?p ?o FILTER (LANG(?o) != "") }'
    ),
    "numbers": "SELECT ?s ?value WHERE { ?s ?p ?value FILTER isNumeric(?value) }",
    "blank-nodes": "SELECT * WHERE { ?s ?p ?o FILTER (isBlank(?s) || isBlank(?o)) }",
    "distinct-count": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
}
ENGINES = [name for name in NAMES if name != "embedded"]
PREFIXES = {
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


@pytest.fixture(scope="module", params=ENGINES)
def backend(request, engine_pools) -> Backend:
    """Each engine; the embedded store is what they are compared with."""
    return Backend(request.param, engine_pools[request.param])


@pytest.fixture(scope="module")
def stores(backend) -> Iterator[tuple[lodpub.store.Store, lodpub.store.Store]]:
    """The embedded published store, and the backend's copy of it."""
    source = live_generation(published_store())
    with (
        lodpub.store.open(f"oxigraph:{source}", read_only=True) as embedded,
        backend.serving(published_store()) as url,
        lodpub.store.open(url, read_only=True) as store,
    ):
        yield embedded, store


def rows(results: ox.QuerySolutions) -> list[tuple]:
    """The solutions, sorted; without a published generation's statistics graph, which counts
    that generation (an engine loaded from its dump has none: lodpub.store.statistics)."""
    names = [v.value for v in results.variables]
    found = [tuple(row[n] for n in names) for row in results]
    return sorted(
        (
            tuple(str(term) for term in row)
            for row in found
            if not any(
                isinstance(t, ox.NamedNode) and statistics.is_statistics_graph(t.value) for t in row
            )
        ),
        key=str,
    )


# What Virtuoso's SPARQL functions answer otherwise; the data they read is the same (above).
VIRTUOSO_FUNCTIONS = {
    "language-datatype": "DATATYPE() of a language-tagged literal is unbound, not rdf:langString",
    "numbers": "isNumeric() is true for xsd:boolean values (it stores them as 1 and 0)",
}


@pytest.mark.parametrize("name", QUERIES)
def test_a_query_answers_alike(stores, name, backend, request):
    if name in VIRTUOSO_FUNCTIONS:
        differs(request, backend, "virtuoso", VIRTUOSO_FUNCTIONS[name])
    embedded, store = stores
    expected = rows(embedded.query(QUERIES[name], prefixes=PREFIXES))
    assert rows(store.query(QUERIES[name], prefixes=PREFIXES)) == expected
    assert expected or name == "blank-nodes"


@pytest.mark.parametrize("resource", [thing("person/kim-il-sung"), HUB])
def test_describe_answers_alike(stores, resource):
    embedded, store = stores
    graphs = []
    for source in (embedded, store):
        described = source.query(f"DESCRIBE <{resource}>")
        graphs.append(Graph().parse(data=described.serialize(format=ox.RdfFormat.N_TRIPLES)))
    assert len(graphs[0]) > 0
    assert isomorphic(*graphs)


def test_the_manifest_is_alike(stores):
    embedded, store = stores
    assert store.documents() == embedded.documents()
    data = [g for g in embedded.graph_names() if not statistics.is_statistics_graph(g)]
    assert store.graph_names() == data


@pytest.mark.parametrize(
    "resource", [thing("person/kim-il-sung"), HUB, f"{BASE}/graph/authorities"]
)
def test_a_view_remembering_subjects_answers_as_the_engine(stores, resource):
    """The web tier's view keeps each subject's quads: each pattern still gets its own answer."""
    _, store = stores
    remembering = RemoteView(store, remember=True)
    subject = ox.NamedNode(resource)
    label = ox.NamedNode(PREFIXES["rdfs"] + "label")
    graphs = [None, ox.DefaultGraph(), *(ox.NamedNode(g) for g in store.graph_names())]
    for predicate in (None, label):
        for graph in graphs:
            expected = set(store.oxigraph.quads_for_pattern(subject, predicate, None, graph))
            assert set(remembering.quads_for_pattern(subject, predicate, None, graph)) == expected
    assert any(store.oxigraph.quads_for_pattern(subject, None, None, None))
