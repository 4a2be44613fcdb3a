"""E52 time-spans: xsd:dateTime outer bounds, the wording as appellation, a readable label."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import datetime

from rdflib import Literal, URIRef

from lodpub.extract.mention import DateValue

from .context import Triples, add_node, content
from .namespaces import CRM, XSD
from .vocabulary import Vocabulary

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
DAY_START = "T00:00:00"
DAY_END = "T23:59:59"


def iso_bounds(date: str) -> tuple[str, str]:
    """Inclusive xsd:dateTime bounds of an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD."""
    parts = date.strip().split("-")
    problem = f"{date!r} is not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)"
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        raise ValueError(problem) from None
    if len(numbers) == 1 and len(parts[0]) == 4:
        return f"{parts[0]}-01-01{DAY_START}", f"{parts[0]}-12-31{DAY_END}"
    if len(numbers) == 2:
        year, month = numbers
        last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
        if last:
            month_prefix = f"{year:04d}-{month:02d}"
            return f"{month_prefix}-01{DAY_START}", f"{month_prefix}-{last}{DAY_END}"
    if len(numbers) == 3:
        day = datetime(*numbers).date().isoformat()  # raises on an impossible day
        return day + DAY_START, day + DAY_END
    raise ValueError(problem)


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _day(moment: datetime) -> str:
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def span_label(begin: str | None, end: str | None) -> str:
    """Readable bounds: "20 October 1945", "October 1945", "1945", "19 October 1945 – ..."."""
    if begin is None or end is None:
        known = _day(_parse(begin or end or ""))
        return f"from {known}" if begin else f"until {known}"
    start, stop = _parse(begin), _parse(end)
    whole_days = start.time().isoformat() == "00:00:00" and stop.time().isoformat() == "23:59:59"
    if not whole_days:
        return f"{begin} – {end}"
    if start.date() == stop.date():
        return _day(start)
    month_end = calendar.monthrange(stop.year, stop.month)[1]
    if start.day == 1 and stop.day == month_end:
        if (start.year, start.month) == (stop.year, stop.month):
            return f"{MONTHS[start.month - 1]} {start.year}"
        if start.year == stop.year and start.month == 1 and stop.month == 12:
            return str(start.year)
        if start.month == 1 and stop.month == 12:
            return f"{start.year}–{stop.year}"
    return f"{_day(start)} – {_day(stop)}"


def date_types(vocab: Vocabulary, date: DateValue) -> list[URIRef]:
    """The local types a date's wording earns: year inferred, approximate, supplied, qualifier."""
    types = []
    if date.year_inferred:
        types.append(vocab.type("timespan", "year-inferred"))
    if date.approximate:
        types.append(vocab.type("timespan", "approximate"))
    if date.supplied:
        types.append(vocab.type("timespan", "supplied"))
    if date.qualifier:
        qualifier = vocab.find("timespan", date.qualifier)
        if qualifier is None:
            raise ValueError(f"date qualifier {date.qualifier!r} has no type in the vocabulary")
        types.append(qualifier)
    return types


def add_timespan(
    graph: Triples,
    node: URIRef,
    *,
    begin: str | None,
    end: str | None,
    wording: str | None,
    types: Iterable[URIRef] = (),
) -> URIRef:
    """Write an E52 with P82a/P82b (xsd:dateTime); raises ValueError on bad or inverted bounds."""
    if not begin and not end:
        raise ValueError("a time-span needs at least one bound")
    for bound in (begin, end):
        if bound:
            _parse(bound)  # raises ValueError naming the bad value
    if begin and end and _parse(begin) > _parse(end):
        raise ValueError(f"time-span begins ({begin}) after it ends ({end})")
    add_node(graph, node, CRM["E52_Time-Span"], span_label(begin or None, end or None))
    if begin:
        graph.add((node, CRM.P82a_begin_of_the_begin, Literal(begin, datatype=XSD.dateTime)))
    if end:
        graph.add((node, CRM.P82b_end_of_the_end, Literal(end, datatype=XSD.dateTime)))
    for kind in types:
        graph.add((node, CRM.P2_has_type, kind))
    if wording and wording.strip():
        name = URIRef(f"{node}/name")
        add_node(graph, name, CRM.E41_Appellation, wording.strip())
        graph.add((name, CRM.P190_has_symbolic_content, content(wording.strip())))
        graph.add((node, CRM.P1_is_identified_by, name))
    return node
