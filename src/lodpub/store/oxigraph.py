"""The embedded backend: Oxigraph (pyoxigraph) on disk or in memory."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from lodpub.store import manifest
from lodpub.store.convert import graph_block, triple_lines
from lodpub.store.errors import StoreError
from lodpub.store.stats import collect_stats
from lodpub.vocab import PREFIXES

EXPORT_FORMATS = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
}
_PREFIXES = {name: str(ns) for name, ns in PREFIXES.items()}
_MANIFEST = ox.NamedNode(manifest.MANIFEST_GRAPH)
_DOCUMENT_KEY = ox.NamedNode(manifest.DOCUMENT_KEY)
_DIGEST = ox.NamedNode(manifest.DIGEST)


class OxigraphStore:
    """An Oxigraph store holding lodpub's named graphs and its manifest."""

    def __init__(self, store: ox.Store, *, location: str, read_only: bool, on_disk: bool) -> None:
        self._ox: ox.Store | None = store
        self.location = location
        self.read_only = read_only
        self._on_disk = on_disk
        # Writes read the manifest, then update it: one writer at a time per process (RocksDB
        # already refuses a second read-write process).
        self._write_lock = threading.Lock()

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"<OxigraphStore {self.location} {mode}>"

    def __enter__(self) -> OxigraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store, for fast pattern lookups (quads_for_pattern)."""
        if self._ox is None:
            raise StoreError(f"store {self.location} is closed")
        return self._ox

    # writes

    def replace_document(self, key: str, dataset: Dataset) -> None:
        """Atomically replace every named graph of document `key` by the graphs of `dataset`."""
        marker = f"/id/document/{key}/"
        graphs: dict[str, list[str]] = {}
        for graph in dataset.graphs():
            if len(graph) == 0:
                continue
            name = str(graph.identifier)
            if graph.identifier == DATASET_DEFAULT_GRAPH_ID:
                raise ValueError(
                    f"document {key!r}: {len(graph)} triples are outside a named graph"
                )
            if marker not in name:
                raise ValueError(f"document {key!r}: graph <{name}> is not one of its graphs")
            graphs[name] = triple_lines(graph)
        self._write(drop=self._graphs_of(key), graphs=graphs, key=key)

    def replace_graph(self, uri: str, graph: Graph) -> None:
        """Atomically replace the named graph `uri` by `graph`."""
        self._write(drop={uri}, graphs={uri: triple_lines(graph)}, key=None)

    def remove_document(self, key: str) -> bool:
        """Remove every graph of document `key`; False when there was none."""
        old = self._graphs_of(key)
        if old:
            self._write(drop=old, graphs={}, key=None)
        return bool(old)

    def _write(self, *, drop: set[str], graphs: dict[str, list[str]], key: str | None) -> None:
        # Atomicity: everything (drops, inserts, manifest) goes into ONE SPARQL Update request.
        # Oxigraph evaluates a whole update request inside a single storage transaction (one
        # RocksDB write batch), so it is applied completely or not at all, also when the
        # process is killed midway; pyoxigraph 0.5 exposes no other multi-operation transaction.
        if self.read_only:
            raise StoreError(f"store {self.location} is open read-only")
        store = self.oxigraph
        with self._write_lock:
            removed, added, ops, blocks, meta = [], [], [], [], []
            for name in sorted(drop | graphs.keys()):
                node = ox.NamedNode(name)
                old = self._graph_digest(node)
                if old is not None:
                    removed.append(manifest.graph_share(name, old))
                ops.append(f"DROP SILENT GRAPH {node}")
                ops.append(f"DELETE WHERE {{ GRAPH {_MANIFEST} {{ {node} ?p ?o }} }}")
            for name, lines in graphs.items():
                if not lines:
                    continue
                node = ox.NamedNode(name)
                digest = manifest.lines_digest(lines)
                added.append(manifest.graph_share(name, digest))
                blocks.append(graph_block(name, lines))
                meta.append(f"{node} {_DIGEST} {ox.Literal(manifest.to_hex(digest))} .")
                meta.append(f"{node} <{manifest.TRIPLES}> {len(lines)} .")
                if key is not None:
                    meta.append(f"{node} {_DOCUMENT_KEY} {ox.Literal(key)} .")
            total = manifest.combine(self._store_digest(), removed, added)
            meta.append(f"{_MANIFEST} {_DIGEST} {ox.Literal(manifest.to_hex(total))} .")
            ops.append(f"DELETE WHERE {{ GRAPH {_MANIFEST} {{ {_MANIFEST} {_DIGEST} ?d }} }}")
            blocks.append(graph_block(manifest.MANIFEST_GRAPH, meta))
            ops.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
            store.update(" ;\n".join(ops))

    # manifest

    def _graphs_of(self, key: str) -> set[str]:
        quads = self.oxigraph.quads_for_pattern(None, _DOCUMENT_KEY, ox.Literal(key), _MANIFEST)
        return {q.subject.value for q in quads}

    def _graph_digest(self, node: ox.NamedNode) -> int | None:
        for q in self.oxigraph.quads_for_pattern(node, _DIGEST, None, _MANIFEST):
            return manifest.from_hex(q.object.value)
        return None

    def _store_digest(self) -> int:
        return self._graph_digest(_MANIFEST) or 0

    def documents(self) -> list[str]:
        """The keys of the documents in the store, sorted."""
        quads = self.oxigraph.quads_for_pattern(None, _DOCUMENT_KEY, None, _MANIFEST)
        return sorted({q.object.value for q in quads})

    def version(self) -> str:
        """A digest of the whole content: changes whenever any graph changes (use it as ETag)."""
        return manifest.to_hex(self._store_digest())

    # reads

    def query(
        self,
        sparql: str,
        *,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean:
        """Evaluate a SPARQL query; the default graph is the union of all graphs unless given.
        `prefixes` are declared for the query as if it began with PREFIX lines.

        Raises SyntaxError for a malformed query (its message has line and column)."""
        return self.oxigraph.query(
            sparql,
            prefixes=prefixes,
            use_default_graph_as_union=default_graph is None,
            default_graph=[ox.NamedNode(g) for g in default_graph] if default_graph else None,
            named_graphs=[ox.NamedNode(g) for g in named_graphs] if named_graphs else None,
        )

    def graph_names(self) -> list[str]:
        """Names of the data graphs (not the manifest), sorted."""
        names = (g.value for g in self.oxigraph.named_graphs() if isinstance(g, ox.NamedNode))
        return sorted(n for n in names if n != manifest.MANIFEST_GRAPH)

    def _data_quads(self) -> Iterator[ox.Quad]:
        store = self.oxigraph
        yield from store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        for name in self.graph_names():
            yield from store.quads_for_pattern(None, None, None, ox.NamedNode(name))

    def _merged_triples(self) -> Iterator[ox.Triple]:
        # Subject by subject, so Turtle can group each subject's triples and merging the copies
        # of a triple held in several graphs needs only one subject's triples in memory.
        store = self.oxigraph
        subjects = store.query(
            "SELECT DISTINCT ?s WHERE { { GRAPH ?g { ?s ?p ?o } "
            f"FILTER(?g != {_MANIFEST}) }} UNION {{ ?s ?p ?o }} }}"
        )
        for row in subjects:
            seen = set()
            for quad in store.quads_for_pattern(row["s"], None, None, None):
                if quad.graph_name != _MANIFEST and quad.triple not in seen:
                    seen.add(quad.triple)
                    yield quad.triple

    def export(self, fmt: str, fp: BinaryIO) -> None:
        """Stream the data (all graphs but the manifest) to a binary file.

        nquads, trig and jsonld keep the named graphs; ttl is the merge of all graphs."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(
                f"unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}"
            )
        data = self._merged_triples() if fmt == "ttl" else self._data_quads()
        ox.serialize(data, fp, EXPORT_FORMATS[fmt], prefixes=_PREFIXES)

    def stats(self) -> dict:
        """Counts for people and for the web tier's dataset description."""
        return collect_stats(self)

    def close(self) -> None:
        """Flush and release the store; later calls raise StoreError."""
        if self._ox is not None and self._on_disk and not self.read_only:
            self._ox.flush()
        self._ox = None


def open_oxigraph(path: str | None, *, read_only: bool, location: str) -> OxigraphStore:
    """An on-disk store at `path`, or an in-memory one when `path` is None."""
    if path is None:
        return OxigraphStore(ox.Store(), location=location, read_only=read_only, on_disk=False)
    directory = Path(path)
    try:
        if read_only:
            if not directory.is_dir():
                raise StoreError(f"no store at {location}")
            store = ox.Store.read_only(str(directory))
        else:
            # never turn a folder of something else into a RocksDB store
            foreign = directory.exists() and not (directory / "CURRENT").exists()
            if foreign and (not directory.is_dir() or any(directory.iterdir())):
                raise StoreError(f"{location} is neither an Oxigraph store nor empty")
            directory.parent.mkdir(parents=True, exist_ok=True)
            store = ox.Store(str(directory))
    except OSError as exc:
        raise StoreError(f"cannot open store {location}: {exc}") from exc
    return OxigraphStore(store, location=location, read_only=read_only, on_disk=True)
