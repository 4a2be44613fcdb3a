"""SIGKILL at random points, over many seeds of the random generator: `lodpub ingest` into a
plain store, and `lodpub serve` with `lodpub ingest` publishing beside it. Afterwards the store
opens, every document is wholly published or absent, and a restarted server answers exactly
as the store it serves says (before the crash, or after the publication the crash let finish)."""

from __future__ import annotations

import contextlib
import io
import os
import random
import signal
import subprocess
import threading
import time
from collections import defaultdict
from pathlib import Path

import pytest
import requests
from rdflib import Dataset

import lodpub.store
from sparql_servers import SERVE, _wait_until_up, free_port
from test_cli_crash import ingest, write_records

ROOT = Path(__file__).resolve().parents[1]
RECORDS = 10
DOCUMENT = "http://127.0.0.1:8080/id/document/"
QUERIES = {
    "graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "labels": "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?s ?l WHERE { ?s a <http://www.cidoc-crm.org/cidoc-crm/E21_Person> ; rdfs:label ?l } "
    "ORDER BY ?s ?l",
}


def graphs(store: Path, read_only: bool = False) -> tuple[list[str], dict[str, set[tuple]]]:
    """The documents a store lists and its graphs, read the way a restarted process reads them
    (a plain store is opened for writing, so that the crash's leftovers are recovered first;
    a published generation is never written again)."""
    with lodpub.store.open(f"oxigraph:{store}", read_only=read_only) as opened:
        keys = sorted(opened.documents())
        dump = io.BytesIO()
        opened.export("nquads", dump)
    data = Dataset()
    data.parse(data=dump.getvalue().decode(), format="nquads")
    by_graph: dict[str, set[tuple]] = defaultdict(set)
    for s, p, o, g in data.quads((None, None, None, None)):
        by_graph[str(g)].add((s, p, o))
    return keys, by_graph


def finished(process: subprocess.Popen) -> float:
    started = time.monotonic()
    _, err = process.communicate(timeout=600)
    assert process.returncode == 0, err
    return time.monotonic() - started


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """A clean ingest of all the records, and how long it took."""
    tmp = tmp_path_factory.mktemp("random-crash")
    inputs = tmp / "inputs"
    write_records(inputs, count=RECORDS)
    store = tmp / "reference"
    lodpub.store.open(store).close()
    duration = finished(ingest(store, inputs))
    return inputs, duration, graphs(store)[1], store


def assert_whole_or_absent(
    store: Path, expected: dict[str, set[tuple]], read_only: bool = False
) -> list[str]:
    keys, got = graphs(store, read_only)
    for name, triples in got.items():
        if name.startswith(DOCUMENT):
            key = name.removeprefix(DOCUMENT).split("/", 1)[0]
            assert key in keys, f"graph {name} of a document the store does not list"
            assert triples == expected[name], f"graph {name} differs from the clean ingest"
    for key in keys:
        for kind in ("claims", "catalogue"):
            name = f"{DOCUMENT}{key}/{kind}"
            assert got.get(name) == expected[name], f"document {key} is incomplete"
    return keys


@pytest.mark.parametrize("seed", range(6))
def test_ingest_killed_at_a_random_moment_leaves_documents_whole(tmp_path, reference, seed):
    inputs, duration, expected, _ = reference
    store = tmp_path / "store"
    lodpub.store.open(store).close()  # a plain store: ingest writes in place
    process = ingest(store, inputs)
    time.sleep(random.Random(seed).uniform(0.0, duration))
    process.kill()
    process.communicate()
    keys = assert_whole_or_absent(store, expected)
    assert len(keys) <= RECORDS


class Server:
    """`lodpub serve` in its own process group, so that a SIGKILL takes it all (gunicorn's
    arbiter, its worker and the query workers), as a crash of the machine's service would."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.killed = False
        environment = {k: v for k, v in os.environ.items() if not k.startswith("LODPUB_")}
        self.process = subprocess.Popen(
            [*SERVE, "--store", str(store), "--port", str(self.port)],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            _wait_until_up(f"{self.url}/sparql", self.process)
        except RuntimeError:
            self.kill()
            raise

    def answers(self) -> dict[str, str]:
        got = {}
        for name, query in QUERIES.items():
            response = requests.get(
                f"{self.url}/sparql", params={"query": query, "format": "csv"}, timeout=30
            )
            assert response.status_code == 200, response.text
            got[name] = response.text
        assert requests.get(f"{self.url}/", timeout=30).status_code == 200
        return got

    def kill(self) -> None:
        if self.killed:
            return
        self.killed = True
        # The group outlives its leader while any member (a query worker) is alive.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        # Nothing is in flight; the graceful shutdown would only wait for idle connections.
        self.kill()


def hammer(url: str, stop: threading.Event) -> None:
    """Requests in flight when the server dies: pages, data and queries."""
    while not stop.is_set():
        try:
            requests.get(f"{url}/sparql", params={"query": QUERIES["labels"]}, timeout=5)
            requests.get(f"{url}/", timeout=5)
        except requests.RequestException:
            time.sleep(0.01)


@pytest.fixture
def servers():
    """Every server a test starts, killed at its end whatever happened."""
    started: list[Server] = []

    def start(store: Path) -> Server:
        started.append(Server(store))
        return started[-1]

    yield start
    for server in started:
        server.kill()


def test_server_and_ingest_killed_at_random_moments_come_back_consistent(
    tmp_path, reference, servers
):
    inputs, duration, expected, complete = reference
    first = tmp_path / "first"
    write_records(first, count=4)
    root = tmp_path / "store"
    finished(ingest(root, first))
    server = servers(root)
    before = server.answers()
    server.stop()
    server = servers(complete)
    after = server.answers()
    server.stop()
    assert before != after

    rng = random.Random(2026)
    state, documents = before, 4
    for _ in range(3):
        live = os.readlink(root / "LIVE")
        server = servers(root)
        stop = threading.Event()
        client = threading.Thread(target=hammer, args=(server.url, stop))
        client.start()
        publisher = ingest(root, inputs)
        kills = [(rng.uniform(0.0, duration), server.kill), (rng.uniform(0.0, duration), None)]
        started = time.monotonic()
        for moment, kill in sorted(kills, key=lambda k: k[0]):
            time.sleep(max(0.0, moment - (time.monotonic() - started)))
            if kill is None:
                publisher.kill()
                publisher.communicate()
            else:
                kill()
        stop.set()
        client.join()
        if os.readlink(root / "LIVE") != live:
            state, documents = after, RECORDS
        keys = assert_whole_or_absent(root / os.readlink(root / "LIVE"), expected, read_only=True)
        assert len(keys) == documents
        server = servers(root)
        assert server.answers() == state
        server.stop()
