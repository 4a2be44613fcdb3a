"""The store: lodpub's named graphs in a quad store, replaced one document at a time, atomically.

`open(url)` picks the backend from the URL:

- a path, or `oxigraph:PATH` — embedded Oxigraph on disk (default `data/store`, env LODPUB_STORE);
- `memory:` — embedded Oxigraph in memory (tests);
- `sparql+http(s)://host/path/query` — a remote SPARQL 1.1 engine (`lodpub.store.remote`).

The store's default graph is the RDF merge of its data graphs (each triple once), kept by every
write; `query` reads it. `lodpub.store.generations` publishes a store while servers read it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import BinaryIO, Protocol

import pyoxigraph as ox
from rdflib import Dataset, Graph

from lodpub.store.errors import StoreError
from lodpub.store.manifest import MANIFEST_GRAPH
from lodpub.store.oxigraph import DUMP_FORMATS, EXPORT_FORMATS, OxigraphStore, open_oxigraph
from lodpub.store.remote import open_remote
from lodpub.store.sparql_client import is_remote

DEFAULT_STORE = "data/store"
ENV_STORE = "LODPUB_STORE"

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")


class Store(Protocol):
    """What every backend offers: the CLI and the web tier use only this."""

    location: str
    read_only: bool

    def replace_document(self, key: str, dataset: Dataset) -> None: ...
    def replace_document_graphs(self, key: str, graphs: dict[str, list[str]]) -> None: ...
    def replace_graph(self, uri: str, graph: Graph) -> None: ...
    def remove_document(self, key: str) -> bool: ...
    def load_dump(self, source: str | os.PathLike[str] | BinaryIO, fmt: str) -> None: ...
    def documents(self) -> list[str]: ...
    def graph_names(self) -> list[str]: ...
    def version(self) -> str: ...
    def query(
        self,
        sparql: str,
        *,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean: ...
    def export(self, fmt: str, fp: BinaryIO) -> None: ...
    def stats(self) -> dict: ...
    def close(self) -> None: ...


def location_of(url: str | os.PathLike[str] | None = None) -> str:
    """The store URL to use: `url`, else env LODPUB_STORE, else data/store."""
    return os.fspath(url) if url is not None else os.environ.get(ENV_STORE) or DEFAULT_STORE


def local_path(url: str | os.PathLike[str] | None = None) -> Path | None:
    """The folder of an embedded on-disk store URL; None for memory: and remote stores;
    StoreError otherwise."""
    location = location_of(url)
    if location == "memory:":
        return None
    match = _SCHEME.match(location)
    if match is None:
        return Path(location)
    scheme = match.group(1).lower()
    if scheme == "oxigraph":
        path = location[len(match.group(0)) :]
        if not path:
            raise StoreError(f"store URL {location!r} names no path: use oxigraph:PATH")
        return Path(path)
    if scheme in ("sparql+http", "sparql+https"):
        return None
    raise StoreError(
        f"store URL {location!r}: unknown scheme {scheme!r}; use a path, oxigraph:PATH or memory:"
    )


def open(url: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> Store:  # noqa: A001
    """Open the store at `url` (default: env LODPUB_STORE, else data/store)."""
    location = location_of(url)
    if is_remote(location):
        return open_remote(location, read_only=read_only)
    path = local_path(location)
    return open_oxigraph(
        None if path is None else str(path), read_only=read_only, location=location
    )


__all__ = [
    "DEFAULT_STORE",
    "DUMP_FORMATS",
    "ENV_STORE",
    "EXPORT_FORMATS",
    "MANIFEST_GRAPH",
    "OxigraphStore",
    "Store",
    "StoreError",
    "local_path",
    "location_of",
    "open",
]
