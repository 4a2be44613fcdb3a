"""Readers that turn files into `Record`s, chosen by extension and, for .txt/.json, by content."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from lodpub.sources.archive_text import read_archive_text
from lodpub.sources.canonical import read_canonical
from lodpub.sources.mapping import Mapping, is_mapping_file, mapping_beside
from lodpub.sources.record import Record, SourceError
from lodpub.sources.result import ReadResult
from lodpub.sources.tabular import read_csv, read_jsonl

__all__ = [
    "RECORD_EXTENSIONS",
    "Mapping",
    "ReadResult",
    "Record",
    "SourceError",
    "iter_files",
    "read_path",
]

TEXT_EXTENSIONS = (".txt",)
JSON_EXTENSIONS = (".json",)
CSV_EXTENSIONS = (".csv", ".tsv")
JSONL_EXTENSIONS = (".jsonl", ".ndjson")
RECORD_EXTENSIONS = TEXT_EXTENSIONS + JSON_EXTENSIONS + CSV_EXTENSIONS + JSONL_EXTENSIONS
_SKIPPED_SUFFIXES = (".schema.json",)


def read_path(path: Path | str, mapping: Mapping | None = None) -> ReadResult:
    """Records of one file and an error for each part that could not be read.

    `mapping` applies to CSV and JSON Lines files, over the mapping file found beside them.
    """
    path = Path(path)
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in RECORD_EXTENSIONS:
        return _failed(
            source,
            f"unknown file type {suffix or '(no extension)'!r}: expected one of "
            f"{', '.join(RECORD_EXTENSIONS)}",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _failed(source, f"cannot read file: {exc.strerror or exc}")
    if suffix in TEXT_EXTENSIONS:
        if _looks_like_json(data):
            return read_canonical(path, data)
        return read_archive_text(path, data)
    if suffix in JSON_EXTENSIONS:
        return read_canonical(path, data)
    try:
        effective = _mapping_for(path, mapping)
    except SourceError as exc:
        return ReadResult(errors=[exc])
    if suffix in CSV_EXTENSIONS:
        return read_csv(path, data, effective, delimiter="\t" if suffix == ".tsv" else None)
    return read_jsonl(path, data, effective)


def iter_files(paths: Iterable[Path | str]) -> Iterator[Path]:
    """Files as given, folders walked in sorted order for record files; SourceError if missing.

    A folder's files come before its subfolders', each in name order. Hidden files and folders,
    README*, mapping files and *.schema.json are skipped.
    """
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = _walk(path)
        elif path.exists():
            found = iter([path])
        else:
            raise SourceError(str(path), "no such file or folder")
        for file in found:
            resolved = file.resolve()
            if resolved not in seen:
                seen.add(resolved)
                yield file


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            file = Path(root, name)
            if _is_record_file(file):
                yield file


def _is_record_file(path: Path) -> bool:
    name = path.name
    return (
        not name.startswith(".")
        and not name.upper().startswith("README")
        and not is_mapping_file(path)
        and not name.lower().endswith(_SKIPPED_SUFFIXES)
        and path.suffix.lower() in RECORD_EXTENSIONS
    )


def _mapping_for(path: Path, given: Mapping | None) -> Mapping:
    beside = mapping_beside(path)
    base = Mapping.load(beside) if beside else Mapping()
    return base.merged(given) if given else base


def _looks_like_json(data: bytes) -> bool:
    """A .txt whose content is a JSON object or array (a "[" note alone does not parse)."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith((b"{", b"[")):
        return False
    try:
        json.loads(head.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return False
    return True


def _failed(source: str, message: str) -> ReadResult:
    return ReadResult(errors=[SourceError(source, message)])
