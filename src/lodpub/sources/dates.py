"""Explicit dates as written ("12 March 1946", "June 28, 2019", "1946-03") to ISO 8601."""

from __future__ import annotations

import datetime as dt
import re

# Month names and abbreviations (English, German, French) as they appear in datelines.
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "january jan janvier januar jänner",
            "february feb febr février fevrier februar",
            "march mar mars märz maerz",
            "april apr avril",
            "may mai",
            "june jun juin juni",
            "july jul juillet juli",
            "august aug août aout",
            "september sep sept septembre",
            "october oct octobre oktober okt",
            "november nov novembre",
            "december dec décembre decembre dezember dez",
        ),
        start=1,
    )
    for name in names.split()
}

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\.?\s+([^\W\d_]+)\.?,?\s+(\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})")
_MONTH_YEAR = re.compile(r"([^\W\d_]+)\.?,?\s+(\d{4})")
_NUMERIC = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b")


def parse_date(text: str, *, year_only: bool = True) -> str | None:
    """ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD) for a date written on its own, else None.

    Slash dates ("06/07/1946") are refused: day and month order cannot be told apart.
    """
    value = _ORDINAL.sub("", " ".join(text.split())).strip(" .")
    if match := _ISO.fullmatch(value):
        year, month, day = match.groups()
        if month is None and not year_only:
            return None
        return _iso(int(year), month and int(month), day and int(day))
    if match := _DAY_MONTH_YEAR.fullmatch(value):
        day, month, year = match.groups()
        return _iso(int(year), MONTHS.get(month.lower()), int(day))
    if match := _MONTH_DAY_YEAR.fullmatch(value):
        month, day, year = match.groups()
        return _iso(int(year), MONTHS.get(month.lower()), int(day))
    if match := _MONTH_YEAR.fullmatch(value):
        month, year = match.groups()
        return _iso(int(year), MONTHS.get(month.lower()), None, need_month=True)
    if match := _NUMERIC.fullmatch(value):
        day, month, year = match.groups()
        return _iso(int(year), int(month), int(day))
    return None


def parse_dateline(text: str) -> str | None:
    """The day or month of a dateline such as "Moscow, 12 March 1946" or "12 March 1946"."""
    if "\n" in text or len(text) > 80:
        return None
    # "Moscow, 12 March 1946", "Seoul, March 12, 1946", "12 March 1946, Moscow"
    candidates = [text, text.partition(",")[2], text.rpartition(",")[0]]
    for candidate in candidates:
        date = parse_date(candidate, year_only=False)
        if date:
            return date
    return None


def _iso(year: int, month: int | None, day: int | None, *, need_month: bool = False) -> str | None:
    if month is None:
        return None if need_month or day is not None else f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
