"""Persons: romanized East Asian names, Western names, capitals, honorifics, context, tags."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace

from lodpub.extract.found import Found
from lodpub.extract.lexicon import Lexicon
from lodpub.extract.mention import Mention
from lodpub.extract.names import romanized, title_word
from lodpub.extract.text import Doc, Token

# When several rules find the same span, the mention is credited to the first in this order.
PRIORITY = (
    "person.honorific",
    "person.allcaps",
    "person.tag",
    "person.east-asian",
    "person.western",
    "person.last-first",
    "person.context",
    "person.signature",
    "person.coordinated",
)
MIXED_CASE_RE = re.compile(r"\b[A-Z][a-z]+[A-Z]\w*\b")


@dataclass
class _Candidate:
    first: int  # token index
    last: int  # token index, inclusive
    recognizer: str
    confidence: float
    name: str
    surname: str | None = None  # a Western-order surname a lone later mention may repeat
    honorific: bool = False


class PersonFinder:
    """Collects candidates from every rule, merges equal spans, keeps the best non-overlapping."""

    def __init__(self, doc: Doc, lex: Lexicon, found: Found) -> None:
        self.doc, self.lex, self.found = doc, lex, found
        self.tokens = doc.tokens
        self.mixed = {m.group().upper(): m.group() for m in MIXED_CASE_RE.finditer(doc.body)}

    def find(self) -> None:
        candidates: list[_Candidate] = []
        for run in self._runs():
            candidates.extend(self._in_run(run))
        candidates.extend(self._last_first())
        candidates.extend(self._tags())
        candidates.extend(self._signatures())
        chosen = self._select(self._merge(candidates))
        chosen.extend(self._coordinated(chosen))
        chosen.extend(self._surname_references(chosen))
        for cand in chosen:
            start, end = self.tokens[cand.first].start, self.tokens[cand.last].end
            self.found.add(
                Mention(
                    "person",
                    start,
                    end,
                    self.doc.body[start:end],
                    cand.recognizer,
                    round(min(cand.confidence, 0.98), 2),
                    name=cand.name,
                )
            )

    # token tests

    def _title(self, tok: Token) -> str:
        return title_word(tok.text, keep=self.mixed) if tok.is_upper else tok.text

    def _blocked(self, k: int) -> bool:
        """True for a word that cannot be part of a name: stop word, title, place, acronym."""
        tok, lex = self.tokens[k], self.lex
        if lex.name_blocked(self._title(tok)):
            return True
        if lex.abbreviations.match(self.doc.body, self.tokens, k):
            return True
        place = lex.gazetteer.match(self.doc.body, self.tokens, k)
        return bool(place) and not place[1][1]

    def _same_line(self, k: int) -> bool:
        """True when tokens `k` and `k + 1` are separated by spaces on one line."""
        return (
            self.doc.joined(k)
            and "\n" not in self.doc.body[self.tokens[k].end : self.tokens[k + 1].start]
        )

    def _initial(self, k: int) -> bool:
        """ "S." in "Harry S. Truman"."""
        tok = self.tokens[k]
        return (
            tok.kind == "word"
            and len(tok.text) == 1
            and tok.text.isupper()
            and k + 1 < len(self.tokens)
            and self.tokens[k + 1].text == "."
            and self.doc.touching(k)
        )

    def _runs(self) -> list[list[int]]:
        """Maximal sequences of capitalised words, initials (with their dot) and particles."""
        doc, tokens, lex = self.doc, self.tokens, self.lex
        runs, run = [], []
        for k, tok in enumerate(tokens):
            member = (
                tok.is_cap
                or (tok.text == "." and k > 0 and doc.touching(k - 1) and tokens[k - 1].is_cap)
                or (
                    tok.is_lower
                    and tok.text in lex.particles
                    and doc.word(k + 1) is not None
                    and tokens[k + 1].is_cap
                )
            )
            same_line = run and "\n" not in doc.body[tokens[run[-1]].end : tok.start]
            if member and same_line and doc.joined(run[-1]) and run[-1] == k - 1:
                run.append(k)
            else:
                if run:
                    runs.append(run)
                run = [k] if member else []
        if run:
            runs.append(run)
        return runs

    def _name_extent(
        self, p: int, end: int, limit: int = 4, initial_last: bool = False
    ) -> int | None:
        """Last token of a name starting at `p` within a run ending at `end`, or None; with
        `initial_last`, a name may end with an initial ("George F.")."""
        last, words, k = None, 0, p
        while k <= end and words < limit:
            tok = self.tokens[k]
            if k > p and "\n" in self.doc.body[self.tokens[k - 1].end : tok.start]:
                break
            if self._initial(k):
                if initial_last and last is not None:
                    last = k + 1
                k += 2
                continue
            if tok.is_lower and tok.text in self.lex.particles:
                k += 1
                continue
            if not tok.is_cap or self._blocked(k):
                break
            last, words = k, words + 1
            k += 1
        return last

    def _name(self, first: int, last: int, east_asian: bool = False) -> str:
        parts: list[str] = []
        for k in range(first, last + 1):
            tok = self.tokens[k]
            if tok.text == ".":
                if parts:
                    parts[-1] += "."
                continue
            if tok.kind != "word":
                continue
            parts.append(title_word(tok.text, lower_after_hyphen=east_asian, keep=self.mixed))
        return " ".join(parts)

    # rules within a run

    def _in_run(self, run: list[int]) -> list[_Candidate]:
        found: list[_Candidate] = []
        end = run[-1]
        for p in run:
            if self.tokens[p].kind != "word":
                continue
            found.extend(self._east_asian(p, end))
            found.extend(self._western(p, end, run))
            found.extend(self._allcaps(p, end, run))
            found.extend(self._honorific(p, end))
            found.extend(self._context(p, end, run))
        return found

    def _east_asian(self, p: int, end: int):
        tokens, lex = self.tokens, self.lex
        family = self._title(tokens[p])
        strong = family in lex.surnames
        if strong or family in lex.weak_surnames:
            givens: list[int] = []
            q = p + 1
            while q <= end and len(givens) < 2 and self._given(q, tokens[p]):
                givens.append(q)
                if "-" in tokens[q].text:
                    break
                q += 1
            if givens:
                hyphenated = "-" in tokens[givens[0]].text
                if hyphenated and len(givens) > 1:
                    givens = givens[:1]
                if strong or hyphenated or len(givens) == 2:
                    confidence = 0.9 if hyphenated else 0.85 if len(givens) == 2 else 0.8
                    name = self._name(p, givens[-1], east_asian=True)
                    yield _Candidate(p, givens[-1], "person.east-asian", confidence, name)
        # Western order: a romanized given name of two or more syllables, then a family name.
        tok = tokens[p]
        if (
            p + 1 <= end
            and tokens[p + 1].is_cap
            and self._title(tokens[p + 1]) in lex.surnames
            and tok.is_upper == tokens[p + 1].is_upper
            and len(tok.text) >= 5
            and not strong
            and self._title(tok) not in lex.given_names
            and not self._blocked(p)
            and romanized(tok.text, 3)
        ):
            name = self._name(p, p + 1)
            yield _Candidate(
                p, p + 1, "person.east-asian", 0.75, name, surname=self._title(tokens[p + 1])
            )

    def _given(self, q: int, family: Token) -> bool:
        tok = self.tokens[q]
        return (
            tok.is_cap
            and (tok.is_upper == family.is_upper or len(family.text) == 1)
            and len(tok.text.replace("-", "")) <= 10
            and not self._blocked(q)
            and romanized(tok.text, 2)
        )

    def _western(self, p: int, end: int, run: list[int]):
        tokens, lex = self.tokens, self.lex
        tok = tokens[p]
        if self._initial(p) and (p == run[0] or not tokens[p - 1].is_word or p - 1 not in run):
            last = self._name_extent(p, end)
            if last is not None and last > p:
                yield _Candidate(
                    p, last, "person.western", 0.85, self._name(p, last), self._title(tokens[last])
                )
            return
        if tok.is_lower and tok.text in lex.particles and p == run[0]:
            last = self._name_extent(p, end, limit=1)
            if last is not None:
                yield _Candidate(
                    p, last, "person.western", 0.7, self._name(p, last), self._title(tokens[last])
                )
            return
        if self._title(tok) not in lex.given_names:
            return
        last = self._name_extent(p + 1, end) if p + 1 <= end else None
        if last is None:
            return
        initials = any(self._initial(k) for k in range(p, last))
        confidence = 0.9 if initials else 0.85
        yield _Candidate(
            p, last, "person.western", confidence, self._name(p, last), self._title(tokens[last])
        )

    def _allcaps(self, p: int, end: int, run: list[int]):
        """ "KIM IL SUNG", "SYNGMAN RHEE": capitals inside mixed-case prose mark surnames."""
        tokens, lex = self.tokens, self.lex
        if self.doc.is_shouting(tokens[p].start) or not self._upper(p):
            return
        if p - 1 in run and self._upper(p - 1):
            return  # not the start of the capitals
        last = p
        while last + 1 <= end and self._upper(last + 1):
            last += 1
        if not 1 <= last - p <= 3:
            return
        for k in range(p, last + 1):
            text = tokens[k].text
            if self._blocked(k) or not re.search(r"[AEIOUY]", text):
                return
        east = self._title(tokens[p]) in lex.surnames or self._title(tokens[p]) in lex.weak_surnames
        surname = None if east else self._title(tokens[last])
        yield _Candidate(
            p, last, "person.allcaps", 0.85, self._name(p, last, east_asian=east), surname
        )

    def _upper(self, k: int) -> bool:
        tok = self.tokens[k]
        return tok.is_upper or (
            tok.kind == "word"
            and len(tok.text) == 1
            and tok.text.isupper()
            and not self._initial(k)
        )

    def _honorific(self, p: int, end: int):
        """ "Cde. STALIN", "CC Secretary Pak Heon-yeong", "comrade Kim": the title is left out."""
        doc, lex = self.doc, self.lex
        if p == 0 or not doc.joined(p - 1):
            return
        hit = lex.honorifics.match_before(
            doc.body, self.tokens, p
        ) or lex.honorifics_lowercase.match_before(doc.body, self.tokens, p)
        if hit is None:
            return
        last = self._name_extent(p, end)
        if last is None:
            return
        confidence = 0.9 if hit[1] == "address" else 0.8
        tok = self.tokens[p]
        east = self._title(tok) in lex.surnames or self._title(tok) in lex.weak_surnames
        surname = None if east and last > p else self._title(self.tokens[last])
        yield _Candidate(
            p,
            last,
            "person.honorific",
            confidence,
            self._name(p, last, east_asian=east and last > p),
            surname,
            honorific=True,
        )

    def _context(self, p: int, end: int, run: list[int]):
        """ "headed by Song Jin-u", "X, who was": a name-like sequence in a name's place."""
        doc, lex = self.doc, self.lex
        if p != run[0] and self.tokens[p - 1].kind == "word":
            return
        last = self._name_extent(p, end, limit=3)
        if last is None:
            return
        before = (
            p > 0
            and doc.joined(p - 1)
            and lex.context_before.match_before(doc.body, self.tokens, p)
        )
        before = before or self._after_title_in_brackets(p, last)
        after = any(doc.body.startswith(cue, self.tokens[last].end) for cue in lex.context_after)
        words = sum(1 for k in range(p, last + 1) if self.tokens[k].kind == "word")
        if before or (after and words >= 2):
            confidence = 0.65 if words >= 2 else 0.6
            surname = self._title(self.tokens[last]) if words >= 2 else None
            yield _Candidate(p, last, "person.context", confidence, self._name(p, last), surname)

    def _after_title_in_brackets(self, p: int, last: int) -> bool:
        """ "The Ambassador in Korea (Muccio) to the Secretary": a name glossing a title."""
        tokens = self.tokens
        if (
            p < 1
            or last + 1 >= len(tokens)
            or tokens[p - 1].text != "("
            or tokens[last + 1].text != ")"
        ):
            return False
        return any(
            tokens[k].is_cap and tokens[k].text in self.lex.title_words
            for k in range(max(0, p - 7), p - 1)
        )

    def _signatures(self):
        """A line of one to three capitalised words only, such as a telegram's "MUCCIO"."""
        doc, tokens = self.doc, self.tokens
        lines = [m.span() for m in re.finditer(r"[^\n]+", doc.body) if m.group().strip()]
        for start, end in lines[1:]:
            first, last = doc.token_at(start), doc.token_at(end) - 1
            if last < first:
                continue
            words = [k for k in range(first, last + 1) if tokens[k].kind == "word"]
            if not 1 <= len(words) <= 3 or not all(tokens[k].is_cap for k in words):
                continue
            if any(
                t.kind != "word" and not (t.text == "." and self._initial(k - 1))
                for k, t in enumerate(tokens[first : last + 1], first)
            ):
                continue
            if any(self._blocked(k) for k in words if not self._initial(k)):
                continue
            east = self._title(tokens[first]) in self.lex.surnames
            surname = None if east else self._title(tokens[words[-1]])
            yield _Candidate(
                first, last, "person.signature", 0.6, self._name(first, last, east), surname
            )

    # rules across tokens

    def _last_first(self):
        """ "Truman, Harry S.", "Rhee, Syngman": a family name, a comma, given names."""
        doc, tokens, lex = self.doc, self.tokens, self.lex
        for i in range(len(tokens) - 2):
            tok = tokens[i]
            if (
                not tok.is_cap
                or tokens[i + 1].text != ","
                or not doc.touching(i)
                or not doc.joined(i + 1)
            ):
                continue
            if i > 0 and doc.joined(i - 1) and tokens[i - 1].is_cap:
                continue
            if self._blocked(i) or not tokens[i + 2].is_cap:
                continue
            family = self._title(tok)
            first_given = self._title(tokens[i + 2])
            if first_given in lex.given_names:
                last = self._name_extent(i + 2, len(tokens) - 1, limit=3, initial_last=True)
            elif family in lex.surnames and self._given(i + 2, tok):
                last = i + 2
                if (
                    "-" not in tokens[i + 2].text
                    and i + 3 < len(tokens)
                    and doc.joined(i + 2)
                    and self._given(i + 3, tok)
                ):
                    last = i + 3
            elif self._initial(i + 2):
                last = i + 2  # "Menon, K. P. S."
                while self._initial(last):
                    last += 2
                last -= 1
            else:
                continue
            if last is None:
                continue
            nxt = last + 1
            if nxt < len(tokens) and tokens[nxt].is_cap and self._same_line(nxt - 1):
                continue  # "Truman, Harry Hodge": not a name in "Last, First" order
            given = self._name(i + 2, last)
            name = f"{given} {self._title(tok)}"
            yield _Candidate(i, last, "person.last-first", 0.8, name, family)

    def _tags(self):
        """The archive's own person tags, found again in the body ("Rhee, Syngman")."""
        doc = self.doc
        for tag in doc.record.tags:
            if tag.kind not in ("person", "agent"):
                continue
            family, comma, given = (part.strip() for part in tag.label.partition(","))
            if not comma and tag.kind == "agent":
                continue
            natural = f"{given} {family}" if comma else tag.label.strip()
            forms = {natural, natural.upper(), tag.label.strip()}
            for form in forms:
                for m in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", doc.body):
                    first, last = doc.token_at(m.start()), doc.token_at(m.end()) - 1
                    surname = family if comma else natural.split()[-1]
                    yield _Candidate(first, last, "person.tag", 0.9, natural, surname)

    # choosing

    def _merge(self, candidates: list[_Candidate]) -> list[_Candidate]:
        """One candidate per span; each further rule agreeing adds 0.05."""
        by_span: dict[tuple[int, int], list[_Candidate]] = {}
        for cand in candidates:
            by_span.setdefault((cand.first, cand.last), []).append(cand)
        merged = []
        for group in by_span.values():
            group.sort(key=lambda c: PRIORITY.index(c.recognizer))
            best = max(group, key=lambda c: c.confidence)
            rules = {c.recognizer for c in group}
            confidence = best.confidence + 0.05 * (len(rules) - 1)
            surname = next((c.surname for c in group if c.surname), None)
            lead = group[0]
            name = best.name if lead.recognizer != "person.honorific" else lead.name
            if any(c.recognizer == "person.last-first" for c in group):
                name = next(c.name for c in group if c.recognizer == "person.last-first")
            merged.append(replace(lead, confidence=confidence, name=name, surname=surname))
        return merged

    def _select(self, candidates: list[_Candidate]) -> list[_Candidate]:
        chosen: list[_Candidate] = []
        # The chosen token ranges never overlap, so kept sorted by first token only the two
        # neighbours of a candidate need a look (a long record has thousands of names).
        firsts: list[int] = []
        lasts: list[int] = []
        tokens = self.tokens
        cores = self.found.group_cores()
        for cand in sorted(candidates, key=lambda c: (-c.confidence, c.first - c.last, c.first)):
            start, end = tokens[cand.first].start, tokens[cand.last].end
            at = bisect_right(firsts, cand.first)
            if (at and lasts[at - 1] >= cand.first) or (
                at < len(firsts) and firsts[at] <= cand.last
            ):
                continue
            if self.found.overlapping(start, end, "date"):
                continue
            if any(s < end and start < e for s, e in cores) and not self._possessive(cand.last):
                continue
            if not self._settle_places(cand, start, end):
                continue
            chosen.append(cand)
            firsts.insert(at, cand.first)
            lasts.insert(at, cand.last)
        return chosen

    def _possessive(self, k: int) -> bool:
        """ "Pak Heon-yeong's group": the name is a reference of its own."""
        return k + 1 < len(self.tokens) and self.tokens[k + 1].text in "'’" and self.doc.touching(k)

    def _settle_places(self, cand: _Candidate, start: int, end: int) -> bool:
        """Resolve overlaps with places: the longer wins; an ambiguous place loses a tie."""
        for place in self.found.overlapping(start, end, "place"):
            if (
                place.start <= start
                and end <= place.end
                and (place.start, place.end) != (start, end)
            ):
                return False
            if (
                (place.start, place.end) == (start, end)
                and place.confidence > 0.6
                and not cand.honorific
            ):
                return False
            if (
                not (start <= place.start and place.end <= end)
                and place.confidence >= cand.confidence
            ):
                return False
        for place in self.found.overlapping(start, end, "place"):
            self.found.discard(place)
        return True

    def _coordinated(self, chosen: list[_Candidate]) -> list[_Candidate]:
        """ "Comrades Kádár and Apró", "Molotov and Eden": a name listed with a person's name."""
        doc, tokens = self.doc, self.tokens
        taken = {k for c in chosen for k in range(c.first, c.last + 1)}
        found: list[_Candidate] = []
        for cand in sorted(chosen, key=lambda c: c.first):
            k = cand.last + 1
            while k + 1 < len(tokens) and tokens[k].text in (",", "and") and doc.joined(k - 1):
                k += 1
                if tokens[k].text == "and" and tokens[k - 1].text == ",":
                    k += 1
                if k >= len(tokens) or k in taken or not doc.joined(k - 1):
                    break
                last = self._name_extent(k, min(k + 3, len(tokens) - 1), limit=3)
                if last is None or any(j in taken for j in range(k, last + 1)):
                    break
                start, end = tokens[k].start, tokens[last].end
                if self.found.overlapping(start, end, "place", "group", "date"):
                    break
                title = self._title(tokens[last])
                found.append(
                    _Candidate(k, last, "person.coordinated", 0.6, self._name(k, last), title)
                )
                taken.update(range(k, last + 1))
                k = last + 1
        return found

    def _surname_references(self, chosen: list[_Candidate]) -> list[_Candidate]:
        """A lone family name already seen as the end of a full Western-order name ("Truman")."""
        tokens, doc = self.tokens, self.doc
        first_seen: dict[str, int] = {}
        taken = set()
        for cand in chosen:
            taken.update(range(cand.first, cand.last + 1))
            if cand.surname and (cand.last > cand.first or cand.honorific):
                seen = first_seen.get(cand.surname)
                first_seen[cand.surname] = min(seen, cand.first) if seen is not None else cand.first
        found = []
        for k, tok in enumerate(tokens):
            if not tok.is_cap or k in taken:
                continue
            surname = self._title(tok)
            if surname not in first_seen or first_seen[surname] >= k:
                continue
            if (k + 1 < len(tokens) and tokens[k + 1].is_cap and doc.joined(k)) or (
                k > 0 and tokens[k - 1].is_cap and doc.joined(k - 1) and not self._blocked(k - 1)
            ):
                continue
            if self.found.overlapping(tok.start, tok.end, "place", "group", "date"):
                continue
            found.append(_Candidate(k, k, "person.surname", 0.7, surname))
        return found


def find_persons(doc: Doc, lex: Lexicon, found: Found) -> None:
    PersonFinder(doc, lex, found).find()
