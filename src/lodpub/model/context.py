"""What every part of the mapping of one document shares: its URIs, its two graphs, its helpers."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import Protocol

from rdflib import Literal, URIRef
from rdflib.term import Node

from lodpub.resolve.entity import Entity, Link, Resolution
from lodpub.sources.record import Record
from lodpub.uris import Uris

from .namespaces import CRM, RDF, RDFS, XSD
from .vocabulary import Vocabulary, vocabulary


class Triples(Protocol):
    """Where the mapping writes: a set of triples (`build`) or an rdflib Graph (authority)."""

    def add(self, triple: tuple[Node, Node, Node], /) -> object: ...


class ModelError(ValueError):
    """A Resolution that cannot be mapped faithfully, named by record source and field."""


def label(text: str) -> Literal:
    """A display label: English-tagged, as every rdfs:label lodpub writes."""
    return Literal(text, lang="en")


def content(text: str) -> Literal:
    """Symbolic content (P190) exactly as given: a plain string, never re-normalised."""
    return Literal(text)


def decimal(value: float) -> Literal:
    """A 0..1 score as xsd:decimal with three places, so output never depends on float printing."""
    return _decimal(f"{value:.3f}")


@lru_cache(maxsize=4096)  # scores repeat across mentions and documents
def _decimal(text: str) -> Literal:
    return Literal(Decimal(text), datatype=XSD.decimal)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def add_type(graph: Triples, node: URIRef, term: URIRef) -> None:
    """P2 a type, and also the AAT concepts it exactly matches (what Linked Art consumers read)."""
    graph.add((node, CRM.P2_has_type, term))
    for match in vocabulary().aat_matches(term):
        graph.add((node, CRM.P2_has_type, match))


def add_node(graph: Triples, node: URIRef, cls: URIRef, text: str) -> URIRef:
    """Type `node` and give it its English label."""
    graph.add((node, RDF.type, cls))
    graph.add((node, RDFS.label, label(text)))
    return node


@dataclass
class Context:
    """The mapping of one record: inputs, the catalogue and claims graphs, and minted nodes."""

    resolution: Resolution
    uris: Uris
    vocab: Vocabulary
    catalogue: Triples
    claims: Triples
    # entities this document introduces that no one reviewed, with the rules that found them
    introduced: dict[str, tuple[Entity, set[str]]] = field(default_factory=dict)
    # annotation URIs already minted, so that two bodies for one span get two annotations
    annotated: set[str] = field(default_factory=set)

    @property
    def record(self) -> Record:
        return self.resolution.record

    @property
    def key(self) -> str:
        return self.record.key

    @cached_property
    def doc(self) -> URIRef:
        return URIRef(self.uris.document(self.key))

    def part(self, *path: str) -> URIRef:
        return URIRef(self.uris.doc_part(self.key, *path))

    @cached_property
    def text(self) -> URIRef:
        """The text whose P190 is the record's body: what every selector points into."""
        return self.part("text", primary_subtag(self.record.language))

    @cached_property
    def author(self) -> URIRef:
        return self.part("author")

    @property
    def title(self) -> str:
        """The title for labels: the record's, or the document key when it has none."""
        return self.record.title.strip() or f"document {self.key}"

    def error(self, field_name: str, message: str) -> ModelError:
        return ModelError(f"{self.record.source}: [{field_name}] {message}")

    def links_by_span(self) -> dict[tuple[int, int], Link]:
        spans: dict[tuple[int, int], Link] = {}
        for link in self.resolution.links:
            spans.setdefault(link.mention.span, link)
        return spans

    def entity_label(self, uri: str) -> str:
        entity = self.resolution.entities.get(uri)
        if entity is not None:
            return entity.label
        introduced = self.introduced.get(uri)
        return introduced[0].label if introduced else uri.rsplit("/", 1)[-1]


def primary_subtag(language: str) -> str:
    """The primary language subtag of a BCP 47 tag, lower case: "ko-Latn" -> "ko"."""
    return language.split("-", 1)[0].strip().lower() or "und"
