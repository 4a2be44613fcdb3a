"""The seed, ingested (`lodpub ingest`) and served (`lodpub serve`), answers the examples."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests

from lodpub.web.examples import examples
from sparql_servers import lodpub_serve

SEEDS = Path(__file__).parents[1] / "seeds"
ACCEPT = {"Accept": "application/sparql-results+json, application/ld+json;q=0.9"}


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory, backend):
    store = tmp_path_factory.mktemp("seed") / "store"
    ingest = subprocess.run(
        [sys.executable, "-m", "lodpub", "ingest", "--store", str(store), str(SEEDS)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    with backend.serving(store) as served, lodpub_serve(served) as url:
        yield url


@pytest.mark.parametrize("example", examples(), ids=lambda e: e.slug)
def test_each_example_finds_something_in_the_seed(endpoint, example):
    response = requests.post(endpoint, data={"query": example.text}, headers=ACCEPT)
    assert response.status_code == 200, response.text
    data = response.json()
    assert data if isinstance(data, list) else data["results"]["bindings"]


def test_the_persons_of_the_seed_come_with_their_passages(endpoint):
    (persons,) = [e for e in examples() if e.slug == "persons-and-mentions"]
    response = requests.post(endpoint, data={"query": persons.text}, headers=ACCEPT)
    found = {
        row["name"]["value"]: row["passage"]["value"]
        for row in response.json()["results"]["bindings"]
    }
    assert found["Kim Il Sung"].lower() == "kim il sung"
    assert "Pak Heon-yeong" in found
