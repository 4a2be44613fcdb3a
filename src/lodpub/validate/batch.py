"""`validate_batch`: many documents in one pyshacl call, each report exactly what `validate` gives.

pyshacl's cost is mostly per call and per shape (about 130 shapes, each finding its targets and
building its constraints), not per node, so one call over many documents costs far less than one
call each. The documents are made disjoint first: a node that several of them use (an unreviewed
entity two documents describe, a curated entity both reach) gets one renamed copy per document,
so each document's part of the batch graph is a copy of the graph it would be validated alone
in, and a result names the one document it comes from. Vocabulary terms and the IRIs the shapes
name are shared, never renamed: the schema says the same of them whichever document uses them.
A document the batch finds nothing on conforms without warnings, as it would alone; every other
one is validated again on its own, so its report (results, order, labels) is that of `validate`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import pyoxigraph as ox
from pyshacl import Validator
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import SH

from lodpub.terms import OxTerm, to_ox
from lodpub.validate.datagraph import Context, Converted, convert, load
from lodpub.validate.report import Report
from lodpub.validate.schema import schema
from lodpub.validate.shapes import shapes_graph
from lodpub.validate.validator import run, validate_converted

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
COPY = "~lodpub-batch-{}"  # appended to a shared IRI: keeps its namespace for the shapes' tests


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
    batched, owners, alone = _disjoint(
        [doc.quads for doc in documents], [part.quads for part in reached]
    )
    terms = frozenset[URIRef]().union(*(part.terms for part in (*documents, *reached)))
    report_graph = run(load([Converted(tuple(batched), terms)], schema()), shapes_graph())
    flagged = set(alone)
    for focus in report_graph.objects(None, SH.focusNode):
        flagged.update(owners.get(to_ox(focus), range(len(documents))))
    return [
        validate_converted(doc, extra) if i in flagged else _clean()
        for i, doc in enumerate(documents)
    ]


def _disjoint(
    own: list[tuple[ox.Quad, ...]], reached: list[tuple[ox.Quad, ...]]
) -> tuple[list[ox.Quad], dict[OxTerm, set[int]], set[int]]:
    """The quads of every document (its own and those it reaches in the context) with each
    node that several documents use copied per document; the documents using each node; and
    the documents to validate alone: those that use a term which one of them describes."""
    parts = [(*mine, *theirs) for mine, theirs in zip(own, reached, strict=True)]
    users: dict[OxTerm, set[int]] = {}
    classes: set[OxTerm] = set()  # objects of rdf:type: kept as they are, like the terms
    for i, quads in enumerate(parts):
        for subject, predicate, obj, _graph in quads:
            users.setdefault(subject, set()).add(i)
            if predicate == RDF_TYPE:
                classes.add(obj)
            elif not isinstance(obj, ox.Literal):
                users.setdefault(obj, set()).add(i)
    kept = _protected() | classes
    # a term is the same node in every document: what one says of it, all the others see
    described = {q.subject for quads in own for q in quads} & kept
    alone = {i for node in described if len(users[node]) > 1 for i in users[node]}
    copies: list[dict[OxTerm, OxTerm]] = [{} for _ in parts]
    for node, by in users.items():
        if len(by) > 1 and node not in kept:
            for i in by:
                copies[i][node] = _copy(node, i)
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
    users.update((copy, {i}) for i, mine in enumerate(copies) for copy in mine.values())
    return batched, users, alone


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
