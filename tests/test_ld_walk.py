"""Every URI under the base URI in the published graph dereferences, under `lodpub serve`.

The walk takes every IRI (subject, object or graph name) of the live generation that starts
with the base URI, asks the real server (gunicorn) for it alternately as a browser and as an
RDF client, and follows the redirect: 303 (301 for a merged entity), then 200.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from ld_servers import BASE, BROWSER_ACCEPT, published_store
from lodpub.store.generations import live_generation
from lodpub.store.manifest import MANIFEST_GRAPH
from sparql_servers import lodpub_serve

REMOTE_SAMPLE = 400


@pytest.fixture(scope="module")
def served(backend):
    with (
        backend.serving(published_store()) as store,
        lodpub_serve(store, "--base-uri", BASE, "--threads", "8") as endpoint,
    ):
        yield endpoint.removesuffix("/sparql")


def local_iris(root: Path) -> list[str]:
    store = ox.Store.read_only(str(live_generation(root)))
    found = set()
    for quad in store.quads_for_pattern(None, None, None, None):
        if quad.graph_name == ox.NamedNode(MANIFEST_GRAPH):
            continue
        for term in (quad.subject, quad.object, quad.graph_name):
            if isinstance(term, ox.NamedNode) and term.value.startswith(BASE + "/"):
                found.add(term.value)
    return sorted(found)


def dereference(site: str, iri: str, accept: str) -> str | None:
    """None when the IRI leads to its description; else what went wrong."""
    with requests.Session() as session:
        url = site + iri.removeprefix(BASE)
        for _ in range(3):
            response = session.get(
                url, headers={"Accept": accept}, allow_redirects=False, timeout=60
            )
            if response.status_code in (301, 303):
                url = response.headers["Location"]
                continue
            if response.status_code != 200:
                return f"{iri}: {response.status_code} at {url}"
            if not url.startswith((f"{site}/page/", f"{site}/data/")):
                return f"{iri}: answered at {url}, not a description"
            return None
    return f"{iri}: too many redirects"


def test_every_uri_under_the_base_dereferences(served, backend):
    iris = local_iris(published_store())
    assert len(iris) > 5000
    if not backend.embedded:
        # Over an engine every answer costs several round trips: walk a fixed sample of about
        # REMOTE_SAMPLE IRIs spread over all of them, and the first of each kind of path.
        kinds = {tuple(iri.removeprefix(BASE).split("/")[:3]): iri for iri in reversed(iris)}
        iris = sorted({*iris[:: len(iris) // REMOTE_SAMPLE + 1], *kinds.values()})
    accepts = [BROWSER_ACCEPT, "text/turtle", "application/ld+json", "application/n-triples"]
    with ThreadPoolExecutor(max_workers=8) as pool:
        failures = [
            f
            for f in pool.map(
                lambda item: dereference(served, item[1], accepts[item[0] % len(accepts)]),
                enumerate(iris),
            )
            if f
        ]
    assert failures == []


def test_the_first_answer_is_303_see_other(served):
    for iri in local_iris(published_store())[:50]:
        response = requests.get(
            served + iri.removeprefix(BASE),
            headers={"Accept": "text/turtle"},
            allow_redirects=False,
            timeout=30,
        )
        assert response.status_code == 303, iri
