"""Tokens, sentences and bracketed notes of a record body, and phrase lookup over tokens."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from lodpub.sources.record import Record

# A word keeps inner hyphens and apostrophes ("Yong-beom", "O'Brien", "Yan'an") but not a
# possessive "'s", so "Korea's" yields "Korea" then "'", "s".
TOKEN_RE = re.compile(
    r"(?P<word>[^\W\d_]+(?:(?:['’](?![sS]\b)|-)[^\W\d_]+)*)"
    r"|(?P<num>\d+(?:[.,]\d+)*(?:st|nd|rd|th)?)"
    r"|(?P<punct>\S)"
)
BLANK_LINE_RE = re.compile(r"\n[ \t\r\f\v]*\n")
BRACKET_RE = re.compile(r"\[([^\[\]\n]{1,400})\]")
SENTENCE_END = frozenset(".!?…")
# Characters a sentence may span. Recognizers relate what is in one sentence to each other, so
# longer runs (text without capitals after full stops, OCR without punctuation) are cut at
# full stops, else at spaces, to keep that work bounded.
MAX_SENTENCE = 2000
# Words that end with a full stop without ending the sentence (beside honorifics, month and
# reference abbreviations, which come from the data files, and initials).
ABBREVIATIONS = frozenset(
    {"St", "Mt", "Ft", "cf", "viz", "ca", "approx", "Jr", "Sr", "Nos", "vs", "Co", "Inc", "Ltd"}
)


class Token:
    """A word, number or punctuation mark, with its case facts computed once."""

    __slots__ = (
        "start",
        "end",
        "text",
        "kind",
        "lower",
        "is_word",
        "is_cap",
        "is_upper",
        "is_lower",
    )

    def __init__(self, start: int, end: int, text: str, kind: str) -> None:
        self.start, self.end, self.text, self.kind = start, end, text, kind  # kind: word|num|punct
        self.lower = text.lower()
        self.is_word = kind == "word"
        self.is_cap = self.is_word and text[0].isupper()  # title case or all capitals
        self.is_upper = self.is_word and len(text) > 1 and text.isupper()  # two or more capitals
        self.is_lower = self.is_word and text[0].islower()

    def __repr__(self) -> str:
        return f"Token({self.start}, {self.end}, {self.text!r}, {self.kind!r})"


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Split `text` into word, number and punctuation tokens with offsets."""
    return [
        Token(m.start() + offset, m.end() + offset, m.group(), m.lastgroup or "punct")
        for m in TOKEN_RE.finditer(text)
    ]


def joined(body: str, a: Token, b: Token) -> bool:
    """True when only spaces (no blank line) separate token `a` from the following `b`."""
    gap = body[a.end : b.start]
    return (not gap or gap.isspace()) and gap.count("\n") < 2


class PhraseTable:
    """Phrases as token sequences, looked up at or before a token position in O(phrase length)."""

    def __init__(self, lower: bool = False) -> None:
        self.lower = lower
        self._first: dict[str, list[tuple[tuple[str, ...], tuple[bool, ...], Any]]] = {}
        self._last: dict[str, list[tuple[tuple[str, ...], tuple[bool, ...], Any]]] = {}

    @classmethod
    def of(cls, phrases: Iterable[str], lower: bool = False) -> PhraseTable:
        table = cls(lower)
        for phrase in phrases:
            table.add(phrase, phrase)
        return table

    def key(self, text: str) -> str:
        return text.lower() if self.lower else text

    def add(self, phrase: str, value: Any) -> None:
        toks = tokenize(phrase)
        keys = tuple(self.key(t.text) for t in toks)
        spaced = tuple(toks[k + 1].start > toks[k].end for k in range(len(toks) - 1))
        entry = (keys, spaced, value)
        for index, key in ((self._first, keys[0]), (self._last, keys[-1])):
            bucket = index.setdefault(key, [])
            bucket.append(entry)
            bucket.sort(key=lambda e: -len(e[0]))

    def _fits(self, body: str, tokens: list[Token], i: int, entry: tuple) -> bool:
        keys, spaced, _ = entry
        if i < 0 or i + len(keys) > len(tokens):
            return False
        for k, key in enumerate(keys):
            tok = tokens[i + k]
            if (tok.lower if self.lower else tok.text) != key:
                return False
            if k and not joined(body, tokens[i + k - 1], tokens[i + k]):
                return False
            if k and spaced[k - 1] != (tokens[i + k].start > tokens[i + k - 1].end):
                return False
        return True

    def match(self, body: str, tokens: list[Token], i: int) -> tuple[int, Any] | None:
        """The longest phrase starting at token `i`: (number of tokens, value)."""
        if i >= len(tokens):
            return None
        tok = tokens[i]
        for entry in self._first.get(tok.lower if self.lower else tok.text, ()):
            if self._fits(body, tokens, i, entry):
                return len(entry[0]), entry[2]
        return None

    def match_before(self, body: str, tokens: list[Token], j: int) -> tuple[int, Any] | None:
        """The longest phrase ending just before token `j`: (number of tokens, value)."""
        if j <= 0:
            return None
        tok = tokens[j - 1]
        for entry in self._last.get(tok.lower if self.lower else tok.text, ()):
            if self._fits(body, tokens, j - len(entry[0]), entry):
                return len(entry[0]), entry[2]
        return None


@dataclass(frozen=True, slots=True)
class Bracket:
    """A bracketed note in the body: its kind, as the reader reported it or as guessed here."""

    start: int
    end: int
    kind: str
    content: str


class Doc:
    """A record body prepared for the recognizers: tokens, sentences, notes."""

    def __init__(self, record: Record, abbreviations: frozenset[str]) -> None:
        self.record = record
        self.body = body = record.body
        self.tokens = tokenize(body)
        self.starts = [t.start for t in self.tokens]
        self.brackets = self._brackets(record)
        self.bracket_ending = {b.end: b for b in self.brackets}
        self.paragraphs = self._paragraphs()
        self.sentences = self._sentences(record, abbreviations | ABBREVIATIONS)
        self._sentence_starts = [s for s, _ in self.sentences]
        self.shouting = self._shouting_spans()

    # positions

    def token_at(self, offset: int) -> int:
        """Index of the first token starting at or after `offset`."""
        return bisect_right(self.starts, offset - 1)

    def sentence_index(self, offset: int) -> int:
        return max(0, bisect_right(self._sentence_starts, offset) - 1)

    def sentence_of(self, offset: int) -> tuple[int, int]:
        """The span of the sentence around `offset`."""
        if not self.sentences:
            return (0, len(self.body))
        return self.sentences[self.sentence_index(offset)]

    def is_shouting(self, offset: int) -> bool:
        """True inside a paragraph written mostly in capitals (a heading or a telegram)."""
        return any(s <= offset < e for s, e in self.shouting)

    def sentence_initial(self, i: int) -> bool:
        """True when token `i` opens its sentence (after list numbers and brackets)."""
        start = self.sentence_of(self.tokens[i].start)[0]
        for k in range(i - 1, -1, -1):
            tok = self.tokens[k]
            if tok.end <= start:
                return True
            if tok.kind == "word":
                return False
            if tok.text not in ".)([\"“'‘" and tok.kind != "num":
                return False
        return True

    def word(self, i: int) -> Token | None:
        """Token `i` when it exists and is a word."""
        if 0 <= i < len(self.tokens) and self.tokens[i].kind == "word":
            return self.tokens[i]
        return None

    def joined(self, i: int) -> bool:
        """True when tokens `i` and `i + 1` are separated by spaces only."""
        return 0 <= i < len(self.tokens) - 1 and joined(
            self.body, self.tokens[i], self.tokens[i + 1]
        )

    def touching(self, i: int) -> bool:
        """True when nothing separates tokens `i` and `i + 1`."""
        return 0 <= i < len(self.tokens) - 1 and self.tokens[i].end == self.tokens[i + 1].start

    # set-up

    def _brackets(self, record: Record) -> list[Bracket]:
        reported = {n.start: n.kind for n in record.notes}
        found = []
        for m in BRACKET_RE.finditer(self.body):
            kind = reported.get(m.start()) or self._guess_kind(m)
            found.append(Bracket(m.start(), m.end(), kind, m.group(1)))
        return found

    def _guess_kind(self, m: re.Match[str]) -> str:
        content = m.group(1).strip()
        lower = content.lower()
        for label, kind in (
            ("translator", "translator"),
            ("sic", "sic"),
            ("inserted", "inserted"),
            ("illegible", "omission"),
            ("crossed out", "omission"),
            ("...", "omission"),
            ("…", "omission"),
        ):
            if lower.startswith(label) or (kind == "omission" and label in lower):
                return kind
        before = self.body[max(0, m.start() - 2) : m.start()]
        after_word = bool(before) and before[-1] == " " and before[:1].isalpha()
        words = content.split()
        if after_word and 0 < len(words) <= 4 and all(w[:1].isupper() for w in words):
            return "alternative"
        if after_word and len(words) == 1 and content.isalpha() and content.islower():
            return "original"
        return "supplied" if len(words) <= 6 else "editorial"

    def _sentences(self, record: Record, abbreviations: frozenset[str]) -> list[tuple[int, int]]:
        body, tokens = self.body, self.tokens
        cuts = {m.start() for m in BLANK_LINE_RE.finditer(body)}
        cuts.update(b.start for b in record.blocks)
        cuts.update(b.end for b in record.blocks)
        stops: list[int] = []  # full stops followed by a lower-case word: cuts for long runs
        for i, tok in enumerate(tokens):
            if tok.text not in SENTENCE_END or i + 1 >= len(tokens):
                continue
            nxt = tokens[i + 1]
            if nxt.start == tok.end:
                continue
            if not (nxt.is_cap or nxt.kind == "num" or nxt.text in "[(\"“‘'"):
                stops.append(tok.end)
                continue
            prev = tokens[i - 1] if i else None
            if tok.text == "." and prev is not None and prev.end == tok.start:
                if prev.kind == "word" and (
                    prev.text in abbreviations or (len(prev.text) == 1 and prev.text.isupper())
                ):
                    continue
                if prev.kind == "num" and self.line_start(i - 1):
                    continue
            cuts.add(tok.end)
        cuts.update(self._long_run_cuts(sorted(cuts), stops))
        bounds = sorted(c for c in cuts if 0 < c < len(body))
        spans, start = [], 0
        for cut in [*bounds, len(body)]:
            text = body[start:cut]
            if text.strip():
                lead = len(text) - len(text.lstrip())
                trail = len(text.rstrip())
                spans.append((start + lead, start + trail))
            start = cut
        return spans

    def _long_run_cuts(self, cuts: list[int], stops: list[int]) -> list[int]:
        """Cuts that leave no run between `cuts` longer than MAX_SENTENCE: at the last full
        stop within reach, else at the last space, else anywhere."""
        added: list[int] = []
        for start, end in pairwise([0, *cuts, len(self.body)]):
            while end - start > MAX_SENTENCE:
                limit = start + MAX_SENTENCE
                at = bisect_right(stops, limit) - 1
                if at >= 0 and stops[at] > start:
                    cut = stops[at]
                else:
                    space = self.body.rfind(" ", start + 1, limit)
                    cut = space if space > start else limit
                added.append(cut)
                start = cut
        return added

    def line_start(self, i: int) -> bool:
        """True when token `i` is the first on its line."""
        line_start = self.body.rfind("\n", 0, self.tokens[i].start) + 1
        return not self.body[line_start : self.tokens[i].start].strip()

    def _paragraphs(self) -> list[tuple[int, int]]:
        """Spans between blank lines, without their surrounding white space."""
        spans, start = [], 0
        for cut in [*(m.start() for m in BLANK_LINE_RE.finditer(self.body)), len(self.body)]:
            text = self.body[start:cut]
            if text.strip():
                lead = len(text) - len(text.lstrip())
                spans.append((start + lead, start + len(text.rstrip())))
            start = cut
        return spans

    def _shouting_spans(self) -> list[tuple[int, int]]:
        spans = []
        for start, end in self.paragraphs:
            part = self.body[start:end]
            letters = sum(map(str.isalpha, part))
            if letters >= 12 and sum(map(str.isupper, part)) > 0.6 * letters:
                spans.append((start, end))
        return spans
