"""Our application profile (ontology/lodpub.ttl): loading it and looking up local types in it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from lodpub.uris import slugify
from lodpub.vocab import AAT, CRM, LP, LPT

VOCABULARY_PATH = Path(__file__).resolve().parents[3] / "ontology" / "lodpub.ttl"


@cache
def _parsed() -> Graph:
    if not VOCABULARY_PATH.is_file():
        raise FileNotFoundError(f"{VOCABULARY_PATH}: lodpub's vocabulary file is missing")
    return Graph().parse(VOCABULARY_PATH, format="turtle")


def vocabulary_graph() -> Graph:
    """A fresh copy of ontology/lodpub.ttl, parsed (callers may change it freely)."""
    graph = Graph()
    for triple in _parsed():
        graph.add(triple)
    for prefix, namespace in _parsed().namespaces():
        graph.bind(prefix, namespace, override=True)
    return graph


class Vocabulary:
    """Look-ups of our local types by facet and by the words other stages use for them."""

    def __init__(self, graph: Graph) -> None:
        self._graph = graph
        self._declared = frozenset(s for s in graph.subjects() if isinstance(s, URIRef))
        self._words: dict[tuple[str, str], URIRef] = {}
        for concept in sorted(self._declared):
            facet = self.facet_of(concept)
            if facet is None:
                continue
            self._words.setdefault((facet, concept.rsplit("/", 1)[1]), concept)
            for predicate in (SKOS.prefLabel, SKOS.altLabel):
                for label in sorted(graph.objects(concept, predicate)):
                    self._words.setdefault((facet, slugify(str(label))), concept)
        # answers per term, kept: every document asks the same few hundred times
        self._aat: dict[URIRef, tuple[URIRef, ...]] = {}
        self._classes: dict[URIRef, URIRef] = {}
        self._labels: dict[URIRef, str] = {}

    @staticmethod
    def facet_of(concept: URIRef) -> str | None:
        """The facet ("event", "unit", ...) of a local type URI `lpt:{facet}/{slug}`."""
        if not concept.startswith(str(LPT)):
            return None
        path = concept[len(str(LPT)) :]
        return path.split("/", 1)[0] if "/" in path else None

    def declares(self, term: URIRef) -> bool:
        return term in self._declared

    def type(self, facet: str, slug: str) -> URIRef:
        """The declared type `lpt:{facet}/{slug}`; raises KeyError naming it if undeclared."""
        term = LPT[f"{facet}/{slug}"]
        if term not in self._declared:
            raise KeyError(f"{term} is not declared in {VOCABULARY_PATH}")
        return term

    def find(self, facet: str, word: str) -> URIRef | None:
        """The type of `facet` whose slug, preferred or alternative label matches `word`."""
        return self._words.get((facet, slugify(word)))

    def crm_class(self, event_type: URIRef) -> URIRef:
        """The CRM class events of this type get (lp:crmClass), E5_Event when unstated."""
        if event_type not in self._classes:
            value = self._graph.value(event_type, LP.crmClass)
            self._classes[event_type] = value if isinstance(value, URIRef) else CRM.E5_Event
        return self._classes[event_type]

    def aat_matches(self, term: URIRef) -> tuple[URIRef, ...]:
        """The Getty AAT concepts a local type is an exact match of."""
        if term not in self._aat:
            self._aat[term] = tuple(
                sorted(
                    m
                    for m in self._graph.objects(term, SKOS.exactMatch)
                    if isinstance(m, URIRef) and m.startswith(str(AAT))
                )
            )
        return self._aat[term]

    def label(self, term: URIRef) -> str:
        if term not in self._labels:
            value = self._graph.value(term, SKOS.prefLabel)
            self._labels[term] = str(value) if value is not None else term.rsplit("/", 1)[-1]
        return self._labels[term]


@cache
def vocabulary() -> Vocabulary:
    return Vocabulary(_parsed())
