"""The Linked Data side of the app: shared state and the registration of its page kinds.

`init_app` attaches one `LinkedData` object (settings, the live store shared with the SPARQL
endpoint, the vocabulary, the page cache, the dumps) and every page-kind blueprint.
"""

from __future__ import annotations

import hashlib
import json
import threading

from flask import Flask
from werkzeug.exceptions import NotFound

from lodpub.web import (
    context_jsonld,
    dataset,
    dumps,
    home,
    kinds,
    resource,
    search,
    sitemap,
    timeline,
)
from lodpub.web.addresses import Addresses
from lodpub.web.fast_path import FastPath
from lodpub.web.graph_view import GraphView
from lodpub.web.labels import vocabulary
from lodpub.web.live_store import LiveStore
from lodpub.web.page_cache import PageCache
from lodpub.web.settings import Settings
from lodpub.web.text_index import TextIndex, index_root


class LinkedData:
    """What every Linked Data request shares; `view()` is the current snapshot's GraphView."""

    def __init__(self, settings: Settings, live: LiveStore) -> None:
        self.settings = settings
        self.live = live
        self.addresses = Addresses(settings.base_uri)
        self.vocabulary = vocabulary()
        self.cache = PageCache(settings.page_cache_mb * 1024 * 1024)
        self.dataset_iri = f"{settings.base_uri}/.well-known/void#dataset"
        self.dumps = dumps.Dumps(settings)
        self.text_index = TextIndex(index_root(settings))
        self.context_body = (
            json.dumps(context_jsonld.context(self.vocabulary), indent=2, ensure_ascii=False) + "\n"
        ).encode("utf-8")
        self.context_etag = hashlib.sha256(self.context_body).hexdigest()[:32]
        self._view: GraphView | None = None
        self._lock = threading.Lock()

    def view(self) -> GraphView:
        snapshot = self.live.snapshot()
        current = self._view
        if current is None or current.snapshot is not snapshot:
            with self._lock:
                current = self._view
                if current is None or current.snapshot is not snapshot:
                    current = GraphView(snapshot, self.addresses, self.vocabulary)
                    self._view = current
                    self.dumps.prepare(current)
        return current


def init_app(app: Flask, settings: Settings) -> None:
    """Register the Linked Data pages; reuses the SPARQL endpoint's live store when present."""
    shared = app.extensions.get("lodpub.sparql", {})
    live = shared.get("store") or LiveStore(settings.store)
    app.extensions["lodpub.ld"] = LinkedData(settings, live)
    for module in (
        resource,
        home,
        kinds,
        timeline,
        search,
        dataset,
        dumps,
        sitemap,
        context_jsonld,
    ):
        app.register_blueprint(module.bp)
    app.register_error_handler(NotFound, resource.not_found)
    # Inside any proxy layer installed after this, so its keys see the client's host and scheme.
    app.wsgi_app = FastPath(  # type: ignore[method-assign]
        app.wsgi_app, app.extensions["lodpub.ld"], wait=settings.query_timeout
    )
