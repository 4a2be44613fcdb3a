"""The benchmark report (bench/report.py): the /sparql goal judged against the on-disk floor
with the in-memory ratio beside it, and the number of timed runs shown where it differs."""

from __future__ import annotations

import json

from bench_modules import bench_module

report = bench_module("report")


def figures(median: float, n: int = 20, planned: int = 20) -> dict:
    return {"median": median, "p99": median * 1.5, "n": n, "results": 5, "planned": planned}


def run(queries: dict) -> dict:
    return {"size": "1k", "missing": {}, "http": {}, "queries": queries}


def floor_goals(result: dict) -> list:
    return [g for g in report.goals(result) if "in-process pyoxigraph" in g.goal]


def test_the_sparql_goal_is_judged_against_the_on_disk_floor():
    result = run(
        {
            "lodpub": {"co_mentioned": figures(600), "describe": figures(2)},
            "pyoxigraph": {"co_mentioned": figures(200), "describe": figures(0.5)},
            "pyoxigraph-disk": {"co_mentioned": figures(550), "describe": figures(1.5)},
        }
    )
    (goal,) = floor_goals(result)  # describe takes under 10 ms on the floor
    assert goal.goal == "/sparql co_mentioned ≤ 1.2× in-process pyoxigraph on disk"
    assert round(goal.ratio, 2) == 1.09
    assert goal.status() == "met (in memory: 3.00×)"


def test_a_run_without_the_on_disk_floor_is_judged_against_memory_and_says_so():
    result = run(
        {"lodpub": {"co_mentioned": figures(600)}, "pyoxigraph": {"co_mentioned": figures(200)}}
    )
    (goal,) = floor_goals(result)
    assert goal.goal == "/sparql co_mentioned ≤ 1.2× in-process pyoxigraph in memory"
    assert goal.status() == "not met: 2.50× over (no on-disk floor in this run)"


def test_cells_show_the_runs_made_when_they_are_not_the_runs_asked_for():
    assert report._cell(figures(2.5), 20) == "2.5 / 3.8"
    assert report._cell(figures(2.5, n=3, planned=3), 20) == "2.5 / 3.8 (3 runs)"
    assert report._cell(figures(2.5, n=1, planned=3), 20) == (
        "2.5 / 3.8 (1 of 3 runs: the run's time limit)"
    )
    timed_out = {"error": "timed out after 19 s", "timed_out_ms": 19_400}
    assert report._cell(timed_out, 20) == "> 19 s (timed out)"
    assert report._cell({"median": 9.0, "p99": 9.0, "n": 1, "warm_up_only": True}, 20) == (
        "9.0 / 9.0 (1 run)"
    )


def test_the_report_skips_files_in_the_results_folder_that_are_not_runs(tmp_path):
    run = {"size": "200", "date": "2026-11-26T00:00:00Z"}
    (tmp_path / "2026-11-26-200.json").write_text(json.dumps(run))
    (tmp_path / "load.json").write_text(json.dumps({"phases": {}}))
    assert report.latest_by_size(tmp_path) == [run]
