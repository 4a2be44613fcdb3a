"""`lodpub serve` over a remote engine: two servers on one Oxigraph server answer alike, see a
new document published by `lodpub ingest`, answer 503 while the engine is down, and recover."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import pytest
import requests
from rdflib import Graph
from rdflib.compare import to_isomorphic

from remote_engines import VIRTUOSO_USER, oxigraph_server, restart, stop, virtuoso_server
from sparql_servers import SERVE, free_port, lodpub_serve

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
BASE = "http://127.0.0.1:8080"
NEW_KEY = "remote-serve-letter-1950"
PERSONS = (
    "PREFIX crm: <http://www.cidoc-crm.org/cidoc-crm/> "
    "SELECT ?person WHERE { ?person a crm:E21_Person } ORDER BY ?person"
)
SPARQL_JSON = {"Accept": "application/sparql-results+json"}
# Both servers as clients see them behind one proxy: pages name the host they were asked by.
HOST = {"Host": "127.0.0.1:8080"}
# Given to one server (queries need none): no answer may repeat them.
CREDENTIALS = {"LODPUB_STORE_USER": "reader", "LODPUB_STORE_PASSWORD": "s3cret-pw"}


ENGINES = {"oxigraph": oxigraph_server, "virtuoso": virtuoso_server}


def ingest(store: str, folder: Path, *paths: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LODPUB_")}
    # Virtuoso's administrator, for its update endpoints; the Oxigraph server asks for none.
    environment.update(VIRTUOSO_USER)
    reports = str(folder / "reports")
    command = [sys.executable, "-m", "lodpub", "ingest", "--store", store, "--reports", reports]
    done = subprocess.run(
        [*command, *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr


def new_record(folder: Path) -> Path:
    """A document the seed does not hold, as a canonical JSON record."""
    record = {
        "key": NEW_KEY,
        "title": "Letter on the harbour of Gdynia",
        "body": "The harbour master Jan Kowalski reports that the port of Gdynia reopened.",
        "language": "en",
        "date": "1950-03",
        "citation": {"text": "State Archive in Gdansk, F. 12, D. 34, p. 5."},
    }
    path = folder / "new" / f"{NEW_KEY}.json"
    path.parent.mkdir()
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


def site(endpoint: str) -> str:
    return endpoint.removesuffix("/sparql")


def select(endpoint: str, query: str) -> dict:
    answer = requests.get(endpoint, params={"query": query}, headers=SPARQL_JSON, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


def until(condition: Callable[[], bool], seconds: float = 30) -> bool:
    """Poll `condition` until it holds or `seconds` have passed; its last value."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def fetch(server: str, path: str, accept: str) -> requests.Response:
    """GET `path` from `server` as if asked through the proxy, following redirects there."""
    for _ in range(5):
        answer = requests.get(
            site(server) + path,
            headers={"Accept": accept, **HOST},
            allow_redirects=False,
            timeout=30,
        )
        if not answer.is_redirect:
            return answer
        path = "/" + answer.headers["Location"].split("://", 1)[-1].split("/", 1)[1]
    raise AssertionError(f"{path}: too many redirects")


def void(server: str) -> tuple[str, Graph]:
    """The dataset description (cached per store version): its ETag and its triples."""
    answer = fetch(server, "/.well-known/void", "text/turtle")
    assert answer.status_code == 200, answer.text
    return answer.headers["ETag"], to_isomorphic(Graph().parse(data=answer.text, format="turtle"))


def status(url: str) -> int:
    return requests.get(url, timeout=30).status_code


@pytest.fixture(params=ENGINES)
def two_servers(request, tmp_path):
    """The seed ingested into an engine, and two `lodpub serve` processes on it."""
    with ExitStack() as stack:
        engine = stack.enter_context(ENGINES[request.param](tmp_path))
        ingest(engine.url, tmp_path, SEEDS)
        servers = [
            stack.enter_context(lodpub_serve(engine.url, env=env)) for env in ({}, CREDENTIALS)
        ]
        yield engine, servers


def test_two_servers_on_one_engine_answer_alike_follow_ingest_and_outlive_an_outage(
    two_servers, tmp_path
):
    engine, servers = two_servers
    assert len({site(s) for s in servers}) == 2

    persons = [select(s, PERSONS) for s in servers]
    assert persons[0] == persons[1]
    people = [row["person"]["value"] for row in persons[0]["results"]["bindings"]]
    assert people, "the seed has people"
    path = people[0].removeprefix(BASE)
    pages = [fetch(s, path, "text/html") for s in servers]
    assert [p.status_code for p in pages] == [200, 200]
    assert pages[0].text == pages[1].text
    described = []
    for server in servers:
        answer = fetch(server, path, "text/turtle")
        assert answer.status_code == 200
        assert answer.headers["Content-Type"].startswith("text/turtle")
        described.append(to_isomorphic(Graph().parse(data=answer.text, format="turtle")))
    assert len(described[0]) > 0
    assert described[0] == described[1]

    before = [void(s) for s in servers]
    assert before[0] == before[1]

    document = f"/id/document/{NEW_KEY}"
    assert [status(site(s) + document) for s in servers] == [404, 404]
    ingest(engine.url, tmp_path, new_record(tmp_path))
    for server in servers:
        assert until(lambda s=server: status(site(s) + document) == 200, seconds=10)
        assert select(server, f"ASK {{ <{BASE}{document}> ?p ?o }}")["boolean"] is True
        assert until(lambda s=server: void(s)[0] != before[0][0], seconds=10)
    published = [select(s, PERSONS) for s in servers]
    assert published[0] == published[1]
    after = [void(s) for s in servers]
    assert after[0] == after[1]
    assert after[0][1] != before[0][1]

    for server in servers:
        dumps = requests.get(site(server) + "/dumps/", timeout=30)
        assert dumps.status_code == 404
        assert "embedded store" in dumps.text and "export" in dumps.text

    stop(engine.process)
    # What a server already read of the current version it may answer from memory, as from its
    # page cache; what it must ask the engine is 503.
    unseen = "/id/person/never-asked-about"
    for server in servers:
        for url in (site(server) + unseen, server + "?query=" + requests.utils.quote(PERSONS)):
            down = requests.get(url, headers=SPARQL_JSON, timeout=60)
            assert down.status_code == 503, down.text
            assert engine.query_url in down.text
            assert "unavailable" in down.text
            assert CREDENTIALS["LODPUB_STORE_PASSWORD"] not in down.text

    restart(engine, tmp_path)
    for server in servers:
        assert until(lambda s=server: status(site(s) + path) == 200, seconds=30)
        assert select(server, PERSONS) == published[0]


def test_serve_refuses_to_start_on_an_engine_that_does_not_answer():
    url = f"sparql+http://127.0.0.1:{free_port()}/query"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LODPUB_")}
    command = [*SERVE, "--store", url, "--port", str(free_port())]
    done = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=120)
    assert done.returncode == 1
    assert f"remote store {url.removeprefix('sparql+')} is unavailable" in done.stderr
