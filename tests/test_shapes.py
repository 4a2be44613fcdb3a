"""Every shape in shapes/ has a failing fixture giving exactly its messages; a full graph passes."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from pyshacl import ShapesGraph
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.namespace import RDFS, SH

from lodpub.validate import shapes_graph, validate
from lodpub.validate.datagraph import DataGraph, load
from lodpub.validate.report import compact
from lodpub.validate.schema import schema

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
MANIFEST = tomllib.loads((FIXTURES / "manifest.toml").read_text(encoding="utf-8"))["case"]
CONFORMING = FIXTURES / "conforming.trig"
AUTHORITIES = FIXTURES / "authorities.ttl"
ROLES = Path(__file__).parent / "fixtures" / "roles"
NOT_FAILING = {"conforming.trig", "authorities.ttl", "manifest.toml"}

CHECKS = URIRef("https://w3id.org/lodpub/shapes#checks")


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
    assert report.conforms == all(e["severity"] != "Violation" for e in case["expect"])


def test_every_fixture_file_is_in_the_manifest():
    files = {p.name for p in FIXTURES.iterdir()} - NOT_FAILING
    assert files == {c["file"] for c in MANIFEST}


def test_every_shape_with_a_message_has_a_failing_fixture():
    """roles.ttl's failing fixtures live with the roles work, in tests/fixtures/roles/."""
    roles = tomllib.loads((ROLES / "manifest.toml").read_text(encoding="utf-8"))["case"]
    shapes = {compact(s) for s in shapes_graph().subjects(SH.message, None)}
    covered = {e["shape"] for c in MANIFEST + roles for e in c["expect"]}
    assert shapes - covered == set()


def conforming() -> tuple[Dataset, Graph]:
    dataset = Dataset()
    dataset.parse(CONFORMING, format="trig")
    return dataset, Graph().parse(AUTHORITIES)


def test_conforming_fixture_passes_without_warnings():
    dataset, authorities = conforming()
    report = validate(dataset, extra=authorities)
    assert report.results == [], report.text()
    assert report.conforms


def test_conforming_fixture_needs_its_authorities():
    dataset, _ = conforming()
    report = validate(dataset)
    assert not report.conforms
    assert URIRef("http://127.0.0.1:8080/id/place/seoul") in {r.value for r in report.violations}


def test_conforming_fixture_exercises_every_shape():
    """Shapes with core targets find focus nodes in it; shapes with a SPARQL target (which picks
    only the nodes breaking them) name in lpsh:checks the classes they are about, and it has
    instances of each."""
    dataset, authorities = conforming()
    store = load([dataset, authorities], schema())
    data = DataGraph(store)
    idle = []
    for shape in ShapesGraph(shapes_graph()).shapes:
        shape.set_advanced(True)
        name = compact(shape.node)
        checked = set(shapes_graph().objects(shape.node, CHECKS))
        if shape.advanced_target():
            assert checked, f"{name} has a SPARQL target but no lpsh:checks"
            idle += [
                f"{name}: no {compact(c)}"
                for c in checked - {RDFS.Resource}
                if not instances(store, c)
            ]
        elif any(list(t) for t in shape.target()) and not shape.focus_nodes(data):
            idle.append(name)
    assert idle == []


def instances(store, cls) -> bool:
    query = f"ASK {{ {{ ?x a <{cls}> }} UNION {{ ?x a/<{RDFS.subClassOf}> <{cls}> }} }}"
    return bool(store.query(query))


def test_readme_lists_every_shape_with_its_message():
    readme = (Path(__file__).parents[1] / "shapes" / "README.md").read_text(encoding="utf-8")
    missing = [
        compact(shape)
        for shape, message in shapes_graph().subject_objects(SH.message)
        if f"`{compact(shape).split(':')[1]}`" not in readme or str(message) not in readme
    ]
    assert missing == []
