"""The seed record, run through the whole pipeline, is published only if it meets every shape."""

from __future__ import annotations

import pytest
from rdflib import RDF, Dataset, Graph, URIRef

from lodpub.validate import validate
from lodpub.validate.benchmark import DEFAULT_AUTHORITY, DEFAULT_RECORD, graphs
from lodpub.vocab import CRM, OA


@pytest.fixture(scope="module")
def seed() -> tuple[Dataset, Graph]:
    return graphs(DEFAULT_RECORD, DEFAULT_AUTHORITY)


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
