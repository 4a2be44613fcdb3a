"""The gold set through the benchmark, against a running server: precision before recall."""

from __future__ import annotations

import json

import pytest

from bench_modules import bench_module
from reconcile_support import FIXTURES, served


@pytest.fixture(scope="module")
def report():
    with served() as url:
        yield bench_module("reconcile_bench", as_name="reconcile_bench").evaluate(
            url, FIXTURES / "gold.json"
        )


def test_the_gold_set_covers_every_kind_of_query():
    queries = json.loads((FIXTURES / "gold.json").read_text(encoding="utf-8"))["queries"]
    assert len(queries) >= 60
    assert len({q["id"] for q in queries}) == len(queries)
    categories = {q["category"] for q in queries}
    assert categories >= {"name form", "typo", "wrong type", "ambiguous", "not held", "property"}


def test_every_sure_match_is_right(report):
    assert len(report.matches) >= 50
    assert report.match_precision == 1.0, [o.id for o in report.matches if not o.right]


def test_precision_and_recall_stay_above_their_floors(report):
    assert report.precision_at_1 >= 0.95, "\n".join(report.lines())
    assert report.recall >= 0.9, "\n".join(report.lines())
