"""`validate_batch`: many documents in one pyshacl call, each report the one `validate` gives
alone, even when the documents share nodes; and the pipeline's batches change no outcome."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDFS, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

import lodpub.pipeline
from lodpub.pipeline import BATCH, Setup, StageError, read_inputs
from lodpub.resolve import Authority
from lodpub.uris import Uris
from lodpub.validate import Context, validate
from lodpub.validate.batch import validate_batch

ROOT = Path(__file__).resolve().parents[1]
SHAPES = ROOT / "tests" / "fixtures" / "shapes"
ROLES = ROOT / "tests" / "fixtures" / "roles"
AUTHORITIES = Context(Graph().parse(SHAPES / "authorities.ttl"))
REPORT = URIRef("http://example.org/id/report")
CARRIER = """
@prefix crm: <http://www.cidoc-crm.org/cidoc-crm/> .
<http://example.org/id/file> a crm:E22_Human-Made_Object ;
    crm:P128_carries <http://example.org/id/report> .
"""


def parse(path: Path) -> Dataset:
    return Dataset().parse(path, format="trig")


def fixtures() -> list[Dataset]:
    files = sorted(SHAPES.glob("*.ttl")) + sorted(ROLES.glob("*.ttl"))
    files += [SHAPES / "conforming.trig"]
    return [parse(f) for f in files if f.name != "authorities.ttl"]


def assert_same(batched, alone) -> None:
    assert batched.conforms == alone.conforms
    assert batched.results == alone.results
    assert batched.text() == alone.text()


def test_every_fixture_in_one_batch_gets_its_own_report():
    """The fixtures name the same places, persons and documents (example.org/id/seoul...): in
    one batch, each still gets exactly the results, order and labels it gets alone."""
    data = fixtures()
    batched = validate_batch(data, extra=AUTHORITIES)
    assert len(batched) == len(data)
    assert sum(not report.conforms for report in batched) > 50
    for dataset, report in zip(data, batched, strict=True):
        alone = validate(dataset, extra=AUTHORITIES)
        assert_same(report, alone)
        assert isomorphic(report.graph, alone.graph)


def test_what_another_document_says_does_not_hide_a_result():
    """One document's carrier of the report would silence the report's warning if the two were
    validated as one graph; the report's own result stays."""
    no_carrier = parse(SHAPES / "document-no-carrier.ttl")
    carrier = Dataset().parse(data=CARRIER, format="trig")
    batched, _ = validate_batch([no_carrier, carrier], extra=AUTHORITIES)
    alone = validate(no_carrier, extra=AUTHORITIES)
    assert [r.focus for r in alone.warnings] == [REPORT]
    assert_same(batched, alone)
    assert validate(no_carrier + carrier, extra=AUTHORITIES).warnings == []


@pytest.mark.parametrize("size", [1, 2, 5])
def test_conforming_documents_get_the_report_validate_gives(size):
    conforming = parse(SHAPES / "conforming.trig")
    alone = validate(conforming, extra=AUTHORITIES)
    assert alone.conforms and alone.results == []
    for report in validate_batch([conforming] * size, extra=AUTHORITIES):
        assert_same(report, alone)
        assert isomorphic(report.graph, alone.graph)


def test_an_empty_batch_gives_no_reports():
    assert validate_batch([], extra=AUTHORITIES) == []


def test_a_batch_without_extra_is_validated_as_validate_does():
    data = fixtures()[:12]
    for dataset, report in zip(data, validate_batch(data), strict=True):
        assert_same(report, validate(dataset))


def records() -> list:
    """The seed, the CLI fixtures (one refused for its missing citation) and the seed again."""
    seed = next((ROOT / "seeds").iterdir())
    paths = [seed, ROOT / "tests/fixtures/cli/no-citation.json", seed]
    return [r for read in read_inputs(paths) for r in read.result.records]


def test_the_pipeline_batch_gives_each_record_its_outcome_alone():
    setup = Setup.prepare(Authority.load(ROOT / "authority" / "authority.toml"), Uris())
    batch = records()
    assert len(batch) <= BATCH
    together = setup.ingest_batch(batch)
    assert [o.conforms for o in together] == [True, False, True]
    for record, outcome in zip(batch, together, strict=True):
        alone = setup.ingest(record)
        assert not isinstance(outcome, StageError)
        assert_same(outcome.report, alone.report)
        assert set(outcome.dataset.quads()) == set(alone.dataset.quads())
        assert set(outcome.timings) == set(alone.timings)


def test_a_record_pyshacl_cannot_take_fails_alone(monkeypatch):
    """A batch that cannot be validated is validated record by record: only the faulty record
    fails, with the error `validate` gives it alone."""
    setup = Setup.prepare(Authority.load(ROOT / "authority" / "authority.toml"), Uris())
    batch = records()
    build = lodpub.pipeline.model.build

    def faulty(resolution, uris):
        dataset = build(resolution, uris)
        if resolution.record.source.endswith(".json"):
            dataset.add((URIRef("http://example.org/bad iri"), RDFS.label, Literal("x")))
        return dataset

    monkeypatch.setattr(lodpub.pipeline.model, "build", faulty)
    first, failed, last = setup.ingest_batch(batch)
    assert first.conforms and last.conforms
    assert isinstance(failed, StageError)
    assert failed.stage == "validate"
    assert "cannot validate the triple <http://example.org/bad iri>" in str(failed)


def test_batches_after_one_with_results_give_the_same_outcomes():
    """Batches with and without results, one after the other: every call gives the outcomes
    of `ingest`, report graphs included."""
    setup = Setup.prepare(Authority.load(ROOT / "authority" / "authority.toml"), Uris())
    seed, refused, _ = records()
    expected = {id(r): setup.ingest(r).report for r in (seed, refused)}
    for batch in ([seed, refused], [seed, seed], [seed, refused], [seed]):
        outcomes = setup.ingest_batch(batch)
        assert [o.report.text() for o in outcomes] == [expected[id(r)].text() for r in batch]
        for record, outcome in zip(batch, outcomes, strict=True):
            assert isomorphic(outcome.report.graph, expected[id(record)].graph)
