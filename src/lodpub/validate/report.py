"""`Report` and `Result`: what validation found, readable by people and by code."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from lodpub.validate.shapes import SHAPES
from lodpub.vocab import PREFIXES

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
_NAMESPACES = sorted(
    [(str(ns), prefix) for prefix, ns in PREFIXES.items()] + [(SHAPES, "lpsh")],
    key=lambda item: -len(item[0]),
)
_VALUE_WIDTH = 60


def compact(term: Node | None) -> str:
    """An IRI as prefix:name when a lodpub prefix covers it, else <iri>; literals in N3."""
    if term is None:
        return "-"
    if isinstance(term, URIRef):
        for namespace, prefix in _NAMESPACES:
            if term.startswith(namespace) and len(term) > len(namespace):
                return f"{prefix}:{term[len(namespace) :]}"
        return f"<{term}>"
    if isinstance(term, Literal):
        text = str(term)
        if len(text) > _VALUE_WIDTH:
            text = text[: _VALUE_WIDTH - 1] + "…"
        shown = Literal(text, lang=term.language, datatype=term.datatype)
        if term.datatype is not None:
            return f'"{shown}"^^{compact(term.datatype)}'
        return shown.n3()
    return f"_:{term}"


def compact_text(text: str) -> str:
    """A message with the full IRIs it quotes shortened to prefix:name."""
    for namespace, prefix in _NAMESPACES:
        text = text.replace(namespace, f"{prefix}:")
    return text


def path_text(graph: Graph, path: Node | None) -> str | None:
    """A SHACL property path as SPARQL property-path text with compact IRIs."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return compact(path)
    if (path, RDF.first, None) in graph:
        return "/".join(_inner(graph, p) for p in Collection(graph, path))
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _inner(graph, inverse)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_inner(graph, p) for p in Collection(graph, alternatives))
    for predicate, op in (
        (SH.zeroOrMorePath, "*"),
        (SH.oneOrMorePath, "+"),
        (SH.zeroOrOnePath, "?"),
    ):
        inner = graph.value(path, predicate)
        if inner is not None:
            return _inner(graph, inner) + op
    return compact(path)


def _inner(graph: Graph, path: Node) -> str:
    text = path_text(graph, path) or ""
    return text if isinstance(path, URIRef) else f"({text})"


@dataclass(frozen=True)
class Result:
    """One validation result: a shape the focus node fails, with the sentence to act on."""

    severity: str  # "Violation" | "Warning" | "Info"
    focus: Node
    path: str | None  # SPARQL property path with lodpub prefixes, e.g. "crm:P1_is_identified_by"
    value: Node | None
    message: str
    shape: Node  # the shape or named SPARQL constraint that failed: lpsh:PersonShape-primaryName

    @property
    def is_violation(self) -> bool:
        return self.severity == "Violation"


@dataclass
class Report:
    """The outcome of validating one graph: only violations refuse it; warnings are reported."""

    results: list[Result]
    graph: Graph  # the pyshacl validation report graph
    labels: dict[Node, str] = field(default_factory=dict)  # rdfs:label of nodes in the results

    @property
    def conforms(self) -> bool:
        return not self.violations

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.severity != "Violation"]

    def _node(self, node: Node | None) -> str:
        label = self.labels.get(node) if node is not None else None
        return f'{compact(node)} "{label}"' if label else compact(node)

    def text(self) -> str:
        """One line per result: severity | focus | path | value | message | shape."""
        counts = f"{len(self.violations)} violation(s), {len(self.warnings)} warning(s)"
        lines = [f"Conforms: {'yes' if self.conforms else 'no'} ({counts})"]
        for r in self.results:
            cells = (
                r.severity,
                self._node(r.focus),
                r.path or "-",
                self._node(r.value),
                compact_text(r.message),
                compact(r.shape),
            )
            lines.append(" | ".join(cells))
        return "\n".join(lines)


def _source(graph: Graph, result: Node) -> Node:
    """The named SPARQL constraint a result comes from, else its source shape."""
    constraint = graph.value(result, SH.sourceConstraint)
    if isinstance(constraint, URIRef):
        return constraint
    return graph.value(result, SH.sourceShape)  # type: ignore[return-value]


def _plain(term: Node | None) -> Node | None:
    """xsd:string literals as simple literals (RDF 1.1 treats them as the same)."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def results_from(graph: Graph) -> list[Result]:
    """The results of a pyshacl report graph, violations first, then by focus node, path,
    shape, message and value."""
    results = []
    for node in graph.objects(None, SH.result):
        messages = [m for m in graph.objects(node, SH.resultMessage) if isinstance(m, Literal)]
        english = [m for m in messages if m.language in (None, "en")] or messages
        severity = graph.value(node, SH.resultSeverity)
        results.append(
            Result(
                severity=SEVERITIES.get(severity, str(severity)),  # type: ignore[arg-type]
                focus=graph.value(node, SH.focusNode),  # type: ignore[arg-type]
                path=path_text(graph, graph.value(node, SH.resultPath)),
                value=_plain(graph.value(node, SH.value)),
                message=" ".join(sorted(str(m) for m in english)),
                shape=_source(graph, node),
            )
        )
    results.sort(
        key=lambda r: (
            _ORDER.get(r.severity, 3),
            str(r.focus),
            r.path or "",
            str(r.shape),
            r.message,
            "" if r.value is None else r.value.n3(),  # else ties keep pyshacl's set order
        )
    )
    return results
