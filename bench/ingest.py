"""Ingest a corpus in-process through `lodpub.pipeline`, timing every stage of every record.

Run as its own process so that peak RSS (`ru_maxrss`) is the ingest's alone; prints one JSON
object: records/s end to end, per-stage median/p99 in ms, peak RSS, and the first refusals.

    python bench/ingest.py --corpus DIR --store DIR [--authority FILE] [--jobs N]

With --jobs N (default: the CPUs) records are extracted, modelled and validated in N worker
processes, as `lodpub ingest` does; their stage timings are measured in the workers.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from figures import summary

from lodpub.pipeline import (
    STAGES,
    Read,
    Setup,
    StageError,
    input_files,
    outcomes,
    publish,
    read_inputs,
)
from lodpub.resolve import Authority
from lodpub.store import generations, text_index
from lodpub.store import open as open_store
from lodpub.uris import DEFAULT_BASE, Uris

REFUSALS_KEPT = 5


def ingest(corpus: Path, store_path: Path, authority: Path, reports: Path, jobs: int) -> dict:
    """Publish every record of `corpus` into a plain Oxigraph store at `store_path`, then give
    it what a published generation gets (statistics graph, compaction, text index)."""
    started = time.perf_counter()
    setup = Setup.prepare(Authority.load(authority), Uris(DEFAULT_BASE))
    timings: dict[str, list[float]] = {stage: [] for stage in ("read", *STAGES)}
    counts = {"published": 0, "refused": 0, "unreadable": 0, "failed": 0}
    refusals: list[dict] = []
    with open_store(f"oxigraph:{store_path}") as store:
        store.unpublished = True  # as in the new generation `lodpub ingest` builds
        setup.publish_shared(store)
        reads = timed_reads(input_files([corpus]), timings["read"])
        for item in outcomes(reads, setup, jobs=jobs):
            if isinstance(item, Read):
                counts["unreadable"] += len(item.result.errors)
                continue
            if isinstance(item, StageError):
                counts["failed"] += 1
                continue
            try:
                stored = publish(item, store, reports)
            except StageError:
                counts["failed"] += 1
                continue
            for stage, seconds in item.timings.items():
                timings[stage].append(seconds)
            if stored:
                counts["published"] += 1
            else:
                counts["refused"] += 1
                if len(refusals) < REFUSALS_KEPT:
                    refusals.append(_refusal(item))
        documents = len(store.documents())
    # What `lodpub ingest` does before a generation goes live: statistics, compaction, index.
    began = time.perf_counter()
    generations.finish(store_path, text_index.index_folder(store_path, generations=False))
    publish_s = time.perf_counter() - began
    wall = time.perf_counter() - started
    total = sum(counts.values())
    return {
        "records": total,
        **counts,
        "documents_in_store": documents,
        "jobs": jobs,
        "wall_s": wall,
        "publish_s": publish_s,
        "records_per_s": total / wall if wall else 0.0,
        "stages_ms": {
            stage: summary([s * 1000 for s in values]) for stage, values in timings.items()
        },
        "peak_rss_mb": peak_rss_mb(),
        "refusals": refusals,
    }


def timed_reads(files: Iterable[Path], seconds: list[float]) -> Iterator[Read]:
    """Each file read, its reading time shared out over its records into `seconds`."""
    for path in files:
        began = time.perf_counter()
        (read,) = read_inputs([path])
        records = len(read.result.records)
        seconds.extend([(time.perf_counter() - began) / records] * records if records else [])
        yield read


def peak_rss_mb() -> float:
    """Peak RSS of this process and of its largest worker."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + workers) / 1024


def _refusal(outcome) -> dict:
    results = [
        {"shape": str(r.shape), "path": str(r.path), "message": str(r.message)}
        for r in outcome.report.results[:3]
    ]
    return {"key": outcome.key, "source": outcome.record.source, "results": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--authority", type=Path, default=Path("authority/authority.toml"))
    parser.add_argument("--reports", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args()
    figures = ingest(args.corpus, args.store, args.authority, args.reports, args.jobs)
    json.dump(figures, sys.stdout)


if __name__ == "__main__":
    main()
