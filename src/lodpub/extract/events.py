"""Events: trigger nouns and verbs with types, plans told apart, linked to dates, places, actors."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from lodpub.extract.found import Found
from lodpub.extract.lexicon import Lexicon
from lodpub.extract.mention import EventValue, Mention
from lodpub.extract.text import Doc

# Words before a noun trigger that make it a verb ("to strike", "will protest").
VERBAL = frozenset(
    {"to", "will", "would", "shall", "should", "could", "can", "may", "might", "must", "did", "not"}
)
# Determiners taken into a noun trigger's phrase ("a rally", "the strikes of ...").
DETERMINERS = frozenset(
    {"a", "an", "the", "this", "that", "these", "those", "its", "their", "his", "her", "our"}
)
ROMAN = frozenset({"I", "II", "III", "IV"})
SINGULAR = frozenset({"a", "an", "this", "that"})
# Words after a meeting noun that bring in who met: "a conversation with Zhou Enlai".
WITH = frozenset({"with", "between"})


@dataclass(frozen=True, slots=True)
class _Trigger:
    first: int
    last: int
    type: str
    planned: bool
    recognizer: str
    confidence: float
    name: str | None = None


class EventFinder:
    def __init__(self, doc: Doc, lex: Lexicon, found: Found) -> None:
        self.doc, self.lex, self.found = doc, lex, found
        self.tokens = doc.tokens
        self.cores = found.group_cores()
        self.plan_cache: dict[int, tuple[int | None, bool]] = {}
        self.spans: list[tuple[int, int]] = []  # every trigger's span, in text order
        self.longest = 0  # the longest trigger's length

    def find(self) -> None:
        triggers: list[_Trigger] = []
        for i, tok in enumerate(self.tokens):
            if not tok.is_word:
                continue
            trigger = self._named(i) or self._noun(i) or self._verb(i)
            if trigger is not None:
                triggers.append(trigger)
        spans = [(self.tokens[t.first].start, self.tokens[t.last].end) for t in triggers]
        self.spans = sorted(spans)
        self.longest = max((e - s for s, e in spans), default=0)
        mentions = [
            self._mention(trigger, start, end)
            for trigger, (start, end) in zip(triggers, spans, strict=True)
        ]
        for mention in mentions:
            self.found.add(mention)

    # triggers

    def _named(self, i: int) -> _Trigger | None:
        """ "the October Revolution", "the Korean War": a capitalised event noun with a modifier."""
        tok, doc = self.tokens[i], self.doc
        kind = self.lex.named_event_nouns.get(tok.text)
        if kind is None:
            return None
        first = i
        while first > 0 and doc.joined(first - 1):
            prev = self.tokens[first - 1]
            if not prev.is_cap or prev.text.lower() in self.lex.function_words:
                break
            first -= 1
        if first == i:
            return None
        last = (
            i + 1 if doc.word(i + 1) and self.tokens[i + 1].text in ROMAN and doc.joined(i) else i
        )
        name = " ".join(self.tokens[k].text for k in range(first, last + 1))
        first = self._determiner(first)
        return _Trigger(first, last, kind, False, "event.named", 0.8, name)

    def _noun(self, i: int) -> _Trigger | None:
        tok, doc, lex = self.tokens[i], self.doc, self.lex
        kind = lex.event_nouns.get(tok.text.lower())
        if kind is None or (tok.is_cap and not self._capitalised_event(i)):
            return None
        if any(s <= tok.start < e for s, e in self.cores):
            return None  # "Leon Levy Foundation"
        prev = doc.word(i - 1)
        if prev is not None and prev.text.lower() in VERBAL and doc.joined(i - 1):
            return None
        first = self._premodifiers(i)
        last = self._of_phrase(i)
        return _Trigger(first, last, kind, self._planned(i, False), "event.trigger", 0.7)

    def _capitalised_event(self, i: int) -> bool:
        """ "Congress", "Conversation" with a capital: an event unless part of a name ("Leon
        Levy Foundation", "Strike Committee")."""
        tok, following = self.tokens[i], self.doc.word(i + 1)
        if following is not None and following.is_cap and self.doc.joined(i):
            return False
        return not self.found.overlapping(tok.start, tok.end, "group", "person", "place")

    def _verb(self, i: int) -> _Trigger | None:
        tok, lex = self.tokens[i], self.lex
        lower = tok.text.lower()
        if lower in lex.movement and tok.is_lower:
            return self._movement(i, lex.movement[lower])
        if lower in lex.intransitive and tok.is_lower:
            return self._intransitive(i, lex.intransitive[lower]) or self._met_with(
                i, lex.intransitive[lower]
            )
        if lower in lex.participles:
            kind, base = lex.participles[lower], False
        elif lower in lex.base_forms and (tok.is_lower or self.doc.sentence_initial(i)):
            kind, base = lex.base_forms[lower], True
        else:
            return None
        needs = lex.verb_arguments.get(kind, "group")
        if not base and self._passive(i):
            if not self._subject(i, needs):
                return None
            last = i
        else:
            last = self._object(i, needs)
            if last is None:
                return None
        return _Trigger(i, last, kind, self._planned(i, base), "event.trigger", 0.6)

    def _intransitive(self, i: int, kind: str) -> _Trigger | None:
        """ "The Politburo met", "The Politburo will meet": the group is named just before."""
        doc, k = self.doc, i - 1
        while (
            k >= 0
            and doc.joined(k)
            and self.tokens[k].text.lower() in VERBAL | {"again", "then", "also"}
        ):
            k -= 1
        if k < 0 or not doc.joined(k):
            return None
        subjects = [
            m
            for m in self.found.ending_at(self.tokens[k].end, "group")
            if m.recognizer != "group.abbreviation" or m.confidence > 0.5
        ]
        if not subjects:
            return None
        first = doc.token_at(min(m.start for m in subjects))
        base = self.tokens[i].text.lower() == "meet"
        return _Trigger(first, i, kind, self._planned(i, base), "event.trigger", 0.6)

    def _movement(self, i: int, kind: str) -> _Trigger | None:
        """ "arrived in Budapest", "will arrive in Geneva": a place follows."""
        doc, tokens = self.doc, self.tokens
        k = i + 1
        if k + 1 >= len(tokens) or tokens[k].lower not in self.lex.place_prepositions | {
            "to",
            "for",
        }:
            return None
        if not self.found.starting_at(tokens[k + 1].start, "place"):
            return None
        base = tokens[i].lower in ("arrive", "depart", "return", "travel")
        prev = doc.word(i - 1)
        planned = self._planned(i, base and prev is not None and prev.lower in VERBAL)
        return _Trigger(i, i, kind, planned, "event.trigger", 0.6)

    def _met_with(self, i: int, kind: str) -> _Trigger | None:
        """ "to meet Molotov and Eden", "met with Zhou Enlai": persons or groups follow."""
        doc, tokens = self.doc, self.tokens
        k = i + 1
        if k < len(tokens) and tokens[k].lower == "with" and doc.joined(i):
            k += 1
        if k >= len(tokens) or not doc.joined(k - 1):
            return None
        objects = self.found.starting_at(tokens[k].start, "person", "group")
        if not objects:
            return None
        last = doc.token_at(objects[0].end) - 1
        while last + 2 < len(tokens) and tokens[last + 1].text in (",", "and"):
            more = self.found.starting_at(tokens[last + 2].start, "person", "group")
            if not more:
                break
            last = doc.token_at(more[0].end) - 1
        base = tokens[i].lower == "meet"
        return _Trigger(i, last, kind, self._planned(i, base), "event.trigger", 0.6)

    # phrase edges

    def _determiner(self, first: int) -> int:
        det = self.doc.word(first - 1)
        if det is not None and det.text.lower() in DETERMINERS and self.doc.joined(first - 1):
            return first - 1
        return first

    def _premodifiers(self, i: int) -> int:
        """Leftmost token of determiner, date and adjectives before noun `i` ("the 18 October")."""
        doc, lex, first = self.doc, self.lex, i
        k = i - 1
        while k >= 0 and doc.joined(k) and i - k <= 5:
            tok = self.tokens[k]
            dates = self.found.overlapping(tok.start, tok.end, "date")
            if dates:
                k = doc.token_at(dates[0].start)
                first = k
                k -= 1
                continue
            if tok.text in "'’s" and k >= 2 and doc.touching(k - 1):
                k -= 1
                continue
            if tok.is_word and tok.text.lower() in DETERMINERS:
                if tok.lower in SINGULAR and self.tokens[i].lower.endswith("s"):
                    break  # "asked that elections be held": "that" is no determiner here
                return k
            if not tok.is_word:
                break
            if tok.text.lower() in lex.function_words and tok.text.lower() not in lex.ordinals:
                break
            lower = tok.text.lower()
            if (
                tok.is_lower
                and lower.endswith(("ed", "ly"))
                and lower not in lex.participle_modifiers
            ):
                break
            first = k
            k -= 1
        return first

    def _of_phrase(self, i: int) -> int:
        """Last token of an "of" phrase after noun `i`: "of tram and textile workers"."""
        doc, lex, tokens = self.doc, self.lex, self.tokens
        if not (doc.joined(i) and i + 1 < len(tokens) and doc.joined(i + 1)):
            return i
        word = tokens[i + 1].lower
        if word in WITH and self.lex.event_nouns.get(tokens[i].lower) == "meeting":
            return self._with_phrase(i)
        if word != "of":
            return i
        k, last, words = i + 2, i, 0
        if doc.word(k) and tokens[k].text.lower() in DETERMINERS and doc.joined(k):
            k += 1
        while k < len(tokens) and words < 6:
            groups = self.found.starting_at(tokens[k].start, "group", "place", "person")
            if groups:
                k = doc.token_at(groups[0].end)
                last, words = k - 1, words + 1
                if not doc.joined(last):
                    break
                continue
            tok = tokens[k]
            if not tok.is_word:
                break
            lower = tok.text.lower()
            if lower == "and":
                nxt = doc.word(k + 1)
                if (
                    nxt is None
                    or nxt.text.lower() in DETERMINERS
                    or nxt.text.lower() in lex.function_words
                ):
                    break
            elif lower in lex.function_words or lower.endswith("ing"):
                break
            last, words = k, words + 1
            if not doc.joined(k):
                break
            k += 1
        return last

    def _with_phrase(self, i: int) -> int:
        """Last token of "with"/"between" and the persons or groups that met."""
        doc, tokens, last = self.doc, self.tokens, i
        k = i + 2
        while k < len(tokens):
            title = self.lex.honorifics.match(doc.body, tokens, k)
            if title is not None:
                k += title[0]  # "between Prime Minister Yoshida and Mr. Dulles"
            actors = (
                self.found.starting_at(tokens[k].start, "person", "group")
                if k < len(tokens)
                else []
            )
            if not actors:
                break
            last = doc.token_at(actors[0].end) - 1
            k = last + 1
            if k + 1 < len(tokens) and tokens[k].text in (",", "and") and doc.joined(last):
                k += 1
                continue
            break
        return last

    def _passive(self, i: int) -> bool:
        """ "have been registered", "is officially registered", "[have been registered]"."""
        doc = self.doc
        for k in range(i - 1, max(-1, i - 4), -1):
            tok = self.tokens[k]
            if not tok.is_word or not doc.joined(k):
                return False
            if tok.text.lower() in self.lex.auxiliaries:
                return True
            if not (tok.text.endswith("ly") or tok.text in ("not", "never", "also", "already")):
                return False
        return False

    @staticmethod
    def _kinds(needs: str) -> tuple[str, ...]:
        return {"person-or-group": ("group", "person"), "any": ("group", "person", "place")}.get(
            needs, ("group",)
        )

    def _subject(self, i: int, needs: str) -> bool:
        """A group (or person, for elections) named shortly before a passive trigger."""
        kinds = self._kinds(needs)
        start = self.doc.sentence_of(self.tokens[i].start)[0]
        window = self.tokens[max(0, i - 14)].start
        for mention in self.found.overlapping(max(start, window), self.tokens[i].start, *kinds):
            if mention.end <= self.tokens[i].start:
                return True
        for k in range(i - 1, max(-1, i - 5), -1):
            if self.tokens[k].text.lower() in self.lex.group_heads:
                return True
        return False

    def _object(self, i: int, needs: str) -> int | None:
        """Last token of the object of an active trigger when it is a group (or person)."""
        doc, lex, tokens = self.doc, self.lex, self.tokens
        k = i + 1
        for _ in range(5):
            if k >= len(tokens) or not doc.joined(k - 1) or not tokens[k].is_word:
                return None
            mentions = self.found.starting_at(tokens[k].start, *self._kinds(needs))
            if mentions:
                return doc.token_at(mentions[0].end) - 1
            lower = tokens[k].text.lower()
            if lower in lex.event_nouns:
                return None  # "convene the first Congress": the noun is the trigger
            if lower in lex.group_heads:
                return k
            if lower in lex.function_words and lower not in DETERMINERS:
                return None
            k += 1
        return None

    def _planned(self, i: int, base: bool) -> bool:
        """A base-form verb, a plan cue earlier in the sentence, or a modal anywhere in it."""
        if base:
            return True
        first_cue, modal = self._plan_cues(self.doc.sentence_index(self.tokens[i].start))
        return modal or (first_cue is not None and first_cue < self.tokens[i].start)

    def _plan_cues(self, sentence: int) -> tuple[int | None, bool]:
        if sentence not in self.plan_cache:
            self.plan_cache[sentence] = plan_cues(self.doc, self.lex, sentence)
        return self.plan_cache[sentence]

    # linking

    def _mention(self, t: _Trigger, start: int, end: int) -> Mention:
        sentence = self.doc.sentence_of(start)
        inside = lambda m: sentence[0] <= m.start and m.end <= sentence[1]  # noqa: E731

        # Only what reaches into the sentence is looked at: a record with thousands of
        # events is not searched whole for each one.
        def of(*kinds: str) -> list[Mention]:
            near = self.found.overlapping(sentence[0], sentence[1], *kinds)
            return sorted(near, key=lambda m: (m.start, -m.end))

        first = bisect_left(self.spans, (sentence[0] - self.longest,))
        others = [
            span
            for span in self.spans[first : bisect_left(self.spans, (sentence[1],), first)]
            if span != (start, end)
        ]

        def distance(m: Mention) -> int:
            if start <= m.start and m.end <= end:
                return 0
            return m.start - end if m.start >= end else start - m.end

        # a date inside another event's phrase is that event's ("the 18 October demonstration")
        elsewhere = [(s, e) for s, e in others if not (s <= start and end <= e)]
        dates = [
            m
            for m in of("date")
            if inside(m) and not any(s <= m.start and m.end <= e for s, e in elsewhere)
        ]
        nested = [g.span for g in of("group") if g.recognizer != "group.anaphor"]
        places = [
            m
            for m in of("place")
            if inside(m)
            and m.alternative_to is None
            and not any(s <= m.start and m.end <= e for s, e in nested)
        ]
        actors = [m for m in of("person", "group") if inside(m) and m.alternative_to is None]
        date = min(dates, key=distance, default=None)
        value = EventValue(
            type=t.type,
            planned=t.planned,
            date=date.span if date else None,
            places=tuple(m.span for m in sorted(places, key=distance)),
            participants=tuple(m.span for m in sorted(actors, key=distance)),
            sentence=sentence,
        )
        text = self.doc.body[start:end]
        return Mention(
            "event", start, end, text, t.recognizer, t.confidence, name=t.name, event=value
        )


def plan_cues(doc: Doc, lex: Lexicon, sentence: int) -> tuple[int | None, bool]:
    """(offset of the first plan cue, whether a modal occurs) in the sentence of that index."""
    tokens = doc.tokens
    start, end = doc.sentences[sentence] if doc.sentences else (0, len(doc.body))
    first_cue, modal = None, False
    k = doc.token_at(start)
    while k < len(tokens) and tokens[k].start < end:
        if first_cue is None and lex.plan_before.match(doc.body, tokens, k):
            first_cue = tokens[k].start
        modal = modal or bool(lex.plan_anywhere.match(doc.body, tokens, k))
        k += 1
    return first_cue, modal


def find_events(doc: Doc, lex: Lexicon, found: Found) -> None:
    EventFinder(doc, lex, found).find()
