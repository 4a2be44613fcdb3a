"""What every backend's writes have in common: which graphs a document replaces or removes."""

from __future__ import annotations

from abc import ABC, abstractmethod

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from lodpub.store.convert import triple_lines


def document_graphs(key: str, dataset: Dataset) -> dict[str, list[str]]:
    """The non-empty named graphs of document `key` as N-Triples lines, by graph name; a graph
    that is not one of the document's is refused with a ValueError."""
    marker = f"/id/document/{key}/"
    graphs: dict[str, list[str]] = {}
    for graph in dataset.graphs():
        if len(graph) == 0:
            continue
        name = str(graph.identifier)
        if graph.identifier == DATASET_DEFAULT_GRAPH_ID:
            raise ValueError(f"document {key!r}: {len(graph)} triples are outside a named graph")
        if marker not in name:
            raise ValueError(f"document {key!r}: graph <{name}> is not one of its graphs")
        graphs[name] = triple_lines(graph)
    return graphs


class DocumentWrites(ABC):
    """Document-level writes in terms of one `_write(drop=, graphs=, key=)` per backend."""

    @abstractmethod
    def _write(self, *, drop: set[str], graphs: dict[str, list[str]], key: str | None) -> None:
        """Drop the graphs `drop`, write `graphs` (N-Triples lines), keep merge and manifest."""

    @abstractmethod
    def _graphs_of(self, key: str) -> set[str]:
        """The named graphs the manifest lists for document `key`."""

    def replace_document(self, key: str, dataset: Dataset) -> None:
        """Replace every named graph of document `key` by the graphs of `dataset`, as one write."""
        self.replace_document_graphs(key, document_graphs(key, dataset))

    def replace_document_graphs(self, key: str, graphs: dict[str, list[str]]) -> None:
        """`replace_document` with the graphs already made by `document_graphs`."""
        self._write(drop=self._graphs_of(key), graphs=graphs, key=key)

    def replace_graph(self, uri: str, graph: Graph) -> None:
        """Replace the named graph `uri` by `graph`, as one write."""
        self._write(drop={uri}, graphs={uri: triple_lines(graph)}, key=None)

    def remove_document(self, key: str) -> bool:
        """Remove every graph of document `key`; False when there was none."""
        old = self._graphs_of(key)
        if old:
            self._write(drop=old, graphs={}, key=None)
        return bool(old)
