"""Publishing while `lodpub serve` answers queries: no error, no block, answers move forward."""

from __future__ import annotations

import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from rdflib import Graph, Literal, URIRef

import lodpub.store
from lodpub.store.generations import POINTER, live_generation, publish
from sparql_servers import lodpub_serve, publish_file

VERSION = "SELECT ?v WHERE { <urn:x-test:dataset> <urn:x-test:version> ?v }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def publish_version(root: Path, version: int) -> None:
    """A new generation: everything of the live one, the version replaced, 500 triples more."""

    def build(folder: Path) -> None:
        with lodpub.store.open(f"oxigraph:{folder}") as store:
            stamp = Graph()
            stamp.add(
                (URIRef("urn:x-test:dataset"), URIRef("urn:x-test:version"), Literal(version))
            )
            store.replace_graph("urn:x-test:version", stamp)
            more = Graph()
            for i in range(500):
                more.add((URIRef(f"urn:x-test:v{version}/{i}"), URIRef("urn:x-test:p"), Literal(i)))
            store.replace_graph(f"urn:x-test:graph/{version}", more)

    publish(root, build)


def answer(endpoint: str, query: str) -> int:
    response = requests.get(endpoint, params={"query": query}, timeout=30)
    response.raise_for_status()
    (row,) = response.json()["results"]["bindings"]
    return int(next(iter(row.values()))["value"])


@pytest.fixture
def store_root(tmp_path):
    publish_file(tmp_path)
    publish_version(tmp_path, 0)
    return tmp_path


def test_queries_keep_being_answered_while_new_generations_are_published(store_root):
    published = 12
    with lodpub_serve(store_root, "--threads", "4") as endpoint:
        stop = threading.Event()
        seen: dict[int, list[int]] = {}
        failures: list[BaseException] = []

        def client(number: int) -> None:
            versions = seen.setdefault(number, [])
            try:
                while not stop.is_set():
                    versions.append(answer(endpoint, VERSION))
            except Exception as exc:  # any failure is reported by the test
                failures.append(exc)

        clients = [threading.Thread(target=client, args=(n,)) for n in range(4)]
        for thread in clients:
            thread.start()
        try:
            for version in range(1, published + 1):
                publish_version(store_root, version)
        finally:
            stop.set()
            for thread in clients:
                thread.join()

        assert failures == []
        assert len({v for versions in seen.values() for v in versions}) > 1, "answers moved on"
        for versions in seen.values():
            assert versions, "every client got answers"
            assert versions == sorted(versions), "no client ever went back to older data"
        assert answer(endpoint, VERSION) == published
        # Each generation kept the data before it: the seed sample and 500 triples a version.
        assert answer(endpoint, COUNT) == 63 + 1 + 500 * (published + 1)

    generations = sorted(p.name for p in store_root.iterdir() if p.name.startswith("gen-"))
    assert len(generations) == 2
    assert live_generation(store_root).name == generations[-1]


def test_a_failed_build_leaves_the_live_generation_serving(store_root):
    live = live_generation(store_root)

    def broken(folder: Path) -> None:
        raise ValueError("the documents did not validate")

    with pytest.raises(ValueError, match="did not validate"):
        publish(store_root, broken)
    assert live_generation(store_root) == live
    assert (store_root / POINTER).is_symlink()
    with lodpub_serve(store_root) as endpoint:
        assert answer(endpoint, VERSION) == 0


def test_generations_are_never_published_into_a_plain_store(tmp_path):
    store = ox.Store(str(tmp_path / "plain"))
    store.flush()
    del store
    with pytest.raises(ValueError, match="plain Oxigraph store"):
        publish(tmp_path / "plain", lambda folder: None)
