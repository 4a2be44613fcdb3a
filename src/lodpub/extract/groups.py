"""Groups: noun phrases headed by "party", "committee", ...; abbreviations; collective actors."""

from __future__ import annotations

from dataclasses import dataclass

from lodpub.extract.found import Found, GroupInfo
from lodpub.extract.lexicon import Abbreviation, Lexicon
from lodpub.extract.mention import Mention
from lodpub.extract.names import clean, title_word
from lodpub.extract.text import Doc

# Words after which a lower-case word is a verb, not a modifier ("would keep forces").
VERB_MARKERS = frozenset(
    {"to", "will", "would", "shall", "should", "can", "could", "may", "might", "must", "do", "did"}
)
# Words that stay lower case when a name written in capitals is given its normal form.
SMALL_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "at", "to", "de", "du"})


@dataclass(frozen=True, slots=True)
class _Head:
    lemma: str
    kind: str  # "noun" | "proper" | "abbr"
    unit: bool = False
    plural: bool = False
    expansion: str | None = None


class GroupFinder:
    """Finds group mentions; right to left, so an "of" complement is known before its head."""

    def __init__(self, doc: Doc, lex: Lexicon, found: Found) -> None:
        self.doc, self.lex, self.found = doc, lex, found
        self.by_first_token: dict[int, Mention] = {}
        self.heads_used: set[int] = set()
        self.defined: dict[str, str] = {}  # abbreviations the record defines: "(KCP)"

    def find(self) -> None:
        self._known_names()
        for i in range(len(self.doc.tokens) - 1, -1, -1):
            self._head_at(i)
        self._defined_names()
        self._abbreviations()
        self._collectives()

    # emitting

    def _emit(
        self,
        first: int,
        last: int,
        core_last: int,
        recognizer: str,
        confidence: float,
        name: str | None,
        head: str,
        anaphor: bool = False,
    ) -> Mention:
        tokens = self.doc.tokens
        start, end = tokens[first].start, tokens[last].end
        mention = Mention(
            "group",
            start,
            end,
            self.doc.body[start:end],
            recognizer,
            round(confidence, 2),
            name=name,
        )
        self.found.add(mention)
        self.found.groups[mention.span] = GroupInfo(head, tokens[core_last].end, anaphor)
        old = self.by_first_token.get(first)
        if old is None or old.end < end:
            self.by_first_token[first] = mention
        return mention

    def _name(
        self, first: int, last: int, head_index: int | None = None, head: _Head | None = None
    ) -> str:
        tokens, body = self.doc.tokens, self.doc.body
        parts = []
        for k in range(first, last + 1):
            tok = tokens[k]
            text = tok.text
            if k == head_index and head is not None and head.expansion:
                text = head.expansion
            elif self.doc.is_shouting(tok.start) and tok.is_upper:
                text = (
                    text.lower() if text.lower() in SMALL_WORDS and k != first else title_word(text)
                )
            gap = body[tokens[k - 1].end : tok.start] if k > first else ""
            parts.append(gap + text)
        return clean("".join(parts))

    # recognizers

    def _known_names(self) -> None:
        tokens, body = self.doc.tokens, self.doc.body
        for i, tok in enumerate(tokens):
            if not tok.is_cap:
                continue
            hit = self.lex.group_names.match(body, tokens, i)
            if hit:
                last = i + hit[0] - 1
                self._emit(i, last, last, "group.known-name", 0.9, clean(hit[1]), hit[1].lower())

    def _head(self, i: int) -> _Head | None:
        tok, lex = self.doc.tokens[i], self.lex
        if not tok.is_word:
            return None
        if tok.is_cap and (tok.text in lex.proper_groups or tok.text.title() in lex.proper_groups):
            return _Head(tok.text.title(), "proper")
        abbr = lex.abbreviations.match(self.doc.body, self.doc.tokens, i)
        if abbr and abbr[0] == 1:
            value: Abbreviation = abbr[1]
            return _Head(tok.text, "abbr", expansion=value.name)
        info = lex.group_heads.get(tok.text.lower())
        if info is None or (tok.is_upper and not self.doc.is_shouting(tok.start)):
            return None
        return _Head(info.lemma, "noun", info.unit, info.plural)

    def _head_at(self, i: int) -> None:
        doc, lex, tokens = self.doc, self.lex, self.doc.tokens
        head = self._head(i)
        if head is None:
            return
        if head.lemma in lex.event_like_heads and self._event_reading(i):
            return
        following = doc.word(i + 1)
        if following is not None and doc.joined(i) and following.text.lower() in lex.group_heads:
            return  # "Party" in "Seoul Party organizations" modifies the next head
        left = self._modifiers(i)
        if left is None:
            return
        first, mods = left
        if head.kind == "abbr" and mods:
            return  # "PRO FO": abbreviations stand alone
        last = core_last = i
        number = False
        if head.unit and doc.joined(i) and i + 1 < len(tokens) and tokens[i + 1].text.isdigit():
            last = core_last = i + 1
            number = True
        elif not head.unit:
            last = self._complement(i) or i
        if head.kind == "abbr" and last == i and not mods:
            return  # a bare abbreviation: left to the abbreviation pass
        self.heads_used.add(i)
        head_tok = tokens[i]
        initial = doc.sentence_initial(first)
        proper_mods = [
            k
            for k in mods
            if tokens[k].is_cap
            and not (k == first and initial and tokens[k].text.lower() in lex.stopwords)
        ]
        nationality = bool(proper_mods) and all(
            tokens[k].text in lex.adjectives for k in proper_mods
        )
        head_cap = head_tok.is_cap and not (i == first and initial)
        complement_proper = any(tokens[k].is_cap for k in range(i + 2, last + 1))
        bare = not mods and not number and head.kind == "noun"
        if bare and (last == i or not (head_cap or complement_proper)):
            # a bare head names nothing: "the party" refers back, "front of the government" is none
            if last == i and not self._compound(i, plural_too=True):
                self._maybe_anaphor(i, head)
            return
        if last == i and head.kind == "noun" and not proper_mods and self._compound(i):
            return  # "a specific Party platform": the head is itself a modifier
        if head.kind == "proper" or number:
            confidence, recognizer = 0.85, "group.head-noun"
        elif (
            head_cap
            or (proper_mods and not nationality)
            or complement_proper
            or head.kind == "abbr"
        ):
            confidence, recognizer = (
                (0.9 if head_cap or head.kind == "abbr" else 0.75),
                "group.head-noun",
            )
        elif nationality:
            confidence, recognizer = 0.55, "group.generic"
        elif head.lemma in lex.named_only_heads:
            return
        else:
            confidence, recognizer = 0.45, "group.generic"
        if head.plural:
            confidence = max(0.3, confidence - 0.15)
        start, end = tokens[first].start, tokens[last].end
        if any(p.end == end for p in self.found.starting_at(start, "place")):
            return  # "Soviet Union" is a place
        name = self._name(first, last, i, head)
        self._emit(first, last, core_last, recognizer, confidence, name, head.lemma)
        self._definition(last, name)

    def _compound(self, i: int, plural_too: bool = False) -> bool:
        """True when a common noun follows head `i` ("Party platform", "the command positions")."""
        nxt = self.doc.word(i + 1)
        if nxt is None or not nxt.is_lower or not self.doc.joined(i):
            return False
        lower = nxt.text.lower()
        if lower in self.lex.function_words or lower in self.lex.membership_verbs:
            return False
        return not lower.endswith(("ing", "ed", "ly") if plural_too else ("ing", "ed", "s", "ly"))

    def _maybe_anaphor(self, i: int, head: _Head) -> None:
        """ "the party", "this party", "the Party": refers back; the resolver ties it."""
        doc = self.doc
        det = doc.word(i - 1)
        if (
            det is None
            or det.text.lower() not in self.lex.determiners
            or not doc.joined(i - 1)
            or not (head.lemma in self.lex.anaphoric_heads or doc.tokens[i].is_cap)
            or head.plural
        ):
            return
        following = doc.word(i + 1)
        if following is not None and following.is_cap and doc.joined(i):
            return  # "the Party Congress": a modifier, not a head
        self.heads_used.add(i)
        self._emit(i - 1, i, i, "group.anaphor", 0.3, None, head.lemma, anaphor=True)

    def _modifiers(self, i: int) -> tuple[int, list[int]] | None:
        """(first token, modifier tokens) left of head `i`; None for an evaluative phrase."""
        doc, lex, tokens = self.doc, self.lex, self.doc.tokens
        first, mods, lowers, used_and = i, [], 0, False
        k = i - 1
        while k >= 0 and doc.joined(k):
            tok = tokens[k]
            if tok.text == "]":
                bracket = doc.bracket_ending.get(tok.end)
                before = doc.token_at(bracket.start) - 1 if bracket else -1
                if (
                    bracket
                    and bracket.kind == "alternative"
                    and before >= 0
                    and tokens[before].is_cap
                ):
                    k = before
                    first, mods = k, [k, *mods]
                    k -= 1
                    continue
                break
            if (
                tok.text.lower() == "s"
                and k >= 2
                and tokens[k - 1].text in "'’"
                and doc.touching(k - 1)
                and doc.touching(k - 2)
            ):
                owner = k - 2  # "women's organization"
                first, mods = owner, [owner, *mods]
                k = owner - 1
                continue
            if (
                tok.text in "'’"
                and k >= 1
                and doc.touching(k - 1)
                and tokens[k - 1].text.endswith("s")
            ):
                owner = k - 1  # "Workers' Party"
                first, mods = owner, [owner, *mods]
                k = owner - 1
                continue
            if tok.kind == "num" and tok.text[-2:] in ("st", "nd", "rd", "th"):
                first, mods = k, [k, *mods]
                k -= 1
                continue
            if not tok.is_word:
                break
            lower = tok.text.lower()
            if lower in lex.evaluative or _superlative(lower):
                return None
            if lower in lex.function_words:
                if lower == "and" and not used_and and mods and self._joins_names(k, first):
                    used_and = True
                    k -= 1
                    continue
                break
            if tok.text in lex.months or tok.text in lex.weekdays or self._number_word(lower):
                break
            if not tok.is_cap:
                if lower.endswith("ly") or (
                    lower.endswith("ed") and lower not in lex.participle_modifiers
                ):
                    break
                lowers += 1
                if lowers > 3:
                    break
            first, mods = k, [k, *mods]
            k -= 1
        while mods and tokens[mods[0]].is_lower and self._after_verb_marker(mods[0]):
            mods = mods[1:]  # "would keep forces": "keep" is a verb
            first = mods[0] if mods else i
        return first, mods

    def _after_verb_marker(self, k: int) -> bool:
        prev = self.doc.word(k - 1)
        return prev is not None and (
            prev.lower in VERB_MARKERS or prev.lower in self.lex.auxiliaries
        )

    def _number_word(self, lower: str) -> bool:
        lex = self.lex
        return (
            lower in lex.number_units or lower in lex.number_tens or lower in lex.number_multipliers
        )

    def _joins_names(self, k: int, first: int) -> bool:
        """ "History and Public Policy Program": "and" between two capitalised non-head words."""
        doc, lex, tokens = self.doc, self.lex, self.doc.tokens
        left = doc.word(k - 1)
        return (
            left is not None
            and doc.joined(k - 1)
            and left.is_cap
            and tokens[first].is_cap
            and left.text.lower() not in lex.group_heads
            and left.text not in lex.adjectives
            and left.text not in lex.proper_groups
            and left.text.lower() not in lex.function_words
            and lex.abbreviations.match(doc.body, tokens, k - 1) is None
        )

    def _complement(self, i: int) -> int | None:
        """Index of the last token of an "of" complement that names whose body this is."""
        doc, lex, tokens = self.doc, self.lex, self.doc.tokens
        k = i + 1
        if not (
            doc.joined(i)
            and k < len(tokens)
            and tokens[k].text in ("of", "on", "for")
            and doc.joined(k)
        ):
            return None
        strict = tokens[k].text != "of"  # "Commission on Korea": only a proper name may follow
        k += 1
        if strict and doc.word(k) is not None and not tokens[k].is_cap:
            return None
        det = doc.word(k)
        if det is not None and k in self.by_first_token:
            return doc.token_at(self.by_first_token[k].end) - 1  # "of this party"
        if det is not None and det.text.lower() in lex.complement_determiners and doc.joined(k):
            k += 1
        if k >= len(tokens):
            return None
        inner = self.by_first_token.get(k)
        if inner is not None:
            return doc.token_at(inner.end) - 1
        places = self.found.starting_at(tokens[k].start, "place")
        if places:
            return doc.token_at(places[0].end) - 1
        if not tokens[k].is_cap or tokens[k].text in lex.months:
            return None
        last = k
        while doc.joined(last) and last + 1 < len(tokens):
            nxt = tokens[last + 1]
            if nxt.is_cap and nxt.text.lower() not in lex.function_words:
                last += 1
            elif (
                nxt.text == "and"
                and doc.joined(last + 1)
                and doc.word(last + 2)
                and tokens[last + 2].is_cap
            ):
                last += 2
            else:
                break
        if tokens[last].text in lex.adjectives:
            return None  # "of Korean youth": the adjective belongs to a common noun
        return last

    def _event_reading(self, i: int) -> bool:
        """ "the first Congress", "Congress of the Korean Communist Party": an event, not a body."""
        doc, tokens = self.doc, self.doc.tokens
        for k in range(i - 1, max(-1, i - 4), -1):
            if not doc.joined(k):
                break
            tok = tokens[k]
            if tok.text.lower() in self.lex.ordinals or (
                tok.kind == "num" and tok.text[-2:] in ("st", "nd", "rd", "th")
            ):
                return True
            if tok.text.lower() in self.lex.function_words:
                break
        k = i + 1
        if not (k < len(tokens) and tokens[k].text == "of"):
            return False
        k += 1
        if doc.word(k) and tokens[k].text.lower() in self.lex.complement_determiners:
            k += 1
        return k in self.by_first_token or (
            k < len(tokens) and tokens[k].text.lower() in self.lex.group_heads
        )

    def _acronym_after(self, last: int) -> str | None:
        """The acronym in brackets right after token `last`: "(KCP)", "(ZiSPO)"."""
        tokens = self.doc.tokens
        if last + 3 < len(tokens) and tokens[last + 1].text == "(" and tokens[last + 3].text == ")":
            text = tokens[last + 2].text
            if (
                tokens[last + 2].is_cap
                and 2 <= len(text) <= 8
                and sum(c.isupper() for c in text) >= 2
            ):
                return text
        return None

    def _definition(self, last: int, name: str) -> None:
        """ "Korean Communist Party (KCP)": the record defines an abbreviation (innermost wins)."""
        acronym = self._acronym_after(last)
        if acronym and acronym not in self.defined:
            self.defined[acronym] = name

    def _defined_names(self) -> None:
        """ "Free German Youth (FDJ)": capitalised words a bracketed acronym defines are a name."""
        doc, tokens = self.doc, self.doc.tokens
        for k in range(1, len(tokens) - 2):
            acronym = self._acronym_after(k)
            if acronym is None or acronym in self.defined or not tokens[k].is_cap:
                continue
            end = tokens[k].end
            if self.found.ending_at(end, "group", "place", "person"):
                continue
            first = k
            while (
                first > 0
                and doc.joined(first - 1)
                and (tokens[first - 1].is_cap or tokens[first - 1].text in ("of", "and", "for"))
            ):
                first -= 1
            while first <= k and (
                tokens[first].is_lower or tokens[first].text.lower() in self.lex.function_words
            ):
                first += 1
            if first > k or (first == k and not tokens[k].is_upper):
                continue  # "The (KCP)": no name before the brackets
            name = self._name(first, k)
            self._emit(first, k, k, "group.defined", 0.7, name, acronym)
            self.defined[acronym] = name

    def _abbreviations(self) -> None:
        """Abbreviations not already heading a phrase: "KCP" (0.85), "the CC" (0.5: which CC?)."""
        doc, tokens = self.doc, self.doc.tokens
        for i, tok in enumerate(tokens):
            if not tok.is_cap or i in self.heads_used:
                continue
            found = self._abbreviation_at(i)
            if found is None:
                continue
            n, name, specific = found
            last = i + n - 1
            owner = self._abbreviation_at(last + 1) if doc.joined(last) else None
            if not specific and owner is not None and owner[2]:
                # "CC CPSU": a party organ followed by the party's own abbreviation
                self._emit(
                    i,
                    last + owner[0],
                    last,
                    "group.abbreviation",
                    0.85,
                    f"{name} of the {owner[1]}",
                    tok.text,
                )
                continue
            self._emit(
                i, last, last, "group.abbreviation", 0.85 if specific else 0.5, name, tok.text
            )

    def _abbreviation_at(self, i: int) -> tuple[int, str, bool] | None:
        """(tokens, expansion, names one body) for an abbreviation starting at token `i`."""
        tokens = self.doc.tokens
        if i >= len(tokens) or not tokens[i].is_cap:
            return None
        if tokens[i].text in self.defined:
            return 1, self.defined[tokens[i].text], True
        hit = self.lex.abbreviations.match(self.doc.body, tokens, i)
        if hit is None:
            return None
        return hit[0], hit[1].name, hit[1].specific

    def _collectives(self) -> None:
        """ "the Americans", "the Japanese used ...": a people acting together."""
        doc, lex, tokens = self.doc, self.lex, self.doc.tokens
        for i, tok in enumerate(tokens):
            if not tok.is_cap:
                continue
            word = tok.text.title() if tok.is_upper else tok.text
            if word in lex.demonym_plurals:
                plural = True
            elif word in lex.demonym_invariant and self._used_as_noun(i):
                plural = False
            else:
                continue
            prev = doc.word(i - 1)
            first = i
            if prev is not None and prev.text.title() in lex.compass and doc.joined(i - 1):
                first, prev = i - 1, doc.word(i - 2)  # "the North Koreans"
                word = f"{title_word(doc.tokens[i - 1].text)} {word}"
            after_the = prev is not None and prev.text.lower() == "the"
            confidence = (0.6 if plural else 0.55) if after_the else 0.5
            if self.found.overlapping(doc.tokens[first].start, tok.end, "group"):
                continue
            self._emit(first, i, i, "group.collective", confidence, word, word.lower())

    def _used_as_noun(self, i: int) -> bool:
        """ "the Japanese used", "of Japanese in"; not "Japanese rule" or "Japanese and pro-..."."""
        doc, lex, tokens = self.doc, self.lex, self.doc.tokens
        prev = doc.word(i - 1)
        if not (
            doc.sentence_initial(i)
            or (
                prev is not None
                and prev.text.lower()
                in {"the", "of", "by", "against", "from", "to", "with", "among"}
            )
        ):
            return False
        if i + 1 >= len(tokens) or not doc.joined(i):
            return True
        nxt = tokens[i + 1]
        if not nxt.is_word:
            return nxt.text not in "-'’"
        lower = nxt.text.lower()
        if lower in ("and", "or"):
            after = doc.word(i + 2)
            return after is not None and (
                after.text.lower() in lex.determiners or after.text in lex.demonym_plurals
            )
        return nxt.is_lower and (lower in lex.function_words or lower.endswith("ed"))


# Words in "-est" that are not superlatives.
NOT_SUPERLATIVE = frozenset(
    {
        "interest",
        "protest",
        "conquest",
        "request",
        "harvest",
        "contest",
        "honest",
        "modest",
        "forest",
        "arrest",
        "suggest",
        "digest",
        "manifest",
        "unrest",
        "inquest",
        "behest",
        "invest",
    }
)


def _superlative(word: str) -> bool:
    return len(word) >= 6 and word.endswith("est") and word not in NOT_SUPERLATIVE


def find_groups(doc: Doc, lex: Lexicon, found: Found) -> None:
    GroupFinder(doc, lex, found).find()
