"""lodpub.validate.lookup: pyshacl's constraint parameters answered from a set, same reports."""

from __future__ import annotations

from pathlib import Path

import pyshacl
from pyshacl import shape
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from lodpub.validate import Context, validate
from lodpub.validate.lookup import Parameters, install

SHAPES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "shapes"
AUTHORITIES = Context(Graph().parse(SHAPES / "authorities.ttl"))
FIXTURES = ("conforming.trig", "document-no-carrier.ttl", "person-no-primary-name.ttl")


def parse(name: str) -> Dataset:
    return Dataset().parse(SHAPES / name, format="trig")


def test_pyshacl_reads_the_set_backed_parameters(monkeypatch):
    """Fails when a pyshacl release no longer takes the patch: re-check lookup.py against it."""
    assert install(), f"lodpub.validate.lookup not checked against pyshacl {pyshacl.__version__}"
    asked = []
    contains = Parameters.__contains__
    monkeypatch.setattr(
        Parameters, "__contains__", lambda self, p: bool(asked.append(p)) or contains(self, p)
    )
    validate(parse("conforming.trig"), extra=AUTHORITIES)
    assert asked


def test_the_reports_are_those_of_pyshacls_own_list(monkeypatch):
    patched = [validate(parse(name), extra=AUTHORITIES) for name in FIXTURES]
    monkeypatch.setattr(
        shape, "CONSTRAINT_PARAMS", (list(ALL_CONSTRAINT_PARAMETERS), CONSTRAINT_PARAMETERS_MAP)
    )
    for name, report in zip(FIXTURES, patched, strict=True):
        plain = validate(parse(name), extra=AUTHORITIES)
        assert report.results == plain.results
        assert report.text() == plain.text()
        assert isomorphic(report.graph, plain.graph)
    assert sum(bool(report.results) for report in patched) == 2


def test_the_list_keeps_its_set_in_step_when_pyshacl_extends_a_copy():
    parameters = Parameters(ALL_CONSTRAINT_PARAMETERS)
    extended = parameters.copy()
    extended.append("sh:expression")
    assert "sh:expression" in extended and "sh:expression" not in parameters
    assert list(extended) == [*ALL_CONSTRAINT_PARAMETERS, "sh:expression"]
    assert all(p in parameters for p in ALL_CONSTRAINT_PARAMETERS)
