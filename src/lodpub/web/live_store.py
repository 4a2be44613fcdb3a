"""The store a server reads: the live generation, reopened read-only when a new one is published."""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

import lodpub.store
from lodpub.store import StoreError
from lodpub.store.generations import POINTER, is_oxigraph_store, live_generation

log = logging.getLogger(__name__)


class StoreNotFound(LookupError):
    """The store location holds neither a published generation nor an Oxigraph store."""


@dataclass(frozen=True)
class Snapshot:
    """One immutable state of the data: a read-only store and the name of its generation."""

    store: ox.Store
    version: str


def store_path(url: str) -> Path:
    """The folder of a store URL (`PATH` or `oxigraph:PATH`); other backends are not served."""
    if url.startswith("oxigraph:"):
        return Path(url.removeprefix("oxigraph:"))
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]+:", url):
        raise StoreNotFound(f"{url}: lodpub serve reads an on-disk store (a path or oxigraph:PATH)")
    return Path(url)


def check(url: str) -> Path:
    """The store folder, if it holds something to serve; StoreNotFound with advice otherwise."""
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
    """

    def __init__(self, url: str) -> None:
        self.root = check(url)
        self._lock = threading.Lock()
        self._broken: str | None = None
        generation = live_generation(self.root)
        self.switching = generation is not None
        if generation is None:
            self._current = Snapshot(_open_read_only(self.root), "static")
        else:
            self._current = Snapshot(_open_read_only(generation), generation.name)

    def snapshot(self) -> Snapshot:
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


def _open_read_only(folder: Path) -> ox.Store:
    return lodpub.store.open(f"oxigraph:{folder}", read_only=True).oxigraph
