"""The things of each kind (`{base}/id/{kind}/{slug}`) and their index pages, `/index/{kind}`.

Each index lists the things alphabetically, paged like descriptions; its RDF twins
(`/index/{kind}.ttl`, ...) are a hydra collection of the same members with their labels.
"""

from __future__ import annotations

import math

import pyoxigraph as ox
from flask import Blueprint, Response, request

from lodpub.web.conneg import HTML, Format
from lodpub.web.describe import HYDRA
from lodpub.web.graph_view import LABEL, TYPE, GraphView, node
from lodpub.web.refs import ref
from lodpub.web.render import (
    EXTENSIONS,
    RDF_FORMATS,
    absolute,
    alternates_for,
    error,
    ld,
    page,
    respond,
    serialize,
)
from lodpub.web.resource import BadRequest, page_number, pagination

bp = Blueprint("kinds", __name__)

TITLES = {
    "document": "Documents",
    "person": "People",
    "group": "Groups",
    "place": "Places",
    "event": "Events",
    "holding": "Archival holdings",
    "software": "Software agents",
    "subject": "Subjects",
    "type": "Types",
}
# Listed in the site's navigation: their index exists even while empty.
MAIN_KINDS = ("document", "person", "group", "place", "event")


def things_by_kind(view: GraphView) -> dict[str, list[str]]:
    """Every typed thing by the kind in its URI, each list sorted by label."""
    return view.memo("things-by-kind", lambda: _collect(view))


def _collect(view: GraphView) -> dict[str, list[str]]:
    found: dict[str, set[str]] = {}
    for triple in view.triples(None, TYPE, None):
        subject = triple.subject
        if not isinstance(subject, ox.NamedNode):
            continue
        target = view.addresses.split(subject.value)
        if target is None or target.kind != "thing" or target.rest.count("/") != 1:
            continue
        kind = target.rest.split("/", 1)[0]
        found.setdefault(kind, set()).add(subject.value)
    return {
        kind: sorted(members, key=lambda iri: (view.label(iri).lower(), iri))
        for kind, members in sorted(found.items())
    }


def title_of(kind: str) -> str:
    return TITLES.get(kind, kind.replace("-", " ").capitalize() + "s")


@bp.route("/index/<kind>", methods=["GET"])
def index(kind: str) -> Response:
    name, _, ext = kind.partition(".")
    fmt = EXTENSIONS.get(ext) if ext else HTML
    if fmt is None:
        return error(404, "Not Found", f"no index format .{ext}", HTML)
    return _index(name, fmt)


def _index(kind: str, fmt: Format) -> Response:
    view = ld().view()
    members = things_by_kind(view).get(kind, [] if kind in MAIN_KINDS else None)
    if members is None:
        return error(404, "Not Found", f"there are no things of kind {kind!r}", fmt)
    try:
        number = page_number()
    except BadRequest as exc:
        return error(400, "Bad Request", str(exc), fmt)
    size = ld().settings.page_size
    pages = max(1, math.ceil(len(members) / size))
    if number > pages:
        return error(404, "Not Found", f"the {kind} index has {pages} pages", fmt)
    shown = members[(number - 1) * size : number * size]
    alternates = alternates_for(
        lambda ext: f"/index/{kind}" + ("" if ext == "html" else f".{ext}"), (HTML, *RDF_FORMATS)
    )

    def build() -> bytes:
        if fmt is HTML:
            return page(
                "kind_index.html",
                kind=kind,
                title=title_of(kind),
                members=[ref(view, iri) for iri in shown],
                total=len(members),
                pagination=pagination(number, pages, len(members)),
                alternates=alternates,
            )
        return serialize(_collection(view, kind, shown, len(members), number, pages), fmt)

    return respond(view, fmt, build, alternates=alternates)


def _collection(
    view: GraphView, kind: str, shown: list[str], total: int, number: int, pages: int
) -> list[ox.Triple]:
    here = request.path

    def url(n: int) -> ox.NamedNode:
        return ox.NamedNode(absolute(here + ("" if n == 1 else f"?page={n}")))

    collection = ox.NamedNode(absolute(here) + "#collection")
    doc = url(number)
    h = HYDRA
    triples = [
        ox.Triple(collection, TYPE, ox.NamedNode(h + "Collection")),
        ox.Triple(collection, LABEL, ox.Literal(title_of(kind), language="en")),
        ox.Triple(
            collection,
            ox.NamedNode(h + "totalItems"),
            ox.Literal(
                str(total), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
            ),
        ),
        ox.Triple(collection, ox.NamedNode(h + "view"), doc),
    ]
    if pages > 1:
        triples += [
            ox.Triple(doc, TYPE, ox.NamedNode(h + "PartialCollectionView")),
            ox.Triple(doc, ox.NamedNode(h + "first"), url(1)),
            ox.Triple(doc, ox.NamedNode(h + "last"), url(pages)),
        ]
        if number < pages:
            triples.append(ox.Triple(doc, ox.NamedNode(h + "next"), url(number + 1)))
        if number > 1:
            triples.append(ox.Triple(doc, ox.NamedNode(h + "previous"), url(number - 1)))
    for iri in shown:
        member = node(iri)
        triples.append(ox.Triple(collection, ox.NamedNode(h + "member"), member))
        triples += view.triples(member, LABEL)
        triples += view.triples(member, TYPE)
    return triples
