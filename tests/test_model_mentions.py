"""Mentions as Web Annotations: selectors that reproduce their span, references they back."""

from __future__ import annotations

import dataclasses

import pytest
from rdflib import URIRef, namespace
from rdflib.namespace import RDF

from lodpub.model import ModelError, build
from lodpub.vocab import CRM, LP, OA
from model_sample import BODY, URIS, resolution

TEXT = URIRef(f"{URIS.document('sample-1')}/text/en")


@pytest.fixture(scope="module")
def catalogue():
    return build(resolution(), URIS).graph(URIRef(URIS.catalogue_graph("sample-1")))


def selectors(graph, annotation):
    target = graph.value(annotation, OA.hasTarget)
    found = {graph.value(s, RDF.type): s for s in graph.objects(target, OA.hasSelector)}
    return target, found[OA.TextPositionSelector], found[OA.TextQuoteSelector]


def test_every_annotation_quotes_exactly_the_span_it_points_to(catalogue):
    annotations = set(catalogue.subjects(RDF.type, OA.Annotation))
    assert len(annotations) >= 20
    for annotation in annotations:
        target, position, quote = selectors(catalogue, annotation)
        assert catalogue.value(target, OA.hasSource) == TEXT
        start = catalogue.value(position, OA.start)
        end = catalogue.value(position, OA.end)
        assert start.datatype == namespace.XSD.nonNegativeInteger
        start, end = start.toPython(), end.toPython()
        assert BODY[start:end] == str(catalogue.value(quote, OA.exact))
        prefix = catalogue.value(quote, OA.prefix)
        suffix = catalogue.value(quote, OA.suffix)
        assert prefix is None or BODY[:start].endswith(str(prefix))
        assert suffix is None or BODY[end:].startswith(str(suffix))
        assert prefix is None or len(prefix) <= 32
        assert catalogue.value(annotation, OA.motivatedBy) == OA.identifying


def test_each_linked_mention_is_annotated_with_its_entity_recognizer_and_link(catalogue):
    for link in resolution().links:
        annotation = URIRef(URIS.mention("sample-1", link.mention.start, link.mention.end))
        assert catalogue.value(annotation, OA.hasBody) == URIRef(link.entity)
        assert str(catalogue.value(annotation, LP.recognizer)) == link.mention.recognizer
        assert str(catalogue.value(annotation, LP.confidence)) == "0.900"
        assert str(catalogue.value(annotation, LP.linkMethod)) == link.method


def test_text_refers_only_to_what_an_annotation_backs(catalogue):
    bodies = {catalogue.value(a, OA.hasBody) for a in catalogue.subjects(RDF.type, OA.Annotation)}
    referred = set(catalogue.objects(TEXT, CRM.P67_refers_to))
    assert {URIRef(link.entity) for link in resolution().links} <= referred
    assert referred <= bodies


def test_two_bodies_for_one_span_get_two_annotations():
    res = resolution()
    first = res.links[0]
    extra = dataclasses.replace(first, entity=URIS.thing("person", "someone-else"))
    built = build(dataclasses.replace(res, links=(*res.links, extra)), URIS)
    catalogue = built.graph(URIRef(URIS.catalogue_graph("sample-1")))
    start, end = first.mention.span
    one = URIRef(URIS.mention("sample-1", start, end))
    two = URIRef(f"{one}-2")
    assert {catalogue.value(one, OA.hasBody), catalogue.value(two, OA.hasBody)} == {
        URIRef(first.entity),
        URIRef(extra.entity),
    }


def test_mention_whose_text_is_not_the_span_is_refused():
    res = resolution()
    link = res.links[0]
    moved = dataclasses.replace(
        link.mention, start=link.mention.start + 1, end=link.mention.end + 1
    )
    bad = dataclasses.replace(link, mention=moved)
    with pytest.raises(ModelError, match=r"\[mentions\]"):
        build(dataclasses.replace(res, links=(bad, *res.links[1:])), URIS)


def test_mention_outside_the_body_is_refused():
    res = resolution()
    link = res.links[0]
    outside = dataclasses.replace(link.mention, start=len(BODY), end=len(BODY) + 3, text="")
    with pytest.raises(ModelError, match="outside the text"):
        build(dataclasses.replace(res, links=(dataclasses.replace(link, mention=outside),)), URIS)
