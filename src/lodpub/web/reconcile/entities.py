"""The things other archives reconcile against: persons, groups, places and events of a snapshot.

Each is read with every name it holds (its `rdfs:label`s and the `P190_has_symbolic_content` of
every `P1_is_identified_by` appellation), a description that tells it from its namesakes, and
the links the reconciliation properties compare (membership, containment, place, participants,
identifiers elsewhere). Document parts (`{base}/id/document/...`) are left out: a count's
unnamed collective or a funding activity is part of a record, not an authority entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from lodpub.vocab import CRM, DCTERMS, RDFS, SKOS
from lodpub.web.entity import FALLS_WITHIN, IDENTIFIED_BY, MEMBER, NOTE
from lodpub.web.event import PARTICIPANT_LINKS, PLACE_LINKS, when
from lodpub.web.graph_view import CONTENT, LABEL, REVIEWED, TYPE, GraphView, node
from lodpub.web.refs import kind_of

COMMENT = ox.NamedNode(str(RDFS.comment))
REPLACES = ox.NamedNode(str(DCTERMS.replaces))
EXTERNAL = (ox.NamedNode(str(SKOS.exactMatch)), ox.NamedNode(str(SKOS.closeMatch)))


@dataclass(frozen=True)
class Kind:
    """A reconciliation type: one of our entity kinds, identified by its CRM class."""

    name: str  # person, group, place, event
    iri: str
    label: str
    description: str


KINDS = {
    kind.name: kind
    for kind in (
        Kind("person", str(CRM.E21_Person), "Person", "A person (CIDOC-CRM E21 Person)"),
        Kind("group", str(CRM.E74_Group), "Group", "A party, organ, army or other group (E74)"),
        Kind("place", str(CRM.E53_Place), "Place", "A country, zone, province or city (E53)"),
        Kind("event", str(CRM.E5_Event), "Event", "An event or planned event (E5 and below)"),
    )
}


@dataclass(frozen=True)
class Property:
    """A property reconciliation queries may constrain, and which kinds have it."""

    id: str
    name: str
    description: str
    kinds: tuple[str, ...]


PROPERTIES = {
    prop.id: prop
    for prop in (
        Property(
            "member_of",
            "member of",
            "A group the person or group is or was a member of (P107 read backwards), "
            "or a group that group belongs to",
            ("person", "group"),
        ),
        Property(
            "has_member",
            "has member",
            "A person or group that is or was a member of the group (P107)",
            ("group",),
        ),
        Property(
            "falls_within",
            "falls within",
            "A place the place lies within (P89), directly or further up",
            ("place",),
        ),
        Property(
            "took_place_at",
            "took place at",
            "A place where the event happened (P7), or a place containing it",
            ("event",),
        ),
        Property(
            "participant",
            "participant",
            "A person or group that took part in or carried out the event (P11, P14, ...)",
            ("event",),
        ),
        Property(
            "external_id",
            "identifier elsewhere",
            "An identifier in another authority (skos:exactMatch or closeMatch): the IRI, "
            "or its last segment such as the Wikidata id Q855",
            tuple(KINDS),
        ),
    )
}
# Properties whose values are followed upwards: a member of the Central Committee is a member
# of the party; a city in a zone lies in the country.
TRANSITIVE = {"member_of": "member_of", "falls_within": "falls_within"}


@dataclass(frozen=True)
class Entity:
    """One thing to reconcile against, as the matcher and the preview card need it."""

    iri: str
    kind: str
    label: str
    names: tuple[str, ...]  # the label first
    description: str
    classes: frozenset[str]
    reviewed: bool | None  # None when the data does not say
    links: dict[str, tuple[str, ...]] = field(default_factory=dict)  # property id -> IRIs
    replaces: tuple[str, ...] = ()


def read_entities(view: GraphView) -> list[Entity]:
    """Every person, group, place and event the snapshot describes, in IRI order."""
    documents = view.addresses.thing("document/")
    seen: set[str] = set()
    for triple in _typed(view):
        subject = triple.subject
        if (
            isinstance(subject, ox.NamedNode)
            and view.addresses.split(subject.value)
            and not subject.value.startswith(documents)
        ):
            seen.add(subject.value)
    found = []
    for iri in sorted(seen):
        kind = kind_of(view, iri)
        if kind in KINDS:
            found.append(_entity(view, iri, kind))
    return found


def _typed(view: GraphView) -> Iterator[ox.Triple]:
    """The rdf:type statements of the classes an entity may have (CRM E21, E74, E53, E4 and
    their subclasses, and E29 for plans): not every annotation and selector of the store."""
    vocabulary = view.vocabulary
    roots = {kind.iri for kind in KINDS.values()} | {str(CRM.E4_Period)}
    classes = {str(CRM.E29_Design_or_Procedure)} | roots
    classes |= {c for c in vocabulary.parents if vocabulary.superclasses(c) & roots}
    for iri in sorted(classes):
        yield from view.triples(None, TYPE, node(iri))


def _entity(view: GraphView, iri: str, kind: str) -> Entity:
    subject = node(iri)
    label = view.label(iri)
    names = [label]
    names += [o.value for o in view.objects(subject, LABEL) if isinstance(o, ox.Literal)]
    for appellation in view.objects(subject, IDENTIFIED_BY):
        if isinstance(appellation, ox.NamedNode):
            names += [
                o.value for o in view.objects(appellation, CONTENT) if isinstance(o, ox.Literal)
            ]
    reviewed = view.value(subject, REVIEWED)
    return Entity(
        iri=iri,
        kind=kind,
        label=label,
        names=tuple(dict.fromkeys(n.strip() for n in names if n.strip())),
        description=_description(view, subject, kind),
        classes=frozenset(view.types(iri)),
        reviewed=reviewed.value == "true" if isinstance(reviewed, ox.Literal) else None,
        links=_links(view, subject),
        replaces=_iris(view.objects(subject, REPLACES)),
    )


def _description(view: GraphView, subject: ox.NamedNode, kind: str) -> str:
    for predicate in (NOTE, COMMENT):
        text = view.text(subject, predicate)
        if text:
            return text
    if kind != "event":
        return ""
    # Events carry no note: their kind, date and places tell namesakes apart.
    parts = list(view.kinds(subject.value))
    dated = when(view, subject.value)
    if dated is not None:
        parts.append(dated.label)
    for predicate in PLACE_LINKS:
        parts += [view.label(p) for p in view.objects(subject, predicate)]
    return ", ".join(dict.fromkeys(p for p in parts if p))


def _links(view: GraphView, subject: ox.NamedNode) -> dict[str, tuple[str, ...]]:
    links = {
        "member_of": _iris(view.subjects(MEMBER, subject)),
        "has_member": _iris(view.objects(subject, MEMBER)),
        "falls_within": _iris(view.objects(subject, FALLS_WITHIN)),
        "took_place_at": _iris(o for p in PLACE_LINKS for o in view.objects(subject, p)),
        "participant": _iris(o for p in PARTICIPANT_LINKS for o in view.objects(subject, p)),
        "external_id": _iris(o for p in EXTERNAL for o in view.objects(subject, p)),
    }
    return {name: iris for name, iris in links.items() if iris}


def _iris(terms: object) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.value for t in terms if isinstance(t, ox.NamedNode)))
