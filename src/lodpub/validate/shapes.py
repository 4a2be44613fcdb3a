"""The SHACL shapes in shapes/*.ttl, read once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import XSD, Graph, Literal
from rdflib.paths import Path as PropertyPath

SHAPES_DIR = Path(__file__).resolve().parents[3] / "shapes"
SHAPES = "https://w3id.org/lodpub/shapes#"


class Memoized(Graph):
    """A graph read far more than written: pyshacl looks up every parameter of every shape again
    on each validation, so each pattern's answer is kept until the graph changes (through
    `add`, `addN` or `remove`, the only ways pyshacl and lodpub change a shapes graph)."""

    def __init__(self) -> None:
        super().__init__()
        self._answers: dict[tuple, tuple] = {}

    def triples(self, triple):  # type: ignore[override]
        if isinstance(triple[1], PropertyPath):
            return super().triples(triple)
        found = self._answers.get(triple)
        if found is None:
            found = self._answers[triple] = tuple(super().triples(triple))
        return iter(found)

    def add(self, triple):  # type: ignore[override]
        if triple not in self:  # pyshacl adds its system triples again on every validation
            self._answers.clear()
            super().add(triple)
        return self

    def addN(self, quads):  # type: ignore[override]  # noqa: N802  (rdflib's name)
        self._answers.clear()
        return super().addN(quads)

    def remove(self, triple):  # type: ignore[override]
        self._answers.clear()
        return super().remove(triple)


def typed_strings(graph: Graph) -> Graph:
    """The graph with its simple literals written as xsd:string, which RDF 1.1 says they are.

    pyshacl reads every string of an Oxigraph store back as "..."^^xsd:string, and rdflib does
    not equate that with a simple "..." literal: `sh:in ("true")` would never match the data.
    """
    typed = Memoized()
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
