"""Body text layout shared by all readers: paragraphs, blocks (paragraphs, list items, headings)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from lodpub.sources.notes import find_notes
from lodpub.sources.record import Block, EditorialNote

PARAGRAPH_SEPARATOR = "\n\n"

# Cloudflare's e-mail obfuscation leaves this in scraped pages in place of an address.
_EMAIL_ARTIFACT = re.compile(r" ?\[email(?:\u00a0| )protected\]")
_SPACE_BEFORE_PUNCT = re.compile(r" +(?=[.,;:!?)])")

# "1. ", "12) ", "(a) ", "b) ", "iv. ", "(IV) ", "II. " — a single upper-case letter is left
# out: "I. V. Stalin" begins with initials, not a list item.
_LIST_MARKER = re.compile(
    r"\(?(\d{1,3}|[a-z]|[ivx]{1,5}|[IVX]{2,5})[.)]\s+(?=\S)|\((\d{1,3}|[a-z]|[ivxIVX]{1,5})\)\s+(?=\S)"
)
_HEADING_MAX_WORDS = 10


def remove_artifacts(text: str) -> str:
    """Drop scrape artifacts ("[email protected]") and the space left before punctuation."""
    if "protected]" not in text:
        return text
    cleaned = _EMAIL_ARTIFACT.sub("", text)
    return _SPACE_BEFORE_PUNCT.sub("", cleaned)


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a text: runs of non-blank lines, trailing whitespace of each line dropped."""
    paragraphs: list[str] = []
    lines: list[str] = []
    for line in (*text.split("\n"), ""):
        line = line.rstrip()
        if line:
            lines.append(line)
        elif lines:
            paragraphs.append("\n".join(lines).lstrip())
            lines = []
    return paragraphs


def join_paragraphs(paragraphs: Iterable[str]) -> str:
    """The body: paragraphs separated by one blank line, their characters untouched."""
    return PARAGRAPH_SEPARATOR.join(paragraphs)


def layout(body: str) -> tuple[tuple[Block, ...], tuple[EditorialNote, ...]]:
    """Blocks and editorial notes of a body, both by offsets into it."""
    return find_blocks(body), find_notes(body)


def list_number(line: str) -> str | None:
    """The number of a list item line ("1", "a", "iv"), or None."""
    match = _LIST_MARKER.match(line)
    if not match:
        return None
    return match.group(1) or match.group(2)


def find_blocks(body: str) -> tuple[Block, ...]:
    """Paragraphs of `body` as blocks; list items are split out even inside one paragraph."""
    blocks: list[Block] = []
    for start, end in _paragraph_spans(body):
        blocks.extend(_blocks_of_paragraph(body, start, end))
    return tuple(blocks)


def _paragraph_spans(body: str) -> Iterator[tuple[int, int]]:
    start = None
    last_end = 0
    pos = 0
    for line in body.split("\n"):
        line_end = pos + len(line)
        if line.strip():
            if start is None:
                start = pos + (len(line) - len(line.lstrip()))
            last_end = pos + len(line.rstrip())
        elif start is not None:
            yield start, last_end
            start = None
        pos = line_end + 1
    if start is not None:
        yield start, last_end


def _blocks_of_paragraph(body: str, start: int, end: int) -> Iterator[Block]:
    text = body[start:end]
    if _is_bracket_only(text):
        yield Block("note", start, end)
        return
    # A hard-wrapped paragraph may hold several list items, one per line.
    items: list[tuple[int, str | None]] = []
    pos = 0
    previous = ""
    for line in text.split("\n"):
        number = list_number(line.lstrip())
        opens_item = number is not None and (
            not items or previous.rstrip().endswith((".", ";", ":"))
        )
        if not items or opens_item:
            items.append((pos + len(line) - len(line.lstrip()), number))
        previous = line
        pos += len(line) + 1
    for index, (offset, number) in enumerate(items):
        item_end = items[index + 1][0] if index + 1 < len(items) else len(text)
        item_text = text[offset:item_end].rstrip()
        block_start = start + offset
        block_end = block_start + len(item_text)
        if number is not None:
            yield Block("list-item", block_start, block_end, number)
        elif _is_heading(item_text):
            yield Block("heading", block_start, block_end)
        else:
            yield Block("paragraph", block_start, block_end)


def _is_bracket_only(text: str) -> bool:
    return text.startswith("[") and text.endswith("]") and text.count("[") == 1


def _is_heading(text: str) -> bool:
    """A short single line without closing punctuation: "Top Secret", "Conclusions"."""
    if "\n" in text or text.endswith((".", ",", ";", ":", "?", "!", '"', "”", ")", "]")):
        return False
    words = text.split()
    return 0 < len(words) <= _HEADING_MAX_WORDS and (text[0].isupper() or text[0].isdigit())
