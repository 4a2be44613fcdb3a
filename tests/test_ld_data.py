"""What a data document holds: own triples, labels and types of neighbours, incoming links
(paged for hubs, never cut), and JSON-LD with lodpub's published context."""

from __future__ import annotations

import json

import pytest
import rdflib
import requests
from rdflib import RDF, RDFS, URIRef

from ld_servers import BASE, HUB, HUB_MENTIONS, SEED_KEY, ld_server, thing

CRM = rdflib.Namespace("http://www.cidoc-crm.org/cidoc-crm/")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")


@pytest.fixture(scope="module")
def site(backend):
    with ld_server(backend) as url:
        yield url


def turtle(url: str) -> rdflib.Graph:
    response = requests.get(url, headers={"Accept": "text/turtle"}, timeout=30)
    assert response.status_code == 200, response.text
    return rdflib.Graph().parse(data=response.content, format="turtle", publicID=response.url)


def test_a_description_has_its_own_triples_and_its_neighbours_labels(site):
    person = URIRef(thing("person/pak-heon-yeong"))
    graph = turtle(f"{site}/id/person/pak-heon-yeong")
    assert (person, RDF.type, CRM.E21_Person) in graph
    names = list(graph.objects(person, CRM.P1_is_identified_by))
    assert len(names) >= 2
    for name in names:
        assert graph.value(name, RDFS.label) is not None, f"no label for {name}"
        assert graph.value(name, RDF.type) is not None, f"no type for {name}"


def test_a_description_has_its_incoming_links_with_their_labels(site):
    person = URIRef(thing("person/pak-heon-yeong"))
    graph = turtle(f"{site}/data/person/pak-heon-yeong.ttl")
    text = URIRef(thing(f"document/{SEED_KEY}/text/en"))
    assert (text, CRM.P67_refers_to, person) in graph
    assert graph.value(text, RDFS.label) is not None
    annotations = list(graph.subjects(OA.hasBody, person))
    assert len(annotations) >= 5
    assert all((a, RDF.type, OA.Annotation) in graph for a in annotations)


def test_a_hub_is_paged_with_hydra_links_and_nothing_is_cut(site):
    url = f"{site}/data/place/hub-town.ttl"
    seen: list[tuple] = []
    pages = 0
    total = None
    while url:
        graph = turtle(url)
        pages += 1
        itself = URIRef(url)
        assert (itself, RDF.type, HYDRA.PartialCollectionView) in graph
        collection = graph.value(predicate=HYDRA.view, object=itself)
        total = int(graph.value(collection, HYDRA.totalItems))
        seen += [t for t in graph.triples((None, None, URIRef(HUB))) if t[0] != itself]
        following = graph.value(itself, HYDRA.next)
        url = str(following) if following else None
    assert pages == 3  # 2,101 incoming links, 1,000 a page
    assert len(seen) == len(set(seen)) == total
    mentions = [t for t in seen if t[1] == OA.hasBody]
    assert len(mentions) == HUB_MENTIONS


def test_a_small_description_has_no_paging(site):
    graph = turtle(f"{site}/data/person/pak-heon-yeong.ttl")
    assert not list(graph.triples((None, HYDRA.next, None)))
    assert not list(graph.subjects(RDF.type, HYDRA.PartialCollectionView))


def test_the_html_page_of_a_hub_is_paged_too(site):
    first = requests.get(f"{site}/page/place/hub-town", timeout=60).text
    assert "Page 1 of 3" in first
    assert 'href="/page/place/hub-town?page=2" rel="next"' in first
    last = requests.get(f"{site}/page/place/hub-town?page=3", timeout=60).text
    assert "Page 3 of 3" in last
    assert f"({HUB_MENTIONS} passages)" in last


def test_json_ld_uses_the_published_context_with_readable_keys(site):
    response = requests.get(f"{site}/data/person/kim-il-sung.jsonld", timeout=30)
    assert response.headers["Content-Type"] == "application/ld+json"
    document = response.json()
    assert document["@context"] == f"{site}/ns/context.jsonld"
    nodes = {node["id"]: node for node in document["@graph"]}
    person = nodes[thing("person/kim-il-sung")]
    assert person["type"] == "Person"
    assert person["_label"] == "Kim Il Sung"
    assert all(
        name.startswith(f"{BASE}/id/person/kim-il-sung/name/") for name in person["identified_by"]
    )
    name = nodes[f"{BASE}/id/person/kim-il-sung/name/primary"]
    assert name["type"] == "Name"
    assert name["_label"] == "Kim Il Sung"


def test_the_context_is_served_and_maps_every_key_to_one_iri(site):
    response = requests.get(f"{site}/ns/context.jsonld", timeout=30)
    assert response.headers["Content-Type"] == "application/ld+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    context = response.json()["@context"]
    assert context["id"] == "@id" and context["type"] == "@type"
    assert context["identified_by"] == {"@id": "crm:P1_is_identified_by", "@type": "@id"}
    assert context["crm"] == "http://www.cidoc-crm.org/cidoc-crm/"
    iris = [
        v["@id"] if isinstance(v, dict) else v for k, v in context.items() if not k.startswith("@")
    ]
    terms = [i for i in iris if i not in ("@id", "@type")]
    assert len(terms) == len(set(terms))
    tag = response.headers["ETag"]
    again = requests.get(f"{site}/ns/context.jsonld", headers={"If-None-Match": tag}, timeout=30)
    assert again.status_code == 304


def test_json_ld_keeps_datatypes_and_languages(site):
    """Integers are JSON numbers, dates keep their datatype, English labels are plain strings,
    and everything parses back to the Turtle's literals."""
    position = f"{site}/data/document/{SEED_KEY}/mention/613-626/selector/position"
    document = requests.get(position + ".jsonld", timeout=30).json()
    node = next(n for n in document["@graph"] if n["id"].endswith("/selector/position"))
    assert node["start"] == 613
    parsed = rdflib.Graph().parse(data=json.dumps(document), format="json-ld", publicID=position)
    expected = turtle(position + ".ttl")
    subject = URIRef(node["id"])
    assert parsed.value(subject, OA.start) == expected.value(subject, OA.start)
    span = f"{site}/data/event/1945-10-20-seoul-rally/timespan"
    document = requests.get(span + ".jsonld", timeout=30).json()
    node = next(n for n in document["@graph"] if n["id"].endswith("/timespan"))
    assert node["begin_of_the_begin"] == "1945-10-20T00:00:00"
    assert node["_label"] == "20 October 1945"
    parsed = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
    begin = parsed.value(URIRef(node["id"]), CRM.P82a_begin_of_the_begin)
    assert begin.datatype == rdflib.XSD.dateTime
