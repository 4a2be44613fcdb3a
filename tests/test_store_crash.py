"""Crash safety: a writer killed with SIGKILL leaves every document complete (old or new) or absent.

Run as a script, this module is the writer: it publishes version 1 of every document, then
version 2, printing one line per write.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from functools import cache

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Dataset, Literal, URIRef

import lodpub.store
from lodpub.store import manifest
from lodpub.store.convert import triple_lines
from lodpub.uris import Uris
from lodpub.vocab import CRM, OA

U = Uris("http://example.org")
DOCUMENTS = 40
MENTIONS = 150  # ~1,000 triples a document: a write takes ~10 ms, long enough to be hit


def synthetic(i: int, version: int) -> Dataset:
    key = f"doc-{i:03d}"
    ds = Dataset()
    claims = ds.graph(URIRef(U.claims_graph(key)))
    cat = ds.graph(URIRef(U.catalogue_graph(key)))
    cat.add((URIRef(U.document(key)), RDFS.label, Literal(f"Report {i} v{version}", lang="en")))
    for m in range(MENTIONS + version * 7):
        person = URIRef(U.thing("person", f"p{(i + m) % 50}"))
        mention = URIRef(U.mention(key, m * 10, m * 10 + 5))
        cat.add((mention, RDF.type, OA.Annotation))
        cat.add((mention, OA.hasBody, person))
        cat.add((mention, OA.start, Literal(m * 10)))
        cat.add((mention, OA.exact, Literal(f"name {m} v{version}")))
        cat.add((person, RDF.type, CRM.E21_Person))
        event = URIRef(U.thing("event", f"{key}-e{m}"))
        claims.add((event, CRM.P11_had_participant, person))
        claims.add((event, RDFS.label, Literal(f"Event {m} of {key} v{version}", lang="en")))
    return ds


@cache
def expected_lines(i: int, version: int) -> dict[str, set[str]]:
    return {
        str(g.identifier): set(triple_lines(g)) for g in synthetic(i, version).graphs() if len(g)
    }


class Announcing:
    """Prints "begin" just before each update request reaches Oxigraph, so a kill lands inside."""

    def __init__(self, inner: ox.Store) -> None:
        self.inner = inner

    def update(self, sparql: str) -> None:
        print("begin", flush=True)
        self.inner.update(sparql)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def writer(path: str) -> None:
    store = lodpub.store.open(path)
    store._ox = Announcing(store._ox)
    for version in (1, 2):
        for i in range(DOCUMENTS):
            store.replace_document(f"doc-{i:03d}", synthetic(i, version))
            print(f"wrote {i} v{version}", flush=True)
    store.close()


def stored_lines(store, graph: str | None) -> set[str]:
    """The triples of a named graph (None: the default graph) as N-Triples lines."""
    name = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
    quads = store.oxigraph.quads_for_pattern(None, None, None, name)
    return {f"{q.subject} {q.predicate} {q.object} ." for q in quads}


def check_consistent(path: str) -> tuple[int, int]:
    """Every present document equals version 1 or 2 exactly; the manifest matches the data; the
    default graph is the merge of the named graphs."""
    counts = {1: 0, 2: 0}
    with lodpub.store.open(path) as store:
        keys = store.documents()
        for key in keys:
            i = int(key.split("-")[1])
            graphs = {
                g: stored_lines(store, g) for g in (U.claims_graph(key), U.catalogue_graph(key))
            }
            matches = [v for v in (1, 2) if graphs == expected_lines(i, v)]
            assert matches, f"document {key} is incomplete or mixed"
            counts[matches[0]] += 1
        total, merged = 0, set()
        for graph in store.graph_names():
            lines = stored_lines(store, graph)
            merged |= lines
            total = manifest.combine(
                total, [], [manifest.graph_share(graph, manifest.lines_digest(lines))]
            )
        assert store.version() == manifest.to_hex(total)
        assert stored_lines(store, None) == merged, "the default graph is not the merge"
        assert store.stats()["documents"] == len(keys)
        persons = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{CRM.E21_Person}> }}"
        assert int(next(iter(store.query(persons)))["n"].value) == (50 if keys else 0)
    return counts[1], counts[2]


@pytest.mark.parametrize(
    ("writes_done", "delay"), [(0, 0.0), (9, 0.002), (38, 0.0), (47, 0.005), (61, 0.001)]
)
def test_sigkill_leaves_documents_whole(tmp_path, writes_done, delay):
    """Kill `delay` s after write number `writes_done` + 1 handed its update to Oxigraph."""
    path = str(tmp_path / "store")
    proc = subprocess.Popen(
        [sys.executable, __file__, path], stdout=subprocess.PIPE, text=True, bufsize=1
    )
    try:
        done = 0
        while True:
            line = proc.stdout.readline()
            assert line, "the writer ended before the kill"
            if line.startswith("wrote"):
                done += 1
            elif done == writes_done:
                time.sleep(delay)
                os.kill(proc.pid, signal.SIGKILL)
                break
    finally:
        proc.wait()
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    v1, v2 = check_consistent(path)
    # Documents 0..39 get v1, then v2: the writes that returned are all there, and the one
    # killed in flight is wholly there or wholly absent.
    completed = v1 + 2 * v2 if writes_done < DOCUMENTS else DOCUMENTS + v2
    assert completed - writes_done in (0, 1)


if __name__ == "__main__":
    writer(sys.argv[1])
