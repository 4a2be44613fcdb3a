"""The text around a mention (sentence, previous sentence, paragraph) and context-word scoring."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from lodpub.resolve.names import fold_text
from lodpub.sources.record import Record

# A sentence ends at . ! or ? (and closing quotes/brackets) before white space and a capital,
# digit or opening bracket, but not after a short capitalised abbreviation ("Cde.", "F.", "Dr.").
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c(\[A-Z0-9])")
_ABBREVIATION = re.compile(r"(?<![A-Za-z])[A-Z][A-Za-z]{0,2}\.$")
_ENUMERATOR = re.compile(r"\s*\(?(?:[0-9]{1,3}|[A-Za-z])[.)]\s*")  # "7." opening a list item
_PARAGRAPH = re.compile(r"\n\s*\n")

# How much a context word counts, by where it is found.
WEIGHTS = {"sentence": 3.0, "previous": 2.0, "paragraph": 1.0, "document": 0.5}


class TextContext:
    """Sentence and paragraph windows of one record's body, for choosing among namesakes."""

    def __init__(self, record: Record) -> None:
        self.body = record.body
        self.paragraphs = _paragraphs(record)
        self.sentences = sorted(
            span for start, end in self.paragraphs for span in _sentences(self.body, start, end)
        )
        self._sentence_starts = [s for s, _ in self.sentences]
        frame = " ".join(t for t in (record.title, record.summary or "") if t)
        self._document = fold_text(frame)
        self._folded: dict[tuple[int, int], str] = {}
        self._cues: dict[str, str] = {}

    def windows(self, position: int) -> dict[str, str]:
        """The folded text of each window around `position`, by window name."""
        i = bisect.bisect_right(self._sentence_starts, position) - 1
        sentence = self.sentences[i] if i >= 0 else (0, 0)
        previous = self.sentences[i - 1] if i >= 1 else (0, 0)
        paragraph = next(
            ((s, e) for s, e in self.paragraphs if s <= position < e), (0, len(self.body))
        )
        return {
            "sentence": self._fold(sentence),
            "previous": self._fold(previous),
            "paragraph": self._fold(paragraph),
            "document": self._document,
        }

    def whole(self) -> dict[str, str]:
        """The whole body as the paragraph window, for things without a position (tags)."""
        return {"paragraph": self._fold((0, len(self.body))), "document": self._document}

    def score(self, cues: Iterable[str], windows: dict[str, str]) -> float:
        """Sum over the cues of the weight of the nearest window each cue occurs in."""
        padded = {name: f" {text} " for name, text in windows.items()}
        total = 0.0
        for cue in cues:
            if cue not in self._cues:
                self._cues[cue] = f" {fold_text(cue)} "
            needle = self._cues[cue]
            total += max(
                (WEIGHTS[name] for name, text in padded.items() if needle in text), default=0.0
            )
        return total

    def recent_start(self, position: int) -> int:
        """Where the sentence before the one holding `position` starts: the near window."""
        i = bisect.bisect_right(self._sentence_starts, position) - 1
        return self.sentences[max(i - 1, 0)][0] if i >= 0 else 0

    def _fold(self, span: tuple[int, int]) -> str:
        if span not in self._folded:
            self._folded[span] = fold_text(self.body[span[0] : span[1]])
        return self._folded[span]


def _paragraphs(record: Record) -> list[tuple[int, int]]:
    if record.blocks:
        return sorted((b.start, b.end) for b in record.blocks if b.end > b.start)
    spans, start = [], 0
    for gap in _PARAGRAPH.finditer(record.body):
        spans.append((start, gap.start()))
        start = gap.end()
    spans.append((start, len(record.body)))
    return [s for s in spans if s[1] > s[0]]


def _sentences(body: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, begin = [], start
    for boundary in _BOUNDARY.finditer(body, start, end):
        if _ABBREVIATION.search(body, begin, boundary.start()) or _ENUMERATOR.fullmatch(
            body, begin, boundary.start()
        ):
            continue
        spans.append((begin, boundary.start()))
        begin = boundary.end()
    spans.append((begin, end))
    return spans
