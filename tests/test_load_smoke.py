"""The load test (bench/load.py), briefly: under concurrent pages, data and SPARQL, and while
more clients than the endpoint admits send queries that run to the time limit, no answer is
wrong, nothing fails with a 5xx but the endpoint's 503 refusals, and every immediate refusal
says when to retry. Latencies and memory are recorded, never asserted here."""

from __future__ import annotations

from bench_modules import bench_module


def test_a_short_load_run_answers_right_and_refuses_politely(tmp_path):
    load = bench_module("load")
    settings = load.Settings(size=8, duration=3.0, clients=3, heavy_clients=5)
    report = load.run(settings, tmp_path)
    examples = {
        name: (phase["wrong_examples"], phase["server_error_examples"])
        for name, phase in report["phases"].items()
    }
    assert report["wrong_answers"] == 0, examples
    assert report["server_errors"] == 0, examples
    assert report["refusals_without_retry_after"] == 0, examples
    phases = report["phases"]
    for name, phase in phases.items():
        for route in load.ROUTES:
            assert phase["routes"][route]["n"] > 0, (name, route)
            assert phase["routes"][route]["statuses"].get("500") is None
    # Heavy queries all end in 503 (time limit, or refused at once while the slots are taken);
    # with five of them against 2 workers + 2 waiting, some are refused at once.
    heavy = phases["heavy"]["routes"]["heavy"]
    assert set(heavy["statuses"]) == {"503"}
    assert heavy["n"] > settings.heavy_clients
    for name in ("unloaded", "after"):
        assert set(phases[name]["routes"]["page"]["statuses"]) == {"200"}
    assert report["rss_kib_after_warm_up"] > 0 and report["rss_kib_after_run"] > 0
