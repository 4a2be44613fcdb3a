"""The query page a browser gets at /sparql, and the example queries it offers."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import requests

from lodpub.web import Settings
from lodpub.web.examples import examples
from sparql_servers import publish_file, threaded_server

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


class Page(HTMLParser):
    """Elements of a page as (tag, attributes, text) for selector-like checks."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str], list[str]]] = []
        self._open: list[list[str]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        text: list[str] = []
        self.elements.append((tag, {k: v or "" for k, v in attrs}, text))
        if tag not in ("link", "meta", "input", "br"):
            self._open.append(text)

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for text in self._open:
            text.append(data)

    def select(self, tag: str, **attrs: str) -> list[tuple[dict[str, str], str]]:
        return [
            (a, "".join(text))
            for t, a, text in self.elements
            if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    root = tmp_path_factory.mktemp("store")
    publish_file(root)
    settings = Settings(store=str(root), query_timeout=12.5, max_rows=777, max_body=4096)
    with threaded_server(settings) as url:
        yield url


def test_browsers_get_the_query_page(endpoint):
    response = requests.get(endpoint, headers=BROWSER)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    page = Page(response.text)
    (editor,) = page.select("textarea", id="query")
    assert editor[1] == examples()[0].text
    buttons = page.select("button", class_="example")
    assert [text for _, text in buttons] == [e.title for e in examples()]
    assert [a["data-query"] for a, _ in buttons] == [e.text for e in examples()]


def test_the_page_needs_nothing_but_this_server(endpoint):
    page = Page(requests.get(endpoint, headers=BROWSER).text)
    assets = [a["src"] for a, _ in page.select("script")]
    assets += [a["href"] for a, _ in page.select("link", rel="stylesheet")]
    assert assets == ["/static/sparql.js", "/static/sparql.css"]
    base = endpoint.removesuffix("/sparql")
    for asset, media_type in zip(assets, ["text/javascript", "text/css"], strict=True):
        response = requests.get(base + asset)
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith(media_type)
        # The only absolute IRI is rdf:type, a name, never fetched.
        assert set(re.findall(r"https?://[^\"' ]+", response.text)) <= {RDF_TYPE}


def test_the_page_states_the_limits(endpoint):
    page = Page(requests.get(endpoint, headers=BROWSER).text)
    (limits,) = page.select("section", id="limits")
    assert "12.5 s" in limits[1] and "777" in limits[1] and "4096" in limits[1]


def test_a_shared_query_url_opens_the_page_with_the_query(endpoint):
    query = "SELECT * WHERE { ?s ?p '<script>alert(1)</script>' }"
    response = requests.get(endpoint, params={"query": query}, headers=BROWSER)
    assert "<script>alert(1)</script>" not in response.text
    page = Page(response.text)
    assert page.select("textarea", id="query")[0][1] == query
    (share,) = page.select("a", id="share")
    assert share[0]["href"].startswith("/sparql?query=SELECT")


def test_clients_asking_for_results_never_get_the_page(endpoint):
    response = requests.get(endpoint, params={"query": "ASK {}"}, headers={"Accept": "*/*"})
    assert response.headers["Content-Type"] == "application/sparql-results+json"


@pytest.mark.parametrize("example", examples(), ids=lambda e: e.slug)
def test_each_example_runs_and_finds_something(endpoint, example):
    response = requests.post(
        endpoint,
        data={"query": example.text},
        headers={"Accept": "application/sparql-results+json, application/ld+json;q=0.9"},
    )
    assert response.status_code == 200, response.text
    data = response.json()
    found = data if isinstance(data, list) else data["results"]["bindings"]
    assert found, f"{example.title} found nothing in the sample"
