"""Event pages (E5 and its subclasses, and plans typed as events): date, place, participants.

Also the date helpers the entity pages and the timeline use: an event's time-span is its
`P4_has_time-span`, or for a plan (E29, which never happened as such) the E52 it `P67_refers_to`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from lodpub.vocab import CRM, OA
from lodpub.web.describe import Description
from lodpub.web.graph_view import GraphView, node
from lodpub.web.mentions import AnnotatedText, Mention, mention_of
from lodpub.web.refs import Ref, kind_of, ref


def _p(name: str) -> ox.NamedNode:
    return ox.NamedNode(str(CRM[name]))


TIME_SPAN = _p("P4_has_time-span")
REFERS_TO = _p("P67_refers_to")
BEGIN = _p("P82a_begin_of_the_begin")
END = _p("P82b_end_of_the_end")
TIME_SPAN_CLASS = str(CRM["E52_Time-Span"])
PLACE_LINKS = (_p("P7_took_place_at"), _p("P26_moved_to"), _p("P27_moved_from"))
PARTICIPANT_LINKS = (
    _p("P14_carried_out_by"),
    _p("P11_had_participant"),
    _p("P25_moved"),
    _p("P95_has_formed"),
    _p("P99_dissolved"),
    _p("P143_joined"),
    _p("P144_joined_with"),
)
PART_OF = _p("P9_consists_of")
HAS_BODY = ox.NamedNode(str(OA.hasBody))


@dataclass(frozen=True)
class When:
    """An event's dating: the time-span's label and bounds (ISO text, may be empty)."""

    label: str
    begin: str
    end: str
    span: str | None = None

    @property
    def year(self) -> str:
        return self.begin[:4] if self.begin else ""


@dataclass(frozen=True)
class Dated:
    """An event with its dating, for lists in date order."""

    ref: Ref
    when: When | None

    @property
    def sort_key(self) -> tuple[int, str, str]:
        if self.when is None or not self.when.begin:
            return (1, "", self.ref.label.lower())
        return (0, self.when.begin, self.ref.label.lower())


def when(view: GraphView, event: str) -> When | None:
    """The event's time-span, or None when it is not dated."""
    subject = node(event)
    spans = [s for s in view.objects(subject, TIME_SPAN) if not isinstance(s, ox.Literal)]
    if not spans:
        spans = [
            s
            for s in view.objects(subject, REFERS_TO)
            if isinstance(s, ox.NamedNode) and TIME_SPAN_CLASS in view.types(s.value)
        ]
    for span in spans:
        begin = view.value(span, BEGIN)
        end = view.value(span, END)
        return When(
            view.label(span),
            begin.value if isinstance(begin, ox.Literal) else "",
            end.value if isinstance(end, ox.Literal) else "",
            span.value if isinstance(span, ox.NamedNode) else None,
        )
    return None


def dated(view: GraphView, events: list[str]) -> list[Dated]:
    items = [Dated(ref(view, e), when(view, e)) for e in dict.fromkeys(events)]
    return sorted(items, key=lambda d: d.sort_key)


def _refs(
    view: GraphView, subject: ox.NamedNode, predicates: tuple[ox.NamedNode, ...]
) -> list[Ref]:
    found = []
    for predicate in predicates:
        for value in view.objects(subject, predicate):
            if not isinstance(value, ox.Literal):
                found.append(ref(view, value))
    return list(dict.fromkeys(found))


def context(view: GraphView, description: Description) -> dict[str, Any]:
    subject = node(description.iri)
    places = _refs(view, subject, PLACE_LINKS)
    participants = _refs(view, subject, PARTICIPANT_LINKS)
    # A plan names what it would involve with P67_refers_to.
    referred = _refs(view, subject, (REFERS_TO,))
    places += [r for r in referred if r.kind == "place" and r not in places]
    participants += [r for r in referred if r.kind in ("person", "group") and r not in participants]
    parts = _refs(view, subject, (PART_OF,))
    within = [ref(view, s) for s in view.subjects(PART_OF, subject)]
    passages = [mention_of(view, a.value) for a in view.subjects(HAS_BODY, subject)]
    return {
        "when": when(view, description.iri),
        "places": places,
        "participants": participants,
        "parts": dated(view, [p.iri for p in parts]),
        "within": within,
        "event_passages": [passage_view(view, *found) for found in passages if found],
        "is_plan": kind_of(view, description.iri) == "event"
        and str(CRM.E29_Design_or_Procedure) in view.types(description.iri),
    }


@dataclass(frozen=True)
class Passage:
    """A quote in context with a link into its document at that passage."""

    document: Ref | None
    before: str
    quote: str
    after: str
    href: str | None


def passage_view(view: GraphView, text: AnnotatedText, mention: Mention) -> Passage:
    before, quote, after = text.passage(mention)
    document = ref(view, text.document) if text.document else ref(view, text.iri)
    href = f"{document.href}#{mention.anchor}" if document.href else None
    return Passage(document, before, quote, after, href)
