"""The SPARQL 1.1 Protocol, case by case, in plain HTTP against a running `lodpub serve`."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest
import requests
from rdflib import RDFS, Dataset, Graph, Literal, Namespace, URIRef

import lodpub.store
from backends import differs
from lodpub.store import MANIFEST_GRAPH
from lodpub.store.generations import publish
from lodpub.vocab import LP
from lodpub.web import Settings
from sparql_servers import lodpub_serve, publish_file, threaded_server

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
AUTHORITIES = "http://127.0.0.1:8080/graph/authorities"
CLAIMS = "http://127.0.0.1:8080/id/document/d1/claims"
CATALOGUE = "http://127.0.0.1:8080/id/document/d1/catalogue"
PERSONS_PATTERN = "?person a <http://www.cidoc-crm.org/cidoc-crm/E21_Person>"
PERSONS = (
    "PREFIX crm: <http://www.cidoc-crm.org/cidoc-crm/> "
    "SELECT ?person WHERE { ?person a crm:E21_Person } ORDER BY ?person"
)
SELECT_ALL = "SELECT * WHERE { ?s ?p ?o }"
CONSTRUCT_ALL = "CONSTRUCT WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory, backend):
    root = tmp_path_factory.mktemp("store")
    publish_file(root)
    with backend.serving(root) as store, lodpub_serve(store) as url:
        yield url


def rows(response: requests.Response) -> list[dict[str, str]]:
    results = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
    return [{v.value: s[v].value for v in results.variables if s[v] is not None} for s in results]


def test_query_by_get(endpoint):
    response = requests.get(endpoint, params={"query": PERSONS})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/sparql-results+json"
    assert [r["person"] for r in rows(response)] == [
        "http://127.0.0.1:8080/id/person/kim-il-sung",
        "http://127.0.0.1:8080/id/person/pak-heon-yeong",
    ]


def test_query_by_urlencoded_post(endpoint):
    response = requests.post(endpoint, data={"query": PERSONS})
    assert response.status_code == 200
    assert len(rows(response)) == 2


def test_query_by_direct_post(endpoint):
    response = requests.post(
        endpoint,
        data=PERSONS.encode(),
        headers={"Content-Type": "application/sparql-query; charset=UTF-8"},
    )
    assert response.status_code == 200
    assert len(rows(response)) == 2


def test_the_default_graph_is_the_union_of_all_graphs(endpoint):
    # Persons are typed in the authorities graph, mentions are in a catalogue graph.
    query = (
        "PREFIX oa: <http://www.w3.org/ns/oa#> "
        "SELECT DISTINCT ?body WHERE { ?a oa:hasBody ?body . ?body a ?class }"
    )
    assert len(rows(requests.get(endpoint, params={"query": query}))) == 2


@pytest.mark.parametrize(("graph", "persons"), [(AUTHORITIES, 2), (CLAIMS, 0)])
def test_default_graph_uri_makes_the_default_graph(endpoint, graph, persons):
    response = requests.get(endpoint, params={"query": PERSONS, "default-graph-uri": graph})
    assert len(rows(response)) == persons


def test_named_graph_uri_limits_the_named_graphs(endpoint):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = requests.post(
        endpoint, data={"query": query, "named-graph-uri": [CLAIMS, CATALOGUE]}
    )
    assert sorted(r["g"] for r in rows(response)) == [CATALOGUE, CLAIMS]


def test_only_named_graphs_given_leaves_the_default_graph_empty(endpoint):
    response = requests.get(endpoint, params={"query": PERSONS, "named-graph-uri": AUTHORITIES})
    assert rows(response) == []


def test_from_in_the_query_is_honoured_and_not_widened_to_the_union(endpoint):
    query = PERSONS.replace("SELECT ?person", f"SELECT ?person FROM <{CLAIMS}>")
    assert rows(requests.get(endpoint, params={"query": query})) == []
    query = PERSONS.replace("SELECT ?person", f"SELECT ?person FROM <{AUTHORITIES}>")
    assert len(rows(requests.get(endpoint, params={"query": query}))) == 2


def test_graphs_in_the_request_replace_those_of_the_query(endpoint):
    query = PERSONS.replace("SELECT ?person", f"SELECT ?person FROM <{CLAIMS}>")
    response = requests.get(endpoint, params={"query": query, "default-graph-uri": AUTHORITIES})
    assert len(rows(response)) == 2


def test_a_triple_several_documents_state_is_in_the_default_graph_once(tmp_path, backend):
    """Two documents describe the same unreviewed person: any client sees it once."""
    person = "http://127.0.0.1:8080/id/person/kim-yong-beom"
    label = f'<{person}> <http://www.w3.org/2000/01/rdf-schema#label> "Kim Yong-beom"@en'

    def build(folder):
        with lodpub.store.open(f"oxigraph:{folder}") as store:
            for key in ("d1", "d2", "d3"):
                document = Dataset()
                graph = document.graph(URIRef(f"http://127.0.0.1:8080/id/document/{key}/catalogue"))
                graph.add((URIRef(person), RDFS.label, Literal("Kim Yong-beom", lang="en")))
                store.replace_document(key, document)

    root = tmp_path / "store"
    publish(root, build, start_from_live=False)
    with backend.serving(root) as store, threaded_server(Settings(store=store)) as url:
        count = f"SELECT (COUNT(*) AS ?n) WHERE {{ {label} }}"
        assert rows(requests.get(url, params={"query": count})) == [{"n": "1"}]
        per_graph = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ {label} }} }}"
        assert rows(requests.get(url, params={"query": per_graph})) == [{"n": "3"}]
        manifest = f"ASK {{ ?graph <{LP.digest}> ?digest }}"
        assert requests.get(url, params={"query": manifest}).json()["boolean"] is False
        in_its_graph = f"ASK {{ GRAPH <{MANIFEST_GRAPH}> {{ ?graph <{LP.digest}> ?digest }} }}"
        assert requests.get(url, params={"query": in_its_graph}).json()["boolean"] is True
        description = Graph().parse(data=requests.get(url).text, format="turtle")
        dataset = description.value(URIRef(url), SD.defaultDataset)
        default = description.value(dataset, SD.defaultGraph)
        assert int(description.value(default, VOID.triples)) == 1
        names = {
            str(description.value(n, SD.name)) for n in description.objects(dataset, SD.namedGraph)
        }
        assert MANIFEST_GRAPH not in names and len(names) == 3


def test_a_bad_graph_iri_is_a_400_naming_the_parameter(endpoint):
    response = requests.get(endpoint, params={"query": PERSONS, "default-graph-uri": "not an iri"})
    assert response.status_code == 400
    assert "default-graph-uri" in response.text


def test_relative_iris_resolve_against_the_endpoint(endpoint):
    response = requests.get(
        endpoint,
        params={"query": "CONSTRUCT { <id/x> <p> 1 } WHERE {}"},
        headers={"Accept": "application/n-triples"},
    )
    assert response.status_code == 200
    assert response.text.startswith("<http://127.0.0.1:8080/id/x> <http://127.0.0.1:8080/p>")


SELECT_FORMATS = [
    ("application/sparql-results+json", "application/sparql-results+json", "json"),
    ("application/json", "application/sparql-results+json", "json"),
    ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
    ("text/csv", "text/csv; charset=utf-8", "csv"),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", "tsv"),
]
RESULT_SYNTAX = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "tsv": ox.QueryResultsFormat.TSV,
}


@pytest.mark.parametrize(("accept", "content_type", "name"), SELECT_FORMATS)
def test_select_results_in_each_format(endpoint, accept, content_type, name):
    response = requests.get(endpoint, params={"query": SELECT_ALL}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert "Accept" in response.headers["Vary"]
    if name == "csv":
        table = list(csv.reader(io.StringIO(response.text)))
        assert sorted(table[0]) == ["o", "p", "s"] and len(table) == 64
    else:
        parsed = ox.parse_query_results(response.content, format=RESULT_SYNTAX[name])
        assert len(list(parsed)) == 63


GRAPH_FORMATS = [
    ("text/turtle", "text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
    ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/trig", "application/trig", ox.RdfFormat.TRIG),
    ("application/n-quads", "application/n-quads", ox.RdfFormat.N_QUADS),
]


@pytest.mark.parametrize(("accept", "content_type", "syntax"), GRAPH_FORMATS)
def test_construct_results_in_each_format(endpoint, accept, content_type, syntax):
    response = requests.get(endpoint, params={"query": CONSTRUCT_ALL}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert len(set(ox.parse(response.content, format=syntax))) == 63


def test_describe_defaults_to_turtle(endpoint):
    query = "DESCRIBE <http://127.0.0.1:8080/id/person/kim-il-sung>"
    response = requests.get(endpoint, params={"query": query}, headers={"Accept": "*/*"})
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    graph = Graph().parse(data=response.text, format="turtle")
    assert Literal("Kim Il Sung", lang="en") in set(graph.objects())


def test_ask_answers_true_and_false(endpoint):
    for query, answer in (("ASK { ?s ?p ?o }", True), ("ASK { ?s <urn:none> ?o }", False)):
        response = requests.get(endpoint, params={"query": query})
        assert response.json() == {"head": {}, "boolean": answer}


def test_accept_q_values_choose_the_format(endpoint):
    accept = "application/sparql-results+json;q=0.2, text/csv;q=0.9, text/html;q=0.1"
    response = requests.get(endpoint, params={"query": PERSONS}, headers={"Accept": accept})
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_format_parameter_wins_over_accept(endpoint):
    params = {"query": PERSONS, "format": "tsv"}
    response = requests.get(endpoint, params=params, headers={"Accept": "application/json"})
    assert response.headers["Content-Type"] == "text/tab-separated-values; charset=utf-8"


@pytest.mark.parametrize(
    ("query", "params", "headers"),
    [
        (PERSONS, {}, {"Accept": "text/turtle"}),
        (CONSTRUCT_ALL, {}, {"Accept": "application/sparql-results+json"}),
        (PERSONS, {"format": "pdf"}, {}),
    ],
)
def test_an_unavailable_format_is_406(endpoint, query, params, headers):
    response = requests.get(endpoint, params={"query": query, **params}, headers=headers)
    assert response.status_code == 406
    assert "Available:" in response.text


def test_a_malformed_query_is_400_with_the_parsers_message_and_position(endpoint):
    query = "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?o = ) }"
    response = requests.get(endpoint, params={"query": query})
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "Malformed query: error at 3:" in response.text
    assert "  FILTER(?o = ) }\n" in response.text


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("GET", {"params": {"update": "CLEAR ALL"}}),
        ("POST", {"data": {"update": "INSERT DATA { <a> <b> <c> }"}}),
        (
            "POST",
            {
                "data": b"DROP ALL",
                "headers": {"Content-Type": "application/sparql-update"},
            },
        ),
        ("GET", {"params": {"query": "LOAD <http://127.0.0.1:9/data.ttl>"}}),
        ("POST", {"data": {"query": "PREFIX : <urn:x:> INSERT DATA { :a :b :c }"}}),
        ("GET", {"params": {"query": "ASK {}", "update": "CLEAR ALL"}}),
    ],
)
def test_updates_are_refused_on_every_route(endpoint, method, kwargs):
    response = requests.request(method, endpoint, **kwargs)
    assert response.status_code == 403
    assert "read-only" in response.text and "lodpub ingest" in response.text
    assert len(rows(requests.get(endpoint, params={"query": SELECT_ALL}))) == 63


def test_service_is_refused_with_an_explanation(endpoint):
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    response = requests.get(endpoint, params={"query": query})
    assert response.status_code == 403
    assert "SERVICE" in response.text and "service_allowlist" in response.text


def test_service_inside_a_literal_or_iri_is_an_ordinary_query(endpoint):
    query = "ASK { FILTER('SERVICE <http://127.0.0.1:9/> {}' != <http://x/SERVICE>) }"
    assert requests.get(endpoint, params={"query": query}).json()["boolean"] is True


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405_with_allow(endpoint, method):
    response = requests.request(method, endpoint, data=b"ASK {}")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Content-Type": "text/plain"},
        {"Content-Type": "application/sparql-query; charset=UTF-16"},
    ],
)
def test_a_post_without_a_query_media_type_is_415(endpoint, headers):
    response = requests.post(endpoint, data="ASK {}".encode("utf-16"), headers=headers)
    assert response.status_code == 415
    assert "application/sparql-query" in response.text or "UTF-8" in response.text


def test_two_queries_are_400(endpoint):
    response = requests.get(endpoint, params={"query": ["ASK {}", "SELECT * {}"]})
    assert response.status_code == 400


def test_a_body_over_the_limit_is_413(endpoint):
    query = "ASK {} #" + "x" * 1_100_000
    response = requests.post(
        endpoint, data=query.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 413
    assert "max_body" in response.text


def test_cors_preflight_and_response_headers(endpoint):
    preflight = requests.options(
        endpoint,
        headers={"Origin": "http://elsewhere", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
    response = requests.get(endpoint, params={"query": PERSONS}, headers={"Origin": "http://x"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-LODPUB-Truncated" in response.headers["Access-Control-Expose-Headers"]


@pytest.mark.parametrize(
    ("accept", "syntax"),
    [("text/turtle", "turtle"), ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")],
)
def test_service_description_by_accept(endpoint, accept, syntax):
    response = requests.get(endpoint, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(accept)
    graph = Graph().parse(data=response.text, format=syntax)
    service = URIRef(endpoint)
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    assert len(set(graph.objects(service, SD.resultFormat))) == 10
    sizes = {
        str(graph.value(named, SD.name)): graph.value(graph.value(named, SD.graph), VOID.triples)
        for named in graph.objects(graph.value(service, SD.defaultDataset), SD.namedGraph)
    }
    assert {name: int(size) for name, size in sizes.items()} == {
        AUTHORITIES: 8,
        CATALOGUE: 40,
        CLAIMS: 15,
    }


def test_service_description_for_any_client(endpoint):
    response = requests.get(endpoint, headers={"Accept": "*/*"})
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"


def test_service_reaches_only_the_endpoints_an_operator_allowed(tmp_path, backend, request):
    # Over a remote store the engine evaluates SERVICE, after lodpub's allow-list check.
    differs(
        request,
        backend,
        "virtuoso",
        "SERVICE needs grants on DB.DBA.SPARQL_SINV_2 for "
        "the anonymous SPARQL user, which an operator gives and lodpub cannot",
    )
    root = tmp_path / "store"
    publish_file(root)
    with backend.serving(root) as store, threaded_server(Settings(store=store)) as remote:
        allowing = Settings(
            store=store, service_allowlist=(remote,), service_private_hosts=("127.0.0.1",)
        )
        with threaded_server(allowing) as local:
            allowed = f"SELECT ?person WHERE {{ SERVICE <{remote}> {{ {PERSONS_PATTERN} }} }}"
            response = requests.get(local, params={"query": allowed})
            assert response.status_code == 200, response.text
            assert len(rows(response)) == 2
            other = allowed.replace(remote, "http://127.0.0.1:9/sparql")
            response = requests.get(local, params={"query": other})
            assert response.status_code == 403
            assert "not allowed" in response.text and remote in response.text
            variable = f"SELECT * WHERE {{ VALUES ?e {{ <{remote}> }} SERVICE ?e {{ ?s ?p ?o }} }}"
            assert requests.get(local, params={"query": variable}).status_code == 403
