"""Bracketed alternative forms after a name: "Kim Yong-beom [Kim Yong Bom]", "Hamqyeong [Kanko]"."""

from __future__ import annotations

from lodpub.extract.found import Found
from lodpub.extract.lexicon import Lexicon
from lodpub.extract.mention import Mention
from lodpub.extract.names import clean, title_word
from lodpub.extract.text import Doc, tokenize

KINDS = ("person", "place", "group")


def find_variants(doc: Doc, lex: Lexicon, found: Found) -> None:
    """A variant takes the kind of the mention it follows and points to it with `alternative_to`."""
    reported = {n.start for n in doc.record.notes if n.kind == "alternative"}
    for bracket in doc.brackets:
        if bracket.kind != "alternative":
            continue
        inner = tokenize(bracket.content, bracket.start + 1)
        words = [t for t in inner if t.kind == "word"]
        if not words or not all(t.is_cap or t.text in lex.particles for t in words):
            continue
        if any(lex.name_blocked(t.text) and not t.is_upper for t in words if t.is_cap):
            continue
        start, end = inner[0].start, inner[-1].end
        primary = _primary(doc, found, bracket.start)
        by_reader = bracket.start in reported
        if primary is None:
            if not by_reader:
                continue
            primary = _unnamed_primary(doc, lex, found, bracket.start)
            if primary is None:
                continue
        for earlier in found.overlapping(start, end, primary.kind):
            found.discard(earlier)  # the same words found as a name of their own
        text = doc.body[start:end]
        name = clean(" ".join(title_word(w) for w in text.split()))
        found.add(
            Mention(
                primary.kind,
                start,
                end,
                text,
                f"{primary.kind}.bracketed-variant",
                max(primary.confidence, 0.9) if by_reader else primary.confidence,
                name=name,
                alternative_to=primary.span,
            )
        )


def _primary(doc: Doc, found: Found, bracket_start: int) -> Mention | None:
    """The person, place or group mention that ends just before the bracket."""
    end = len(doc.body[:bracket_start].rstrip())
    for kind in KINDS:
        candidates = [m for m in found.ending_at(end, kind) if m.recognizer != "group.anaphor"]
        if candidates:
            return max(candidates, key=lambda m: m.end - m.start)
    return None


def _unnamed_primary(doc: Doc, lex: Lexicon, found: Found, bracket_start: int) -> Mention | None:
    """The reader marked an alternative after words no rule recognised: take them as a person."""
    k = doc.token_at(bracket_start) - 1
    run = []
    while (
        k >= 0
        and len(run) < 4
        and doc.tokens[k].is_cap
        and not lex.name_blocked(doc.tokens[k].text)
    ):
        run.insert(0, k)
        if not doc.joined(k - 1):
            break
        k -= 1
    if not run:
        return None
    start, end = doc.tokens[run[0]].start, doc.tokens[run[-1]].end
    if found.overlapping(start, end):
        return None
    text = doc.body[start:end]
    mention = Mention(
        "person",
        start,
        end,
        text,
        "person.context",
        0.6,
        name=" ".join(title_word(w) for w in text.split()),
    )
    found.add(mention)
    return mention
