"""What the server keeps in memory per store version is bounded, and pages do not change for it."""

from __future__ import annotations

import gc
import platform
import threading
from pathlib import Path

import pyoxigraph as ox

from lodpub.web import graph_view, memory
from lodpub.web.addresses import Addresses
from lodpub.web.app import create_app
from lodpub.web.graph_view import GraphView
from lodpub.web.labels import vocabulary
from lodpub.web.live_store import Snapshot
from lodpub.web.settings import Settings
from test_search_index import BASE, document, publish_documents


def empty_view() -> GraphView:
    return GraphView(Snapshot(ox.Store(), "v"), Addresses(BASE), vocabulary())


def test_per_resource_values_keep_the_most_recently_used(monkeypatch):
    monkeypatch.setattr(graph_view, "PER_RESOURCE_MAX", 3)
    view = empty_view()
    computed: list[int] = []

    def value(n: int) -> int:
        return view.memo(("text", n), lambda: computed.append(n) or n * 10)

    assert [value(n) for n in (1, 2, 3)] == [10, 20, 30]
    assert value(1) == 10  # used again: now the most recent
    assert value(4) == 40  # drops 2, the least recently used
    assert [value(n) for n in (1, 3, 4)] == [10, 30, 40]
    assert computed == [1, 2, 3, 4]
    assert value(2) == 20
    assert computed == [1, 2, 3, 4, 2]


def test_whole_snapshot_values_are_never_dropped(monkeypatch):
    monkeypatch.setattr(graph_view, "PER_RESOURCE_MAX", 2)
    view = empty_view()
    built = []
    view.memo("things-by-kind", lambda: built.append(1) or {"document": []})
    for n in range(50):
        view.memo(("co-mentioned", n), lambda: [])
    assert view.memo("things-by-kind", lambda: built.append(2)) == {"document": []}
    assert built == [1]


def test_concurrent_callers_of_one_key_compute_it_once_and_leave_no_lock():
    view = empty_view()
    calls = []
    gate = threading.Event()

    def slow() -> str:
        calls.append(1)
        gate.wait(5)
        return "done"

    threads = [threading.Thread(target=lambda: view.memo(("text", "a"), slow)) for _ in range(8)]
    for thread in threads:
        thread.start()
    gate.set()
    for thread in threads:
        thread.join(10)
    assert calls == [1]
    assert view.memo(("text", "a"), lambda: "again") == "done"
    for n in range(100):
        view.memo(("text", n), lambda n=n: n)
    assert view._memo_locks == {}


def test_labels_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(graph_view, "LABEL_CACHE_MAX", 10)
    view = empty_view()
    labels = [view.label(f"{BASE}/id/person/p{n}") for n in range(25)]
    assert labels[3] == "p3"
    assert len(view._labels) <= 10


def test_pages_built_again_after_their_values_were_dropped_are_the_same(tmp_path, monkeypatch):
    monkeypatch.setattr(graph_view, "PER_RESOURCE_MAX", 2)
    root = tmp_path / "store"
    publish_documents(
        root, {f"d{n}": document(f"d{n}", f"Minutes {n}", f"Meeting {n} met.") for n in range(5)}
    )
    settings = Settings(
        store=str(root), base_uri=BASE, dumps_dir=str(tmp_path / "d"), page_cache_mb=0
    )
    app = create_app(settings)
    client = app.test_client()

    def pages() -> list[bytes]:
        got = [client.get(f"/page/document/d{n}") for n in range(5)]
        assert [r.status_code for r in got] == [200] * 5
        return [r.get_data() for r in got]

    first = pages()
    assert b"Meeting 3 met." in first[3]
    assert pages() == first
    assert len(app.extensions["lodpub.ld"].view()._each) <= 2


def test_the_malloc_arenas_are_capped_where_the_c_library_is_glibc():
    assert memory.limit_arenas() is (platform.libc_ver()[0] == "glibc")
    memory.give_back()


def test_the_index_files_of_old_versions_are_removed(tmp_path: Path):
    root = tmp_path / "store"
    for n in range(4):
        publish_documents(root, {f"d{n}": document(f"d{n}", f"Minutes {n}", "Text.")})
    assert len(list((root / "search").glob("*.sqlite"))) == 2


def test_before_fork_freezes_what_is_loaded():
    try:
        memory.before_fork()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_memory_is_given_back_once_per_pause_in_the_requests():
    quiet = memory.Quiet(seconds=5)
    assert not quiet.due(100.0)  # nothing to give back before the first request
    quiet.request(100.0)
    assert not quiet.due(104.0)
    assert quiet.due(105.0)
    assert not quiet.due(200.0)  # still the same pause
    quiet.request(201.0)
    quiet.request(204.0)  # the pause is counted from the last request
    assert not quiet.due(208.0)
    assert quiet.due(209.5)
