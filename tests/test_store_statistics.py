"""Publish-time statistics: the VoID counts of a generation, stored in it as ordinary triples."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ld_servers import BASE, published_store
from lodpub.store import statistics
from lodpub.store.generations import live_generation
from lodpub.web.app import create_app
from lodpub.web.settings import Settings

GRAPH = statistics.STATISTICS_GRAPH
BY_CLASS = f"""PREFIX void: <http://rdfs.org/ns/void#>
SELECT ?class ?n WHERE {{ GRAPH <{GRAPH}> {{ ?part void:class ?class ; void:entities ?n }} }}"""
GROUP_BY = "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return ox.Store.read_only(str(live_generation(published_store())))


def counts(results) -> dict[str, int]:
    return {row["class"].value: int(row["n"].value) for row in results}


def test_counts_by_class_equal_a_group_by_over_the_seed(store):
    published = counts(store.query(BY_CLASS))
    assert published == counts(store.query(GROUP_BY))
    assert published["http://www.cidoc-crm.org/cidoc-crm/E21_Person"] >= 11


def test_properties_and_triples_equal_the_default_graph(store):
    version = statistics.version_of(store)
    stats = statistics.read(store, version)
    assert stats is not None
    triples = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert stats.triples == triples
    properties = {
        r["p"].value: int(r["n"].value)
        for r in store.query("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p")
    }
    assert dict(stats.properties) == properties
    typed = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c }"
    assert stats.entities == int(next(iter(store.query(typed)))["n"].value)


def test_the_statistics_stay_out_of_the_default_graph(store):
    void_class = ox.NamedNode("http://rdfs.org/ns/void#class")
    assert not list(store.quads_for_pattern(None, void_class, None, ox.DefaultGraph()))
    assert list(store.quads_for_pattern(None, void_class, None, ox.NamedNode(GRAPH)))


def test_statistics_of_another_version_are_not_read(store):
    assert statistics.read(store, "0" * 32) is None


def test_a_store_without_a_manifest_gets_no_statistics():
    bare = ox.Store()
    bare.add(ox.Quad(ox.NamedNode("x:s"), ox.NamedNode("x:p"), ox.NamedNode("x:o")))
    assert statistics.write(bare) is None
    assert len(bare) == 1


def test_the_endpoint_and_the_void_answer_from_the_statistics(store, tmp_path):
    settings = Settings(store=str(published_store()), base_uri=BASE, dumps_dir=str(tmp_path))
    client = create_app(settings).test_client()
    response = client.get(
        "/sparql", query_string={"query": BY_CLASS}, headers={"Accept": "text/csv"}
    )
    assert response.status_code == 200
    lines = response.get_data(as_text=True).strip().splitlines()[1:]
    served = {c: int(n) for c, n in (line.split(",") for line in lines)}
    assert served == counts(store.query(GROUP_BY))
    void = client.get("/dataset.nt").get_data(as_text=True)
    assert f"<http://www.w3.org/2000/01/rdf-schema#seeAlso> <{GRAPH}>" in void
