"""Evaluate one SPARQL query into a complete response body; and the process that does so.

The web tier runs queries against its on-disk store in worker processes started from this
module (`python -c "from lodpub.sparql_worker import main; main()"`), because pyoxigraph cannot
interrupt a query: a worker still computing at the time limit is killed, which is the only way
to give back its CPU and memory. Each worker has a data-segment limit (`RLIMIT_DATA`), so a
query that would fill the machine's memory ends that worker only. The module imports nothing
but pyoxigraph and a few light standard modules (not dataclasses or pathlib, which pull in
inspect, ast and urllib): a worker starts in a few tens of milliseconds, in ~7 MB (PSS).

Results are serialized through a sink that counts lines and watches the clock: rows are counted
on TSV (one solution per line) and graphs on N-Triples, then re-serialized into the requested
format. The body is built in full, so a client never gets a truncated result that looks complete.
"""

from __future__ import annotations

import os
import pickle
import resource
import signal
import sys
import threading
import time
from typing import NamedTuple

import pyoxigraph as ox

# The prefixes used for graph results in Turtle, TriG and RDF/XML are sent by the web tier.
Prefixes = dict[str, str]

# CPU seconds a worker may spend beyond a query's time limit before the kernel stops it; it
# only matters when the server that should have killed the worker is itself gone.
CPU_MARGIN = 5


class QueryError(Exception):
    """The query cannot be answered; `status` is the HTTP status to report."""

    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after

    def __reduce__(self) -> tuple[type, tuple[int, str, int | None]]:
        return (QueryError, (self.status, self.message, self.retry_after))


class _Stop(Exception):
    """Raised inside a serializer to stop evaluation."""


class Job(NamedTuple):
    """One query to evaluate; formats are media types (None: the client accepts none)."""

    query: str
    base_iri: str
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    solutions: str | None
    graph: str | None
    offered_solutions: tuple[str, ...]
    offered_graphs: tuple[str, ...]
    max_rows: int
    seconds: float
    prefixes: Prefixes


class Result(NamedTuple):
    """A complete response body."""

    body: bytes
    media_type: str
    truncated: bool
    kind: str  # "solutions", "boolean" or "graph"


def too_long(seconds: float) -> QueryError:
    return QueryError(
        503,
        f"The query was stopped after the time limit of {seconds:g} s "
        "(setting query_timeout). Narrow it down, e.g. with LIMIT or more specific patterns.",
    )


def out_of_memory(memory_mb: int) -> QueryError:
    return QueryError(
        503,
        f"The query was stopped: it needed more than the memory limit of {memory_mb} MiB "
        "(setting query_memory_mb). Narrow it down, e.g. with more specific patterns or without "
        "DISTINCT/ORDER BY over large results.",
    )


def evaluate(store: ox.Store, job: Job, cancelled: threading.Event, limit: float) -> Result:
    """The result of `job` on `store`, or QueryError; stops when `cancelled` is set or after
    `job.seconds` (`limit` is the configured time limit, for the message)."""
    deadline = time.monotonic() + job.seconds
    # Without graphs in the request, pyoxigraph reads the query's FROM / FROM NAMED, else
    # the store's default graph (lodpub keeps there the merge of the data graphs) and every
    # named graph. Graphs named by the request replace the query's (SPARQL 1.1 Protocol).
    options: dict[str, object] = {"base_iri": job.base_iri}
    if job.default_graphs is not None or job.named_graphs is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
    try:
        results = store.query(job.query, **options)
    except SyntaxError as exc:
        raise QueryError(400, _syntax_message(job.query, str(exc))) from None
    except (RuntimeError, ValueError) as exc:
        # pyoxigraph's evaluation errors caused by the query (e.g. an unknown function).
        raise QueryError(400, f"The query cannot be evaluated: {exc}") from None
    except OSError as exc:
        raise QueryError(500, f"The query failed on the server: {exc}") from None
    try:
        if isinstance(results, ox.QueryBoolean):
            media_type = _chosen(job.solutions, job.offered_solutions)
            syntax = ox.QueryResultsFormat.from_media_type(media_type)
            return Result(results.serialize(format=syntax), media_type, False, "boolean")
        sink = _CappedSink(deadline, cancelled)
        if isinstance(results, ox.QuerySolutions):
            return _solutions(results, job, sink)
        return _graph(results, job, sink)
    except _Stop:
        # Only the deadline stops a query without filling the sink.
        raise too_long(limit) from None
    except (RuntimeError, ValueError) as exc:
        raise QueryError(400, f"The query cannot be evaluated: {exc}") from None
    except OSError as exc:
        raise QueryError(500, f"The query failed on the server: {exc}") from None


def _solutions(results: ox.QuerySolutions, job: Job, sink: _CappedSink) -> Result:
    media_type = _chosen(job.solutions, job.offered_solutions)
    # The header line plus one line per solution.
    tsv, full = sink.fill(results, ox.QueryResultsFormat.TSV, job.max_rows + 1)
    syntax = ox.QueryResultsFormat.from_media_type(media_type)
    if syntax == ox.QueryResultsFormat.TSV:
        return Result(tsv, media_type, full, "solutions")
    parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    return Result(parsed.serialize(format=syntax), media_type, full, "solutions")


def _graph(results: ox.QueryTriples, job: Job, sink: _CappedSink) -> Result:
    media_type = _chosen(job.graph, job.offered_graphs)
    ntriples, full = sink.fill(results, ox.RdfFormat.N_TRIPLES, job.max_rows)
    syntax = ox.RdfFormat.from_media_type(media_type)
    if syntax == ox.RdfFormat.N_TRIPLES:
        return Result(ntriples, media_type, full, "graph")
    triples = [quad.triple for quad in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)]
    body = ox.serialize(triples, format=syntax, prefixes=job.prefixes)
    return Result(body, media_type, full, "graph")


def _chosen(media_type: str | None, offered: tuple[str, ...]) -> str:
    if media_type is None:
        raise QueryError(
            406,
            "None of the media types in Accept (or format=) is available for this query form. "
            f"Available: {', '.join(offered)}.",
        )
    return media_type


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


class _CappedSink:
    """A binary file for pyoxigraph serializers that counts lines and watches the clock."""

    def __init__(self, deadline: float, cancelled: threading.Event) -> None:
        self.deadline = deadline
        self.cancelled = cancelled
        self.max_lines = 0
        self.parts: list[bytes] = []
        self.lines = 0
        self.full = False

    def fill(
        self,
        results: ox.QuerySolutions | ox.QueryTriples,
        syntax: ox.QueryResultsFormat | ox.RdfFormat,
        max_lines: int,
    ) -> tuple[bytes, bool]:
        """Results serialised one per line up to `max_lines` lines, and whether the cap cut them."""
        self.max_lines = max_lines
        try:
            results.serialize(self, format=syntax)
        except _Stop:
            if not self.full:
                raise
        return self.text(), self.full

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


def main() -> None:
    """Serve jobs read from stdin, one pickled `(folder, limit, job)` at a time, answering each
    with a pickled Result or QueryError on stdout; exits at the end of stdin.

    The first argument is the memory limit in MiB. Only the web tier writes to stdin.
    """
    memory_mb = int(sys.argv[1])
    # Ctrl-C reaches the whole process group; the worker ends when the server closes stdin.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_DATA, (memory_mb * 2**20, memory_mb * 2**20))
    requests = os.fdopen(os.dup(0), "rb")
    answers = os.fdopen(os.dup(1), "wb")
    # Anything printed by accident must not corrupt the answers.
    os.dup2(2, 1)
    opened: tuple[str, ox.Store] | None = None
    never = threading.Event()
    while True:
        try:
            folder, limit, job = pickle.load(requests)
        except EOFError:
            return
        _limit_cpu(job.seconds)
        answer: Result | QueryError
        try:
            if opened is None or opened[0] != folder:
                opened = None
                opened = (folder, ox.Store.read_only(folder))
            answer = evaluate(opened[1], job, never, limit)
        except QueryError as exc:
            answer = exc
        except MemoryError:
            answer = out_of_memory(memory_mb)
        except OSError as exc:
            answer = QueryError(
                500, f"The store at {os.path.basename(folder)} cannot be read: {exc}"
            )
        pickle.dump(answer, answers)
        answers.flush()


def _limit_cpu(seconds: float) -> None:
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = used.ru_utime + used.ru_stime
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(spent + seconds) + CPU_MARGIN
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
