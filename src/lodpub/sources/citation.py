"""Archival citations: typed parts by general rules and a small table of labels and archives."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lodpub.sources.record import Citation, CitationPart

# Kinds of part a citation may be parsed into, Russian archival terms kept as they are.
PART_KINDS = (
    "archive",  # the keeping institution, as written: "AGShVS RF", "National Archives"
    "collection",  # a named holding: "Bestand X", "Boris Nicolaevsky Collection"
    "record-group",  # "RG 59"
    "fond",  # f. / fond / ф.
    "opis",  # op. / opis' / оп.
    "papka",  # p. between opis and delo (a folder in Russian foreign-ministry citations)
    "delo",  # d. / delo / д.
    "series",  # "FO 371" in "PRO FO 371/46468", "Series 4"
    "piece",  # "46468" in "FO 371/46468"
    "volume",  # vol. / t. (tom)
    "box",
    "folder",
    "file",
    "item",  # No. / Nr. / Item / Doc.
    "sheets",  # l. / ll. (list, listy): numbered leaves
    "pages",  # p. / pp. / S.
)

# Label forms per kind; matched case-insensitively before a number ("F. 172", "op. 128").
_NUMBERED_LABELS = {
    "fond": ("fonds", "fond", "f", "фонд", "ф"),
    "opis": ("opis'", "opis", "op", "опись", "оп"),
    "papka": ("papka", "папка", "п"),
    "delo": ("delo", "d", "дело", "д"),
    "sheets": ("listy", "list", "ll", "l", "листы", "лист", "лл", "л"),
    "pages": ("pages", "page", "pp", "p", "s"),
    "volume": ("volume", "vol", "tom", "t", "т"),
    "record-group": ("record group", "rg"),
    "series": ("series",),
    "box": ("box", "karton"),
    "folder": ("folder", "mappe"),
    "file": ("file", "akte"),
    "item": ("item", "doc", "document", "nr", "no"),
}
# Labels followed by a name rather than a number: "Bestand X".
_NAMED_LABELS = {"collection": ("bestand", "nachlass")}

# Archives recognised by name wherever they stand in a citation.
KNOWN_ARCHIVES = (
    "AGShVS RF",
    "AP RF",
    "APRF",
    "AVP RF",
    "AVPRF",
    "GARF",
    "RGASPI",
    "RGANI",
    "RGAE",
    "RGVA",
    "RGAVMF",
    "TsAMO",
    "TsAMO RF",
    "PRO",
    "TNA",
    "NARA",
    "PRC FMA",
    "SAPMO-BArch",
    "BArch",
    "PA AA",
    "AdsD",
    "AAN",
    "AMVnR",
    "MOL",
    "Hoover Institution Archives",
    "National Archives",
    "Archiv der sozialen Demokratie",
)
_ARCHIVE_WORDS = re.compile(
    r"\b(?:archives?|archiv|arkhiv|archivio|archivo|archief|library|bibliothek|museum|"
    r"institution|records office|record office)\b",
    re.I,
)
_COLLECTION_WORDS = re.compile(r"\b(?:collection|papers|records|nachlass|fonds|bestand)\b", re.I)

_SUFFIX = r"(?:\s?(?:ob|об|v|r)\b\.?)?"  # "3ob." / "3 об." (reverse of a leaf), "12v"
_ID = r"(?:[A-Za-zА-Яа-я]{1,3}-?)?\d[\w/]*" + _SUFFIX
_RANGE = _ID + r"(?:\s?[-–]\s?" + _ID + r")?"


def _alternation(labels: dict[str, tuple[str, ...]]) -> str:
    forms = sorted({form for group in labels.values() for form in group}, key=len, reverse=True)
    return "|".join(re.escape(form) for form in forms)


_NUMBERED = re.compile(
    r"(?<![\w'])(?P<label>" + _alternation(_NUMBERED_LABELS) + r")(?:\.\s*|:\s*|\s+)"
    r"(?P<value>" + _RANGE + r"(?:,\s?\d[\w/]*(?:[-–]\d[\w/]*)?)*)",
    re.I,
)
_NAMED = re.compile(
    r"(?<![\w'])(?P<label>" + _alternation(_NAMED_LABELS) + r")(?:\.\s*|:\s*|\s+)"
    r"(?P<value>[^,;]{1,120})",
    re.I,
)
# British National Archives references: department, series and piece, "FO 371/46468".
_TNA = re.compile(
    r"(?<![\w/])(?P<dept>[A-Z]{1,5}) ?(?P<series>\d{1,4})/(?P<piece>\d{1,6})(?![\w/])"
)
_KNOWN = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(a) for a in sorted(KNOWN_ARCHIVES, key=len, reverse=True))
    + r")(?!\w)"
)
_SEGMENT_SPLIT = re.compile(r"[,;]")
# Multi-value lists (", 7") belong to leaves and pages only.
_LIST_KINDS = ("sheets", "pages")


# "Translated by X." / "Obtained and translated for NKIDP by X." — a credit, not part of the
# citation. A period after a single capital ("Gary J. Goldberg") does not end the name.
_TRANSLATED = re.compile(
    r"(?:^|(?<=[.;])\s+)(?:Obtained and )?[Tt]ranslat(?:ed|ion)(?: for [^.;]{1,80}?)? by "
    r"(?P<name>(?:[^.;]|(?<=\b[A-Z])\.)+)(?:[.;]|$)"
)

_SPACES = re.compile(r" {2,}")


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    kind: str
    value: str
    label: str = ""


def parse_citation(text: str) -> Citation:
    """A citation as written with the parts that could be recognised; the rest stays in `text`."""
    written = text.strip()
    found = _labelled_parts(written)
    found.extend(_gap_parts(written, found))
    found.sort(key=lambda f: f.start)
    return Citation(written, tuple(CitationPart(f.kind, f.value) for f in _resolve_p(found)))


def split_translator(text: str) -> tuple[str, str | None]:
    """The text without its "Translated by X." sentence, and X (or None)."""
    match = _TRANSLATED.search(text)
    if not match:
        return text.strip(), None
    rest = _SPACES.sub(" ", text[: match.start()] + " " + text[match.end() :]).strip()
    return rest, match.group("name").strip()


def _labelled_parts(text: str) -> list[_Found]:
    found: list[_Found] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for match in _NUMBERED.finditer(text):
        label = match.group("label").lower()
        kind = next(k for k, forms in _NUMBERED_LABELS.items() if label in forms)
        value = match.group("value")
        if kind not in _LIST_KINDS:
            value = value.split(",")[0]
        value = value.rstrip(" .")
        end = match.start("value") + len(value)
        found.append(_Found(match.start(), end, kind, value, label))
        taken.append((match.start(), end))
    for match in _NAMED.finditer(text):
        value = match.group("value").strip().rstrip(".")
        if value and free(match.start(), match.end()):
            found.append(_Found(match.start(), match.end(), "collection", value))
            taken.append((match.start(), match.end()))
    for match in _TNA.finditer(text):
        if free(match.start(), match.end()):
            series = f"{match.group('dept')} {match.group('series')}"
            found.append(_Found(match.start(), match.start("piece") - 1, "series", series))
            found.append(_Found(match.start("piece"), match.end(), "piece", match.group("piece")))
            taken.append((match.start(), match.end()))
    return found


def _gap_parts(text: str, found: list[_Found]) -> list[_Found]:
    """Archive and collection names in the text between (and before) the labelled parts."""
    spans = sorted((f.start, f.end) for f in found)
    gaps: list[tuple[int, int]] = []
    pos = 0
    for start, end in spans:
        if start > pos:
            gaps.append((pos, start))
        pos = max(pos, end)
    gaps.append((pos, len(text)))
    parts: list[_Found] = []
    for index, (gap_start, gap_end) in enumerate(gaps):
        lead = index == 0 and gap_start == 0
        for seg_start, seg_end in _segments(text, gap_start, gap_end):
            segment = text[seg_start:seg_end]
            known = _KNOWN.match(segment)
            if known and not any(p.kind == "archive" for p in parts):
                value = known.group()
                parts.append(_Found(seg_start, seg_start + len(value), "archive", value))
            elif _COLLECTION_WORDS.search(segment) and not _ARCHIVE_WORDS.search(segment):
                parts.append(_Found(seg_start, seg_end, "collection", segment))
            elif _is_archive_name(segment, lead=lead) and not any(
                p.kind == "archive" for p in parts
            ):
                parts.append(_Found(seg_start, seg_end, "archive", segment))
    return parts


def _segments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Comma- or semicolon-separated pieces of text[start:end], trimmed of separators."""
    pieces = []
    pos = start
    for match in _SEGMENT_SPLIT.finditer(text, start, end):
        pieces.append((pos, match.start()))
        pos = match.end()
    pieces.append((pos, end))
    trimmed = []
    for s, e in pieces:
        while s < e and text[s] in " .:()":
            s += 1
        while e > s and text[e - 1] in " .:()":
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


def _is_archive_name(segment: str, *, lead: bool) -> bool:
    if _ARCHIVE_WORDS.search(segment):
        return len(segment.split()) <= 12
    if not lead:
        return False
    # An abbreviation such as "AGShVS RF" or "RGASPI": capitalised tokens, several capitals.
    tokens = segment.split()
    capitals = sum(ch.isupper() for ch in segment)
    return len(tokens) <= 4 and all(t[0].isupper() for t in tokens) and capitals >= 2 * len(tokens)


def _resolve_p(found: list[_Found]) -> list[_Found]:
    """A lone "p." between opis and delo is a papka (folder), elsewhere a page."""
    resolved = []
    for index, part in enumerate(found):
        if part.label == "p":
            before = {f.kind for f in found[:index]}
            after = {f.kind for f in found[index + 1 :]}
            if before & {"fond", "opis"} and "delo" in after:
                part = _Found(part.start, part.end, "papka", part.value, part.label)
        resolved.append(part)
    return resolved
