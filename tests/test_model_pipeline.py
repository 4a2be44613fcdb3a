"""The seed through the whole pipeline: sources, extract, resolve, model, validate."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from lodpub.extract import extract
from lodpub.model import authority_graph, build
from lodpub.resolve import Authority, resolve
from lodpub.sources import read_path
from lodpub.uris import Uris
from lodpub.validate import validate
from lodpub.vocab import CRM, LPT, OA

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_3a5edd602105b0b3.txt"
URIS = Uris()


@pytest.fixture(scope="module")
def authority():
    return Authority.load(ROOT / "authority" / "authority.toml")


@pytest.fixture(scope="module")
def resolution(authority):
    result = read_path(SEED)
    assert not result.errors
    record = result.records[0]
    return resolve(record, extract(record), authority, URIS)


@pytest.fixture(scope="module")
def dataset(resolution):
    return build(resolution, URIS)


@pytest.fixture(scope="module")
def triples(dataset):
    return {(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))}


def test_seed_conforms_to_the_shapes(dataset, authority):
    report = validate(dataset, extra=authority_graph(authority, URIS))
    assert report.conforms, report.text()


def test_seed_builds_the_same_quads_twice(dataset, resolution):
    assert set(build(resolution, URIS).quads()) == set(dataset.quads())


def test_translation_holds_the_body_and_every_quote_matches_it(dataset, resolution, triples):
    key = resolution.record.key
    text = URIRef(URIS.doc_part(key, "text", "en"))
    body = resolution.record.body
    assert (text, CRM.P190_has_symbolic_content, Literal(body)) in triples
    catalogue = dataset.graph(URIRef(URIS.catalogue_graph(key)))
    annotations = set(catalogue.subjects(RDF.type, OA.Annotation))
    assert len(annotations) >= len(resolution.links)
    for annotation in annotations:
        target = catalogue.value(annotation, OA.hasTarget)
        by_type = {
            catalogue.value(s, RDF.type): s for s in catalogue.objects(target, OA.hasSelector)
        }
        position = by_type[OA.TextPositionSelector]
        start = catalogue.value(position, OA.start).toPython()
        end = catalogue.value(position, OA.end).toPython()
        exact = catalogue.value(by_type[OA.TextQuoteSelector], OA.exact)
        assert body[start:end] == str(exact)


def test_seed_refers_to_its_curated_people_and_places(resolution, triples):
    text = URIRef(URIS.doc_part(resolution.record.key, "text", "en"))
    for kind, slug in (("person", "kim-il-sung"), ("person", "pak-heon-yeong"), ("place", "seoul")):
        assert (text, CRM.P67_refers_to, URIRef(URIS.thing(kind, slug))) in triples


def test_planned_congress_is_a_plan_and_the_rally_an_activity(triples):
    plans = {s for s, p, o in triples if (p, o) == (RDF.type, CRM.E29_Design_or_Procedure)}
    congress = [p for p in plans if (p, CRM.P2_has_type, LPT["event/congress"]) in triples]
    assert congress
    assert not any((p, RDF.type, CRM.E5_Event) in triples for p in plans)
    rallies = {s for s, p, o in triples if (p, o) == (CRM.P2_has_type, LPT["event/rally"])}
    assert rallies and all((r, RDF.type, CRM.E7_Activity) in triples for r in rallies)


def test_more_than_3000_communists_is_a_lower_limit(triples):
    limits = {o.toPython() for _, p, o in triples if p == CRM.P90a_has_lower_value_limit}
    assert 3000 in limits
    assert not any(p == CRM.P43_has_dimension for _, p, _ in triples)


def test_every_time_span_begins_before_it_ends(triples):
    begins = {s: o.toPython() for s, p, o in triples if p == CRM.P82a_begin_of_the_begin}
    ends = {s: o.toPython() for s, p, o in triples if p == CRM.P82b_end_of_the_end}
    assert begins and begins.keys() == ends.keys()
    assert all(begins[s] <= ends[s] for s in begins)
