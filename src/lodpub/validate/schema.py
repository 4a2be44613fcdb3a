"""The declared terms and class hierarchy of CIDOC-CRM 7.1.1, its PC module and lodpub.ttl.

pyshacl's `ont_graph` mixes the whole ontology into a copy of the data on every call (about
105 ms for the CRM). Instead the ontologies are read once per process, and each validation adds
only the declarations of the terms the data uses (`Schema.triples_for`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import Node

from lodpub.vocab import CRM, LP, LPT

ONTOLOGY_DIR = Path(__file__).resolve().parents[3] / "ontology"
CRM_FILES = ("CIDOC_CRM_v7.1.1.rdf", "CIDOC_CRM_v7.1.1_PC.rdf")
LODPUB_FILE = "lodpub.ttl"  # also places the CRMinf classes lodpub uses under the CRM

# Terms in these namespaces must be declared; the vocabulary shapes report any that are not.
CHECKED_NAMESPACES = (str(CRM), str(LP), str(LPT))

_CLASS_TYPES = {RDFS.Class, OWL.Class}
_PROPERTY_TYPES = {RDF.Property, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class Schema:
    """What validation needs to know about terms: where each is defined, its kind and domain."""

    defined_by: dict[URIRef, URIRef]  # declared crm:/lp:/lpt: term -> the ontology declaring it
    classes: frozenset[URIRef]
    properties: frozenset[URIRef]
    ancestors: dict[URIRef, frozenset[URIRef]]  # class -> every strict superclass
    domains: dict[URIRef, frozenset[URIRef]]  # property -> its rdfs:domain classes
    # individuals of the vocabulary (types, units, languages): their classes and labels
    types: dict[URIRef, frozenset[URIRef]]
    labels: dict[URIRef, tuple[Literal, ...]]

    def triples_for(self, used: Iterable[URIRef]) -> Iterator[Triple]:
        """The declarations the graph under validation needs for the terms it uses.

        Vocabulary individuals get their classes and labels, so sh:class and the label shape
        see them; every class an instance has gets its full superclass list; every property its
        domains; and every crm:/lp:/lpt: term these triples mention is marked as declared.
        """
        used = set(used)
        typed = set()  # classes that instances in the validated graph have
        for term in used:
            for cls in self.types.get(term, ()):
                yield term, RDF.type, cls
                typed.add(cls)
            for text in self.labels.get(term, ()):
                yield term, RDFS.label, text
        mentioned = used | typed
        for cls in typed | (used & self.classes):
            for ancestor in self.ancestors.get(cls, ()):
                yield cls, RDFS.subClassOf, ancestor
                mentioned.add(ancestor)
        for prop in used & self.properties:
            for domain in self.domains.get(prop, ()):
                yield prop, RDFS.domain, domain
                mentioned.add(domain)
        mentioned |= {self.defined_by[t] for t in mentioned if t in self.defined_by}
        for term in mentioned:
            ontology = self.defined_by.get(term)
            if ontology is None:
                continue
            yield term, RDFS.isDefinedBy, ontology
            if term in self.classes:
                yield term, RDF.type, RDFS.Class
            if term in self.properties:
                yield term, RDF.type, RDF.Property


def _closure(parents: dict[URIRef, set[URIRef]]) -> dict[URIRef, frozenset[URIRef]]:
    """Every strict ancestor of every node; cycles are cut, not followed."""
    closed: dict[URIRef, frozenset[URIRef]] = {}

    def visit(node: URIRef, path: frozenset[URIRef]) -> frozenset[URIRef]:
        if node in closed:
            return closed[node]
        found: set[URIRef] = set()
        for parent in parents.get(node, ()):
            if parent not in path:
                found.add(parent)
                found |= visit(parent, path | {node})
        found.discard(node)
        closed[node] = frozenset(found)
        return closed[node]

    for node in list(parents):
        visit(node, frozenset())
    return closed


def _ontology_iri(graph: Graph) -> URIRef | None:
    return next((s for s in graph.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef)), None)


def build_schema(*graphs: Graph) -> Schema:
    """A Schema from ontology graphs: each typed crm:/lp:/lpt: subject counts as declared."""
    defined_by: dict[URIRef, URIRef] = {}
    classes: set[URIRef] = set()
    properties: set[URIRef] = set()
    parents: dict[URIRef, set[URIRef]] = {}
    domains: dict[URIRef, set[URIRef]] = {}
    kinds: dict[URIRef, set[URIRef]] = {}
    labels: dict[URIRef, tuple[Literal, ...]] = {}
    for graph in graphs:
        ontology = _ontology_iri(graph)
        if ontology is not None and str(ontology).startswith(CHECKED_NAMESPACES):
            defined_by[ontology] = ontology
        for term, kind in graph.subject_objects(RDF.type):
            if not isinstance(term, URIRef) or kind == OWL.Ontology:
                continue
            kinds.setdefault(term, set()).add(kind)  # type: ignore[arg-type]
            if str(term).startswith(CHECKED_NAMESPACES) and ontology is not None:
                defined_by.setdefault(term, ontology)
        for sub, sup in graph.subject_objects(RDFS.subClassOf):
            if isinstance(sub, URIRef) and isinstance(sup, URIRef):
                parents.setdefault(sub, set()).add(sup)
        for prop, domain in graph.subject_objects(RDFS.domain):
            if isinstance(prop, URIRef) and isinstance(domain, URIRef):
                domains.setdefault(prop, set()).add(domain)
        for term, text in graph.subject_objects(RDFS.label):
            if isinstance(term, URIRef) and isinstance(text, Literal):
                labels[term] = (*labels.get(term, ()), text)
    for term, term_kinds in kinds.items():
        if term_kinds & _CLASS_TYPES:
            classes.add(term)
        if term_kinds & _PROPERTY_TYPES:
            properties.add(term)
    individuals = {t: frozenset(k) for t, k in kinds.items() if t not in classes | properties}
    return Schema(
        defined_by=defined_by,
        classes=frozenset(classes),
        properties=frozenset(properties),
        ancestors=_closure(parents),
        domains={p: frozenset(d) for p, d in domains.items()},
        types=individuals,
        labels={t: labels[t] for t in individuals if t in labels},
    )


def _parse(path: Path, fmt: str) -> Graph:
    if not path.is_file():
        raise FileNotFoundError(f"{path}: ontology file not found; lodpub.validate needs it")
    return Graph().parse(path, format=fmt)


@cache
def schema() -> Schema:
    """The project's Schema, read from ontology/ once per process."""
    crm = Graph()
    for name in CRM_FILES:
        crm += _parse(ONTOLOGY_DIR / name, "xml")
    return build_schema(crm, _parse(ONTOLOGY_DIR / LODPUB_FILE, "turtle"))
