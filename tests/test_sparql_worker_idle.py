"""Query worker processes are stopped once idle (each holds the store's caches) and started
again by the next query, which is answered as before."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from lodpub.web.conneg import SPARQL_JSON
from lodpub.web.execution import Choice, Dataset, Executor

EX = "http://example.org/"
QUERY = f"SELECT ?o WHERE {{ <{EX}s> <{EX}p> ?o }}"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("idle") / "store"
    store = ox.Store(str(folder))
    store.add(ox.Quad(ox.NamedNode(f"{EX}s"), ox.NamedNode(f"{EX}p"), ox.Literal("value")))
    store.flush()
    del store
    return folder


def workers() -> set[int]:
    """Process ids of this process's query workers."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and b"lodpub.sparql_worker" in cmdline:
            found.add(int(entry.name))
    return found


def answer(executor: Executor, store: Path) -> list[str]:
    result = executor.run(
        store,
        QUERY,
        dataset=Dataset(),
        base_iri="http://127.0.0.1:8080/sparql",
        choice=Choice(SPARQL_JSON, None),
    )
    rows = json.loads(result.body)["results"]["bindings"]
    return [row["o"]["value"] for row in rows]


def wait_for(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table in /proc")
def test_an_idle_worker_is_stopped_and_the_next_query_starts_one(store_dir):
    executor = Executor(threads=1, timeout=30, max_rows=10, worker_idle=0.2)
    try:
        assert answer(executor, store_dir) == ["value"]
        assert wait_for(lambda: not workers())
        assert answer(executor, store_dir) == ["value"]
        assert wait_for(lambda: not workers())
    finally:
        executor.shutdown()


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table in /proc")
def test_a_worker_in_use_is_kept_for_the_next_query(store_dir):
    executor = Executor(threads=1, timeout=30, max_rows=10, worker_idle=600)
    try:
        assert answer(executor, store_dir) == ["value"]
        first = workers()
        assert len(first) == 1
        assert answer(executor, store_dir) == ["value"]
        assert workers() == first
    finally:
        executor.shutdown()
    assert wait_for(lambda: not workers())


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table in /proc")
def test_workers_are_stopped_at_shutdown_even_when_recently_used(store_dir):
    executor = Executor(threads=2, timeout=30, max_rows=10, worker_idle=600)
    assert answer(executor, store_dir) == ["value"]
    assert workers()
    executor.shutdown()
    assert wait_for(lambda: not workers())
