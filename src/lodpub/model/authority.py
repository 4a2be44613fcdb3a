"""`authority_graph`: the curated entities of the authority file, for the authorities graph."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph

from lodpub.resolve.authority import Authority
from lodpub.resolve.entity import Entity
from lodpub.uris import Uris
from lodpub.vocab import PREFIXES

from .entities import describe


def authority_graph(authority: Authority | Iterable[Entity], uris: Uris) -> Graph:
    """Label, type, names, description, external matches, containment and membership of every
    curated entity, marked reviewed; the graph is named `uris.authorities_graph`."""
    entities = authority.entities(uris).values() if isinstance(authority, Authority) else authority
    graph = Graph(identifier=uris.authorities_graph)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    for entity in sorted(entities, key=lambda e: e.uri):
        if not entity.reviewed:
            raise ValueError(f"authority entity {entity.uri} is not marked reviewed")
        describe(graph, entity)
    return graph
