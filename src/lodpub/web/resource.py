"""Every thing's URI and its descriptions: `/id/...` → 303 → `/page/...` or `/data/....{ext}`.

- `GET /id/{rest}` (and `/graph/{rest}`): 303 See Other to the description in the format
  `Accept` asks for (server preference: Turtle, HTML, JSON-LD, RDF/XML, N-Triples; see
  render.DESCRIPTION_FORMATS), 301 to the survivor of a merged entity, 404 in the asked format
  for an unknown one, 406 when nothing acceptable exists.
- `GET /page/{rest}`: the HTML page; `GET /data/{rest}.{html,ttl,jsonld,rdf,nt}`: each format
  at its own URL. `?page=N` pages the incoming links.
The HTML of persons, groups, places, documents and events is built by their own modules;
everything else gets the generic page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, redirect, request
from werkzeug.exceptions import NotFound

from lodpub.vocab import DCTERMS, RDF, RDFS
from lodpub.web import document, entity, event, schema_org
from lodpub.web.addresses import GRAPH, THING, Target, raw_path
from lodpub.web.conneg import HTML, Format
from lodpub.web.describe import Description, PageOutOfRange, describe, document_triples
from lodpub.web.graph_view import GraphView, node
from lodpub.web.refs import Ref, Text, kind_of, ref, value
from lodpub.web.render import (
    EXTENSIONS,
    RDF_FORMATS,
    Alternate,
    absolute,
    alternates_for,
    error,
    here,
    ld,
    local,
    negotiate,
    not_acceptable,
    page,
    respond,
    serialize,
)

bp = Blueprint("resource", __name__)

REPLACES = ox.NamedNode(str(DCTERMS.replaces))
_FIRST = (str(RDF.type), str(RDFS.label))
TEMPLATES = {
    "document": "document.html",
    "person": "entity.html",
    "group": "entity.html",
    "place": "entity.html",
    "event": "event.html",
}
BUILDERS = {
    "document": document.context,
    "person": entity.context,
    "group": entity.context,
    "place": entity.context,
    "event": event.context,
}


class BadRequest(ValueError):
    """A parameter the page cannot use; the message names it."""


@dataclass
class PropertyValues:
    """One property of a resource with its values, as a page lists it."""

    label: str
    iri: str
    values: list[Ref | Text]
    count: int = 0


@dataclass
class Pagination:
    page: int
    pages: int
    total: int
    previous: str | None = None
    next: str | None = None
    first: str | None = None
    last: str | None = None
    numbers: list[tuple[int, str]] = field(default_factory=list)


@bp.route("/id/<path:rest>", methods=["GET"])
def thing(rest: str) -> Response:
    return _see_other(THING)


@bp.route("/graph/<path:rest>", methods=["GET"])
def graph(rest: str) -> Response:
    return _see_other(GRAPH)


@bp.route("/page/<path:rest>", methods=["GET"])
def html_page(rest: str) -> Response:
    described = raw_path(request).removeprefix("/page/")
    return _describe(described, HTML)


@bp.route("/data/<path:rest>", methods=["GET"])
def data(rest: str) -> Response:
    described = raw_path(request).removeprefix("/data/")
    stem, _, ext = described.rpartition(".")
    fmt = EXTENSIONS.get(ext)
    if not stem or fmt is None:
        known = ", ".join(f".{e}" for e in EXTENSIONS)
        return error(
            404,
            "Not Found",
            f"data documents end in one of {known}; the thing itself is at /id/{described}",
            negotiate() or HTML,
        )
    return _describe(stem, fmt)


def not_found(_: NotFound) -> Response:
    """The app's 404, in the format the client asked for."""
    return error(
        404,
        "Not Found",
        f"nothing is published at {request.path}",
        negotiate() or HTML,
    )


def _see_other(prefix: str) -> Response:
    shared = ld()
    view = shared.view()
    rest = raw_path(request).removeprefix("/" + prefix)
    candidates = shared.addresses.from_uri_path(prefix, rest)
    fmt = negotiate()
    target = next((c for c in candidates if view.describes(c.iri)), None)
    if target is None:
        # A merged entity is no longer described, only named as replaced: 301 to its survivor.
        survivor = _survivor(view, candidates)
        if survivor is not None:
            response = redirect(absolute(shared.addresses.uri_path(survivor)), 301)
            response.vary.add("Accept")
            return response
        target = next((c for c in candidates if view.exists(c.iri)), None)
    if target is None:
        return error(404, "Not Found", f"no resource {candidates[0].iri} is published", fmt or HTML)
    alternates = _alternates(target)
    if fmt is None:
        return not_acceptable(alternates)
    if fmt is HTML:
        path = shared.addresses.page_path(target.iri)
    else:
        path = shared.addresses.data_path(target.iri, EXTENSIONS_BY_FORMAT[fmt.media_type])
    response = redirect(absolute(path), 303)
    response.vary.add("Accept")
    return response


EXTENSIONS_BY_FORMAT = {fmt.media_type: ext for ext, fmt in EXTENSIONS.items() if ext != "html"}


def _survivor(view: GraphView, candidates: list[Target]) -> str | None:
    """The entity that replaced a merged one (`dcterms:replaces`), if any."""
    for candidate in candidates:
        for subject in view.subjects(REPLACES, node(candidate.iri)):
            if isinstance(subject, ox.NamedNode) and view.exists(subject.value):
                return subject.value
    return None


def _alternates(target: Target) -> list[Alternate]:
    addresses = ld().addresses

    def path_of(ext: str) -> str:
        if ext == "html":
            return addresses.page_path(target.iri)
        return addresses.data_path(target.iri, ext)

    return alternates_for(path_of, (HTML, *RDF_FORMATS))


def _describe(described: str, fmt: Format) -> Response:
    shared = ld()
    view = shared.view()
    target = next(
        (c for c in shared.addresses.from_described(described) if view.exists(c.iri)), None
    )
    if target is None:
        iri = shared.addresses.from_described(described)[-1].iri
        return error(404, "Not Found", f"no resource {iri} is published", fmt)
    try:
        number = page_number()
    except BadRequest as exc:
        return error(400, "Bad Request", str(exc), fmt)
    alternates = _alternates(target)

    def build() -> bytes:
        description = describe(view, target.iri, page=number, page_size=shared.settings.page_size)
        if fmt is HTML:
            return _html(view, target, description, alternates)
        path = here()

        def page_url(n: int) -> str:
            return absolute(path + ("" if n == 1 else f"?page={n}"))

        triples = document_triples(
            description,
            document_url=page_url(description.page),
            page_url=page_url,
            dataset=shared.dataset_iri,
        )
        return serialize(triples, fmt, first=target.iri)

    try:
        return respond(view, fmt, build, alternates=alternates)
    except PageOutOfRange as exc:
        return error(404, "Not Found", f"{target.iri} has no {exc}", fmt)


def page_number() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise BadRequest(f"page must be a whole number from 1, got {raw!r}")
    return int(raw)


def _html(
    view: GraphView, target: Target, description: Description, alternates: list[Alternate]
) -> bytes:
    kind = kind_of(view, target.iri)
    context = resource_context(view, target, description, alternates)
    builder = BUILDERS.get(kind)
    if builder is not None:
        context.update(builder(view, description))
    context["schema_org"] = schema_org.describe(target.iri, kind, context)
    return page(TEMPLATES.get(kind, "resource.html"), **context)


def resource_context(
    view: GraphView, target: Target, description: Description, alternates: list[Alternate]
) -> dict[str, Any]:
    """What every resource page shows: label, kinds, statements, incoming links, formats."""
    addresses = view.addresses
    vocabulary = view.vocabulary
    grouped: dict[str, list[ox.Triple]] = {}
    for triple in [*description.own, *description.extra]:
        grouped.setdefault(triple.predicate.value, []).append(triple)
    statements = [
        PropertyValues(
            vocabulary.label(p), p, [value(view, t.object) for t in triples], len(triples)
        )
        for p, triples in grouped.items()
    ]
    statements.sort(key=lambda s: (_FIRST.index(s.iri) if s.iri in _FIRST else 2, s.label.lower()))
    incoming_grouped: dict[str, list[ox.Triple]] = {}
    for triple in description.incoming:
        incoming_grouped.setdefault(triple.predicate.value, []).append(triple)
    incoming = [
        PropertyValues(
            vocabulary.inverse_label(p),
            p,
            [ref(view, t.subject) for t in incoming_grouped.get(p, [])],
            count,
        )
        for p, count in sorted(description.incoming_counts.items())
    ]
    return {
        "iri": target.iri,
        "label": view.label(target.iri),
        "kind": kind_of(view, target.iri),
        "kinds": _kinds_in_words(view, target.iri),
        "uri_href": local(addresses.uri_path(target.iri)),
        "statements": statements,
        "incoming": incoming,
        "incoming_total": description.incoming_total,
        "pagination": pagination(description.page, description.pages, description.incoming_total),
        "alternates": alternates,
        "graph_triples": description.graph_triples,
        "is_graph": target.kind == "graph",
    }


def _kinds_in_words(view: GraphView, iri: str) -> list[str]:
    """The resource's classes and types in words, the one its page is about first."""
    words = view.kinds(iri)
    kind = kind_of(view, iri)
    return sorted(words, key=lambda w: w.lower() != (kind or ""))


def pagination(number: int, pages: int, total: int) -> Pagination:
    """Links to the other pages of the current path (`?page=N`)."""
    path = local(here())

    def href(n: int) -> str:
        return path if n == 1 else f"{path}?page={n}"

    result = Pagination(number, pages, total)
    if pages > 1:
        result.first, result.last = href(1), href(pages)
        result.previous = href(number - 1) if number > 1 else None
        result.next = href(number + 1) if number < pages else None
        shown = sorted({1, pages, *range(max(1, number - 2), min(pages, number + 2) + 1)})
        result.numbers = [(n, href(n)) for n in shown]
    return result
