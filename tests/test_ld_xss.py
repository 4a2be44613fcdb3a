"""A record whose every field holds markup is shown as text on every page kind.

fixtures/ld/hostile.json (title, body, summary, citation, translator, funder, rights, tags
holding `<script>alert(1)</script>` and `"><img src=x onerror=alert(1)>`) went through the
real pipeline into the store; no page may turn those values into elements.
"""

from __future__ import annotations

import json

import pytest
import rdflib
import requests
from bs4 import BeautifulSoup

from ld_servers import HOSTILE_KEY, IMAGE, SCRIPT, ld_server

PAGES = [
    f"/page/document/{HOSTILE_KEY}",
    "/page/person/script-alert-1-script-person-hostile-record",
    "/page/person/script-alert-1-script-translator-hostile-record",
    "/page/group/img-src-x-onerror-alert-1-group-hostile-record",
    "/page/group/img-src-x-onerror-alert-1-foundation-hostile-record",
    "/page/place/script-alert-1-script-place-hostile-record",
    "/page/subject/img-src-x-onerror-alert-1-subject",
    f"/page/document/{HOSTILE_KEY}/creation",
    f"/page/document/{HOSTILE_KEY}/identifier/archival",
    f"/page/document/{HOSTILE_KEY}/claims",
    "/",
    "/index/document",
    "/index/person",
    "/index/group",
    "/search?q=alert",
    "/dataset",
]


@pytest.fixture(scope="module")
def site():
    with ld_server() as url:
        yield url


@pytest.mark.parametrize("path", PAGES)
def test_markup_in_the_data_shows_as_text(site, path):
    response = requests.get(site + path, headers={"Accept": "text/html"}, timeout=60)
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    assert not page.select("img"), "an <img> element was made from data"
    assert not [tag for tag in page.find_all(True) if any(a.startswith("on") for a in tag.attrs)]
    scripts = page.find_all("script")
    assert all(s.get("type") == "application/ld+json" for s in scripts)
    for script in scripts:
        json.loads(script.string)  # still one JSON value: the data did not end the element
        assert "</script" not in script.string
    text = page.get_text()
    assert SCRIPT in text or IMAGE in text, "the hostile values should be shown"


def test_the_document_shows_each_hostile_field_as_text(site):
    page = BeautifulSoup(
        requests.get(f"{site}/page/document/{HOSTILE_KEY}", timeout=60).text, "html.parser"
    )
    assert page.h1.get_text() == f"{SCRIPT} Report {IMAGE}"
    assert page.title.get_text().startswith(f"{SCRIPT} Report {IMAGE}")
    assert SCRIPT in page.select_one(".document-text").get_text()
    assert IMAGE in page.select_one("section.summary").get_text()
    schema = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert schema["name"] == f"{SCRIPT} Report {IMAGE}"


@pytest.mark.parametrize("extension", ["ttl", "jsonld", "rdf", "nt"])
def test_the_data_documents_stay_well_formed(site, extension):
    response = requests.get(f"{site}/data/document/{HOSTILE_KEY}.{extension}", timeout=60)
    assert response.status_code == 200
    syntax = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml", "nt": "nt"}[extension]
    graph = rdflib.Graph().parse(data=response.content, format=syntax, publicID=response.url)
    titles = {str(o) for o in graph.objects(None, rdflib.RDFS.label)}
    assert f"{SCRIPT} Report {IMAGE}" in titles
