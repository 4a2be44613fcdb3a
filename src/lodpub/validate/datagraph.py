"""The graph pyshacl validates: the data, the extra graph and the declarations of the terms used.

It is an in-memory Oxigraph store: pyshacl runs SPARQL constraints there in a fraction of what
rdflib's SPARQL engine costs (rdflib parses the query again for every focus node).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from pyshacl.graph_abstraction import OxigraphDataGraph
from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from lodpub.terms import OxTerm, to_ox
from lodpub.validate.schema import Schema

Triple = tuple[Node, Node, Node]


def triples_of(data: Graph | Dataset) -> Iterator[Triple]:
    """Every triple of a graph, or of every graph of a dataset (their union)."""
    if isinstance(data, Dataset):
        # the store's union read, as rdflib's own union graph does: once per triple, and
        # without the per-quad graph lookups of `Dataset.quads`
        for triple, _graphs in data.store.triples((None, None, None), None):
            yield triple  # type: ignore[misc]
    else:
        yield from data.triples((None, None, None))


class DataGraph(OxigraphDataGraph):
    """pyshacl's view of an Oxigraph store, always true in a boolean test.

    pyshacl writes `datagraph or shapes_graph` for every result it builds, and the truth test of
    its Oxigraph graph counts every triple in the store (about 0.5 ms per result).
    """

    def __bool__(self) -> bool:
        return True


@dataclass(frozen=True)
class Converted:
    """Triples as Oxigraph quads (default graph) and the terms that need declarations."""

    quads: tuple[ox.Quad, ...]
    terms: frozenset[URIRef]  # predicates and IRI objects


def convert(graphs: Iterable[Graph | Dataset]) -> Converted:
    """The union of the graphs, converted once: a graph validated with many documents (the
    curated entities) is converted for all of them."""
    return _converted(triple for graph in graphs for triple in triples_of(graph))


def with_declarations(graphs: Iterable[Graph | Dataset], schema: Schema) -> Iterator[Triple]:
    """The triples of the graphs (their union), then the declarations of the terms they use."""
    terms: set[URIRef] = set()
    for graph in graphs:
        for triple in triples_of(graph):
            yield triple
            terms.add(triple[1])  # type: ignore[arg-type]
            if isinstance(triple[2], URIRef):
                terms.add(triple[2])
    yield from schema.triples_for(terms)


class Context:
    """A graph validated with many documents (the curated entities), converted once.

    Each document is validated with the part of it the document reaches: the nodes it names,
    and what those nodes lead to in this graph. lodpub's shapes look from a node along its
    own links (and back along links inside the same document), never at unrelated nodes, so
    the results are those of validating with the whole graph, without revalidating every
    curated entity for every document (tests/test_ingest_parallel.py compares both)."""

    def __init__(self, graph: Graph) -> None:
        by_subject: dict[OxTerm, list[ox.Quad]] = {}
        for quad in convert([graph]).quads:
            by_subject.setdefault(quad.subject, []).append(quad)
        self._quads = by_subject

    def reached(self, document: Converted) -> Converted:
        """The triples of this graph the document's nodes lead to."""
        todo = [n for q in document.quads for n in (q.subject, q.object) if n in self._quads]
        seen = set(todo)
        quads = []
        while todo:
            for quad in self._quads[todo.pop()]:
                quads.append(quad)
                if quad.object in self._quads and quad.object not in seen:
                    seen.add(quad.object)
                    todo.append(quad.object)
        return Converted(tuple(quads), frozenset(URIRef(t.value) for t in _terms(quads)))


def load(graphs: Iterable[Graph | Dataset | Converted], schema: Schema) -> ox.Store:
    """An in-memory store holding the union of the graphs plus the declarations of their terms."""
    parts = [g if isinstance(g, Converted) else convert([g]) for g in graphs]
    terms = frozenset[URIRef]().union(*(part.terms for part in parts))
    store = ox.Store()
    for part in (*parts, _converted(schema.triples_for(terms))):
        store.extend(part.quads)
    return store


def _terms(quads: Iterable[ox.Quad]) -> Iterator[ox.NamedNode]:
    for quad in quads:
        yield quad.predicate  # type: ignore[misc]
        if isinstance(quad.object, ox.NamedNode):
            yield quad.object


def _converted(triples: Iterable[Triple]) -> Converted:
    quads, terms = [], set()
    # a document names the same predicates, classes and entities many times: convert each once
    known: dict[Node, OxTerm] = {}

    def ox_term(term: Node) -> OxTerm:
        if (found := known.get(term)) is None:
            found = known[term] = to_ox(term)
        return found

    for s, p, o in triples:
        try:
            quads.append(ox.Quad(ox_term(s), ox_term(p), ox_term(o)))
        except (TypeError, ValueError) as exc:
            shown = " ".join(f"<{t}>" if isinstance(t, URIRef) else repr(str(t)) for t in (s, p, o))
            raise ValueError(f"cannot validate the triple {shown}: {exc}") from exc
        terms.add(p)
        if isinstance(o, URIRef):
            terms.add(o)
    return Converted(tuple(quads), frozenset(terms))
