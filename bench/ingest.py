"""Ingest a corpus in-process through `lodpub.pipeline`, timing every stage of every record.

Run as its own process so that peak RSS (`ru_maxrss`) is the ingest's alone; prints one JSON
object: records/s end to end, per-stage median/p99 in ms, peak RSS, and the first refusals.

    python bench/ingest.py --corpus DIR --store DIR [--authority FILE]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from figures import summary

from lodpub.pipeline import STAGES, Setup, StageError, ingest_record, input_files, publish
from lodpub.resolve import Authority
from lodpub.sources import read_path
from lodpub.sources.record import SourceError
from lodpub.store import open as open_store
from lodpub.uris import DEFAULT_BASE, Uris

REFUSALS_KEPT = 5


def ingest(corpus: Path, store_path: Path, authority: Path, reports: Path) -> dict:
    """Publish every record of `corpus` into a plain Oxigraph store at `store_path`."""
    started = time.perf_counter()
    setup = Setup.prepare(Authority.load(authority), Uris(DEFAULT_BASE))
    timings: dict[str, list[float]] = {stage: [] for stage in ("read", *STAGES)}
    counts = {"published": 0, "refused": 0, "unreadable": 0, "failed": 0}
    refusals: list[dict] = []
    with open_store(f"oxigraph:{store_path}") as store:
        setup.publish_shared(store)
        for path in input_files([corpus]):
            t0 = time.perf_counter()
            try:
                result = read_path(path)
            except SourceError:
                counts["unreadable"] += 1
                continue
            records = result.records
            counts["unreadable"] += len(result.errors)
            if records:
                per_record = (time.perf_counter() - t0) / len(records)
                timings["read"].extend([per_record] * len(records))
            for record in records:
                try:
                    outcome = ingest_record(
                        record, setup.authority, setup.uris, authority_graph=setup.authority_graph
                    )
                    stored = publish(outcome, store, reports)
                except StageError:
                    counts["failed"] += 1
                    continue
                for stage, seconds in outcome.timings.items():
                    timings[stage].append(seconds)
                if stored:
                    counts["published"] += 1
                else:
                    counts["refused"] += 1
                    if len(refusals) < REFUSALS_KEPT:
                        refusals.append(_refusal(outcome))
        documents = len(store.documents())
    wall = time.perf_counter() - started
    total = sum(counts.values())
    return {
        "records": total,
        **counts,
        "documents_in_store": documents,
        "wall_s": wall,
        "records_per_s": total / wall if wall else 0.0,
        "stages_ms": {
            stage: summary([s * 1000 for s in values]) for stage, values in timings.items()
        },
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "refusals": refusals,
    }


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
    args = parser.parse_args()
    json.dump(ingest(args.corpus, args.store, args.authority, args.reports), sys.stdout)


if __name__ == "__main__":
    main()
