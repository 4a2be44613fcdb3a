"""The description of one resource: what every format of its page (HTML or RDF) is made from.

A description holds the resource's own triples, the labels and types of every resource it
links to or is linked from, and one page of its incoming links. Incoming links are ordered
(property, then subject) and cut into pages of `page_size`; the counts say how many there are
in all, so a hub's description is paged, never silently cut.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from lodpub.store.manifest import MANIFEST_GRAPH, TRIPLES
from lodpub.vocab import VOID
from lodpub.web.graph_view import LABEL, PREF_LABEL, TYPE, GraphView, node

FOAF = "http://xmlns.com/foaf/0.1/"
# Counted by the engine: a hub's incoming links are not all read to be counted.
_INCOMING_COUNTS = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p $subject } GROUP BY ?p"
HYDRA = "http://www.w3.org/ns/hydra/core#"


class PageOutOfRange(LookupError):
    """A page number past the last page of a description."""


@dataclass
class Description:
    """The triples of one resource's description and the paging of its incoming links."""

    iri: str
    own: list[ox.Triple]
    incoming: list[ox.Triple]
    incoming_total: int
    incoming_counts: dict[str, int]
    linked: list[ox.Triple]
    page: int = 1
    pages: int = 1
    graph_triples: int | None = None
    extra: list[ox.Triple] = field(default_factory=list)

    @property
    def subject(self) -> ox.NamedNode:
        return node(self.iri)

    def triples(self) -> list[ox.Triple]:
        """Every triple of the description, without repeats."""
        return list(dict.fromkeys([*self.own, *self.extra, *self.incoming, *self.linked]))


def describe(view: GraphView, iri: str, *, page: int = 1, page_size: int = 1000) -> Description:
    """The description of `iri` in `view`; PageOutOfRange for a page past the last."""
    subject = node(iri)
    own = view.triples(subject)
    rows = view.store.query(_INCOMING_COUNTS.replace("$subject", str(subject)))
    counts = dict(sorted((row[0].value, int(row[1].value)) for row in rows))
    total = sum(counts.values())
    pages = max(1, math.ceil(total / page_size))
    if page < 1 or page > pages:
        raise PageOutOfRange(f"page {page} of {pages}")
    incoming = _incoming_page(view, subject, counts, (page - 1) * page_size, page_size)
    neighbours = [t.object for t in own if isinstance(t.object, ox.NamedNode)]
    neighbours += [t.subject for t in incoming]
    linked: list[ox.Triple] = []
    for neighbour in dict.fromkeys(neighbours):
        if neighbour == subject:
            continue
        labels = view.triples(neighbour, LABEL)
        if not labels:
            labels = view.triples(neighbour, PREF_LABEL)
        linked += labels
        linked += view.triples(neighbour, TYPE)
    graph_triples = None
    if view.is_graph(iri):
        graph_triples = _graph_size(view, subject)
    description = Description(iri, own, incoming, total, counts, linked, page, pages, graph_triples)
    if graph_triples is not None:
        description.extra.append(
            ox.Triple(subject, ox.NamedNode(str(VOID.triples)), _integer(graph_triples))
        )
    return description


def _incoming_page(
    view: GraphView, subject: ox.NamedNode, counts: dict[str, int], start: int, size: int
) -> list[ox.Triple]:
    """Incoming links `start` to `start + size` in (property, subject) order: only the
    properties whose links fall on the page are read (a hub has thousands of mentions)."""
    found: list[ox.Triple] = []
    before = 0
    for predicate in sorted(counts):
        count = counts[predicate]
        if before + count > start and before < start + size:
            links = sorted(
                view.triples(None, node(predicate), subject), key=lambda t: t.subject.value
            )
            found += links[max(0, start - before) : start + size - before]
        before += count
    return found


def _graph_size(view: GraphView, graph: ox.NamedNode) -> int:
    """Triples in a named graph, from the store's manifest (else counted)."""
    manifest = ox.NamedNode(MANIFEST_GRAPH)
    for quad in view.store.quads_for_pattern(graph, ox.NamedNode(TRIPLES), None, manifest):
        return int(quad.object.value)
    return sum(1 for _ in view.store.quads_for_pattern(None, None, None, graph))


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))


def document_triples(
    description: Description,
    *,
    document_url: str,
    page_url: Callable[[int], str],  # page number -> URL of that page of this document
    dataset: str,
) -> list[ox.Triple]:
    """The description plus what the data document says of itself: its topic, its dataset,
    and (when incoming links span several pages) hydra paging links."""
    doc = ox.NamedNode(document_url)
    triples = description.triples()
    triples += [
        ox.Triple(doc, TYPE, ox.NamedNode(FOAF + "Document")),
        ox.Triple(doc, ox.NamedNode(FOAF + "primaryTopic"), description.subject),
        ox.Triple(doc, ox.NamedNode(str(VOID.inDataset)), ox.NamedNode(dataset)),
    ]
    if description.pages > 1:
        h = HYDRA
        collection = ox.NamedNode(page_url(1) + "#incoming")
        triples += [
            ox.Triple(collection, TYPE, ox.NamedNode(h + "Collection")),
            ox.Triple(
                collection, ox.NamedNode(h + "totalItems"), _integer(description.incoming_total)
            ),
            ox.Triple(collection, ox.NamedNode(h + "view"), doc),
            ox.Triple(doc, TYPE, ox.NamedNode(h + "PartialCollectionView")),
            ox.Triple(doc, ox.NamedNode(h + "first"), ox.NamedNode(page_url(1))),
            ox.Triple(doc, ox.NamedNode(h + "last"), ox.NamedNode(page_url(description.pages))),
        ]
        if description.page > 1:
            previous = ox.NamedNode(page_url(description.page - 1))
            triples.append(ox.Triple(doc, ox.NamedNode(h + "previous"), previous))
        if description.page < description.pages:
            following = ox.NamedNode(page_url(description.page + 1))
            triples.append(ox.Triple(doc, ox.NamedNode(h + "next"), following))
    return triples
