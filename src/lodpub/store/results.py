"""Query results for people: SELECT solutions as an aligned table with compact IRIs."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import pyoxigraph as ox

from lodpub.vocab import PREFIXES, XSD

CELL_MAX = 80
_PLAIN_TYPES = {str(XSD[t]) for t in ("string", "integer", "decimal", "double", "boolean")}
_SPACE = re.compile(r"\s+")


def _namespaces(prefixes: Mapping[str, str]) -> list[tuple[str, str]]:
    return sorted(((str(ns), p) for p, ns in prefixes.items()), key=lambda item: -len(item[0]))


_DEFAULT = _namespaces(PREFIXES)


def compact_iri(iri: str, namespaces: list[tuple[str, str]] = _DEFAULT) -> str:
    """prefix:local when a known namespace covers the IRI, else <iri>."""
    for namespace, prefix in namespaces:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    """A term as short readable text: compact IRI, literal value with @lang or ^^type."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact_iri(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        text = _SPACE.sub(" ", term.value).strip()
        if len(text) > CELL_MAX:
            text = text[: CELL_MAX - 1] + "…"
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype.value not in _PLAIN_TYPES:
            return f"{text}^^{compact_iri(term.datatype.value)}"
        return text
    return str(term)


def width(text: str) -> int:
    """Columns the text takes in a terminal: wide (CJK) characters take two, combining none."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def _pad(text: str, columns: int) -> str:
    return text + " " * (columns - width(text))


def table(solutions: ox.QuerySolutions) -> str:
    """The solutions as an aligned table with a header and a row count."""
    names = [v.value for v in solutions.variables]
    rows = [[cell(solution[name]) for name in names] for solution in solutions]
    widths = [max([width(n), *(width(r[i]) for r in rows)]) for i, n in enumerate(names)]
    lines = [
        "  ".join(_pad(n, w) for n, w in zip(names, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)
