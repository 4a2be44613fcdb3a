"""What the pages call classes and properties: labels from the CRM RDFS, lodpub.ttl and terms.toml.

Loaded once per process. Data labels (of persons, documents, ...) come from the store; this is
the vocabulary side: a property's label, the label of its inverse for incoming links, the
class hierarchy (which classes are events), and the JSON-LD keys.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from lodpub.model.vocabulary import VOCABULARY_PATH
from lodpub.vocab import CRM, PREFIXES

ONTOLOGY_DIR = VOCABULARY_PATH.parent
CRM_FILES = ("CIDOC_CRM_v7.1.1.rdf", "CIDOC_CRM_v7.1.1_PC.rdf")
TERMS_FILE = Path(__file__).parent / "data" / "terms.toml"

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
RDFS_RANGE = "http://www.w3.org/2000/01/rdf-schema#range"
RDFS_LITERAL = "http://www.w3.org/2000/01/rdf-schema#Literal"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
OWL_INVERSE = "http://www.w3.org/2002/07/owl#inverseOf"


@dataclass(frozen=True)
class Term:
    """One class or property as the pages and the JSON-LD context know it."""

    iri: str
    label: str | None = None
    inverse: str | None = None
    key: str | None = None
    coercion: str | None = None  # "@id" or a datatype IRI
    language: str | None = None  # JSON-LD: plain strings of this key have this language


@dataclass
class Vocabulary:
    """Every known term; `label`, `inverse_label` and `subclasses` answer for any IRI."""

    terms: dict[str, Term] = field(default_factory=dict)
    parents: dict[str, set[str]] = field(default_factory=dict)

    def label(self, iri: str) -> str:
        term = self.terms.get(iri)
        if term and term.label:
            return term.label
        return readable_local_name(iri)

    def known_label(self, iri: str) -> str | None:
        term = self.terms.get(iri)
        return term.label if term else None

    def inverse_label(self, iri: str) -> str:
        """How an incoming link by property `iri` reads from its object's side."""
        term = self.terms.get(iri)
        if term and term.inverse:
            return term.inverse
        label = self.label(iri)
        if label.startswith("has "):
            return f"is {label[4:]} of"
        if label.startswith("is ") and label.endswith(" of"):
            return "has " + label[3:-3]
        return f"← {label}"

    def superclasses(self, iri: str) -> set[str]:
        """`iri` and every class above it."""
        seen, todo = set(), [iri]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(self.parents.get(current, ()))
        return seen

    def is_a(self, classes: set[str] | list[str], ancestor: str) -> bool:
        return any(ancestor in self.superclasses(c) for c in classes)


def readable_local_name(iri: str) -> str:
    """A label made from an IRI's local name: `P82a_begin_of_the_begin` -> `begin of the begin`."""
    local = re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri
    local = re.sub(r"^(?:[A-Z]{1,2}\d+[a-z]?(?:\.\d+)?_)", "", local)
    local = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).replace("_", " ")
    return local.strip() or iri


def _expand(name: str) -> str:
    prefix, _, local = name.partition(":")
    namespace = PREFIXES.get(prefix)
    if namespace is None:
        raise ValueError(f"{TERMS_FILE}: unknown prefix in {name!r}")
    return str(namespace) + local


def _english(literals: list[ox.Literal]) -> str | None:
    for literal in literals:
        if literal.language == "en":
            return literal.value
    return literals[0].value if literals else None


def _camel(label: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in re.split(r"[^A-Za-z0-9]+", label))


def _snake(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


@cache
def vocabulary() -> Vocabulary:
    """The process-wide vocabulary (CRM RDFS, its PC module, lodpub.ttl, terms.toml)."""
    labels: dict[str, list[ox.Literal]] = {}
    inverses: dict[str, str] = {}
    ranges: dict[str, str] = {}
    parents: dict[str, set[str]] = {}
    crm_terms: set[str] = set()
    sources = [(ONTOLOGY_DIR / name, ox.RdfFormat.RDF_XML) for name in CRM_FILES]
    sources.append((VOCABULARY_PATH, ox.RdfFormat.TURTLE))
    for path, syntax in sources:
        for triple in ox.parse(path=str(path), format=syntax):
            subject, predicate, value = triple.subject, triple.predicate.value, triple.object
            if not isinstance(subject, ox.NamedNode):
                continue
            if subject.value.startswith(str(CRM)):
                crm_terms.add(subject.value)
            if predicate in (RDFS_LABEL, SKOS_PREF) and isinstance(value, ox.Literal):
                labels.setdefault(subject.value, []).append(value)
            elif predicate == OWL_INVERSE and isinstance(value, ox.NamedNode):
                inverses[subject.value] = value.value
                inverses.setdefault(value.value, subject.value)
            elif predicate == RDFS_SUBCLASS and isinstance(value, ox.NamedNode):
                parents.setdefault(subject.value, set()).add(value.value)
            elif predicate == RDFS_RANGE and isinstance(value, ox.NamedNode):
                ranges[subject.value] = value.value

    terms: dict[str, Term] = {}
    for iri, found in labels.items():
        label = _english(found)
        inverse = inverses.get(iri)
        terms[iri] = Term(iri, label, _english(labels.get(inverse, [])) if inverse else None)
    extra = tomllib.loads(TERMS_FILE.read_text(encoding="utf-8"))["terms"]
    for name, entry in extra.items():
        iri = _expand(name)
        known = terms.get(iri, Term(iri))
        coercion = entry.get("type")
        if coercion and coercion != "@id":
            coercion = _expand(coercion)
        terms[iri] = Term(
            iri,
            entry.get("label", known.label),
            entry.get("inverse", known.inverse),
            entry.get("key"),
            coercion,
            entry.get("language"),
        )
    used_keys = {t.key for t in terms.values() if t.key}
    for iri in sorted(crm_terms):
        term = terms.get(iri)
        if term is None or term.label is None:
            continue
        local = iri.rsplit("/", 1)[-1]
        is_class = local.startswith(("E", "PC"))
        key = term.key
        if key is None:
            key = _camel(term.label) if is_class else _snake(term.label)
            if key in used_keys:
                key = local
            used_keys.add(key)
        coercion = term.coercion
        if coercion is None and not is_class:
            coercion = None if ranges.get(iri, RDFS_LITERAL) == RDFS_LITERAL else "@id"
        terms[iri] = Term(iri, term.label, term.inverse, key, coercion, term.language)
    return Vocabulary(terms, parents)
