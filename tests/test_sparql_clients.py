"""Standard SPARQL clients work unmodified against a running `lodpub serve`."""

from __future__ import annotations

import csv
import io

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from sparql_servers import lodpub_serve, publish_file

CRM = Namespace("http://www.cidoc-crm.org/cidoc-crm/")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
KIM = URIRef("http://127.0.0.1:8080/id/person/kim-il-sung")
PERSONS = """PREFIX crm: <http://www.cidoc-crm.org/cidoc-crm/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?person ?name WHERE { ?person a crm:E21_Person ; rdfs:label ?name } ORDER BY ?name"""
DESCRIBE_KIM = f"DESCRIBE <{KIM}>"
CONSTRUCT_NAMES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?s rdfs:label ?name } WHERE { ?s rdfs:label ?name }"""


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory, backend):
    root = tmp_path_factory.mktemp("store")
    publish_file(root)
    with backend.serving(root) as store, lodpub_serve(store) as url:
        yield url


def wrapper(endpoint: str, query: str, fmt: str, method: str = GET) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_select_json(endpoint, method):
    result = wrapper(endpoint, PERSONS, JSON, method).query().convert()
    names = [b["name"]["value"] for b in result["results"]["bindings"]]
    assert names == ["Kim Il Sung", "Pak Heon-yeong"]


def test_sparqlwrapper_select_xml(endpoint):
    document = wrapper(endpoint, PERSONS, XML).query().convert()
    literals = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert literals == ["Kim Il Sung", "Pak Heon-yeong"]


@pytest.mark.parametrize(("fmt", "delimiter"), [(CSV, ","), (TSV, "\t")])
def test_sparqlwrapper_select_csv_and_tsv(endpoint, fmt, delimiter):
    text = wrapper(endpoint, PERSONS, fmt).query().convert().decode("utf-8")
    table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert table[0] == (["person", "name"] if fmt == CSV else ["?person", "?name"])
    assert len(table) == 3


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(endpoint, fmt):
    result = wrapper(endpoint, f"ASK {{ <{KIM}> ?p ?o }}", fmt).query().convert()
    if fmt == JSON:
        assert result["boolean"] is True
    else:
        assert result.getElementsByTagName("boolean")[0].firstChild.data == "true"


@pytest.mark.parametrize("fmt", [XML, RDFXML, JSONLD])
def test_sparqlwrapper_graph_results_as_rdflib_graphs(endpoint, fmt):
    graph = wrapper(endpoint, DESCRIBE_KIM, fmt).query().convert()
    assert (KIM, RDFS.label, Literal("Kim Il Sung", lang="en")) in graph


@pytest.mark.parametrize("fmt", [TURTLE, N3])
def test_sparqlwrapper_graph_results_as_turtle(endpoint, fmt):
    data = wrapper(endpoint, CONSTRUCT_NAMES, fmt, POST).query().convert()
    graph = Graph().parse(data=data, format="turtle")
    assert (KIM, RDFS.label, Literal("Kim Il Sung", lang="en")) in graph
    assert len(graph) == 8


def test_sparqlwrapper_reports_a_malformed_query(endpoint):
    with pytest.raises(QueryBadFormed, match="error at 1:"):
        wrapper(endpoint, "SELECT * WHERE { ?s ?p", JSON).query()


def test_rdflib_sparqlstore(endpoint):
    graph = Graph(store=SPARQLStore(query_endpoint=endpoint))
    names = [str(row.name) for row in graph.query(PERSONS)]
    assert names == ["Kim Il Sung", "Pak Heon-yeong"]
    assert (KIM, RDFS.label, Literal("Kim Il Sung", lang="en")) in graph
    assert set(
        graph.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), CRM.E21_Person)
    ) == {
        KIM,
        URIRef("http://127.0.0.1:8080/id/person/pak-heon-yeong"),
    }
    described = graph.query(DESCRIBE_KIM).graph
    assert (KIM, RDFS.label, Literal("Kim Il Sung", lang="en")) in described
