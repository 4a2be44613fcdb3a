"""Whatever the text, mentions quote the body exactly, in order, without duplicates."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract_support import record
from lodpub.extract import extract
from lodpub.extract.mention import MENTION_KINDS
from lodpub.sources.record import EditorialNote

WORDS = [
    "Kim",
    "Il",
    "Sung",
    "KIM",
    "IL",
    "SUNG",
    "Pak",
    "Heon-yeong",
    "Cde.",
    "STALIN",
    "Mr.",
    "Harry",
    "S.",
    "Truman",
    "Truman,",
    "the",
    "The",
    "Party",
    "party",
    "Communist",
    "Committee",
    "of",
    "Korea",
    "North",
    "Seoul",
    "in",
    "on",
    "20",
    "October",
    "1945",
    "to",
    "end",
    "more",
    "than",
    "3,000",
    "members",
    "about",
    "rally",
    "was",
    "elected",
    "will",
    "be",
    "[Kim",
    "Yong",
    "Bom]",
    "[5]",
    "(KCP)",
    "CC",
    "and",
    ",",
    ".",
    "\n",
    "\n\n",
    "Japanese",
    "Americans",
    "created",
    "a",
    "government",
    "numbers",
    "all",
    "five",
    "1.",
    "’s",
    "-",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=60), st.text(max_size=40))
def test_mentions_are_exact_ordered_and_unique(words, noise):
    body = " ".join(words) + noise
    found = extract(record(body, "Report, 1945"))
    assert all(m.text == body[m.start : m.end] and m.start < m.end for m in found)
    order = [(m.start, -m.end, MENTION_KINDS.index(m.kind)) for m in found]
    assert order == sorted(order)
    assert len({(m.kind, m.start, m.end) for m in found}) == len(found)
    for m in found:
        assert 0 < m.confidence <= 1
        if m.alternative_to is not None:
            assert m.alternative_to[1] <= m.start
        if m.date is not None:
            assert m.date.begin <= m.date.end
        if m.event is not None and m.event.date is not None:
            assert any(d.span == m.event.date for d in found if d.kind == "date")


def test_a_note_outside_the_body_is_a_clear_error():
    note = EditorialNote("sic", "[sic]", "sic", 5, 50)
    with pytest.raises(ValueError, match=r"test: notes\[0\] \(5-50\) lies outside the body"):
        extract(record("Short body.", notes=(note,)))
