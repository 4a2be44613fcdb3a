"""Run one SPARQL query under a time limit and a row cap, into a complete response body.

pyoxigraph cannot interrupt a query from outside, so each query runs on a pool thread and is
stopped cooperatively: its results are serialized through a sink that raises as soon as the
deadline has passed or the row cap is exceeded. The request thread waits only until the
deadline; a query still computing then (no output yet) keeps its pool thread until it writes
its first bytes or finishes, and the client has already had its 503. The body is built in
full before anything is sent, so a client never receives a truncated result that looks
complete: it gets an error, or a result announced as truncated.

Rows are counted on TSV, where every solution is exactly one line, and then re-serialized into
the requested format by pyoxigraph (graphs likewise through N-Triples).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

import pyoxigraph as ox

from lodpub.vocab import PREFIXES as _VOCAB
from lodpub.web.conneg import GRAPH_FORMATS, N_TRIPLES, SOLUTION_FORMATS, TSV, Format

# Prefixes for graph results in Turtle, TriG and RDF/XML.
PREFIXES = {name: str(namespace) for name, namespace in _VOCAB.items()}


class QueryError(Exception):
    """The query cannot be answered; `status` is the HTTP status to report."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class _Stop(Exception):
    """Raised inside a serializer to stop evaluation."""


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset of one request: None = the default; lists = exactly these graphs."""

    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None

    @property
    def given(self) -> bool:
        return self.default_graphs is not None or self.named_graphs is not None


@dataclass(frozen=True)
class Answer:
    """A complete response body."""

    body: bytes
    format: Format
    truncated: bool
    kind: str  # "solutions", "boolean" or "graph"


@dataclass(frozen=True)
class Choice:
    """The negotiated format for each query form; None means the client accepts none (406)."""

    solutions: Format | None
    graph: Format | None


class _CappedSink:
    """A binary file for pyoxigraph serializers that counts lines and watches the clock."""

    def __init__(self, max_lines: int, deadline: float, cancelled: threading.Event) -> None:
        self.max_lines = max_lines
        self.deadline = deadline
        self.cancelled = cancelled
        self.parts: list[bytes] = []
        self.lines = 0
        self.full = False

    def write(self, data: bytes) -> int:
        if self.cancelled.is_set() or time.monotonic() > self.deadline:
            raise _Stop
        chunk = bytes(data)
        self.parts.append(chunk)
        self.lines += chunk.count(b"\n")
        if self.lines > self.max_lines:
            self.full = True
            raise _Stop
        return len(chunk)

    def flush(self) -> None:
        """pyoxigraph flushes at the end; everything is already in memory."""

    def text(self) -> bytes:
        """The first `max_lines` complete lines written."""
        data = b"".join(self.parts)
        if not self.full:
            return data
        end = -1
        for _ in range(self.max_lines):
            end = data.index(b"\n", end + 1)
        return data[: end + 1]


class Executor:
    """Runs queries on a thread pool; one per app."""

    def __init__(self, threads: int, timeout: float, max_rows: int) -> None:
        self.timeout = timeout
        self.max_rows = max_rows
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="sparql")

    def run(
        self,
        store: ox.Store,
        query: str,
        *,
        dataset: Dataset,
        base_iri: str,
        choice: Choice,
    ) -> Answer:
        """The answer, or QueryError (400 syntax, 406 format, 503 time limit, 500 engine)."""
        deadline = time.monotonic() + self.timeout
        cancelled = threading.Event()
        future: Future[Answer] = self._pool.submit(
            self._evaluate,
            store,
            query,
            dataset,
            base_iri,
            choice,
            deadline,
            cancelled,
        )
        try:
            return future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            cancelled.set()
            raise self._too_long() from None

    def _too_long(self) -> QueryError:
        return QueryError(
            503,
            f"The query was stopped after the time limit of {self.timeout:g} s "
            "(setting query_timeout). Narrow it down, e.g. with LIMIT or more specific patterns.",
        )

    def _evaluate(
        self,
        store: ox.Store,
        query: str,
        dataset: Dataset,
        base_iri: str,
        choice: Choice,
        deadline: float,
        cancelled: threading.Event,
    ) -> Answer:
        if cancelled.is_set():
            # It waited in the pool's queue past its deadline; the client has had its 503.
            raise self._too_long()
        # Without graphs in the request, pyoxigraph reads the query's FROM / FROM NAMED, else
        # the store's default graph (lodpub keeps there the merge of the data graphs) and every
        # named graph. Graphs named by the request replace the query's (SPARQL 1.1 Protocol).
        options: dict[str, object] = {"base_iri": base_iri}
        if dataset.given:
            options["default_graph"] = [ox.NamedNode(g) for g in dataset.default_graphs or ()]
            options["named_graphs"] = [ox.NamedNode(g) for g in dataset.named_graphs or ()]
        try:
            results = store.query(query, **options)
        except SyntaxError as exc:
            raise QueryError(400, _syntax_message(query, str(exc))) from None
        except (RuntimeError, ValueError) as exc:
            # pyoxigraph's evaluation errors caused by the query (e.g. an unknown function).
            raise QueryError(400, f"The query cannot be evaluated: {exc}") from None
        except OSError as exc:
            raise QueryError(500, f"The query failed on the server: {exc}") from None
        try:
            if isinstance(results, ox.QueryBoolean):
                fmt = _chosen(choice.solutions, SOLUTION_FORMATS)
                return Answer(results.serialize(format=fmt.syntax), fmt, False, "boolean")
            if isinstance(results, ox.QuerySolutions):
                return self._solutions(results, choice, deadline, cancelled)
            return self._graph(results, choice, deadline, cancelled)
        except _Stop:
            # Only the deadline stops a query without filling the sink.
            raise self._too_long() from None
        except (RuntimeError, ValueError) as exc:
            raise QueryError(400, f"The query cannot be evaluated: {exc}") from None
        except OSError as exc:
            raise QueryError(500, f"The query failed on the server: {exc}") from None

    def _solutions(
        self,
        results: ox.QuerySolutions,
        choice: Choice,
        deadline: float,
        cancelled: threading.Event,
    ) -> Answer:
        fmt = _chosen(choice.solutions, SOLUTION_FORMATS)
        # The header line plus one line per solution.
        tsv, full = _capped(
            results, ox.QueryResultsFormat.TSV, self.max_rows + 1, deadline, cancelled
        )
        if fmt is TSV:
            return Answer(tsv, fmt, full, "solutions")
        parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
        return Answer(parsed.serialize(format=fmt.syntax), fmt, full, "solutions")

    def _graph(
        self,
        results: ox.QueryTriples,
        choice: Choice,
        deadline: float,
        cancelled: threading.Event,
    ) -> Answer:
        fmt = _chosen(choice.graph, GRAPH_FORMATS)
        ntriples, full = _capped(
            results, ox.RdfFormat.N_TRIPLES, self.max_rows, deadline, cancelled
        )
        if fmt is N_TRIPLES:
            return Answer(ntriples, fmt, full, "graph")
        triples = [quad.triple for quad in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)]
        body = ox.serialize(triples, format=fmt.syntax, prefixes=PREFIXES)
        return Answer(body, fmt, full, "graph")

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _chosen(fmt: Format | None, offered: Sequence[Format]) -> Format:
    if fmt is None:
        raise QueryError(
            406,
            "None of the media types in Accept (or format=) is available for this query form. "
            f"Available: {', '.join(f.media_type for f in offered)}.",
        )
    return fmt


def _syntax_message(query: str, message: str) -> str:
    """The parser's message, with the offending line and a caret under the position."""
    text = f"Malformed query: {message}"
    position = message.removeprefix("error at ").split(":", 2)
    if len(position) < 2 or not position[0].isdigit() or not position[1].isdigit():
        return text
    line_no, column = int(position[0]), int(position[1])
    lines = query.splitlines()
    if not 1 <= line_no <= len(lines):
        return text
    return f"{text}\n\n{lines[line_no - 1]}\n{' ' * max(column - 1, 0)}^"


def _capped(
    results: ox.QuerySolutions | ox.QueryTriples,
    syntax: ox.QueryResultsFormat | ox.RdfFormat,
    lines: int,
    deadline: float,
    cancelled: threading.Event,
) -> tuple[str, bool]:
    """Results serialised one per line up to `lines` lines, and whether the cap cut them."""
    sink = _CappedSink(lines, deadline, cancelled)
    try:
        results.serialize(sink, format=syntax)
    except _Stop:
        if not sink.full:
            raise
    return sink.text(), sink.full
