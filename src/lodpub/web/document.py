"""The document page: its catalogue record, summary, and full text with every mention linked.

Read through the model's paths (docs/model.md): the document's title (P102), its writing
(P94 ← E65, P4), identifiers (P1) and their parts (P106), the carrier (P128 ←) and its keeper
(P50), the texts (P73 translation or P165 own text) with their creation (translator, PC14
roles), funding (P20 → the translation's creation), the publication (P165 ←) with its record
id, upload date and rights, and every statement about these (P129 ←: summary, notes).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from markupsafe import Markup, escape

from lodpub.vocab import CRM, LPT
from lodpub.web.describe import Description
from lodpub.web.graph_view import CONTENT, GraphView, node
from lodpub.web.mentions import TEXT_OF, AnnotatedText, Mention, annotated_text
from lodpub.web.refs import Ref, kind_of, ref
from lodpub.web.render import local


def _p(name: str) -> ox.NamedNode:
    return ox.NamedNode(str(CRM[name]))


TITLE = _p("P102_has_title")
CREATED = _p("P94_has_created")
TIME_SPAN = _p("P4_has_time-span")
IDENTIFIED_BY = _p("P1_is_identified_by")
COMPOSED_OF = _p("P106_is_composed_of")
CARRIES = _p("P128_carries")
KEEPER = _p("P50_has_current_keeper")
HOLDING_PART = _p("P46_is_composed_of")
CARRIED_OUT_BY = _p("P14_carried_out_by")
PURPOSE = _p("P20_had_specific_purpose")
ABOUT = _p("P129_is_about")
LANGUAGE = _p("P72_has_language")
HAS_TYPE = _p("P2_has_type")
DOMAIN, RANGE = _p("P01_has_domain"), _p("P02_has_range")
ROLE = ox.NamedNode(str(CRM["P14.1_in_the_role_of"]))
NOTE_TYPES = str(LPT) + "note/"
STATEMENT = str(LPT) + "statement/"
KIND_TITLES = {
    "person": "People",
    "group": "Groups",
    "place": "Places",
    "event": "Events",
    "date": "Dates",
}


@dataclass
class Field:
    """One line of the metadata block: a label and its values (text or references)."""

    label: str
    values: list[Ref | str]
    parts: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Note:
    label: str
    content: str
    anchor: str | None


@dataclass
class ShownText:
    ref: Ref
    lang: str | None  # BCP 47 code for the `lang` attribute
    html: Markup
    mentions: int


def context(view: GraphView, description: Description) -> dict[str, Any]:
    doc = node(description.iri)
    texts = [
        t
        for predicate in TEXT_OF
        for t in view.objects(doc, predicate)
        if isinstance(t, ox.NamedNode) and view.text(t, CONTENT) is not None
    ]
    annotated = [a for a in (annotated_text(view, t.value) for t in texts) if a is not None]
    fields, summary, notes = _catalogue(view, doc, texts)
    shown = []
    counts: Counter[str] = Counter()
    first_anchor: dict[str, str] = {}
    for text in annotated:
        notes += _notes(view, text)
        shown.append(
            ShownText(
                ref(view, text.iri),
                _language(view, text.iri),
                mark_text(view, text),
                len(text.mentions),
            )
        )
        for mention in text.mentions:
            for body in mention.bodies:
                counts[body] += 1
                first_anchor.setdefault(body, mention.anchor)
    side: dict[str, list[tuple[Ref, int, str]]] = {}
    for body, count in counts.items():
        kind = _mention_kind(view, body)
        if kind in KIND_TITLES:
            side.setdefault(kind, []).append((ref(view, body), count, first_anchor[body]))
    entities = [
        (KIND_TITLES[kind], sorted(side[kind], key=lambda e: e[0].label.lower()))
        for kind in KIND_TITLES
        if kind in side
    ]
    claims = description.iri + "/claims"
    return {
        "fields": fields,
        "summary": summary,
        "notes": notes,
        "texts": shown,
        "entities": entities,
        "claims_href": local(view.addresses.page_path(claims)) if view.is_graph(claims) else None,
    }


def _catalogue(
    view: GraphView, doc: ox.NamedNode, texts: list[ox.NamedNode]
) -> tuple[list[Field], list[str], list[Note]]:
    fields: list[Field] = []
    titles = [view.label(t) for t in view.objects(doc, TITLE) if not isinstance(t, ox.Literal)]
    if titles:
        fields.append(Field("Title", titles))
    dates = _dates_of_creation(view, doc)
    if dates:
        fields.append(Field("Date", dates))
    for identifier in view.objects(doc, IDENTIFIED_BY):
        if isinstance(identifier, ox.Literal):
            continue
        parts = []
        for part in view.objects(identifier, COMPOSED_OF):
            if isinstance(part, ox.Literal):
                continue
            kind = _type_label(view, part) or "part"
            parts.append((kind, view.text(part, CONTENT) or view.label(part)))
        label = _type_label(view, identifier) or "Identifier"
        text = view.text(identifier, CONTENT) or view.label(identifier)
        # Parts in the order they are cited (archive, fond, opis, ...), unknown ones last.
        parts.sort(key=lambda part: (text.find(part[1]) % (len(text) + 1), part[0]))
        fields.append(Field(label[:1].upper() + label[1:], [text], parts))
    for carrier in view.subjects(CARRIES, doc):
        keepers = [
            ref(view, k) for k in view.objects(carrier, KEEPER) if not isinstance(k, ox.Literal)
        ]
        if keepers:
            fields.append(Field("Held by", keepers))
        holdings = _holdings(view, carrier)
        if holdings:
            fields.append(Field("In", holdings))
    publications = []
    statements_about = [doc, *texts]
    for text in texts:
        fields += _translation_fields(view, text)
        for publication in view.subjects(_p("P165_incorporates"), text):
            if publication != doc and isinstance(publication, ox.NamedNode):
                publications.append(publication)
    for publication in dict.fromkeys(publications):
        statements_about.append(publication)
        for identifier in view.objects(publication, IDENTIFIED_BY):
            if not isinstance(identifier, ox.Literal):
                label = _type_label(view, identifier) or "Identifier"
                content = view.text(identifier, CONTENT)
                if content:
                    fields.append(Field(label[:1].upper() + label[1:], [content]))
        uploaded = _dates_of_creation(view, publication)
        if uploaded:
            fields.append(Field("Published online", uploaded))
        for creation in view.subjects(CREATED, publication):
            publishers = [ref(view, a) for a in view.objects(creation, CARRIED_OUT_BY)]
            if publishers:
                fields.append(Field("Publisher", publishers))
    summary: list[str] = []
    notes: list[Note] = []
    for subject in statements_about:
        for statement in view.subjects(ABOUT, subject):
            content = view.text(statement, CONTENT)
            if not content or not isinstance(statement, ox.NamedNode):
                continue
            types = [
                t.value for t in view.objects(statement, HAS_TYPE) if isinstance(t, ox.NamedNode)
            ]
            if STATEMENT + "summary" in types:
                summary.append(content)
            elif STATEMENT + "rights" in types:
                fields.append(Field("Rights", [content]))
            elif any(t.startswith(NOTE_TYPES) for t in types):
                continue  # shown in the text, where it stands
            else:
                fields.append(Field(_type_label(view, statement) or "Statement", [content]))
    return fields, summary, notes


def _translation_fields(view: GraphView, text: ox.NamedNode) -> list[Field]:
    fields = []
    languages = [view.label(lang) for lang in view.objects(text, LANGUAGE)]
    for creation in view.subjects(CREATED, text):
        roles: dict[str, list[Ref]] = {}
        for typed in view.subjects(DOMAIN, creation):
            role = view.value(typed, ROLE)
            for agent in view.objects(typed, RANGE):
                if role is not None and not isinstance(agent, ox.Literal):
                    roles.setdefault(view.label(role), []).append(ref(view, agent))
        named = {r.iri for refs in roles.values() for r in refs}
        for role, agents in roles.items():
            fields.append(Field(role[:1].upper() + role[1:], agents))
        others = [
            ref(view, a)
            for a in view.objects(creation, CARRIED_OUT_BY)
            if not isinstance(a, ox.Literal) and a.value not in named
        ]
        if others:
            fields.append(Field("Made by", others))
        for funding in view.subjects(PURPOSE, creation):
            funders = [ref(view, a) for a in view.objects(funding, CARRIED_OUT_BY)]
            if funders:
                fields.append(Field("Funded by", funders))
            for credit in view.subjects(ABOUT, funding):
                content = view.text(credit, CONTENT)
                if content:
                    fields.append(Field("Credit line", [content]))
    if languages:
        fields.insert(0, Field("Text language", languages))
    return fields


def _dates_of_creation(view: GraphView, thing: ox.NamedNode) -> list[str]:
    dates = []
    for creation in view.subjects(CREATED, thing):
        for span in view.objects(creation, TIME_SPAN):
            dates.append(view.label(span))
    return dates


def _holdings(view: GraphView, carrier: ox.NamedNode | ox.BlankNode) -> list[Ref]:
    """The archival units above the carrier, outermost first (fond › opis › delo)."""
    chain: list[Ref] = []
    current = carrier
    seen = {carrier}
    while True:
        parents = [p for p in view.subjects(HOLDING_PART, current) if p not in seen]
        if not parents:
            break
        current = parents[0]
        seen.add(current)
        chain.append(ref(view, current))
    return list(reversed(chain))


def _type_label(
    view: GraphView, thing: ox.NamedNode | ox.BlankNode, prefer: str = str(LPT)
) -> str | None:
    """The label of the thing's local type, one under `prefer` if it has one."""
    local = [
        k
        for k in view.objects(thing, HAS_TYPE)
        if isinstance(k, ox.NamedNode) and k.value.startswith(str(LPT))
    ]
    local.sort(key=lambda k: not k.value.startswith(prefer))
    return view.label(local[0]) if local else None


def _language(view: GraphView, text: str) -> str | None:
    """The language code of a text: the last segment of its language type's IRI."""
    language = view.value(node(text), LANGUAGE)
    if not isinstance(language, ox.NamedNode):
        return None
    code = language.value.rstrip("/").rsplit("/", 1)[-1]
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


def _mention_kind(view: GraphView, body: str) -> str:
    kind = kind_of(view, body)
    if kind:
        return kind
    types = set(view.types(body))
    if str(CRM["E52_Time-Span"]) in types:
        return "date"
    if str(CRM.E13_Attribute_Assignment) in types:
        return "count"
    for t in view.objects(node(body), HAS_TYPE):
        if isinstance(t, ox.NamedNode) and t.value.startswith(NOTE_TYPES):
            return "note"
    return "other"


def _notes(view: GraphView, text: AnnotatedText) -> list[Note]:
    notes = []
    for mention in text.mentions:
        for body in mention.bodies:
            if _mention_kind(view, body) != "note":
                continue
            notes.append(
                Note(
                    _type_label(view, node(body), NOTE_TYPES) or "note",
                    view.text(node(body), CONTENT) or view.label(body),
                    mention.anchor,
                )
            )
    return notes


def mark_text(view: GraphView, text: AnnotatedText) -> Markup:
    """The text as HTML: each mention a `<span class="mention KIND" id="m-S-E">`, its words
    linked to what it identifies (the innermost mention where mentions nest)."""
    content, mentions = text.content, text.mentions
    points = sorted({0, len(content), *(m.start for m in mentions), *(m.end for m in mentions)})
    out: list[str] = []
    open_stack: list[Mention] = []
    active: list[Mention] = []
    anchors: set[str] = set()
    index = 0
    for a, b in zip(points, points[1:], strict=False):
        while index < len(mentions) and mentions[index].start <= a:
            active.append(mentions[index])
            index += 1
        active = [m for m in active if m.end > a]
        wanted = active  # kept in reading order: outer mentions first
        keep = 0
        while keep < min(len(open_stack), len(wanted)) and open_stack[keep] is wanted[keep]:
            keep += 1
        out.extend("</span>" for _ in open_stack[keep:])
        for mention in wanted[keep:]:
            out.append(_open(view, mention, anchors))
        piece = escape(content[a:b])
        if wanted:
            inner = wanted[-1]
            body = inner.bodies[0]
            target = ref(view, body)
            title = "; ".join(view.label(x) for x in inner.bodies)
            out.append(
                f'<a href="{escape(target.href)}" title="{escape(title)}">{piece}</a>'
                if target.href and not target.external
                else str(piece)
            )
        else:
            out.append(str(piece))
        open_stack = list(wanted)
    out.extend("</span>" for _ in open_stack)
    return Markup("".join(out))


def _open(view: GraphView, mention: Mention, anchors: set[str]) -> str:
    kind = _mention_kind(view, mention.bodies[0])
    attributes = f'class="mention {kind}"'
    if mention.anchor not in anchors:
        anchors.add(mention.anchor)
        attributes += f' id="{mention.anchor}"'
    return f'<span {attributes} data-kind="{kind}">'
