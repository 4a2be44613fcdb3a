"""The per-document pipeline the CLI wires: read → extract → resolve → model → validate → store."""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph

from lodpub import model
from lodpub.extract import extract
from lodpub.extract.mention import Mention
from lodpub.resolve import Authority, Resolution, resolve
from lodpub.sources import iter_files, read_path
from lodpub.sources.record import Record, SourceError
from lodpub.sources.result import ReadResult
from lodpub.store import Store
from lodpub.store.writes import document_graphs
from lodpub.uris import Uris
from lodpub.validate import Context, Report, validate
from lodpub.validate.batch import validate_batch
from lodpub.validate.schema import schema
from lodpub.validate.shapes import shapes_graph

STAGES = ("extract", "resolve", "model", "validate", "store")


class StageError(Exception):
    """A stage failed on one record: names the record's source, its key and the stage."""

    def __init__(self, record: Record, stage: str, cause: Exception) -> None:
        self.record = record
        self.stage = stage
        self.cause = cause
        super().__init__(
            f"{record.source}: document {record.key}: {stage} failed: "
            f"{type(cause).__name__}: {cause}"
        )

    def __reduce__(self):
        return StageError, (self.record, self.stage, self.cause)


@dataclass
class Outcome:
    """What the pipeline made of one record; `timings` holds seconds per stage.

    An outcome sent back by a worker process has `dataset` None and its graphs in `graphs`
    (N-Triples lines per graph name, ready for the store): they cost far less to send."""

    record: Record
    mentions: tuple[Mention, ...]
    resolution: Resolution
    dataset: Dataset | None
    report: Report
    timings: dict[str, float] = field(default_factory=dict)
    graphs: dict[str, list[str]] | None = None
    triples: int = 0  # quads in the dataset

    def __post_init__(self) -> None:
        if self.dataset is not None:
            self.triples = len(self.dataset)

    @property
    def key(self) -> str:
        return self.record.key

    def portable(self) -> Outcome:
        """This outcome with its dataset as store-ready lines (only a conforming one is stored)."""
        if self.dataset is None:
            return self
        graphs = document_graphs(self.key, self.dataset) if self.conforms else {}
        return replace(self, dataset=None, graphs=graphs, triples=self.triples)

    @property
    def conforms(self) -> bool:
        return self.report.conforms


@dataclass
class Setup:
    """What every document of a run shares: the authority, the URI scheme, the shared graphs."""

    authority: Authority
    uris: Uris
    authority_graph: Graph
    vocabulary_graph: Graph
    # the authority graph prepared once for validating every document with it
    checked_authority: Context = field(init=False)

    def __post_init__(self) -> None:
        self.checked_authority = Context(self.authority_graph)

    @classmethod
    def prepare(cls, authority: Authority, uris: Uris) -> Setup:
        entities = authority.entities(uris).values()
        return cls(authority, uris, model.authority_graph(entities, uris), model.vocabulary_graph())

    def publish_shared(self, store: Store) -> None:
        """Write the vocabulary and authorities graphs, before any document refers to them."""
        store.replace_graph(self.uris.vocabulary_graph, self.vocabulary_graph)
        store.replace_graph(self.uris.authorities_graph, self.authority_graph)

    def ingest(self, record: Record) -> Outcome:
        """`ingest_record` with this run's authority; raises StageError."""
        return ingest_record(
            record, self.authority, self.uris, authority_graph=self.checked_authority
        )

    def ingest_batch(self, records: list[Record]) -> list[Outcome | StageError]:
        """`ingest` of each record, the modelled ones validated together (`validate_batch`):
        the same outcomes, each failure the record's own StageError."""
        done: list[Outcome | StageError | None] = []
        modelled: list[tuple[int, tuple[Mention, ...], Resolution, Dataset, dict]] = []
        for record in records:
            timings: dict[str, float] = {}
            try:
                mentions = _timed(record, timings, "extract", extract, record)
                resolution = _timed(
                    record, timings, "resolve", resolve, record, mentions, self.authority, self.uris
                )
                dataset = _timed(record, timings, "model", model.build, resolution, self.uris)
            except StageError as exc:
                done.append(exc)
                continue
            modelled.append((len(done), mentions, resolution, dataset, timings))
            done.append(None)
        start = time.perf_counter()
        reports = None
        try:
            reports = validate_batch([m[3] for m in modelled], extra=self.checked_authority)
            share = (time.perf_counter() - start) / max(len(modelled), 1)
        # a document pyshacl cannot take: each is validated alone, so the failure is its own
        except Exception:
            reports = None
        for n, (index, mentions, resolution, dataset, timings) in enumerate(modelled):
            record = records[index]
            if reports is None:
                try:
                    report = _timed(
                        record, timings, "validate", validate, dataset, extra=self.checked_authority
                    )
                except StageError as exc:
                    done[index] = exc
                    continue
            else:
                report, timings["validate"] = reports[n], share
            done[index] = Outcome(record, mentions, resolution, dataset, report, timings)
        return done  # type: ignore[return-value]  # every None was replaced


def ingest_record(
    record: Record,
    authority: Authority,
    uris: Uris,
    *,
    authority_graph: Graph | Context | None = None,
) -> Outcome:
    """Extract, resolve, model and validate one record (against the curated entities it uses)."""
    timings: dict[str, float] = {}
    if authority_graph is None:
        authority_graph = model.authority_graph(authority.entities(uris).values(), uris)
    mentions = _timed(record, timings, "extract", extract, record)
    resolution = _timed(record, timings, "resolve", resolve, record, mentions, authority, uris)
    dataset = _timed(record, timings, "model", model.build, resolution, uris)
    report = _timed(record, timings, "validate", validate, dataset, extra=authority_graph)
    return Outcome(record, mentions, resolution, dataset, report, timings)


def _timed(record: Record, timings: dict[str, float], stage: str, fn, *args, **kwargs):
    """`fn(*args, **kwargs)`, its seconds in `timings[stage]`; a failure as a StageError."""
    start = time.perf_counter()
    try:
        return fn(*args, **kwargs)
    # One faulty record must not stop a batch: the failure is reported with its stage.
    except Exception as exc:
        raise StageError(record, stage, exc) from exc
    finally:
        timings[stage] = time.perf_counter() - start


def publish(outcome: Outcome, store: Store, reports: Path) -> bool:
    """Store a conforming document (and drop its stale report); save the report of one that
    does not conform as `reports/<key>.ttl` and leave the store untouched. True if stored."""
    report_file = reports / f"{outcome.key}.ttl"
    if not outcome.conforms:
        reports.mkdir(parents=True, exist_ok=True)
        outcome.report.graph.serialize(report_file, format="turtle")
        return False
    start = time.perf_counter()
    try:
        if outcome.dataset is None:
            store.replace_document_graphs(outcome.key, outcome.graphs or {})
        else:
            store.replace_document(outcome.key, outcome.dataset)
    except Exception as exc:
        raise StageError(outcome.record, "store", exc) from exc
    outcome.timings["store"] = time.perf_counter() - start
    report_file.unlink(missing_ok=True)
    return True


@dataclass
class Read:
    """One input file and what reading it gave."""

    path: Path
    result: ReadResult


def input_files(paths: Iterable[Path]) -> list[Path]:
    """The files to read: the given ones, and those found in the given folders."""
    return list(iter_files(paths))


def read_inputs(files: Iterable[Path], mapping=None) -> Iterator[Read]:
    """Each file, read; a file that cannot be read at all gives one error."""
    for path in files:
        try:
            result = read_path(path, mapping)
        except SourceError as err:
            result = ReadResult(errors=[err])
        yield Read(path, result)


BATCH = 8  # records validated in one pyshacl call (lodpub.validate.batch)


def outcomes(
    reads: Iterable[Read], setup: Setup, *, jobs: int = 1
) -> Iterator[Read | Outcome | StageError]:
    """Each read, then the outcome (or StageError) of each of its records, in input order.

    Records go through extract…validate in batches of `BATCH` (across files). With `jobs` > 1
    the batches go to that many worker processes (forked with the shapes and the schema
    already loaded); their outcomes are `portable`."""
    schema(), shapes_graph()  # loaded before the heap is frozen (and inherited by workers)
    with _long_lived_heap_frozen():
        if jobs <= 1:
            yield from _in_order(reads, setup.ingest_batch, window=BATCH)
            return
        # A worker that dies (killed, out of memory) breaks the pool: every pending result then
        # raises BrokenProcessPool instead of waiting forever.
        with ProcessPoolExecutor(
            jobs,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
            initargs=(setup, os.getpid()),
        ) as pool:
            # records in flight: every worker busy, memory bounded whatever the corpus size
            window = 2 * jobs * BATCH
            yield from _in_order(reads, partial(pool.submit, _ingest_portable), window=window)


def _in_order(
    reads: Iterable[Read], start: Callable[[list[Record]], Any], *, window: int
) -> Iterator[Read | Outcome | StageError]:
    """Each read, then its records' outcomes, the records handed to `start` in batches (it
    returns their outcomes, or a Future of them); at most `window` records wait for theirs."""
    pending: deque[Read | tuple[list, int]] = deque()  # a read, or (its batch's box, index)
    batch: list[Record] = []
    box: list = []  # receives what `start` returns for `batch`

    def flush() -> None:
        nonlocal batch, box
        if batch:
            box.append(start(batch))
            batch, box = [], []

    def settled(item: Read | tuple[list, int]) -> Read | Outcome | StageError:
        if isinstance(item, Read):
            return item
        result_box, index = item
        if not result_box:
            flush()
        result = result_box[0]
        return (result.result() if isinstance(result, Future) else result)[index]

    waiting = 0  # records in `pending`

    def ready(limit: int) -> Iterator[Read | Outcome | StageError]:
        nonlocal waiting
        while pending and (isinstance(pending[0], Read) or waiting > limit):
            item = pending.popleft()
            waiting -= not isinstance(item, Read)
            yield settled(item)

    for read in reads:
        pending.append(read)
        for record in read.result.records:
            pending.append((box, len(batch)))
            waiting += 1
            batch.append(record)
            if len(batch) == BATCH:
                flush()
            yield from ready(window)
        yield from ready(window)
    flush()
    yield from ready(0)


@contextmanager
def _long_lived_heap_frozen() -> Iterator[None]:
    """Spare the cyclic garbage collector the shapes, the ontology and the authority.

    Without it a full collection walks them all every few documents: the model stage's p99
    was ten times its median. The setting is restored afterwards."""
    threshold = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(max(threshold[0], 10_000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


_worker_setup: Setup | None = None


def _start_worker(setup: Setup, parent: int) -> None:
    global _worker_setup
    _worker_setup = setup

    # A worker whose parent was killed would otherwise wait for tasks forever.
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _ingest_portable(records: list[Record]) -> list[Outcome | StageError]:
    assert _worker_setup is not None, "worker started without a setup"
    return [_portable(item) for item in _worker_setup.ingest_batch(records)]


def _portable(item: Outcome | StageError) -> Outcome | StageError:
    if isinstance(item, StageError):
        return item
    try:
        return item.portable()
    # what the store would refuse in `publish`, found while making the lines
    except Exception as exc:
        return StageError(item.record, "store", exc)


@dataclass
class Tally:
    """Counts for the end-of-run summary."""

    published: int = 0
    refused: int = 0
    unreadable: int = 0
    failed: int = 0
    triples: int = 0
    entities: dict[str, set[str]] = field(default_factory=dict)
    unreviewed: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    timings: Counter[str] = field(default_factory=Counter)  # seconds per stage, summed
    runs: Counter[str] = field(default_factory=Counter)  # documents each stage ran on

    @property
    def ok(self) -> bool:
        return not (self.refused or self.unreadable or self.failed)

    def add(self, outcome: Outcome, *, published: bool) -> None:
        self.timings.update(outcome.timings)
        self.runs.update(outcome.timings.keys())
        if not published:
            self.refused += 1
            return
        self.published += 1
        self.triples += outcome.triples
        self.events.update(event.uri for event in outcome.resolution.events)
        for entity in outcome.resolution.entities.values():
            self.entities.setdefault(entity.kind, set()).add(entity.uri)
            if not entity.reviewed:
                self.unreviewed.add(entity.uri)

    def mean_ms(self) -> dict[str, float]:
        """Mean milliseconds per document for each stage that ran."""
        return {s: self.timings[s] * 1000 / self.runs[s] for s in STAGES if self.runs[s]}
