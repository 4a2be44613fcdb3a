"""Each adaptation lodpub makes for Virtuoso, pinned: what Virtuoso does without it, and that
lodpub's queries and results come out as on the embedded store with it."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

import lodpub.store
from lodpub.store.dialects import (
    MERGED_GRAPH,
    SPARQL11,
    VIRTUOSO,
    VIRTUOSO_SYSTEM_GRAPHS,
    names_dataset,
)
from lodpub.store.errors import StoreError
from remote_engines import VIRTUOSO_USER, virtuoso_server

_XSD = "http://www.w3.org/2001/XMLSchema#"
SHARED = '<http://example.org/e> <http://example.org/p> "shared" .'


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """A Virtuoso with one triple in two graphs, written by lodpub (named graphs, the merge and
    the manifest), and its raw client."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in VIRTUOSO_USER.items():
            patch.setenv(name, value)
        with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as engine:
            store = lodpub.store.open(engine.url)
            assert store.dialect is VIRTUOSO  # found by its Server header
            for key in ("a", "b"):
                graph = f"http://127.0.0.1:8080/id/document/{key}/claims"
                store._write(drop=set(), graphs={graph: [SHARED]}, key=key)
            yield store


def solutions(store, sparql: str, **graphs) -> list[dict[str, str]]:
    """Virtuoso's own answer, without lodpub's adaptations."""
    answer = store.client.query(sparql, **graphs)
    assert answer.content_type == "application/sparql-results+json"
    parsed = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
    names = [v.value for v in parsed.variables]
    return [{name: row[name].value for name in names if row[name]} for row in parsed]


def test_insert_data_without_graph_is_refused_so_the_merge_is_a_named_graph(virtuoso):
    with pytest.raises(StoreError, match="default graph"):
        virtuoso.client.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert solutions(virtuoso, f"SELECT ?o WHERE {{ GRAPH <{MERGED_GRAPH}> {{ ?s ?p ?o }} }}") == [
        {"o": "shared"}
    ]


def test_a_query_without_dataset_counts_a_shared_triple_per_graph_so_lodpub_names_one(virtuoso):
    count = "SELECT (COUNT(*) AS ?n) WHERE { <http://example.org/e> ?p ?o }"
    assert solutions(virtuoso, count) == [{"n": "3"}]  # two documents and the merge
    assert int(next(iter(virtuoso.query(count)))["n"].value) == 1


def test_a_declared_default_graph_hides_graph_iri_so_lodpub_names_the_named_graphs(virtuoso):
    manifest = "SELECT ?k WHERE { GRAPH <urn:x-lodpub:store> { ?g ?p ?k } FILTER isLiteral(?k) }"
    assert solutions(virtuoso, manifest, default_graphs=[MERGED_GRAPH]) == []
    assert len(list(virtuoso.query(manifest))) > 0
    assert virtuoso.documents() == ["a", "b"]


def test_graph_variables_range_over_data_graphs_and_manifest_not_virtuosos_own(virtuoso):
    every = solutions(virtuoso, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert set(VIRTUOSO_SYSTEM_GRAPHS) <= {row["g"] for row in every}
    seen = {
        row["g"].value for row in virtuoso.query("SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }")
    }
    assert seen == {
        "http://127.0.0.1:8080/id/document/a/claims",
        "http://127.0.0.1:8080/id/document/b/claims",
        "urn:x-lodpub:store",
    }
    patterns = virtuoso.oxigraph.quads_for_pattern(None, None, ox.Literal("shared"), None)
    assert {q.graph_name for q in patterns} == {
        ox.DefaultGraph(),
        ox.NamedNode("http://127.0.0.1:8080/id/document/a/claims"),
        ox.NamedNode("http://127.0.0.1:8080/id/document/b/claims"),
    }


def test_describe_is_asked_as_a_concise_bounded_description(virtuoso):
    virtuoso._write(
        drop=set(),
        graphs={
            "http://127.0.0.1:8080/id/document/c/claims": [
                "<http://example.org/x> <http://example.org/q> <http://example.org/e> ."
            ]
        },
        key="c",
    )
    describe = "DESCRIBE <http://example.org/e>"
    raw = virtuoso.client.query(describe, default_graphs=[MERGED_GRAPH], graph=True).body
    assert b"http://example.org/x" in raw  # Virtuoso's own DESCRIBE adds incoming triples
    triples = list(virtuoso.query(describe))
    assert {(t.subject.value, t.predicate.value) for t in triples} == {
        ("http://example.org/e", "http://example.org/p")
    }
    assert VIRTUOSO.describe(describe).startswith('define sql:describe-mode "CBD"')
    assert SPARQL11.describe(describe) == describe


def test_booleans_come_back_true_and_false(virtuoso):
    virtuoso._write(
        drop=set(),
        graphs={
            "http://127.0.0.1:8080/id/document/d/claims": [
                "<http://example.org/d> <http://example.org/flag> true ."
            ]
        },
        key="d",
    )
    ask = "SELECT ?o WHERE { <http://example.org/d> <http://example.org/flag> ?o }"
    assert b'"value": "1"' in virtuoso.client.query(ask, default_graphs=[MERGED_GRAPH]).body
    (row,) = list(virtuoso.query(ask))
    assert row["o"] == ox.Literal("true", datatype=ox.NamedNode(f"{_XSD}boolean"))


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }", True),
        ("SELECT * from named <urn:g> { GRAPH ?g { ?s ?p ?o } }", True),
        ('SELECT * WHERE { ?s ?p "FROM" } # FROM <urn:g>', False),
        ("SELECT ?from WHERE { ?from <urn:FROM> ex:from }", False),
    ],
)
def test_a_query_naming_its_dataset_is_sent_as_written(query, names):
    assert names_dataset(query) is names
