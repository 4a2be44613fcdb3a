"""`lodpub ingest` killed with SIGKILL mid-run.

Into a plain Oxigraph store (written in place): every document is wholly published or absent.
Into a folder of generations: the live generation stays exactly what it was.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

import lodpub.store

ROOT = Path(__file__).resolve().parents[1]
RECORDS = 40
PERSONS = ["Kim Yong-beom", "O Gi-seop", "Pak Heon-yeong", "Ri Yeong", "Kim Il Sung"]
PLACES = ["Seoul", "Pyongyang", "Haeju", "Moscow", "Khabarovsk"]
MONTHS = ["August", "September", "October", "November", "December"]


def write_records(folder: Path, count: int = RECORDS) -> None:
    """Small canonical JSON records, each different, each conforming."""
    folder.mkdir()
    for i in range(count):
        person, other = PERSONS[i % 5], PERSONS[(i + 2) % 5]
        place, month = PLACES[i % 5], MONTHS[i % 5]
        body = (
            f"{person} met {other} in {place} on {i % 28 + 1} {month} 1945. "
            f"More than {(i + 1) * 100} Communists were registered in {place} by then, "
            f"according to Choe Dong-{i:02d}."
        )
        record = {
            "key": f"note-{i:02d}",
            "title": f"Note {i} on a meeting in {place}",
            "date": "1945",
            "body": body,
            "citation": {"text": f"AGShVS RF. F. 172. Op. 614631. D. {i + 1}, p. 5"},
            "rights": "Public domain.",
        }
        (folder / f"note-{i:02d}.json").write_text(json.dumps(record), encoding="utf-8")


def ingest(store: Path, inputs: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "lodpub", "ingest", "--store", str(store)]
        + ["--reports", str(store.parent / "reports"), str(inputs)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
    )


def by_graph(store: Path) -> dict[str, set[tuple]]:
    result = subprocess.run(
        [sys.executable, "-m", "lodpub", "export", "--store", str(store), "--format", "nquads"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    ds = Dataset()
    ds.parse(data=result.stdout, format="nquads")
    graphs: dict[str, set[tuple]] = defaultdict(set)
    for s, p, o, g in ds.quads((None, None, None, None)):
        graphs[str(g)].add((s, p, o))
    return graphs


def merged(store: Path) -> set[tuple]:
    """The store's default graph (the Turtle export)."""
    result = subprocess.run(
        [sys.executable, "-m", "lodpub", "export", "--store", str(store), "--format", "ttl"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    return set(Graph().parse(data=result.stdout, format="turtle"))


def documents(store: Path) -> list[str]:
    query = "SELECT DISTINCT ?k WHERE { GRAPH <urn:x-lodpub:store> { ?g lp:documentKey ?k } }"
    result = subprocess.run(
        [sys.executable, "-m", "lodpub", "query", "--store", str(store), "--format", "csv", query],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return sorted(result.stdout.split()[1:])


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """A clean ingest of all the records: what each document's graphs must be."""
    tmp = tmp_path_factory.mktemp("crash")
    inputs = tmp / "inputs"
    write_records(inputs)
    proc = ingest(tmp / "reference", inputs)
    _, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, err
    return inputs, by_graph(tmp / "reference")


def kill_after(proc: subprocess.Popen, published_before_kill: int, delay: float) -> None:
    """SIGKILL `delay` s after the given number of documents were reported published."""
    try:
        published = 0
        while published < published_before_kill:
            line = proc.stderr.readline()
            assert line, "ingest ended before the kill"
            published += line.startswith("published ")
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


@pytest.mark.parametrize(("published_before_kill", "delay"), [(0, 1.0), (6, 0.05), (17, 0.13)])
def test_sigkill_into_a_plain_store(tmp_path, reference, published_before_kill, delay):
    inputs, expected = reference
    store = tmp_path / "store"
    lodpub.store.open(store).close()  # a plain Oxigraph store: ingest writes in place
    kill_after(ingest(store, inputs), published_before_kill, delay)

    keys = documents(store)  # the store opens and answers queries
    assert len(keys) >= published_before_kill
    got = by_graph(store)
    for name, triples in got.items():
        if "/id/document/" in name:
            key = name.split("/id/document/", 1)[1].split("/", 1)[0]
            assert key in keys, f"graph {name} of a document the store does not list"
        assert triples == expected[name], f"graph {name} differs from the clean ingest"
    for key in keys:
        for kind in ("claims", "catalogue"):
            name = f"http://127.0.0.1:8080/id/document/{key}/{kind}"
            assert got.get(name) == expected[name], f"document {key} is incomplete"
    assert merged(store) == set().union(*got.values()), "the default graph is not the merge"


def test_sigkill_into_generations_keeps_the_live_one(tmp_path, reference):
    inputs, expected = reference
    first = tmp_path / "first"
    write_records(first, count=5)
    root = tmp_path / "store"
    done = ingest(root, first)
    assert done.wait(timeout=600) == 0
    done.stderr.close()
    live = os.readlink(root / "LIVE")
    before = by_graph(root)
    assert documents(root) == [f"note-{i:02d}" for i in range(5)]

    kill_after(ingest(root, inputs), 9, 0.05)
    assert os.readlink(root / "LIVE") == live
    assert by_graph(root) == before

    again = ingest(root, inputs)
    assert again.wait(timeout=900) == 0
    again.stderr.close()
    assert os.readlink(root / "LIVE") != live
    assert by_graph(root) == expected
    generations = sorted(p.name for p in root.iterdir() if p.name.startswith("gen-"))
    assert len(generations) == 2  # the live one and the one before; the killed one is gone
