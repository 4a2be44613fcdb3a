"""Archive page text, as scraped from a digital archive's document page, into one Record.

Structure is found from section headings ("Document Information", "Summary", "Source",
"Original Uploaded Date", "Record ID", ...) and a few line patterns, never from line numbers:
header (title, funding line, date) → body → metadata sections. docs/inputs.md has the rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lodpub.sources.body import join_paragraphs, layout, list_number, remove_artifacts
from lodpub.sources.body import split_paragraphs as _split_paragraphs
from lodpub.sources.citation import parse_citation, split_translator
from lodpub.sources.dates import parse_date, parse_dateline
from lodpub.sources.encoding import decode
from lodpub.sources.keys import content_key, key_from_file_name, key_from_record_id
from lodpub.sources.languages import language_tag
from lodpub.sources.mapping import TAG_FIELDS
from lodpub.sources.record import Record, SourceError, Tag
from lodpub.sources.result import ReadResult
from lodpub.sources.tags import make_tags

# Section headings, compared lower-case without trailing colon, and the section they open.
HEADINGS = {
    "document information": "info",
    "summary": "summary",
    "document summary": "summary",
    "description": "summary",
    "abstract": "summary",
    "source": "citation",
    "citation": "citation",
    "archival citation": "citation",
    "archival source": "citation",
    "original uploaded date": "uploaded",
    "uploaded date": "uploaded",
    "upload date": "uploaded",
    "date uploaded": "uploaded",
    "uploaded": "uploaded",
    "record id": "record_id",
    "record identifier": "record_id",
    "rights": "rights",
    "copyright": "rights",
    "rights statement": "rights",
    "usage statement": "rights",
    "terms of use": "rights",
    "original language": "original_language",
    "language": "language",
    "translator": "translator",
    "translated by": "translator",
    "funder": "funders",
    "funders": "funders",
    "funding": "funders",
    "publisher": "publisher",
    "date": "date",
    "document date": "date",
    "date of document": "date",
    "title": "title",
    "text": "body",
    "body": "body",
    "full text": "body",
    "transcript": "body",
    "translation": "body",
    "english translation": "body",
    "people": "people",
    "people and organizations": "people",
    "associated people and organizations": "people",
    "associated people & organizations": "people",
    "people & organizations": "people",
    "persons": "persons",
    "organizations": "groups",
    "organisations": "groups",
    "places": "places",
    "associated places": "places",
    "locations": "places",
    "subjects": "subjects",
    "subjects discussed": "subjects",
    "topics": "subjects",
    "associated topics": "subjects",
    "keywords": "subjects",
}
# Sections that only archive metadata opens: a "Label: value" line of these ends the body.
_METADATA_ONLY = frozenset({"info", "uploaded", "record_id"})
# Whole paragraphs that are page navigation, not record content.
CHROME = frozenset(
    {
        "skip to content",
        "skip to main content",
        "skip to navigation",
        "skip navigation",
        "toggle navigation",
        "main menu",
        "menu",
        "search",
        "back to top",
        "print",
        "share",
        "download",
        "home",
    }
)
_FUNDING = re.compile(
    r"This (?:document|record|translation|item) was made possible (?:with|by|through) "
    r"(?:the )?(?:generous )?support (?:from|of) (?P<funder>.+?)\.?",
    re.I,
)
_RIGHTS = re.compile(
    r"\b(?:copyright|rights?|permission|re-?use|licen[cs]e|public domain|terms of use|reproduc)",
    re.I,
)
_RECORD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/\-]{0,63}")
_HEADING_MARKUP = " \t#*_="
_HEADING_MAX_WORDS = 6
_LABEL_MAX_WORDS = 8
_DATELINE_PARAGRAPHS = 3


def funder_of(funding_line: str) -> str | None:
    """The funder named by a funding line, without a leading lower-case "the"."""
    match = _FUNDING.fullmatch(funding_line.strip())
    if not match:
        return None
    name = match.group("funder").strip()
    return name[4:] if name.startswith("the ") else name


def read_archive_text(path: Path, data: bytes) -> ReadResult:
    """One Record from a page-text file, or one SourceError when it cannot be read."""
    source = str(path)
    try:
        page = parse_page(decode(data, source), source)
    except SourceError as exc:
        return ReadResult(errors=[exc])
    if page.record_id:
        key = key_from_record_id(page.record_id)
    else:
        key = key_from_file_name(path) or content_key(data)
    return ReadResult(records=[page.to_record(source, key)])


@dataclass
class Page:
    """The parts of a page text, as found; `to_record` lays out the body."""

    title: str = ""
    body: list[str] = field(default_factory=list)
    summary: str | None = None
    citation: str | None = None
    translator: str | None = None
    rights: list[str] = field(default_factory=list)
    funding_line: str | None = None
    funders: list[str] = field(default_factory=list)
    publisher: str | None = None
    uploaded: str | None = None
    record_id: str | None = None
    date: str | None = None
    language: str | None = None
    original_language: str | None = None
    tags: list[Tag] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)
    unparsed: list[str] = field(default_factory=list)

    def to_record(self, source: str, key: str) -> Record:
        body = join_paragraphs(self.body)
        blocks, notes = layout(body)
        extra = dict(self.extra)
        if len(self.funders) > 1:
            extra["funders"] = "; ".join(self.funders)
        if self.unparsed:
            extra["unparsed"] = "\n\n".join(self.unparsed)
        return Record(
            source=source,
            key=key,
            title=self.title,
            body=body,
            blocks=blocks,
            notes=notes,
            language=self.language or "en",
            original_language=self.original_language,
            summary=self.summary,
            citation=parse_citation(self.citation) if self.citation else None,
            translator=self.translator,
            rights="\n\n".join(self.rights) or None,
            funding_line=self.funding_line,
            funder=self.funders[0] if self.funders else None,
            publisher=self.publisher,
            uploaded=self.uploaded,
            record_id=self.record_id,
            date=self.date,
            tags=tuple(self.tags),
            extra=extra,
        )


def parse_page(text: str, source: str) -> Page:
    """The parts of a page text; a SourceError when it has no title or no body."""
    items = _items(text)
    page = Page()
    pos = _read_header(items, page)
    pos, ended_by = _read_body(items, pos, page)
    _read_metadata(items[pos:], page)
    if not page.title:
        raise SourceError(source, "no title: the file holds no text", field="title")
    explicit = any(_heading(item) == "summary" for item in items)
    if not explicit and ended_by == "info" and _could_be_summary(page.body):
        # The archive's page template puts the summary just before "Document Information".
        page.summary = page.body.pop()
    if not page.body:
        raise SourceError(source, "no body text after the title", field="body")
    if page.date is None:
        page.date = _dateline_date(page.body)
    return page


# ---- paragraphs and line kinds


def _items(text: str) -> list[str]:
    """Paragraphs with chrome dropped and heading or label lines split into their own items."""
    paragraphs = _split_paragraphs(text)
    if len(paragraphs) == 1 and "\n" in paragraphs[0]:
        # No blank line anywhere: one paragraph per line.
        paragraphs = paragraphs[0].split("\n")
    items: list[str] = []
    for paragraph in paragraphs:
        lines: list[str] = []
        all_lines = remove_artifacts(paragraph).split("\n")
        # Inside running text only headings and archive-only fields split a paragraph; in a
        # block of fields ("Title: ...\nDate: ...") every field line does.
        fields = _is_field_line(all_lines[0], any_label=True)
        for line in all_lines:
            if _is_field_line(line, any_label=fields):
                if lines:
                    items.append("\n".join(lines))
                    lines = []
                items.append(line.strip())
            else:
                lines.append(line)
        if lines:
            items.append("\n".join(lines))
    return [item for item in items if item.strip() and item.strip().lower() not in CHROME]


def _is_field_line(line: str, *, any_label: bool) -> bool:
    if _heading(line) or _FUNDING.fullmatch(line.strip()):
        return True
    label = _label(line)
    return label is not None and (any_label or label[0] in _METADATA_ONLY)


def _heading(line: str) -> str | None:
    """The section a line opens when it is a heading on its own: "Document Information"."""
    text = line.strip(_HEADING_MARKUP).rstrip(":").strip()
    if not text or "\n" in text or len(text.split()) > _HEADING_MAX_WORDS:
        return None
    return HEADINGS.get(" ".join(text.lower().split()))


def _label(line: str) -> tuple[str, str] | None:
    """(section, value) for a one-line field: "Record ID: 114897", "Record ID 114897"."""
    text = line.strip(_HEADING_MARKUP)
    name, colon, value = text.partition(":")
    if colon and value.strip() and "\n" not in text:
        section = HEADINGS.get(" ".join(name.lower().split()))
        if section:
            return section, value.strip()
    lowered = text.lower()
    for heading in ("original uploaded date", "uploaded date", "record id"):
        if lowered.startswith(heading + " "):
            value = text[len(heading) :].strip()
            section = HEADINGS[heading]
            if (section == "uploaded" and parse_date(value)) or (
                section == "record_id" and _is_record_id(value)
            ):
                return section, value
    return None


def _is_record_id(value: str) -> bool:
    return bool(_RECORD_ID.fullmatch(value)) and any(ch.isdigit() for ch in value)


def _is_label_like(paragraph: str) -> bool:
    """A short name on one line, such as a funder: "Leon Levy Foundation"."""
    return (
        "\n" not in paragraph
        and len(paragraph.split()) <= _LABEL_MAX_WORDS
        and not paragraph.endswith((".", "!", "?", ":"))
    )


# ---- zones


def _read_header(items: list[str], page: Page) -> int:
    """Title, funding line, date and one-line fields before the body; the body's first item."""
    pos = 0
    while pos < len(items):
        item = items[pos]
        section = _heading(item)
        if section == "body":
            return pos + 1
        if funding := _FUNDING.fullmatch(item):
            _add_funding(page, item, funding.group("funder"))
        elif section:
            nxt = items[pos + 1] if pos + 1 < len(items) else None
            if nxt is not None and not (_heading(nxt) or _label(nxt) or _FUNDING.fullmatch(nxt)):
                _assign(page, section, [nxt])  # a header section holds one paragraph
                pos += 1
        elif label := _label(item):
            _assign(page, label[0], [label[1]])
        elif not page.title:
            first, _, rest = item.partition("\n")
            page.title = first.strip()
            if rest.strip():
                items.insert(pos + 1, rest)
        elif (credit := split_translator(item))[1] and not credit[0]:
            page.translator = page.translator or credit[1]
        else:
            return pos
        pos += 1
    return pos


def _read_body(items: list[str], pos: int, page: Page) -> tuple[int, str | None]:
    """Body paragraphs up to the first section heading; the next position and that section."""
    while pos < len(items):
        item = items[pos]
        section = _heading(item)
        label = _label(item)
        if section and section != "body":
            return pos, section
        if label and label[0] in _METADATA_ONLY:
            return pos, label[0]
        if funding := _FUNDING.fullmatch(item):
            _add_funding(page, item, funding.group("funder"))
        elif section != "body":
            page.body.append(item)
        pos += 1
    return pos, None


def _read_metadata(items: list[str], page: Page) -> None:
    """Sections after the body, each running to the next heading; other text kept as leftovers."""
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    for item in items:
        if section := _heading(item):
            sections.append((section, []))
        elif label := _label(item):
            sections.append((label[0], [label[1]]))
            sections.append((None, []))
        elif funding := _FUNDING.fullmatch(item):
            _add_funding(page, item, funding.group("funder"))
        else:
            sections[-1][1].append(item)
    for section, paragraphs in sections:
        _assign(page, section, paragraphs)


def _assign(page: Page, section: str | None, paragraphs: list[str]) -> None:
    """Put a section's paragraphs into the page; what does not fit is kept as leftovers."""
    if not paragraphs:
        return
    first = paragraphs[0]
    rest: list[str] = paragraphs[1:]
    if section == "info":
        rest = _assign_info(page, paragraphs)
    elif section == "citation":
        citation, translator = split_translator(first)
        page.translator = page.translator or translator
        if citation:
            page.citation = page.citation or citation
    elif section in ("summary", "rights", "body"):
        joined = "\n\n".join(paragraphs)
        if section == "summary":
            page.summary = joined if page.summary is None else page.summary + "\n\n" + joined
        elif section == "rights":
            page.rights.extend(paragraphs)
        else:
            page.body.extend(paragraphs)
        rest = []
    elif section == "uploaded":
        if uploaded := parse_date(first):
            page.uploaded = uploaded
            _keep_wording(page, "uploaded_text", first, uploaded)
        elif any(ch.isdigit() for ch in first) and _is_label_like(first):
            page.extra["uploaded_text"] = first
        else:
            rest = paragraphs
    elif section == "record_id":
        if _is_record_id(first):
            page.record_id = first
        else:
            rest = paragraphs
    elif section == "date":
        if date := parse_date(first):
            page.date = date
        _keep_wording(page, "date_text", first, date)
    elif section in ("language", "original_language"):
        tag = language_tag(first)
        if tag is None:
            page.extra[section] = first
        elif section == "language":
            page.language = tag
        else:
            page.original_language = tag
    elif section == "translator":
        page.translator = page.translator or first
    elif section == "publisher":
        page.publisher = page.publisher or first
    elif section == "title":
        if page.title:
            page.extra["title"] = first
        else:
            page.title = first
    elif section == "funders":
        _add_funders(page, [line for p in paragraphs for line in p.split("\n")])
        rest = []
    elif section in TAG_FIELDS:
        labels = [line.strip() for p in paragraphs for line in p.split("\n") if line.strip()]
        page.tags.extend(make_tags(TAG_FIELDS[section], labels))
        rest = []
    else:
        rest = paragraphs
    _leftovers(page, rest)


def _assign_info(page: Page, paragraphs: list[str]) -> list[str]:
    """Document Information: citation (with its translation credit), then rights; rest returned."""
    remaining = []
    for paragraph in paragraphs:
        text, translator = split_translator(paragraph)
        page.translator = page.translator or translator
        if text:
            remaining.append(text)
    if remaining and page.citation is None:
        first = remaining[0]
        if not _RIGHTS.search(first) or parse_citation(first).parts:
            page.citation = remaining.pop(0)
    leftovers = []
    for paragraph in remaining:
        if _RIGHTS.search(paragraph) or not _is_label_like(paragraph):
            page.rights.append(paragraph)
        else:
            leftovers.append(paragraph)
    return leftovers


def _leftovers(page: Page, paragraphs: list[str]) -> None:
    """Short name lines after the metadata are funders (the page's credit block); others kept."""
    for paragraph in paragraphs:
        if _is_label_like(paragraph) and not any(ch.isdigit() for ch in paragraph):
            _add_funders(page, [paragraph])
        else:
            page.unparsed.append(paragraph)


def _add_funding(page: Page, line: str, funder: str) -> None:
    if page.funding_line is None:
        page.funding_line = line
    _add_funders(page, [funder_of(line) or funder])


def _add_funders(page: Page, names: list[str]) -> None:
    for name in names:
        name = name.strip()
        if name and name not in page.funders:
            page.funders.append(name)


def _keep_wording(page: Page, key: str, wording: str, iso: str | None) -> None:
    if wording != iso:
        page.extra[key] = wording


def _could_be_summary(body: list[str]) -> bool:
    if len(body) < 2:
        return False
    last = body[-1]
    return list_number(last) is None and not last.startswith("[")


def _dateline_date(body: list[str]) -> str | None:
    """The date of a dateline among the first body paragraphs: "Moscow, 12 March 1946"."""
    for paragraph in body[:_DATELINE_PARAGRAPHS]:
        if date := parse_dateline(paragraph):
            return date
    return None
