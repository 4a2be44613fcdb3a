"""rdflib graphs to SPARQL Update text, in pyoxigraph's canonical N-Triples form."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib.term import Node

from lodpub.terms import to_ox


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
