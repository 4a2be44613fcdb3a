"""The remote backend: lodpub's named graphs on a SPARQL 1.1 engine (`sparql+http(s)://…`).

Same content and meaning as the embedded store: each document's graphs, the merged default graph
(each triple once, however many graphs hold it) and the manifest graph with per-graph digests
and the version. On the Oxigraph server a replace is ONE SPARQL Update request, which it applies
in one transaction (tests/test_remote_store.py pins it). Virtuoso applies a request operation
by operation, so there lodpub writes the graphs with the Graph Store Protocol and the manifest
last (lodpub.store.dialects; docs/scaling.md).

Queries go over the SPARQL 1.1 Protocol and come back as pyoxigraph results, so the CLI and the
web tier read a remote store as they read the embedded one. `RemoteStore.oxigraph` is a
read-only stand-in for `pyoxigraph.Store` (pattern look-ups answered by SELECT queries).
"""

from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import BinaryIO

import pyoxigraph as ox

from lodpub.store import manifest
from lodpub.store.convert import graph_block
from lodpub.store.dialects import DIALECTS, SPARQL11, Dialect, detect, names_dataset
from lodpub.store.errors import StoreError
from lodpub.store.oxigraph import DUMP_FORMATS, EXPORT_FORMATS, dump_quads
from lodpub.store.sparql_client import Response, SparqlClient, endpoints
from lodpub.store.stats import collect_stats
from lodpub.store.writes import DocumentWrites
from lodpub.vocab import PREFIXES

_PREFIXES = {name: str(ns) for name, ns in PREFIXES.items()}
_MANIFEST = ox.NamedNode(manifest.MANIFEST_GRAPH)
_DOCUMENT_KEY = ox.NamedNode(manifest.DOCUMENT_KEY)
_DIGEST = ox.NamedNode(manifest.DIGEST)
_TRIPLES = ox.NamedNode(manifest.TRIPLES)
_DEFAULT = ox.DefaultGraph()
ENV_DIALECT = "LODPUB_STORE_DIALECT"
_DOCUMENT_GRAPH = re.compile(r"/id/document/([^/]+)/[^/]+$")
# Triples per INSERT DATA request when loading a dump: engines cap a request's size.
LOAD_BATCH = 20_000
# A view keeping subjects' quads keeps at most SUBJECTS_KEPT subjects of SUBJECT_QUADS each.
SUBJECTS_KEPT = 50_000
SUBJECT_QUADS = 2_000
GSP_BATCH = 1_000
_RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
}
_EVERYTHING = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
_SOLUTIONS = None  # the form of lodpub's own queries: SELECT

Term = ox.NamedNode | ox.BlankNode | ox.Literal


class RemoteStore(DocumentWrites):
    """lodpub's named graphs, default graph and manifest on a remote SPARQL 1.1 engine."""

    def __init__(
        self,
        client: SparqlClient,
        *,
        location: str,
        read_only: bool,
        dialect: Dialect = SPARQL11,
    ) -> None:
        self.client = client
        self.dialect = dialect
        self.location = location
        self.read_only = read_only
        self._view: RemoteView | None = RemoteView(self)

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"<RemoteStore {self.client.endpoints.query} {mode}>"

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def oxigraph(self) -> RemoteView:
        """Read-only pattern look-ups and queries, as `pyoxigraph.Store` offers them."""
        if self._view is None:
            raise StoreError(f"store {self.client.endpoints.query} is closed")
        return self._view

    # writes

    def _write(self, *, drop: set[str], graphs: dict[str, list[str]], key: str | None) -> None:
        # One update request: the data first, the manifest last, so that on an engine that
        # applies a request operation by operation (Virtuoso) a request that fails midway
        # leaves the manifest describing the old graphs, and writing the document again
        # repairs it. The request depends on the manifest's digests, read just before: lodpub
        # allows one writer per store (the ingest that publishes), as on the embedded store.
        if self.read_only:
            raise StoreError(f"store {self.location} is open read-only")
        replaced = sorted(drop | graphs.keys())
        digests = self._digests(replaced)
        store_digest = digests.pop(manifest.MANIFEST_GRAPH) or 0
        removed = [manifest.graph_share(n, d) for n, d in digests.items() if d is not None]
        ops, meta, added = [], [], []
        if replaced:
            ops.append(_unmerge(replaced, self.dialect))
        ops += [f"DROP SILENT GRAPH {ox.NamedNode(name)}" for name in replaced]
        parts: list[tuple[str | None, list[str]]] = []
        merged: dict[str, None] = {}
        for name, lines in graphs.items():
            if not lines:
                continue
            node = ox.NamedNode(name)
            digest = manifest.lines_digest(lines)
            added.append(manifest.graph_share(name, digest))
            parts.append((name, lines))
            merged.update(dict.fromkeys(lines))
            meta.append(f"{node} {_DIGEST} {ox.Literal(manifest.to_hex(digest))} .")
            meta.append(f"{node} {_TRIPLES} {len(lines)} .")
            if key is not None:
                meta.append(f"{node} {_DOCUMENT_KEY} {ox.Literal(key)} .")
        parts.append((None, list(merged)))
        if self.dialect.graph_store:
            # Virtuoso applies an update request operation by operation anyway (no rollback
            # when a later one fails): PUT each graph, POST the merge, then the manifest.
            if ops:
                self.client.update(" ;\n".join(ops))
            for name, lines in parts:
                # Virtuoso answers 401 to the first, unauthenticated, body of a digest exchange
                # and closes the connection under a large one: send graphs in parts.
                for number, chunk in enumerate(_chunks(lines, GSP_BATCH)):
                    target = name or self.dialect.merged
                    self.client.send_graph(target, chunk, replace=bool(name) and number == 0)
            ops = []
        else:
            ops += self._inserts(parts)
        ops += [
            f"DELETE WHERE {{ GRAPH {_MANIFEST} {{ {ox.NamedNode(name)} ?p ?o }} }}"
            for name in replaced
        ]
        total = manifest.combine(store_digest, removed, added)
        meta.append(f"{_MANIFEST} {_DIGEST} {ox.Literal(manifest.to_hex(total))} .")
        ops.append(f"DELETE WHERE {{ GRAPH {_MANIFEST} {{ {_MANIFEST} {_DIGEST} ?d }} }}")
        ops.append("INSERT DATA {\n" + graph_block(manifest.MANIFEST_GRAPH, meta) + "\n}")
        self.client.update(" ;\n".join(ops))

    def _inserts(self, parts: list[tuple[str | None, list[str]]]) -> list[str]:
        """The INSERT DATA operation writing each graph's lines (None: the merged default
        graph)."""
        blocks = [
            self.dialect.merged_block(lines) if name is None else graph_block(name, lines)
            for name, lines in parts
            if lines
        ]
        return ["INSERT DATA {\n" + "\n".join(blocks) + "\n}"] if blocks else []

    def load_dump(self, source: str | os.PathLike[str] | BinaryIO, fmt: str) -> None:
        """Fill an empty remote store from a dump of named graphs (nquads or trig).

        Sent in requests of LOAD_BATCH triples, the manifest last: a load that fails midway
        leaves a store without a version, which `documents()` shows empty; clear it and load
        again. Graphs named `…/id/document/{key}/…` become document `key`'s graphs. A
        statistics graph is skipped: it is no data, and counts the dumped store's version."""
        if fmt not in DUMP_FORMATS:
            raise ValueError(f"unknown dump format {fmt!r}: use one of {', '.join(DUMP_FORMATS)}")
        if self.read_only:
            raise StoreError(f"store {self.location} is open read-only")
        if self._any_quad():
            raise StoreError(f"store {self.location} is not empty: a dump loads into a new store")
        lines: dict[str, dict[str, None]] = {}
        for quad in dump_quads(source, fmt):
            line = f"{quad.subject} {quad.predicate} {quad.object} ."
            lines.setdefault(quad.graph_name.value, {})[line] = None
        for name, graph_lines in lines.items():
            for chunk in _chunks(list(graph_lines), LOAD_BATCH):
                # Into the graph, and into the default graph (their merge).
                if self.dialect.graph_store:
                    for part in _chunks(chunk, GSP_BATCH):
                        self.client.send_graph(name, part, replace=False)
                        self.client.send_graph(self.dialect.merged, part, replace=False)  # type: ignore[arg-type]
                else:
                    self.client.update(" ;\n".join(self._inserts([(name, chunk), (None, chunk)])))
        meta, shares = [], []
        for name, graph_lines in lines.items():
            node = ox.NamedNode(name)
            digest = manifest.lines_digest(graph_lines)
            shares.append(manifest.graph_share(name, digest))
            meta.append(f"{node} {_DIGEST} {ox.Literal(manifest.to_hex(digest))} .")
            meta.append(f"{node} {_TRIPLES} {len(graph_lines)} .")
            match = _DOCUMENT_GRAPH.search(name)
            if match is not None:
                meta.append(f"{node} {_DOCUMENT_KEY} {ox.Literal(match.group(1))} .")
        total = manifest.to_hex(manifest.combine(0, [], shares))
        meta.append(f"{_MANIFEST} {_DIGEST} {ox.Literal(total)} .")
        self.client.update("INSERT DATA {\n" + graph_block(manifest.MANIFEST_GRAPH, meta) + "\n}")

    # manifest

    def _select(self, sparql: str) -> list[ox.QuerySolution]:
        """Solutions of lodpub's own query, sent as written (it names its graphs itself)."""
        response = self.client.query(sparql)
        results = _results(response, _SOLUTIONS, self.location, self.dialect)
        if not isinstance(results, ox.QuerySolutions):
            raise StoreError(f"remote store {self.location}: a SELECT gave no solutions")
        return list(results)

    def _any_quad(self) -> bool:
        graph = self.dialect.graph_filter("?g")
        default = self.dialect.merged_quads("?s ?p ?o")
        return bool(
            self._select(f"SELECT * WHERE {{ {{ {default} }} UNION {{ {graph} }} }} LIMIT 1")
        )

    def _graphs_of(self, key: str) -> set[str]:
        rows = self._select(
            f"SELECT ?g WHERE {{ GRAPH {_MANIFEST} {{ ?g {_DOCUMENT_KEY} {ox.Literal(key)} }} }}"
        )
        return {row["g"].value for row in rows}

    def _digests(self, names: Iterable[str]) -> dict[str, int | None]:
        """The manifest's digest of each graph, and of the store (under MANIFEST_GRAPH)."""
        wanted = [*names, manifest.MANIFEST_GRAPH]
        values = " ".join(str(ox.NamedNode(n)) for n in wanted)
        rows = self._select(
            f"SELECT ?g ?d WHERE {{ VALUES ?g {{ {values} }} "
            f"GRAPH {_MANIFEST} {{ ?g {_DIGEST} ?d }} }}"
        )
        found: dict[str, int | None] = dict.fromkeys(wanted)
        for row in rows:
            found[row["g"].value] = manifest.from_hex(row["d"].value)
        return found

    def documents(self) -> list[str]:
        """The keys of the documents in the store, sorted."""
        rows = self._select(
            f"SELECT DISTINCT ?k WHERE {{ GRAPH {_MANIFEST} {{ ?g {_DOCUMENT_KEY} ?k }} }}"
        )
        return sorted(row["k"].value for row in rows)

    def graph_names(self) -> list[str]:
        """Names of the data graphs the manifest lists, sorted."""
        rows = self._select(
            f"SELECT DISTINCT ?g WHERE {{ GRAPH {_MANIFEST} {{ ?g {_TRIPLES} ?n }} }}"
        )
        return sorted(row["g"].value for row in rows)

    def version(self) -> str:
        """A digest of the whole content (the manifest's): equal content, equal versions."""
        return manifest.to_hex(self._digests([]).get(manifest.MANIFEST_GRAPH) or 0)

    # reads

    def query(
        self,
        sparql: str,
        *,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
        prefixes: dict[str, str] | None = None,
        base_iri: str | None = None,
    ) -> ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean:
        """Evaluate a SPARQL query on the engine, with the embedded store's meaning: the default
        graph is the merge of the data graphs; `default_graph` / `named_graphs` replace the
        query's dataset; `prefixes` and `base_iri` are declared before the query.

        Raises SyntaxError for a malformed query (checked here first, so the message has line
        and column as on the embedded store), StoreError when the engine cannot answer."""
        # An empty store answers with the query's form at once, or with its syntax error.
        kind = ox.Store().query(sparql, prefixes=prefixes, base_iri=base_iri)
        prologue = "" if base_iri is None else f"BASE {ox.NamedNode(base_iri)}\n"
        prologue += "".join(
            f"PREFIX {name}: {ox.NamedNode(ns)}\n" for name, ns in (prefixes or {}).items()
        )
        given = default_graph is not None or named_graphs is not None
        if self.dialect.merged is not None and not given and not names_dataset(sparql):
            # The engine has no default graph of its own: name lodpub's dataset.
            default_graph = [self.dialect.merged]
            named_graphs = [*self.graph_names(), manifest.MANIFEST_GRAPH]
        graph = isinstance(kind, ox.QueryTriples)
        text = prologue + sparql
        response = self.client.query(
            self.dialect.describe(text) if graph else text,
            default_graphs=_names(default_graph, empty=named_graphs is not None),
            named_graphs=_names(named_graphs, empty=default_graph is not None),
            graph=graph,
        )
        return _results(response, kind, self.client.endpoints.query, self.dialect)

    def _data_quads(self) -> Iterator[ox.Quad]:
        for name in self.graph_names():
            node = ox.NamedNode(name)
            for row in self._select(f"SELECT ?s ?p ?o WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }}"):
                yield ox.Quad(row["s"], row["p"], row["o"], node)

    def _merged_triples(self) -> Iterator[ox.Triple]:
        merged = self.dialect.merged_quads("?s ?p ?o")
        for row in self._select(f"SELECT ?s ?p ?o WHERE {{ {merged} }} ORDER BY ?s"):
            yield ox.Triple(row["s"], row["p"], row["o"])

    def export(self, fmt: str, fp: BinaryIO) -> None:
        """Write the data as the embedded store does: nquads, trig and jsonld the named graphs
        (not the manifest), ttl the default graph (their merge)."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(
                f"unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}"
            )
        data = self._merged_triples() if fmt == "ttl" else self._data_quads()
        ox.serialize(data, fp, EXPORT_FORMATS[fmt], prefixes=_PREFIXES)

    def stats(self) -> dict:
        """Counts for people and for the web tier's dataset description."""
        return collect_stats(self)  # type: ignore[arg-type]

    def close(self) -> None:
        """Nothing is held open between requests; later calls raise StoreError."""
        self._view = None


class RemoteView:
    """The read side of `pyoxigraph.Store` the web tier uses, answered by the remote engine.

    With `remember` (one view per store version, as the web tier's snapshots are) the quads of
    each subject asked about are fetched in one request and kept: a page asks a dozen patterns
    about each of thousands of resources, and each would otherwise be a round trip."""

    def __init__(self, store: RemoteStore, *, remember: bool = False) -> None:
        self._store = store
        self._remember = remember
        self._subjects: OrderedDict[ox.NamedNode | ox.BlankNode, list[ox.Quad] | None] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def query(
        self,
        sparql: str,
        *,
        base_iri: str | None = None,
        prefixes: dict[str, str] | None = None,
        default_graph: list[ox.NamedNode] | list[str] | None = None,
        named_graphs: list[ox.NamedNode] | list[str] | None = None,
    ) -> ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean:
        return self._store.query(
            sparql,
            base_iri=base_iri,
            prefixes=prefixes,
            default_graph=_iris(default_graph),
            named_graphs=_iris(named_graphs),
        )

    def quads_for_pattern(
        self,
        subject: ox.NamedNode | ox.BlankNode | None,
        predicate: ox.NamedNode | None,
        object: Term | None,  # noqa: A002 - pyoxigraph's parameter name
        graph_name: ox.NamedNode | ox.DefaultGraph | None = None,
    ) -> Iterator[ox.Quad]:
        """The quads matching the pattern: in the default graph, a named graph, or (None) all."""
        if self._remember and subject is not None:
            known = self._subject_quads(subject)
            if known is not None:
                yield from (
                    q
                    for q in known
                    if (predicate is None or q.predicate == predicate)
                    and (object is None or q.object == object)
                    and (graph_name is None or q.graph_name == graph_name)
                )
                return
        s = "?s" if subject is None else str(subject)
        p = "?p" if predicate is None else str(predicate)
        o = "?o" if object is None else str(object)
        pattern = f"{s} {p} {o}"
        fixed = (subject, predicate, object)
        dialect = self._store.dialect
        if graph_name is None or graph_name == _DEFAULT:
            query = f"SELECT * WHERE {{ {dialect.merged_quads(pattern)} }}"
            for row in self._store._select(query):
                yield ox.Quad(*_fill(fixed, row), _DEFAULT)
        if graph_name is None:
            for row in self._store._select(
                f"SELECT * WHERE {{ {dialect.graph_filter('?g', pattern)} }}"
            ):
                yield ox.Quad(*_fill(fixed, row), row["g"])
        elif graph_name != _DEFAULT:
            query = f"SELECT * WHERE {{ GRAPH {graph_name} {{ {pattern} }} }}"
            for row in self._store._select(query):
                yield ox.Quad(*_fill(fixed, row), graph_name)

    def _subject_quads(self, subject: ox.NamedNode | ox.BlankNode) -> list[ox.Quad] | None:
        """Every quad of `subject` (default graph and named graphs), from one request and then
        kept; None for a subject with more than SUBJECT_QUADS, asked pattern by pattern."""
        with self._lock:
            if subject in self._subjects:
                self._subjects.move_to_end(subject)
                return self._subjects[subject]
        dialect = self._store.dialect
        pattern = f"{subject} ?p ?o"
        rows = self._store._select(
            f"SELECT ?g ?p ?o WHERE {{ {{ {dialect.merged_quads(pattern)} }} UNION "
            f"{{ {dialect.graph_filter('?g', pattern)} }} }} LIMIT {SUBJECT_QUADS + 1}"
        )
        found: list[ox.Quad] | None = [
            ox.Quad(subject, row["p"], row["o"], row["g"] or _DEFAULT) for row in rows
        ]
        if len(found) > SUBJECT_QUADS:
            found = None
        with self._lock:
            self._subjects[subject] = found
            if len(self._subjects) > SUBJECTS_KEPT:
                self._subjects.popitem(last=False)
        return found

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        """The data graphs the manifest lists, and the manifest graph itself."""
        for name in self._store.graph_names():
            yield ox.NamedNode(name)
        yield _MANIFEST

    def contains_named_graph(self, graph_name: ox.NamedNode) -> bool:
        # Sent as written, as the pattern look-ups are: Virtuoso answers true for a graph it
        # does not hold when the query comes with lodpub's dataset (the named-graph-uri list).
        query = f"SELECT * WHERE {{ GRAPH {graph_name} {{ ?s ?p ?o }} }} LIMIT 1"
        return bool(self._store._select(query))


def _fill(fixed: tuple[Term | None, ...], row: ox.QuerySolution) -> list[Term]:
    """The pattern's bound terms, and the row's values for the others."""
    return [row[v] if t is None else t for t, v in zip(fixed, ("s", "p", "o"), strict=True)]


def _iris(graphs: list[ox.NamedNode] | list[str] | None) -> list[str] | None:
    if graphs is None:
        return None
    return [g.value if isinstance(g, ox.NamedNode) else g for g in graphs]


def _names(graphs: list[str] | None, *, empty: bool) -> list[str] | None:
    """The Protocol's graph parameters: an empty list is a graph nothing is in (the Protocol has
    no way to say "no graph", and leaving the parameter out would mean "the query's own")."""
    if graphs is None:
        return None
    if not graphs and empty:
        return ["urn:x-lodpub:no-graph"]
    return graphs


def _results(
    response: Response,
    kind: ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean | None,
    url: str,
    dialect: Dialect,
) -> ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean:
    if isinstance(kind, ox.QueryTriples):
        fmt = _GRAPH_FORMATS.get(response.content_type)
        if fmt is None:
            raise StoreError(f"remote store {url} answered a graph as {response.content_type!r}")
        # pyoxigraph makes QueryTriples only from a query: ask one of a store holding the graph.
        graph = ox.Store()
        graph.load(response.body, format=fmt)
        return graph.query(_EVERYTHING)
    fmt = _RESULT_FORMATS.get(response.content_type)
    if fmt is None:
        raise StoreError(f"remote store {url} answered results as {response.content_type!r}")
    return ox.parse_query_results(dialect.results(response.body), format=fmt)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _unmerge(graphs: list[str], dialect: Dialect) -> str:
    """The update that removes from the merged default graph each triple of `graphs` no other
    data graph holds (run before they are dropped)."""
    names = [str(ox.NamedNode(g)) for g in graphs]
    kept = ", ".join(
        [*names, str(_MANIFEST), *(str(ox.NamedNode(g)) for g in dialect.kept_graphs())]
    )
    return (
        f"DELETE {{ {dialect.merged_quads('?s ?p ?o')} }} "
        f"WHERE {{ VALUES ?g {{ {' '.join(names)} }} GRAPH ?g {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER (?h NOT IN ({kept})) }} }}"
    )


def open_remote(
    url: str,
    *,
    read_only: bool,
    update: str | None = None,
    gsp: str | None = None,
    probe: bool = True,
) -> RemoteStore:
    """A store on the engine whose query endpoint `url` (sparql+http(s)://…) names.

    With `probe` the engine is asked a trivial query first (retried), so a store that is down
    is a StoreError naming its URL here rather than halfway through a command."""
    client = SparqlClient(endpoints(url, update=update, gsp=gsp))
    named = os.environ.get(ENV_DIALECT)
    if named and named not in DIALECTS:
        raise StoreError(f"{ENV_DIALECT}={named!r}: use one of {', '.join(DIALECTS)}")
    dialect = DIALECTS[named] if named else SPARQL11
    if probe:
        answer = client.query("ASK {}")
        dialect = dialect if named else detect(answer.server)
    return RemoteStore(
        client, location=client.endpoints.query, read_only=read_only, dialect=dialect
    )
