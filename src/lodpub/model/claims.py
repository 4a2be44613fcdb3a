"""What the document claims (claims graph): events, plans, time-spans and counts."""

from __future__ import annotations

from rdflib import Literal, URIRef

from lodpub.extract.mention import CountValue, Mention
from lodpub.resolve.entity import Event, Link

from .annotations import annotate_mention
from .context import Context, add_node
from .namespaces import CRM, CRMINF
from .timespans import add_timespan, date_types

Span = tuple[int, int]
DURATION_UNITS = ("years", "months", "days")
MEMBER_UNITS = ("persons", "members")
# Units whose unnamed counted things form a collective (a group) the count can be of.
COLLECTIVE_UNITS = (*MEMBER_UNITS, "committees", "organizations")


def _timespan(ctx: Context, node: URIRef, mention: Mention) -> URIRef:
    date = mention.date
    if date is None:
        raise ctx.error("mentions", f"date mention {mention.start}-{mention.end} has no date value")
    try:
        return add_timespan(
            ctx.claims,
            node,
            begin=date.begin or None,
            end=date.end or None,
            wording=mention.text,
            types=date_types(ctx.vocab, date),
        )
    except ValueError as exc:
        where = f"date {mention.start}-{mention.end} {mention.text!r}"
        raise ctx.error("mentions", f"{where}: {exc}") from None


def _kind(ctx: Context, uri: str) -> str | None:
    entity = ctx.resolution.entities.get(uri)
    return entity.kind if entity else None


def _add_event(
    ctx: Context, event: Event, links: dict[Span, Link], dates: dict[Span, Mention]
) -> tuple[Span, URIRef] | None:
    """One event (E5 or a subclass, by type) or plan (E29); returns its date span and time-span."""
    value = event.mention.event
    if value is None:
        raise ctx.error("events", f"event {event.uri} has a mention without an event value")
    g, vocab = ctx.claims, ctx.vocab
    node = URIRef(event.uri)
    kind = vocab.find("event", value.type) or vocab.type("event", "other")
    if value.planned:
        # A plan says nothing about whether the event happened: never an E5, never P20.
        add_node(g, node, CRM.E29_Design_or_Procedure, event.label)
        g.add((node, CRM.P2_has_type, vocab.type("design", "plan")))
        where = when = who = CRM.P67_refers_to
    else:
        add_node(g, node, vocab.crm_class(kind), event.label)
        where, when, who = CRM.P7_took_place_at, CRM["P4_has_time-span"], CRM.P11_had_participant
    g.add((node, CRM.P2_has_type, kind))
    for span in value.participants:
        if span in links and _kind(ctx, links[span].entity) in ("person", "group"):
            g.add((node, who, URIRef(links[span].entity)))
    for span in value.places:
        if span in links and _kind(ctx, links[span].entity) == "place":
            g.add((node, where, URIRef(links[span].entity)))
    if value.date is None or value.date not in dates:
        return None
    timespan = _timespan(ctx, URIRef(f"{event.uri}/timespan"), dates[value.date])
    g.add((node, when, timespan))
    return value.date, timespan


def _dimension_label(count: CountValue) -> str:
    words = []
    if count.value is not None:
        words.append(("about " if count.approximate else "") + f"{count.value:,}")
    if count.lower is not None:
        words.append(("more than " if count.lower_exclusive else "at least ") + f"{count.lower:,}")
    if count.upper is not None:
        words.append(("fewer than " if count.upper_exclusive else "up to ") + f"{count.upper:,}")
    return " and ".join(words) + f" {count.unit}"


def _count_subject(
    ctx: Context, mention: Mention, links: dict[Span, Link], events: dict[Span, Event]
) -> tuple[URIRef, str, str] | None:
    """What a count is of, (node, kind, label), from the mention or event at its subject span."""
    span = mention.count.subject if mention.count else None
    if span in links:
        uri = links[span].entity
        return URIRef(uri), _kind(ctx, uri) or "", ctx.entity_label(uri)
    if span in events:
        return URIRef(events[span].uri), "event", events[span].label
    return None


def _add_count(
    ctx: Context, mention: Mention, links: dict[Span, Link], events: dict[Span, Event]
) -> URIRef | None:
    """An E13 assigning an E54 to the counted group, place or event, attributed to the author."""
    count = mention.count
    if count is None:
        raise ctx.error("mentions", f"count {mention.start}-{mention.end} has no count value")
    if count.value is None and count.lower is None and count.upper is None:
        raise ctx.error("mentions", f"count {mention.start}-{mention.end} has no value or limit")
    if count.lower is not None and count.upper is not None and count.lower > count.upper:
        raise ctx.error("mentions", f"count {mention.start}-{mention.end}: lower limit above upper")
    g, vocab = ctx.claims, ctx.vocab
    unit = vocab.find("unit", count.unit) or vocab.type("unit", "items")
    unit_slug = unit.rsplit("/", 1)[1]
    node = ctx.part("claim", "count", f"{mention.start}-{mention.end}")
    subject = _count_subject(ctx, mention, links, events)
    if subject is None:
        if unit_slug not in COLLECTIVE_UNITS:
            return None  # "three places", "10 years": of nothing the document names
        # What the count is of is unnamed ("65 senior communists"): the counted collective.
        subject = (URIRef(f"{node}/counted"), "group", mention.text)
        add_node(g, subject[0], CRM.E74_Group, mention.text)
        counted = ""
    else:
        counted = f" – {count.counted}" if count.counted else ""
    target, kind, subject_label = subject

    dimension = URIRef(f"{node}/dimension")
    add_node(g, dimension, CRM.E54_Dimension, _dimension_label(count))
    g.add((dimension, CRM.P91_has_unit, unit))
    if count.value is not None:
        g.add((dimension, CRM.P90_has_value, Literal(count.value)))
    if count.lower is not None:
        g.add((dimension, CRM.P90a_has_lower_value_limit, Literal(count.lower)))
    if count.upper is not None:
        g.add((dimension, CRM.P90b_has_upper_value_limit, Literal(count.upper)))
    if count.approximate:
        g.add((dimension, CRM.P2_has_type, vocab.type("dimension", "approximate")))
    if count.lower is not None and count.lower_exclusive:
        g.add((dimension, CRM.P2_has_type, vocab.type("dimension", "lower-exclusive")))
    if count.upper is not None and count.upper_exclusive:
        g.add((dimension, CRM.P2_has_type, vocab.type("dimension", "upper-exclusive")))

    if unit_slug in DURATION_UNITS:
        attribute = vocab.type("attribute", "duration")
    elif kind == "group" and unit_slug in MEMBER_UNITS:
        attribute = vocab.type("attribute", "member-count")
    else:
        attribute = vocab.type("attribute", "count")
    add_node(
        g,
        node,
        CRM.E13_Attribute_Assignment,
        f"{subject_label}{counted}: {_dimension_label(count)}",
    )
    g.add((node, CRM.P140_assigned_attribute_to, target))
    g.add((node, CRM.P141_assigned, dimension))
    g.add((node, CRM.P177_assigned_property_of_type, attribute))
    g.add((node, CRM.P2_has_type, attribute))  # P177 is a sub-property of P2: stated, not inferred
    g.add((node, CRM.P14_carried_out_by, ctx.author))
    g.add((ctx.doc, CRM.P70_documents, node))
    return node


def add_claims(ctx: Context) -> None:
    """Events, plans, counts and dates, each annotated at the span it was read from."""
    links = ctx.links_by_span()
    mentions = ctx.resolution.mentions
    dates = {m.span: m for m in mentions if m.kind == "date"}
    events_by_span: dict[Span, Event] = {}
    dated: dict[Span, list[URIRef]] = {}
    done: set[str] = set()
    for event in ctx.resolution.events:
        events_by_span.setdefault(event.mention.span, event)
        if event.uri in done:  # the same event reported again: one description, more annotations
            annotate_mention(ctx, event.mention, URIRef(event.uri))
            continue
        done.add(event.uri)
        timespan = _add_event(ctx, event, links, dates)
        if timespan is not None:
            dated.setdefault(timespan[0], []).append(timespan[1])
        annotate_mention(ctx, event.mention, URIRef(event.uri))
        ctx.catalogue.add((ctx.text, CRM.P67_refers_to, URIRef(event.uri)))

    for mention in mentions:
        if mention.kind == "count":
            node = _add_count(ctx, mention, links, events_by_span)
            if node is not None:
                annotate_mention(ctx, mention, node)
        elif mention.kind == "date":
            timespans = dated.get(mention.span) or [
                _timespan(ctx, ctx.part("date", f"{mention.start}-{mention.end}"), mention)
            ]
            for timespan in timespans:
                annotate_mention(ctx, mention, timespan)


def add_belief(ctx: Context, claims_graph: URIRef) -> None:
    """The claims graph as a proposition set the author holds true, via an argumentation the
    report documents (CRMinf); written to the catalogue graph."""
    g = ctx.catalogue
    add_node(g, claims_graph, CRMINF.I4_Proposition_Set, f"Claims of “{ctx.title}”")
    argumentation = ctx.part("argumentation")
    belief = ctx.part("belief")
    add_node(g, argumentation, CRMINF.I1_Argumentation, f"Argumentation of “{ctx.title}”")
    g.add((argumentation, CRM.P14_carried_out_by, ctx.author))
    g.add((argumentation, CRMINF.J2_concluded_that, belief))
    g.add((argumentation, CRM.P2_has_type, ctx.vocab.type("activity", "reporting")))
    g.add((ctx.doc, CRM.P70_documents, argumentation))
    add_node(g, belief, CRMINF.I2_Belief, f"The author's belief in the claims of “{ctx.title}”")
    g.add((belief, CRMINF.J4_that, claims_graph))
    g.add((belief, CRMINF.J5_holds_to_be, Literal("true")))
