"""Hostile record files: every reader gives Records or SourceErrors that say where, never a
traceback or a hang, and `lodpub ingest` of an unreadable file leaves the store as it was."""

from __future__ import annotations

import codecs
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset
from rdflib.compare import isomorphic

from lodpub.extract import extract
from lodpub.sources import Record, SourceError, read_path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_3a5edd602105b0b3.txt"
FIXTURES = ROOT / "tests" / "fixtures" / "hostile"
# A hang detector, far above what any record here takes: it is not a speed requirement.
HANG_SECONDS = 60

HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,  # time is bounded by the alarm, which a hang cannot outlast
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Hang(Exception):
    pass


@contextmanager
def bounded(seconds: int = HANG_SECONDS) -> Iterator[None]:
    def ring(signum, frame):
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def read_checked(path: Path) -> tuple[list[Record], list[SourceError]]:
    """Read `path` and extract from each record, within the hang bound; check every error says
    which file and where (a line, or a field of a JSON record)."""
    with bounded():
        result = read_path(path)
        for record in result.records:
            extract(record)
    for record in result.records:
        assert isinstance(record, Record)
        assert record.source.startswith(str(path))
        assert record.title.strip() and record.body.strip()
    for error in result.errors:
        assert isinstance(error, SourceError)
        assert str(error).startswith(str(path)), str(error)
        assert error.line is not None or error.field is not None, str(error)
        assert error.message.strip()
    return result.records, result.errors


# ---- strategies

# Pieces that make parsers stumble: headings, labels, brackets, quotes, list marks, dates.
HOSTILE_PIECES = [
    "Document Information",
    "Summary",
    "Source",
    "Record ID: 114897",
    "Record ID ",
    "Original Uploaded Date: ",
    "Title:",
    "[",
    "]",
    "[[",
    "]]",
    "[Translator's note: ",
    "[sic",
    "[...]",
    "(",
    ")",
    '"',
    "'",
    ",",
    ";",
    "\t",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\f",
    "\ufeff",
    "\u200b",
    "\u202e",
    "1. ",
    "(a) ",
    "iv. ",
    "12 March 1946",
    "1946-1950",
    "Kim Il Sung",
    "Moscow",
    "500 people",
    "This document was made possible with support from ",
    "<script>alert(1)</script>",
    '"><img src=x>',
    "\u0000",
    "\u0007",
    "\ud800",
    "\uffff",
    "é",
    "金日成",
    "Ж",
]
SEED_BYTES = SEED.read_bytes()

texts = st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=30)), max_size=60).map(
    "".join
)


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16":
        return text.encode("utf-16", errors="surrogatepass")
    return text.encode(encoding, errors="surrogatepass" if encoding == "utf-8" else "replace")


encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1251"])


@st.composite
def damaged(draw, data: bytes) -> bytes:
    """`data` truncated, with bytes flipped, or with a slice repeated."""
    how = draw(st.sampled_from(["truncate", "flip", "repeat", "insert"]))
    if not data:
        return data
    at = draw(st.integers(0, len(data) - 1))
    if how == "truncate":
        return data[:at]
    if how == "flip":
        return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    if how == "repeat":
        return data[:at] + data[at : at + 64] * draw(st.integers(2, 200)) + data[at:]
    return data[:at] + draw(st.binary(max_size=40)) + data[at:]


archive_texts = st.one_of(
    st.builds(encode, texts, encodings),
    st.builds(lambda t: ("A report\n\n" + t).encode("utf-8", "surrogatepass"), texts),
    damaged(SEED_BYTES),
    st.binary(max_size=400),
)

cells = st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=20))


@st.composite
def csv_files(draw) -> bytes:
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    header = draw(
        st.one_of(
            st.just(["title", "text", "record_id", "date"]),
            st.lists(cells, max_size=5),
        )
    )
    rows = draw(st.lists(st.lists(cells, max_size=6), max_size=6))

    def line(values: list[str]) -> str:
        return delimiter.join(
            '"' + v.replace('"', '""') + '"' if draw(st.booleans()) else v for v in values
        )

    text = "\n".join(line(r) for r in [header, *rows])
    return encode(text, draw(encodings))


json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        st.text(max_size=20),
        st.sampled_from(HOSTILE_PIECES),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
FIELDS = [
    "title",
    "body",
    "key",
    "record_id",
    "date",
    "summary",
    "citation",
    "tags",
    "notes",
    "blocks",
    "language",
    "extra",
    "text",
]


@st.composite
def record_objects(draw) -> dict:
    """Objects close to a valid record: required fields, then any field set to anything."""
    obj = {"title": draw(texts), "body": draw(texts)}
    for name in draw(st.lists(st.sampled_from(FIELDS), max_size=4)):
        obj[name] = draw(json_values)
    return obj


canonical_files = st.one_of(
    st.builds(lambda v: json.dumps(v).encode(), st.one_of(record_objects(), json_values)),
    st.builds(lambda vs: json.dumps(vs).encode(), st.lists(record_objects(), max_size=4)),
    st.builds(lambda v: damaged(json.dumps(v).encode()), record_objects()).flatmap(lambda s: s),
    st.binary(max_size=200),
)
jsonl_files = st.lists(
    st.one_of(
        st.builds(lambda v: json.dumps(v).encode(), record_objects()),
        st.builds(lambda v: json.dumps(v).encode(), json_values),
        st.binary(max_size=60).filter(lambda b: b"\n" not in b),
    ),
    max_size=6,
).map(lambda lines: b"\n".join(lines))


# ---- property tests, one per reader


@HYPOTHESIS
@given(data=archive_texts)
def test_archive_text_gives_records_or_located_errors(tmp_path, data):
    path = tmp_path / "page.txt"
    path.write_bytes(data)
    records, errors = read_checked(path)
    assert len(records) + len(errors) >= 1


@HYPOTHESIS
@given(data=csv_files())
def test_csv_gives_records_or_located_errors(tmp_path, data):
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    read_checked(path)


@HYPOTHESIS
@given(data=jsonl_files)
def test_jsonl_gives_records_or_located_errors(tmp_path, data):
    path = tmp_path / "export.jsonl"
    path.write_bytes(data)
    read_checked(path)


@HYPOTHESIS
@given(data=canonical_files)
def test_canonical_json_gives_records_or_located_errors(tmp_path, data):
    path = tmp_path / "records.json"
    path.write_bytes(data)
    records, errors = read_checked(path)
    assert len(records) + len(errors) >= 1


# ---- explicit pathological files

HUGE = 4 * 1024 * 1024
MANY = 30_000


def utf16_without_bom(text: str) -> bytes:
    return text.encode("utf-16-le")


EXPLICIT = {
    "deep-brackets.txt": b"A report\n\nIt said " + b"[" * 100_000 + b"x" + b"]" * 100_000,
    "open-brackets.txt": b"A report\n\n" + b"([{" * 100_000,
    "deep-parentheses.txt": b"A report\n\n" + b"(" * 50_000 + b"Moscow" + b")" * 50_000,
    "one-huge-word.txt": b"A report\n\n" + b"A" * HUGE,
    "one-huge-line.txt": b"A report\n\n" + b"word " * (HUGE // 5),
    "list-marks.txt": b"A report\n\n" + b"1. " * 100_000,
    # Thousands of mentions in one record: the recognizers must not compare each with each.
    "many-dates.txt": b"A report\n\n" + b"12 March 1946, " * MANY,
    "many-names.txt": b"A report\n\n" + b"Ivan Petrovich Sidorov " * MANY,
    "many-groups.txt": b"A report\n\n" + b"the Workers Party of Korea, " * MANY,
    "many-places.txt": b"A report\n\n" + b"Pyongyang, Seoul, Moscow; " * MANY,
    "many-counts.txt": b"A report\n\n" + b"about 500 soldiers of the 2nd Division, " * MANY,
    # Full stops before lower-case words end no sentence: one run of a million characters.
    "one-long-sentence.txt": b"A report\n\n" + b"he was appointed chairman. " * MANY,
    "empty.txt": b"",
    "blank.txt": b" \r\n\t\n\n\f",
    "bom-only.txt": codecs.BOM_UTF8,
    "binary.txt": bytes(range(256)) * 64,
    "latin-1.txt": "Réunion à Paris\n\nLe délégué est arrivé.".encode("latin-1"),
    "utf-16-no-bom.txt": utf16_without_bom("A report\n\nThe delegation arrived."),
    "utf-16-bom.txt": "A report\n\nThe delegation arrived.".encode("utf-16"),
    "utf-16-odd.txt": "A report\n\nText".encode("utf-16")[:-1],
    "crlf-seed.txt": SEED_BYTES.replace(b"\n", b"\r\n"),
    "cr-seed.txt": SEED_BYTES.replace(b"\n", b"\r"),
    "half-seed.txt": SEED_BYTES[: len(SEED_BYTES) // 2],
    "nul.txt": b"A report\n\nThe text\x00 goes on.",
    "escape-codes.txt": b"A report\n\n\x1b[31mred\x1b[0m",
    "surrogate-bytes.txt": b"A report\n\n\xed\xa0\x80",
    "deep.json": b"[" * 100_000 + b"]" * 100_000,
    "deep-objects.json": b'{"title":' * 50_000,
    "huge-int.json": b'{"title": "t", "body": "b", "extra": {"n": ' + b"9" * 10_000 + b"}}",
    "lone-surrogate.json": b'{"title": "t\\ud800", "body": "b"}',
    "nul-escape.json": b'{"title": "t", "body": "b\\u0000"}',
    "empty.json": b"",
    "truncated.json": b'{"title": "t", "body": "b',
    "not-records.json": b'"just a string"',
    "bad-spans.json": json.dumps(
        {
            "title": "t",
            "body": "short",
            "notes": [{"kind": "sic", "text": "x", "content": "x", "start": 3, "end": 99}],
        }
    ).encode(),
    "deep.jsonl": b"[" * 100_000 + b"\n",
    "huge-int.jsonl": b'{"title": "t", "text": "b", "n": ' + b"9" * 10_000 + b"}\n",
    "lone-surrogate.jsonl": b'{"title": "t\\udfff", "text": "b"}\n',
    "not-objects.jsonl": b'[]\n1\nnull\n"s"\n',
    "bad-utf8.jsonl": b'{"title": "\xff", "text": "b"}\n',
    "unclosed-quote.csv": b'title,text\n"a,b\n' + b"x" * 10_000,
    "quotes.csv": b"title,text\n" + b'"' * 10_001,
    "nul.csv": b"title,text\nA,B\x00C\n",
    "nul-header.csv": b"\x00\x00\n",
    "latin-1.csv": "title,text\nRéunion,délégué\n".encode("latin-1"),
    "empty.csv": b"",
    "too-many-fields.csv": b"title,text\na,b,c,d\n",
    "duplicate-header.csv": b"title,title,text\na,b,c\n",
    "huge-cell.csv": b"title,text\nA report," + b"word " * (HUGE // 5) + b"\n",
}


@pytest.mark.parametrize("name", sorted(EXPLICIT))
def test_pathological_file_gives_records_or_located_errors(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(EXPLICIT[name])
    records, errors = read_checked(path)
    assert records or errors


@pytest.mark.parametrize(
    ("name", "where", "says"),
    [
        ("nul.txt", ":3:", "U+0000"),
        ("utf-16-no-bom.txt", ":1:", "UTF-16 saved without a byte-order mark"),
        ("latin-1.txt", ":1:", "not valid UTF-8 at byte 1"),
        ("deep.json", ":1:", "nested more than"),
        ("huge-int.json", ":1:", "too long"),
        ("lone-surrogate.json", "[title]", "U+D800"),
        ("nul-escape.json", "[body]", "U+0000"),
        ("deep.jsonl", ":1:", "nested more than"),
        ("lone-surrogate.jsonl", ":1: [title]", "U+DFFF"),
        ("nul.csv", ":2: [text]", "U+0000"),
        ("nul-header.csv", ":1: [header[0]]", "U+0000"),
    ],
)
def test_refusal_names_the_place_and_the_fault(tmp_path, name, where, says):
    path = tmp_path / name
    path.write_bytes(EXPLICIT[name])
    records, errors = read_checked(path)
    assert not records
    message = str(errors[0])
    assert message.startswith(str(path))
    assert where in message and says in message, message


def test_a_bad_record_in_an_array_leaves_the_others_readable(tmp_path):
    path = tmp_path / "records.json"
    good = {"title": "A report", "body": "The delegation arrived."}
    path.write_text(json.dumps([good, {"title": "t\u0000", "body": "b"}]), encoding="utf-8")
    records, errors = read_checked(path)
    assert [r.title for r in records] == ["A report"]
    assert [e.field for e in errors] == ["records[1].title"]


def test_form_feeds_and_line_endings_read_as_newlines(tmp_path):
    path = tmp_path / "page.txt"
    path.write_bytes(b"A report\r\n\r\nFirst page.\fSecond page.\rThird line.")
    records, errors = read_checked(path)
    assert not errors
    assert records[0].body == "First page.\nSecond page.\nThird line."


# ---- lodpub ingest: an unreadable file is reported and the store is unchanged


def lodpub(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LODPUB_")}
    return subprocess.run(
        [sys.executable, "-m", "lodpub", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=600,
    )


def exported(store: Path) -> Dataset:
    result = lodpub("export", "--store", str(store), "--format", "nquads")
    assert result.returncode == 0, result.stderr
    dataset = Dataset()
    dataset.parse(data=result.stdout, format="nquads")
    return dataset


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile-ingest")
    store = tmp / "store"
    result = lodpub("ingest", "--store", str(store), "--reports", str(tmp / "reports"), str(SEED))
    assert result.returncode == 0, result.stdout + result.stderr
    return store, tmp


INGESTED = [
    "deep.json",
    "nul.txt",
    "utf-16-no-bom.txt",
    "lone-surrogate.jsonl",
    "nul.csv",
    "empty.txt",
    "binary.txt",
]


def test_ingest_reports_unreadable_files_and_keeps_the_store(seeded, tmp_path):
    store, tmp = seeded
    before = exported(store)
    paths = []
    for name in INGESTED:
        path = tmp_path / name
        path.write_bytes(EXPLICIT[name])
        paths.append(str(path))
    result = lodpub("ingest", "--store", str(store), "--reports", str(tmp / "reports"), *paths)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    for path in paths:
        assert path + ":" in output, output
    assert same_dataset(exported(store), before)


def same_dataset(one: Dataset, other: Dataset) -> bool:
    """The same named graphs, each isomorphic (blank node labels may differ between exports)."""
    graphs = {g.identifier: g for g in one.graphs() if len(g)}
    others = {g.identifier: g for g in other.graphs() if len(g)}
    return graphs.keys() == others.keys() and all(
        isomorphic(graphs[name], others[name]) for name in graphs
    )
