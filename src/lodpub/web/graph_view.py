"""One published state of the data, as the pages read it: pattern look-ups, labels, kinds.

Pages are built from `quads_for_pattern` (see shared PEERS.md: cheaper than SPARQL) over the
store's default graph, which lodpub keeps as the merge of the data graphs: each triple once,
however many documents state it. `quads` reads the named graphs, for "which graph says this".
A `GraphView` lives as long as its snapshot; what it computes (labels, per-text mention lists,
counts) is kept with it and dropped when a new generation is published. What is kept per
resource is bounded (`PER_RESOURCE_MAX` values, least recently used out; `LABEL_CACHE_MAX`
labels): rendered pages are kept by the page cache, these only speed up building them.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any, TypeVar
from urllib.parse import unquote

import pyoxigraph as ox

from lodpub.store.manifest import DIGEST, MANIFEST_GRAPH
from lodpub.vocab import CRM, LP, OA, PREFIXES, RDF, RDFS, SKOS
from lodpub.web.addresses import Addresses
from lodpub.web.labels import Vocabulary
from lodpub.web.live_store import Snapshot
from lodpub.web.memory import give_back

T = TypeVar("T")
Term = ox.NamedNode | ox.BlankNode | ox.Literal

MANIFEST = ox.NamedNode(MANIFEST_GRAPH)
DEFAULT = ox.DefaultGraph()
TYPE = ox.NamedNode(str(RDF.type))
LABEL = ox.NamedNode(str(RDFS.label))
PREF_LABEL = ox.NamedNode(str(SKOS.prefLabel))
CONTENT = ox.NamedNode(str(CRM.P190_has_symbolic_content))
HAS_TARGET = ox.NamedNode(str(OA.hasTarget))
HAS_SELECTOR = ox.NamedNode(str(OA.hasSelector))
HAS_SOURCE = ox.NamedNode(str(OA.hasSource))
EXACT = ox.NamedNode(str(OA.exact))
START = ox.NamedNode(str(OA.start))
END = ox.NamedNode(str(OA.end))
REVIEWED = ox.NamedNode(str(LP.reviewed))
# Labels (and other small look-ups) kept per snapshot before they are dropped all at once.
LABEL_CACHE_MAX = 65_536
# Per-resource values (a text's mentions, an entity's co-mentions) kept per snapshot, ~15 KB
# each. A page needing more than this (an entity mentioned in more texts) rebuilds texts over
# and over, several times slower: keep it above the texts of the most mentioned entity (about
# 5,600 at 10k records).
PER_RESOURCE_MAX = 8192
_STARTED = time.time_ns()


def node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def english(literals: list[ox.Literal]) -> str | None:
    """The English value of a set of literals, else an untagged one, else any."""
    for wanted in ("en", None):
        for literal in literals:
            if literal.language == wanted or (
                wanted == "en" and (literal.language or "").startswith("en-")
            ):
                return literal.value
    return literals[0].value if literals else None


class GraphView:
    """The read side of one snapshot; no look-up reads the store's manifest graph."""

    def __init__(self, snapshot: Snapshot, addresses: Addresses, vocabulary: Vocabulary) -> None:
        self.snapshot = snapshot
        self.store = snapshot.store
        self.addresses = addresses
        self.vocabulary = vocabulary
        self.version = self._content_version()
        self._labels: dict[str, str] = {}
        self._memo: dict[Any, Any] = {}
        self._each: OrderedDict[Any, Any] = OrderedDict()
        self._small: dict[Any, Any] = {}
        self._memo_locks: dict[Any, threading.Lock] = {}
        self._memo_lock = threading.Lock()

    def _content_version(self) -> str:
        """The store's content digest (its manifest), so equal data gives equal ETags."""
        for quad in self.store.quads_for_pattern(MANIFEST, node(DIGEST), None, MANIFEST):
            return quad.object.value
        # A store written without lodpub's manifest: unique to this process and generation.
        return f"{self.snapshot.version}-{_STARTED:x}"

    # look-ups

    def quads(
        self,
        s: ox.NamedNode | ox.BlankNode | None = None,
        p: ox.NamedNode | None = None,
        o: Term | None = None,
    ) -> Iterator[ox.Quad]:
        """Matches in each named data graph: a triple once per graph that holds it."""
        for quad in self.store.quads_for_pattern(s, p, o, None):
            if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name != MANIFEST:
                yield quad

    def triples(
        self,
        s: ox.NamedNode | ox.BlankNode | None = None,
        p: ox.NamedNode | None = None,
        o: Term | None = None,
    ) -> list[ox.Triple]:
        """The triples matching the pattern in the merged default graph (each once)."""
        return [q.triple for q in self.store.quads_for_pattern(s, p, o, DEFAULT)]

    def objects(self, s: ox.NamedNode | ox.BlankNode, p: ox.NamedNode) -> list[Term]:
        return [q.object for q in self.store.quads_for_pattern(s, p, None, DEFAULT)]

    def subjects(self, p: ox.NamedNode, o: Term) -> list[ox.NamedNode | ox.BlankNode]:
        return [q.subject for q in self.store.quads_for_pattern(None, p, o, DEFAULT)]

    def value(self, s: ox.NamedNode | ox.BlankNode, p: ox.NamedNode) -> Term | None:
        for quad in self.store.quads_for_pattern(s, p, None, DEFAULT):
            return quad.object
        return None

    def any(
        self,
        s: ox.NamedNode | ox.BlankNode | None = None,
        p: ox.NamedNode | None = None,
        o: Term | None = None,
    ) -> bool:
        """True when some triple of the default graph matches the pattern."""
        return any(True for _ in self.store.quads_for_pattern(s, p, o, DEFAULT))

    def text(self, s: ox.NamedNode | ox.BlankNode, p: ox.NamedNode) -> str | None:
        values = [o for o in self.objects(s, p) if isinstance(o, ox.Literal)]
        return english(values)

    def types(self, iri: str) -> list[str]:
        return [o.value for o in self.objects(node(iri), TYPE) if isinstance(o, ox.NamedNode)]

    def describes(self, iri: str) -> bool:
        """True when the IRI is the subject of a triple or names a graph."""
        return self.any(node(iri)) or self.is_graph(iri)

    def exists(self, iri: str) -> bool:
        """True when the IRI is described, referred to, or names a graph."""
        subject = node(iri)
        return self.any(subject) or self.any(None, None, subject) or self.is_graph(iri)

    def is_graph(self, iri: str) -> bool:
        return iri != MANIFEST_GRAPH and self.store.contains_named_graph(node(iri))

    # labels

    def label(self, term: Term | str) -> str:
        """What a page calls a resource: never a bare IRI where a label exists."""
        if isinstance(term, ox.Literal):
            return term.value
        iri = term if isinstance(term, str) else term.value
        found = self._labels.get(iri)
        if found is None:
            found = self._find_label(iri)
            if len(self._labels) >= LABEL_CACHE_MAX:
                self._labels.clear()
            self._labels[iri] = found
        return found

    def _find_label(self, iri: str) -> str:
        subject = node(iri)
        for predicate in (LABEL, PREF_LABEL):
            found = self.text(subject, predicate)
            if found:
                return found
        known = self.vocabulary.known_label(iri)
        if known:
            return known
        content = self.text(subject, CONTENT)
        if content:
            return content if len(content) <= 80 else content[:79].rstrip() + "…"
        quote = self._quote_of(subject)
        if quote:
            return quote
        return self._part_name(iri)

    def _part_name(self, iri: str) -> str:
        """`catalogue of “Report …”` for an unlabelled sub-resource of a labelled thing."""
        target = self.addresses.split(iri)
        if target is not None and target.rest.count("/") >= 2:
            parent, _, last = iri.rpartition("/")
            return f"{unquote(last)} of {self.label(parent)}"
        return short_name(iri, self.addresses)

    def _quote_of(self, subject: ox.NamedNode) -> str | None:
        """Labels for the unlabelled parts of a mention: annotation, target, selectors."""
        exact = self.text(subject, EXACT)
        if exact:
            return f"quote “{exact}”"
        start, end = self.value(subject, START), self.value(subject, END)
        if start is not None and end is not None:
            return f"characters {start.value}–{end.value}"
        target = self.value(subject, HAS_TARGET)
        if isinstance(target, ox.NamedNode):
            quote = self._selected_text(target)
            return f"mention “{quote}”" if quote else None
        if self.value(subject, HAS_SOURCE) is not None:
            quote = self._selected_text(subject)
            return f"passage “{quote}”" if quote else None
        return None

    def _selected_text(self, target: ox.NamedNode) -> str | None:
        for selector in self.objects(target, HAS_SELECTOR):
            if isinstance(selector, ox.NamedNode):
                exact = self.text(selector, EXACT)
                if exact:
                    return exact
        return None

    def kinds(self, iri: str) -> list[str]:
        """The resource's classes and P2 types, in words."""
        words = [self.vocabulary.label(t) for t in self.types(iri)]
        for kind in self.objects(node(iri), ox.NamedNode(str(CRM.P2_has_type))):
            if isinstance(kind, ox.NamedNode):
                words.append(self.label(kind))
        return list(dict.fromkeys(words))

    # memo

    def remember(self, key: Any, compute: Callable[[], T]) -> T:
        """`compute()` once per snapshot and key, for cheap idempotent look-ups (no locking)."""
        try:
            return self._small[key]
        except KeyError:
            if len(self._small) >= LABEL_CACHE_MAX:
                self._small.clear()
            found = self._small[key] = compute()
            return found

    def memo(self, key: Any, compute: Callable[[], T]) -> T:
        """`compute()` once per snapshot and key; concurrent callers of one key wait for it.

        A string key names a value of the whole snapshot, kept with it; a tuple key a value of
        one resource, kept while among the `PER_RESOURCE_MAX` most recently used."""
        kept = self._each if isinstance(key, tuple) else self._memo
        try:
            found = kept[key]
        except KeyError:
            pass
        else:
            if kept is self._each:
                with self._memo_lock:
                    if key in kept:
                        kept.move_to_end(key)
            return found
        with self._memo_lock:
            lock = self._memo_locks.setdefault(key, threading.Lock())
        try:
            with lock:
                try:
                    return kept[key]
                except KeyError:
                    found = compute()
                with self._memo_lock:
                    kept[key] = found
                    if len(self._each) > PER_RESOURCE_MAX:
                        self._each.popitem(last=False)
                if kept is self._memo:
                    # what a whole-snapshot value took to build is freed: hand it back
                    give_back()
                return found
        finally:
            with self._memo_lock:
                self._memo_locks.pop(key, None)


def short_name(iri: str, addresses: Addresses) -> str:
    """A readable stand-in for an IRI nothing labels: a prefixed name or its last segments."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)) :]}"
    target = addresses.split(iri)
    if target is not None:
        return unquote(target.rest.rsplit("/", 1)[-1]) or target.rest
    return iri.split("://", 1)[-1].rstrip("/")
