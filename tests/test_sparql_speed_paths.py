"""The shortcuts of the /sparql hot path answer exactly as the long way: remembered content
negotiation, compacted generations, the lean worker messages."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

import lodpub.store
from lodpub.store import generations, statistics
from lodpub.web import Settings, create_app
from sparql_servers import publish_file

ASK = "ASK { ?s ?p ?o }"
SELECT = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 2"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = tmp_path_factory.mktemp("store")
    publish_file(root)
    app = create_app(Settings(store=str(root)))
    yield app.test_client()
    app.extensions["lodpub.sparql"]["executor"].shutdown()


def media_type(response) -> str:
    return response.headers["Content-Type"].split(";")[0]


def test_each_accept_header_gets_its_own_format_however_often_it_repeats(client):
    asked = [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("text/tab-separated-values;q=0.9, text/csv;q=0.5", "text/tab-separated-values"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
    ]
    for accept, expected in asked:
        response = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": accept})
        assert response.status_code == 200, response.text
        assert media_type(response) == expected


def test_the_format_parameter_wins_over_a_remembered_accept_header(client):
    accept = {"Accept": "application/sparql-results+json"}
    first = client.get("/sparql", query_string={"query": SELECT}, headers=accept)
    by_param = client.get(
        "/sparql", query_string={"query": SELECT, "format": "csv"}, headers=accept
    )
    by_form = client.post("/sparql", data={"query": SELECT, "format": "xml"}, headers=accept)
    assert media_type(first) == "application/sparql-results+json"
    assert media_type(by_param) == "text/csv"
    assert media_type(by_form) == "application/sparql-results+xml"


def test_one_accept_header_negotiates_each_query_form_separately(client):
    accept = {"Accept": "text/turtle, application/sparql-results+xml;q=0.8"}
    select = client.get("/sparql", query_string={"query": SELECT}, headers=accept)
    construct = client.get("/sparql", query_string={"query": CONSTRUCT}, headers=accept)
    ask = client.get("/sparql", query_string={"query": ASK}, headers=accept)
    assert media_type(select) == "application/sparql-results+xml"
    assert media_type(construct) == "text/turtle"
    assert media_type(ask) == "application/sparql-results+xml"


def test_a_browser_gets_the_query_page_and_a_client_accepting_nothing_offered_406(client):
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    for _ in range(2):
        page = client.get("/sparql", query_string={"query": SELECT}, headers=browser)
        assert page.status_code == 200
        assert media_type(page) == "text/html"
        refused = client.get(
            "/sparql", query_string={"query": SELECT}, headers={"Accept": "image/png"}
        )
        assert refused.status_code == 406
    without_accept = client.get("/sparql", query_string={"query": SELECT})
    assert media_type(without_accept) == "application/sparql-results+json"


def quads_besides_statistics(folder: Path) -> set[str]:
    store = ox.Store.read_only(str(folder))
    found = {
        str(q)
        for q in store.quads_for_pattern(None, None, None, None)
        if q.graph_name != ox.NamedNode(statistics.STATISTICS_GRAPH)
    }
    del store
    return found


def test_a_generation_compacted_on_publishing_holds_every_quad_its_build_wrote(tmp_path):
    built: set[str] = set()

    def build(folder: Path) -> None:
        with lodpub.store.open(f"oxigraph:{folder}") as store:
            for part in ("first", "second"):  # two writes: files for compaction to merge
                store.replace_graph(f"http://example.org/{part}", part_graph(part))
        built.update(quads_besides_statistics(folder))

    folder = generations.publish(tmp_path / "root", build)
    assert len(built) > 4
    assert quads_besides_statistics(folder) == built
    assert ox.Store.read_only(str(folder)).contains_named_graph(
        ox.NamedNode(statistics.STATISTICS_GRAPH)
    )


def part_graph(part: str) -> Graph:
    graph = Graph()
    for n in range(3):
        graph.add((URIRef(f"http://example.org/{part}/{n}"), RDFS.label, Literal(f"{part} {n}")))
    return graph


def test_a_repeated_query_is_checked_every_time(client):
    service = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    update = "INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }"
    for _ in range(3):
        assert client.get("/sparql", query_string={"query": service}).status_code == 403
        assert client.get("/sparql", query_string={"query": update}).status_code == 403
        answered = client.get("/sparql", query_string={"query": ASK, "format": "json"})
        assert answered.json["boolean"] is True


def test_a_publish_compacts_after_a_large_build_and_not_after_a_small_change(tmp_path, monkeypatch):
    compacted: list[str] = []
    monkeypatch.setattr(generations, "optimize", lambda folder: compacted.append(Path(folder).name))

    def write(parts: range):
        def build(folder: Path) -> None:
            with lodpub.store.open(f"oxigraph:{folder}") as store:
                for n in parts:
                    graph = Graph()
                    for m in range(50):
                        subject = URIRef(f"http://example.org/{n}/{m}")
                        graph.add((subject, RDFS.label, Literal(f"thing {n}.{m}")))
                    store.replace_graph(f"http://example.org/{n}", graph)

        return build

    first = generations.publish(tmp_path / "root", write(range(200)))
    small = generations.publish(tmp_path / "root", write(range(1)))
    assert compacted == [first.name]
    assert ox.Store.read_only(str(small)).contains_named_graph(
        ox.NamedNode("http://example.org/199")
    )
