"""How pages point at things: a labelled reference for every IRI, a display form for literals.

A reference to a resource this server describes links to its local page; any other IRI links
out to itself. Templates escape every label and value; nothing here builds HTML.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from lodpub.vocab import CRM, LPT
from lodpub.web.graph_view import GraphView, node
from lodpub.web.render import local

PERSON, GROUP, PLACE = str(CRM.E21_Person), str(CRM.E74_Group), str(CRM.E53_Place)
DOCUMENT, PERIOD = str(CRM.E31_Document), str(CRM.E4_Period)
ASSIGNMENT = str(CRM.E13_Attribute_Assignment)
HAS_TYPE = ox.NamedNode(str(CRM.P2_has_type))
EVENT_TYPES = str(LPT) + "event/"
XSD = "http://www.w3.org/2001/XMLSchema#"
LONG_TEXT = 280


@dataclass(frozen=True)
class Ref:
    """A labelled link to a resource; `kind` is person/group/place/document/event or None."""

    iri: str
    label: str
    href: str
    external: bool
    kind: str | None = None


@dataclass(frozen=True)
class Text:
    """A literal as shown: its text, and its language or datatype in words."""

    text: str
    note: str | None = None

    @property
    def long(self) -> bool:
        return len(self.text) > LONG_TEXT

    @property
    def short(self) -> str:
        return self.text[: LONG_TEXT - 40].rstrip() + "…"


def ref(view: GraphView, term: ox.NamedNode | ox.BlankNode | str) -> Ref:
    iri = term if isinstance(term, str) else term.value
    if isinstance(term, ox.BlankNode):
        return Ref(f"_:{iri}", view.label(term), "", False)
    path = view.addresses.page_path(iri)
    if path is not None:
        return Ref(iri, view.label(iri), local(path), False, kind_of(view, iri))
    return Ref(iri, view.label(iri), iri, True)


def value(view: GraphView, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Ref | Text:
    if not isinstance(term, ox.Literal):
        return ref(view, term)
    if term.language:
        return Text(term.value, term.language)
    datatype = term.datatype.value
    if datatype == XSD + "string":
        return Text(term.value)
    return Text(term.value, datatype.removeprefix(XSD))


def kind_of(view: GraphView, iri: str) -> str | None:
    """person, group, place, document, event, or None for any other resource."""
    return view.remember(("kind", iri), lambda: _kind(view, iri))


def _kind(view: GraphView, iri: str) -> str | None:
    types = view.types(iri)
    vocabulary = view.vocabulary
    if vocabulary.is_a(types, PERSON):
        return "person"
    if vocabulary.is_a(types, GROUP):
        return "group"
    if vocabulary.is_a(types, PLACE):
        return "place"
    if DOCUMENT in types and _is_thing(view, iri, "document"):
        return "document"
    if ASSIGNMENT in types:
        return None  # a claim (a count, a role), not an event a reader would look for
    if vocabulary.is_a(types, PERIOD):
        return "event"
    for kind in view.objects(node(iri), HAS_TYPE):
        if isinstance(kind, ox.NamedNode) and kind.value.startswith(EVENT_TYPES):
            return "event"
    return None


def _is_thing(view: GraphView, iri: str, kind: str) -> bool:
    """True for `{base}/id/{kind}/{slug}` itself, not one of its sub-resources."""
    target = view.addresses.split(iri)
    return target is not None and target.rest.startswith(kind + "/") and target.rest.count("/") == 1
