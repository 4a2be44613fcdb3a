"""The SPARQL 1.1 Service Description of the endpoint, with the dataset's graphs and their sizes.

A store written by lodpub keeps the merge of its data graphs as its default graph: the service
announces sd:UnionDefaultGraph for it, and lists the data graphs (not the store's manifest and
statistics, its own bookkeeping, which a query can still read with GRAPH).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pyoxigraph as ox

from lodpub.store.manifest import MANIFEST_GRAPH
from lodpub.store.statistics import STATISTICS_GRAPH
from lodpub.web.conneg import GRAPH_FORMATS, SOLUTION_FORMATS
from lodpub.web.live_store import Snapshot

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
VOID = "http://rdfs.org/ns/void#"
SD_PREFIXES = {"sd": SD, "formats": FORMATS, "void": VOID}
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

# W3C format IRIs (https://www.w3.org/ns/formats/) by media type.
_FORMAT_IRIS = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/rdf+xml": "RDF_XML",
    "application/ld+json": "JSON-LD",
    "application/trig": "TriG",
    "application/n-quads": "N-Quads",
}

_MANIFEST = ox.NamedNode(MANIFEST_GRAPH)
_COUNTS = f"""SELECT ?g (COUNT(*) AS ?n)
WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
  FILTER(isIRI(?g) && ?g NOT IN ({_MANIFEST}, <{STATISTICS_GRAPH}>)) }}
GROUP BY ?g ORDER BY ?g"""
_DEFAULT_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


@dataclass(frozen=True)
class Sizes:
    """Triples in the default graph and in each named graph; `merged` when the default graph is
    the merge of the named graphs (a store written by lodpub)."""

    default: int
    named: list[tuple[ox.NamedNode, int]]
    merged: bool


class GraphSizes:
    """Triples per graph of the live snapshot, counted once per generation."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: str | None = None
        self._sizes = Sizes(0, [], False)

    def of(self, snapshot: Snapshot) -> Sizes:
        with self._lock:
            if self._version != snapshot.version:
                store = snapshot.store
                default = next(iter(store.query(_DEFAULT_COUNT)))["n"]
                named = [(row["g"], int(row["n"].value)) for row in store.query(_COUNTS)]
                merged = store.contains_named_graph(_MANIFEST)
                self._sizes = Sizes(int(default.value), named, merged)
                self._version = snapshot.version
            return self._sizes


def describe(
    snapshot: Snapshot,
    sizes: GraphSizes,
    endpoint: str,
    *,
    federated: bool,
) -> list[ox.Triple]:
    """The service description triples for the endpoint at `endpoint`."""
    service = ox.NamedNode(endpoint)
    dataset = ox.BlankNode("dataset")
    default_graph = ox.BlankNode("defaultGraph")
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), service),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, _sd("Graph")),
    ]
    for fmt in (*SOLUTION_FORMATS, *GRAPH_FORMATS):
        iri = ox.NamedNode(FORMATS + _FORMAT_IRIS[fmt.media_type])
        triples.append(ox.Triple(service, _sd("resultFormat"), iri))
    counted = sizes.of(snapshot)
    if counted.merged:
        triples.append(ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")))
    if federated:
        triples.append(ox.Triple(service, _sd("feature"), _sd("BasicFederatedQuery")))
    triples.append(
        ox.Triple(default_graph, ox.NamedNode(VOID + "triples"), _integer(counted.default))
    )
    for index, (name, size) in enumerate(counted.named):
        node, graph = ox.BlankNode(f"named{index}"), ox.BlankNode(f"graph{index}")
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), node),
            ox.Triple(node, RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(node, _sd("name"), name),
            ox.Triple(node, _sd("graph"), graph),
            ox.Triple(graph, RDF_TYPE, _sd("Graph")),
            ox.Triple(graph, ox.NamedNode(VOID + "triples"), _integer(size)),
        ]
    return triples


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
