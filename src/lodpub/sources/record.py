"""The `Record`: plain data every reader produces, whatever the input format."""

from __future__ import annotations

from dataclasses import dataclass, field

# Kinds of bracketed editorial note a reader may report.
NOTE_KINDS = (
    "translator",  # [Translator's note: ...]
    "inserted",  # [inserted by hand: ...]
    "sic",  # [sic; ...]
    "omission",  # [several words crossed out], [illegible], [...]
    "alternative",  # a bracketed alternative form of a name: Kim Yong-beom [Kim Yong Bom]
    "original",  # the original-language word for the preceding one: government [gosudarstvennaya]
    "supplied",  # words or figures the editor supplied: [have been registered], Until [5] October
    "editorial",  # any other bracketed editorial remark
)

BLOCK_KINDS = ("paragraph", "list-item", "heading", "note")

TAG_KINDS = ("person", "group", "agent", "place", "subject")


@dataclass(frozen=True, slots=True)
class EditorialNote:
    """A bracketed editorial note; `start`/`end` are code-point offsets into `Record.body`."""

    kind: str
    text: str  # as it stands in the body, brackets included
    content: str  # inside the brackets, without a label such as "inserted by hand:"
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph, numbered list item or heading of the body, by offsets into `Record.body`."""

    kind: str
    start: int
    end: int
    number: str | None = None  # "1", "2", "a" for list items


@dataclass(frozen=True, slots=True)
class CitationPart:
    """One typed part of an archival citation: archive, fond, opis, delo, pages, box, ..."""

    kind: str
    value: str


@dataclass(frozen=True, slots=True)
class Citation:
    """An archival citation as written, with its parsed typed parts in order."""

    text: str
    parts: tuple[CitationPart, ...] = ()

    def get(self, kind: str) -> str | None:
        """The value of the first part of this kind, or None."""
        return next((p.value for p in self.parts if p.kind == kind), None)


@dataclass(frozen=True, slots=True)
class Tag:
    """An archive's own curated tag: a person, group, place or subject it assigned the record."""

    kind: str  # one of TAG_KINDS; "agent" when a people/organisations column does not say which
    label: str  # as the archive wrote it, e.g. "Rhee, Syngman"


@dataclass(frozen=True)
class Record:
    """One archival document as read from its source, before any interpretation."""

    source: str  # path of the file it came from (and ":line" for tabular rows)
    key: str  # stable document key: ASCII slug, from the record id, the file name's hash or content
    title: str
    body: str  # the text every offset refers to; NFC as read, never re-normalised afterwards
    blocks: tuple[Block, ...] = ()
    notes: tuple[EditorialNote, ...] = ()
    language: str = "en"  # language of `body` (BCP 47)
    original_language: str | None = None  # language of the original when `body` is a translation
    summary: str | None = None
    citation: Citation | None = None
    translator: str | None = None
    rights: str | None = None
    funding_line: str | None = None  # e.g. "This document was made possible with support from X"
    funder: str | None = None
    publisher: str | None = None  # the body that published the record (e.g. a digital archive)
    uploaded: str | None = None  # ISO 8601 date the record was put online, if given
    record_id: str | None = None  # the archive's own record identifier, if given
    date: str | None = None  # the document's date as ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)
    tags: tuple[Tag, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)  # other source fields, kept verbatim


class SourceError(Exception):
    """A file or part of it that cannot be read, named by path and line or field."""

    def __init__(
        self, path: str, message: str, *, line: int | None = None, field: str | None = None
    ) -> None:
        self.path = path
        self.message = message
        self.line = line
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path + (f":{self.line}" if self.line is not None else "")
        what = f" [{self.field}]" if self.field else ""
        return f"{where}:{what} {self.message}"
