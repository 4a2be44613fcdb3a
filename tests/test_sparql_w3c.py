"""The W3C SPARQL 1.1 test suites, run through the HTTP endpoint of a real `lodpub serve`.

Each evaluation test publishes its own dataset as a new store generation, written as is (qt:data
in the store's default graph, qt:graphData in named graphs: the W3C dataset semantics, since
the endpoint queries the store's default graph), and the server switches to it at the next
request.
Skips are listed with a reason each in tests/w3c/skips.toml; the counts go to
tests/w3c/RESULTS.md and the end of the pytest report.

Embedded store only: each test publishes its own default graph, which an engine holding lodpub's
merged default graph cannot take as is, and the hundreds of datasets would add many minutes
per engine. The other SPARQL suites run over every backend (tests/backends.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from sparql_servers import lodpub_serve, publish_quads
from sparql_w3c import (
    EVALUATION_FOLDERS,
    RESULTS,
    Case,
    HttpRequest,
    csv_rows,
    dataset_quads,
    expected_solutions,
    graph_dataset,
    is_ordered,
    manifest,
    parsed_solutions,
    protocol_graph_data,
    protocol_requests,
    query_text,
    skips,
    solutions_dataset,
)

SKIPS = skips()
SUITES = ("syntax", "evaluation", "protocol")
TALLY: dict[str, Counter[str]] = {suite: Counter() for suite in SUITES}

SYNTAX = [
    case
    for folder in ("syntax-query", *EVALUATION_FOLDERS)
    for case in manifest(folder)[1]
    if case.kind.endswith("SyntaxTest11")
]
EVALUATION = [
    case
    for folder in EVALUATION_FOLDERS
    for case in manifest(folder)[1]
    if case.kind in ("QueryEvaluationTest", "CSVResultFormatTest")
]
PROTOCOL_GRAPH, PROTOCOL = manifest("protocol")

SOLUTION_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
REQUESTED = {".srx": "application/sparql-results+xml", ".srj": "application/sparql-results+json"}
REQUESTED |= {".tsv": "text/tab-separated-values", ".csv": "text/csv"}


@dataclass
class W3CServer:
    root: Path
    endpoint: str


class W3CReport:
    """Prints the pass counts at the end of the pytest report."""

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        terminalreporter.write_line(summary_line())


def summary_line() -> str:
    parts = []
    for suite in SUITES:
        tally = TALLY[suite]
        ran = tally["passed"] + tally["failed"]
        parts.append(f"{suite} {tally['passed']}/{ran} passed, {tally['skipped']} skipped")
    return "W3C SPARQL 1.1 through HTTP: " + "; ".join(parts)


@pytest.fixture(scope="module")
def server(tmp_path_factory, request) -> Iterator[W3CServer]:
    request.config.pluginmanager.register(W3CReport(), "lodpub-w3c-report")
    root = tmp_path_factory.mktemp("w3c-store")
    publish_quads(root, [])
    with lodpub_serve(root, "--threads", "2") as endpoint:
        yield W3CServer(root, endpoint)


def _run(suite: str, case: Case, check: Callable[[], None]) -> None:
    if case.id in SKIPS:
        TALLY[suite]["skipped"] += 1
        pytest.skip(SKIPS[case.id])
    try:
        check()
    except BaseException:
        TALLY[suite]["failed"] += 1
        raise
    TALLY[suite]["passed"] += 1


@pytest.mark.parametrize("case", SYNTAX, ids=lambda c: c.id)
def test_syntax(server: W3CServer, case: Case) -> None:
    def check() -> None:
        response = requests.post(
            server.endpoint,
            data=query_text(case.query).encode("utf-8"),
            headers={"Content-Type": "application/sparql-query"},
            timeout=60,
        )
        expected = 200 if case.kind.startswith("Positive") else 400
        assert response.status_code == expected, response.text

    _run("syntax", case, check)


@pytest.mark.parametrize("case", EVALUATION, ids=lambda c: c.id)
def test_evaluation(server: W3CServer, case: Case) -> None:
    def check() -> None:
        publish_quads(server.root, dataset_quads(case))
        query = query_text(case.query)
        index = EVALUATION.index(case)
        expected = None if case.result.suffix == ".csv" else expected_solutions(case.result)
        if case.result.suffix in REQUESTED:
            accept = REQUESTED[case.result.suffix]
        elif expected is not None:  # a result set written in RDF
            accept = "application/sparql-results+json"
        else:  # a graph: each test asks for the next RDF syntax in turn
            accept = list(GRAPH_TYPES)[index % len(GRAPH_TYPES)]
        headers = {"Accept": accept}
        if index % 2:
            response = requests.get(
                server.endpoint, params={"query": query}, headers=headers, timeout=60
            )
        else:
            headers["Content-Type"] = "application/sparql-query"
            response = requests.post(
                server.endpoint, data=query.encode("utf-8"), headers=headers, timeout=60
            )
        assert response.status_code == 200, response.text
        assert response.headers.get("X-LODPUB-Truncated") != "true"
        media_type = response.headers["Content-Type"].split(";")[0]
        assert media_type == accept
        if case.result.suffix == ".csv":
            actual = csv_rows(response.content.decode("utf-8"))
            wanted = csv_rows(case.result.read_text(encoding="utf-8"))
            assert sorted(actual[0]) == sorted(wanted[0])
            assert solutions_dataset(*actual, False) == solutions_dataset(*wanted, False)
        elif expected is None:
            actual = ox.parse(response.content, format=GRAPH_TYPES[media_type])
            assert graph_dataset(actual) == graph_dataset(ox.parse(path=str(case.result)))
        elif isinstance(expected, bool):
            assert parsed_solutions(response.content, SOLUTION_TYPES[media_type]) is expected
        else:
            actual = parsed_solutions(response.content, SOLUTION_TYPES[media_type])
            ordered = is_ordered(query)
            assert sorted(actual[0]) == sorted(expected[0])
            assert solutions_dataset(*actual, ordered) == solutions_dataset(*expected, ordered)

    _run("evaluation", case, check)


def _is_update(request: HttpRequest) -> bool:
    return (
        request.headers.get("content-type") == "application/sparql-update"
        or "update=" in request.path
        or (request.body or b"").startswith(b"update=")
    )


@pytest.mark.parametrize("case", PROTOCOL, ids=lambda c: c.id)
def test_protocol(server: W3CServer, case: Case) -> None:
    def check() -> None:
        publish_quads(server.root, protocol_graph_data(PROTOCOL_GRAPH, case.node))
        for http in protocol_requests(PROTOCOL_GRAPH, case.node):
            url = server.endpoint + http.path.removeprefix("/sparql/")
            response = requests.request(
                http.method, url, headers=http.headers, data=http.body, timeout=60
            )
            if _is_update(http) and "2xx" in http.statuses:
                # A valid update: this read-only endpoint must refuse it, and the requests
                # after it (which check what the update did) do not apply.
                assert response.status_code == 403, response.text
                return
            assert f"{response.status_code // 100}xx" in http.statuses, response.text
            media_type = response.headers.get("Content-Type", "").split(";")[0]
            if http.expected_format in ("boolean", "tabular"):
                assert media_type in SOLUTION_TYPES or media_type == "text/csv"
            elif http.expected_format == "RDF":
                assert media_type in GRAPH_TYPES
            if http.expected_boolean is not None:
                assert parsed_solutions(response.content, SOLUTION_TYPES[media_type]) is (
                    http.expected_boolean
                )

    _run("protocol", case, check)


def test_w3c_summary() -> None:
    """Writes tests/w3c/RESULTS.md when every W3C test ran in this session."""
    expected = {"syntax": len(SYNTAX), "evaluation": len(EVALUATION), "protocol": len(PROTOCOL)}
    ran = {suite: sum(TALLY[suite].values()) for suite in SUITES}
    if ran != expected:
        pytest.skip("only part of the W3C suites ran; RESULTS.md is left as it is")
    lines = [
        "# W3C SPARQL 1.1 tests through lodpub's HTTP endpoint",
        "",
        "Written by `tests/test_sparql_w3c.py` (`make test`); skips and their reasons are in",
        "`skips.toml`.",
        "",
        "| suite | tests | passed | failed | skipped |",
        "|---|---|---|---|---|",
    ]
    for suite in SUITES:
        tally = TALLY[suite]
        lines.append(
            f"| {suite} | {expected[suite]} | {tally['passed']} | {tally['failed']} "
            f"| {tally['skipped']} |"
        )
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert all(TALLY[suite]["failed"] == 0 for suite in SUITES), summary_line()
