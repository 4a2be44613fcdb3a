"""`extract`: run every recognizer over a record, in the order their evidence needs."""

from __future__ import annotations

from lodpub.extract.counts import find_counts
from lodpub.extract.dates import DateFinder
from lodpub.extract.events import find_events
from lodpub.extract.found import Found
from lodpub.extract.groups import find_groups
from lodpub.extract.lexicon import Lexicon, default_lexicon
from lodpub.extract.mention import MENTION_KINDS, Mention
from lodpub.extract.persons import find_persons
from lodpub.extract.places import find_cued_places, find_listed_places, find_named_places
from lodpub.extract.roles import find_roles
from lodpub.extract.text import Doc
from lodpub.extract.variants import find_variants
from lodpub.sources.record import Record


def extract(record: Record, lexicon: Lexicon | None = None) -> tuple[Mention, ...]:
    """Every mention in `record.body`, sorted by (start, -end, kind)."""
    lex = lexicon or default_lexicon()
    _check(record)
    doc = Doc(record, lex.dotted_words)
    found = Found()
    for mention in DateFinder(doc, lex).find():
        found.add(mention)
    find_named_places(doc, lex, found)
    find_groups(doc, lex, found)
    find_persons(doc, lex, found)
    find_cued_places(doc, lex, found)
    find_listed_places(doc, lex, found)
    find_variants(doc, lex, found)
    find_events(doc, lex, found)
    find_counts(doc, lex, found)
    find_roles(doc, lex, found)
    mentions = found.all()
    return tuple(sorted(mentions, key=lambda m: (m.start, -m.end, MENTION_KINDS.index(m.kind))))


def _check(record: Record) -> None:
    if not isinstance(record.body, str):
        raise TypeError(f"{record.source}: body must be a string, not {type(record.body).__name__}")
    for index, note in enumerate(record.notes):
        if not (0 <= note.start <= note.end <= len(record.body)):
            raise ValueError(
                f"{record.source}: notes[{index}] ({note.start}-{note.end}) lies outside the body"
            )
