"""`validate_batch`: many documents in one pyshacl call, each report exactly what `validate` gives.

pyshacl's cost is mostly per call and per shape (about 130 shapes, each finding its targets and
building its constraints), not per node, so one call over many documents costs far less than one
call each. The documents are made disjoint first: a node that several of them use (an unreviewed
entity two documents describe, a curated entity both reach) gets one renamed copy per document,
so each document's part of the batch graph is a copy of the graph it would be validated alone
in, and a result names the one document it comes from. Vocabulary terms and the IRIs the shapes
name are shared, never renamed: the schema says the same of them whichever document uses them.
A result on a node of one document is that document's, its copies named back as they are; a
document the batch finds nothing on conforms without warnings, as it would alone. A document
with a result the batch cannot give back exactly (on a shared term, a blank node or a literal,
or a message quoting a renamed copy) is validated again on its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import chain

import pyoxigraph as ox
from pyshacl import Validator
from rdflib import RDF, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from lodpub.terms import OxTerm, to_ox
from lodpub.validate.datagraph import Context, Converted, convert, load
from lodpub.validate.report import Report, results_from
from lodpub.validate.schema import schema
from lodpub.validate.shapes import shapes_graph
from lodpub.validate.validator import labels, run, validate_converted

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
MARK = "~lodpub-batch-"
COPY = MARK + "{}"  # appended to a shared IRI: keeps its namespace for the shapes' tests


@dataclass
class _Batch:
    """The documents' quads made disjoint, and how to tell each document's nodes."""

    quads: list[ox.Quad]
    nodes: list[set[OxTerm]]  # per document: the nodes its part uses (before copying)
    copies: list[dict[OxTerm, OxTerm]]  # per document: its shared node -> the copy it gets
    alone: set[int]  # documents to validate on their own whatever the batch finds

    def __post_init__(self) -> None:
        self._copied = {copy: i for i, mine in enumerate(self.copies) for copy in mine.values()}

    def users(self, node: OxTerm) -> set[int]:
        """The documents whose part of the batch holds a node (a copy: the one it was made for)."""
        if node in self._copied:
            return {self._copied[node]}
        return {i for i, used in enumerate(self.nodes) if node in used}


def validate_batch(
    datasets: Sequence[Graph | Dataset], *, extra: Context | None = None
) -> list[Report]:
    """One Report per dataset, each equal to `validate(dataset, extra=extra)`'s."""
    documents = [convert([data]) for data in datasets]
    if len(documents) < 2:
        return [validate_converted(doc, extra) for doc in documents]
    reached = [
        extra.reached(doc) if extra is not None else Converted((), frozenset()) for doc in documents
    ]
    batch = _disjoint([doc.quads for doc in documents], [part.quads for part in reached])
    terms = frozenset[URIRef]().union(*(part.terms for part in (*documents, *reached)))
    store = load([Converted(tuple(batch.quads), terms)], schema())
    report_graph = run(store, shapes_graph())
    found, alone = _attributed(report_graph, batch)
    reports = []
    for i, doc in enumerate(documents):
        report = None
        if i not in alone and i not in batch.alone:
            report = _own_report(report_graph, found[i], batch.copies[i], store)
        reports.append(report if report is not None else validate_converted(doc, extra))
    return reports


def _attributed(graph: Graph, batch: _Batch) -> tuple[list[list[Node]], set[int]]:
    """The results of the batch report by the one document whose IRI each is on; and the
    documents to validate alone: those a result is on a blank node of, or on a node several
    of them share (all of them when no document holds the node, such as a literal)."""
    found: list[list[Node]] = [[] for _ in batch.copies]
    alone: set[int] = set()
    for result in graph.objects(None, SH.result):
        focus = graph.value(result, SH.focusNode)
        owners = set() if isinstance(focus, Literal) else batch.users(to_ox(focus))
        if len(owners) == 1 and isinstance(focus, URIRef):
            found[next(iter(owners))].append(result)
        else:
            alone.update(owners or range(len(batch.copies)))
    return found, alone


def _own_report(
    graph: Graph, results: list[Node], copies: dict[OxTerm, OxTerm], store: ox.Store
) -> Report | None:
    """One document's report from its results in the batch report, its copies named back as
    the document names them; None when a result cannot be given back exactly."""
    if not results:
        return _clean()
    back = {
        URIRef(copy.value): URIRef(node.value)
        for node, copy in copies.items()
        if isinstance(copy, ox.NamedNode)
    }
    own = Graph(bind_namespaces="core")
    for prefix, namespace in graph.namespace_manager.namespaces():
        own.namespace_manager.bind(prefix, namespace)
    report = BNode()
    own.add((report, RDF.type, SH.ValidationReport))
    own.add((report, SH.conforms, Literal(False)))
    named: set[URIRef] = set()
    for result in results:
        if isinstance(graph.value(result, SH.value), BNode):
            return None  # pyshacl copies a blank value's description: not renamed back here
        own.add((report, SH.result, result))
        for triple in _described(graph, result):
            if any(isinstance(t, Literal) and MARK in t for t in triple):
                return None
            if triple[1] in (SH.focusNode, SH.value) and isinstance(triple[2], URIRef):
                named.add(triple[2])
            own.add(tuple(back.get(t, t) for t in triple))  # type: ignore[arg-type]
    found = labels(store, named)
    return Report(
        results=results_from(own),
        graph=own,
        labels={back.get(iri, iri): text for iri, text in found.items()},
    )


def _described(graph: Graph, node: Node) -> Iterator[tuple[Node, Node, Node]]:
    """The triples about a node and, through blank nodes, about what they lead to."""
    todo, seen = [node], {node}
    while todo:
        for triple in graph.triples((todo.pop(), None, None)):
            yield triple
            obj = triple[2]
            if isinstance(obj, BNode) and obj not in seen:
                seen.add(obj)
                todo.append(obj)


def _disjoint(own: list[tuple[ox.Quad, ...]], reached: list[tuple[ox.Quad, ...]]) -> _Batch:
    """The quads of every document (its own and those it reaches in the context) with each
    node that several documents use copied per document; the nodes each document uses; and
    the documents to validate alone: those that use a term which one of them describes."""
    parts = [(*mine, *theirs) for mine, theirs in zip(own, reached, strict=True)]
    nodes: list[set[OxTerm]] = []
    classes: set[OxTerm] = set()  # objects of rdf:type: kept as they are, like the terms
    for quads in parts:
        used = {quad.subject for quad in quads}
        for _subject, predicate, obj, _graph in quads:
            if predicate == RDF_TYPE:
                classes.add(obj)
            elif not isinstance(obj, ox.Literal):
                used.add(obj)
        nodes.append(used)
    kept = _protected() | classes
    shared = {node for node, count in Counter(chain.from_iterable(nodes)).items() if count > 1}
    # a term is the same node in every document: what one says of it, all the others see
    described = shared & kept & {quad.subject for quads in own for quad in quads}
    alone = {i for i, used in enumerate(nodes) if not used.isdisjoint(described)}
    shared -= kept
    copies = [{node: _copy(node, i) for node in used & shared} for i, used in enumerate(nodes)]
    batched: list[ox.Quad] = []
    for quads, mine in zip(parts, copies, strict=True):
        if not mine:
            batched.extend(quads)
            continue
        for quad in quads:
            subject, predicate, obj, _graph = quad
            if subject in mine or obj in mine:
                if predicate != RDF_TYPE:
                    obj = mine.get(obj, obj)
                quad = ox.Quad(mine.get(subject, subject), predicate, obj)
            batched.append(quad)
    return _Batch(batched, nodes, copies, alone)


def _copy(node: OxTerm, part: int) -> OxTerm:
    if isinstance(node, ox.BlankNode):
        return ox.BlankNode(f"{node.value}b{part}")
    return ox.NamedNode(node.value + COPY.format(part))


@cache
def _protected() -> frozenset[OxTerm]:
    """The IRIs documents share as they are: vocabulary terms and the IRIs the shapes name."""
    terms = schema()
    iris = {*terms.defined_by, *terms.classes, *terms.properties, *terms.types}
    iris.update(node for triple in shapes_graph() for node in triple if isinstance(node, URIRef))
    return frozenset(ox.NamedNode(str(iri)) for iri in iris)


class _Shapes:
    """What `Validator.create_validation_report` reads of a shapes graph: its prefixes."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph


@cache
def _clean_graph() -> Graph:
    """pyshacl's report graph for a graph that conforms without any result."""
    graph, _text = Validator.create_validation_report(_Shapes(shapes_graph()), True, [])
    return graph


def _clean() -> Report:
    return Report(results=[], graph=_clean_graph(), labels={})
