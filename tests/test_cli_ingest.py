"""`lodpub ingest`, `query`, `export`, `stats`, `validate` on the seed, run as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_KEY = "3a5edd602105b0b3"
FIXTURES = ROOT / "tests" / "fixtures" / "cli"
PERSONS = "SELECT DISTINCT ?p ?label WHERE { ?p a crm:E21_Person ; rdfs:label ?label }"


@pytest.fixture(autouse=True)
def reports_in_tmp(tmp_path, monkeypatch):
    """Reports of refused documents go to a temporary folder, never into the repository."""
    monkeypatch.setenv("LODPUB_REPORTS", str(tmp_path / "reports"))


def lodpub(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT):
    return subprocess.run(
        [sys.executable, "-m", "lodpub", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


def nquads(store: Path | str) -> set[tuple]:
    result = lodpub("export", "--store", str(store), "--format", "nquads")
    assert result.returncode == 0, result.stderr
    ds = Dataset()
    ds.parse(data=result.stdout, format="nquads")
    return set(ds.quads((None, None, None, None)))


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, backend):
    """The seed folder ingested into a fresh store of the backend (embedded: on disk)."""
    tmp = tmp_path_factory.mktemp("seeded")
    reports = tmp / "reports"
    with backend.empty(tmp) as store:
        result = lodpub(
            "ingest", "--store", store, "--reports", str(reports), str(SEEDS), env=backend.env
        )
        yield store, reports, result


def test_ingest_publishes_the_seed(seeded, backend):
    store, reports, result = seeded
    assert result.returncode == 0, result.stdout + result.stderr
    assert "documents: 1 published, 0 refused, 0 unreadable, 0 failed" in result.stdout
    assert "entities:" in result.stdout and "triples:" in result.stdout
    assert f"published {SEED_KEY}" in result.stderr  # stderr is no terminal: one line a document
    if backend.embedded:  # a new folder holds generations; an engine holds the data itself
        assert os.readlink(Path(store) / "LIVE") == "gen-000001"
    assert not reports.exists() or not any(reports.iterdir())


def test_query_lists_the_seed_persons_with_labels(seeded):
    store = seeded[0]
    result = lodpub("query", "--store", str(store), "--format", "csv", PERSONS)
    assert result.returncode == 0, result.stderr
    labels = {line.split(",", 1)[1] for line in result.stdout.splitlines()[1:] if line}
    assert {"Kim Yong-beom", "O Gi-seop", "Pak Heon-yeong"} <= labels
    table = lodpub("query", "--store", str(store), PERSONS)
    assert "Pak Heon-yeong@en" in table.stdout and "rows)" in table.stdout


def test_query_file_json_ask_and_construct(seeded, tmp_path):
    store = str(seeded[0])
    query_file = tmp_path / "persons.rq"
    query_file.write_text(PERSONS, encoding="utf-8")
    result = lodpub("query", "--store", store, "--format", "json", str(query_file))
    assert result.returncode == 0, result.stderr
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert any(b["label"]["value"] == "Pak Heon-yeong" for b in bindings)
    ask = lodpub("query", "--store", store, "ASK { ?p a crm:E21_Person }")
    assert ask.stdout.strip() == "true"
    construct = lodpub(
        "query", "--store", store, "--format", "ttl", "CONSTRUCT WHERE { ?p a crm:E21_Person }"
    )
    assert construct.returncode == 0 and "crm:E21_Person" in construct.stdout


def test_malformed_query_exits_1_with_the_parser_message(seeded):
    result = lodpub("query", "--store", str(seeded[0]), "SELECT ?x WHERE { ?x ")
    assert result.returncode == 1
    assert "malformed query" in result.stderr and "1:" in result.stderr


def test_export_nquads_parses_and_holds_the_document_graphs(seeded):
    quads = nquads(seeded[0])
    graphs = {str(q[3]) for q in quads}
    base = "http://127.0.0.1:8080"
    assert f"{base}/id/document/{SEED_KEY}/claims" in graphs
    assert f"{base}/id/document/{SEED_KEY}/catalogue" in graphs
    assert f"{base}/graph/authorities" in graphs and f"{base}/graph/vocabulary" in graphs
    assert "urn:x-lodpub:store" not in graphs


@pytest.mark.parametrize(("fmt", "parse_as"), [("trig", "trig"), ("jsonld", "json-ld")])
def test_export_to_a_file_parses_back(seeded, tmp_path, fmt, parse_as):
    out = tmp_path / f"dump.{fmt}"
    result = lodpub("export", "--store", str(seeded[0]), "--format", fmt, "-o", str(out))
    assert result.returncode == 0, result.stderr
    ds = Dataset()
    ds.parse(out, format=parse_as)
    assert set(ds.quads((None, None, None, None))) == nquads(seeded[0])


def test_stats_json(seeded):
    result = lodpub("stats", "--store", str(seeded[0]), "--format", "json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert stats["documents"] == 1
    assert stats["entities"]["person"] >= 3
    assert stats["graphs_by_kind"] == {
        "authorities": 1,
        "catalogue": 1,
        "claims": 1,
        "vocabulary": 1,
    }
    table = lodpub("stats", "--store", str(seeded[0]))
    assert "entities.person" in table.stdout


def test_ingesting_twice_gives_the_same_quads(seeded, tmp_path, backend):
    with backend.empty(tmp_path) as store:
        first = lodpub("ingest", "--store", store, str(SEEDS), env=backend.env)
        assert first.returncode == 0, first.stderr
        before = nquads(store)
        second = lodpub("ingest", "--store", store, str(SEEDS), env=backend.env)
        assert second.returncode == 0, second.stderr
        assert nquads(store) == before == nquads(seeded[0])
    version = [line for line in second.stdout.splitlines() if "version" in line]
    assert version and version[0].split()[-1] in first.stdout


# Embedded only, as the next test: how the store is named, and how a file that cannot be read
# is reported, are the same for every backend (tests above publish to each backend).
def test_store_from_env(tmp_path):
    store = tmp_path / "env-store"
    result = lodpub("ingest", str(SEEDS), env={"LODPUB_STORE": str(store)})
    assert result.returncode == 0, result.stderr
    count = lodpub(
        "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", env={"LODPUB_STORE": str(store)}
    )
    assert count.returncode == 0 and int(count.stdout.splitlines()[2]) > 100


def test_unreadable_file_is_named_and_others_are_published(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(next(SEEDS.glob("*.txt")), inputs)
    shutil.copy(FIXTURES / "broken.json", inputs)
    store = tmp_path / "store"
    result = lodpub("ingest", "--store", str(store), str(inputs))
    assert result.returncode == 1
    assert f"{inputs / 'broken.json'}:3:" in result.stderr
    assert "documents: 1 published, 0 refused, 1 unreadable" in result.stdout
    stats = json.loads(lodpub("stats", "--store", str(store), "--format", "json").stdout)
    assert stats["documents"] == 1


def test_validate_prints_the_report(tmp_path):
    result = lodpub("validate", str(SEEDS))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{SEED_KEY} (" in result.stdout and "Conforms: yes" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("ingest",),
        ("ingest", "/no/such/folder"),
        ("query", "--format", "xml", "ASK {}"),
        ("export",),
        ("stats", "--format", "yaml"),
        ("frobnicate",),
    ],
)
def test_usage_errors_exit_2(args):
    result = lodpub(*args)
    assert result.returncode == 2
    assert "Usage:" in result.stderr


def test_every_command_has_help_with_an_example():
    for command in ("ingest", "validate", "query", "export", "load", "stats"):
        result = lodpub(command, "--help")
        assert result.returncode == 0
        assert "Example" in result.stdout, command


# Embedded only: what a store folder is, is the embedded store's own concern.
def test_ingest_refuses_a_store_folder_that_is_not_one(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = lodpub("ingest", "--store", str(tmp_path), str(SEEDS))
    assert result.returncode == 1
    assert f"{tmp_path} is neither an Oxigraph store" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_missing_store_is_an_error_naming_it(tmp_path):
    result = lodpub("stats", "--store", str(tmp_path / "nothing"))
    assert result.returncode == 1
    assert str(tmp_path / "nothing") in result.stderr
    # Nothing listens on the discard port: a remote store that is down is named, not a traceback.
    remote = lodpub("stats", "--store", "sparql+http://127.0.0.1:9/query")
    assert remote.returncode == 1
    assert "http://127.0.0.1:9/query" in remote.stderr and "Traceback" not in remote.stderr


@pytest.mark.parametrize(
    "query", sorted((ROOT / "examples" / "queries").glob("*.rq")), ids=lambda p: p.stem
)
def test_example_queries_answer_on_the_seed_without_repeated_rows(seeded, query):
    result = lodpub("query", "--store", str(seeded[0]), "--format", "csv", str(query))
    assert result.returncode == 0, result.stderr
    rows = [tuple(row) for row in csv.reader(io.StringIO(result.stdout))][1:]
    assert rows
    # The default graph holds each triple once, however many graphs state it.
    assert len(rows) == len(set(rows))
