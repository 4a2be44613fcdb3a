"""The SHACL shapes in shapes/*.ttl, read once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import XSD, Graph, Literal

SHAPES_DIR = Path(__file__).resolve().parents[3] / "shapes"
SHAPES = "https://w3id.org/lodpub/shapes#"


def typed_strings(graph: Graph) -> Graph:
    """The graph with its simple literals written as xsd:string, which RDF 1.1 says they are.

    pyshacl reads every string of an Oxigraph store back as "..."^^xsd:string, and rdflib does
    not equate that with a simple "..." literal: `sh:in ("true")` would never match the data.
    """
    typed = Graph()
    for prefix, namespace in graph.namespaces():
        typed.bind(prefix, namespace)
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype is None and not o.language:
            o = Literal(str(o), datatype=XSD.string)
        typed.add((s, p, o))
    return typed


def load_shapes(directory: Path) -> Graph:
    """One graph of every `*.ttl` file in a directory; a file that does not parse is named."""
    files = sorted(directory.glob("*.ttl"))
    if not files:
        raise FileNotFoundError(f"{directory}: no SHACL shapes (*.ttl) found")
    graph = Graph()
    graph.bind("lpsh", SHAPES)
    for path in files:
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
            raise ValueError(f"{path}: not valid Turtle: {exc}") from exc
    return typed_strings(graph)


@cache
def shapes_graph() -> Graph:
    """lodpub's shapes graph (shapes/*.ttl), parsed on first use and shared afterwards."""
    return load_shapes(SHAPES_DIR)
