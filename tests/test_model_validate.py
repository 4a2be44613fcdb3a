"""The model's output conforms to lodpub's SHACL shapes."""

from __future__ import annotations

from lodpub.model import authority_graph, build, vocabulary_graph
from lodpub.validate import validate
from model_sample import CURATED, URIS, resolution


def test_sample_document_with_its_curated_entities_conforms():
    report = validate(build(resolution(), URIS), extra=authority_graph(CURATED, URIS))
    assert report.conforms, report.text()


def test_vocabulary_conforms():
    report = validate(vocabulary_graph())
    assert report.conforms, report.text()
