"""Bytes to text: UTF-8 (BOM or not) or BOM-marked UTF-16; byte offsets of bad bytes."""

from __future__ import annotations

import codecs
import re

from lodpub.sources.record import SourceError

_ESCAPED = re.compile("[\udc80-\udcff]+")


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
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SourceError(path, f"not valid UTF-16 at byte {exc.start}") from None
    else:
        bad = bad_bytes(data)
        if bad:
            raise SourceError(
                path,
                f"not valid UTF-8 at byte {bad[0]}; save the file as UTF-8",
                line=line_of(data, bad[0]),
            )
        text = data.decode("utf-8-sig")
    return normalise_newlines(text)


def normalise_newlines(text: str) -> str:
    """Windows and old Mac line endings as "\\n"."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
