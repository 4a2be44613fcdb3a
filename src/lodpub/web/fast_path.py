"""Cached pages answered before Flask routes the request: a WSGI layer over the app.

A page changes only when a new store version is published, so a rendered 200 (any response
`render.respond` built with its cache on) is kept whole — status, headers, body, ETag — under
the request's key: store version, scheme, host, script root, raw path and query, and `Accept`.
A request with that key gets the stored response (or 304 when its `If-None-Match` matches)
without routing, templates or store reads. Concurrent requests for a key not yet built wait
for the one request that builds it, so a hub page rendered cold by many clients is rendered
once. Everything else passes through untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import TYPE_CHECKING, Any

from werkzeug.http import parse_etags, unquote_etag

from lodpub.store import StoreError
from lodpub.web.page_cache import CachedResponse, PageCache

if TYPE_CHECKING:
    from lodpub.web.linked_data import LinkedData

# Set by render.respond on a response worth keeping: the store version it was built from.
KEEP = "lodpub.keep"
# The pages built by render.respond; other routes (the SPARQL endpoint above all, whose
# identical concurrent queries must not wait for one another) never enter the fast path.
PAGES = ("/page/", "/data/", "/index/", "/timeline", "/dataset", "/.well-known/void", "/sitemap")
_NOT_IN_304 = frozenset(("content-length", "content-type"))

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict, StartResponse], Iterable[bytes]]


def request_key(version: str, environ: dict) -> Hashable:
    """What a kept response may depend on: the version and the request as the client sent it."""
    return (
        version,
        environ.get("wsgi.url_scheme"),
        environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}",
        environ.get("SCRIPT_NAME", ""),
        environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
        environ.get("HTTP_ACCEPT", ""),
    )


class FastPath:
    """The WSGI app `app` with kept responses answered first; `wait` bounds how long a request
    waits for another one building the same page."""

    def __init__(self, app: WsgiApp, shared: LinkedData, wait: float) -> None:
        self.app = app
        self.shared = shared
        self.cache: PageCache = shared.cache
        self.wait = wait
        self.builds = 0  # responses built and kept: what concurrent requests share

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        path = environ.get("PATH_INFO", "")
        if (
            method not in ("GET", "HEAD")
            or self.cache.max_bytes == 0
            or not (path == "/" or path.startswith(PAGES))
        ):
            return self.app(environ, start_response)
        try:
            version = self.shared.view().version
        except StoreError:
            # The app's own error handlers say why the store cannot answer.
            return self.app(environ, start_response)
        key = request_key(version, environ)
        entry = self.cache.get(key)
        if entry is not None:
            return _replay(entry, environ, start_response)
        if method == "HEAD":
            return self.app(environ, start_response)
        with self.cache.building(key, self.wait) as leader:
            if not leader:
                entry = self.cache.get(key)
                if entry is not None:
                    return _replay(entry, environ, start_response)
            return self._build(environ, start_response)

    def _build(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        started: list[tuple[str, list[tuple[str, str]]]] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            started.append((status, headers))
            return start_response(status, headers, exc_info)

        result = self.app(environ, capture)
        version = environ.get(KEEP)
        if version is None or not started or not started[-1][0].startswith("200"):
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        status, headers = started[-1]
        etag = next((v for k, v in headers if k.lower() == "etag"), None)
        tag = unquote_etag(etag)[0] if etag else ""
        entry = CachedResponse(status, tuple(headers), body, tag or "")
        self.cache.put(request_key(version, environ), entry)
        self.builds += 1
        return [body]


def _replay(entry: CachedResponse, environ: dict, start_response: StartResponse) -> list[bytes]:
    condition = environ.get("HTTP_IF_NONE_MATCH")
    if condition and entry.etag and parse_etags(condition).contains_weak(entry.etag):
        start_response(
            "304 NOT MODIFIED", [(k, v) for k, v in entry.headers if k.lower() not in _NOT_IN_304]
        )
        return []
    start_response(entry.status, list(entry.headers))
    return [] if environ.get("REQUEST_METHOD") == "HEAD" else [entry.body]
