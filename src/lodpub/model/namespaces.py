"""The namespaces the model writes, with each term made once: rdflib's Namespace builds and
checks a new URIRef on every access, and one document reads about a thousand terms."""

from __future__ import annotations

from typing import Any

from rdflib import URIRef
from rdflib.namespace import PROV as _PROV
from rdflib.namespace import RDF as _RDF
from rdflib.namespace import RDFS as _RDFS
from rdflib.namespace import SKOS as _SKOS
from rdflib.namespace import XSD as _XSD

from lodpub import vocab


class Terms:
    """`terms.name` and `terms["name"]` as the namespace gives them, kept after first use."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace
        self._items: dict[str, URIRef] = {}

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):  # copy and pickle probes are not terms
            raise AttributeError(name)
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        term = self._items.get(name)
        if term is None:
            term = self._items[name] = self._namespace[name]
        return term


CRM = Terms(vocab.CRM)
CRMINF = Terms(vocab.CRMINF)
DCTERMS = Terms(vocab.DCTERMS)
LP = Terms(vocab.LP)
LPT = Terms(vocab.LPT)
OA = Terms(vocab.OA)
SCHEMA = Terms(vocab.SCHEMA)
PROV = Terms(_PROV)
RDF = Terms(_RDF)
RDFS = Terms(_RDFS)
SKOS = Terms(_SKOS)
XSD = Terms(_XSD)
