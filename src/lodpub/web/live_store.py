"""The store a server reads: the live generation, reopened read-only when a new one is published,
or a remote SPARQL engine, whose version is polled so that a new version gets a new snapshot."""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

import lodpub.store
from lodpub.store import StoreError
from lodpub.store.generations import POINTER, is_oxigraph_store, live_generation
from lodpub.store.remote import RemoteStore, RemoteView

log = logging.getLogger(__name__)

# Seconds between two looks at a remote engine's version (not one per request).
POLL_SECONDS = 1.0


class StoreNotFound(LookupError):
    """The store location holds neither a published generation nor an Oxigraph store."""


@dataclass(frozen=True)
class Snapshot:
    """One state of the data: a read-only store and the name of its generation (or the remote
    engine's content version, when it was taken)."""

    store: ox.Store | RemoteView
    version: str


def is_remote(url: str) -> bool:
    """True for a store URL naming a remote SPARQL engine (`sparql+http(s)://…`)."""
    try:
        return url != "memory:" and lodpub.store.local_path(url) is None
    except StoreError as exc:
        raise StoreNotFound(str(exc)) from None


def store_path(url: str) -> Path:
    """The folder of a store URL (`PATH` or `oxigraph:PATH`); other backends are not served."""
    if url.startswith("oxigraph:"):
        return Path(url.removeprefix("oxigraph:"))
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]+:", url):
        raise StoreNotFound(f"{url}: lodpub serve reads an on-disk store (a path or oxigraph:PATH)")
    return Path(url)


def check(url: str) -> Path | None:
    """The store folder, if it holds something to serve, or None for a remote engine that
    answers; StoreNotFound with advice otherwise."""
    if is_remote(url):
        try:
            lodpub.store.open(url, read_only=True).close()
        except StoreError as exc:
            raise StoreNotFound(str(exc)) from None
        return None
    path = store_path(url)
    if (path / POINTER).is_symlink() or is_oxigraph_store(path):
        return path
    raise StoreNotFound(
        f"{path}: no published store here (neither {POINTER} nor an Oxigraph store); "
        f"publish one first with `lodpub ingest --store {path} <documents>`"
    )


class LiveStore:
    """Hands each request the current snapshot; switches when LIVE names another generation.

    Checking costs one readlink() per request. The switch never blocks a request: while one
    thread opens the new generation, the others keep answering from the old one, which stays
    open until the last request holding it finishes (it is closed with its last reference).
    A remote engine is asked its version at most every POLL_SECONDS, by one request at a time.
    """

    def __init__(self, url: str) -> None:
        self._lock = threading.Lock()
        self._broken: str | None = None
        self.remote: RemoteStore | None = None
        self._next_poll = 0.0
        if is_remote(url):
            self.remote = _open_remote(url)
            self.root = None
            self.switching = True
            self._current = Snapshot(_view(self.remote), self.remote.version())
            self._next_poll = time.monotonic() + POLL_SECONDS
            return
        self.root = check(url)
        generation = live_generation(self.root)
        self.switching = generation is not None
        if generation is None:
            self._current = Snapshot(_open_read_only(self.root), "static")
        else:
            self._current = Snapshot(_open_read_only(generation), generation.name)

    def snapshot(self) -> Snapshot:
        """The snapshot to answer a request from; RemoteUnavailable (a StoreError) when a
        remote engine does not answer."""
        if self.remote is not None:
            return self._remote_snapshot(self.remote)
        if not self.switching:
            return self._current
        try:
            generation = live_generation(self.root)
        except (OSError, ValueError) as exc:
            log.error("still serving %s: %s", self._current.version, exc)
            return self._current
        if (
            generation is None
            or generation.name in (self._current.version, self._broken)
            or not self._lock.acquire(blocking=False)
        ):
            return self._current
        try:
            if generation.name != self._current.version:
                self._current = Snapshot(_open_read_only(generation), generation.name)
        except (OSError, StoreError) as exc:
            self._broken = generation.name
            log.error(
                "still serving %s: cannot open %s: %s", self._current.version, generation, exc
            )
        finally:
            self._lock.release()
        return self._current

    def _remote_snapshot(self, remote: RemoteStore) -> Snapshot:
        # The engine is read live (it has no snapshots): a new Snapshot object is what makes
        # the per-version caches (pages, labels, counts, search index) start afresh.
        if time.monotonic() < self._next_poll or not self._lock.acquire(blocking=False):
            return self._current
        try:
            if time.monotonic() >= self._next_poll:
                version = remote.version()
                if version != self._current.version:
                    log.info("remote store version %s -> %s", self._current.version, version)
                    self._current = Snapshot(_view(remote), version)
        finally:
            self._next_poll = time.monotonic() + POLL_SECONDS
            self._lock.release()
        return self._current


def _view(remote: RemoteStore) -> RemoteView:
    """A view for one version of the engine's data: it keeps the subjects it was asked about,
    and the next version gets a new one."""
    return RemoteView(remote, remember=True)


def _open_remote(url: str) -> RemoteStore:
    store = lodpub.store.open(url, read_only=True)
    assert isinstance(store, RemoteStore)
    return store


def _open_read_only(folder: Path) -> ox.Store:
    return lodpub.store.open(f"oxigraph:{folder}", read_only=True).oxigraph
