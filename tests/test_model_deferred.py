"""The model's deferred-index store answers every read as rdflib's Memory store would."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from lodpub.extract import extract
from lodpub.model import build
from lodpub.model.deferred import DeferredMemory
from lodpub.resolve import Authority, resolve
from lodpub.sources import read_path
from lodpub.uris import Uris
from lodpub.vocab import CRM

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_3a5edd602105b0b3.txt"
URIS = Uris()
EX = "http://example.org/"
A, B = URIRef(EX + "graph/a"), URIRef(EX + "graph/b")
S, T = URIRef(EX + "s"), URIRef(EX + "t")


@pytest.fixture(scope="module")
def seed_dataset() -> Dataset:
    record = read_path(SEED).records[0]
    authority = Authority.load(ROOT / "authority" / "authority.toml")
    return build(resolve(record, extract(record), authority, URIS), URIS)


def plain_copy(dataset: Dataset) -> Dataset:
    """The same quads in rdflib's own Memory store."""
    copy = Dataset()
    for graph in dataset.graphs():
        target = copy.graph(graph.identifier)
        for triple in graph:
            target.add(triple)
    return copy


def pair() -> tuple[Dataset, Dataset]:
    """Two datasets with the same quads (one triple in both graphs): deferred, plain Memory."""
    made = []
    for store in (DeferredMemory(), "Memory"):
        dataset = Dataset(store=store)
        a, b = dataset.graph(A), dataset.graph(B)
        a.add((S, RDF.type, CRM.E21_Person))
        a.add((S, RDFS.label, Literal("s", lang="en")))
        b.add((S, RDFS.label, Literal("s", lang="en")))
        b.add((T, RDFS.label, Literal("t")))
        made.append(dataset)
    return made[0], made[1]


def test_build_returns_a_dataset_on_the_deferred_store(seed_dataset):
    assert isinstance(seed_dataset.store, DeferredMemory)


def test_whole_graph_reads_match_memory(seed_dataset):
    plain = plain_copy(seed_dataset)
    assert set(seed_dataset.quads()) == set(plain.quads())
    assert len(seed_dataset) == len(plain) > 0
    graphs = {g.identifier: (len(g), set(g)) for g in seed_dataset.graphs()}
    assert graphs == {g.identifier: (len(g), set(g)) for g in plain.graphs()}
    catalogue = URIRef(URIS.catalogue_graph(read_path(SEED).records[0].key))
    assert isomorphic(seed_dataset.graph(catalogue), plain.graph(catalogue))


def test_pattern_reads_and_queries_match_memory(seed_dataset):
    plain = plain_copy(seed_dataset)
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a ?class } }"
    assert list(seed_dataset.query(query)) == list(plain.query(query))
    doc = URIRef(URIS.document(read_path(SEED).records[0].key))
    assert set(seed_dataset.quads((doc, None, None, None))) == set(
        plain.quads((doc, None, None, None))
    )
    assert set(seed_dataset.quads()) == set(plain.quads())


def test_a_triple_in_two_graphs_is_one_triple_with_both_graphs():
    deferred, plain = pair()
    assert len(deferred) == len(plain) == 3
    assert sorted(deferred.quads()) == sorted(plain.quads())
    label = (S, RDFS.label, Literal("s", lang="en"))
    assert (
        {g.identifier for g in deferred.graphs(label)}
        == {g.identifier for g in plain.graphs(label)}
        >= {A, B}
    )
    assert len(deferred.graph(A)) == 2 and len(deferred.graph(URIRef(EX + "none"))) == 0


def test_writes_after_indexing_behave_as_memory():
    deferred, plain = pair()
    for dataset in (deferred, plain):
        assert dataset.graph(A).value(S, RDF.type) == CRM.E21_Person  # indexes the store
        dataset.graph(A).remove((S, None, None))
        dataset.graph(B).add((T, RDF.type, CRM.E21_Person))
    assert sorted(deferred.quads()) == sorted(plain.quads())
    assert len(deferred) == len(plain) == 3
    assert len(deferred.graph(A)) == 0
