"""rdflib graphs to SPARQL Update text, in pyoxigraph's canonical N-Triples form."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import pyoxigraph as ox
from rdflib.term import Node

from lodpub.terms import to_ox

_XSD = "http://www.w3.org/2001/XMLSchema#"
_STRING = _XSD + "string"  # kept as written, and texts are long: never cached
_PROBE = ox.NamedNode("urn:x-lodpub:probe")


@lru_cache(maxsize=65536)
def stored_literal(value: str, datatype: str) -> str:
    """A typed literal as Oxigraph stores it: a value, read back in canonical form ("05" is 5,
    "1"^^xsd:boolean is true) and an integer type's datatype as xsd:integer."""
    probe = ox.Store()
    probe.add(ox.Quad(_PROBE, _PROBE, ox.Literal(value, datatype=ox.NamedNode(datatype))))
    return str(next(iter(probe)).object)


def triple_lines(triples: Iterable[tuple[Node, Node, Node]]) -> list[str]:
    """Each triple as one N-Triples line exactly as the store will hold it (pyoxigraph's own
    formatting, escaping and canonical literals), so that digests match what is stored."""
    lines = []
    # A document names the same predicates, classes and entities many times: each is written once
    written: dict[Node, str] = {}

    def text(term: Node) -> str:
        if (found := written.get(term)) is None:
            converted = to_ox(term)
            datatype = converted.datatype.value if isinstance(converted, ox.Literal) else ""
            if datatype.startswith(_XSD) and datatype != _STRING:
                found = stored_literal(converted.value, datatype)
            else:
                found = str(converted)
            written[term] = found
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
