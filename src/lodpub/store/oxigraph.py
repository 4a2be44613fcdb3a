"""The embedded backend: Oxigraph (pyoxigraph) on disk or in memory.

The store's default graph is the RDF merge of its data graphs (every named graph but the
manifest), kept by every write in the same update request as the graphs themselves. Queries
read it instead of pyoxigraph's union default graph, which matches a triple once per graph
holding it (Oxigraph issue #1919): here a triple is in the default graph once, however many
documents state it.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from lodpub.store import manifest, statistics
from lodpub.store.convert import graph_block
from lodpub.store.errors import StoreError
from lodpub.store.stats import collect_stats
from lodpub.store.writes import DocumentWrites
from lodpub.vocab import PREFIXES

EXPORT_FORMATS = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
}
DUMP_FORMATS = ("nquads", "trig")
_PREFIXES = {name: str(ns) for name, ns in PREFIXES.items()}
_MANIFEST = ox.NamedNode(manifest.MANIFEST_GRAPH)
_DOCUMENT_KEY = ox.NamedNode(manifest.DOCUMENT_KEY)
_DIGEST = ox.NamedNode(manifest.DIGEST)
_TRIPLES = ox.NamedNode(manifest.TRIPLES)
_DEFAULT = ox.DefaultGraph()


def dump_quads(source: str | os.PathLike | BinaryIO, fmt: str) -> Iterator[ox.Quad]:
    """The quads of a dump, each in a data graph; a quad in the default graph or the manifest
    is a ValueError. The statistics graph is skipped: it counts the dumped store and is
    written again on publishing."""
    if isinstance(source, str | os.PathLike):
        reader = {"path": os.fspath(source)}
    else:
        reader = {"input": source}
    for quad in ox.parse(format=EXPORT_FORMATS[fmt], **reader):
        graph = quad.graph_name
        if not isinstance(graph, ox.NamedNode) or graph == _MANIFEST:
            held = "the default graph" if graph == _DEFAULT else f"graph {graph}"
            raise ValueError(
                f"{quad.triple} is in {held}: a dump holds the data graphs only "
                "(the default graph is their merge, rebuilt on loading)"
            )
        if not statistics.is_statistics_graph(graph.value):
            yield quad


BATCH_LINES = 200_000  # N-Quads lines gathered before an unpublished store bulk-loads them
# A document's graphs are named {base}/id/document/{key}/{kind} (lodpub.uris).
_DOCUMENT_GRAPH = re.compile(r"/id/document/([^/]+)/[^/]+$")


class OxigraphStore(DocumentWrites):
    """An Oxigraph store holding lodpub's named graphs and its manifest."""

    def __init__(self, store: ox.Store, *, location: str, read_only: bool, on_disk: bool) -> None:
        self._ox: ox.Store | None = store
        self.location = location
        self.read_only = read_only
        self._on_disk = on_disk
        # Writes read the manifest, then update it: one writer at a time per process (RocksDB
        # already refuses a second read-write process).
        self._write_lock = threading.Lock()
        # Set by whoever builds a store no one reads before it is published and that is thrown
        # away when the build fails (a new generation): new documents then go through
        # Oxigraph's bulk loader in batches, about four times cheaper than one transaction per
        # document, but not atomic per document. Every read loads the batch first.
        self.unpublished = False
        self._batch: list[str] = []  # N-Quads lines of documents new to the store
        self._batch_keys: set[str] = set()
        self._batch_shares: list[int] = []  # what the batch adds to the store's digest

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"<OxigraphStore {self.location} {mode}>"

    def __enter__(self) -> OxigraphStore:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is not None:  # a failed build is thrown away: do not load its batch
            self._batch, self._batch_keys, self._batch_shares = [], set(), []
        self.close()

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store, for fast pattern lookups (quads_for_pattern)."""
        if self._ox is None:
            raise StoreError(f"store {self.location} is closed")
        return self._ox

    # writes

    def replace_document_graphs(self, key: str, graphs: dict[str, list[str]]) -> None:
        """Replace every named graph of document `key` by `graphs` (N-Triples lines), as one
        write; in an `unpublished` store a document new to it joins the current batch."""
        if not (self.unpublished and self._batchable(key, graphs)):
            super().replace_document_graphs(key, graphs)
            return
        with self._write_lock:
            for name, lines in graphs.items():
                if not lines:
                    continue
                node = ox.NamedNode(name)
                digest = manifest.lines_digest(lines)
                self._batch_shares.append(manifest.graph_share(name, digest))
                self._batch += [f"{line[:-1]}{node} ." for line in lines]
                self._batch += lines  # the default graph (their merge): repeats load once
                self._batch += [
                    f"{node} {_DIGEST} {ox.Literal(manifest.to_hex(digest))} {_MANIFEST} .",
                    f"{node} {_TRIPLES} {_integer(len(lines))} {_MANIFEST} .",
                    f"{node} {_DOCUMENT_KEY} {ox.Literal(key)} {_MANIFEST} .",
                ]
            self._batch_keys.add(key)
            if len(self._batch) >= BATCH_LINES:
                self._load_batch()

    def _batchable(self, key: str, graphs: dict[str, list[str]]) -> bool:
        """True for a document whose graphs are all new and free of blank nodes (a bulk load
        would not give them fresh labels, as INSERT DATA does)."""
        if key in self._batch_keys or self._graphs_of(key):
            return False
        store = self.oxigraph
        for name, lines in graphs.items():
            if store.contains_named_graph(ox.NamedNode(name)):
                return False
            if any(line.startswith("_:") or " _:" in line for line in lines):
                return False
        return True

    def _flush(self) -> None:
        if self._batch_keys:
            with self._write_lock:
                self._load_batch()

    def _load_batch(self) -> None:
        store = self.oxigraph
        store.bulk_load(("\n".join(self._batch) + "\n").encode(), ox.RdfFormat.N_QUADS)
        total = manifest.combine(self._store_digest(), [], self._batch_shares)
        store.update(
            f"DELETE WHERE {{ GRAPH {_MANIFEST} {{ {_MANIFEST} {_DIGEST} ?d }} }} ;\n"
            f"INSERT DATA {{ GRAPH {_MANIFEST} {{ "
            f"{_MANIFEST} {_DIGEST} {ox.Literal(manifest.to_hex(total))} }} }}"
        )
        self._batch, self._batch_keys, self._batch_shares = [], set(), []

    def _write(self, *, drop: set[str], graphs: dict[str, list[str]], key: str | None) -> None:
        # Atomicity: everything (drops, inserts, default graph, manifest) goes into ONE SPARQL
        # Update request. Oxigraph evaluates a whole update request inside a single storage
        # transaction (one RocksDB write batch), so it is applied completely or not at all, also
        # when the process is killed midway; pyoxigraph 0.5 exposes no other multi-operation
        # transaction.
        if self.read_only:
            raise StoreError(f"store {self.location} is open read-only")
        self._flush()
        store = self.oxigraph
        with self._write_lock:
            replaced = sorted(drop | graphs.keys())
            removed, added, ops, blocks, meta = [], [], [], [], []
            merged = dict.fromkeys(line for lines in graphs.values() for line in lines)
            ops += self._unmerge_ops(replaced, merged)
            for name in replaced:
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
                meta.append(f"{node} {_TRIPLES} {len(lines)} .")
                if key is not None:
                    meta.append(f"{node} {_DOCUMENT_KEY} {ox.Literal(key)} .")
            total = manifest.combine(self._store_digest(), removed, added)
            meta.append(f"{_MANIFEST} {_DIGEST} {ox.Literal(manifest.to_hex(total))} .")
            ops.append(f"DELETE WHERE {{ GRAPH {_MANIFEST} {{ {_MANIFEST} {_DIGEST} ?d }} }}")
            # Triples outside GRAPH go to the default graph, which holds each one once.
            blocks.append("\n".join(merged))
            blocks.append(graph_block(manifest.MANIFEST_GRAPH, meta))
            ops.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
            store.update(" ;\n".join(ops))

    def _unmerge_ops(self, replaced: list[str], merged: dict[str, None]) -> list[str]:
        """The updates that take out of the default graph what only the replaced graphs held.

        Triples the new graphs hold again stay, and are dropped from `merged` (what is left
        to insert): re-ingesting a document rewrites only what changed in the default graph."""
        store = self.oxigraph
        present = [n for n in replaced if store.contains_named_graph(ox.NamedNode(n))]
        if not present:
            return []
        if not merged:
            return [_unmerge(present)]
        old, blank = set(), False
        for name in present:
            for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(name)):
                if isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode):
                    blank = True  # written afresh by every INSERT DATA: never the same again
                else:
                    old.add(f"{quad.subject} {quad.predicate} {quad.object} .")
        gone = [line for line in old if line not in merged]
        for line in old:
            merged.pop(line, None)
        ops = [_unmerge(present, rows=gone)] if gone else []
        return ops + [_unmerge(present, blank_only=True)] if blank else ops

    def load_dump(self, source: str | os.PathLike[str] | BinaryIO, fmt: str) -> None:
        """Fill an empty store from a dump of named graphs (nquads or trig), atomically.

        Graphs named `…/id/document/{key}/…` become document `key`'s graphs; the default
        graph (their merge) and the manifest are rebuilt, so data without blank nodes gets the
        dumped store's version back. The whole dump is held in memory while it is loaded."""
        if fmt not in DUMP_FORMATS:
            raise ValueError(f"unknown dump format {fmt!r}: use one of {', '.join(DUMP_FORMATS)}")
        if self.read_only:
            raise StoreError(f"store {self.location} is open read-only")
        self._flush()
        store = self.oxigraph
        with self._write_lock:
            if any(True for _ in store.quads_for_pattern(None, None, None, None)):
                raise StoreError(
                    f"store {self.location} is not empty: a dump loads into a new store"
                )
            quads, lines = [], {}
            for quad in dump_quads(source, fmt):
                graph = quad.graph_name
                line = f"{quad.subject} {quad.predicate} {quad.object} ."
                lines.setdefault(graph.value, set()).add(line)
                quads += [quad, ox.Quad(quad.subject, quad.predicate, quad.object, _DEFAULT)]
            shares = []
            for name, graph_lines in lines.items():
                node = ox.NamedNode(name)
                digest = manifest.lines_digest(graph_lines)
                shares.append(manifest.graph_share(name, digest))
                quads.append(ox.Quad(node, _DIGEST, ox.Literal(manifest.to_hex(digest)), _MANIFEST))
                quads.append(ox.Quad(node, _TRIPLES, _integer(len(graph_lines)), _MANIFEST))
                match = _DOCUMENT_GRAPH.search(name)
                if match is not None:
                    quads.append(
                        ox.Quad(node, _DOCUMENT_KEY, ox.Literal(match.group(1)), _MANIFEST)
                    )
            total = manifest.to_hex(manifest.combine(0, [], shares))
            quads.append(ox.Quad(_MANIFEST, _DIGEST, ox.Literal(total), _MANIFEST))
            # Store.extend is one transaction: the dump is loaded completely or not at all.
            store.extend(quads)

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
        self._flush()
        quads = self.oxigraph.quads_for_pattern(None, _DOCUMENT_KEY, None, _MANIFEST)
        return sorted({q.object.value for q in quads})

    def version(self) -> str:
        """A digest of the whole content: changes whenever any graph changes (use it as ETag)."""
        self._flush()
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
        """Evaluate a SPARQL query over the store's dataset: the default graph is the merge of
        the data graphs, every graph is a named graph. The query's FROM / FROM NAMED choose
        other graphs; `default_graph` / `named_graphs` override both. `prefixes` are declared
        for the query as if it began with PREFIX lines.

        Raises SyntaxError for a malformed query (its message has line and column)."""
        self._flush()
        return self.oxigraph.query(
            sparql,
            prefixes=prefixes,
            default_graph=None
            if default_graph is None
            else [ox.NamedNode(g) for g in default_graph],
            named_graphs=None if named_graphs is None else [ox.NamedNode(g) for g in named_graphs],
        )

    def graph_names(self) -> list[str]:
        """Names of the data graphs (not the manifest), sorted."""
        self._flush()
        names = (g.value for g in self.oxigraph.named_graphs() if isinstance(g, ox.NamedNode))
        return sorted(n for n in names if n != manifest.MANIFEST_GRAPH)

    def data_graph_names(self) -> list[str]:
        """The graphs an export writes: not the manifest, not the statistics (rebuilt on
        publishing), sorted."""
        return [n for n in self.graph_names() if not statistics.is_statistics_graph(n)]

    def _data_quads(self) -> Iterator[ox.Quad]:
        store = self.oxigraph
        for name in self.data_graph_names():
            yield from store.quads_for_pattern(None, None, None, ox.NamedNode(name))

    def export(self, fmt: str, fp: BinaryIO) -> None:
        """Stream the data to a binary file.

        nquads, trig and jsonld write the named graphs (not the manifest, not the statistics,
        not the default graph, which is their merge: `load_dump` rebuilds it); ttl writes the
        default graph."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(
                f"unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}"
            )
        self._flush()
        if fmt == "ttl":
            # Oxigraph writes its default graph itself, subject by subject (its index order),
            # so Turtle groups each subject's triples.
            self.oxigraph.dump(fp, EXPORT_FORMATS[fmt], from_graph=_DEFAULT, prefixes=_PREFIXES)
            return
        ox.serialize(self._data_quads(), fp, EXPORT_FORMATS[fmt], prefixes=_PREFIXES)

    def stats(self) -> dict:
        """Counts for people and for the web tier's dataset description."""
        self._flush()
        return collect_stats(self)

    def close(self) -> None:
        """Load any batch, flush and release the store; later calls raise StoreError."""
        if self._ox is not None:
            self._flush()
        if self._ox is not None and self._on_disk and not self.read_only:
            self._ox.flush()
        self._ox = None


def _unmerge(graphs: list[str], *, rows: list[str] | None = None, blank_only: bool = False) -> str:
    """The update that removes from the default graph the triples of `graphs` (only `rows`, as
    N-Triples lines, when given; only those with a blank node with `blank_only`) that no other
    data graph holds. Each triple is looked up with subject, predicate and object bound, which
    Oxigraph answers from its spog index, however many graphs the store has."""
    names = [str(ox.NamedNode(g)) for g in graphs]
    kept = ", ".join([*names, str(_MANIFEST)])
    if rows is not None:
        found = "VALUES (?s ?p ?o) {\n" + "\n".join(f"({r[:-2]})" for r in rows) + "\n}"
    else:
        found = f"VALUES ?g {{ {' '.join(names)} }} GRAPH ?g {{ ?s ?p ?o }}"
        if blank_only:
            found += " FILTER (isBlank(?s) || isBlank(?o))"
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ {found} "
        f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER (?h NOT IN ({kept})) }} }}"
    )


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))


def _unmerged(store: ox.Store) -> bool:
    """True for a store written before the default graph held the merge: data graphs listed in
    its manifest, and an empty default graph."""
    listed = any(True for _ in store.quads_for_pattern(None, _TRIPLES, None, _MANIFEST))
    return listed and not any(True for _ in store.quads_for_pattern(None, None, None, _DEFAULT))


def _merge(store: ox.Store) -> None:
    store.update(
        f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (?g != {_MANIFEST}) }}"
    )


def optimize(folder: str) -> None:
    """Compact the on-disk store at `folder` for reading (call it with no other handle open).

    A store written document by document, or by many bulk loads, keeps its keys in many
    overlapping files, and a read-only store never compacts them itself: at 1k records the
    2-hop joins of /sparql ran about 1.6x faster after compaction."""
    store = ox.Store(folder)
    try:
        store.optimize()
    finally:
        store.flush()
        del store


def open_oxigraph(path: str | None, *, read_only: bool, location: str) -> OxigraphStore:
    """An on-disk store at `path`, or an in-memory one when `path` is None.

    A store written by an earlier lodpub (no merged default graph) gets it when opened
    read-write; opened read-only it is refused with a StoreError saying so."""
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
        if _unmerged(store):
            if read_only:
                raise StoreError(
                    f"store {location} was written by an earlier lodpub and has no merged "
                    "default graph: open it once read-write (e.g. `lodpub ingest --store "
                    f"{location} …`) to build it"
                )
            _merge(store)
    except OSError as exc:
        raise StoreError(f"cannot open store {location}: {exc}") from exc
    return OxigraphStore(store, location=location, read_only=read_only, on_disk=True)
