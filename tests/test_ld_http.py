"""The HTTP rules of cool URIs, against a running server: 303, formats, headers, 304, 404, 406."""

from __future__ import annotations

import pytest
import rdflib
import requests
from rdflib.compare import isomorphic

from ld_servers import BASE, BROWSER_ACCEPT, ld_server, thing

PERSON = "person/kim-il-sung"
FORMATS = {
    "text/turtle": ("ttl", "turtle"),
    "application/ld+json": ("jsonld", "json-ld"),
    "application/rdf+xml": ("rdf", "xml"),
    "application/n-triples": ("nt", "nt"),
}


@pytest.fixture(scope="module")
def site(backend):
    with ld_server(backend) as url:
        yield url


def get(url: str, accept: str | None = None, **kwargs) -> requests.Response:
    headers = {"Accept": accept} if accept is not None else {}
    headers.update(kwargs.pop("headers", {}))
    return requests.get(url, headers=headers, allow_redirects=False, timeout=30, **kwargs)


def parse(response: requests.Response, syntax: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=response.content, format=syntax, publicID=response.url)


def test_a_browser_is_sent_303_to_the_html_page(site):
    response = get(f"{site}/id/{PERSON}", BROWSER_ACCEPT)
    assert response.status_code == 303
    assert response.headers["Location"] == f"{site}/page/{PERSON}"
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("accept", [None, "*/*"])
def test_no_preference_gets_turtle(site, accept):
    headers = {} if accept else {"Accept": None}  # requests sends */* unless told not to
    response = requests.get(
        f"{site}/id/{PERSON}", headers=headers, allow_redirects=False, timeout=30
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"{site}/data/{PERSON}.ttl"


@pytest.mark.parametrize("media_type", list(FORMATS))
def test_each_rdf_format_is_negotiated_to_its_own_url(site, media_type):
    extension, _ = FORMATS[media_type]
    response = get(f"{site}/id/{PERSON}", media_type)
    assert response.status_code == 303
    assert response.headers["Location"] == f"{site}/data/{PERSON}.{extension}"


def test_q_values_are_honoured(site):
    accept = "text/turtle;q=0.5, application/ld+json;q=0.9, text/html;q=0.1"
    response = get(f"{site}/id/{PERSON}", accept)
    assert response.headers["Location"].endswith(".jsonld")
    response = get(f"{site}/id/{PERSON}", "application/ld+json;q=0, text/html;q=0.2")
    assert response.headers["Location"] == f"{site}/page/{PERSON}"


def test_following_the_redirect_gives_the_description(site):
    response = requests.get(f"{site}/id/{PERSON}", headers={"Accept": "text/turtle"}, timeout=30)
    assert response.status_code == 200
    graph = parse(response, "turtle")
    label = graph.value(rdflib.URIRef(thing(PERSON)), rdflib.RDFS.label)
    assert str(label) == "Kim Il Sung"


@pytest.mark.parametrize("media_type", list(FORMATS))
def test_a_description_carries_its_headers(site, media_type):
    extension, syntax = FORMATS[media_type]
    url = f"{site}/data/{PERSON}.{extension}"
    response = get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == media_type
    assert "Accept" in response.headers["Vary"]
    assert response.headers["Content-Location"] == url
    assert response.headers["ETag"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Link" in response.headers["Access-Control-Expose-Headers"]
    links = requests.utils.parse_header_links(response.headers["Link"])
    alternates = {link["type"]: link["url"] for link in links if link["rel"] == "alternate"}
    expected = {"text/html": f"{site}/page/{PERSON}"}
    expected |= {m: f"{site}/data/{PERSON}.{e}" for m, (e, _) in FORMATS.items() if m != media_type}
    assert alternates == expected
    assert (rdflib.URIRef(thing(PERSON)), None, None) in parse(response, syntax)


def test_the_html_page_announces_its_twins(site):
    response = get(f"{site}/page/{PERSON}", BROWSER_ACCEPT)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    links = requests.utils.parse_header_links(response.headers["Link"])
    assert {link["type"] for link in links} == set(FORMATS)
    for extension, _ in FORMATS.values():
        assert f'href="/data/{PERSON}.{extension}"' in response.text
    assert get(f"{site}/data/{PERSON}.html").text == response.text


def test_every_format_has_the_same_triples(site):
    """The same description in every format; each document describes itself by its own URL."""
    graphs = []
    for extension, syntax in FORMATS.values():
        url = f"{site}/data/{PERSON}.{extension}"
        graph = parse(get(url), syntax)
        itself = rdflib.URIRef(url)
        topic = graph.value(itself, rdflib.FOAF.primaryTopic)
        assert topic == rdflib.URIRef(thing(PERSON))
        graph.remove((itself, None, None))
        graphs.append(graph)
    first = graphs[0]
    assert len(first) > 20
    for graph in graphs[1:]:
        assert isomorphic(first, graph)


def test_a_matching_if_none_match_gets_304(site):
    url = f"{site}/data/{PERSON}.ttl"
    first = get(url)
    tag = first.headers["ETag"]
    again = get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == tag
    assert get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    page = get(f"{site}/page/{PERSON}")
    assert page.headers["ETag"] != tag
    assert (
        get(f"{site}/page/{PERSON}", headers={"If-None-Match": page.headers["ETag"]}).status_code
        == 304
    )


def test_head_answers_like_get_without_a_body(site):
    for url in (f"{site}/page/{PERSON}", f"{site}/data/{PERSON}.ttl"):
        full = get(url)
        head = requests.head(url, timeout=30)
        assert head.status_code == 200
        assert head.content == b""
        assert head.headers["ETag"] == full.headers["ETag"]
        assert head.headers["Content-Type"] == full.headers["Content-Type"]
    head = requests.head(f"{site}/id/{PERSON}", headers={"Accept": "text/html"}, timeout=30)
    assert head.status_code == 303


def test_an_unknown_uri_is_404_in_the_asked_format(site):
    page = get(f"{site}/id/person/nobody-at-all", BROWSER_ACCEPT)
    assert page.status_code == 404
    assert page.headers["Content-Type"].startswith("text/html")
    assert "nobody-at-all" in page.text
    data = get(f"{site}/id/person/nobody-at-all", "text/turtle")
    assert data.status_code == 404
    assert data.headers["Content-Type"].startswith("text/turtle")
    comments = list(parse(data, "turtle").objects(None, rdflib.RDFS.comment))
    assert "nobody-at-all" in str(comments[0])
    assert get(f"{site}/data/person/nobody-at-all.jsonld").status_code == 404
    assert get(f"{site}/page/person/nobody-at-all").status_code == 404


def test_nothing_acceptable_is_406(site):
    response = get(f"{site}/id/{PERSON}", "image/png")
    assert response.status_code == 406
    assert f"{site}/data/{PERSON}.ttl" in response.text
    links = requests.utils.parse_header_links(response.headers["Link"])
    assert len(links) == 5


def test_a_merged_entity_answers_301_to_its_survivor(site):
    response = get(f"{site}/id/person/kim-ir-sen", "text/turtle")
    assert response.status_code == 301
    assert response.headers["Location"] == f"{site}/id/{PERSON}"


def test_graph_names_dereference_too(site):
    response = get(f"{site}/graph/authorities", "text/turtle")
    assert response.status_code == 303
    data = requests.get(response.headers["Location"], timeout=30)
    graph = parse(data, "turtle")
    triples = graph.value(rdflib.URIRef(f"{BASE}/graph/authorities"), rdflib.VOID.triples)
    assert int(triples) > 100


def test_a_bad_page_number_is_400_and_a_page_too_far_404(site):
    assert get(f"{site}/page/{PERSON}?page=zero").status_code == 400
    assert get(f"{site}/data/{PERSON}.ttl?page=0").status_code == 400
    assert get(f"{site}/data/{PERSON}.ttl?page=99").status_code == 404


def test_an_unknown_extension_is_404(site):
    assert get(f"{site}/data/{PERSON}.png").status_code == 404


def test_escaped_names_in_uris_dereference(site):
    """Names are minted with percent-escapes (`/name/Stalin%2C%20Joseph`): the raw URI counts."""
    iri = thing("person/joseph-stalin/name/Stalin%2C%20Joseph")
    response = get(f"{site}/id/person/joseph-stalin/name/Stalin%2C%20Joseph", "text/turtle")
    assert response.status_code == 303
    graph = parse(requests.get(response.headers["Location"], timeout=30), "turtle")
    content = graph.value(
        rdflib.URIRef(iri),
        rdflib.URIRef("http://www.cidoc-crm.org/cidoc-crm/P190_has_symbolic_content"),
    )
    assert str(content) == "Stalin, Joseph"
