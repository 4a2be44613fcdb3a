"""The benchmark's on-disk floor (bench/run.py): pyoxigraph on disk, opened read-only as
lodpub opens the store it serves, bulk-loaded from the export unless an Oxigraph server of
the same version has loaded it already."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench_modules import bench_module

TURTLE = """@prefix ex: <http://example.org/> .
ex:a ex:knows ex:b , ex:c ; ex:name "A" .
ex:b ex:name "B" .
"""


run = bench_module("run")


@pytest.fixture
def export(tmp_path) -> Path:
    path = tmp_path / "merged.ttl"
    path.write_text(TURTLE)
    return path


def test_without_an_oxigraph_server_the_export_is_bulk_loaded_and_opened_read_only(
    export, tmp_path
):
    store, figures = run.disk_floor(export, tmp_path, None)
    assert len(store) == 4 and (tmp_path / "floor-db" / "CURRENT").exists()
    assert figures["loaded_by"] == f"pyoxigraph {ox.__version__} bulk_load"
    assert figures["bulk_load_s"] > 0
    with pytest.raises(RuntimeError, match="read-write"):
        store.update('INSERT DATA { <http://example.org/a> <http://example.org/p> "x" }')


def test_an_oxigraph_server_of_pyoxigraphs_version_shares_its_store(export, tmp_path, monkeypatch):
    location = run.oxigraph_location(tmp_path)
    loaded = ox.Store(str(location))
    loaded.bulk_load(path=str(export), format=ox.RdfFormat.TURTLE)
    loaded.flush()
    del loaded
    peer = run.Server("oxigraph", subprocess.Popen(["true"]), 0, "/query", tmp_path / "log")
    peer.load_s = 1.5
    peer.process.wait()
    monkeypatch.setattr(run, "oxigraph_version", lambda: ox.__version__)
    store, figures = run.disk_floor(export, tmp_path, peer)
    assert len(store) == 4 and not (tmp_path / "floor-db").exists()
    assert figures == {
        "bulk_load_s": 1.5,
        "loaded_by": f"oxigraph load {ox.__version__}: the Oxigraph server's store, "
        "shared read-only",
    }
    monkeypatch.setattr(run, "oxigraph_version", lambda: "0.0.1")
    store, figures = run.disk_floor(export, tmp_path, peer)
    assert len(store) == 4 and figures["loaded_by"].startswith("pyoxigraph ")
