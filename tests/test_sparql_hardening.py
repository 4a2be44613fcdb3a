"""SPARQL abuse: updates and LOAD on every route, SERVICE to the server's own network, queries
that never end or would fill the memory, and more queries at once than the endpoint admits."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest
import requests
from werkzeug.serving import make_server

from lodpub.web import Settings, create_app
from sparql_servers import publish_file, threaded_server

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
# The fixture's 63 triples to the fifth power, counted: no row comes out for many minutes.
NEVER_ENDING = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?q ?r }"
)
# 63^4 distinct rows held in a hash set: gigabytes, unless the memory limit stops it.
MEMORY_HOG = (
    "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT * WHERE "
    "{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } }"
)
INSERT = "PREFIX ex: <http://example.org/> INSERT DATA { GRAPH ex:g { ex:s ex:p 1 } }"
UPDATES = (
    INSERT,
    "LOAD <http://example.org/data.ttl>",
    "LOAD SILENT <http://example.org/data.ttl> INTO GRAPH <http://example.org/g>",
    "CLEAR ALL",
    "DROP DEFAULT",
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX ex: <http://example.org/> WITH ex:g DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
)


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("store")
    publish_file(root)
    return root


def app_for(root: Path, **settings):
    return create_app(Settings(store=str(root), **settings))


def stored(client) -> int:
    response = client.get("/sparql", query_string={"query": COUNT, "format": "json"})
    assert response.status_code == 200, response.text
    return int(response.json["results"]["bindings"][0]["n"]["value"])


def routes(app) -> list[str]:
    """Every route of the app, with a made-up value in each variable part."""
    paths = set()
    for rule in app.url_map.iter_rules():
        path = rule.rule
        for argument in rule.arguments:
            path = path.replace(f"<{argument}>", "x").replace(f"<path:{argument}>", "x/y")
        paths.add(path.split("<", 1)[0] if "<" in path else path)
    return sorted(paths)


def test_no_route_accepts_an_update(root):
    app = app_for(root)
    client = app.test_client()
    before = stored(client)
    paths = routes(app)
    assert "/sparql" in paths and len(paths) > 10
    for path in paths:
        for update in UPDATES:
            answers = (
                client.get(path, query_string={"update": update}),
                client.post(path, data={"update": update}),
                client.post(path, data=update, content_type="application/sparql-update"),
                client.post(path, data={"query": update}),
            )
            for answer in answers:
                assert answer.status_code < 500, (path, update, answer.status_code)
                if path == "/sparql":
                    assert answer.status_code == 403, (update, answer.text)
                    assert "read-only" in answer.text
    assert stored(client) == before


@pytest.mark.parametrize("update", [u for u in UPDATES if u.startswith("LOAD")])
def test_load_is_refused_and_fetches_nothing(root, update):
    client = app_for(root).test_client()
    for response in (
        client.get("/sparql", query_string={"query": update}),
        client.post("/sparql", data=update, content_type="application/sparql-update"),
    ):
        assert response.status_code == 403
        assert "LOAD" in response.text


def test_service_is_refused_without_an_allowlist(root):
    client = app_for(root).test_client()
    query = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 403
    assert "service_allowlist" in response.text


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://127.0.0.1:9/sparql",
        "http://127.8.9.10/sparql",
        "http://localhost:9/sparql",
        "http://[::1]:9/sparql",
        "http://[::ffff:127.0.0.1]:9/sparql",
        "http://[::ffff:a9fe:a9fe]/sparql",
        "http://169.254.169.254/latest/meta-data",
        "http://[fe80::1]/sparql",
        "http://10.1.2.3/sparql",
        "http://172.16.0.1/sparql",
        "http://192.168.1.1/sparql",
        "http://100.64.0.1/sparql",
        "http://0.0.0.0/sparql",
        "http://[fd00::1]/sparql",
        "http://2130706433/sparql",
        "http://127.0.0.1:99999/sparql",
    ],
)
def test_an_allowlisted_endpoint_on_a_private_address_is_still_refused(root, endpoint):
    client = app_for(root, service_allowlist=(endpoint,)).test_client()
    query = f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}"
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 403, response.text
    assert "not a public address" in response.text or "cannot be resolved" in response.text


def test_a_private_host_is_reached_only_when_the_operator_names_it(root):
    with threaded_server(Settings(store=str(root))) as remote:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ SERVICE <{remote}> {{ ?s a ?type }} }}"
        refused = app_for(root, service_allowlist=(remote,)).test_client()
        assert refused.get("/sparql", query_string={"query": query}).status_code == 403
        named = app_for(root, service_allowlist=(remote,), service_private_hosts=("127.0.0.1",))
        response = named.test_client().get(
            "/sparql", query_string={"query": query, "format": "json"}
        )
        assert response.status_code == 200, response.text
        assert int(response.json["results"]["bindings"][0]["n"]["value"]) > 0


def worker_processes() -> list[int]:
    """The query worker processes this test process has started and that are still alive."""
    pids = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        for pid in (task / "children").read_text().split():
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes()
            except FileNotFoundError:
                continue
            if b"lodpub.sparql_worker" in command:
                pids.append(int(pid))
    return pids


def test_a_query_that_never_ends_is_stopped_and_its_process_freed(root):
    app = app_for(root, query_timeout=1.0, query_workers=1, query_queue=0)
    client = app.test_client()
    earlier = set(worker_processes())
    response = client.get("/sparql", query_string={"query": NEVER_ENDING})
    assert response.status_code == 503
    assert "time limit of 1 s" in response.text
    assert response.headers["Retry-After"] == "1"
    # The worker that was computing has been killed, not left running.
    assert set(worker_processes()) == earlier
    # The one worker slot serves the next query at once.
    response = client.get("/sparql", query_string={"query": "ASK {}", "format": "json"})
    assert response.status_code == 200 and response.json["boolean"] is True
    assert len(set(worker_processes()) - earlier) == 1
    app.extensions["lodpub.sparql"]["executor"].shutdown()
    assert set(worker_processes()) == earlier


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


def test_a_query_that_would_fill_the_memory_is_stopped_at_the_limit(root):
    app = app_for(root, query_timeout=60.0, query_memory_mb=200)
    client = app.test_client()
    before = rss_kib(os.getpid())
    response = client.get("/sparql", query_string={"query": MEMORY_HOG})
    assert response.status_code == 503, response.text
    assert "memory limit of 200 MiB" in response.text
    # The server process itself did not take the memory (it only held the request).
    assert rss_kib(os.getpid()) - before < 100 * 1024
    response = client.get("/sparql", query_string={"query": "ASK {}", "format": "json"})
    assert response.json["boolean"] is True
    app.extensions["lodpub.sparql"]["executor"].shutdown()


def test_queries_beyond_the_queue_get_503_with_retry_after_and_pages_still_answer(root):
    app = app_for(root, query_timeout=3.0, query_workers=1, query_queue=1)
    executor = app.extensions["lodpub.sparql"]["executor"]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    endpoint = f"http://127.0.0.1:{server.server_port}/sparql"
    heavy = [
        threading.Thread(target=requests.get, args=(endpoint,), kwargs={"params": {"query": q}})
        for q in (NEVER_ENDING, NEVER_ENDING.replace("?r", "?r2"))
    ]
    try:
        for thread in heavy:
            thread.start()
        while executor.in_flight < 2:
            assert any(thread.is_alive() for thread in heavy)
            threading.Event().wait(0.01)
        refused = requests.get(endpoint, params={"query": "ASK {}"}, timeout=10)
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == "3"
        assert "query_workers and query_queue" in refused.text
        home = endpoint.removesuffix("/sparql") + "/"
        assert requests.get(home, timeout=10).status_code == 200
        for thread in heavy:
            thread.join()
        response = requests.get(endpoint, params={"query": "ASK {}", "format": "json"}, timeout=10)
        assert response.json()["boolean"] is True
    finally:
        server.shutdown()
        serving.join()
        executor.shutdown()


def test_a_worker_killed_from_outside_is_replaced_without_an_error(root):
    app = app_for(root, query_workers=1)
    client = app.test_client()
    earlier = set(worker_processes())
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    (worker,) = set(worker_processes()) - earlier
    os.kill(worker, signal.SIGKILL)
    os.waitpid(worker, 0)
    response = client.get("/sparql", query_string={"query": "ASK {}", "format": "json"})
    assert response.status_code == 200 and response.json["boolean"] is True
    assert worker not in worker_processes()
    app.extensions["lodpub.sparql"]["executor"].shutdown()
