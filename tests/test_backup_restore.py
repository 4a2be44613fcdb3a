"""Backup and restore: `lodpub export` of a published store, `lodpub load` into an empty one,
gives an isomorphic dataset that serves the same answers."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from lodpub.web import Settings, create_app
from test_cli_load import cli, published_seed_and_records

KIM = "http://127.0.0.1:8080/id/person/kim-yong-beom"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """A folder of generations holding the seed and a few other records, ingested twice."""
    return published_seed_and_records(tmp_path_factory.mktemp("backup"), times=2)


def exported(store: Path, fmt: str, target: Path) -> Path:
    result = cli("export", "--store", str(store), "--format", fmt, "-o", str(target))
    assert result.returncode == 0, result.stderr
    return target


def dataset(store: Path, tmp: Path) -> Dataset:
    data = Dataset()
    data.parse(exported(store, "nquads", tmp / f"{store.name}.check.nq"), format="nquads")
    return data


def merged(store: Path, tmp: Path) -> Graph:
    return Graph().parse(exported(store, "ttl", tmp / f"{store.name}.check.ttl"), format="turtle")


def stats(store: Path) -> dict:
    """What `lodpub stats` reports, but the version (a new one for every write)."""
    result = cli("stats", "--store", str(store), "--format", "json")
    assert result.returncode == 0, result.stderr
    return {k: v for k, v in json.loads(result.stdout).items() if k != "version"}


def assert_isomorphic(original: Dataset, restored: Dataset) -> None:
    names = {g.identifier for g in original.graphs() if len(g)}
    assert names == {g.identifier for g in restored.graphs() if len(g)}
    assert len(names) > 3
    for name in names:
        assert isomorphic(original.graph(name), restored.graph(name)), name


@pytest.mark.parametrize(
    ("fmt", "suffix", "layout"), [("nquads", "nq", "generations"), ("trig", "trig", "plain")]
)
def test_export_then_load_into_an_empty_store_is_isomorphic(
    published, tmp_path, fmt, suffix, layout
):
    dump = exported(published, fmt, tmp_path / f"dump.{suffix}")
    restored = tmp_path / "restored"
    if layout == "plain":
        # An empty plain Oxigraph store, as an operator would create one by hand.
        ox.Store(str(restored)).flush()
    loaded = cli("load", "--store", str(restored), str(dump))
    assert loaded.returncode == 0, loaded.stderr
    assert_isomorphic(dataset(published, tmp_path), dataset(restored, tmp_path))
    # The merged default graph and the document list are rebuilt, not just the named graphs.
    assert isomorphic(merged(published, tmp_path), merged(restored, tmp_path))
    assert stats(restored) == stats(published)


def test_a_restored_store_serves_the_same_pages_and_answers(published, tmp_path):
    restored = tmp_path / "restored"
    dump = exported(published, "nquads", tmp_path / "dump.nq")
    assert cli("load", "--store", str(restored), str(dump)).returncode == 0
    answers = []
    for store in (published, restored):
        client = create_app(Settings(store=str(store))).test_client()
        query = (
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s ?label"
        )
        rows = client.get("/sparql", query_string={"query": query, "format": "csv"})
        data = client.get("/data/person/kim-yong-beom.ttl")
        assert rows.status_code == data.status_code == 200
        answers.append((rows.data, Graph().parse(data=data.data, format="turtle")))
    assert answers[0][0] == answers[1][0]
    assert isomorphic(answers[0][1], answers[1][1])
    assert KIM in answers[0][0].decode()
