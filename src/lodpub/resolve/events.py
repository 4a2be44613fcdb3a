"""Events: a stable URI and a readable label for each event, or plan, a record reports."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from lodpub.extract.mention import DateValue, Mention
from lodpub.resolve.entity import Entity, Event, Link
from lodpub.sources.record import Record
from lodpub.uris import Uris, slugify

_BEFORE = ("until", "by", "before")
_AFTER = ("since", "after")
_QUALIFIER = re.compile(r"\s*\([^)]*\)$")


def mint_events(
    record: Record,
    mentions: tuple[Mention, ...],
    links: tuple[Link, ...],
    entities: dict[str, Entity],
    uris: Uris,
) -> tuple[Event, ...]:
    """One `Event` per event mention: dated ones by date, type and place (or participant),
    undated ones by document key, type and offset; both stable across re-ingests."""
    dates = {m.span: m.date for m in mentions if m.kind == "date" and m.date is not None}
    linked = {link.mention.span: entities[link.entity] for link in links}
    events: list[Event] = []
    taken: set[str] = set()
    for mention in sorted(mentions, key=lambda m: (m.start, m.end)):
        if mention.kind != "event":
            continue
        value = mention.event
        kind = value.type if value else (mention.name or mention.text)
        planned = bool(value and value.planned)
        date = dates.get(value.date) if value and value.date else None
        bounds = _bounds(date) if date else None
        places = [linked[s] for s in (value.places if value else ()) if s in linked]
        actors = [linked[s] for s in (value.participants if value else ()) if s in linked]
        anchor = (places or actors or [None])[0]
        type_slug = slugify(f"planned {kind}" if planned else kind)
        if date and bounds and anchor:
            slug = f"{_date_slug(date, bounds)}-{type_slug}-{anchor.slug}"
            if slug in taken:  # two alike events in one document stay two
                slug = f"{slug}-{record.key}-{mention.start}"
        else:
            slug = f"{record.key}-{type_slug}-{mention.start}"
        taken.add(slug)
        label = _label(kind, planned, places, actors, date, bounds)
        events.append(Event(uri=uris.thing("event", slug), mention=mention, label=label))
    return tuple(events)


def date_label(date: DateValue) -> str | None:
    """A date as people write it: "20 October 1945", "19–21 October 1945", "December 1945"."""
    bounds = _bounds(date)
    if bounds is None:
        return None
    begin, end = bounds
    if date.qualifier in _BEFORE:
        return f"{date.qualifier} {_day(end)}"
    if date.qualifier in _AFTER:
        return f"{date.qualifier} {_day(begin)}"
    about = "about " if date.approximate and date.precision != "part-of-month" else ""
    if _whole_year(begin, end):
        text = str(begin.year)
    elif _whole_month(begin, end):
        text = f"{calendar.month_name[begin.month]} {begin.year}"
    elif date.precision == "part-of-month" and _same_month(begin, end):
        part = "early" if end.day <= 10 else "late" if begin.day >= 20 else "mid"
        text = f"{part} {calendar.month_name[begin.month]} {begin.year}"
    elif begin == end:
        text = _day(begin)
    elif _same_month(begin, end):
        text = f"{begin.day}–{end.day} {calendar.month_name[begin.month]} {begin.year}"
    elif (begin.month, begin.day, end.month, end.day) == (1, 1, 12, 31):
        text = f"{begin.year}–{end.year}"
    elif begin.year == end.year:
        text = f"{begin.day} {calendar.month_name[begin.month]} – {_day(end)}"
    else:
        text = f"{_day(begin)} – {_day(end)}"
    return about + text


def _label(
    kind: str,
    planned: bool,
    places: list[Entity],
    actors: list[Entity],
    date: DateValue | None,
    bounds: tuple[dt.date, dt.date] | None,
) -> str:
    words = kind.replace("-", " ").replace("_", " ").strip()
    text = words[:1].upper() + words[1:]
    if planned:
        text = f"Planned {text}"
    if places:
        text += f" in {_short(places[0])}"
    elif actors:
        text += f" of {_short(actors[0])}"
    when = date_label(date) if date and bounds else None
    return f"{text}, {when}" if when else text


def _short(entity: Entity) -> str:
    """The label without a trailing "(…)" qualifier; groups take "the"."""
    label = _QUALIFIER.sub("", entity.label) or entity.label
    if entity.kind == "group" and not label.lower().startswith("the "):
        return f"the {label}"
    return label


def _date_slug(date: DateValue, bounds: tuple[dt.date, dt.date]) -> str:
    begin, end = bounds
    if date.qualifier in _BEFORE:
        return end.isoformat()
    if date.qualifier in _AFTER:
        return begin.isoformat()
    if begin.month == 1 and begin.day == 1 and (end.month, end.day) == (12, 31):
        return f"{begin.year:04d}"
    if _whole_month(begin, end) or (date.precision == "part-of-month" and _same_month(begin, end)):
        return f"{begin.year:04d}-{begin.month:02d}"
    return begin.isoformat()


def _bounds(date: DateValue) -> tuple[dt.date, dt.date] | None:
    try:
        return dt.date.fromisoformat(date.begin[:10]), dt.date.fromisoformat(date.end[:10])
    except ValueError:
        return None


def _day(day: dt.date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def _same_month(begin: dt.date, end: dt.date) -> bool:
    return (begin.year, begin.month) == (end.year, end.month)


def _whole_month(begin: dt.date, end: dt.date) -> bool:
    last = calendar.monthrange(begin.year, begin.month)[1]
    return _same_month(begin, end) and begin.day == 1 and end.day == last


def _whole_year(begin: dt.date, end: dt.date) -> bool:
    return begin == dt.date(begin.year, 1, 1) and end == dt.date(begin.year, 12, 31)
