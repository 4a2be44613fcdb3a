"""The pipeline the CLI wires, called directly: outcome, timings, publish or refuse, tally."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rdflib import Dataset

import lodpub.store
from lodpub.pipeline import STAGES, Setup, StageError, Tally, ingest_record, publish
from lodpub.resolve import Authority
from lodpub.sources import read_path
from lodpub.sources.record import Record
from lodpub.uris import Uris

ROOT = Path(__file__).resolve().parents[1]
SEED = next((ROOT / "seeds").glob("*.txt"))
REFUSED = ROOT / "tests" / "fixtures" / "cli" / "no-citation.json"


@pytest.fixture(scope="module")
def setup():
    return Setup.prepare(Authority.load(ROOT / "authority" / "authority.toml"), Uris())


def run(setup, path: Path):
    (record,) = read_path(path).records
    return ingest_record(record, setup.authority, setup.uris, authority_graph=setup.authority_graph)


def dump(store) -> bytes:
    buf = io.BytesIO()
    store.export("nquads", buf)
    return buf.getvalue()


def test_seed_outcome_has_every_stage_and_two_graphs(setup):
    outcome = run(setup, SEED)
    assert outcome.conforms
    assert set(outcome.timings) == {"extract", "resolve", "model", "validate"}
    assert {str(g.identifier) for g in outcome.dataset.graphs() if len(g)} == {
        setup.uris.claims_graph(outcome.key),
        setup.uris.catalogue_graph(outcome.key),
    }
    assert any(m.kind == "person" for m in outcome.mentions)


@pytest.fixture
def store(tmp_path, backend):
    """An empty store of the backend, open for writing."""
    with backend.opened(tmp_path) as opened:
        yield opened


def test_publish_stores_a_conforming_document(setup, tmp_path, store):
    setup.publish_shared(store)
    assert store.graph_names() == sorted(
        [setup.uris.authorities_graph, setup.uris.vocabulary_graph]
    )
    outcome = run(setup, SEED)
    assert publish(outcome, store, tmp_path / "reports") is True
    assert store.documents() == [outcome.key]
    assert "store" in outcome.timings
    assert not (tmp_path / "reports").exists()


def test_publish_refuses_a_document_the_shapes_refuse(setup, tmp_path, store):
    setup.publish_shared(store)
    version = store.version()
    before = dump(store)
    outcome = run(setup, REFUSED)
    assert not outcome.conforms
    assert publish(outcome, store, tmp_path / "reports") is False
    assert dump(store) == before
    assert store.version() == version
    saved = Dataset().parse(tmp_path / "reports" / f"{outcome.key}.ttl", format="turtle")
    assert len(saved) == len(outcome.report.graph)


def test_a_failing_stage_names_record_key_and_stage(setup):
    # keys from the readers are slugs; a hand-made key with a space cannot become a URI
    record = Record(source="hand-made.txt", key="not a slug", title="t", body="Kim met Pak.")
    with pytest.raises(StageError) as info:
        ingest_record(record, setup.authority, setup.uris, authority_graph=setup.authority_graph)
    assert info.value.record is record
    assert info.value.stage in STAGES
    assert "hand-made.txt: document not a slug:" in str(info.value)


def test_tally_counts_published_and_refused(setup, tmp_path):
    tally = Tally()
    store = lodpub.store.open("memory:")
    for path in (SEED, REFUSED):
        outcome = run(setup, path)
        tally.add(outcome, published=publish(outcome, store, tmp_path))
    assert (tally.published, tally.refused, tally.ok) == (1, 1, False)
    assert len(tally.entities["person"]) >= 3
    assert tally.triples == len(run(setup, SEED).dataset)
    assert set(tally.mean_ms()) == set(STAGES)
