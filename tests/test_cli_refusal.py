"""A document the shapes refuse is reported and saved, and the store keeps what it had."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.namespace import SH

ROOT = Path(__file__).resolve().parents[1]
REFUSED = ROOT / "tests" / "fixtures" / "cli" / "no-citation.json"
KEY = "field-note"


def lodpub(*args: str, env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-m", "lodpub", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


def nquads(store: str) -> set[tuple]:
    result = lodpub("export", "--store", store, "--format", "nquads")
    assert result.returncode == 0, result.stderr
    ds = Dataset()
    ds.parse(data=result.stdout, format="nquads")
    return set(ds.quads((None, None, None, None)))


@pytest.fixture
def store(tmp_path, backend):
    """An empty store of the backend: a refusal leaves every backend as it was."""
    with backend.empty(tmp_path) as url:
        yield url


def test_refused_document_leaves_the_published_version(tmp_path, store, backend):
    """Version 1 (with its archival citation) is published; version 2 lacks the citation."""
    record = json.loads(REFUSED.read_text(encoding="utf-8"))
    good = tmp_path / "v1" / "field-note.json"
    good.parent.mkdir()
    good.write_text(
        json.dumps({**record, "citation": {"text": "AGShVS RF. F. 172. Op. 614631. D. 23, p. 5"}}),
        encoding="utf-8",
    )
    reports = tmp_path / "reports"
    env = backend.env
    first = lodpub("ingest", "--store", store, "--reports", str(reports), str(good), env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    before = nquads(store)

    second = lodpub("ingest", "--store", store, "--reports", str(reports), str(REFUSED), env=env)
    assert second.returncode == 1
    assert f"refused {KEY} ({REFUSED})" in second.stdout
    assert "Conforms: no" in second.stdout and "archival reference" in second.stdout
    assert "documents: 0 published, 1 refused, 0 unreadable, 0 failed" in second.stdout
    report = Graph().parse(reports / f"{KEY}.ttl", format="turtle")
    assert (None, SH.conforms, None) in report
    assert len(list(report.subjects(SH.resultSeverity, SH.Violation))) >= 1
    assert nquads(store) == before

    # once it conforms again it is published and its stale report goes
    third = lodpub("ingest", "--store", store, "--reports", str(reports), str(good), env=env)
    assert third.returncode == 0, third.stdout + third.stderr
    assert not (reports / f"{KEY}.ttl").exists()


def test_other_documents_are_still_published(tmp_path, store, backend):
    reports = tmp_path / "reports"
    result = lodpub(
        "ingest",
        "--store",
        store,
        "--reports",
        str(reports),
        str(REFUSED),
        "seeds",
        env=backend.env,
    )
    assert result.returncode == 1
    assert "documents: 1 published, 1 refused" in result.stdout
    graphs = {str(q[3]) for q in nquads(store)}
    assert not any(f"/id/document/{KEY}/" in g for g in graphs)
    assert any("/id/document/3a5edd602105b0b3/" in g for g in graphs)


def test_validate_exits_1_and_writes_nothing(tmp_path):
    result = lodpub("validate", str(REFUSED))
    assert result.returncode == 1
    assert "Conforms: no" in result.stdout
    assert "documents: 0 conform, 1 do not conform" in result.stdout
