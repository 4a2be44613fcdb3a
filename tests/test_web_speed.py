"""The fast path of pages: kept whole per store version, built once however many ask at once."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from lodpub.web import resource
from lodpub.web.app import create_app
from lodpub.web.fast_path import FastPath
from lodpub.web.settings import Settings
from test_search_index import BASE, document, publish_documents

PAGE = "/page/document/d1"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "store"
    publish_documents(root, {"d1": document("d1", "Minutes", "The committee met.")})
    return root


def serve(root: Path, tmp_path: Path, **settings):
    app = create_app(
        Settings(store=str(root), base_uri=BASE, dumps_dir=str(tmp_path / "d"), **settings)
    )
    fast = app.wsgi_app
    while not isinstance(fast, FastPath):
        fast = fast.app
    return app, fast


def test_concurrent_requests_for_one_page_build_it_once(root, tmp_path, monkeypatch):
    app, fast = serve(root, tmp_path)
    builds = []
    render = resource._html

    def slow_render(*args, **kwargs):
        builds.append(1)
        time.sleep(0.3)  # long enough for every request to arrive while it renders
        return render(*args, **kwargs)

    monkeypatch.setattr(resource, "_html", slow_render)
    start = threading.Barrier(8)
    bodies = []

    def fetch() -> None:
        client = app.test_client()
        start.wait()
        response = client.get(PAGE)
        bodies.append((response.status_code, response.get_data()))

    threads = [threading.Thread(target=fetch) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert fast.builds == 1
    assert len(bodies) == 8 and len(set(bodies)) == 1 and bodies[0][0] == 200


def test_a_kept_page_has_the_headers_of_a_built_one(root, tmp_path):
    app, fast = serve(root, tmp_path)
    client = app.test_client()
    built = client.get(PAGE)
    hits = fast.cache.hits
    kept = client.get(PAGE)
    assert fast.cache.hits == hits + 1
    assert kept.get_data() == built.get_data()
    for name in ("ETag", "Vary", "Link", "Content-Location", "Content-Type", "Cache-Control"):
        assert kept.headers[name] == built.headers[name], name
    assert kept.headers["Access-Control-Allow-Origin"] == "*"
    assert "Accept" in kept.headers["Vary"]


def test_a_kept_page_answers_304_and_head(root, tmp_path):
    app, _ = serve(root, tmp_path)
    client = app.test_client()
    tag = client.get(PAGE).headers["ETag"]
    again = client.get(PAGE, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == tag
    assert again.headers["Vary"] == "Accept"
    assert client.get(PAGE, headers={"If-None-Match": '"other"'}).status_code == 200
    head = client.head(PAGE)
    assert head.status_code == 200 and head.get_data() == b""
    assert head.headers["ETag"] == tag


def test_the_host_and_the_accept_header_are_part_of_the_key(root, tmp_path):
    app, _ = serve(root, tmp_path)
    client = app.test_client()
    here = client.get(PAGE, base_url="http://one.example")
    there = client.get(PAGE, base_url="http://two.example")
    assert here.headers["Content-Location"].startswith("http://one.example/")
    assert there.headers["Content-Location"].startswith("http://two.example/")
    turtle = client.get("/data/document/d1.ttl", headers={"Accept": "text/turtle"})
    assert turtle.headers["Content-Type"].startswith("text/turtle")


def test_a_new_generation_is_served_at_once(root, tmp_path):
    app, _ = serve(root, tmp_path)
    client = app.test_client()
    before = client.get(PAGE)
    publish_documents(root, {"d1": document("d1", "Minutes, corrected", "The committee met.")})
    after = client.get(PAGE)
    assert "Minutes, corrected" in after.get_data(as_text=True)
    assert after.headers["ETag"] != before.headers["ETag"]


def test_the_cache_holds_at_most_its_setting(tmp_path):
    root = tmp_path / "store"
    publish_documents(root, {"d1": document("d1", "Long minutes", "The committee met. " * 8000)})
    app, fast = serve(root, tmp_path, page_cache_mb=1)
    client = app.test_client()
    sizes = []
    for variant in range(20):
        response = client.get(PAGE, headers={"Accept": f"text/html, */*;q=0.{variant + 1:02d}"})
        sizes.append(len(response.get_data()))
    assert sum(sizes) > 2 * 1024 * 1024  # more than the cache may hold
    assert 0 < fast.cache.size <= 1024 * 1024
    assert 0 < len(fast.cache) < 20


def test_the_sparql_endpoint_never_takes_the_fast_path(root, tmp_path):
    app, fast = serve(root, tmp_path)
    client = app.test_client()
    for _ in range(2):
        response = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
        assert response.status_code == 200
    assert fast.builds == 0 and len(fast.cache) == 0
