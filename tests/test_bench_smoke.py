"""The benchmark harness at BENCH_SIZE=200, short: it must keep producing every figure.

Peers that are not installed are reported missing (not failures); lodpub and the in-process
pyoxigraph floor always run. No timing is asserted: only that each figure was measured.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bench_modules import bench_module
from lodpub.sources import read_path

BENCH = Path(__file__).resolve().parents[1] / "bench"
QUERIES = {
    "describe",
    "persons_by_label",
    "count_by_class",
    "documents_mentioning",
    "title_search",
    "co_mentioned",
}
PEERS = {"oxigraph", "virtuoso", "rdflib-endpoint"}
STAGES = {"read", "extract", "resolve", "model", "validate", "store"}
FLOORS = {"pyoxigraph", "pyoxigraph-disk"}


corpus = bench_module("corpus")
report = bench_module("report")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    argv = [sys.executable, str(BENCH / "run.py"), "--size", "200", "--repeats", "3"]
    argv += ["--duration", "2", "--query-seconds", "5", "--request-timeout", "30"]
    argv += ["--time-limit", "600", "--no-install", "--results", str(out / "results")]
    argv += ["--report", str(out / "RESULTS.md"), "--work", str(out / "work")]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    (result,) = (out / "results").glob("*-200.json")
    return json.loads(result.read_text()), (out / "RESULTS.md").read_text(), done.stdout


def test_the_corpus_is_reproducible_and_labelled_synthetic(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    counts = corpus.write_corpus(first, 60, seed=3)
    corpus.write_corpus(second, 60, seed=3)
    assert counts["text"] + counts["csv"] == 60 and counts["csv"] > 0
    for path in first.iterdir():
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name
    for path in first.glob("*.txt"):
        assert "synthetic" in path.read_text().lower(), path.name
    header = next(iter(first.glob("*.csv"))).read_text().splitlines()[0]
    assert header.endswith(",synthetic")


def test_the_corpus_reads_without_errors_and_skews_towards_hubs(tmp_path):
    corpus.write_corpus(tmp_path, 300, seed=5)
    records, errors = [], []
    for path in sorted(tmp_path.iterdir()):
        if path.suffix in (".txt", ".csv") and not path.name.startswith("README"):
            result = read_path(path)
            records += result.records
            errors += result.errors
    assert not errors
    assert len(records) == 300
    assert all(r.record_id and r.citation for r in records)
    pool = corpus.Corpus(5, 300).pool
    mentions = Counter(p.label for p in pool.persons for r in records if p.label in r.body)
    top, *rest = [n for _, n in mentions.most_common()]
    assert top >= 5 * rest[len(rest) // 2], mentions.most_common(5)
    text = "\n".join(r.body for r in records)
    assert any(f"{p.label} [{p.variant}]" in text for p in pool.persons)
    assert any(p.caps in text for p in pool.persons)


def test_the_pool_for_the_largest_size_is_built_from_distinct_names():
    pool = corpus.build_pool(random.Random(1), corpus.SIZES["50k"])
    assert len(pool.persons) > 5_000 and len(pool.places) > 200
    assert len({p.label for p in pool.persons}) == len(pool.persons)
    assert len(set(pool.places)) == len(pool.places)


def test_goals_say_by_how_much_they_are_missed():
    assert report.Goal("x", 0.5, 1.0, True).status() == "not met: needs 2.00× more"
    assert report.Goal("x", 3.0, 1.2, False).status() == "not met: 2.50× over"
    assert report.Goal("x", 1.1, 1.2, False).status() == "met"
    assert report.Goal("x", None, 1.0, True, "oxigraph missing").status() == (
        "not measured: oxigraph missing"
    )


def test_ingest_publishes_the_corpus_with_every_stage_timed(run):
    result, _, _ = run
    ingest = result["ingest"]
    assert result["synthetic"] is True
    assert ingest["records"] == 200
    assert ingest["published"] >= 190, ingest["refusals"]
    assert ingest["records_per_s"] > 0 and ingest["peak_rss_mb"] > 0
    assert set(ingest["stages_ms"]) == STAGES
    for stage, figures in ingest["stages_ms"].items():
        assert figures["median"] is not None and figures["p99"] >= figures["median"], stage


def test_the_run_records_its_ingest_workers_and_the_time_it_gave_each_part(run):
    result, _, _ = run
    settings = result["settings"]
    assert result["ingest"]["jobs"] == settings["ingest_jobs"] >= 1
    assert settings["time_limit_s"] == 600 and settings["least_repeats"] == 3
    assert set(result["query_plans"]) == set(result["queries"])
    for engine, plan in result["query_plans"].items():
        assert plan["used_s"] > 0 and plan["share_s"] > 0, engine
        over_http = engine not in FLOORS
        assert (plan["timeout_s"] is not None) == over_http, engine
        assert not over_http or plan["timeout_s"] <= 30, engine  # --request-timeout


def test_both_floors_hold_the_exported_graph(run):
    result, _, _ = run
    triples = result["corpus"]["triples"]
    assert result["floor"]["triples"] == result["floor_disk"]["triples"] == triples
    assert result["floor"]["bulk_load_s"] > 0 and result["floor_disk"]["bulk_load_s"] > 0
    shared = (
        "oxigraph" in result["servers"]
        and result["versions"]["oxigraph"] == (result["versions"]["pyoxigraph"])
    )
    assert result["floor_disk"]["loaded_by"].startswith("oxigraph" if shared else "pyoxigraph")


def test_every_engine_answers_the_whole_query_mix_or_is_reported_missing(run):
    result, _, _ = run
    assert set(result["queries"]) >= {"lodpub"} | FLOORS
    assert set(result["queries"]) | set(result["missing"]) >= {"lodpub"} | FLOORS | PEERS
    for engine, figures in result["queries"].items():
        assert set(figures) == QUERIES, engine
        for query, entry in figures.items():
            if engine not in {"lodpub"} | FLOORS and "timed_out_ms" in entry:
                continue  # a slow peer's timeout is its figure (a lower bound)
            assert "error" not in entry, (engine, query, entry)
            assert entry["median"] > 0, (engine, query)
            assert entry["n"] == entry["planned"] == 3, (engine, query)  # --repeats 3
    for query in QUERIES:
        floor = result["queries"]["pyoxigraph"][query]["results"]
        assert floor > 0, query
        answers = {e: f[query].get("results", floor) for e, f in result["queries"].items()}
        assert set(answers.values()) == {floor}, (query, answers)  # the same graph everywhere
    for why in result["missing"].values():
        assert why


def test_every_server_holds_the_same_graph_and_has_its_figures(run):
    result, _, _ = run
    servers = result["servers"]
    assert "lodpub" in servers
    assert servers["lodpub"]["dumps_s"] > 0  # waited for before anything was measured
    for name, server in servers.items():
        assert server["triples"] == result["corpus"]["triples"], name
        assert server["startup_s"] > 0 and server["rss_after_load_mb"] > 0, name


def test_every_engine_loads_lodpubs_turtle_dump_and_two_peers_load_side_by_side(run):
    result, markdown, _ = run
    assert result["ingest"]["export_from"] == "/dumps/lodpub.ttl, downloaded"
    both = {"oxigraph", "virtuoso"} <= set(result["servers"])
    for name, server in result["servers"].items():
        assert server.get("loaded_side_by_side", False) == (
            both and name in PEERS - {"rdflib-endpoint"}
        )
    if both:
        assert "(side by side)" in markdown


def test_the_timeline_says_where_the_run_went(run):
    result, markdown, _ = run
    timeline = result["timeline_s"]
    assert {"ingest", "dumps", "floor load (memory)", "query mix", "total"} <= set(timeline)
    phases = [seconds for phase, seconds in timeline.items() if phase != "total"]
    assert all(seconds >= 0 for seconds in phases)
    assert sum(phases) <= timeline["total"] + 0.1 * len(phases)  # phases do not overlap
    assert "### Where the run's time went (s per phase)" in markdown
    assert f"| ingest | {timeline['ingest']:.1f} |" in markdown


def test_http_load_measures_lodpub_routes_and_each_peer(run):
    result, _, _ = run
    routes = {"lodpub_html", "lodpub_turtle"} | {f"{s}_describe" for s in result["servers"]}
    assert set(result["http"]) == routes
    for name, figures in result["http"].items():
        assert "error" not in figures, (name, figures)
        assert figures["requests_per_s"] > 0 and figures["non_2xx"] == 0, name
        assert figures["p99_ms"] >= figures["p50_ms"] > 0, name


def test_the_table_is_printed_and_written_with_the_goals(run):
    result, markdown, stdout = run
    assert markdown in stdout
    assert "### Goals" in markdown and result["command"] in markdown
    for goal in report.goals(result):
        assert goal.goal in markdown
    assert "| query | lodpub | pyoxigraph (disk) | pyoxigraph (memory) |" in markdown
    floor_goals = [g for g in report.goals(result) if "in-process pyoxigraph" in g.goal]
    assert floor_goals and all("on disk" in g.goal for g in floor_goals)
    for name in result["missing"]:
        assert f"**Missing: {name}**" in markdown
