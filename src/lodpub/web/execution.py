"""Run SPARQL queries under a time limit, a row cap, a memory limit and admission control.

pyoxigraph cannot interrupt a query from outside. Queries on the server's own on-disk store
therefore run in worker processes (`lodpub.sparql_worker`): a worker still computing at the
time limit is killed and replaced, so a query that never produces a row cannot keep a CPU or
its memory, and each worker's memory is capped by the kernel. Queries on a store object (a
remote engine's view, which has its own limits) run on a thread pool and are stopped
cooperatively when they next write output.

At most `threads` queries run at once and `queue` more wait; any further request is answered
503 with Retry-After at once, so SPARQL never holds more than `threads + queue` of the web
server's threads and pages keep the rest.

A worker left idle for `WORKER_IDLE_SECONDS` is stopped: each worker opens the store itself, and
pyoxigraph gives every process that opens a store block caches of its own (up to ~160 MB once a
process has read widely), so a quiet server hands that memory back; the next query starts a
worker again (tens of milliseconds, and cold caches).
"""

from __future__ import annotations

import math
import os
import pickle
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

import lodpub
from lodpub.sparql_worker import Job, QueryError, Result, evaluate, out_of_memory, too_long
from lodpub.store.remote import RemoteView
from lodpub.vocab import PREFIXES as _VOCAB
from lodpub.web.conneg import GRAPH_FORMATS, SOLUTION_FORMATS, Format

__all__ = ["PREFIXES", "Answer", "Choice", "Dataset", "Executor", "QueryError"]

# Prefixes for graph results in Turtle, TriG and RDF/XML.
PREFIXES = {name: str(namespace) for name, namespace in _VOCAB.items()}

_FORMATS = {f.media_type: f for f in (*SOLUTION_FORMATS, *GRAPH_FORMATS)}
_WORKER = [sys.executable, "-c", "from lodpub.sparql_worker import main; main()"]
# Signals that end a worker which ran out of memory: Rust aborts, the kernel's OOM killer kills.
_OUT_OF_MEMORY = (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV)
# Seconds a query worker may wait for a query before it is stopped to free its memory.
WORKER_IDLE_SECONDS = 30.0


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


class Executor:
    """Runs queries for one app: `threads` at a time, `queue` more waiting, the rest refused."""

    def __init__(
        self,
        threads: int,
        timeout: float,
        max_rows: int,
        *,
        queue: int = 0,
        memory_mb: int = 1024,
        worker_idle: float = WORKER_IDLE_SECONDS,
    ) -> None:
        self.timeout = timeout
        self.max_rows = max_rows
        retry_after = max(1, math.ceil(timeout))
        self._admission = _Admission(threads + queue, retry_after)
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="sparql")
        self._workers = _Workers(threads, memory_mb, retry_after, worker_idle)

    def run(
        self,
        store: ox.Store | RemoteView | Path,
        query: str,
        *,
        dataset: Dataset,
        base_iri: str,
        choice: Choice,
    ) -> Answer:
        """The answer, or QueryError (400 syntax, 406 format, 503 time limit, memory limit or
        too many queries at once, 500 engine). A Path is an on-disk store, read by a worker."""
        deadline = time.monotonic() + self.timeout
        job = Job(
            query=query,
            base_iri=base_iri,
            default_graphs=dataset.default_graphs,
            named_graphs=dataset.named_graphs,
            solutions=choice.solutions.media_type if choice.solutions else None,
            graph=choice.graph.media_type if choice.graph else None,
            offered_solutions=tuple(f.media_type for f in SOLUTION_FORMATS),
            offered_graphs=tuple(f.media_type for f in GRAPH_FORMATS),
            max_rows=self.max_rows,
            seconds=self.timeout,
            prefixes=PREFIXES,
        )
        with self._admission.slot():
            if isinstance(store, Path):
                result = self._workers.run(str(store), job, deadline, self.timeout)
            else:
                result = self._in_thread(store, job, deadline)
        return Answer(result.body, _FORMATS[result.media_type], result.truncated, result.kind)

    def _in_thread(self, store: ox.Store | RemoteView, job: Job, deadline: float) -> Result:
        cancelled = threading.Event()
        future: Future[Result] = self._pool.submit(self._evaluate, store, job, deadline, cancelled)
        try:
            return future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            # The thread stops at its next write; a query computing without output keeps it.
            cancelled.set()
            raise too_long(self.timeout) from None

    def _evaluate(
        self, store: ox.Store, job: Job, deadline: float, cancelled: threading.Event
    ) -> Result:
        left = deadline - time.monotonic()
        if cancelled.is_set() or left <= 0:
            # It waited in the pool's queue past its deadline; the client has had its 503.
            raise too_long(self.timeout)
        return evaluate(store, _with_seconds(job, left), cancelled, self.timeout)

    @property
    def in_flight(self) -> int:
        """Queries admitted and not yet answered (running or waiting)."""
        return self._admission.count

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._workers.shutdown()


def _with_seconds(job: Job, seconds: float) -> Job:
    return job._replace(seconds=seconds)


class _Admission:
    """Counts queries in flight (running or waiting) and refuses those beyond the limit."""

    def __init__(self, limit: int, retry_after: int) -> None:
        self.limit = limit
        self.retry_after = retry_after
        self._lock = threading.Lock()
        self.count = 0

    @contextmanager
    def slot(self) -> Iterator[None]:
        with self._lock:
            if self.count >= self.limit:
                raise QueryError(
                    503,
                    f"The endpoint is answering {self.limit} queries already (settings "
                    "query_workers and query_queue); try again shortly.",
                    retry_after=self.retry_after,
                )
            self.count += 1
        try:
            yield
        finally:
            with self._lock:
                self.count -= 1


class _Workers:
    """Worker processes, started when first needed and stopped after `idle` seconds without a
    query; each serves one query at a time."""

    def __init__(self, size: int, memory_mb: int, retry_after: int, idle: float) -> None:
        self.size = size
        self.memory_mb = memory_mb
        self.retry_after = retry_after
        self.idle = idle
        # (worker, when it became idle), the most recently used last
        self._idle: list[tuple[subprocess.Popen[bytes], float]] = []
        self._started = 0
        self._changed = threading.Condition()
        self._closed = False
        self._stopping = threading.Event()
        self._reaper: threading.Thread | None = None

    def run(
        self, folder: str, job: Job, deadline: float, limit: float, *, retry: bool = True
    ) -> Result:
        worker = self._acquire(deadline)
        if worker is None:
            raise QueryError(
                503,
                f"The query waited {limit:g} s (setting query_timeout) for one of the "
                f"{self.size} query workers (setting query_workers) without getting one; "
                "try again shortly.",
                retry_after=self.retry_after,
            )
        assert worker.stdout is not None
        left = deadline - time.monotonic()
        try:
            self._send(worker, (folder, limit, _with_seconds(job, left)))
        except OSError:
            if not retry:
                raise self._crashed(worker) from None
            # It died while idle (killed from outside); a fresh one takes the query.
            self._discard(worker)
            return self.run(folder, job, deadline, limit, retry=False)
        try:
            ready, _, _ = select.select([worker.stdout], [], [], max(0.0, left))
            if not ready:
                self._discard(worker)
                raise too_long(limit)
            answer = pickle.load(worker.stdout)
        except (OSError, EOFError, pickle.UnpicklingError):
            raise self._crashed(worker) from None
        self._release(worker)
        if isinstance(answer, QueryError):
            raise answer
        return answer

    @staticmethod
    def _send(worker: subprocess.Popen[bytes], message: tuple[str, float, Job]) -> None:
        assert worker.stdin is not None
        pickle.dump(message, worker.stdin)
        worker.stdin.flush()

    def _acquire(self, deadline: float) -> subprocess.Popen[bytes] | None:
        with self._changed:
            while True:
                while self._idle:
                    worker, _ = self._idle.pop()
                    if worker.poll() is None:
                        return worker
                    self._started -= 1
                if self._started < self.size:
                    self._started += 1
                    if self._reaper is None:
                        self._reaper = threading.Thread(
                            target=self._reap, name="sparql-workers-reaper", daemon=True
                        )
                        self._reaper.start()
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._changed.wait(left)
        try:
            return self._spawn()
        except OSError as exc:
            with self._changed:
                self._started -= 1
                self._changed.notify()
            raise QueryError(500, f"A query process could not be started: {exc}") from None

    def _spawn(self) -> subprocess.Popen[bytes]:
        # The worker must import the same lodpub as this process, installed or not.
        source = str(Path(lodpub.__file__).parent.parent)
        path = os.pathsep.join(p for p in (source, os.environ.get("PYTHONPATH")) if p)
        return subprocess.Popen(
            [*_WORKER, str(self.memory_mb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": path},
        )

    def _release(self, worker: subprocess.Popen[bytes]) -> None:
        with self._changed:
            if self._closed:
                _stop(worker)
            else:
                self._idle.append((worker, time.monotonic()))
            self._changed.notify()

    def _discard(self, worker: subprocess.Popen[bytes]) -> int | None:
        code = _stop(worker)
        with self._changed:
            self._started -= 1
            self._changed.notify()
        return code

    def _crashed(self, worker: subprocess.Popen[bytes]) -> QueryError:
        try:
            code = worker.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        self._discard(worker)
        if code in _OUT_OF_MEMORY:
            return out_of_memory(self.memory_mb)
        return QueryError(500, f"The query process ended unexpectedly (exit status {code}).")

    def _reap(self) -> None:
        """Stop the workers idle for `idle` seconds; ends when no worker is left."""
        while not self._stopping.wait(self._until_next_expiry()):
            with self._changed:
                now = time.monotonic()
                stale = [w for w, since in self._idle if now - since >= self.idle]
                self._idle = [(w, since) for w, since in self._idle if now - since < self.idle]
                self._started -= len(stale)
                last = self._started == 0
                if last:
                    self._reaper = None
                self._changed.notify_all()
            for worker in stale:
                _stop(worker)
            if last:
                return

    def _until_next_expiry(self) -> float:
        with self._changed:
            oldest = min((since for _, since in self._idle), default=time.monotonic())
        return max(0.0, oldest + self.idle - time.monotonic())

    def shutdown(self) -> None:
        self._stopping.set()
        with self._changed:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker, _ in idle:
            _stop(worker)


def _stop(worker: subprocess.Popen[bytes]) -> int | None:
    worker.kill()
    code = worker.wait()
    for stream in (worker.stdin, worker.stdout):
        if stream is not None:
            stream.close()
    return code
