"""The seed record, run through the whole pipeline, is published only if it meets every shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Dataset, Graph, URIRef

from lodpub.extract import extract
from lodpub.model import authority_graph, build
from lodpub.resolve import Authority, resolve
from lodpub.sources import read_path
from lodpub.uris import Uris
from lodpub.validate import validate
from lodpub.vocab import CRM, OA

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def seed() -> tuple[Dataset, Graph]:
    (record,) = read_path(ROOT / "seeds" / "000_3a5edd602105b0b3.txt").records
    uris, curated = Uris(), Authority.load(ROOT / "authority" / "authority.toml")
    dataset = build(resolve(record, extract(record), curated, uris), uris)
    return dataset, authority_graph(curated.entities(uris).values(), uris)


def test_seed_conforms_with_its_authority_graph(seed):
    dataset, authorities = seed
    report = validate(dataset, extra=authorities)
    assert report.results == [], report.text()


def test_seed_has_what_the_shapes_are_about(seed):
    """Guards the test above against an empty or truncated build passing trivially."""
    dataset, _ = seed
    types = {o for _, _, o, _ in dataset.quads((None, RDF.type, None, None))}
    needed = {OA.Annotation, CRM["E52_Time-Span"], CRM.E13_Attribute_Assignment, CRM.E31_Document}
    assert needed <= types


def test_seed_without_its_authority_graph_is_refused(seed):
    """Curated entities the document refers to must be validated with it (`extra`)."""
    dataset, _ = seed
    report = validate(dataset)
    assert not report.conforms
    assert any(isinstance(r.value, URIRef) and "/id/" in r.value for r in report.violations)
