"""What lodpub adapts to each SPARQL engine so that a query means what it means embedded.

SPARQL 1.1 engines like the Oxigraph server have a real default graph: lodpub keeps the merge
of the data graphs there, as embedded. Virtuoso has none (INSERT DATA without GRAPH is refused)
and answers a query without a dataset from the union of every graph, its system graphs
included, a triple once per graph holding it. On Virtuoso lodpub therefore keeps the merge in
the named graph MERGED_GRAPH, writes graphs with the Graph Store Protocol, and sends every
query that names no dataset with the Protocol's `default-graph-uri` (the merge) and one
`named-graph-uri` per data graph and the manifest (Virtuoso's `define input:…` pragmas and a
default graph without named graphs both make `GRAPH <iri>` find nothing). lodpub's own look-ups
name their graphs and hide Virtuoso's (`graph_filter`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

MERGED_GRAPH = "urn:x-lodpub:merged"
_VIRTUOSO_BOOLEAN = re.compile(
    rb'((?:"datatype": *"|<literal datatype=")http://www\.w3\.org/2001/XMLSchema#boolean'
    rb'(?:", *"value": *"|">))([01])(?=["<])'
)
# The graphs a new Virtuoso 7.2 database holds (tests/test_remote_virtuoso.py pins the list).
VIRTUOSO_SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/sparql",
)

# Strings, IRIs and comments are skipped so that FROM is found only as a keyword.
_FROM = re.compile(
    r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\""
    r"|<[^<>\"{}|^`\\\x00-\x20]*>|#[^\n]*|(?<![\w?$:])(FROM)(?![\w:])",
    re.IGNORECASE | re.DOTALL,
)


def names_dataset(sparql: str) -> bool:
    """True when the query text has a FROM or FROM NAMED clause."""
    return any(match.group(1) for match in _FROM.finditer(sparql))


@dataclass(frozen=True)
class Dialect:
    """Where an engine keeps the merged default graph, and which graphs lodpub hides."""

    name: str
    merged: str | None
    hidden: tuple[str, ...] = ()
    # Write graphs with the Graph Store Protocol (PUT a graph, POST to the merge) rather than
    # INSERT DATA: Virtuoso 7.2 compiles an INSERT DATA into SQL text of at most 10,000 lines
    # (about 1,000 triples) and takes seconds for it; a PUT of 6,000 triples takes 0.1 s.
    graph_store: bool = False

    def merged_block(self, lines: Iterable[str]) -> str:
        """INSERT DATA content putting N-Triples lines into the merged default graph."""
        body = "\n".join(lines)
        if self.merged is None:
            return body
        return f"GRAPH {ox.NamedNode(self.merged)} {{\n{body}\n}}"

    def merged_quads(self, triple: str) -> str:
        """A quad pattern or template for `triple` in the merged default graph."""
        if self.merged is None:
            return triple
        return f"GRAPH {ox.NamedNode(self.merged)} {{ {triple} }}"

    def kept_graphs(self) -> list[str]:
        """Graphs whose triples are not data: a triple held only there leaves the merge."""
        return [] if self.merged is None else [self.merged]

    def describe(self, sparql: str) -> str:
        """Virtuoso's DESCRIBE adds the triples pointing at the resource; ask for the CBD, which
        is what Oxigraph answers (for data without blank nodes: the resource's own triples)."""
        return f'define sql:describe-mode "CBD"\n{sparql}' if self.merged is not None else sparql

    def results(self, body: bytes) -> bytes:
        """SPARQL results (JSON or XML) as the embedded store gives them: Virtuoso writes the
        booleans it stores as 1 and 0."""
        if self.merged is None:
            return body
        return _VIRTUOSO_BOOLEAN.sub(lambda m: m[1] + (b"true" if m[2] == b"1" else b"false"), body)

    def graph_filter(self, variable: str, pattern: str = "?s ?p ?o") -> str:
        """`GRAPH ?g { pattern }` over the data graphs and the manifest only."""
        found = f"GRAPH {variable} {{ {pattern} }}"
        if not self.hidden:
            return found
        hidden = ", ".join(str(ox.NamedNode(g)) for g in self.hidden)
        return f"{found} FILTER ({variable} NOT IN ({hidden}))"


SPARQL11 = Dialect("sparql11", None)
VIRTUOSO = Dialect(
    "virtuoso", MERGED_GRAPH, (MERGED_GRAPH, *VIRTUOSO_SYSTEM_GRAPHS), graph_store=True
)
DIALECTS = {d.name: d for d in (SPARQL11, VIRTUOSO)}


def detect(server: str) -> Dialect:
    """The dialect of an engine by its HTTP Server header (`Virtuoso/07.20.3229 …`)."""
    return VIRTUOSO if server.lower().startswith("virtuoso") else SPARQL11
