"""Dates: day, month, part of a month, ranges, years; resolved to inclusive xsd:dateTime bounds."""

from __future__ import annotations

import calendar
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from lodpub.extract.lexicon import Lexicon
from lodpub.extract.mention import DateValue, Mention
from lodpub.extract.text import Doc

YEAR = r"(?:1[89]\d\d|20\d\d)"
YEAR_IN_TITLE_RE = re.compile(rf"(?<!\d){YEAR}(?!\d)")
ISO_RE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
RANGE_WORD = r"\s*(?:-|–|—|to|through|until|till|and)\s*"


@dataclass(frozen=True, slots=True)
class Patterns:
    day_month: re.Pattern[str]
    month_day: re.Pattern[str]
    part: re.Pattern[str]
    month_year: re.Pattern[str]
    month_range: re.Pattern[str]
    year_range: re.Pattern[str]
    month_only: re.Pattern[str]
    year_only: re.Pattern[str]
    qualifier: re.Pattern[str]
    this_year: re.Pattern[str]


def _day(name: str) -> str:
    return rf"(?:\[(?P<{name}s>\d{{1,2}})\]|(?P<{name}>\d{{1,2}}))(?!\d)(?:st|nd|rd|th)?"


def _year(name: str) -> str:
    return rf"(?:\[(?P<{name}s>{YEAR})\]|(?P<{name}>{YEAR}))(?!\d)"


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def patterns(lex: Lexicon) -> Patterns:
    """The date expressions, compiled once per lexicon."""
    names = list(lex.months) + [m.upper() for m in lex.months if "." not in m]

    def month(name: str) -> str:
        return rf"(?P<{name}>{_alternation(names)})(?![\w])"

    parts = _alternation(list(lex.parts_of_month))
    quals = _alternation(list(lex.date_qualifiers))
    this_year = _alternation(list(lex.this_year))
    y = rf"(?:,?\s+{_year('y')})?"
    return Patterns(
        day_month=re.compile(
            rf"(?<![\w\[]){_day('d1')}(?:{RANGE_WORD}{_day('d2')})?\s+(?:of\s+)?{month('m')}"
            rf"(?:{RANGE_WORD}{_day('d3')}\s+(?:of\s+)?{month('m3')})?{y}"
        ),
        month_day=re.compile(
            rf"(?<![\w]){month('m')}\s+{_day('d1')}(?!,\d)"
            rf"(?:{RANGE_WORD}(?:{month('m3')}\s+)?{_day('d3')})?{y}"
        ),
        part=re.compile(
            rf"(?<![\w-])(?P<part>(?i:{parts}))(?:\s+of\s+|-|\s+){month('m')}(?!\s+\d{{1,2}}(?!\d)){y}"
        ),
        month_year=re.compile(rf"(?<![\w]){month('m')},?\s+{_year('y')}"),
        month_range=re.compile(rf"(?<![\w]){month('m')}{RANGE_WORD}{month('m3')},?\s+{_year('y')}"),
        year_range=re.compile(
            rf"(?<![\w\d./-]){_year('y')}{RANGE_WORD}(?P<y2>{YEAR}|\d\d)(?![\d/])"
        ),
        month_only=re.compile(rf"(?<![\w]){month('m')}"),
        year_only=re.compile(rf"(?<![\w\d./:-]){_year('y')}(?![\d/:-]|,\d)"),
        qualifier=re.compile(rf"(?<![\w])(?P<q>{quals})\s+(?:the\s+)?$", re.IGNORECASE),
        this_year=re.compile(rf"\s+(?:{this_year})(?![\w])"),
    )


def record_year(doc: Doc, lex: Lexicon) -> int | None:
    """The year undated phrases belong to: the record's date, else the title's, else the body's."""
    record = doc.record
    if record.date and re.match(r"\d{4}", record.date):
        return int(record.date[:4])
    found = YEAR_IN_TITLE_RE.search(record.title or "")
    if found:
        return int(found.group())
    years = Counter(
        int(m.group("y") or m.group("ys"))
        for p in (patterns(lex).month_year, patterns(lex).day_month, patterns(lex).month_day)
        for m in p.finditer(doc.body)
        if m.group("y") or m.group("ys")
    )
    years.update(int(m.group(1)) for m in ISO_RE.finditer(doc.body))
    if not years:
        return None
    # The most frequent year; a tie goes to the latest, as a report postdates what it recounts.
    return max(years.items(), key=lambda item: (item[1], item[0]))[0]


def _bounds(
    y: int, m: int, d1: int, m2: int | None = None, d2: int | None = None
) -> tuple[str, str]:
    first = date(y, m, d1)
    last = date(y, m2 or m, d2 if d2 is not None else d1)
    return f"{first.isoformat()}T00:00:00", f"{last.isoformat()}T23:59:59"


def _month_end(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


@dataclass
class _Candidate:
    start: int
    end: int
    recognizer: str
    confidence: float
    value: DateValue


class DateFinder:
    """Finds every date expression in a record and resolves it against the record's year."""

    def __init__(self, doc: Doc, lex: Lexicon) -> None:
        self.doc, self.lex, self.p = doc, lex, patterns(lex)
        self.year = record_year(doc, lex)
        self.supplied = [(b.start, b.end) for b in doc.brackets if b.kind == "supplied"]
        self.invalid: list[tuple[int, int]] = []  # "29 February 1945": no date, not even February

    def find(self) -> list[Mention]:
        found: list[_Candidate] = []
        for method in (
            self._iso,
            self._day_month,
            self._month_day,
            self._parts,
            self._month_ranges,
            self._month_years,
            self._year_ranges,
            self._months,
            self._years,
        ):
            found.extend(method())
        # Longest first, each kept unless it overlaps one kept before. The kept spans never
        # overlap, so they stay sorted by start and only the two neighbours need a look.
        starts: list[int] = []
        chosen: list[_Candidate] = []
        for cand in sorted(found, key=lambda c: (-(c.end - c.start), c.start)):
            if any(cand.start < e and s < cand.end for s, e in self.invalid):
                continue
            at = bisect_right(starts, cand.start)
            if at and chosen[at - 1].end > cand.start:
                continue
            if at < len(chosen) and chosen[at].start < cand.end:
                continue
            starts.insert(at, cand.start)
            chosen.insert(at, cand)
        return [self._mention(c) for c in chosen]

    def _mention(self, c: _Candidate) -> Mention:
        start, value = c.start, c.value
        q = self.p.qualifier.search(self.doc.body, max(0, start - 20), start)
        if q:
            start = q.start()
            value = replace(value, qualifier=self.lex.date_qualifiers[q.group("q").lower()])
        if any(s < c.end and start < e for s, e in self.supplied):
            value = replace(value, supplied=True)
        return Mention(
            "date",
            start,
            c.end,
            self.doc.body[start : c.end],
            c.recognizer,
            c.confidence,
            date=value,
        )

    # resolution helpers

    def _resolve_year(self, m: re.Match[str], group: str = "y") -> tuple[int | None, bool, bool]:
        """(year, inferred, supplied) for a match whose year group may be empty."""
        text = m.group(group) or m.group(group + "s")
        if text:
            return int(text), False, bool(m.group(group + "s"))
        return self.year, True, False

    def _day_of(self, m: re.Match[str], name: str) -> tuple[int | None, bool]:
        text = m.group(name) or m.group(name + "s")
        return (int(text), bool(m.group(name + "s"))) if text else (None, False)

    def _extend_this_year(self, end: int, inferred: bool) -> int:
        if inferred:
            tail = self.p.this_year.match(self.doc.body, end)
            if tail:
                return tail.end()
        return end

    def _month_number(self, text: str) -> int:
        return self.lex.months.get(text) or self.lex.months[text.title()]

    # recognizers

    def _iso(self):
        for m in ISO_RE.finditer(self.doc.body):
            try:
                begin, end = _bounds(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
            yield _Candidate(m.start(), m.end(), "date.iso", 0.98, DateValue(begin, end, "day"))

    def _day_month(self):
        for m in self.p.day_month.finditer(self.doc.body):
            yield from self._days(m, day_first=True)

    def _month_day(self):
        for m in self.p.month_day.finditer(self.doc.body):
            if self.doc.body[m.end() : m.end() + 1] == ":":
                continue  # "October 20:30" is a time
            yield from self._days(m, day_first=False)

    def _days(self, m: re.Match[str], day_first: bool):
        d1, s1 = self._day_of(m, "d1")
        d2, s2 = self._day_of(m, "d2") if day_first else (None, False)
        d3, s3 = self._day_of(m, "d3")
        if re.search(r"\band\b", m.group()) and not self._before(m.start(), "between"):
            return
        y, inferred, ys = self._resolve_year(m)
        if y is None or d1 is None:
            return
        month = self._month_number(m.group("m"))
        month2 = self._month_number(m.group("m3")) if m.group("m3") else month
        last = d3 or d2
        try:
            if last is not None:
                begin, end = _bounds(y, month, d1, month2, last)
                if end < begin:
                    return
                precision, name, conf = "range", "date.range", 0.9
            else:
                begin, end = _bounds(y, month, d1)
                precision, name, conf = "day", "date.day-month", 0.95 if not inferred else 0.9
        except ValueError:
            self.invalid.append((m.start(), m.end()))
            return
        stop = self._extend_this_year(m.end(), inferred)
        value = DateValue(
            begin, end, precision, year_inferred=inferred, supplied=s1 or s2 or s3 or ys
        )
        yield _Candidate(m.start(), stop, name, conf, value)

    def _parts(self):
        for m in self.p.part.finditer(self.doc.body):
            part = m.group("part").lower()
            if part not in self.lex.parts_of_month:
                continue
            y, inferred, ys = self._resolve_year(m)
            if y is None:
                continue
            month = self._month_number(m.group("m"))
            first, last = self.lex.parts_of_month[part]
            last = _month_end(y, month) if last == 0 else min(last, _month_end(y, month))
            begin, end = _bounds(y, month, first, month, last)
            stop = self._extend_this_year(m.end(), inferred)
            value = DateValue(
                begin, end, "part-of-month", year_inferred=inferred, approximate=True, supplied=ys
            )
            yield _Candidate(m.start(), stop, "date.part-of-month", 0.85, value)

    def _month_ranges(self):
        for m in self.p.month_range.finditer(self.doc.body):
            y, _, ys = self._resolve_year(m)
            first, last = self._month_number(m.group("m")), self._month_number(m.group("m3"))
            if y is None or last < first:
                continue
            begin, end = _bounds(y, first, 1, last, _month_end(y, last))
            yield _Candidate(
                m.start(), m.end(), "date.range", 0.9, DateValue(begin, end, "range", supplied=ys)
            )

    def _month_years(self):
        for m in self.p.month_year.finditer(self.doc.body):
            y, _, ys = self._resolve_year(m)
            month = self._month_number(m.group("m"))
            begin, end = _bounds(y, month, 1, month, _month_end(y, month))
            value = DateValue(begin, end, "month", supplied=ys)
            yield _Candidate(m.start(), m.end(), "date.month", 0.95, value)

    def _year_ranges(self):
        for m in self.p.year_range.finditer(self.doc.body):
            first, _, ys = self._resolve_year(m)
            second = m.group("y2")
            last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
            if last <= first or " and " in m.group() and not self._before(m.start(), "between"):
                continue
            begin, end = f"{first:04d}-01-01T00:00:00", f"{last:04d}-12-31T23:59:59"
            yield _Candidate(
                m.start(), m.end(), "date.range", 0.9, DateValue(begin, end, "range", supplied=ys)
            )

    def _months(self):
        """A month alone, after a cue ("in October"); not "the October Revolution"."""
        for m in self.p.month_only.finditer(self.doc.body):
            if not self._cued(m.start(), self.lex.month_cues) or self._followed_by_name(m.end()):
                continue
            if self.year is None:
                continue
            month = self._month_number(m.group("m"))
            begin, end = _bounds(self.year, month, 1, month, _month_end(self.year, month))
            stop = self._extend_this_year(m.end(), True)
            value = DateValue(begin, end, "month", year_inferred=True)
            yield _Candidate(m.start(), stop, "date.month", 0.75, value)

    def _years(self):
        body = self.doc.body
        for m in self.p.year_only.finditer(body):
            bracketed = (
                body[m.start() - 1 : m.start()] == "(" and body[m.end() : m.end() + 1] == ")"
            )
            if not (bracketed or self._cued(m.start(), self.lex.year_cues)):
                continue
            y, _, ys = self._resolve_year(m)
            value = DateValue(
                f"{y:04d}-01-01T00:00:00", f"{y:04d}-12-31T23:59:59", "year", supplied=ys
            )
            yield _Candidate(m.start(), m.end(), "date.year", 0.8, value)

    def _cued(self, start: int, cues: frozenset[str]) -> bool:
        before = self.doc.body[max(0, start - 20) : start].split()
        return bool(before) and (before[-1] in cues or before[-1].lower() in cues)

    def _before(self, start: int, word: str) -> bool:
        return self.doc.body[max(0, start - 20) : start].rstrip().lower().endswith(word)

    def _followed_by_name(self, end: int) -> bool:
        rest = self.doc.body[end : end + 30]
        stripped = rest.lstrip(" ")
        return bool(stripped) and len(stripped) < len(rest) and stripped[0].isupper()
