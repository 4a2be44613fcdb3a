"""The canonical JSON record format and its JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft202012Validator

from lodpub.sources import read_path
from lodpub.sources.canonical import schema
from lodpub.sources.citation import PART_KINDS
from lodpub.sources.record import BLOCK_KINDS, NOTE_KINDS, TAG_KINDS, Record

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "sources"
SCHEMA_PATH = ROOT / "src" / "lodpub" / "sources" / "record.schema.json"


def test_schema_is_valid_and_matches_the_record_contract() -> None:
    on_disk = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(on_disk)
    assert schema() == on_disk
    defs = on_disk["$defs"]
    assert defs["note"]["properties"]["kind"]["enum"] == list(NOTE_KINDS)
    assert defs["block"]["properties"]["kind"]["enum"] == list(BLOCK_KINDS)
    assert defs["tag"]["properties"]["kind"]["enum"] == list(TAG_KINDS)
    assert defs["citation_part"]["properties"]["kind"]["enum"] == list(PART_KINDS)
    record_fields = set(Record.__dataclass_fields__) - {"source"}
    assert set(defs["record"]["properties"]) - {"$schema"} == record_fields


def test_one_valid_record() -> None:
    path = FIXTURES / "canonical_one.json"
    result = read_path(path)
    assert result.errors == []
    (record,) = result.records
    assert record.source == str(path)
    assert record.key == "report-kim-1945"
    assert record.original_language == "ru"
    assert record.translator == "Gary Goldberg"
    assert record.citation is not None
    assert [(p.kind, p.value) for p in record.citation.parts] == [
        ("archive", "AGShVS RF"),
        ("fond", "172"),
    ]  # parts as given, not re-parsed
    assert [(t.kind, t.label) for t in record.tags] == [
        ("person", "Kim, Il Sung"),
        ("place", "Haeju"),
    ]
    (note,) = record.notes
    assert record.body[note.start : note.end] == "[Kim Il-song]"
    assert [(b.kind, b.number) for b in record.blocks] == [("paragraph", None), ("list-item", "1")]
    assert record.extra == {"collection": "Korea 1945"}


def test_array_with_invalid_records() -> None:
    path = FIXTURES / "canonical_many.json"
    result = read_path(path)
    assert [(r.source, r.title) for r in result.records] == [
        (f"{path}#records[0]", "First valid record"),
        (f"{path}#records[2]", "Second valid record"),
    ]
    first, second = result.records
    assert first.key == "a-1"
    assert [(n.kind, n.content) for n in first.notes] == [("supplied", "supplied")]  # detected
    assert second.citation is not None and second.citation.get("fond") == "R-9401"  # parsed

    errors = {e.field: e.message for e in result.errors}
    assert all(e.path == str(path) for e in result.errors)
    assert set(errors) == {
        "records[1].citation.parts[0].kind",
        "records[3].title",
        "records[3].date",
        "records[4].notes[0]",
    }
    assert errors["records[1].citation.parts[0].kind"].startswith("expected one of: archive,")
    assert errors["records[1].citation.parts[0].kind"].endswith('got "shelf"')
    assert errors["records[3].title"] == "required field is missing"
    assert errors["records[3].date"].startswith("expected an ISO 8601 date")
    assert "does not match body[0:5]" in errors["records[4].notes[0]"]


def test_single_record_errors_and_bad_json(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(
        json.dumps({"title": 5, "body": "x", "colour": "red", "tags": [{"kind": "person"}]}),
        encoding="utf-8",
    )
    errors = {e.field: e.message for e in read_path(path).errors}
    assert errors == {
        "title": "expected string, got a number",
        "colour": errors["colour"],
        "tags[0].label": "required field is missing",
    }
    assert errors["colour"].startswith("unknown field; expected one of:")

    broken = tmp_path / "broken.json"
    broken.write_text('{"title": "A",\n "body": }', encoding="utf-8")
    (error,) = read_path(broken).errors
    assert error.line == 2 and error.message.startswith("invalid JSON: Expecting value")


def test_json_saved_as_text_is_sniffed() -> None:
    (record,) = read_path(FIXTURES / "record_in_text.txt").records
    assert record.key == "note-20-october"
    assert record.date == "1945-10"
    assert record.notes[0].content == "of 20 October"
