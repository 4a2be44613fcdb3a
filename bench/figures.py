"""Median and p99 of repeated measurements, the two figures every benchmark reports."""

from __future__ import annotations

import statistics


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation between closest ranks."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(values: list[float]) -> dict[str, float | int | None]:
    """`{"median", "p99", "n"}`; median and p99 are None when nothing was measured."""
    if not values:
        return {"median": None, "p99": None, "n": 0}
    return {"median": statistics.median(values), "p99": percentile(values, 99), "n": len(values)}
