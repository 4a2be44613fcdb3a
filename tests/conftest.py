"""The `backend` fixture: the ingest, SPARQL and Linked Data suites run over each store backend
(embedded, Oxigraph server, Virtuoso); see tests/backends.py."""

from __future__ import annotations

from contextlib import ExitStack

import pytest

from backends import NAMES, Backend, Pool


@pytest.fixture(scope="session")
def engine_pools(tmp_path_factory):
    """One pool of engines per kind, started on first use and stopped at the end."""
    folder = tmp_path_factory.mktemp("engines")
    with ExitStack() as stack:
        yield {name: Pool(name, folder, stack) for name in NAMES if name != "embedded"}


@pytest.fixture(scope="module", params=NAMES)
def backend(request, engine_pools) -> Backend:
    """The store backend a test runs over."""
    return Backend(request.param, engine_pools.get(request.param))
