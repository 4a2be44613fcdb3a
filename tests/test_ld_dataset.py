"""The dataset describes itself: VoID/DCAT, dumps with sizes and checksums, the sitemap."""

from __future__ import annotations

import gzip
import hashlib
import io
import shutil
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest
import rdflib
import requests
from rdflib import RDF, URIRef

import lodpub.store
from ld_servers import BASE, BROWSER_ACCEPT, ld_server, published_store, thing
from lodpub.store.generations import live_generation, publish

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
CRM = rdflib.Namespace("http://www.cidoc-crm.org/cidoc-crm/")
DATASET = URIRef(f"{BASE}/.well-known/void#dataset")


@pytest.fixture(scope="module")
def site(backend):
    with ld_server(backend) as url:
        yield url


def void(site: str) -> rdflib.Graph:
    response = requests.get(
        f"{site}/.well-known/void", headers={"Accept": "text/turtle"}, timeout=120
    )
    assert response.status_code == 200
    assert response.headers["Content-Location"] == f"{site}/dataset.ttl"
    assert "Accept" in response.headers["Vary"]
    return rdflib.Graph().parse(data=response.content, format="turtle")


def test_void_is_negotiated_and_linked_from_every_page(site):
    page = requests.get(f"{site}/.well-known/void", headers={"Accept": BROWSER_ACCEPT}, timeout=120)
    assert page.headers["Content-Type"].startswith("text/html")
    assert requests.get(f"{site}/dataset", headers={"Accept": "text/turtle"}, timeout=60).ok
    for path in ["/", "/page/person/kim-il-sung", "/timeline", "/search?q=x"]:
        html = requests.get(site + path, timeout=60).text
        assert 'href="/.well-known/void"' in html


def published_quads(site: str, backend) -> list[ox.Quad]:
    """The server's dump; a server over a remote engine writes none (lodpub.web.dumps), so
    there the export of the embedded store the engine was loaded from."""
    if not backend.embedded:
        source = live_generation(published_store())
        with lodpub.store.open(f"oxigraph:{source}", read_only=True) as store:
            out = io.BytesIO()
            store.export("nquads", out)
        return list(ox.parse(out.getvalue(), format=ox.RdfFormat.N_QUADS))
    dump = requests.get(f"{site}/dumps/lodpub.nq.gz", timeout=120).content
    return list(ox.parse(gzip.decompress(dump), format=ox.RdfFormat.N_QUADS))


def test_void_counts_match_the_dump(site, backend):
    graph = void(site)
    assert (DATASET, RDF.type, VOID.Dataset) in graph
    assert (DATASET, RDF.type, DCAT.Dataset) in graph
    assert graph.value(DATASET, VOID.sparqlEndpoint) == URIRef(f"{site}/sparql")
    assert graph.value(DATASET, DCTERMS.license) is not None
    assert str(graph.value(DATASET, VOID.uriSpace)) == f"{BASE}/id/"
    quads = published_quads(site, backend)
    triples = {q.triple for q in quads}
    assert len(triples) < len(quads)  # entities several graphs describe
    # The dataset's triples are the merge of its graphs (each triple once); each graph's own
    # count is on its subset.
    assert int(graph.value(DATASET, VOID.triples)) == len(triples)
    subsets = {s: int(graph.value(s, VOID.triples)) for s in graph.objects(DATASET, VOID.subset)}
    assert sum(subsets.values()) == len(quads)
    persons = {
        q.subject
        for q in quads
        if q.predicate.value == str(RDF.type) and q.object.value == str(CRM.E21_Person)
    }
    partitions = {
        graph.value(p, VOID["class"]): int(graph.value(p, VOID.entities))
        for p in graph.objects(DATASET, VOID.classPartition)
    }
    assert partitions[CRM.E21_Person] == len(persons)
    properties = {
        graph.value(p, VOID.property): int(graph.value(p, VOID.triples))
        for p in graph.objects(DATASET, VOID.propertyPartition)
    }
    assert sum(properties.values()) == len(triples)
    assert URIRef(f"{BASE}/graph/authorities") in subsets
    assert "urn:x-lodpub:store" not in {
        q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)
    }


def test_dumps_have_sizes_and_checksums_that_hold(site, backend):
    graph = void(site)
    dumps = list(graph.objects(DATASET, VOID.dataDump))
    if not backend.embedded:
        # A server over a remote engine writes no dumps, and announces none.
        assert dumps == []
        assert requests.get(f"{site}/dumps/lodpub.ttl", timeout=60).status_code == 404
        return
    assert {str(d).rsplit("/", 1)[1] for d in dumps} == {"lodpub.nq.gz", "lodpub.ttl"}
    for dump in dumps:
        body = requests.get(str(dump), timeout=120).content
        assert int(graph.value(dump, DCAT.byteSize)) == len(body)
        checksum = graph.value(dump, SPDX.checksum)
        assert str(graph.value(checksum, SPDX.checksumValue)) == hashlib.sha256(body).hexdigest()
    turtle = requests.get(f"{site}/dumps/lodpub.ttl", timeout=120)
    assert turtle.headers["Content-Type"].startswith("text/turtle")
    merged = [q.triple for q in ox.parse(turtle.content, format=ox.RdfFormat.TURTLE)]
    assert any(t.subject.value == thing("person/kim-il-sung") for t in merged)
    dump = gzip.decompress(requests.get(f"{site}/dumps/lodpub.nq.gz", timeout=120).content)
    quads = ox.parse(dump, format=ox.RdfFormat.N_QUADS)
    assert sorted(merged, key=str) == sorted({q.triple for q in quads}, key=str)
    listing = requests.get(f"{site}/dumps/", timeout=60).text
    assert hashlib.sha256(turtle.content).hexdigest() in listing


# Embedded only: generations are the embedded store's way of publishing.
def test_dumps_are_rewritten_when_a_new_generation_is_published(tmp_path):
    root = tmp_path / "store"
    shutil.copytree(published_store(), root, symlinks=True)
    with ld_server(store=str(root)) as url:
        before = requests.get(f"{url}/dumps/lodpub.ttl", timeout=120)
        assert thing("person/someone-new") not in before.text

        def build(folder):
            with lodpub.store.open(f"oxigraph:{folder}") as store:
                extra = rdflib.Graph()
                extra.add((URIRef(thing("person/someone-new")), RDF.type, CRM.E21_Person))
                store.replace_graph(f"{BASE}/graph/extra", extra)

        publish(root, build)
        after = requests.get(f"{url}/dumps/lodpub.ttl", timeout=120)
        assert thing("person/someone-new") in after.text
        assert after.headers["ETag"] != before.headers["ETag"]
        versions = [
            p for p in (root / "dumps").iterdir() if p.is_dir() and not p.name.startswith(".")
        ]
        assert len(versions) == 2


def test_the_sitemap_lists_every_page(site, backend):
    response = requests.get(f"{site}/sitemap.xml", timeout=120)
    assert response.headers["Content-Type"].startswith("application/xml")
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [
        e.text for e in ElementTree.fromstring(response.content).findall("s:url/s:loc", namespace)
    ]
    assert f"{site}/" in locations and f"{site}/timeline" in locations
    assert f"{site}/page/person/kim-il-sung" in locations
    assert f"{site}/page/graph/authorities" in locations
    described = {
        q.subject.value
        for q in published_quads(site, backend)
        if q.subject.value.startswith(f"{BASE}/id/")
    }
    pages = {loc.removeprefix(f"{site}/page/") for loc in locations}
    assert {iri.removeprefix(f"{BASE}/id/") for iri in described} <= pages
    for location in locations[:20]:
        assert requests.get(location, timeout=60).status_code == 200
