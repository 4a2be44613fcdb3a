"""Person, group and place pages: names, passages, co-mentions, memberships, events, links out.

Passages are the entity's incoming `oa:hasBody` links on the current page of its description
(so a hub is paged like its data). Co-mentions count, over all its mentions, the paragraphs
of documents where another person, group, place or event is mentioned too.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph as ox

from lodpub.vocab import CRM, DCTERMS, LP, OWL, SKOS
from lodpub.web import network
from lodpub.web.describe import Description
from lodpub.web.event import HAS_BODY, Passage, dated, passage_view
from lodpub.web.graph_view import CONTENT, REVIEWED, GraphView, node
from lodpub.web.mentions import annotated_text, mention_of
from lodpub.web.refs import Ref, kind_of, ref

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
KNOWN_HOSTS = {
    "www.wikidata.org": "Wikidata",
    "viaf.org": "VIAF",
    "id.loc.gov": "Library of Congress",
    "d-nb.info": "GND",
    "sws.geonames.org": "GeoNames",
    "vocab.getty.edu": "Getty",
}


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
    co_mentions = co_mentioned(view, description.iri)
    neighbours = [(ref(view, iri), count) for iri, count in co_mentions]
    member_of = [ref(view, g) for g in view.subjects(MEMBER, entity)]
    members = [ref(view, m) for m in view.objects(entity, MEMBER) if not isinstance(m, ox.Literal)]
    return {
        "names": _names(view, entity),
        "notes": [n.value for n in view.objects(entity, NOTE) if isinstance(n, ox.Literal)],
        "reviewed": _reviewed(view, entity),
        "introduced_by": _introduced_by(view, entity),
        "external": _external(view, entity),
        "passages": passages,
        "passage_count": description.incoming_counts.get(HAS_BODY.value, 0),
        "co_mentioned": neighbours,
        "network": network.svg(ref(view, description.iri), neighbours[:NETWORK_SIZE]),
        "member_of": member_of,
        "members": members,
        "roles": _roles(view, entity),
        "within": [
            ref(view, p)
            for p in view.objects(entity, FALLS_WITHIN)
            if not isinstance(p, ox.Literal)
        ],
        "contains": [ref(view, p) for p in view.subjects(FALLS_WITHIN, entity)],
        "events": dated(view, related_events(view, description.iri)),
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


def _introduced_by(view: GraphView, entity: ox.NamedNode) -> list[Ref]:
    """The documents whose catalogue graphs hold an unreviewed entity's description."""
    found = []
    for quad in view.quads(entity, REVIEWED, None):
        if quad.object.value != "false":
            continue
        document = quad.graph_name.value.rsplit("/", 1)[0]
        if kind_of(view, document) == "document":
            found.append(ref(view, document))
    return list(dict.fromkeys(found))


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


def _roles(view: GraphView, entity: ox.NamedNode) -> list[Role]:
    """Typed relations (CRM PC classes) naming the entity as range: role and what it is in."""
    roles = []
    for typed in view.subjects(RANGE, entity):
        role = None
        for predicate in ROLE_PROPERTIES[:-1]:
            value = view.value(typed, predicate)
            if value is not None:
                role = view.label(value)
                break
        for domain in view.objects(typed, DOMAIN):
            if not isinstance(domain, ox.Literal):
                roles.append(Role(role or view.label(typed), ref(view, domain)))
    return roles


def _passages(view: GraphView, description: Description) -> list[Passage]:
    found = []
    for triple in description.incoming:
        if triple.predicate != HAS_BODY:
            continue
        located = mention_of(view, triple.subject.value)
        if located is not None:
            found.append(located)
    found.sort(key=lambda tm: (tm[0].document or tm[0].iri, tm[1].start))
    return [passage_view(view, text, mention) for text, mention in found]


def co_mentioned(view: GraphView, iri: str) -> list[tuple[str, int]]:
    """Other persons, groups, places and events mentioned in the same paragraphs, most first."""
    return view.memo(("co-mentioned", iri), lambda: _co_mentioned(view, iri))


def _co_mentioned(view: GraphView, iri: str) -> list[tuple[str, int]]:
    paragraphs: set[tuple[str, int]] = set()
    for annotation in view.subjects(HAS_BODY, node(iri)):
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
    return sorted(counts.items(), key=lambda item: (-item[1], view.label(item[0]).lower()))


def related_events(view: GraphView, iri: str) -> list[str]:
    """Events linking to the entity by any property, directly or through a typed role."""
    subject = node(iri)
    events = []
    for triple in view.triples(None, None, subject):
        source = triple.subject
        if isinstance(source, ox.NamedNode) and kind_of(view, source.value) == "event":
            events.append(source.value)
    for typed in view.subjects(RANGE, subject):
        for domain in view.objects(typed, DOMAIN):
            if isinstance(domain, ox.NamedNode) and kind_of(view, domain.value) == "event":
                events.append(domain.value)
    return list(dict.fromkeys(events))
