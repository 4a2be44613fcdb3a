"""Counts: "more than 3,000 Communists", "up to 6,000 members", "of three people"; not dates,
durations, list numbers or references ("F. 172", "battalion 88")."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from lodpub.extract.found import Found
from lodpub.extract.lexicon import Lexicon
from lodpub.extract.mention import CountValue, Mention
from lodpub.extract.text import Doc

NUMBER_RE = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
CLOCK_RE = re.compile(r"\s*(?:[ap]\.\s?m\b|[ap]m\b|hrs?\b|h\b|o['’]clock)", re.IGNORECASE)
CLAUSE_BREAK = re.compile(r"[,;:()]")
PARTICIPATION = ("participating", "attending", "present", "taking part", "took part")


@dataclass(frozen=True, slots=True)
class _Number:
    first: int  # token index
    last: int
    value: int


class CountFinder:
    def __init__(self, doc: Doc, lex: Lexicon, found: Found) -> None:
        self.doc, self.lex, self.found = doc, lex, found
        self.tokens = doc.tokens
        cues = "|".join(re.escape(c) for c in sorted(lex.reference_cues, key=len, reverse=True))
        self.reference_re = re.compile(rf"(?:^|[\s(\[])(?:{cues})\s*$")
        self.breaks = [m.start() for m in CLAUSE_BREAK.finditer(doc.body)]

    def find(self) -> None:
        mentions, i = [], 0
        while i < len(self.tokens):
            number = self._number(i)
            if number is None:
                i += 1
                continue
            mention = self._count(number)
            if mention is not None:
                mentions.append(mention)
            i = number.last + 1
        for mention in mentions:
            self.found.add(mention)

    # numbers

    def _number(self, i: int) -> _Number | None:
        tok, lex = self.tokens[i], self.lex
        if tok.kind == "num":
            if not NUMBER_RE.fullmatch(tok.text):
                return None  # ordinals, decimals
            return _Number(i, i, int(tok.text.replace(",", "")))
        if not tok.is_lower:
            return None
        value, last, k = 0, None, i
        current = 0
        while k < len(self.tokens) and self.tokens[k].is_word:
            words = self.tokens[k].text.lower().split("-")
            if not all(
                w in lex.number_units or w in lex.number_tens or w in lex.number_multipliers
                for w in words
            ):
                break
            for w in words:
                if w in lex.number_multipliers:
                    current = max(current, 1) * lex.number_multipliers[w]
                    if lex.number_multipliers[w] >= 1000:
                        value, current = value + current, 0
                else:
                    current += lex.number_units.get(w, 0) + lex.number_tens.get(w, 0)
            last = k
            if not self.doc.joined(k):
                break
            k += 1
        if last is None:
            return None
        total = value + current
        if total == 1 and last == i:
            return None  # "one" is mostly a pronoun: "one of the most influential parties"
        return _Number(i, last, total)

    def _excluded(self, n: _Number) -> bool:
        """Dates, durations, list numbers, references, ranges and units that are not counts."""
        doc, tokens, lex = self.doc, self.tokens, self.lex
        start, end = tokens[n.first].start, tokens[n.last].end
        if self.found.overlapping(start, end, "date"):
            return True
        if self.reference_re.search(doc.body[max(0, start - 14) : start]):
            return True
        prev = doc.word(n.first - 1)
        if prev is not None and doc.joined(n.first - 1) and prev.text.lower() in lex.group_heads:
            return True  # "battalion 88"
        nxt = tokens[n.last + 1] if n.last + 1 < len(tokens) else None
        if nxt is not None and nxt.start == end and nxt.text in "-–/%:":
            return True  # "21-26", "371/84", "60%", "10:30"
        if nxt is not None and nxt.start == end and nxt.text in ".)" and doc.line_start(n.first):
            return True  # "1." and "1)" numbering a list
        if (
            n.first > 0
            and tokens[n.first - 1].end == start
            and tokens[n.first - 1].text in "-–/$£#."
        ):
            return True
        if CLOCK_RE.match(doc.body, end):
            return True  # "about 6 a.m."
        following = doc.word(n.last + 1)
        return following is not None and following.text.lower() in lex.time_units

    # counts

    def _count(self, n: _Number) -> Mention | None:
        if self._excluded(n):
            return None
        doc, tokens, lex = self.doc, self.tokens, self.lex
        qualifier = lex.count_qualifiers.match_before(doc.body, tokens, n.first)
        if qualifier is not None and not doc.joined(n.first - 1):
            qualifier = None
        first = n.first - qualifier[0] if qualifier else n.first
        membership = self._membership_verb(first)
        noun_last = self._counted(n.last)
        if noun_last is None and qualifier is None and membership is None:
            return None
        start = tokens[first].start
        end = tokens[noun_last if noun_last is not None else n.last].end
        counted = doc.body[tokens[n.last + 1].start : end] if noun_last is not None else None
        value = self._value(n.value, qualifier[1] if qualifier else "exact")
        head = tokens[noun_last].text if noun_last is not None else None
        unit = (
            "members"
            if head is None
            else "persons"
            if head in lex.person_nouns or head.lower() in lex.person_nouns
            else head.lower()
        )
        subject = self._subject(n, first, noun_last, membership)
        value = CountValue(**value, unit=unit, counted=counted, subject=subject)
        recognizer, confidence = (
            ("count.qualifier", 0.85) if qualifier or membership else ("count.number", 0.8)
        )
        return Mention(
            "count", start, end, doc.body[start:end], recognizer, confidence, count=value
        )

    @staticmethod
    def _value(number: int, meaning: str) -> dict:
        if meaning == "lower-exclusive":
            return {"lower": number, "lower_exclusive": True}
        if meaning == "lower-inclusive":
            return {"lower": number}
        if meaning == "upper-exclusive":
            return {"upper": number, "upper_exclusive": True}
        if meaning == "upper-inclusive":
            return {"upper": number}
        if meaning == "approximate":
            return {"value": number, "approximate": True}
        if meaning == "several":
            return {"lower": 2 * number, "upper": 9 * number, "approximate": True}
        return {"value": number}

    def _counted(self, last: int) -> int | None:
        """Last token of the counted noun phrase after the number ("senior communists")."""
        doc, lex, tokens = self.doc, self.lex, self.tokens
        k, end = last + 1, None
        while k < len(tokens) and k - last <= 5 and doc.joined(k - 1):
            tok = tokens[k]
            if not tok.is_word:
                break
            lower = tok.text.lower()
            nxt = doc.word(k + 1)
            if (
                lower in ("and", "or")
                and end is not None
                and tokens[end].lower in lex.person_nouns
                and nxt is not None
                and nxt.lower in lex.person_nouns
            ):
                k += 1  # "French soldiers and officers", "women and children"
                continue
            if (
                lower in lex.function_words
                or lower.endswith(("ing", "ly"))
                or tok.text in lex.months
            ):
                break
            if (
                tok.is_lower and tok.text.title() in lex.compass
            ) or lower in lex.place_prepositions:
                break  # "90,000 men south of the parallel"
            if lower.endswith("ed") and lower not in lex.person_nouns:
                break
            end = k
            k += 1
        return end

    def _membership_verb(self, first: int) -> int | None:
        """Index of "numbers"/"numbering" shortly before the count ("numbering, at present, N")."""
        for k in range(first - 1, max(-1, first - 8), -1):
            tok = self.tokens[k]
            if tok.is_word and tok.text.lower() in self.lex.membership_verbs:
                return k
            if tok.text in ".;!?":
                return None
        return None

    # subject

    def _subject(
        self, n: _Number, first: int, noun_last: int | None, membership: int | None
    ) -> tuple[int, int] | None:
        doc, tokens = self.doc, self.tokens
        sentence = doc.sentence_of(tokens[n.first].start)
        in_sentence = lambda m: sentence[0] <= m.start and m.end <= sentence[1]  # noqa: E731
        start = tokens[first].start
        # "an organization bureau of 14 people"
        if first > 0 and tokens[first - 1].text == "of":
            of = tokens[first - 1]
            groups = [m for m in self.found.of("group") if in_sentence(m)]
            before = [
                g for g in groups if g.end <= of.start and not doc.body[g.end : of.start].strip()
            ]
            if before:
                return self._resolved(max(before, key=lambda g: g.end - g.start))
        # "the party numbers about 10,000"
        if membership is not None:
            groups = [m for m in self.found.of("group") if in_sentence(m)]
            preceding = [g for g in groups if g.end <= tokens[membership].start]
            if preceding:
                return self._resolved(max(preceding, key=lambda g: (g.end, g.end - g.start)))
        # "six Provincial Committees": the counted phrase is itself a group
        if noun_last is not None:
            after_number = tokens[n.last + 1].start
            counted = [g for g in self.found.starting_at(after_number, "group") if in_sentence(g)]
            if counted:
                return max(counted, key=lambda g: g.end).span
        end = tokens[noun_last if noun_last is not None else n.last].end
        # "with 65 senior communists participating": a count of an event's participants
        rest = doc.body[end : end + 20].lstrip()
        if rest.startswith(PARTICIPATION):
            events = [m for m in self.found.of("event") if in_sentence(m)]
            if events:
                return min(events, key=lambda m: abs(m.start - start)).span
        # "more than 3,000 Communists in North Korea"
        after = doc.word(doc.token_at(end))
        if after is not None and after.text in ("in", "of") and doc.joined(doc.token_at(end) - 1):
            places = self.found.starting_at(tokens[doc.token_at(end) + 1].start, "place")
            if places:
                return places[0].span
        # otherwise the nearest group, else place, in the same clause: between the clause
        # breaks around the count (a long sentence is not searched mention by mention)
        at = bisect_left(self.breaks, start)
        left = self.breaks[at - 1] if at else -1
        at = bisect_left(self.breaks, end, at)
        right = self.breaks[at] if at < len(self.breaks) else len(doc.body)
        clause = [
            m
            for m in self.found.overlapping(left, right + 1, "group", "place")
            if in_sentence(m) and m.alternative_to is None
        ]
        clause.sort(key=lambda m: (m.kind != "group", m.start, -m.end))
        preceding = [g for g in clause if g.kind == "group" and g.end <= start]
        if preceding:
            return self._resolved(max(preceding, key=lambda g: (g.end, g.end - g.start)))
        places = [m for m in clause if m.kind == "place"]
        if places:
            return min(places, key=lambda m: abs(m.start - start)).span
        return None

    def _resolved(self, group: Mention) -> tuple[int, int]:
        """An anaphor ("the party") stands for the latest group named with the same head noun
        within the three sentences before; otherwise it is its own subject."""
        info = self.found.groups.get(group.span)
        if info is None or not info.anaphor:
            return group.span
        first_sentence = max(0, self.doc.sentence_index(group.start) - 3)
        floor = self.doc.sentences[first_sentence][0] if self.doc.sentences else 0
        candidates = [
            m
            for m in self.found.of("group")
            if floor <= m.start
            and m.end <= group.start
            and (other := self.found.groups.get(m.span)) is not None
            and not other.anaphor
            and other.head == info.head
        ]
        if not candidates:
            return group.span
        return max(candidates, key=lambda m: (m.start, m.end - m.start)).span


def find_counts(doc: Doc, lex: Lexicon, found: Found) -> None:
    CountFinder(doc, lex, found).find()
