"""The home page: what the dataset is, counts by kind, recent documents, search, ways in.

Its machine twin is the dataset's VoID description (announced as rel=alternate).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Response

from lodpub.vocab import CRM
from lodpub.web.conneg import HTML, JSON_LD, TURTLE
from lodpub.web.document import CREATED, TIME_SPAN
from lodpub.web.event import BEGIN
from lodpub.web.graph_view import GraphView, node
from lodpub.web.kinds import things_by_kind, title_of
from lodpub.web.mentions import TEXT_OF
from lodpub.web.refs import Ref, ref
from lodpub.web.render import Alternate, ld, local, page, respond

bp = Blueprint("home", __name__)

RECENT = 10
INCORPORATES = ox.NamedNode(str(CRM.P165_incorporates))


@dataclass(frozen=True)
class Count:
    kind: str
    title: str
    count: int
    href: str


@dataclass(frozen=True)
class Recent:
    ref: Ref
    date: str


@bp.route("/", methods=["GET"])
def home() -> Response:
    view = ld().view()
    alternates = [
        Alternate(local("/dataset.ttl"), TURTLE.media_type, "VoID description (Turtle)"),
        Alternate(local("/dataset.jsonld"), JSON_LD.media_type, "VoID description (JSON-LD)"),
    ]

    def build() -> bytes:
        kinds = things_by_kind(view)
        counts = [
            Count(kind, title_of(kind), len(members), local(f"/index/{kind}"))
            for kind, members in kinds.items()
        ]
        order = ["document", "person", "group", "place", "event"]
        counts.sort(key=lambda c: (order.index(c.kind) if c.kind in order else 99, c.kind))
        return page(
            "home.html",
            counts=counts,
            recent=recent_documents(view, kinds.get("document", []))[:RECENT],
            alternates=alternates,
        )

    return respond(view, HTML, build, alternates=alternates, variant="/")


def recent_documents(view: GraphView, documents: list[str]) -> list[Recent]:
    """Documents by the latest date known for them (published online, else written), newest
    first; undated ones after, by title."""
    dates = {iri: _latest_date(view, iri) for iri in documents}
    dated = sorted((i for i in documents if dates[i]), key=lambda i: dates[i], reverse=True)
    undated = sorted((i for i in documents if not dates[i]), key=lambda i: view.label(i).lower())
    return [Recent(ref(view, iri), dates[iri][:10]) for iri in [*dated, *undated]]


def _latest_date(view: GraphView, iri: str) -> str:
    things = [node(iri)]
    for predicate in TEXT_OF:
        for text in view.objects(node(iri), predicate):
            if isinstance(text, ox.NamedNode):
                things += [p for p in view.subjects(INCORPORATES, text) if p != node(iri)]
    dates = []
    for thing in things:
        for creation in view.subjects(CREATED, thing):
            for span in view.objects(creation, TIME_SPAN):
                begin = view.value(span, BEGIN)
                if isinstance(begin, ox.Literal):
                    dates.append(begin.value)
    return max(dates, default="")
