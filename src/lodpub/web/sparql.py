"""`/sparql`: the SPARQL 1.1 Protocol, read-only, with a query page for browsers.

A request is read into an operation (query or update text, dataset, format), checked
(updates and SERVICE are refused before anything runs), then evaluated by the executor.
Without a query, `/sparql` answers with its Service Description, or the query page.
"""

from __future__ import annotations

import functools
import ipaddress
import math
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox
from flask import (
    Blueprint,
    Flask,
    Request,
    Response,
    current_app,
    render_template,
    request,
    url_for,
)
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import MethodNotAllowed

from lodpub.store.remote import RemoteView
from lodpub.web import conneg
from lodpub.web.examples import examples
from lodpub.web.execution import PREFIXES, Choice, Dataset, Executor, QueryError
from lodpub.web.live_store import LiveStore
from lodpub.web.query_scan import QueryFacts, scan
from lodpub.web.service_description import SD_PREFIXES, GraphSizes, describe
from lodpub.web.settings import Settings

bp = Blueprint("sparql", __name__)

ROW_LIMIT_HEADER = "X-LODPUB-Row-Limit"
TRUNCATED_HEADER = "X-LODPUB-Truncated"

_READ_ONLY = (
    "This endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, "
    "ADD, MOVE, COPY) is not accepted on any route. Data is published with `lodpub ingest`."
)
_POST_TYPES = "application/x-www-form-urlencoded or application/sparql-query"


class ProtocolError(Exception):
    """A request the protocol does not allow; `status` is the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Operation:
    """What a request asks for."""

    query: str | None
    update: bool
    dataset: Dataset


def init_app(app: Flask, settings: Settings) -> None:
    """Attach the endpoint and the objects it shares between requests."""
    app.extensions["lodpub.sparql"] = {
        "store": LiveStore(settings.store),
        "executor": Executor(
            settings.query_workers,
            settings.query_timeout,
            settings.max_rows,
            queue=settings.query_queue,
            memory_mb=settings.query_memory_mb,
        ),
        "sizes": GraphSizes(),
    }
    app.register_blueprint(bp)
    # Routing answers 405 before any blueprint is chosen, so the handler is the app's.
    app.register_error_handler(MethodNotAllowed, _method_not_allowed)


def _text(status: int, message: str, **headers: str) -> Response:
    return Response(
        message.rstrip("\n") + "\n", status, headers, content_type="text/plain; charset=utf-8"
    )


@bp.errorhandler(ProtocolError)
@bp.errorhandler(QueryError)
def _refuse(error: ProtocolError | QueryError) -> Response:
    if error.status != 503:
        return _text(error.status, error.message)
    # Every 503 says when to come back: even a query stopped at its time limit may have spent
    # that time waiting behind others.
    settings: Settings = current_app.config["LODPUB_SETTINGS"]
    retry_after = getattr(error, "retry_after", None) or max(1, math.ceil(settings.query_timeout))
    return _text(error.status, error.message, **{"Retry-After": str(retry_after)})


@bp.after_request
def _vary(response: Response) -> Response:
    response.vary.add("Accept")
    return response


def _method_not_allowed(error: MethodNotAllowed) -> Response:
    allowed = ", ".join(sorted(error.valid_methods or ()))
    message = f"{request.method} is not allowed here; use {allowed}."
    if request.path == url_for("sparql.endpoint"):
        message = (
            f"{request.method} is not part of the SPARQL 1.1 Protocol for queries: "
            f"use GET or POST. {_READ_ONLY}"
        )
    return _text(405, message, Allow=allowed)


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    settings: Settings = current_app.config["LODPUB_SETTINGS"]
    shared = current_app.extensions["lodpub.sparql"]
    operation = read_operation(request, settings)
    if operation.update:
        return _text(403, _READ_ONLY)
    if operation.query is None:
        return _describe(settings, shared)
    base_iri = f"{settings.base_uri}/sparql"
    facts = _scanned(operation.query, base_iri)
    if facts.is_update:
        return _text(403, _READ_ONLY)
    _check_services(facts, settings)
    html, choice = _negotiated(
        request.environ.get("HTTP_ACCEPT"), tuple(request.values.getlist("format"))
    )
    if html:
        return _page(settings, operation.query)
    executor: Executor = shared["executor"]
    answer = executor.run(
        _target(shared["store"]),
        operation.query,
        dataset=operation.dataset,
        base_iri=base_iri,
        choice=choice,
    )
    response = Response(answer.body, content_type=answer.format.content_type)
    if answer.kind != "boolean":
        response.headers[ROW_LIMIT_HEADER] = str(settings.max_rows)
        response.headers[TRUNCATED_HEADER] = "true" if answer.truncated else "false"
    return response


# Queries up to this many characters have their scan remembered (most clients repeat theirs).
_REMEMBERED_QUERY = 4096


def _scanned(query: str, base_iri: str) -> QueryFacts:
    if len(query) > _REMEMBERED_QUERY:
        return scan(query, base_iri)
    return _remembered_scan(query, base_iri)


_remembered_scan = functools.lru_cache(maxsize=256)(scan)


@functools.lru_cache(maxsize=128)
def _negotiated(accept: str | None, formats: tuple[str, ...]) -> tuple[bool, Choice]:
    """Whether a request with this Accept header and these `format` parameters gets the query
    page, and its formats otherwise.

    Negotiating costs more than a small query; clients send few distinct Accept headers."""
    headers = {} if accept is None else {"Accept": accept}
    req = Request.from_values(query_string=[("format", f) for f in formats], headers=headers)
    html = conneg.prefers_html(req, (*conneg.SOLUTION_FORMATS, *conneg.GRAPH_FORMATS))
    choice = Choice(
        solutions=conneg.negotiate(req, conneg.SOLUTION_FORMATS),
        graph=conneg.negotiate(req, conneg.GRAPH_FORMATS),
    )
    return html, choice


def _target(live: LiveStore) -> ox.Store | RemoteView | Path:
    """What a query reads: the live generation's folder (evaluated by a killable worker
    process), or the remote engine's view."""
    snapshot = live.snapshot()
    if live.root is None:
        return snapshot.store
    return live.root / snapshot.version if live.switching else live.root


def read_operation(req: Request, settings: Settings) -> Operation:
    """The query or update a request carries, by the protocol's three ways of sending one."""
    params = req.args
    if req.method in ("GET", "HEAD"):
        if len(req.query_string) > settings.max_body:
            raise ProtocolError(
                414,
                f"The URL's query string is {len(req.query_string)} bytes; at most "
                f"{settings.max_body} are accepted (setting max_body). Send long queries by POST.",
            )
        queries, updates = params.getlist("query"), params.getlist("update")
    elif req.mimetype == "application/x-www-form-urlencoded":
        form = req.form
        queries = params.getlist("query") + form.getlist("query")
        updates = params.getlist("update") + form.getlist("update")
        params = req.values
    elif req.mimetype == "application/sparql-query":
        queries = params.getlist("query") + [_body_text(req)]
        updates = params.getlist("update")
    elif req.mimetype == "application/sparql-update":
        return Operation(None, True, Dataset())
    else:
        shown = req.mimetype or "none"
        raise ProtocolError(
            415, f"A POST must have Content-Type {_POST_TYPES} (this one has {shown})."
        )
    if updates:
        return Operation(None, True, Dataset())
    if len(queries) > 1:
        raise ProtocolError(400, f"The request carries {len(queries)} queries; send exactly one.")
    return Operation(queries[0] if queries else None, False, _dataset(params))


def _body_text(req: Request) -> str:
    charset = req.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(415, f"Queries must be sent as UTF-8, not {charset}.")
    try:
        return req.get_data().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"The request body is not valid UTF-8: {exc}") from None


def _dataset(params: MultiDict[str, str]) -> Dataset:
    graphs = {}
    for param in ("default-graph-uri", "named-graph-uri"):
        values = params.getlist(param)
        for value in values:
            try:
                ox.NamedNode(value)
            except ValueError:
                raise ProtocolError(400, f"{param}: not an absolute IRI: {value!r}") from None
        graphs[param] = tuple(values) if values else None
    if graphs["default-graph-uri"] is None and graphs["named-graph-uri"] is None:
        return Dataset()
    # Naming any graph defines the whole dataset: what is not named is empty.
    return Dataset(graphs["default-graph-uri"] or (), graphs["named-graph-uri"] or ())


def _check_services(facts: QueryFacts, settings: Settings) -> None:
    if not facts.services:
        return
    if not settings.service_allowlist:
        raise ProtocolError(
            403,
            "SERVICE (federated query) is disabled on this endpoint: it would let anyone make "
            "the server fetch URLs. An operator can allow chosen endpoints with the "
            "service_allowlist setting (LODPUB_SERVICE_ALLOWLIST).",
        )
    for service in facts.services:
        if service.endpoint is None:
            raise ProtocolError(
                403, "SERVICE is only allowed with an endpoint IRI written in the query."
            )
        if service.endpoint not in settings.service_allowlist:
            raise ProtocolError(
                403,
                f"SERVICE <{service.endpoint}> is not allowed; this endpoint may call: "
                + ", ".join(f"<{e}>" for e in settings.service_allowlist),
            )
        _check_public(service.endpoint, settings)


def _check_public(endpoint: str, settings: Settings) -> None:
    """Refuse an endpoint whose host resolves, now, to any non-public address (loopback,
    private, link-local, IPv4-mapped ones included), unless the operator named the host."""
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    if host in settings.service_private_hosts:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError, ValueError) as exc:
        raise ProtocolError(
            403, f"SERVICE <{endpoint}>: its host cannot be resolved: {exc}"
        ) from None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if not address.is_global or address.is_multicast:
            raise ProtocolError(
                403,
                f"SERVICE <{endpoint}> is refused: {host} resolves to {address}, which is not a "
                "public address (the endpoint could reach the server's own network). An operator "
                "can accept such a host with the service_private_hosts setting.",
            )


def _describe(settings: Settings, shared: dict) -> Response:
    if conneg.prefers_html(request, conneg.GRAPH_FORMATS):
        return _page(settings, "")
    fmt = conneg.negotiate(request, conneg.GRAPH_FORMATS)
    if fmt is None:
        return _text(
            406,
            f"The service description is available as {conneg.media_types(conneg.GRAPH_FORMATS)}.",
        )
    triples = describe(
        shared["store"].snapshot(),
        shared["sizes"],
        url_for("sparql.endpoint", _external=True),
        federated=bool(settings.service_allowlist),
    )
    body = ox.serialize(triples, format=fmt.syntax, prefixes=SD_PREFIXES)
    return Response(body, content_type=fmt.content_type)


def _page(settings: Settings, query: str) -> Response:
    html = render_template(
        "sparql.html",
        query=query,
        examples=examples(),
        prefixes=PREFIXES,
        settings=settings,
        solution_formats=conneg.SOLUTION_FORMATS,
        graph_formats=conneg.GRAPH_FORMATS,
    )
    return Response(html, content_type="text/html; charset=utf-8")
