"""The endpoint's limits: row cap (announced), request size, query time limit."""

from __future__ import annotations

import csv
import io
import threading

import pyoxigraph as ox
import pytest
import requests

from lodpub.web.conneg import SPARQL_JSON
from lodpub.web.execution import Choice, Dataset, Executor, QueryError
from sparql_servers import lodpub_serve, publish_file

SELECT_ALL = "SELECT * WHERE { ?s ?p ?o }"
# 63 triples to the fourth power: millions of rows, streamed out for seconds.
ENDLESS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def capped(tmp_path_factory, backend):
    root = tmp_path_factory.mktemp("store")
    publish_file(root)
    with (
        backend.serving(root) as store,
        lodpub_serve(store, "--max-rows", "3", "--max-body", "2000") as url,
    ):
        yield url


@pytest.fixture(scope="module")
def hurried(tmp_path_factory, backend):
    """A server with a short time limit, and the limit. Over an engine the next query costs
    round trips to an engine still computing the abandoned one (neither engine stops it when
    lodpub gives up, and Virtuoso ignores its own `timeout` for it): a limit of seconds."""
    root = tmp_path_factory.mktemp("store")
    publish_file(root)
    seconds = "0.5" if backend.embedded else "3"
    env = {"LODPUB_QUERY_TIMEOUT": seconds, "LODPUB_MAX_ROWS": "1000000000"}
    with backend.serving(root) as store, lodpub_serve(store, env=env) as url:
        yield url, seconds


def count_rows(response: requests.Response) -> int:
    media_type = response.headers["Content-Type"].split(";")[0]
    if media_type == "text/csv":
        return len(list(csv.reader(io.StringIO(response.text)))) - 1
    syntax = {
        "application/sparql-results+json": ox.QueryResultsFormat.JSON,
        "application/sparql-results+xml": ox.QueryResultsFormat.XML,
        "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    }[media_type]
    return len(list(ox.parse_query_results(response.content, format=syntax)))


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_a_long_result_is_cut_at_the_row_cap_and_announced(capped, fmt):
    response = requests.get(capped, params={"query": SELECT_ALL, "format": fmt})
    assert response.status_code == 200
    assert count_rows(response) == 3
    assert response.headers["X-LODPUB-Truncated"] == "true"
    assert response.headers["X-LODPUB-Row-Limit"] == "3"


@pytest.mark.parametrize(("limit", "truncated"), [(2, "false"), (3, "false"), (4, "true")])
def test_truncated_only_when_rows_were_left_out(capped, limit, truncated):
    response = requests.get(capped, params={"query": f"{SELECT_ALL} LIMIT {limit}"})
    assert count_rows(response) == min(limit, 3)
    assert response.headers["X-LODPUB-Truncated"] == truncated


def test_graph_results_are_capped_in_triples(capped):
    response = requests.get(
        capped,
        params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/ld+json"},
    )
    assert len(list(ox.parse(response.content, format=ox.RdfFormat.JSON_LD))) == 3
    assert response.headers["X-LODPUB-Truncated"] == "true"


def test_ask_has_no_row_cap(capped):
    response = requests.get(capped, params={"query": "ASK { ?s ?p ?o }"})
    assert response.json()["boolean"] is True
    assert "X-LODPUB-Truncated" not in response.headers


def test_a_body_over_max_body_is_413(capped):
    query = "ASK {} #" + "x" * 2000
    response = requests.post(capped, data={"query": query})
    assert response.status_code == 413
    assert "2000 bytes" in response.text


def test_a_query_string_over_max_body_is_414(capped):
    response = requests.get(capped, params={"query": "ASK {} #" + "x" * 2000})
    assert response.status_code == 414
    assert "POST" in response.text


def test_a_query_past_the_time_limit_gets_an_error_not_a_partial_result(hurried):
    url, seconds = hurried
    response = requests.get(url, params={"query": ENDLESS, "format": "tsv"})
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert f"time limit of {seconds} s" in response.text
    # The server is free again for the next query.
    assert requests.get(url, params={"query": "ASK {}"}).json()["boolean"] is True


class _Computing:
    """A store whose query computes without producing output until released."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def query(self, *args: object, **kwargs: object) -> ox.QueryBoolean:
        self.release.wait(30)
        raise RuntimeError("finished late")


def test_a_query_computing_without_output_is_answered_at_the_deadline():
    executor = Executor(threads=1, timeout=0.2, max_rows=10)
    store = _Computing()
    with pytest.raises(QueryError) as refused:
        executor.run(
            store,
            "ASK {}",
            dataset=Dataset(),
            base_iri="http://127.0.0.1:8080/sparql",
            choice=Choice(SPARQL_JSON, None),
        )
    store.release.set()
    executor.shutdown()
    assert refused.value.status == 503
    assert "time limit" in refused.value.message
