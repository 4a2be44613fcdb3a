"""Store statistics: documents, graphs, triples by graph kind, entities by kind."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import pyoxigraph as ox

from lodpub.store import manifest
from lodpub.vocab import LP

if TYPE_CHECKING:
    from lodpub.store.oxigraph import OxigraphStore

ENTITY_KINDS = ("person", "group", "place", "event")

# Things are named {base}/id/{kind}/{slug} (lodpub.uris); sub-resources have more segments.
# The queries read the default graph: the merge of the data graphs, each triple once.
_ENTITIES = f"""
SELECT ?kind (COUNT(DISTINCT ?e) AS ?n) WHERE {{
  ?e a ?class
  FILTER(REGEX(STR(?e), "/id/({"|".join(ENTITY_KINDS)})/[^/]+$"))
  BIND(REPLACE(STR(?e), "^.*/id/([a-z]+)/[^/]+$", "$1") AS ?kind)
}} GROUP BY ?kind
"""

# The model marks each entity description lp:reviewed true (authority file) or false (introduced
# by a document); an entity curated since a document introduced it counts as reviewed.
_UNREVIEWED = f"""
SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{
  ?e <{LP.reviewed}> false
  FILTER NOT EXISTS {{ ?e <{LP.reviewed}> true }}
}}
"""
_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def graph_kind(name: str) -> str:
    """claims, catalogue, authorities, vocabulary, ...: the last segment of a graph's name."""
    return name.rstrip("/").rsplit("/", 1)[-1]


def collect_stats(store: OxigraphStore) -> dict:
    """Counts from the manifest (cheap) and from SPARQL queries over the default graph (a scan
    of its triples, two of rdf:type)."""
    ox_store = store.oxigraph
    graph_node = ox.NamedNode(manifest.MANIFEST_GRAPH)
    triples_by_kind: Counter[str] = Counter()
    graphs_by_kind: Counter[str] = Counter()
    for q in ox_store.quads_for_pattern(None, ox.NamedNode(manifest.TRIPLES), None, graph_node):
        kind = graph_kind(q.subject.value)
        triples_by_kind[kind] += int(q.object.value)
        graphs_by_kind[kind] += 1
    entities = dict.fromkeys(ENTITY_KINDS, 0)
    for row in store.query(_ENTITIES):
        entities[row["kind"].value] = int(row["n"].value)
    unreviewed = next(iter(store.query(_UNREVIEWED)))["n"].value
    triples = next(iter(store.query(_TRIPLES)))["n"].value
    return {
        "documents": len(store.documents()),
        "named_graphs": sum(graphs_by_kind.values()),
        "quads": sum(triples_by_kind.values()),
        "triples": int(triples),
        "graphs_by_kind": dict(sorted(graphs_by_kind.items())),
        "triples_by_graph_kind": dict(sorted(triples_by_kind.items())),
        "entities": entities,
        "unreviewed": int(unreviewed),
        "version": store.version(),
    }
