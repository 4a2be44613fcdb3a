"""CSV and JSON Lines exports, one record a row, read through a column mapping."""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lodpub.sources.archive_text import funder_of
from lodpub.sources.body import join_paragraphs, layout, remove_artifacts, split_paragraphs
from lodpub.sources.citation import parse_citation, split_translator
from lodpub.sources.dates import parse_date
from lodpub.sources.encoding import (
    bad_bytes,
    check_value,
    decode_utf16,
    is_utf16,
    lines_of,
    normalise_newlines,
)
from lodpub.sources.jsontext import JSONProblem, load_json
from lodpub.sources.keys import key_from_record_id, value_key
from lodpub.sources.languages import language_tag
from lodpub.sources.mapping import REQUIRED_FIELDS, TAG_FIELDS, Mapping
from lodpub.sources.record import Record, SourceError, Tag
from lodpub.sources.result import ReadResult
from lodpub.sources.tags import make_tags, split_labels

# Long transcripts exceed the csv module's default field limit of 128 KiB.
_FIELD_LIMIT = 64 * 1024 * 1024
_DELIMITERS = (",", ";", "\t")


def read_csv(
    path: Path, data: bytes, mapping: Mapping, *, delimiter: str | None = None
) -> ReadResult:
    """Records from a CSV file; one error per bad row, the good rows still read."""
    source = str(path)
    result = ReadResult()
    bad_lines = _bad_lines(data)
    try:
        text = _text(data, source)
    except SourceError as exc:
        result.errors.append(exc)
        return result
    if not text.strip():
        result.errors.append(SourceError(source, "empty file: expected a header row", line=1))
        return result
    first_line = text.split("\n", 1)[0]
    delimiter = mapping.delimiter or delimiter or _guess_delimiter(first_line)
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = _rows(reader, source, result)
    try:
        header_line, header = next(rows)
    except StopIteration:
        return result
    header = [name.strip() for name in header]
    try:
        check_value(header, source, where="header", line=header_line)
    except SourceError as exc:
        result.errors.append(exc)
        return result
    bad = next(
        (bad_lines[n] for n in range(header_line, reader.line_num + 1) if n in bad_lines), None
    )
    if bad is not None:
        result.errors.append(_bad_utf8(source, bad, header_line))
        return result
    try:
        columns = _header_columns(header, mapping, source, header_line)
    except SourceError as exc:
        result.errors.append(exc)
        return result
    builder = _RecordBuilder(source, mapping)
    for start, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        end = reader.line_num
        bad = next((bad_lines[n] for n in range(start, end + 1) if n in bad_lines), None)
        if bad is not None:
            result.errors.append(_bad_utf8(source, bad, start))
            continue
        if len(row) > len(header):
            result.errors.append(
                SourceError(
                    source, f"row has {len(row)} fields, the header has {len(header)}", line=start
                )
            )
            continue
        values = {name: normalise_newlines(cell) for name, cell in zip(header, row, strict=False)}
        try:
            check_value(values, source, line=start)
        except SourceError as exc:
            result.errors.append(exc)
            continue
        builder.add(values, columns, start, result)
    return result


def read_jsonl(path: Path, data: bytes, mapping: Mapping) -> ReadResult:
    """Records from a JSON Lines file, one object a line; one error per bad line."""
    source = str(path)
    result = ReadResult()
    builder = _RecordBuilder(source, mapping)
    offset = 0
    for number, raw in enumerate(data.split(b"\n"), start=1):
        line_start, offset = offset, offset + len(raw) + 1
        if number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        if not raw.strip():
            continue
        bad = bad_bytes(raw)
        if bad:
            bom = 3 if number == 1 and data.startswith(codecs.BOM_UTF8) else 0
            result.errors.append(_bad_utf8(source, line_start + bom + bad[0], number))
            continue
        try:
            value = load_json(raw.decode("utf-8"))
            check_value(value, source, line=number)
        except JSONProblem as exc:
            message = f"invalid JSON: {exc.message} (column {exc.column})"
            result.errors.append(SourceError(source, message, line=number))
            continue
        except SourceError as exc:
            result.errors.append(exc)
            continue
        if not isinstance(value, dict):
            result.errors.append(
                SourceError(source, f"expected a JSON object, got {_json_type(value)}", line=number)
            )
            continue
        try:
            columns = mapping.resolve(list(value), source, strict=False)
        except SourceError as exc:
            result.errors.append(exc)
            continue
        builder.add(value, columns, number, result)
    return result


class _RecordBuilder:
    """Turns mapped rows into Records, keeping keys unique within the file."""

    def __init__(self, source: str, mapping: Mapping) -> None:
        self.source = source
        self.mapping = mapping
        self.keys: dict[str, int] = {}

    def add(
        self,
        row: dict[str, Any],
        columns: dict[str, tuple[str, ...]],
        line: int,
        result: ReadResult,
    ) -> None:
        try:
            record = row_record(row, columns, self.mapping, self.source, line)
        except SourceError as exc:
            result.errors.append(exc)
            return
        if record.key in self.keys:
            result.errors.append(
                SourceError(
                    self.source,
                    f"duplicate record key {record.key!r} "
                    f"(first used on line {self.keys[record.key]})",
                    line=line,
                    field="record_id" if record.record_id else None,
                )
            )
            return
        self.keys[record.key] = line
        result.records.append(record)


def row_record(
    row: dict[str, Any],
    columns: dict[str, tuple[str, ...]],
    mapping: Mapping,
    source: str,
    line: int,
) -> Record:
    """One Record from a row (column → value); a SourceError naming the line and field."""

    def value(fld: str) -> str | None:
        for column in columns.get(fld, ()):
            cell = row.get(column)
            if isinstance(cell, dict | list):
                raise SourceError(
                    source,
                    f"expected text in column {column!r}, got {_json_type(cell)}",
                    line=line,
                    field=fld,
                )
            if cell is not None and str(cell).strip():
                return remove_artifacts(str(cell).strip())
        return mapping.defaults.get(fld)

    for fld in REQUIRED_FIELDS:
        if value(fld) is None:
            where = columns.get(fld)
            detail = f"empty in column {where[0]!r}" if where else "no column for it"
            raise SourceError(source, f"missing required {fld}: {detail}", line=line, field=fld)
    title = " ".join((value("title") or "").split())
    body = join_paragraphs(split_paragraphs(value("text") or ""))
    blocks, notes = layout(body)
    extra: dict[str, str] = {}

    translator = value("translator")
    citation = None
    if cited := value("citation"):
        text, credited = split_translator(cited)
        translator = translator or credited
        citation = parse_citation(text) if text else None

    date = _date(value("date"), "date_text", extra)
    uploaded = _date(value("uploaded"), "uploaded_text", extra)
    language = "en"
    original_language = None
    for fld in ("language", "original_language"):
        if (raw := value(fld)) is not None:
            tag = language_tag(raw)
            if tag is None:
                extra[fld] = raw
            elif fld == "language":
                language = tag
            else:
                original_language = tag

    funding_line = value("funding_line")
    funder = value("funder") or (funder_of(funding_line) if funding_line else None)
    tags = _tags(row, columns, source, line)

    used = {column for names in columns.values() for column in names}
    for column, cell in row.items():
        if column in used or cell is None or cell == "":
            continue
        extra[column] = cell if isinstance(cell, str) else json.dumps(cell, ensure_ascii=False)

    record_id = value("record_id")
    key = key_from_record_id(record_id) if record_id else value_key(row)
    return Record(
        source=f"{source}:{line}",
        key=key,
        title=title,
        body=body,
        blocks=blocks,
        notes=notes,
        language=language,
        original_language=original_language,
        summary=value("summary"),
        citation=citation,
        translator=translator,
        rights=value("rights"),
        funding_line=funding_line,
        funder=funder,
        publisher=value("publisher"),
        uploaded=uploaded,
        record_id=record_id,
        date=date,
        tags=tags,
        extra=extra,
    )


def _tags(
    row: dict[str, Any], columns: dict[str, tuple[str, ...]], source: str, line: int
) -> tuple[Tag, ...]:
    tags: list[Tag] = []
    for fld, kind in TAG_FIELDS.items():
        for column in columns.get(fld, ()):
            try:
                labels = split_labels(row.get(column))
            except ValueError as exc:
                raise SourceError(
                    source, f"column {column!r}: {exc}", line=line, field=fld
                ) from None
            tags.extend(tag for tag in make_tags(kind, labels) if tag not in tags)
    return tuple(tags)


def _date(raw: str | None, wording_key: str, extra: dict[str, str]) -> str | None:
    """ISO date of a cell; the wording is kept in `extra` when it is not already ISO."""
    if raw is None:
        return None
    iso = parse_date(raw)
    if iso != raw:
        extra[wording_key] = raw
    return iso


def _header_columns(
    header: list[str], mapping: Mapping, source: str, line: int
) -> dict[str, tuple[str, ...]]:
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise SourceError(source, f"duplicate column name {name!r} in the header", line=line)
        seen.add(name)
    columns = mapping.resolve(header, source)
    for fld in REQUIRED_FIELDS:
        if fld not in columns:
            raise SourceError(
                source,
                f"no column for {fld}; columns are: {', '.join(header)}; map one in a mapping file "
                f"or with {fld}=COLUMN",
                line=line,
                field=fld,
            )
    return columns


def _rows(reader: Any, source: str, result: ReadResult) -> Iterator[tuple[int, list[str]]]:
    """(first physical line, cells) of each row; a malformed row becomes an error."""
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            result.errors.append(SourceError(source, f"malformed CSV: {exc}", line=start))
            if reader.line_num < start:
                return
            continue
        if row:
            yield start, row


def _text(data: bytes, source: str) -> str:
    """The file's text; bytes that are not UTF-8 are escaped (their rows become errors)."""
    if is_utf16(data):
        return decode_utf16(data, source)
    return data.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")


def _bad_lines(data: bytes) -> dict[int, int]:
    """Line number → byte offset of the first bad UTF-8 byte on it."""
    if is_utf16(data):
        return {}
    offsets = bad_bytes(data)
    lines: dict[int, int] = {}
    for line, offset in zip(lines_of(data, offsets), offsets, strict=True):
        lines.setdefault(line, offset)
    return lines


def _bad_utf8(source: str, byte: int, line: int) -> SourceError:
    return SourceError(source, f"not valid UTF-8 at byte {byte}; save the file as UTF-8", line=line)


def _guess_delimiter(header_line: str) -> str:
    return max(_DELIMITERS, key=header_line.count) if header_line else ","


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")
