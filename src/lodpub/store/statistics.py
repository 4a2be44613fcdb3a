"""Publish-time statistics of a store, kept in it as VoID data: the graph `urn:x-lodpub:statistics`.

    <urn:x-lodpub:statistics#dataset> a void:Dataset ; void:triples 964411 ;
        void:entities 51234 ; void:classes 31 ; void:properties 84 ; lp:digest "<version>" ;
        void:classPartition <urn:x-lodpub:statistics#class-…> ;
        void:propertyPartition <urn:x-lodpub:statistics#property-…> .
    <urn:x-lodpub:statistics#class-…> void:class crm:E21_Person ; void:entities 2113 .
    <urn:x-lodpub:statistics#property-…> void:property rdfs:label ; void:triples 40211 .

Counts are over the store's default graph (the merge of the data graphs, each triple once), so
"how many instances of each class" is a look-up in this graph instead of a scan of every
rdf:type triple:

    SELECT ?class ?n WHERE { GRAPH <urn:x-lodpub:statistics> {
      ?part void:class ?class ; void:entities ?n } }

Like the manifest (`urn:x-lodpub:store`) it is the store's own bookkeeping, not published
data: outside the manifest and the default graph, not under the base URI, so never a page.
`lp:digest` names the store version it describes, so a reader can tell stale statistics (a
store written since) from current ones. `write` is called when a store is published; `read`
returns None for statistics that are missing or stale.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pyoxigraph as ox

from lodpub.store.manifest import DIGEST, MANIFEST_GRAPH
from lodpub.vocab import RDF, VOID, XSD

STATISTICS_GRAPH = "urn:x-lodpub:statistics"

_CLASSES = "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"
_PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"
_ENTITIES = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class }"

_MANIFEST = ox.NamedNode(MANIFEST_GRAPH)
_DIGEST = ox.NamedNode(DIGEST)
_TYPE = ox.NamedNode(str(RDF.type))
_INTEGER = ox.NamedNode(str(XSD.integer))
_GRAPH = ox.NamedNode(STATISTICS_GRAPH)
_DATASET = ox.NamedNode(STATISTICS_GRAPH + "#dataset")


def _v(name: str) -> ox.NamedNode:
    return ox.NamedNode(str(VOID) + name)


@dataclass(frozen=True)
class Statistics:
    """Counts over the default graph, each list sorted by IRI."""

    triples: int
    entities: int
    classes: list[tuple[str, int]]
    properties: list[tuple[str, int]]


def is_statistics_graph(name: str) -> bool:
    return name == STATISTICS_GRAPH


def version_of(store: ox.Store) -> str | None:
    """The store's content version (its manifest digest), None without a manifest."""
    for quad in store.quads_for_pattern(_MANIFEST, _DIGEST, None, _MANIFEST):
        return quad.object.value
    return None


def compute(store: ox.Store) -> Statistics:
    """Classes, properties, triples and typed entities of the default graph (three scans)."""
    classes = sorted((r["class"].value, int(r["n"].value)) for r in store.query(_CLASSES))
    properties = sorted((r["p"].value, int(r["n"].value)) for r in store.query(_PROPERTIES))
    entities = int(next(iter(store.query(_ENTITIES)))["n"].value)
    return Statistics(sum(n for _, n in properties), entities, classes, properties)


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_INTEGER)


def _part(kind: str, iri: str) -> ox.NamedNode:
    digest = hashlib.sha1(iri.encode("utf-8")).hexdigest()[:16]
    return ox.NamedNode(f"{STATISTICS_GRAPH}#{kind}-{digest}")


def quads(stats: Statistics, version: str) -> list[ox.Quad]:
    """The statistics graph of a store at `version`."""
    g = _GRAPH
    dataset = _DATASET
    out = [
        ox.Quad(dataset, _TYPE, _v("Dataset"), g),
        ox.Quad(dataset, _v("triples"), _integer(stats.triples), g),
        ox.Quad(dataset, _v("entities"), _integer(stats.entities), g),
        ox.Quad(dataset, _v("classes"), _integer(len(stats.classes)), g),
        ox.Quad(dataset, _v("properties"), _integer(len(stats.properties)), g),
        ox.Quad(dataset, _DIGEST, ox.Literal(version), g),
    ]
    # VoID counts entities per class partition and triples per property partition.
    for kind, counted, measure in (
        ("class", stats.classes, "entities"),
        ("property", stats.properties, "triples"),
    ):
        for iri, count in counted:
            part = _part(kind, iri)
            out += [
                ox.Quad(dataset, _v(f"{kind}Partition"), part, g),
                ox.Quad(part, _v(kind), ox.NamedNode(iri), g),
                ox.Quad(part, _v(measure), _integer(count), g),
            ]
    return out


def write(store: ox.Store) -> Statistics | None:
    """Replace the store's statistics graph with counts of its current content; None (and
    nothing written) for a store without lodpub's manifest."""
    version = version_of(store)
    if version is None:
        return None
    stats = compute(store)
    store.remove_graph(_GRAPH)
    store.extend(quads(stats, version))
    return stats


def read(store: ox.Store, version: str) -> Statistics | None:
    """The statistics graph's counts if it describes `version`, else None."""
    g, dataset = _GRAPH, _DATASET
    described = [q.object.value for q in store.quads_for_pattern(dataset, _DIGEST, None, g)]
    if described != [version]:
        return None

    def number(subject: ox.NamedNode | ox.BlankNode, predicate: str) -> int:
        for quad in store.quads_for_pattern(subject, _v(predicate), None, g):
            return int(quad.object.value)
        return 0

    def partitions(link: str, key: str, count: str) -> list[tuple[str, int]]:
        found = []
        for quad in store.quads_for_pattern(dataset, _v(link), None, g):
            for named in store.quads_for_pattern(quad.object, _v(key), None, g):
                found.append((named.object.value, number(quad.object, count)))
        return sorted(found)

    return Statistics(
        number(dataset, "triples"),
        number(dataset, "entities"),
        partitions("classPartition", "class", "entities"),
        partitions("propertyPartition", "property", "triples"),
    )


def refresh(folder: str) -> Statistics | None:
    """Open the on-disk store at `folder`, write its statistics graph, close it."""
    store = ox.Store(folder)
    try:
        return write(store)
    finally:
        store.flush()
        del store
