"""The name index of one store version: every name of every entity, folded, in look-up tables.

Built once per snapshot (`name_index(view)`, a GraphView memo) and dropped with it when a new
generation is published. Every name is keyed by `lodpub.resolve.names.name_keys` — the folding
the resolver uses — so case, diacritics, hyphens, honorifics and "Last, First" never matter.
Besides the exact keys it holds each key's word set (word order), a word → entities table with
word weights (rare words tell more), character trigrams for typo search, and the sorted words
for prefix search.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field

from lodpub.resolve.names import name_keys
from lodpub.web.graph_view import GraphView
from lodpub.web.reconcile.entities import TRANSITIVE, Entity, read_entities


@dataclass(frozen=True)
class Key:
    """One folded name of one entity."""

    text: str
    entity: int
    name: str  # the name as held
    is_label: bool
    words: frozenset[str]


@dataclass
class NameIndex:
    entities: list[Entity]
    by_iri: dict[str, int] = field(default_factory=dict)  # also the IRIs merged away
    keys: list[Key] = field(default_factory=list)
    exact: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))  # -> keys
    word_sets: dict[frozenset[str], list[int]] = field(default_factory=lambda: defaultdict(list))
    postings: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # -> entities
    trigrams: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # -> keys
    keys_of: list[list[int]] = field(default_factory=list)  # entity -> its keys
    words: list[str] = field(default_factory=list)  # sorted, for prefix search
    weights: dict[str, float] = field(default_factory=dict)
    unknown_weight: float = 1.0

    @classmethod
    def build(cls, entities: list[Entity]) -> NameIndex:
        index = cls(entities)
        for number, entity in enumerate(entities):
            index.by_iri[entity.iri] = number
            index.keys_of.append([])
            for name in entity.names:
                for text in sorted(name_keys(name, entity.kind)):
                    words = frozenset(text.split())
                    index._add(Key(text, number, name, name == entity.label, words))
        for number, entity in enumerate(entities):
            for replaced in entity.replaces:
                index.by_iri.setdefault(replaced, number)
        total = len(entities)
        # Inverse document frequency over entities: "party" or "korea" weigh little.
        index.weights = {w: math.log(1 + total / len(ids)) for w, ids in index.postings.items()}
        index.unknown_weight = math.log(1 + max(total, 1))
        index.words = sorted(index.postings)
        # Plain dicts from here on: concurrent look-ups must never insert.
        index.exact = dict(index.exact)
        index.word_sets = dict(index.word_sets)
        index.postings = dict(index.postings)
        index.trigrams = dict(index.trigrams)
        return index

    def _add(self, key: Key) -> None:
        number = len(self.keys)
        self.keys.append(key)
        self.keys_of[key.entity].append(number)
        self.exact[key.text].append(number)
        self.word_sets[key.words].append(number)
        for word in key.words:
            self.postings[word].add(key.entity)
        for gram in trigrams(key.text):
            self.trigrams[gram].add(number)

    def weight(self, word: str) -> float:
        return self.weights.get(word, self.unknown_weight)

    def words_starting(self, prefix: str) -> list[str]:
        """The indexed words that begin with `prefix`."""
        found = []
        for word in self.words[bisect_left(self.words, prefix) :]:
            if not word.startswith(prefix):
                break
            found.append(word)
        return found

    def upwards(self, entity: int, prop: str) -> set[str]:
        """The IRIs an entity links to by `prop`, followed upwards when the property is
        transitive (member of a member of ..., within a place within ...)."""
        direct = self.entities[entity].links.get(prop, ())
        step = TRANSITIVE.get(prop)
        if prop == "took_place_at":
            step = "falls_within"
        seen: set[str] = set()
        todo = list(direct)
        while todo:
            iri = todo.pop()
            if iri in seen:
                continue
            seen.add(iri)
            above = self.by_iri.get(iri)
            if step is not None and above is not None:
                todo.extend(self.entities[above].links.get(step, ()))
        return seen


def trigrams(text: str) -> set[str]:
    """The character trigrams of a folded name, padded so that short names have some."""
    padded = f" {text} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def name_index(view: GraphView) -> NameIndex:
    """The index of the view's snapshot, built on first use."""
    return view.memo("reconcile-name-index", lambda: NameIndex.build(read_entities(view)))
