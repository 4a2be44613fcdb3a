"""The canonical JSON record format, checked against record.schema.json (JSON Schema 2020-12)."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from lodpub.sources.body import find_blocks
from lodpub.sources.citation import parse_citation
from lodpub.sources.encoding import check_value, decode
from lodpub.sources.jsontext import JSONProblem, load_json
from lodpub.sources.keys import key_from_record_id, value_key
from lodpub.sources.notes import find_notes
from lodpub.sources.record import (
    Block,
    Citation,
    CitationPart,
    EditorialNote,
    Record,
    SourceError,
    Tag,
)
from lodpub.sources.result import ReadResult

SCHEMA_FILE = "record.schema.json"
ARRAY_NAME = "records"  # how error paths name the items of a top-level array
_REQUIRED = re.compile(r"^'(?P<name>.*)' is a required property$")
_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
}
_TEXT_FIELDS = (
    "summary",
    "translator",
    "rights",
    "funding_line",
    "funder",
    "publisher",
    "uploaded",
    "record_id",
    "date",
    "original_language",
)


@cache
def schema() -> dict[str, Any]:
    """The canonical record schema shipped with the package."""
    text = resources.files("lodpub.sources").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


def read_canonical(path: Path, data: bytes) -> ReadResult:
    """Records from a canonical JSON file; one error per schema violation, valid records kept."""
    source = str(path)
    try:
        value = parse_json(decode(data, source), source)
    except SourceError as exc:
        return ReadResult(errors=[exc])
    return records_from_value(value, source)


def parse_json(text: str, source: str) -> Any:
    """The value of a JSON file's text; a SourceError naming line and column of a fault."""
    try:
        return load_json(text)
    except JSONProblem as exc:
        raise SourceError(
            source,
            f"invalid JSON: {exc.message} (column {exc.column}); a file of one JSON object a "
            "line should be named .jsonl",
            line=exc.line,
        ) from None


def records_from_value(value: Any, source: str) -> ReadResult:
    """Records from a decoded JSON value: one record object or an array of them."""
    result = ReadResult()
    if value == []:
        result.errors.append(SourceError(source, "no records: the array is empty", line=1))
        return result
    invalid: set[int | None] = set()
    for error in _validator().iter_errors(value):
        path = list(error.absolute_path)
        index = path[0] if isinstance(value, list) and path else None
        invalid.add(index)
        result.errors.extend(_errors(error, source, isinstance(value, list)))
    items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
    keys: dict[str, str] = {}
    for index, item in items:
        if index in invalid:
            continue
        prefix = f"{ARRAY_NAME}[{index}]" if index is not None else ""
        where = f"{source}#{prefix}" if prefix else source
        try:
            check_value(item, source, where=prefix)
            record = _record(item, where, prefix, source)
        except SourceError as exc:
            result.errors.append(exc)
            continue
        if record.key in keys:
            result.errors.append(
                SourceError(
                    source,
                    f"duplicate key {record.key!r} (first used by {keys[record.key]})",
                    field=_join(prefix, "key"),
                )
            )
            continue
        keys[record.key] = prefix or "the first record"
        result.records.append(record)
    return result


def _record(item: dict[str, Any], where: str, prefix: str, source: str) -> Record:
    body: str = item["body"]
    notes = _notes(item, body, prefix, source)
    blocks = _blocks(item, body, prefix, source)
    citation = None
    if cited := item.get("citation"):
        parts = cited.get("parts")
        if parts is None:
            citation = parse_citation(cited["text"])
        else:
            citation = Citation(
                cited["text"], tuple(CitationPart(p["kind"], p["value"]) for p in parts)
            )
    record_id = item.get("record_id")
    if item.get("key"):
        key = item["key"]
    elif record_id:
        key = key_from_record_id(record_id)
    else:
        key = value_key(item)
    texts = {name: item.get(name) for name in _TEXT_FIELDS}
    return Record(
        source=where,
        key=key,
        title=item["title"],
        body=body,
        blocks=blocks,
        notes=notes,
        language=item.get("language") or "en",
        citation=citation,
        tags=tuple(Tag(t["kind"], t["label"]) for t in item.get("tags", ())),
        extra=dict(item.get("extra", {})),
        **texts,
    )


def _notes(item: dict[str, Any], body: str, prefix: str, source: str) -> tuple[EditorialNote, ...]:
    if "notes" not in item:
        return find_notes(body)
    notes = []
    for index, note in enumerate(item["notes"]):
        field = _join(prefix, f"notes[{index}]")
        _check_span(note, body, field, source)
        if body[note["start"] : note["end"]] != note["text"]:
            raise SourceError(
                source,
                f"text {note['text']!r} does not match body[{note['start']}:{note['end']}] "
                f"{body[note['start'] : note['end']]!r}",
                field=field,
            )
        notes.append(
            EditorialNote(note["kind"], note["text"], note["content"], note["start"], note["end"])
        )
    return tuple(sorted(notes, key=lambda n: (n.start, n.end)))


def _blocks(item: dict[str, Any], body: str, prefix: str, source: str) -> tuple[Block, ...]:
    if "blocks" not in item:
        return find_blocks(body)
    blocks = []
    for index, block in enumerate(item["blocks"]):
        _check_span(block, body, _join(prefix, f"blocks[{index}]"), source)
        blocks.append(Block(block["kind"], block["start"], block["end"], block.get("number")))
    return tuple(sorted(blocks, key=lambda b: (b.start, b.end)))


def _check_span(span: dict[str, Any], body: str, field: str, source: str) -> None:
    if not span["start"] <= span["end"] <= len(body):
        raise SourceError(
            source,
            f"expected 0 <= start <= end <= {len(body)} (the body's length), "
            f"got start {span['start']}, end {span['end']}",
            field=field,
        )


def _errors(error: ValidationError, source: str, in_array: bool) -> list[SourceError]:
    """One SourceError per problem, its field the JSON path: records[2].citation.parts[0].kind."""
    path = _path(list(error.absolute_path), in_array)
    schema_part = error.schema if isinstance(error.schema, dict) else {}
    kind = error.validator
    if kind == "required":
        match = _REQUIRED.match(error.message)
        name = match.group("name") if match else "?"
        return [SourceError(source, "required field is missing", field=_join(path, name))]
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(schema_part.get("properties", {}))
        return [
            SourceError(
                source,
                f"unknown field; expected one of: {', '.join(allowed)}",
                field=_join(path, name),
            )
            for name in sorted(set(error.instance) - set(allowed))
        ]
    if kind == "type":
        expected = error.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        message = f"expected {' or '.join(names)}, got {_json_type(error.instance)}"
    elif kind == "enum":
        message = (
            f"expected one of: {', '.join(map(str, error.validator_value))}; "
            f"got {json.dumps(error.instance, ensure_ascii=False)}"
        )
    elif "description" in schema_part:
        got = json.dumps(error.instance, ensure_ascii=False)
        message = f"expected {schema_part['description']}; got {got}"
    else:
        message = error.message
    return [SourceError(source, message, field=path or "(record)")]


def _path(parts: list[str | int], in_array: bool) -> str:
    text = ""
    for position, part in enumerate(parts):
        if isinstance(part, int):
            text += f"{ARRAY_NAME}[{part}]" if in_array and position == 0 else f"[{part}]"
        else:
            text = _join(text, part)
    return text


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _json_type(value: Any) -> str:
    return "null" if value is None else _JSON_TYPES.get(type(value), "a value")
