"""HTTP access to a remote SPARQL 1.1 engine: the Protocol over SPARQLWrapper, with credentials
from the environment, timeouts, and retries with backoff for reads.

A store URL is `sparql+http(s)://host/path/to/query`; the update and Graph Store Protocol
endpoints are given (`LODPUB_STORE_UPDATE`, `LODPUB_STORE_GSP`) or derived from it for the
engines lodpub was tested with: Oxigraph server (`/query` → `/update`, `/store`) and Virtuoso
(`/sparql` → `/sparql-auth`, `/sparql-graph-crud-auth`). Credentials come from
`LODPUB_STORE_USER` / `LODPUB_STORE_PASSWORD` (`LODPUB_STORE_AUTH` basic or digest), never
from the URL, and no message ever carries them.
"""

from __future__ import annotations

import ast
import math
import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from SPARQLWrapper import BASIC, DIGEST, POST, POSTDIRECTLY, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException, Unauthorized

from lodpub.store.errors import StoreError

SCHEMES = ("sparql+http", "sparql+https")
ENV_UPDATE = "LODPUB_STORE_UPDATE"
ENV_GSP = "LODPUB_STORE_GSP"
ENV_USER = "LODPUB_STORE_USER"
ENV_PASSWORD = "LODPUB_STORE_PASSWORD"
ENV_AUTH = "LODPUB_STORE_AUTH"
ENV_TIMEOUT = "LODPUB_STORE_TIMEOUT"
DEFAULT_TIMEOUT = 60.0
READ_ATTEMPTS = 4
_BACKOFF = 0.25
# Answers a read is retried on: the engine restarting, overloaded, or behind a proxy that is.
_TRANSIENT = (502, 503, 504)
_DERIVED = {"query": ("update", "store"), "sparql": ("sparql-auth", "sparql-graph-crud-auth")}
# Virtuoso answers 406 to an Accept mixing results and graph types: ask for one kind.
ACCEPT_SOLUTIONS = "application/sparql-results+json, application/sparql-results+xml;q=0.5"
ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.5"


class RemoteUnavailable(StoreError):
    """The remote engine did not answer (down, unreachable, timed out, or 5xx)."""


class RemoteTimeout(RemoteUnavailable):
    """The engine did not answer within the client's timeout: it is up and busy, so the read
    is not sent again (each retry would start the same costly evaluation once more)."""


@dataclass(frozen=True)
class Endpoints:
    """The engine's query, update and Graph Store Protocol URLs (plain http(s) URLs)."""

    query: str
    update: str | None
    gsp: str | None


def is_remote(url: str) -> bool:
    return url.split(":", 1)[0].lower() in SCHEMES


def endpoints(url: str, *, update: str | None = None, gsp: str | None = None) -> Endpoints:
    """The endpoints of a `sparql+http(s)://` store URL; StoreError for a URL with credentials."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        raise StoreError(f"store URL {safe_url(url)!r} is not sparql+http(s)://…")
    if parts.username is not None or parts.password is not None:
        raise StoreError(
            f"store URL {safe_url(url)!r} holds credentials: give them in {ENV_USER} and "
            f"{ENV_PASSWORD} (or the config file), never in the URL"
        )
    if not parts.hostname:
        raise StoreError(f"store URL {safe_url(url)!r} names no host")
    query = urlunsplit(parts._replace(scheme=parts.scheme.lower().removeprefix("sparql+")))
    update = update or os.environ.get(ENV_UPDATE) or None
    gsp = gsp or os.environ.get(ENV_GSP) or None
    head, _, last = parts.path.rstrip("/").rpartition("/")
    derived = _DERIVED.get(last)
    if derived is not None:
        base = urlsplit(query)
        update = update or urlunsplit(base._replace(path=f"{head}/{derived[0]}", query=""))
        gsp = gsp or urlunsplit(base._replace(path=f"{head}/{derived[1]}", query=""))
    for name, value in (("update", update), ("Graph Store Protocol", gsp)):
        if value is not None and (urlsplit(value).username or urlsplit(value).password):
            raise StoreError(f"the {name} endpoint {safe_url(value)!r} holds credentials")
    return Endpoints(query, update, gsp)


def safe_url(url: str) -> str:
    """The URL without its userinfo, for messages."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc="***@" + parts.netloc.rpartition("@")[2]))


@dataclass
class Response:
    body: bytes
    content_type: str
    server: str


class SparqlClient:
    """Sends queries and updates to one engine; reads are retried, updates never."""

    def __init__(
        self,
        endpoints: Endpoints,
        *,
        user: str | None = None,
        password: str | None = None,
        auth: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.endpoints = endpoints
        self._user = user if user is not None else os.environ.get(ENV_USER)
        self._password = password if password is not None else os.environ.get(ENV_PASSWORD)
        auth = (auth or os.environ.get(ENV_AUTH) or "digest").lower()
        if auth not in ("basic", "digest"):
            raise StoreError(f"{ENV_AUTH}={auth!r}: use basic or digest")
        self._auth = BASIC if auth == "basic" else DIGEST
        if timeout is None:
            try:
                timeout = float(os.environ.get(ENV_TIMEOUT, DEFAULT_TIMEOUT))
            except ValueError:
                raise StoreError(f"{ENV_TIMEOUT} must be a number of seconds") from None
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"<SparqlClient {self.endpoints.query}>"

    def _wrapper(self, update: bool, accept: str = ACCEPT_SOLUTIONS) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.endpoints.query, updateEndpoint=self.endpoints.update)
        # SPARQLWrapper keeps whole seconds (int()), and 0 would mean no timeout at all.
        wrapper.setTimeout(math.ceil(self.timeout))
        wrapper.setMethod(POST)
        # Content negotiation only: a `format=` parameter makes Virtuoso refuse DESCRIBE (406).
        wrapper.setOnlyConneg(True)
        if self._user:
            wrapper.setHTTPAuth(self._auth)
            wrapper.setCredentials(self._user, self._password or "")
        if update:
            wrapper.setRequestMethod(POSTDIRECTLY)
        else:
            # A form POST: no URL length limit, and graphs go beside the query as parameters.
            wrapper.setRequestMethod(URLENCODED)
            wrapper.addCustomHttpHeader("Accept", accept)
        return wrapper

    def query(
        self,
        sparql: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        graph: bool = False,
    ) -> Response:
        """Evaluate a query (SELECT, ASK, CONSTRUCT, DESCRIBE); retried when the engine is down.

        Raises SyntaxError when the engine refuses the query (400), RemoteUnavailable when it
        cannot be reached after the retries, StoreError for other refusals. `graph`: the
        query is a CONSTRUCT or DESCRIBE."""
        wrapper = self._wrapper(update=False, accept=ACCEPT_GRAPH if graph else ACCEPT_SOLUTIONS)
        wrapper.setQuery(sparql)
        if wrapper.isSparqlUpdateRequest():
            raise ValueError("a query was expected, not an update")
        for graph in default_graphs or ():
            wrapper.addParameter("default-graph-uri", graph)
        for graph in named_graphs or ():
            wrapper.addParameter("named-graph-uri", graph)
        for attempt in range(READ_ATTEMPTS):
            try:
                return self._send(wrapper, self.endpoints.query)
            except RemoteUnavailable as exc:
                if isinstance(exc, RemoteTimeout) or attempt == READ_ATTEMPTS - 1:
                    raise
                time.sleep(_BACKOFF * 2**attempt)
        raise AssertionError("unreachable")

    def update(self, sparql: str) -> None:
        """Run one SPARQL Update request (never retried: the engine may have applied it)."""
        if self.endpoints.update is None:
            raise StoreError(
                f"remote store {self.endpoints.query}: no update endpoint known for it; "
                f"give --store-update or {ENV_UPDATE}"
            )
        wrapper = self._wrapper(update=True)
        wrapper.setQuery(sparql)
        if not wrapper.isSparqlUpdateRequest():
            raise ValueError("an update was expected")
        try:
            self._send(wrapper, self.endpoints.update)
        except SyntaxError as exc:
            raise StoreError(
                f"remote store {self.endpoints.update} refused an update: {exc}"
            ) from None

    def send_graph(self, graph: str, lines: list[str], *, replace: bool) -> None:
        """Graph Store Protocol: PUT (replace) or POST (add to) graph `graph` the N-Triples
        `lines`, never retried."""
        if self.endpoints.gsp is None:
            raise StoreError(
                f"remote store {self.endpoints.query}: no Graph Store Protocol endpoint known "
                f"for it; give --store-gsp or {ENV_GSP}"
            )
        url = f"{self.endpoints.gsp}?{urlencode({'graph': graph})}"
        body = ("\n".join(lines) + "\n").encode("utf-8")
        request = urllib.request.Request(
            url,
            data=body,
            method="PUT" if replace else "POST",
            headers={"Content-Type": "application/n-triples"},
        )
        opener = urllib.request.build_opener()
        if self._user:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, self.endpoints.gsp, self._user, self._password or "")
            handler = (
                urllib.request.HTTPDigestAuthHandler
                if self._auth == DIGEST
                else urllib.request.HTTPBasicAuthHandler
            )
            opener.add_handler(handler(passwords))
        where = self.endpoints.gsp
        try:
            with opener.open(request, timeout=self.timeout) as answer:
                answer.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()[:500]
            if exc.code == 401:
                raise StoreError(
                    f"remote store {where} refused the credentials (HTTP 401): set "
                    f"{ENV_USER} and {ENV_PASSWORD}"
                ) from None
            raise StoreError(f"remote store {where} answered HTTP {exc.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise RemoteUnavailable(f"remote store {where} is unavailable: {reason}") from None

    def _send(self, wrapper: SPARQLWrapper, url: str) -> Response:
        try:
            result = wrapper.query()
            body = result.response.read()
            headers = result.response.headers
        except QueryBadFormed as exc:
            raise SyntaxError(_engine_message(exc)) from None
        except Unauthorized:
            raise StoreError(
                f"remote store {url} refused the credentials (HTTP 401): set "
                f"{ENV_USER} and {ENV_PASSWORD}"
            ) from None
        except SPARQLWrapperException as exc:
            message = _engine_message(exc)
            raise StoreError(f"remote store {url} refused the request: {message}") from None
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()[:500]
            if exc.code in _TRANSIENT:
                raise RemoteUnavailable(
                    f"remote store {url} is unavailable (HTTP {exc.code}): {detail}"
                ) from None
            raise StoreError(f"remote store {url} answered HTTP {exc.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise RemoteTimeout(
                    f"remote store {url} did not answer within {self.timeout:g} s"
                ) from None
            raise RemoteUnavailable(f"remote store {url} is unavailable: {reason}") from None
        content_type = headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
        return Response(body, content_type, headers.get("Server", ""))


def _engine_message(exc: SPARQLWrapperException) -> str:
    """The engine's own words: SPARQLWrapper puts the answer's bytes repr after "Response:"."""
    text = str(exc)
    head, marker, answer = text.partition("Response:\n")
    if not marker:
        return text.strip()
    try:
        value = ast.literal_eval(answer)
    except (ValueError, SyntaxError):
        return answer.strip()[:1000]
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return str(value).strip()[:1000]
