"""Archive page text: the seed read completely, and records from other archives and layouts."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from lodpub.sources import read_path
from lodpub.sources.record import NOTE_KINDS, Record

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_3a5edd602105b0b3.txt"
FIXTURES = ROOT / "tests" / "fixtures" / "sources"


def read_one(path: Path) -> Record:
    result = read_path(path)
    assert result.errors == []
    assert len(result.records) == 1
    return result.records[0]


@pytest.fixture(scope="module")
def seed() -> Record:
    return read_one(SEED)


def test_seed_catalogue_parts(seed: Record) -> None:
    assert seed.source == str(SEED)
    assert seed.key == "3a5edd602105b0b3"
    assert seed.title == "Soviet Report on Communists in Korea, 1945"
    assert seed.funding_line == (
        "This document was made possible with support from Leon Levy Foundation"
    )
    assert seed.funder == "Leon Levy Foundation"
    assert seed.translator == "Gary Goldberg"
    assert seed.language == "en"
    assert seed.uploaded is None
    assert seed.record_id is None
    assert seed.date is None  # the year in the title is not a stated document date
    assert seed.summary == (
        "Soviet officers provide a sketch of the existing communist movement in northern and "
        "southern Korea in 1945 and suggest that Kim Il Sung should be a leading candidate to "
        "head the Korean government."
    )
    assert seed.extra == {}


def test_seed_citation(seed: Record) -> None:
    assert seed.citation is not None
    assert seed.citation.text == "AGShVS RF. F. 172. OP 614631. D. 23 pp. 21-26."
    assert [(p.kind, p.value) for p in seed.citation.parts] == [
        ("archive", "AGShVS RF"),
        ("fond", "172"),
        ("opis", "614631"),
        ("delo", "23"),
        ("pages", "21-26"),
    ]


def test_seed_rights_without_scrape_artifact(seed: Record) -> None:
    assert seed.rights is not None
    assert "[email protected]" not in seed.rights
    paragraphs = seed.rights.split("\n\n")
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("The History and Public Policy Program welcomes reuse")
    assert paragraphs[1] == (
        "To enquire about this document's rights status or request permission for commercial "
        "use, please contact the History and Public Policy Program at."
    )


def test_seed_body_bounds(seed: Record) -> None:
    assert seed.body.startswith("[Translator's note: there are some handwritten notes in Korean")
    assert seed.body.endswith("a national hero of Korea best-known and loved by all the people.")
    for excluded in ("Skip to content", "made possible", "Soviet officers provide", "Document"):
        assert excluded not in seed.body
    assert "\n\n\n" not in seed.body
    assert all(line == line.rstrip() for line in seed.body.split("\n"))
    assert "émigré" in seed.body


def test_seed_editorial_notes(seed: Record) -> None:
    expected = [
        (
            "translator",
            "there are some handwritten notes in Korean in three places in the document",
        ),
        ("supplied", "have been registered"),
        ("alternative", "Kim Yong Bom"),
        ("alternative", "O Ki Sop"),
        ("alternative", "Kanko"),
        ("alternative", "Pak Hon Yong"),
        ("supplied", "The following"),
        ("alternative", "Ri Yong"),
        ("inserted", "meager"),
        ("omission", "several words crossed out"),
        ("original", "gosudarstvennaya"),
        ("supplied", "5"),
        ("alternative", "Choe Ik Han"),
        ("alternative", "Jong Baek"),
        ("sic", 'not "bureau" as in preceding references'),
        ("inserted", "in order to end the factional struggle in Seoul"),
    ]
    assert [(n.kind, n.content) for n in seed.notes] == expected
    for note in seed.notes:
        assert note.kind in NOTE_KINDS
        assert seed.body[note.start : note.end] == note.text
    translator_note = seed.notes[0]
    assert (translator_note.start, translator_note.end) == (0, 95)
    kanko = next(n for n in seed.notes if n.content == "Kanko")
    assert seed.body[kanko.start - 10 : kanko.start] == "Hamqyeong "
    original = next(n for n in seed.notes if n.kind == "original")
    assert seed.body[original.start - 11 : original.end] == "government [gosudarstvennaya]"


def test_seed_blocks(seed: Record) -> None:
    blocks = seed.blocks
    assert blocks[0].kind == "note"
    assert seed.body[blocks[0].start : blocks[0].end] == seed.notes[0].text
    numbers = [b.number for b in blocks if b.kind == "list-item"]
    assert numbers == [
        "1",
        "2",
        "3",
        "4",
        "1",
        "2",
        "3",
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
    ]
    assert len(blocks) == 48
    assert blocks[-1].end == len(seed.body)
    for block in blocks:
        text = seed.body[block.start : block.end]
        assert text == text.strip() and "\n\n" not in text
        if block.kind == "list-item":
            assert text.startswith(f"{block.number}. ")
    # blocks tile the body: only paragraph separators lie between them
    for left, right in zip(blocks, blocks[1:], strict=False):
        assert seed.body[left.end : right.start] == "\n\n"


def test_other_archive_with_record_id_crlf_and_bom() -> None:
    path = FIXTURES / "telegram.txt"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r\n" in path.read_bytes()
    record = read_one(path)
    assert record.key == "119283"
    assert record.record_id == "119283"
    assert record.uploaded == "2019-06-28"
    assert record.extra["uploaded_text"] == "June 28, 2019"
    assert record.title.startswith("Telegram from the American Political Adviser")
    assert record.date == "1945-11-14"  # from the dateline, which stays in the body
    assert record.body.startswith("Seoul, 14 November 1945\n\nThe people's committees")
    assert "\r" not in record.body and "\ufeff" not in record.body
    assert "1,000\u00a0people" in record.body and "Café" in record.body
    assert "governments.\n\n" in record.body  # trailing spaces of a line dropped
    assert record.summary == (
        "The Political Adviser reports on the position of the people's committees "
        "and their demands."
    )
    assert record.funding_line is None
    assert record.funder == "Korea Foundation"
    assert record.rights == (
        "This document is in the public domain and may be reused without permission."
    )
    assert record.citation is not None
    assert [(p.kind, p.value) for p in record.citation.parts] == [
        ("archive", "National Archives"),
        ("record-group", "59"),
        ("box", "123"),
        ("folder", "4"),
    ]
    assert [(t.kind, t.label) for t in record.tags] == [("place", "Seoul"), ("place", "Chongno")]
    kinds = [(n.kind, n.content) for n in record.notes]
    assert kinds == [
        ("original", "inmin wiwonhoe"),
        ("alternative", "Yo Un-hyong"),
        ("sic", "sic"),
        ("omission", "first name illegible"),
        ("supplied", "at fixed prices"),
        ("editorial", "Stamp: Secret"),
    ]
    assert all(record.body[n.start : n.end] == n.text for n in record.notes)
    items = [
        (b.number, record.body[b.start : b.end]) for b in record.blocks if b.kind == "list-item"
    ]
    assert items == [
        ("a", "a) the release of political prisoners;"),
        ("b", "b) the distribution of rice [at fixed prices];"),
        ("c", "c) the return of Japanese property to Korean owners."),
    ]
    assert record.blocks[-1].kind == "note"


def test_one_line_fields_in_other_order_without_summary() -> None:
    record = read_one(FIXTURES / "minute_no_summary.txt")
    assert record.title == "Foreign Office Minute on Displaced Persons in Berlin"
    assert record.key == "5521"
    assert record.date == "1946-04-03"
    assert record.extra == {"date_text": "3 April 1946"}
    assert record.uploaded == "2021-02-11"
    assert record.summary is None
    assert record.body.endswith("at the next meeting of the Coordinating Committee.")
    assert record.citation is not None
    assert record.citation.text == "PRO FO 371/46468"
    assert [(p.kind, p.value) for p in record.citation.parts] == [
        ("archive", "PRO"),
        ("series", "FO 371"),
        ("piece", "46468"),
    ]
    numbers = [b.number for b in record.blocks if b.kind == "list-item"]
    assert numbers == ["1", "2", "3"]


def test_source_heading_translation_credit_and_content_key() -> None:
    path = FIXTURES / "letter_russian.txt"
    record = read_one(path)
    assert record.key == hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    assert record.translator == "Anna Petrova"
    assert record.original_language == "ru"
    assert record.citation is not None
    assert record.citation.text == "RGASPI, f. 17, op. 128, d. 1119, ll. 3-5."
    assert record.citation.get("sheets") == "3-5"
    assert record.date == "1946-03-12"
    assert record.body.startswith("[Translator's note: the upper part of the first page is torn]")
    assert [(n.kind, n.content) for n in record.notes] == [
        ("translator", "the upper part of the first page is torn"),
        ("original", "oblastnoy komitet"),
        ("supplied", "by"),
        ("alternative", "V. I. Petrov"),
        ("omission", "..."),
    ]


def test_text_without_title_or_body_is_one_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"\xef\xbb\xbf\r\n  \r\n")
    title_only = tmp_path / "title.txt"
    title_only.write_text("Skip to content\n\nA Title\n\nDocument Information\n\nGARF F. 5\n")
    for path, field in ((empty, "title"), (title_only, "body")):
        result = read_path(path)
        assert result.records == []
        assert [(e.path, e.field) for e in result.errors] == [(str(path), field)]


def test_text_in_another_encoding_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Title\n\nCaf\xe9 owners met.\n".encode("latin-1"))
    result = read_path(path)
    assert result.records == []
    (error,) = result.errors
    assert error.line == 3
    assert "not valid UTF-8 at byte 10" in error.message


def test_summary_only_by_template_or_heading(tmp_path: Path) -> None:
    page = "A Title\n\nFirst.\n\nLast paragraph.\n\n{heading}Document Information\n\nGARF F. 1\n"
    implicit = tmp_path / "implicit.txt"
    implicit.write_text(page.format(heading=""), encoding="utf-8")
    record = read_one(implicit)
    assert (record.body, record.summary) == ("First.", "Last paragraph.")
    explicit = tmp_path / "explicit.txt"
    explicit.write_text(page.format(heading="Summary\n\n"), encoding="utf-8")
    record = read_one(explicit)
    assert (record.body, record.summary) == ("First.\n\nLast paragraph.", None)


def test_lines_without_blank_lines_are_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "compact.txt"
    path.write_text("A Compact Record\nFirst paragraph.\nSecond paragraph.\nRecord ID: 42\n")
    record = read_one(path)
    assert record.title == "A Compact Record"
    assert record.body == "First paragraph.\n\nSecond paragraph."
    assert record.record_id == "42" and record.key == "42"
