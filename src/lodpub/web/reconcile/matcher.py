"""Scoring a name against the name index: one matcher for reconciliation, lookup and search.

Scores run from 0 to 100; a candidate keeps its best way of matching:

| how | score |
|---|---|
| the query is the entity's IRI (or an IRI merged into it) | 100 |
| a folded name equals the folded query: the preferred label / another name | 100 / 98 |
| the same words in another order ("Yong-beom Kim") | 90 |
| one typo (two in names of 14+ characters) in a name of 8+ characters | 85 / 75 |
| shared words, weighted by how rare they are among names (see `_similarity`) | up to 80 |

Unreviewed entities lose 3 points, so a curated entry comes before a document's namesake.
A candidate that fails a property constraint keeps half its score. `match` is true only for
the top candidate, and only when it matched a name exactly, meets every constraint, and no
other candidate comes within `MATCH_MARGIN` points: precision before recall.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from lodpub.resolve.names import fold, name_keys
from lodpub.web.reconcile.entities import PROPERTIES, Entity
from lodpub.web.reconcile.index import NameIndex, trigrams

LABEL_SCORE = 100.0
NAME_SCORE = 98.0
WORD_ORDER_SCORE = 90.0
TYPO_SCORES = {1: 85.0, 2: 75.0}
WORDS_SCORE = 80.0
UNREVIEWED_PENALTY = 3.0
CONSTRAINT_FACTOR = 0.5
MATCH_MARGIN = 10.0
TYPO_MIN_LENGTH = 8
TWO_TYPOS_LENGTH = 14
PROPERTIES_ONLY_SCORE = 60.0
_BRACKETED = re.compile(r"^(?P<name>[^\[\]]+?)\s*\[(?P<other>[^\[\]]+)\]\s*$")
_PREFIX_WORDS_MAX = 200


@dataclass(frozen=True)
class Mode:
    """How generous matching is: reconciliation wants few sure candidates, a search box more."""

    min_score: float
    prefix: bool  # the last word may be incomplete (the user is still typing)


RECONCILE = Mode(min_score=55.0, prefix=False)
LOOKUP = Mode(min_score=10.0, prefix=True)


@dataclass(frozen=True)
class Constraint:
    """A property constraint: the entity's `prop` links to something one of `values` names.

    A value is a name (compared folded with the linked entity's names), an IRI, or for
    `external_id` an identifier's last segment."""

    prop: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Candidate:
    entity: Entity
    score: float
    how: str  # identifier, label, name, word-order, typo, words, prefix, properties
    name: str  # the name of the entity that matched
    constraints_met: bool = True
    match: bool = False

    @property
    def exact(self) -> bool:
        return self.how in ("identifier", "label", "name")


class Matcher:
    """Finds and ranks the entities of one name index for a name."""

    def __init__(self, index: NameIndex) -> None:
        self.index = index

    def match(
        self,
        query: str | None,
        *,
        accept: Callable[[Entity], bool] | None = None,
        constraints: Iterable[Constraint] = (),
        limit: int | None = 10,
        mode: Mode = RECONCILE,
    ) -> list[Candidate]:
        """The best `limit` (None: all) candidates for `query` (None: by the constraints
        alone), best first."""
        constraints = tuple(constraints)
        found = self._by_query(query, mode) if query else self._by_constraints(constraints)
        ranked = []
        for candidate in found.values():
            if accept is not None and not accept(candidate.entity):
                continue
            score = candidate.score
            if candidate.entity.reviewed is False:
                score -= UNREVIEWED_PENALTY
            met = all(self.meets(candidate.entity, c) for c in constraints)
            if not met:
                score *= CONSTRAINT_FACTOR
            if score >= mode.min_score:
                ranked.append(replace(candidate, score=round(score, 1), constraints_met=met))
        ranked.sort(key=lambda c: (-c.score, c.entity.label.casefold(), c.entity.iri))
        if ranked:
            top = ranked[0]
            sure = top.exact and top.constraints_met
            if sure and (len(ranked) == 1 or ranked[1].score < top.score - MATCH_MARGIN):
                ranked[0] = replace(top, match=True)
        return ranked[:limit]

    def suggest(
        self, prefix: str, *, accept: Callable[[Entity], bool] | None = None
    ) -> list[Candidate]:
        """Entities with a name whose words begin with the words typed, best first."""
        by_iri = self.index.by_iri.get(prefix.strip())
        if by_iri is not None:
            entity = self.index.entities[by_iri]
            return [Candidate(entity, LABEL_SCORE, "identifier", entity.label)]
        typed = fold(prefix).split()
        if not typed:
            return []
        sets = []
        for word in typed:
            words = self.index.words_starting(word)
            sets.append(set().union(*(self.index.postings[w] for w in words)))
        whole = " ".join(typed)
        found = []
        for number in set.intersection(*sets):
            entity = self.index.entities[number]
            if accept is not None and not accept(entity):
                continue
            best = None
            for key_id in self.index.keys_of[number]:
                key = self.index.keys[key_id]
                score = _prefix_score(key.text, typed, whole)
                if score and (best is None or score > best.score):
                    best = Candidate(entity, score, "prefix", key.name)
            if best is not None:
                found.append(best)
        found.sort(key=lambda c: (-c.score, c.entity.label.casefold(), c.entity.iri))
        return found

    # candidates

    def _by_query(self, query: str, mode: Mode) -> dict[int, Candidate]:
        found: dict[int, Candidate] = {}
        number = self.index.by_iri.get(query.strip())
        if number is not None:
            entity = self.index.entities[number]
            return {number: Candidate(entity, LABEL_SCORE, "identifier", entity.label)}
        for variant in _variants(query):
            if name_keys(variant) == name_keys(variant, "person"):
                self._score(variant, None, mode, found, persons=None)
            else:  # a title leads the name: dropped before persons' names only
                self._score(variant, None, mode, found, persons=False)
                self._score(variant, "person", mode, found, persons=True)
        return found

    def _by_constraints(self, constraints: tuple[Constraint, ...]) -> dict[int, Candidate]:
        if not constraints:
            return {}
        return {
            number: Candidate(entity, PROPERTIES_ONLY_SCORE, "properties", entity.label)
            for number, entity in enumerate(self.index.entities)
            if all(self.meets(entity, c) for c in constraints)
        }

    def _score(
        self,
        text: str,
        kind: str | None,
        mode: Mode,
        found: dict[int, Candidate],
        *,
        persons: bool | None,
    ) -> None:
        """Score the entities (only persons, only others, or all: `persons`) against one form
        of the query folded for `kind`, keeping each entity's best."""
        index = self.index

        def fits(number: int) -> bool:
            return persons is None or (index.entities[number].kind == "person") == persons

        def keep(number: int, score: float, how: str, name: str) -> None:
            if fits(number) and (number not in found or score > found[number].score):
                found[number] = Candidate(index.entities[number], score, how, name)

        keys = name_keys(text, kind)
        for text_key in keys:
            # The name written as queried first, so the candidate shows that form.
            written = text.casefold()
            exact = sorted(
                index.exact.get(text_key, ()),
                key=lambda k: index.keys[k].name.casefold() != written,
            )
            for key_id in exact:
                key = index.keys[key_id]
                how = "label" if key.is_label else "name"
                keep(key.entity, LABEL_SCORE if key.is_label else NAME_SCORE, how, key.name)
            for key_id in index.word_sets.get(frozenset(text_key.split()), ()):
                key = index.keys[key_id]
                keep(key.entity, WORD_ORDER_SCORE, "word-order", key.name)
        folded = fold(text, kind)
        if len(folded) >= TYPO_MIN_LENGTH:
            for key_id, distance in self._typos(folded):
                key = index.keys[key_id]
                keep(key.entity, TYPO_SCORES[distance], "typo", key.name)
        least = mode.min_score / WORDS_SCORE
        for number, similarity, name in self._shared_words(folded.split(), mode.prefix, least):
            keep(number, round(WORDS_SCORE * similarity, 1), "words", name)

    def _typos(self, folded: str) -> Iterable[tuple[int, int]]:
        """(key, distance) for the names within the allowed edit distance of `folded`."""
        limit = 1 if len(folded) < TWO_TYPOS_LENGTH else 2
        grams = trigrams(folded)
        # An edit changes at most three trigrams, a swap of neighbours four: fewer shared
        # ones means too far apart.
        needed = len(grams) - 4 * limit
        shared: dict[int, int] = {}
        for gram in grams:
            for key_id in self.index.trigrams.get(gram, ()):
                shared[key_id] = shared.get(key_id, 0) + 1
        for key_id, count in shared.items():
            if count < needed:
                continue
            text = self.index.keys[key_id].text
            distance = edit_distance(folded, text, limit)
            if 0 < distance <= limit:
                yield key_id, distance

    def _shared_words(
        self, words: list[str], prefix: bool, least: float
    ) -> Iterable[tuple[int, float, str]]:
        """(entity, weighted share of words in common, the name) for entities sharing a word
        and possibly reaching similarity `least`."""
        if not words:
            return
        index = self.index
        query = set(words)
        # One letter begins too many words to tell anything, unless it is all that was typed.
        partial = words[-1] if prefix and (len(words[-1]) > 1 or len(words) == 1) else None
        completions = set(index.words_starting(partial)[:_PREFIX_WORDS_MAX]) if partial else set()
        sought = query | completions
        if partial is None:
            # A name holding only common words of the query ("party", "of") stays below
            # `least` (similarity is at most the share of the words it holds): skip them.
            total = sum(index.weight(w) for w in query)
            dropped = 0.0
            for word in sorted(query, key=index.weight):
                dropped += index.weight(word)
                if dropped >= least * total:
                    break
                sought.discard(word)
        entities: set[int] = set()
        for word in sought:
            entities |= index.postings.get(word, set())
        for number in entities:
            best, best_name = 0.0, ""
            for key_id in index.keys_of[number]:
                key = index.keys[key_id]
                similarity = self._similarity(query, key.words, partial)
                if similarity > best:
                    best, best_name = similarity, key.name
            if best > 0:
                yield number, best, best_name

    def _similarity(self, query: set[str], name: set[str], partial: str | None) -> float:
        """The mean of the weighted Jaccard of two word sets and the weighted share of the
        query's words the name holds; a partial last word counts as the name's word it begins."""
        if partial is not None and partial not in name:
            completed = next((w for w in sorted(name) if w.startswith(partial)), None)
            if completed is not None:
                query = (query - {partial}) | {completed}
        weight = self.index.weight
        common = sum(weight(w) for w in query & name)
        if not common:
            return 0.0
        jaccard = common / sum(weight(w) for w in query | name)
        return (jaccard + common / sum(weight(w) for w in query)) / 2

    # constraints

    def meets(self, entity: Entity, constraint: Constraint) -> bool:
        """True when the entity has the property with a value the constraint names."""
        prop = PROPERTIES[constraint.prop]
        if entity.kind not in prop.kinds:
            return False
        number = self.index.by_iri[entity.iri]
        linked = self.index.upwards(number, constraint.prop)
        if not linked:
            return False
        if constraint.prop == "external_id":
            ends = {iri.rstrip("/").rsplit("/", 1)[-1] for iri in linked}
            return any(v in linked or v.rsplit(":", 1)[-1] in ends for v in constraint.values)
        for value in constraint.values:
            target = self.index.by_iri.get(value)
            if target is not None and self.index.entities[target].iri in linked:
                return True
            wanted = name_keys(value)
            for iri in linked:
                other = self.index.by_iri.get(iri)
                if other is not None and wanted & self._texts(other):
                    return True
        return False

    def _texts(self, number: int) -> set[str]:
        return {self.index.keys[k].text for k in self.index.keys_of[number]}


def _variants(query: str) -> list[str]:
    """The query, and for "Name [Other]" (a translation's bracketed romanization) both names."""
    found = _BRACKETED.match(query)
    if found is None:
        return [query]
    return [query, found["name"], found["other"]]


def _prefix_score(text: str, typed: list[str], whole: str) -> float:
    """How well a folded name fits what was typed: 0 when some typed word begins none of its
    words."""
    if text == whole:
        return 100.0
    if text.startswith(whole):
        return 90.0
    words = text.split()
    if all(any(w.startswith(t) for w in words) for t in typed):
        return 70.0
    return 0.0


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of neighbours is one edit), or limit + 1 when
    it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1] if previous[-1] <= limit else limit + 1
