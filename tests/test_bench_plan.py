"""How the benchmark spends its time on the query mix (bench/workload.py), on a fake clock:
every query gets at least 3 timed runs, fewer than --repeats when the time is short, and the
count made is reported; a query over its time-out is reported as timed out, not run again."""

from __future__ import annotations

import subprocess

import pytest

from bench_modules import bench_module

workload = bench_module("workload")


class Clock:
    """Seconds that pass only when a fake query runs."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def query(clock: Clock, seconds: float, rows: int = 7, *, times_out_after: int | None = None):
    """A fake query taking `seconds` per run; with `times_out_after`, every later run times
    out after `seconds`."""

    def run() -> int:
        run.calls += 1
        clock.now += seconds
        if times_out_after is not None and run.calls > times_out_after:
            raise TimeoutError
        return rows

    run.calls = 0
    return run


def plan(seconds: float, most: int = 20, query_seconds: float = 20.0, timeout: float = 60.0):
    return workload.QueryPlan(seconds, most, query_seconds, timeout)


def test_cheap_queries_get_every_repeat():
    clock = Clock()
    runs = {"a": query(clock, 0.001), "b": query(clock, 0.002)}
    out = workload.measure_engine(runs, plan(100), clock=clock)
    for name, figures in out.items():
        assert figures["n"] == 20 and figures["results"] == 7, name
        assert runs[name].calls == 21, name  # the warm-up is not kept
    assert out["a"]["median"] == pytest.approx(1.0)


def test_slow_queries_get_fewer_runs_to_fit_the_share_but_never_under_three():
    clock = Clock()
    runs = {"slow": query(clock, 2.0), "fast": query(clock, 0.01)}
    out = workload.measure_engine(runs, plan(30, query_seconds=1000), clock=clock)
    # 2 warm-ups and 2 first runs take 4.02 s; 25.98 s left fit 12 more of each pair.
    assert out["slow"]["n"] == out["fast"]["n"] == 13
    assert clock.now <= 30
    clock = Clock()
    runs = {"slow": query(clock, 2.0), "fast": query(clock, 0.01)}
    out = workload.measure_engine(runs, plan(5, query_seconds=1000), clock=clock)
    assert out["slow"]["n"] == out["fast"]["n"] == workload.LEAST_RUNS


def test_a_query_stops_past_its_seconds_once_three_runs_are_made():
    clock = Clock()
    runs = {"slow": query(clock, 1.5), "fast": query(clock, 0.001)}
    out = workload.measure_engine(runs, plan(1000, query_seconds=6), clock=clock)
    assert out["slow"]["n"] == 4 and out["slow"]["planned"] == 4
    assert out["fast"]["n"] == 20
    clock = Clock()
    runs = {"slower": query(clock, 10.0)}
    out = workload.measure_engine(runs, plan(1000, query_seconds=6), clock=clock)
    assert out["slower"]["n"] == workload.LEAST_RUNS


def test_a_query_that_times_out_is_reported_so_and_not_run_again():
    clock = Clock()
    runs = {"stuck": query(clock, 8.0, times_out_after=0), "ok": query(clock, 0.01)}
    out = workload.measure_engine(runs, plan(100), clock=clock)
    assert runs["stuck"].calls == 1
    assert out["stuck"]["timed_out_ms"] == pytest.approx(8000)
    assert out["stuck"]["error"] == "timed out after 8 s"
    assert out["ok"]["n"] == 20
    clock = Clock()
    runs = {"late": query(clock, 1.0, times_out_after=3)}
    out = workload.measure_engine(runs, plan(100), clock=clock)
    assert "timed_out_ms" in out["late"] and runs["late"].calls == 4


def test_a_failing_query_is_reported_with_its_error():
    def broken() -> int:
        raise RuntimeError("HTTP 500: b'boom'")

    out = workload.measure_engine({"q": broken}, plan(10), clock=Clock())
    assert out["q"] == {"error": "RuntimeError: HTTP 500: b'boom'"}


def test_the_time_limit_ends_the_runs_and_the_count_says_how_many_were_made():
    clock = Clock()
    runs = {"a": query(clock, 1.0), "b": query(clock, 1.0)}
    out = workload.measure_engine(runs, plan(100), clock=clock, stop=lambda: clock.now >= 10)
    assert out["a"]["n"] == 7 and out["a"]["planned"] == 20
    assert out["b"]["n"] == 1  # its first timed run, made before the limit


def test_each_engine_plans_on_an_equal_share_of_what_is_left():
    first = workload.engine_plan(400, 4, 20, 20.0, 60.0)
    # a query just under its time-out, warm-up and 3 runs: half of the 400 s left
    assert first.seconds == 100 and first.timeout == 50 and first.most == 20
    assert workload.engine_plan(4000, 4, 20, 20.0, 60.0).timeout == 60  # --request-timeout
    tight = workload.engine_plan(8, 4, 20, 20.0, 60.0)
    assert tight.seconds == 2 and tight.timeout == workload.MIN_QUERY_TIMEOUT
    assert workload.engine_plan(-3, 2, 20, 20.0, 60.0).seconds == 0


def test_past_the_time_limit_the_queries_not_begun_are_reported_skipped():
    clock = Clock()
    runs = {"a": query(clock, 4.0), "b": query(clock, 4.0), "c": query(clock, 4.0)}
    out = workload.measure_engine(runs, plan(100), clock=clock, stop=lambda: clock.now >= 8)
    assert out["a"]["n"] == 1 and runs["a"].calls == 2  # warm-up and first run: 8 s
    assert out["b"] == out["c"] == {"error": "skipped: the run's time limit was reached"}
    assert runs["b"].calls == runs["c"].calls == 0


def test_forms_are_kept_with_the_figures():
    clock = Clock()
    run = query(clock, 0.001)
    run.form = "text index: GET /search.json?in=title"
    out = workload.measure_engine({"title_search": run}, plan(10), clock=clock)
    assert out["title_search"]["form"] == run.form


def test_after_a_time_out_the_engine_is_let_settle_before_the_next_query():
    clock = Clock()
    order: list[str] = []
    stuck = query(clock, 8.0, times_out_after=0)
    runs = {"stuck": stuck, "next": query(clock, 0.01)}
    runs["next"] = _logged(runs["next"], order, "next")
    out = workload.measure_engine(
        runs, plan(100), clock=clock, settle=lambda: order.append("settle")
    )
    assert "timed_out_ms" in out["stuck"] and out["next"]["n"] == 20
    assert order[0] == "settle" and order.count("settle") == 1
    settled: list[int] = []
    runs = {"first": query(clock, 0.01), "last": query(clock, 8.0, times_out_after=0)}
    workload.measure_engine(runs, plan(100), clock=clock, settle=lambda: settled.append(1))
    assert settled == [1]  # before the repeats of the query asked before it
    settled.clear()
    runs = {"only": query(clock, 8.0, times_out_after=0)}
    workload.measure_engine(runs, plan(100), clock=clock, settle=lambda: settled.append(1))
    assert settled == []  # nothing follows on this engine


def _logged(run, order: list[str], name: str):
    def logged() -> int:
        order.append(name)
        return run()

    return logged


def test_lodpub_gets_its_queries_first_and_every_engine_has_its_turn():
    run = bench_module("run")
    engines = {"pyoxigraph", "pyoxigraph-disk", "lodpub", *run.PEER_STARTERS}
    assert set(run.QUERY_ORDER) == engines
    assert run.QUERY_ORDER[:2] == ("lodpub", "pyoxigraph-disk")  # the /sparql goal's floor
    assert run.QUERY_ORDER[-1] == "rdflib-endpoint"


def test_a_new_ingest_leaves_no_dumps_of_an_earlier_run_to_be_served(tmp_path, monkeypatch):
    """Equal content has the same version: dumps left by an earlier run would be served as
    they are, and the run would time no dump writing at all."""
    run = bench_module("run")
    earlier = tmp_path / "store.dumps" / "same-version"
    earlier.mkdir(parents=True)
    (earlier / "manifest.json").write_text("{}")
    ingested = subprocess.CompletedProcess([], 0, stdout='{"records": 0}', stderr="")
    monkeypatch.setattr(run.subprocess, "run", lambda *args, **kwargs: ingested)
    figures, store = run.run_ingest(tmp_path / "corpus", tmp_path, jobs=1, timeout=10)
    assert figures == {"records": 0} and store == tmp_path / "store"
    assert not (tmp_path / "store.dumps").exists()
