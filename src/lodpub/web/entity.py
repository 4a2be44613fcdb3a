"""Person, group and place pages: names, passages, co-mentions, memberships, events, links out.

Passages are the entity's incoming `oa:hasBody` links on the current page of its description
(so a hub is paged like its data). Co-mentions count the paragraphs where another person,
group, place or event is mentioned too; for an entity mentioned more than
PARAGRAPH_MENTIONS_MAX times, the texts. Long lists (co-mentions, events, roles, introducing
documents) show their first items and say how many there are.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import islice
from typing import Any
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox

from lodpub.vocab import CRM, DCTERMS, LP, OA, OWL, SKOS
from lodpub.web import network
from lodpub.web.describe import Description
from lodpub.web.event import HAS_BODY, Dated, Passage, dated, passage_view
from lodpub.web.graph_view import CONTENT, DEFAULT, REVIEWED, GraphView, node
from lodpub.web.mentions import annotated_text, mention_of, mentions_of
from lodpub.web.refs import Ref, kind_of, ref
from lodpub.web.render import local

IDENTIFIED_BY = ox.NamedNode(str(CRM.P1_is_identified_by))
HAS_TYPE = ox.NamedNode(str(CRM.P2_has_type))
NOTE = ox.NamedNode(str(CRM.P3_has_note))
MEMBER = ox.NamedNode(str(CRM.P107_has_current_or_former_member))
FALLS_WITHIN = ox.NamedNode(str(CRM.P89_falls_within))
DOMAIN = ox.NamedNode(str(CRM.P01_has_domain))
RANGE = ox.NamedNode(str(CRM.P02_has_range))
ROLE_PROPERTIES = tuple(
    ox.NamedNode(str(CRM[name]))
    for name in (
        "P14.1_in_the_role_of",
        "P107.1_kind_of_member",
        "P144.1_kind_of_member",
        "P67.1_has_type",
        "P02_has_range",
    )
)
RECOGNIZER = ox.NamedNode(str(LP.recognizer))
REPLACES = ox.NamedNode(str(DCTERMS.replaces))
MATCHES = (
    (ox.NamedNode(str(SKOS.exactMatch)), "same as"),
    (ox.NamedNode(str(SKOS.closeMatch)), "close to"),
    (ox.NamedNode(str(OWL.sameAs)), "same as"),
    (ox.NamedNode("https://linked.art/ns/terms/equivalent"), "same as"),
)
CO_MENTIONED = ("person", "group", "place", "event")
NETWORK_SIZE = 12
# Co-mentions listed beside the passages, most shared first; the rest are counted.
CO_LIST = 100
# An entity with more mentions than this has what is mentioned with it counted by texts shared,
# in one query: by paragraphs, its page would read every mention of each of its texts (at 10k
# records a hub's 4,700 texts hold 180,000 mentions, seconds of index look-ups).
PARAGRAPH_MENTIONS_MAX = 40
_IN_TEXTS = f"""PREFIX crm: <{CRM}>
SELECT ?other (COUNT(?text) AS ?texts) WHERE {{
  ?text crm:P67_refers_to $entity ; a crm:E33_Linguistic_Object ; crm:P67_refers_to ?other .
  FILTER(?other != $entity)
}}
GROUP BY ?other ORDER BY DESC(?texts)"""
# Ordering ties by IRI too would make the engine spell out every IRI: seconds for a hub.
_MOST_IN_TEXTS = _IN_TEXTS + " LIMIT $limit"
_COUNT_IN_TEXTS = f"""PREFIX crm: <{CRM}>
SELECT (COUNT(*) AS ?n) WHERE {{ {{ SELECT ?other WHERE {{
  ?text crm:P67_refers_to $entity ; a crm:E33_Linguistic_Object ; crm:P67_refers_to ?other .
  FILTER(?other != $entity)
}} GROUP BY ?other }} }}"""
_SOURCES = f"""SELECT DISTINCT ?source WHERE {{
  ?source ?link $entity .
  FILTER(isIRI(?source) && ?link != <{OA.hasBody}>)
  FILTER NOT EXISTS {{ ?source a <{CRM.E33_Linguistic_Object}> }}
}}"""
_BEGINS = f"""PREFIX crm: <{CRM}>
SELECT ?event ?begin ?planned WHERE {{
  VALUES ?event {{ $events }}
  OPTIONAL {{ ?event crm:P4_has_time-span/crm:P82a_begin_of_the_begin ?begin }}
  OPTIONAL {{
    ?event crm:P67_refers_to ?span .
    ?span a crm:E52_Time-Span ; crm:P82a_begin_of_the_begin ?planned
  }}
}}"""
# Events, roles and introducing documents listed on an entity page; the rest are counted.
LIST_MAX = 100
INTRODUCED_LIST = 20
KNOWN_HOSTS = {
    "www.wikidata.org": "Wikidata",
    "viaf.org": "VIAF",
    "id.loc.gov": "Library of Congress",
    "d-nb.info": "GND",
    "sws.geonames.org": "GeoNames",
    "vocab.getty.edu": "Getty",
}


@dataclass(frozen=True)
class CoMentions:
    """The things most often mentioned with an entity (at most CO_LIST, most shared first),
    how many there are in all, and what is shared: "paragraph" or "text"."""

    ranked: list[tuple[str, int]]
    total: int
    unit: str


@dataclass(frozen=True)
class Name:
    text: str
    kinds: list[str]
    primary: bool


@dataclass(frozen=True)
class Role:
    role: str
    of: Ref


@dataclass(frozen=True)
class ExternalLink:
    href: str
    source: str
    identifier: str
    relation: str


def context(view: GraphView, description: Description) -> dict[str, Any]:
    entity = node(description.iri)
    passages = _passages(view, description)
    co = co_mentioned(view, description.iri)
    neighbours = [(ref(view, iri), count) for iri, count in co.ranked]
    member_of = [ref(view, g) for g in view.subjects(MEMBER, entity)]
    members = [ref(view, m) for m in view.objects(entity, MEMBER) if not isinstance(m, ox.Literal)]
    introduced_by, introduced_more = _introduced_by(view, entity)
    roles, roles_total = _roles(view, entity)
    events, events_total = _events(view, description.iri)
    return {
        "names": _names(view, entity),
        "notes": [n.value for n in view.objects(entity, NOTE) if isinstance(n, ox.Literal)],
        "reviewed": _reviewed(view, entity),
        "introduced_by": introduced_by,
        "introduced_more": introduced_more,
        "external": _external(view, entity),
        "passages": passages,
        "passage_count": description.incoming_counts.get(HAS_BODY.value, 0),
        "co_mentioned": neighbours,
        "co_mentioned_total": co.total,
        "co_unit": co.unit,
        "co_query": _co_mention_query(description.iri) if co.total > len(co.ranked) else None,
        "network": network.svg(ref(view, description.iri), neighbours[:NETWORK_SIZE]),
        "member_of": member_of,
        "members": members,
        "roles": roles,
        "roles_total": roles_total,
        "roles_shown": min(roles_total, LIST_MAX),
        "within": [
            ref(view, p)
            for p in view.objects(entity, FALLS_WITHIN)
            if not isinstance(p, ox.Literal)
        ],
        "contains": [ref(view, p) for p in view.subjects(FALLS_WITHIN, entity)],
        "events": events,
        "events_total": events_total,
        "replaces": [o.value for o in view.objects(entity, REPLACES)],
    }


def _names(view: GraphView, entity: ox.NamedNode) -> list[Name]:
    names = []
    for appellation in view.objects(entity, IDENTIFIED_BY):
        if isinstance(appellation, ox.Literal):
            names.append(Name(appellation.value, [], False))
            continue
        text = view.text(appellation, CONTENT) or view.label(appellation)
        kinds = list(dict.fromkeys(view.label(k) for k in view.objects(appellation, HAS_TYPE)))
        primary = appellation.value.endswith("/name/primary") or any("primary" in k for k in kinds)
        names.append(Name(text, [k for k in kinds if not k.startswith("aat:")], primary))
    return sorted(names, key=lambda n: (not n.primary, n.text.lower()))


def _reviewed(view: GraphView, entity: ox.NamedNode) -> bool | None:
    values = {o.value for o in view.objects(entity, REVIEWED) if isinstance(o, ox.Literal)}
    if "true" in values:
        return True
    return False if "false" in values else None


def _introduced_by(view: GraphView, entity: ox.NamedNode) -> tuple[list[Ref], int]:
    """The first INTRODUCED_LIST documents whose catalogue graphs hold an unreviewed entity's
    description, and how many more graphs hold it."""
    documents = list(
        dict.fromkeys(
            quad.graph_name.value.rsplit("/", 1)[0]
            for quad in view.quads(entity, REVIEWED, None)
            if quad.object.value == "false"
        )
    )
    found: list[Ref] = []
    looked = 0
    for document in documents:
        if len(found) == INTRODUCED_LIST:
            break
        looked += 1
        if kind_of(view, document) == "document":
            found.append(ref(view, document))
    return found, len(documents) - looked


def _external(view: GraphView, entity: ox.NamedNode) -> list[ExternalLink]:
    links = []
    for predicate, relation in MATCHES:
        for target in view.objects(entity, predicate):
            if not isinstance(target, ox.NamedNode):
                continue
            parts = urlsplit(target.value)
            source = KNOWN_HOSTS.get(parts.netloc, parts.netloc)
            identifier = parts.path.rstrip("/").rsplit("/", 1)[-1] or target.value
            links.append(ExternalLink(target.value, source, identifier, relation))
    return links


def _roles(view: GraphView, entity: ox.NamedNode) -> tuple[list[Role], int]:
    """Typed relations (CRM PC classes) naming the entity as range: role and what it is in,
    for the first LIST_MAX of them; and how many there are."""
    relations = view.subjects(RANGE, entity)
    roles = []
    for typed in relations[:LIST_MAX]:
        role = None
        for predicate in ROLE_PROPERTIES[:-1]:
            value = view.value(typed, predicate)
            if value is not None:
                role = view.label(value)
                break
        for domain in view.objects(typed, DOMAIN):
            if not isinstance(domain, ox.Literal):
                roles.append(Role(role or view.label(typed), ref(view, domain)))
    return roles, len(relations)


def _passages(view: GraphView, description: Description) -> list[Passage]:
    annotations = [t.subject.value for t in description.incoming if t.predicate == HAS_BODY]
    found = mentions_of(view, annotations, description.iri)
    found.sort(key=lambda tm: (tm[0].document or tm[0].iri, tm[1].start))
    return [passage_view(view, text, mention) for text, mention in found]


def co_mentioned(view: GraphView, iri: str) -> CoMentions:
    """Other persons, groups, places and events mentioned with the entity, most shared first."""
    return view.memo(("co-mentioned", iri), lambda: _co_mentioned(view, iri))


def _co_mentioned(view: GraphView, iri: str) -> CoMentions:
    subject = node(iri)
    matches = view.store.quads_for_pattern(None, HAS_BODY, subject, DEFAULT)
    annotations = [q.subject for q in islice(matches, PARAGRAPH_MENTIONS_MAX + 1)]
    if len(annotations) > PARAGRAPH_MENTIONS_MAX:
        return _co_mentioned_in_texts(view, subject)
    ranked = _co_mentioned_in_paragraphs(view, iri, annotations)
    return CoMentions(ranked[:CO_LIST], len(ranked), "paragraph")


def _co_mentioned_in_paragraphs(
    view: GraphView, iri: str, annotations: list[ox.NamedNode | ox.BlankNode]
) -> list[tuple[str, int]]:
    paragraphs: set[tuple[str, int]] = set()
    for annotation in annotations:
        located = mention_of(view, annotation.value)
        if located is not None:
            text, mention = located
            paragraphs.add((text.iri, text.paragraph(mention.start)))
    counts: Counter[str] = Counter()
    for text_iri, paragraph in paragraphs:
        text = annotated_text(view, text_iri)
        others = {
            body
            for mention in text.mentions
            if text.paragraph(mention.start) == paragraph
            for body in mention.bodies
            if body != iri
        }
        for body in others:
            if kind_of(view, body) in CO_MENTIONED:
                counts[body] += 1
    return sorted(counts.items(), key=lambda item: (-item[1], view.label(item[0]).lower(), item[0]))


def _co_mentioned_in_texts(view: GraphView, entity: ox.NamedNode) -> CoMentions:
    """Counted by texts shared, in the engine: the texts' references (`P67_refers_to`) are
    derived from their mentions. Of equally shared ones at the cut, the engine picks."""
    asked = str(entity)
    most = _MOST_IN_TEXTS.replace("$entity", asked).replace("$limit", str(3 * CO_LIST))
    kept = []
    for row in view.store.query(most):
        if kind_of(view, row[0].value) in CO_MENTIONED:
            kept.append((row[0].value, int(row[1].value)))
            if len(kept) == CO_LIST:
                break
    kept.sort(key=lambda item: (-item[1], view.label(item[0]).lower(), item[0]))
    total = next(iter(view.store.query(_COUNT_IN_TEXTS.replace("$entity", asked))))[0]
    return CoMentions(kept, int(total.value), "text")


def related_events(view: GraphView, iri: str) -> list[str]:
    """Events linking to the entity by any property, directly or through a typed role."""
    subject = node(iri)
    events = []
    # Annotations (what has an oa:hasBody) and texts link to every entity they mention and are
    # never events: the engine leaves them out rather than each being looked at.
    for row in view.store.query(_SOURCES.replace("$entity", str(subject))):
        if kind_of(view, row[0].value) == "event":
            events.append(row[0].value)
    for typed in view.subjects(RANGE, subject):
        for domain in view.objects(typed, DOMAIN):
            if isinstance(domain, ox.NamedNode) and kind_of(view, domain.value) == "event":
                events.append(domain.value)
    return list(dict.fromkeys(events))


def _events(view: GraphView, iri: str) -> tuple[list[Dated], int]:
    """The first LIST_MAX events in date order, and how many there are."""
    events = related_events(view, iri)
    shown = _earliest(view, events)[:LIST_MAX] if len(events) > LIST_MAX else events
    return dated(view, shown), len(events)


def _earliest(view: GraphView, events: list[str]) -> list[str]:
    """Events by their begin (a plan's: of the time-span it refers to), undated last, of
    equally dated ones the first by IRI: one query."""
    begins: dict[str, str] = {}
    query = _BEGINS.replace("$events", " ".join(str(node(e)) for e in events))
    for row in view.store.query(query):
        begin = row[1] or row[2]
        if begin is not None:
            known = begins.get(row[0].value)
            begins[row[0].value] = begin.value if known is None else min(known, begin.value)
    return sorted(events, key=lambda e: (e not in begins, begins.get(e, ""), e))


def _co_mention_query(iri: str) -> str:
    """A link to the SPARQL page holding the question that counts every co-mention by text."""
    query = _IN_TEXTS.replace("$entity", str(node(iri)))
    return local("/sparql") + "?" + urlencode({"query": query})
