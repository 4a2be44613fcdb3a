"""The per-document pipeline the CLI wires: read → extract → resolve → model → validate → store."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

from lodpub import model
from lodpub.extract import extract
from lodpub.extract.mention import Mention
from lodpub.resolve import Authority, Resolution, resolve
from lodpub.sources import iter_files, read_path
from lodpub.sources.record import Record, SourceError
from lodpub.sources.result import ReadResult
from lodpub.store import Store
from lodpub.uris import Uris
from lodpub.validate import Report, validate

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


@dataclass
class Outcome:
    """What the pipeline made of one record; `timings` holds seconds per stage."""

    record: Record
    mentions: tuple[Mention, ...]
    resolution: Resolution
    dataset: Dataset
    report: Report
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.record.key

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

    @classmethod
    def prepare(cls, authority: Authority, uris: Uris) -> Setup:
        entities = authority.entities(uris).values()
        return cls(authority, uris, model.authority_graph(entities, uris), model.vocabulary_graph())

    def publish_shared(self, store: Store) -> None:
        """Write the vocabulary and authorities graphs, before any document refers to them."""
        store.replace_graph(self.uris.vocabulary_graph, self.vocabulary_graph)
        store.replace_graph(self.uris.authorities_graph, self.authority_graph)


def ingest_record(
    record: Record, authority: Authority, uris: Uris, *, authority_graph: Graph | None = None
) -> Outcome:
    """Extract, resolve, model and validate one record (against the curated entities it uses)."""
    timings: dict[str, float] = {}

    def timed(stage, fn, *args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        # One faulty record must not stop a batch: the failure is reported with its stage.
        except Exception as exc:
            raise StageError(record, stage, exc) from exc
        finally:
            timings[stage] = time.perf_counter() - start

    if authority_graph is None:
        authority_graph = model.authority_graph(authority.entities(uris).values(), uris)
    mentions = timed("extract", extract, record)
    resolution = timed("resolve", resolve, record, mentions, authority, uris)
    dataset = timed("model", model.build, resolution, uris)
    report = timed("validate", validate, dataset, extra=authority_graph)
    return Outcome(record, mentions, resolution, dataset, report, timings)


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
        self.triples += len(outcome.dataset)
        self.events.update(event.uri for event in outcome.resolution.events)
        for entity in outcome.resolution.entities.values():
            self.entities.setdefault(entity.kind, set()).add(entity.uri)
            if not entity.reviewed:
                self.unreviewed.add(entity.uri)

    def mean_ms(self) -> dict[str, float]:
        """Mean milliseconds per document for each stage that ran."""
        return {s: self.timings[s] * 1000 / self.runs[s] for s in STAGES if self.runs[s]}
