"""lodpub.validate's API: what it validates, what the Report says, and how it fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import SH

from lodpub.validate import Report, Result, shapes_graph, validate
from lodpub.validate.shapes import load_shapes

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
SEOUL = URIRef("http://example.org/id/seoul")
MEETING = URIRef("http://example.org/id/meeting")


def fixture(name: str) -> Graph:
    return Graph().parse(FIXTURES / name)


def test_warnings_alone_do_not_refuse_a_graph():
    report = validate(fixture("document-no-carrier.ttl"))
    assert report.conforms
    assert report.violations == []
    assert [r.severity for r in report.warnings] == ["Warning"]


def test_a_violation_refuses_a_graph():
    report = validate(fixture("event-carried-out-by-place.ttl"))
    assert not report.conforms
    (result,) = report.violations
    assert isinstance(result, Result)
    assert result.is_violation
    assert (result.focus, result.path, result.value) == (
        MEETING,
        "crm:P14_carried_out_by",
        SEOUL,
    )
    assert result.shape == URIRef("https://w3id.org/lodpub/shapes#TemporalEntityShape-carriedOutBy")


def test_results_come_in_the_report_graph_too():
    report = validate(fixture("event-carried-out-by-place.ttl"))
    assert isinstance(report, Report)
    assert len(list(report.graph.subjects(SH.focusNode, MEETING))) == 1


def test_text_has_one_line_per_result_with_labels_and_prefixes():
    report = validate(fixture("event-carried-out-by-place.ttl"))
    header, line = report.text().splitlines()
    assert header == "Conforms: no (1 violation(s), 0 warning(s))"
    assert line.split(" | ") == [
        "Violation",
        '<http://example.org/id/meeting> "Meeting in Seoul"',
        "crm:P14_carried_out_by",
        '<http://example.org/id/seoul> "Seoul"',
        report.results[0].message,
        "lpsh:TemporalEntityShape-carriedOutBy",
    ]


def test_text_shortens_the_iris_a_message_quotes():
    report = validate(fixture("vocabulary-misspelt-property.ttl"))
    (line,) = report.text().splitlines()[1:]
    assert "crm:P177_assigned_property_type is not a property" in line
    assert "http://www.cidoc-crm.org" not in line


def test_an_empty_graph_conforms():
    report = validate(Graph())
    assert report.conforms and report.results == []
    assert report.text() == "Conforms: yes (0 violation(s), 0 warning(s))"


def test_the_union_of_a_datasets_graphs_is_validated_with_extra():
    """An event in one named graph, its place described in another, its actor only in `extra`."""
    data = fixture("event-carried-out-by-place.ttl")
    dataset = Dataset()
    claims = dataset.graph(URIRef("http://example.org/graph/claims"))
    catalogue = dataset.graph(URIRef("http://example.org/graph/catalogue"))
    for triple in data:
        (catalogue if triple[0] == SEOUL else claims).add(triple)
    report = validate(dataset)
    assert [r.value for r in report.violations] == [SEOUL]
    person = Graph().parse(
        data="""
        @prefix crm: <http://www.cidoc-crm.org/cidoc-crm/> .
        <http://example.org/id/seoul> a crm:E74_Group .
        """,
        format="turtle",
    )
    assert validate(dataset, extra=person).conforms


def test_the_callers_graph_is_left_unchanged():
    data = fixture("event-untyped.ttl")
    before = set(data)
    validate(data)
    assert set(data) == before


def test_an_iri_oxigraph_cannot_hold_is_named():
    data = Graph()
    data.add((URIRef("http://example.org/a b"), URIRef("http://example.org/p"), Literal("x")))
    with pytest.raises(ValueError, match="a b"):
        validate(data)


def test_shapes_are_read_once_per_process():
    assert shapes_graph() is shapes_graph()


def test_a_shapes_file_that_does_not_parse_is_named(tmp_path):
    (tmp_path / "good.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n")
    (tmp_path / "broken.ttl").write_text("this is not turtle\n")
    with pytest.raises(ValueError, match="broken.ttl"):
        load_shapes(tmp_path)


def test_a_folder_without_shapes_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match=str(tmp_path)):
        load_shapes(tmp_path)
