"""`validate`: run lodpub's SHACL shapes over a document's graphs with pyshacl."""

from __future__ import annotations

from collections.abc import Collection

import pyoxigraph as ox
import pyshacl
from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from lodpub.validate import lookup
from lodpub.validate.datagraph import Context, Converted, DataGraph, convert, load
from lodpub.validate.report import Report, results_from
from lodpub.validate.schema import schema
from lodpub.validate.shapes import shapes_graph

lookup.install()  # before any validation: pyshacl reads the parameters on every shape

_LABELS = """
SELECT ?node ?label WHERE {
    VALUES ?node { %s }
    ?node <http://www.w3.org/2000/01/rdf-schema#label> ?label .
    FILTER LANGMATCHES(LANG(?label), "en")
}
"""


def validate(data: Graph | Dataset, *, extra: Graph | Context | None = None) -> Report:
    """Validate the union of `data`'s graphs and `extra` (the curated entities they refer to;
    give it as a `Context` when many documents are validated with it).

    pyshacl runs with `inference='none'` and SHACL-AF (`advanced=True`); the class hierarchy
    and term declarations come from `lodpub.validate.schema`, added for the terms used only.
    """
    if isinstance(extra, Context):
        return validate_converted(convert([data]), extra)
    return _report(load([data] if extra is None else [data, extra], schema()))


def validate_converted(document: Converted, extra: Context | None) -> Report:
    """`validate` for a document already converted, with the part of `extra` it reaches."""
    parts = [document] if extra is None else [document, extra.reached(document)]
    return _report(load(parts, schema()))


def _report(store: ox.Store) -> Report:
    report_graph = run(store, shapes_graph())
    results = results_from(report_graph)
    iris = {n for r in results for n in (r.focus, r.value) if isinstance(n, URIRef)}
    return Report(results=results, graph=report_graph, labels=labels(store, iris))


def run(store: ox.Store, shapes: Graph) -> Graph:
    """pyshacl's report graph for a store: no inference, SHACL-AF, the store validated in place."""
    _conforms, report_graph, text = pyshacl.validate(
        DataGraph(store),
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        inplace=True,  # the store is ours: spare pyshacl its defensive copy
    )
    if not isinstance(report_graph, Graph):  # pyshacl's ValidationFailure: the shapes are at fault
        raise RuntimeError(f"SHACL validation could not run; check the shapes: {text}")
    return report_graph


def labels(store: ox.Store, iris: Collection[URIRef]) -> dict[Node, str]:
    """English labels of the IRIs a report names, for `Report.text()`."""
    if not iris:
        return {}
    values = " ".join(str(ox.NamedNode(str(iri))) for iri in sorted(iris))
    return {URIRef(row["node"].value): row["label"].value for row in store.query(_LABELS % values)}
