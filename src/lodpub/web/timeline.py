"""`/timeline`: every dated event in date order, drawn on an SVG time axis and listed by year.

Dated means: a `P4_has_time-span` with a begin (`P82a`), or for a plan the time-span it refers
to. Twins: `/timeline.{ttl,jsonld,rdf,nt}` give the events with their time-spans.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pyoxigraph as ox
from flask import Blueprint, Response

from lodpub.vocab import CRM
from lodpub.web.conneg import HTML, Format
from lodpub.web.event import BEGIN, END, REFERS_TO, TIME_SPAN, Dated, dated
from lodpub.web.graph_view import LABEL, TYPE, GraphView, node
from lodpub.web.render import (
    EXTENSIONS,
    RDF_FORMATS,
    alternates_for,
    error,
    ld,
    page,
    respond,
    serialize,
)

bp = Blueprint("timeline", __name__)

PLAN = ox.NamedNode(str(CRM.E29_Design_or_Procedure))
WIDTH, HEIGHT, MARGIN = 960, 120, 40
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Mark:
    """One event on the axis."""

    item: Dated
    x: float
    y: float


@dataclass(frozen=True)
class Axis:
    width: int
    height: int
    ticks: list[tuple[float, str]]
    marks: list[Mark]


def events(view: GraphView) -> list[Dated]:
    return view.memo("timeline", lambda: _events(view))


def _events(view: GraphView) -> list[Dated]:
    """Dated things under `{base}/id/event/` (a document's own writing or publishing is not
    on the timeline: it is on the document's page)."""
    prefix = view.addresses.thing("event/")
    candidates = [
        t.subject.value
        for t in view.triples(None, TIME_SPAN, None)
        if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(prefix)
    ]
    for plan in view.subjects(TYPE, PLAN):
        if isinstance(plan, ox.NamedNode) and plan.value.startswith(prefix):
            candidates.append(plan.value)
    return [d for d in dated(view, candidates) if d.when is not None and d.when.begin]


def _day(iso: str) -> date | None:
    try:
        return date.fromisoformat(iso[:10])
    except ValueError:
        return None


def axis(items: list[Dated]) -> Axis | None:
    """Positions on a horizontal axis; ticks every month within two years, else every few
    years (at most about twelve ticks)."""
    days = [d for d in (_day(i.when.begin) for i in items) if d is not None]
    if not days:
        return None
    first, last = min(days), max(days)
    if first.year == last.year:
        first, last = date(first.year, 1, 1), date(first.year, 12, 31)
    span = max((last - first).days, 1)
    usable = WIDTH - 2 * MARGIN

    def x_of(day: date) -> float:
        return round(MARGIN + usable * (day - first).days / span, 1)

    marks, lanes = [], {}
    for item in items:
        day = _day(item.when.begin)
        if day is None:
            continue
        x = x_of(day)
        lane = lanes.get(round(x / 8), 0)
        lanes[round(x / 8)] = lane + 1
        marks.append(Mark(item, x, 60 - 12 * (lane % 4)))
    ticks = []
    if last.year - first.year < 2:
        year, month = first.year, first.month
        while date(year, month, 1) <= last:
            day = date(year, month, 1)
            text = str(year) if month == 1 else _MONTHS[month - 1]
            ticks.append((x_of(max(day, first)), text))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    else:
        step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100) if (last.year - first.year) / s <= 12)
        for year in range(first.year - first.year % step, last.year + 1, step):
            day = date(year, 1, 1)
            if first <= day <= last:
                ticks.append((x_of(day), str(year)))
    return Axis(WIDTH, HEIGHT, ticks, marks)


@bp.route("/timeline", defaults={"ext": None}, methods=["GET"])
@bp.route("/timeline.<ext>", methods=["GET"])
def timeline(ext: str | None) -> Response:
    fmt: Format | None = EXTENSIONS.get(ext) if ext else HTML
    if fmt is None:
        return error(404, "Not Found", f"no timeline format .{ext}", HTML)
    view = ld().view()
    alternates = alternates_for(
        lambda e: "/timeline" + ("" if e == "html" else f".{e}"), (HTML, *RDF_FORMATS)
    )

    def build() -> bytes:
        items = events(view)
        if fmt is HTML:
            years: dict[str, list[Dated]] = {}
            for item in items:
                years.setdefault(item.when.year, []).append(item)
            return page(
                "timeline.html",
                years=years,
                axis=axis(items),
                total=len(items),
                alternates=alternates,
            )
        triples = []
        for item in items:
            subject = node(item.ref.iri)
            triples += view.triples(subject, TYPE)
            triples += view.triples(subject, LABEL)
            if item.when.span:
                span = node(item.when.span)
                predicate = TIME_SPAN if view.triples(subject, TIME_SPAN) else REFERS_TO
                triples.append(ox.Triple(subject, predicate, span))
                triples += view.triples(span, LABEL)
                triples += view.triples(span, BEGIN)
                triples += view.triples(span, END)
        return serialize(list(dict.fromkeys(triples)), fmt)

    return respond(view, fmt, build, alternates=alternates, variant="/timeline")
