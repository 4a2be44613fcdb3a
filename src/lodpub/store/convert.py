"""rdflib terms to pyoxigraph terms, and rdflib graphs to SPARQL Update text."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def to_ox(term: Node) -> OxTerm:
    """The pyoxigraph term for an rdflib term; pyoxigraph checks IRIs and language tags."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def triple_lines(triples: Iterable[tuple[Node, Node, Node]]) -> list[str]:
    """Each triple as one canonical N-Triples line (pyoxigraph's own formatting and escaping)."""
    lines = []
    for s, p, o in triples:
        try:
            lines.append(f"{to_ox(s)} {to_ox(p)} {to_ox(o)} .")
        except (ValueError, TypeError) as exc:
            raise ValueError(f"cannot store triple ({s!r}, {p!r}, {o!r}): {exc}") from exc
    return lines


def graph_block(graph_iri: str, lines: list[str]) -> str:
    """A `GRAPH <iri> { ... }` block for INSERT DATA."""
    return f"GRAPH {ox.NamedNode(graph_iri)} {{\n" + "\n".join(lines) + "\n}"
