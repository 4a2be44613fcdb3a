"""The claims graph: events, plans, time-spans and counts; the author's belief in them."""

from __future__ import annotations

import dataclasses

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from lodpub.extract.mention import DateValue
from lodpub.model import ModelError, build
from lodpub.model.timespans import iso_bounds, span_label
from lodpub.vocab import CRM, CRMINF, LPT, OA
from model_sample import URIS, resolution, span, thing

DOC = URIRef(URIS.document("sample-1"))
CLAIMS = URIRef(URIS.claims_graph("sample-1"))
MEETING = URIRef(thing("event", "1945-10-20-meeting"))
PLAN = URIRef(thing("event", "1945-12-kcp-congress"))


@pytest.fixture(scope="module")
def dataset():
    return build(resolution(), URIS)


@pytest.fixture(scope="module")
def claims(dataset):
    return dataset.graph(CLAIMS)


@pytest.fixture(scope="module")
def catalogue(dataset):
    return dataset.graph(URIRef(URIS.catalogue_graph("sample-1")))


def count_node(text: str) -> URIRef:
    start, end = span(text)
    return URIRef(f"{DOC}/claim/count/{start}-{end}")


def test_meeting_is_an_activity_with_place_participants_and_time_span(claims):
    assert (MEETING, RDF.type, CRM.E7_Activity) in claims
    assert (MEETING, CRM.P2_has_type, LPT["event/meeting"]) in claims
    assert (MEETING, CRM.P7_took_place_at, URIRef(thing("place", "seoul"))) in claims
    assert set(claims.objects(MEETING, CRM.P11_had_participant)) == {
        URIRef(thing("person", "kim-yong-beom")),
        URIRef(thing("person", "pak-heon-yeong")),
    }
    timespan = claims.value(MEETING, CRM["P4_has_time-span"])
    assert timespan == URIRef(f"{MEETING}/timespan")
    assert (timespan, CRM.P2_has_type, LPT["timespan/year-inferred"]) in claims
    assert claims.value(timespan, RDFS.label) == Literal("20 October 1945", lang="en")
    name = claims.value(timespan, CRM.P1_is_identified_by)
    assert claims.value(name, CRM.P190_has_symbolic_content) == Literal("20 October")


def test_plan_is_a_design_never_an_event(claims):
    assert (PLAN, RDF.type, CRM.E29_Design_or_Procedure) in claims
    assert not any(
        (PLAN, RDF.type, cls) in claims
        for cls in (CRM.E5_Event, CRM.E7_Activity, CRM.E66_Formation)
    )
    assert (PLAN, CRM.P2_has_type, LPT["design/plan"]) in claims
    referred = set(claims.objects(PLAN, CRM.P67_refers_to))
    assert URIRef(thing("group", "korean-communist-party")) in referred
    assert URIRef(f"{PLAN}/timespan") in referred
    assert claims.value(PLAN, CRM["P4_has_time-span"]) is None
    assert claims.value(PLAN, CRM.P20_had_specific_purpose) is None


def test_event_types_choose_the_crm_class():
    res = resolution()
    event = res.events[0]
    value = dataclasses.replace(event.mention.event, type="founding")
    mention = dataclasses.replace(event.mention, event=value)
    changed = (dataclasses.replace(event, mention=mention), *res.events[1:])
    claims = build(dataclasses.replace(res, events=changed), URIS).graph(CLAIMS)
    assert (MEETING, RDF.type, CRM.E66_Formation) in claims
    assert (MEETING, CRM.P2_has_type, LPT["event/formation"]) in claims


def test_unknown_event_type_is_an_other_event():
    res = resolution()
    event = res.events[0]
    value = dataclasses.replace(event.mention.event, type="pilgrimage")
    mention = dataclasses.replace(event.mention, event=value)
    changed = (dataclasses.replace(event, mention=mention), *res.events[1:])
    claims = build(dataclasses.replace(res, events=changed), URIS).graph(CLAIMS)
    assert (MEETING, RDF.type, CRM.E5_Event) in claims
    assert (MEETING, CRM.P2_has_type, LPT["event/other"]) in claims


def test_every_time_span_begins_before_it_ends(claims):
    spans = set(claims.subjects(RDF.type, CRM["E52_Time-Span"]))
    assert len(spans) == 3
    for node in spans:
        begin = claims.value(node, CRM.P82a_begin_of_the_begin).toPython()
        end = claims.value(node, CRM.P82b_end_of_the_end).toPython()
        assert begin <= end


def test_date_no_event_uses_gets_its_own_time_span_with_qualifiers(claims):
    start, end = span("Until [5] October")
    node = URIRef(f"{DOC}/date/{start}-{end}")
    types = set(claims.objects(node, CRM.P2_has_type))
    assert {
        LPT["timespan/until"],
        LPT["timespan/supplied"],
        LPT["timespan/year-inferred"],
    } <= types


def test_date_mentions_are_annotated_with_their_time_span(catalogue):
    start, end = span("20 October")
    annotation = URIRef(URIS.mention("sample-1", start, end))
    assert catalogue.value(annotation, OA.hasBody) == URIRef(f"{MEETING}/timespan")


def test_more_than_n_is_an_exclusive_lower_limit_on_an_attribute_assignment(claims):
    node = count_node("more than 3,000")
    assert (node, RDF.type, CRM.E13_Attribute_Assignment) in claims
    kcp = URIRef(thing("group", "korean-communist-party"))
    assert claims.value(node, CRM.P140_assigned_attribute_to) == kcp
    assert claims.value(node, CRM.P177_assigned_property_of_type) == LPT["attribute/member-count"]
    assert claims.value(node, CRM.P14_carried_out_by) == URIRef(f"{DOC}/author")
    assert (DOC, CRM.P70_documents, node) in claims
    dimension = claims.value(node, CRM.P141_assigned)
    assert (dimension, RDF.type, CRM.E54_Dimension) in claims
    assert claims.value(dimension, CRM.P90a_has_lower_value_limit) == Literal(3000)
    assert claims.value(dimension, CRM.P90_has_value) is None
    assert (dimension, CRM.P2_has_type, LPT["dimension/lower-exclusive"]) in claims
    assert claims.value(dimension, CRM.P91_has_unit) == LPT["unit/persons"]
    assert (kcp, CRM.P43_has_dimension, None) not in claims


def test_about_n_is_an_approximate_value(claims):
    dimension = claims.value(count_node("about 10,000"), CRM.P141_assigned)
    assert claims.value(dimension, CRM.P90_has_value) == Literal(10000)
    assert (dimension, CRM.P2_has_type, LPT["dimension/approximate"]) in claims
    assert claims.value(dimension, CRM.P91_has_unit) == LPT["unit/members"]


def test_count_of_an_unnamed_collective_is_of_a_group_of_that_description(claims):
    node = count_node("65 senior communists")
    collective = claims.value(node, CRM.P140_assigned_attribute_to)
    assert (collective, RDF.type, CRM.E74_Group) in claims
    assert claims.value(collective, RDFS.label) == Literal("65 senior communists", lang="en")


def test_count_with_lower_above_upper_is_refused():
    res = resolution()
    bad = tuple(
        dataclasses.replace(m, count=dataclasses.replace(m.count, upper=10))
        if m.kind == "count" and m.count.lower
        else m
        for m in res.mentions
    )
    with pytest.raises(ModelError, match="lower limit above upper"):
        build(dataclasses.replace(res, mentions=bad), URIS)


def test_inverted_date_is_refused():
    res = resolution()
    bad = tuple(
        dataclasses.replace(m, date=DateValue("1945-10-21T00:00:00", "1945-10-20T23:59:59", "day"))
        if m.kind == "date"
        else m
        for m in res.mentions
    )
    with pytest.raises(ModelError, match="begins .* after it ends"):
        build(dataclasses.replace(res, mentions=bad), URIS)


def test_author_holds_the_claims_graph_true(catalogue):
    belief = URIRef(f"{DOC}/belief")
    argumentation = URIRef(f"{DOC}/argumentation")
    assert (CLAIMS, RDF.type, CRMINF.I4_Proposition_Set) in catalogue
    assert (belief, CRMINF.J4_that, CLAIMS) in catalogue
    assert catalogue.value(belief, CRMINF.J5_holds_to_be) == Literal("true")
    assert (argumentation, CRMINF.J2_concluded_that, belief) in catalogue
    assert (argumentation, CRM.P14_carried_out_by, URIRef(f"{DOC}/author")) in catalogue
    assert (DOC, CRM.P70_documents, argumentation) in catalogue


@pytest.mark.parametrize(
    ("date", "bounds", "label"),
    [
        ("1945", ("1945-01-01T00:00:00", "1945-12-31T23:59:59"), "1945"),
        ("1945-02", ("1945-02-01T00:00:00", "1945-02-28T23:59:59"), "February 1945"),
        ("1944-02", ("1944-02-01T00:00:00", "1944-02-29T23:59:59"), "February 1944"),
        ("1945-10-20", ("1945-10-20T00:00:00", "1945-10-20T23:59:59"), "20 October 1945"),
    ],
)
def test_iso_dates_become_inclusive_bounds_and_readable_labels(date, bounds, label):
    assert iso_bounds(date) == bounds
    assert span_label(*bounds) == label


@pytest.mark.parametrize("date", ["45", "1945-13", "1945-02-30", "20 October 1945", ""])
def test_bad_iso_dates_are_refused(date):
    with pytest.raises(ValueError):
        iso_bounds(date)


def test_range_labels():
    assert span_label("1945-10-19T00:00:00", "1945-10-21T23:59:59") == (
        "19 October 1945 – 21 October 1945"
    )
    assert span_label("1941-01-01T00:00:00", "1945-12-31T23:59:59") == "1941–1945"


def test_count_of_unnamed_things_that_form_no_group_is_left_out():
    res = resolution()
    start, end = span("65 senior communists")
    changed = tuple(
        dataclasses.replace(m, count=dataclasses.replace(m.count, unit="places"))
        if m.span == (start, end)
        else m
        for m in res.mentions
    )
    built = build(dataclasses.replace(res, mentions=changed), URIS)
    quads = set(built.quads())
    assert not any(q[0] == count_node("65 senior communists") for q in quads)
    assert not any(q[0] == URIRef(URIS.mention("sample-1", start, end)) for q in quads)
