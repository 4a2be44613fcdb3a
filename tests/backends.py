"""The store backends the ingest, SPARQL and Linked Data suites run over: the embedded store, the
Oxigraph server and Virtuoso (tests/conftest.py parametrises the `backend` fixture with them).

An engine is started once per test session and reused: a suite leases it holding the data it
needs (cleared and loaded again only when the data differs), or empty for a suite that writes.
A second engine of a kind starts only while the first is leased with other data.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import pyoxigraph as ox
import pytest

import lodpub.store
from lodpub.store.dialects import VIRTUOSO_SYSTEM_GRAPHS
from lodpub.store.generations import live_generation
from lodpub.store.sparql_client import SparqlClient, endpoints
from remote_engines import VIRTUOSO_USER, Engine, oxigraph_server, virtuoso_server

NAMES = ("embedded", "oxigraph", "virtuoso")
_STARTERS: dict[str, Callable[[Path], AbstractContextManager[Engine]]] = {
    "oxigraph": oxigraph_server,
    "virtuoso": virtuoso_server,
}


@dataclass
class _Slot:
    engine: Engine
    holds: str | None = None  # the version of the data loaded, None when unknown or empty
    users: int = 0


@dataclass
class Pool:
    """The running engines of one kind, each leased with one content at a time."""

    name: str
    folder: Path
    stack: ExitStack
    slots: list[_Slot] = field(default_factory=list)

    def _idle(self) -> _Slot:
        for slot in self.slots:
            if slot.users == 0:
                return slot
        folder = self.folder / f"{self.name}-{len(self.slots)}"
        folder.mkdir(parents=True)
        slot = _Slot(self.stack.enter_context(_STARTERS[self.name](folder)))
        self.slots.append(slot)
        return slot

    @contextmanager
    def lease(self, version: str | None, fill: Callable[[Engine], None]) -> Iterator[Engine]:
        """An engine holding the data `fill` writes (whose version is `version`), shared with
        other readers of that version; `version` None: an empty engine of the caller's own."""
        slot = next((s for s in self.slots if version and s.holds == version), None)
        if slot is None:
            slot = self._idle()
            slot.holds = None
            clear(slot.engine)
            fill(slot.engine)
            slot.holds = version
        slot.users += 1
        try:
            yield slot.engine
        finally:
            slot.users -= 1


def clear(engine: Engine) -> None:
    """Remove every graph lodpub may have written (Virtuoso keeps its own system graphs)."""
    client = SparqlClient(endpoints(engine.url), **_credentials(engine))
    if engine.name != "virtuoso":
        client.update("DROP ALL")
        return
    found = client.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    results = ox.parse_query_results(found.body, format=ox.QueryResultsFormat.JSON)
    drops = [
        f"DROP SILENT GRAPH <{row['g'].value}>"
        for row in results
        if row["g"].value not in VIRTUOSO_SYSTEM_GRAPHS
    ]
    if drops:
        client.update(" ;\n".join(drops))


def _credentials(engine: Engine) -> dict[str, str]:
    user, password = engine.env.get("LODPUB_STORE_USER"), engine.env.get("LODPUB_STORE_PASSWORD")
    return {"user": user, "password": password} if user else {}


@dataclass
class Backend:
    """One backend as the suites see it: a store URL to ingest into or to serve from."""

    name: str
    pool: Pool | None = None

    @property
    def embedded(self) -> bool:
        return self.pool is None

    @property
    def env(self) -> dict[str, str]:
        """The environment `lodpub` needs to write to this backend (Virtuoso's administrator)."""
        return dict(VIRTUOSO_USER) if self.pool is not None and self.pool.name == "virtuoso" else {}

    @contextmanager
    def empty(self, folder: Path) -> Iterator[str]:
        """The URL of an empty store of this backend's own (embedded: `folder`/store)."""
        if self.pool is None:
            yield str(folder / "store")
            return
        with self.pool.lease(None, lambda engine: None) as engine:
            yield engine.url

    @contextmanager
    def opened(self, folder: Path) -> Iterator[lodpub.store.Store]:
        """An empty store of this backend, open for writing (embedded: in memory)."""
        with self.empty(folder) as url:
            location = "memory:" if self.pool is None else url
            with mock.patch.dict(os.environ, self.env), lodpub.store.open(location) as store:
                yield store

    @contextmanager
    def serving(self, root: Path) -> Iterator[str]:
        """The URL of a store of this backend holding what the embedded store at `root` (a
        folder of generations, or a store folder) holds: its named graphs, so the same default
        graph and manifest, loaded as `lodpub load` loads an export."""
        if self.pool is None:
            yield str(root)
            return
        source = live_generation(root) or root
        with lodpub.store.open(f"oxigraph:{source}", read_only=True) as store:
            version = store.version()
            dump = io.BytesIO()
            store.export("nquads", dump)

        def fill(engine: Engine) -> None:
            with mock.patch.dict(os.environ, engine.env), lodpub.store.open(engine.url) as target:
                target.load_dump(io.BytesIO(dump.getvalue()), "nquads")

        with self.pool.lease(version, fill) as engine:
            yield engine.url


def differs(request: pytest.FixtureRequest, backend: Backend, engine: str, reason: str) -> None:
    """Expect this test to fail on `engine` (strictly: it fails the run once the engine or
    lodpub changes so that it passes) for a difference lodpub cannot adapt to."""
    if backend.name == engine:
        request.applymarker(pytest.mark.xfail(reason=f"{engine}: {reason}", strict=True))
