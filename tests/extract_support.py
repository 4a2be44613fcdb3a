"""Helpers for the extract tests: records from strings, finding mentions, scoring gold files."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from lodpub.extract import Mention, extract
from lodpub.sources.record import Record

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
KINDS = ("person", "group", "place", "date", "event", "count")


def record(body: str, title: str = "", **fields) -> Record:
    return Record(source="test", key="test", title=title, body=body, **fields)


def mentions(body: str, title: str = "", **fields) -> tuple[Mention, ...]:
    return extract(record(body, title, **fields))


def span_of(body: str, text: str, nth: int = 1) -> tuple[int, int]:
    """Offsets of the `nth` whole-word occurrence of `text` in `body`."""
    found = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(text)}(?!\w)", body)]
    assert len(found) >= nth, f"{text!r} occurs {len(found)} times, not {nth}"
    return found[nth - 1]


def at(found: tuple[Mention, ...], body: str, kind: str, text: str, nth: int = 1) -> Mention:
    """The mention of `kind` exactly covering the `nth` occurrence of `text`; fails if absent."""
    start, end = span_of(body, text, nth)
    hits = [m for m in found if m.kind == kind and (m.start, m.end) == (start, end)]
    assert hits, f"no {kind} mention for {text!r} (#{nth}); {kind}s: {texts(found, kind)}"
    return hits[0]


def texts(found: tuple[Mention, ...], kind: str) -> list[str]:
    return [m.text for m in found if m.kind == kind]


@dataclass
class Score:
    gold: int = 0
    predicted: int = 0
    correct: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0


@dataclass
class Gold:
    """A fixture text with its hand annotation (tests/fixtures/extract/NAME.json)."""

    name: str
    body: str
    title: str
    mentions: list[dict]
    optional: list[dict]
    absent: list[dict]

    @classmethod
    def load(cls, name: str) -> Gold:
        data = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
        body = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
        return cls(
            name,
            body,
            data["title"],
            data["mentions"],
            data.get("optional", []),
            data.get("absent", []),
        )

    def key(self, entry: dict) -> tuple[str, int, int]:
        return (entry["kind"], *span_of(self.body, entry["text"], entry.get("nth", 1)))

    def extract(self) -> tuple[Mention, ...]:
        return extract(record(self.body, self.title))


def score(gold: Gold, found: tuple[Mention, ...]) -> dict[str, Score]:
    """Exact-span scores per kind. Anaphors ("the party") are not names and are left out, as are
    the gold file's optional mentions, which count neither way, and roles, which the gold files
    do not annotate (tests/test_roles_extract.py checks them)."""
    expected = {gold.key(e) for e in gold.mentions}
    optional = {gold.key(e) for e in gold.optional}
    predicted = {
        (m.kind, m.start, m.end)
        for m in found
        if m.kind in KINDS and m.recognizer != "group.anaphor"
    } - optional
    scores = {kind: Score() for kind in KINDS}
    for kind, *_ in expected:
        scores[kind].gold += 1
    for key in predicted:
        scores[key[0]].predicted += 1
        scores[key[0]].correct += key in expected
    return scores


GOLD_NAMES = tuple(sorted(p.stem for p in FIXTURES.glob("*.json")))
