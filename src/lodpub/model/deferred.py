"""A Memory store that defers indexing: what `build` writes is kept in one set per graph, and
rdflib's indexes are built only when a reader asks for more than whole graphs and their sizes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import Graph
from rdflib.plugins.stores.memory import Memory
from rdflib.term import Node

Triple = tuple[Node, Node, Node]


class DeferredMemory(Memory):
    """rdflib's Memory store, with plain adds kept in per-graph sets until a read needs its
    indexes. Scans of a whole graph or of the union, sizes and graph lists (what validation and
    the store read) come from the sets; any other call (a pattern, a removal, a quoted or
    unnamed add) first indexes everything, and from then on the store is plain Memory.
    Add events are dispatched when the triples are indexed."""

    def __init__(self) -> None:
        super().__init__()
        # graph identifier -> (the graph, its triples); None once everything is indexed
        self._pending: dict[Node, tuple[Graph, set[Triple]]] | None = {}

    def add(self, triple: Triple, context: Graph, quoted: bool = False) -> None:  # type: ignore[override]
        pending = self._pending
        if pending is None or quoted or not isinstance(context, Graph):
            self._index()
            super().add(triple, context, quoted)
            return
        entry = pending.get(context.identifier)
        if entry is None:
            entry = pending[context.identifier] = (context, set())
            self.add_graph(context)
        entry[1].add(triple)

    def extend(self, graph: Graph, triples: Iterable[Triple]) -> None:
        """Add `triples` to `graph` (registered even when `triples` is empty) in one step."""
        self.add_graph(graph)
        if self._pending is None:
            for triple in triples:
                self.add(triple, graph)
            return
        self._pending.setdefault(graph.identifier, (graph, set()))[1].update(triples)

    def _index(self) -> None:
        pending, self._pending = self._pending, None
        for graph, triples in (pending or {}).values():
            for triple in triples:
                super().add(triple, graph)

    def _scannable(self, context: object) -> bool:
        return self._pending is not None and (context is None or isinstance(context, Graph))

    def triples(self, triple_pattern, context=None):  # type: ignore[no-untyped-def]
        if not (all(t is None for t in triple_pattern) and self._scannable(context)):
            self._index()
            yield from super().triples(triple_pattern, context)
            return
        graphs = list((self._pending or {}).values())
        if context is None:  # the union: each triple once, with the graphs that hold it
            seen: set[Triple] = set()
            for _graph, triples in graphs:
                for triple in list(triples):
                    if triple not in seen:
                        seen.add(triple)
                        yield triple, _containing(graphs, triple)
            return
        entry = (self._pending or {}).get(context.identifier)
        for triple in list(entry[1]) if entry else ():
            yield triple, _containing(graphs, triple)

    def __len__(self, context: Graph | None = None) -> int:  # type: ignore[override]
        if not self._scannable(context):
            self._index()
            return super().__len__(context)
        pending = self._pending or {}
        if context is None:
            return len(set().union(*(triples for _graph, triples in pending.values())))
        entry = pending.get(context.identifier)
        return len(entry[1]) if entry else 0

    def contexts(self, triple: Triple | None = None):  # type: ignore[no-untyped-def]
        if triple is not None and triple != (None, None, None):
            self._index()
        return super().contexts(triple)

    def remove(self, triple_pattern, context=None) -> None:  # type: ignore[no-untyped-def]
        self._index()
        super().remove(triple_pattern, context)


def _containing(graphs: list[tuple[Graph, set[Triple]]], triple: Triple) -> Iterator[Graph]:
    return (graph for graph, triples in graphs if triple in triples)
