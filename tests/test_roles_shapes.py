"""shapes/roles.ttl: every rule has a failing fixture giving exactly its message; the role types
the model uses are declared with a label and a definition."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from rdflib import BNode, Graph
from rdflib.namespace import RDFS, SH, SKOS

from lodpub.model.vocabulary import vocabulary_graph
from lodpub.validate import validate
from lodpub.validate.report import compact
from lodpub.validate.shapes import SHAPES_DIR
from lodpub.vocab import CRM, LP, LPT

FIXTURES = Path(__file__).parent / "fixtures" / "roles"
MANIFEST = tomllib.loads((FIXTURES / "manifest.toml").read_text(encoding="utf-8"))["case"]


def outcome(report) -> set[tuple[str, str, str, str]]:
    return {
        (
            r.severity,
            compact(r.shape),
            "_:" if isinstance(r.focus, BNode) else str(r.focus),
            r.message,
        )
        for r in report.results
    }


@pytest.mark.parametrize("case", MANIFEST, ids=[c["file"] for c in MANIFEST])
def test_failing_fixture_gives_exactly_its_results(case):
    report = validate(Graph().parse(FIXTURES / case["file"]))
    expected = {(e["severity"], e["shape"], e["focus"], e["message"]) for e in case["expect"]}
    assert outcome(report) == expected
    assert not report.conforms


def test_conforming_fixture_passes():
    report = validate(Graph().parse(FIXTURES / "conforming.ttl"))
    assert report.results == [], report.text()


def test_every_role_shape_has_a_failing_fixture():
    shapes = Graph().parse(SHAPES_DIR / "roles.ttl")
    with_message = {compact(s) for s in shapes.subjects(SH.message, None)}
    assert with_message == {e["shape"] for c in MANIFEST for e in c["expect"]}


def test_role_types_are_declared_with_label_and_definition():
    graph = vocabulary_graph()
    roles = {c for c in graph.subjects(SKOS.broader, None) if str(c).startswith(str(LPT["role/"]))}
    roles |= {c for c in graph.subjects(SKOS.broader, LPT["role/secretary"])}
    assert {
        LPT[f"role/{s}"] for s in ("head", "member", "subordinate-organ", "office-holder")
    } <= roles
    for concept in roles:
        assert graph.value(concept, RDFS.label) is not None, concept
        assert graph.value(concept, SKOS.definition) is not None, concept
        assert (concept, SKOS.inScheme, LPT[""]) in graph, concept
    assert graph.value(LPT["event/joining"], LP.crmClass) == CRM.E85_Joining
