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
        version = self._version(environ)
        if version is None:
            return self.app(environ, start_response)
        key = request_key(version, environ)
        entry = self.cache.get(key)
        if entry is not None:
            return _replay(entry, environ, start_response)
        if environ.get("REQUEST_METHOD") == "HEAD":
            return self.app(environ, start_response)
        with self.cache.building(key, self.wait) as leader:
            if not leader:
                entry = self.cache.get(key)
                if entry is not None:
                    return _replay(entry, environ, start_response)
            return self._build(environ, start_response)

    def kept(self, environ: dict) -> CachedResponse | None:
        """The kept response that answers `environ`, if there is one; nothing is built.

        Lets a server answer kept pages itself, with `answer`, before any WSGI round-trip."""
        version = self._version(environ)
        return None if version is None else self.cache.get(request_key(version, environ))

    def _version(self, environ: dict) -> str | None:
        """The store version a kept response for `environ` would belong to; None when the
        request is not one the fast path answers."""
        path = environ.get("PATH_INFO", "")
        if (
            environ.get("REQUEST_METHOD") not in ("GET", "HEAD")
            or self.cache.max_bytes == 0
            or not (path == "/" or path.startswith(PAGES))
        ):
            return None
        try:
            return self.shared.view().version
        except StoreError:
            # The app's own error handlers say why the store cannot answer.
            return None

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


def answer(entry: CachedResponse, environ: dict) -> tuple[str, list[tuple[str, str]], bytes]:
    """Status, headers and body that answer `environ` from a kept response: 304 when its
    `If-None-Match` matches, no body for HEAD."""
    condition = environ.get("HTTP_IF_NONE_MATCH")
    if condition and entry.etag and parse_etags(condition).contains_weak(entry.etag):
        return (
            "304 NOT MODIFIED",
            [(k, v) for k, v in entry.headers if k.lower() not in _NOT_IN_304],
            b"",
        )
    body = b"" if environ.get("REQUEST_METHOD") == "HEAD" else entry.body
    return entry.status, list(entry.headers), body


def _replay(entry: CachedResponse, environ: dict, start_response: StartResponse) -> list[bytes]:
    status, headers, body = answer(entry, environ)
    start_response(status, headers)
    return [body] if body else []
