"""rdflib graphs to SPARQL Update text, in pyoxigraph's canonical N-Triples form."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib.term import Node

from lodpub.terms import to_ox


def triple_lines(triples: Iterable[tuple[Node, Node, Node]]) -> list[str]:
    """Each triple as one canonical N-Triples line (pyoxigraph's own formatting and escaping)."""
    lines = []
    # A document names the same predicates, classes and entities many times: each is written once
    written: dict[Node, str] = {}

    def text(term: Node) -> str:
        if (found := written.get(term)) is None:
            found = written[term] = str(to_ox(term))
        return found

    for s, p, o in triples:
        try:
            lines.append(f"{text(s)} {text(p)} {text(o)} .")
        except (ValueError, TypeError) as exc:
            raise ValueError(f"cannot store triple ({s!r}, {p!r}, {o!r}): {exc}") from exc
    # Terms rdflib keeps apart can be one RDF term ("x" and "x"^^xsd:string): the store holds
    # such a triple once, so the digest and the triple count must count it once too.
    return list(dict.fromkeys(lines))


def graph_block(graph_iri: str, lines: list[str]) -> str:
    """A `GRAPH <iri> { ... }` block for INSERT DATA."""
    return f"GRAPH {ox.NamedNode(graph_iri)} {{\n" + "\n".join(lines) + "\n}"
