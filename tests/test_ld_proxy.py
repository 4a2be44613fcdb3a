"""Behind a proxy, or on another host than the base URI, every link and redirect is followable.

The base URI is http://lodpub.example.org; the server listens on 127.0.0.1:PORT. Directly,
links must lead to 127.0.0.1:PORT. Through a proxy publishing it at
https://lodpub.example.org/lod (X-Forwarded-Proto/-Host/-Prefix, one trusted hop), links must
lead to the public address, and following them through the proxy must work.
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
import requests
from bs4 import BeautifulSoup

from ld_servers import BROWSER_ACCEPT, ld_server

PUBLIC = "https://lodpub.example.org/lod"
FORWARDED = {
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "lodpub.example.org",
    "X-Forwarded-Prefix": "/lod",
    "X-Forwarded-For": "203.0.113.7",
}


@pytest.fixture(scope="module")
def direct():
    with ld_server() as url:
        yield url


@pytest.fixture(scope="module")
def backend():
    with ld_server(proxy_hops=1) as url:
        yield url


class Proxy:
    """What a reverse proxy does: public URL in, backend request with X-Forwarded-* out."""

    def __init__(self, backend: str) -> None:
        self.backend = backend

    def get(self, url: str, **headers: str) -> requests.Response:
        assert url.startswith(PUBLIC + "/"), f"not a public URL: {url}"
        target = self.backend + url.removeprefix(PUBLIC)
        return requests.get(
            target, headers={**FORWARDED, **headers}, allow_redirects=False, timeout=60
        )

    def follow(self, url: str, **headers: str) -> requests.Response:
        for _ in range(5):
            response = self.get(url, **headers)
            if response.status_code not in (301, 303):
                return response
            url = urljoin(url, response.headers["Location"])
        raise AssertionError("too many redirects")


def links_of(html: str) -> list[str]:
    page = BeautifulSoup(html, "html.parser")
    return [a["href"] for a in page.select("a[href]") if not a["href"].startswith(("#", "http"))]


def test_on_another_host_redirects_and_links_stay_on_that_host(direct):
    response = requests.get(
        f"{direct}/id/person/kim-il-sung",
        headers={"Accept": BROWSER_ACCEPT},
        allow_redirects=False,
        timeout=30,
    )
    assert response.headers["Location"] == f"{direct}/page/person/kim-il-sung"
    page = requests.get(response.headers["Location"], timeout=30)
    assert page.status_code == 200
    assert page.headers["Content-Location"] == f"{direct}/page/person/kim-il-sung"
    for href in links_of(page.text)[:60]:
        assert requests.get(urljoin(page.url, href), timeout=30).status_code == 200, href
    data = requests.get(f"{direct}/data/person/kim-il-sung.jsonld", timeout=30).json()
    assert data["@context"] == f"{direct}/ns/context.jsonld"


def test_forwarded_headers_are_ignored_without_trusted_hops(direct):
    response = requests.get(
        f"{direct}/id/person/kim-il-sung",
        headers={"Accept": "text/turtle", **FORWARDED},
        allow_redirects=False,
        timeout=30,
    )
    assert response.headers["Location"] == f"{direct}/data/person/kim-il-sung.ttl"


def test_through_the_proxy_redirects_point_to_the_public_address(backend):
    proxy = Proxy(backend)
    response = proxy.get(f"{PUBLIC}/id/person/kim-il-sung", Accept="text/turtle")
    assert response.status_code == 303
    assert response.headers["Location"] == f"{PUBLIC}/data/person/kim-il-sung.ttl"
    data = proxy.follow(f"{PUBLIC}/id/person/kim-il-sung", Accept="text/turtle")
    assert data.status_code == 200
    assert data.headers["Content-Location"] == f"{PUBLIC}/data/person/kim-il-sung.ttl"
    alternates = requests.utils.parse_header_links(data.headers["Link"])
    assert all(link["url"].startswith(PUBLIC + "/") for link in alternates)
    for link in alternates:
        assert proxy.get(link["url"]).status_code == 200
    assert f"<{PUBLIC}/data/person/kim-il-sung.ttl>" in data.text
    merged = proxy.get(f"{PUBLIC}/id/person/kim-ir-sen")
    assert merged.headers["Location"] == f"{PUBLIC}/id/person/kim-il-sung"


def test_through_the_proxy_every_link_on_a_page_is_followable(backend):
    proxy = Proxy(backend)
    page = proxy.follow(f"{PUBLIC}/id/document/3a5edd602105b0b3", Accept=BROWSER_ACCEPT)
    assert page.status_code == 200
    hrefs = links_of(page.text)
    assert hrefs and all(href.startswith("/lod/") for href in hrefs)
    assert 'href="/lod/static/lodpub.css"' in page.text
    for href in list(dict.fromkeys(hrefs))[:80]:
        assert proxy.follow(urljoin(PUBLIC + "/", href)).status_code == 200, href


def test_through_the_proxy_paging_void_and_sitemap_use_the_public_address(backend):
    proxy = Proxy(backend)
    hub = proxy.get(f"{PUBLIC}/data/place/hub-town.ttl")
    assert f"<{PUBLIC}/data/place/hub-town.ttl?page=2>" in hub.text
    assert proxy.get(f"{PUBLIC}/data/place/hub-town.ttl?page=2").status_code == 200
    void = proxy.get(f"{PUBLIC}/.well-known/void", Accept="text/turtle").text
    assert f"<{PUBLIC}/sparql>" in void
    assert f"<{PUBLIC}/dumps/lodpub.nq.gz>" in void
    sitemap = proxy.get(f"{PUBLIC}/sitemap.xml").text
    assert f"<loc>{PUBLIC}/page/person/kim-il-sung</loc>" in sitemap
    context = proxy.get(f"{PUBLIC}/data/person/kim-il-sung.jsonld").json()["@context"]
    assert context == f"{PUBLIC}/ns/context.jsonld"
    assert proxy.get(context).status_code == 200


def test_through_the_proxy_the_query_page_links_results_under_the_public_prefix(backend):
    """The query page's script links IRIs under the base URI to `data-site` + their path."""
    page = Proxy(backend).get(f"{PUBLIC}/sparql", Accept=BROWSER_ACCEPT)
    app = BeautifulSoup(page.text, "html.parser").select_one("main#app")
    assert app["data-site"] == "/lod"
    assert app["data-base"] == "http://lodpub.example.org"
