"""What the endpoint reads from a query before running it: updates, SERVICE calls, FROM."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lodpub.web.query_scan import Service, scan

BASE = "http://127.0.0.1:8080/sparql"


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p 'SERVICE <http://evil/> { ?a ?b ?c }' }",
        'SELECT * WHERE { ?s ?p """multi\nline SERVICE <http://evil/> {}""" }',
        "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://evil/> { ?a ?b ?c }",
        "SELECT ?service WHERE { ?service a ?type }",
        "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:x ?o }",
        "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:SERVICE ?o }",
        "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:a.SERVICE ?o }",
        "SELECT * WHERE { ?s ?p 'it''s a \\' SERVICE' }",
        'SELECT * WHERE { ?s ?p "SERVICE"@en }',
    ],
)
def test_service_as_text_is_not_a_service_call(query):
    assert scan(query, BASE).services == ()


@pytest.mark.parametrize(
    ("query", "endpoint"),
    [
        ("SELECT * WHERE { SERVICE <http://evil/> { ?s ?p ?o } }", "http://evil/"),
        ("select * where { service silent <http://evil/> { ?s ?p ?o } }", "http://evil/"),
        ("SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://evil/> {} } }", "http://evil/"),
        ("SELECT * { { SELECT * { SeRvIcE <http://evil/> { ?s ?p ?o } } } }", "http://evil/"),
        ("SELECT * WHERE{?s ?p ?o}#x\nSERVICE<http://evil/>{}", "http://evil/"),
        ("SELECT * WHERE { ?s ?p 'x' SERVICE <http://evil/> {} }", "http://evil/"),
        ("BASE <http://evil/> SELECT * WHERE { SERVICE <sparql> {} }", "http://evil/sparql"),
        ("SELECT * WHERE { SERVICE <sparql> {} }", "http://127.0.0.1:8080/sparql"),
        ("PREFIX e: <http://evil/> SELECT * WHERE { SERVICE e:sparql {} }", "http://evil/sparql"),
        ("SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }", None),
        # pyoxigraph reads `true SERVICE` here: a bare word holding the keyword counts.
        ("SELECT * WHERE { ?s ?p trueSERVICE <http://evil/> {} }", None),
        ("SELECT * WHERE { ?s ?p 1SERVICE <http://evil/> {} }", "http://evil/"),
    ],
)
def test_every_service_call_is_found_with_its_endpoint(query, endpoint):
    assert Service(endpoint) in scan(query, BASE).services


def test_pyoxigraph_does_not_decode_escapes_outside_strings():
    """The scanner reads the raw text; that is right only while the parser does the same."""
    with pytest.raises(SyntaxError):
        ox.Store().query(r"SELECT * WHERE { \u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <a> <b> <c> }",
        "PREFIX ex: <http://example.org/> DELETE WHERE { ?s ex:p ?o }",
        "BASE <http://example.org/> LOAD <http://example.org/data.ttl>",
        "clear all",
        "DROP GRAPH <http://example.org/g>",
        "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "# a comment first\nCREATE GRAPH <http://example.org/g>",
        "ADD DEFAULT TO <http://example.org/g>",
    ],
)
def test_updates_are_recognised(query):
    assert scan(query).is_update


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s <http://example.org/insert> ?o }",
        "PREFIX delete: <http://example.org/> ASK { ?s delete:x ?o }",
        "CONSTRUCT WHERE { ?s ?p ?o }",
        "DESCRIBE <http://example.org/load>",
    ],
)
def test_queries_are_not_updates(query):
    assert not scan(query).is_update


@given(st.text(max_size=200))
def test_scanning_never_fails(text):
    scan(text, BASE)
