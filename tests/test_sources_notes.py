"""Editorial notes and blocks: kinds by rule, offsets that point at the note, bounded time."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lodpub.sources.body import find_blocks, join_paragraphs, split_paragraphs
from lodpub.sources.notes import classify, find_notes
from lodpub.sources.record import BLOCK_KINDS, NOTE_KINDS


@pytest.mark.parametrize(
    ("text", "kind", "content"),
    [
        ("the [inserted by hand: meager] American", "inserted", "meager"),
        ("[Translator's note: torn page]", "translator", "torn page"),
        ("[Editor's note: see below]", "editorial", "see below"),
        ('committee [sic; not "bureau"] of', "sic", 'not "bureau"'),
        ("the [sic] text", "sic", "sic"),
        ("Korea [several words crossed out] began", "omission", "several words crossed out"),
        ("signed [illegible]", "omission", "illegible"),
        ("and [...] then", "omission", "..."),
        ("Kim Yong-beom [Kim Yong Bom], Secretary", "alternative", "Kim Yong Bom"),
        ("the Hamqyeong [Kanko] Committee", "alternative", "Kanko"),
        ("Kim Il Sung [김일성] said", "alternative", "김일성"),
        ("the government [gosudarstvennaya] party", "original", "gosudarstvennaya"),
        ("the mayor [Bürgermeister] said", "original", "Bürgermeister"),
        ("the party [Russian: partiya] was", "original", "partiya"),
        ("district committee [have been registered] in", "supplied", "have been registered"),
        ("Until [5] October", "supplied", "5"),
        ("[The following] are necessary", "supplied", "The following"),
        ("the committee [members] decided", "supplied", "members"),
        ("in Seoul.[3] Then", "editorial", "3"),
        ("[Stamp: Secret]", "editorial", "Stamp: Secret"),
        ("[signature]", "editorial", "signature"),
    ],
)
def test_note_kinds(text: str, kind: str, content: str) -> None:
    (note,) = find_notes(text)
    assert (note.kind, note.content) == (kind, content)
    assert text[note.start : note.end] == note.text


def test_notes_do_not_span_paragraphs() -> None:
    assert find_notes("an open [bracket\n\nand a closing] one") == ()
    assert classify("") == ("omission", "")


def test_blocks_split_list_items_inside_a_paragraph() -> None:
    body = "Points:\n\n1. First;\n2. Second,\ncontinued.\n3. Third.\n\nTop Secret"
    blocks = find_blocks(body)
    assert [(b.kind, b.number, body[b.start : b.end]) for b in blocks] == [
        ("paragraph", None, "Points:"),
        ("list-item", "1", "1. First;"),
        ("list-item", "2", "2. Second,\ncontinued."),
        ("list-item", "3", "3. Third."),
        ("heading", None, "Top Secret"),
    ]


def test_initials_are_not_list_items() -> None:
    body = "I. V. Stalin received the delegation."
    assert [b.kind for b in find_blocks(body)] == ["paragraph"]


def test_paragraphs_keep_their_characters() -> None:
    text = "  Indented first line\u00a0and é  \n  second line\t\n \n\n\nNext \n"
    assert split_paragraphs(text) == ["Indented first line\u00a0and é\n  second line", "Next"]


@given(st.text(alphabet=st.sampled_from("ab [] :;.1\n\u00a0éK"), max_size=300))
def test_offsets_always_point_at_their_text(text: str) -> None:
    for note in find_notes(text):
        assert note.kind in NOTE_KINDS
        assert text[note.start : note.end] == note.text
        assert note.text.startswith("[") and note.text.endswith("]")
    body = join_paragraphs(split_paragraphs(text))
    previous_end = 0
    for block in find_blocks(body):
        assert block.kind in BLOCK_KINDS
        assert previous_end <= block.start < block.end <= len(body)
        previous_end = block.end


def test_hostile_brackets_are_read() -> None:
    # Many unmatched brackets: a backtracking pattern would never finish on this.
    body = "[" * 50_000 + "x" + "]" * 50_000 + " " + "[a " * 20_000
    notes = find_notes(body)
    assert [n.text for n in notes] == ["[x]"]
    assert len(find_blocks(body)) == 1
