"""The graph pyshacl validates: the data, the extra graph and the declarations of the terms used.

It is an in-memory Oxigraph store: pyshacl runs SPARQL constraints there in a fraction of what
rdflib's SPARQL engine costs (rdflib parses the query again for every focus node).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from pyshacl.graph_abstraction import OxigraphDataGraph
from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from lodpub.terms import to_ox
from lodpub.validate.schema import Schema

Triple = tuple[Node, Node, Node]


def triples_of(data: Graph | Dataset) -> Iterator[Triple]:
    """Every triple of a graph, or of every graph of a dataset (their union)."""
    if isinstance(data, Dataset):
        for s, p, o, _graph in data.quads((None, None, None, None)):
            yield s, p, o
    else:
        yield from data.triples((None, None, None))


class DataGraph(OxigraphDataGraph):
    """pyshacl's view of an Oxigraph store, always true in a boolean test.

    pyshacl writes `datagraph or shapes_graph` for every result it builds, and the truth test of
    its Oxigraph graph counts every triple in the store (about 0.5 ms per result).
    """

    def __bool__(self) -> bool:
        return True


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


def load(graphs: Iterable[Graph | Dataset], schema: Schema) -> ox.Store:
    """An in-memory store holding the union of the graphs plus the declarations of their terms."""
    quads = []
    for s, p, o in with_declarations(graphs, schema):
        try:
            quads.append(ox.Quad(to_ox(s), to_ox(p), to_ox(o)))
        except (TypeError, ValueError) as exc:
            shown = " ".join(f"<{t}>" if isinstance(t, URIRef) else repr(str(t)) for t in (s, p, o))
            raise ValueError(f"cannot validate the triple {shown}: {exc}") from exc
    store = ox.Store()
    store.extend(quads)
    return store
