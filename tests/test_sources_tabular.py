"""CSV and JSON Lines: mapped columns, the archive's tags, and one error per bad row."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from lodpub.sources import Mapping, SourceError, read_path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"


def test_csv_records_tags_and_row_errors() -> None:
    path = FIXTURES / "letters.csv"
    result = read_path(path)
    (error,) = result.errors
    # the first row's body spans lines 2-5, so the title-less row is on physical line 6
    assert (error.path, error.line, error.field) == (str(path), 6, "title")
    assert "missing required title" in error.message and "'Title'" in error.message

    first, second = result.records
    assert first.source == f"{path}:2" and second.source == f"{path}:7"
    assert first.key == "wc-1001" and first.record_id == "wc-1001"
    assert first.title == "Memorandum on the Seoul Rally"
    assert first.date == "1945-10-20"
    assert first.summary == "A memorandum on the rally of 20 October."
    assert first.translator == "Gary Goldberg"
    assert first.citation is not None
    assert first.citation.text == "AGShVS RF, f. 172, op. 614631, d. 23, l. 12."
    assert first.citation.get("sheets") == "12"
    assert [(t.kind, t.label) for t in first.tags] == [
        ("agent", "Rhee, Syngman"),
        ("agent", "Kim, Il Sung"),
        ("place", "Seoul"),
        ("subject", "Elections"),
        ("subject", "Rallies"),
    ]
    assert first.extra == {"Scan Quality": "good"}
    assert first.body.startswith("On 20 October a rally was held in Seoul")
    assert [(n.kind, n.content) for n in first.notes] == [
        ("alternative", "Rhee Syngman"),
        ("supplied", "of the Military Government"),
    ]
    assert all(first.body[n.start : n.end] == n.text for n in first.notes)
    assert [b.number for b in first.blocks if b.kind == "list-item"] == ["1", "2"]

    assert second.date == "1946-06-28" and second.extra["date_text"] == "June 28, 1946"
    assert [t.label for t in second.tags if t.kind == "agent"] == [
        "Kim, Il Sung",
        "Pak, Heon-yeong",
    ]


def test_mapping_file_beside_the_csv() -> None:
    result = read_path(FIXTURES / "catalogue.csv")
    assert result.errors == []
    first, second = result.records
    assert first.key == "adsd-12" and first.title == "Brief an den Parteivorstand"
    assert first.language == "de"
    assert first.publisher == "Archiv der sozialen Demokratie"
    assert first.date == "1946-05-03"
    assert [(t.kind, t.label) for t in second.tags] == [
        ("person", "Ollenhauer, Erich"),
        ("person", "Schumacher, Kurt"),
    ]
    assert second.notes[0].kind == "omission"


def test_flags_override_the_mapping_file() -> None:
    mapping = Mapping.from_pairs(["title=Shelfmark", "subjects=Heading"])
    result = read_path(FIXTURES / "catalogue.csv", mapping)
    assert result.errors == []
    assert [r.title for r in result.records] == ["AdsD-12", "AdsD-13"]
    assert result.records[0].tags[-1].kind == "subject"
    assert result.records[0].language == "de"  # the file's defaults still apply


def test_bad_bytes_in_one_row() -> None:
    path = FIXTURES / "latin1_row.csv"
    data = path.read_bytes()
    result = read_path(path)
    (error,) = result.errors
    assert error.line == 3
    offset = data.index(b"with \xe9") + len(b"with ")
    assert f"not valid UTF-8 at byte {offset}" in error.message
    assert [r.title for r in result.records] == ["Good row", "Another good row"]
    assert result.records[0].body == "A body in UTF-8 with é."


def test_jsonl_malformed_lines_and_good_records() -> None:
    path = FIXTURES / "rows.jsonl"
    result = read_path(path)
    errors = {e.line: e for e in result.errors}
    assert sorted(errors) == [2, 3, 6]
    assert errors[2].message.startswith("invalid JSON: Unterminated string")
    assert errors[3].field == "text" and "missing required text" in errors[3].message
    assert errors[6].message == "expected a JSON object, got an array"
    assert all(e.path == str(path) for e in result.errors)

    first, second = result.records
    assert first.source == f"{path}:1" and first.key == "7001"
    assert [(t.kind, t.label) for t in first.tags] == [
        ("agent", "Kim, Il Sung"),
        ("subject", "Youth"),
        ("subject", "Komsomol"),
    ]
    assert second.source == f"{path}:5"
    assert second.body == "The party numbers about 10,000.\n\nIt is headed by Song Jin-u."
    assert [b.kind for b in second.blocks] == ["paragraph", "paragraph"]
    assert second.citation is not None and second.citation.get("fond") == "17"


def test_row_without_id_is_keyed_by_its_content(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("Title,Text\nA title,A text\nA title,A text\n", encoding="utf-8")
    result = read_path(path)
    row = {"Title": "A title", "Text": "A text"}
    expected = hashlib.sha256(
        json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    ).hexdigest()[:16]
    assert [r.key for r in result.records] == [expected]
    (error,) = result.errors
    assert error.line == 3 and "duplicate record key" in error.message


def test_file_level_problems_are_one_error(tmp_path: Path) -> None:
    cases = {
        "no_text.csv": ("Title,Notes\nA,B\n", "no column for text"),
        "dupes.csv": ("Title,Title,Text\nA,B,C\n", "duplicate column name 'Title'"),
        "empty.csv": ("", "empty file"),
    }
    for name, (content, message) in cases.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        result = read_path(path)
        assert result.records == []
        assert len(result.errors) == 1 and message in result.errors[0].message


def test_bad_tag_list_and_extra_fields_name_the_row(tmp_path: Path) -> None:
    path = tmp_path / "tags.csv"
    path.write_text(
        'Title,Text,Places\nA,B,"[""Seoul"", 3, {""x"": 1}]"\nC,D,E,F\nG,H,"[""Seoul"""\n',
        encoding="utf-8",
    )
    result = read_path(path)
    assert result.records == []
    assert [(e.line, e.field) for e in result.errors] == [(2, "places"), (3, None), (4, "places")]
    assert "expected a list of text labels" in result.errors[0].message
    assert "row has 4 fields, the header has 3" in result.errors[1].message
    assert "not a valid JSON list" in result.errors[2].message


def test_mapping_errors_name_the_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "m.mapping.toml"
    path.write_text('[columns]\ntitel = "Title"\n', encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        Mapping.load(path)
    assert raised.value.path == str(path) and raised.value.field == "titel"
    with pytest.raises(SourceError, match="expected FIELD=COLUMN"):
        Mapping.from_pairs(["title"])
    data = tmp_path / "m.csv"
    data.write_text("Title,Text\nA,B\n", encoding="utf-8")
    (error,) = read_path(data).errors
    assert error.path == str(path) and "unknown field 'titel'" in error.message


def test_mapped_column_missing_from_header(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("Title,Text\nA,B\n", encoding="utf-8")
    result = read_path(path, Mapping.from_pairs(["text=Body"]))
    (error,) = result.errors
    assert error.field == "text" and "column 'Body' mapped to text" in error.message


def test_folder_mapping_and_tab_separated(tmp_path: Path) -> None:
    (tmp_path / "lodpub-mapping.toml").write_text(
        '[columns]\ntitle = "Name"\ntext = ["Letter", "Note"]\n', encoding="utf-8"
    )
    path = tmp_path / "batch.tsv"
    path.write_text("Name\tLetter\tNote\nA\t\tOnly a note.\n", encoding="utf-8")
    (record,) = read_path(path).records
    assert (record.title, record.body) == ("A", "Only a note.")
