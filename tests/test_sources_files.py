"""Finding record files in folders and choosing the reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from lodpub.sources import SourceError, iter_files, read_path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"


def test_folders_are_walked_in_order_and_skip_non_records(tmp_path: Path) -> None:
    for name in (
        "b.txt",
        "a.csv",
        "README.md",
        "README.txt",
        ".hidden.txt",
        "a.mapping.toml",
        "lodpub-mapping.toml",
        "record.schema.json",
        "notes.xml",
        "sub/c.jsonl",
        "sub/d.json",
        ".git/e.txt",
    ):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path])]
    assert found == ["a.csv", "b.txt", "sub/c.jsonl", "sub/d.json"]


def test_files_are_given_back_as_given_once(tmp_path: Path) -> None:
    odd = tmp_path / "notes.xml"
    odd.write_text("x", encoding="utf-8")
    assert list(iter_files([odd, str(odd)])) == [odd]


def test_missing_path_raises(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(SourceError) as raised:
        list(iter_files([missing]))
    assert raised.value.path == str(missing)


def test_fixture_folder_reads_without_surprises() -> None:
    files = list(iter_files([FIXTURES]))
    assert FIXTURES / "README.md" not in files
    assert FIXTURES / "catalogue.mapping.toml" not in files
    records = [r for f in files for r in read_path(f).records]
    keys = [r.key for r in records]
    assert len(keys) == len(set(keys))


def test_unknown_extension_and_unreadable_file(tmp_path: Path) -> None:
    odd = tmp_path / "notes.xml"
    odd.write_text("<x/>", encoding="utf-8")
    (error,) = read_path(odd).errors
    assert "unknown file type '.xml'" in error.message and ".jsonl" in error.message
    (error,) = read_path(tmp_path / "gone.txt").errors
    assert error.path == str(tmp_path / "gone.txt") and "cannot read file" in error.message


def test_text_starting_with_a_note_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("[Draft]\n\nA Title?\n", encoding="utf-8")
    (record,) = read_path(path).records
    assert record.title == "[Draft]"
    assert record.body == "A Title?"
