"""Bytes to text: UTF-8 (BOM or not) or BOM-marked UTF-16; byte offsets of bad bytes."""

from __future__ import annotations

import codecs
import re
from typing import Any

from lodpub.sources.record import SourceError

_ESCAPED = re.compile("[\udc80-\udcff]+")
# Characters XML 1.0 (and so RDF/XML, HTML and most RDF tools) cannot carry: C0 controls other
# than tab and newlines (a text file's form feeds are read as newlines first), lone surrogates
# (a JSON "\\ud800" escape) and U+FFFE/U+FFFF.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORBIDDEN_HINT = "binary data, or UTF-16 saved without a byte-order mark?"


def bad_bytes(data: bytes) -> list[int]:
    """Byte offsets where a run of bytes that are not valid UTF-8 begins."""
    # surrogateescape maps each bad byte to one lone surrogate, so offsets can be recounted
    text = data.decode("utf-8", errors="surrogateescape")
    offsets: list[int] = []
    pos = byte = 0
    for match in _ESCAPED.finditer(text):
        byte += len(text[pos : match.start()].encode("utf-8"))
        offsets.append(byte)
        byte += match.end() - match.start()
        pos = match.end()
    return offsets


def line_of(data: bytes, offset: int) -> int:
    """The 1-based line number holding byte `offset`."""
    return data.count(b"\n", 0, offset) + 1


def lines_of(data: bytes, offsets: list[int]) -> list[int]:
    """The 1-based line numbers of ascending byte offsets, counted in one pass."""
    lines = []
    line, pos = 1, 0
    for offset in offsets:
        line += data.count(b"\n", pos, offset)
        pos = offset
        lines.append(line)
    return lines


def decode(data: bytes, path: str) -> str:
    """The text of a whole file, newlines as "\\n"; a SourceError naming the first bad byte."""
    if is_utf16(data):
        text = decode_utf16(data, path)
    else:
        bad = bad_bytes(data)
        if bad:
            raise SourceError(
                path,
                f"not valid UTF-8 at byte {bad[0]}; save the file as UTF-8",
                line=line_of(data, bad[0]),
            )
        text = data.decode("utf-8-sig")
    text = normalise_newlines(text)
    check_text(text, path)
    return text


def is_utf16(data: bytes) -> bool:
    return data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def decode_utf16(data: bytes, path: str) -> str:
    """The text of BOM-marked UTF-16; a SourceError naming the byte and line of a bad unit."""
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode("utf-16", errors="replace").count("\n") + 1
        raise SourceError(path, f"not valid UTF-16 at byte {exc.start}", line=line) from None


def normalise_newlines(text: str) -> str:
    """Windows and old Mac line endings, and form feeds (page breaks), as "\\n"."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")


def check_text(text: str, path: str, *, line: int = 1) -> None:
    """A SourceError naming line and column of the first character no RDF text may hold.

    `line` is the line `text` starts on in the file.
    """
    match = _FORBIDDEN.search(text)
    if match is None:
        return
    before = text[: match.start()]
    column = match.start() - before.rfind("\n")
    raise SourceError(
        path,
        f"column {column}: character {_codepoint(match.group())} cannot be published "
        f"({_FORBIDDEN_HINT})",
        line=line + before.count("\n"),
    )


def check_value(value: Any, path: str, *, where: str = "", line: int | None = None) -> None:
    """A SourceError naming the field (JSON path) of the first string no RDF text may hold."""
    stack: list[tuple[str, Any]] = [(where, value)]
    while stack:
        name, item = stack.pop()
        if isinstance(item, dict):
            for key, inner in reversed(item.items()):
                stack.append((f"{name}.{key}" if name else str(key), inner))
                stack.append((name or "(record)", key))
        elif isinstance(item, list):
            stack.extend((f"{name}[{i}]", inner) for i, inner in reversed(list(enumerate(item))))
        elif isinstance(item, str) and (match := _FORBIDDEN.search(item)):
            raise SourceError(
                path,
                f"character {_codepoint(match.group())} at position {match.start()} cannot be "
                "published (a control character or a lone surrogate escape)",
                line=line,
                field=name or "(record)",
            )


def _codepoint(char: str) -> str:
    return f"U+{ord(char):04X}"
