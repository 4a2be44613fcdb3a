"""The `Mention`: a span of a record body naming a person, group, place, date, event, count or
role."""

from __future__ import annotations

from dataclasses import dataclass

MENTION_KINDS = ("person", "group", "place", "date", "event", "count", "role")
ROLE_RELATIONS = ("member", "head", "office", "subordinate", "joined")


@dataclass(frozen=True, slots=True)
class DateValue:
    """A date or period resolved to inclusive xsd:dateTime bounds ("YYYY-MM-DDTHH:MM:SS")."""

    begin: str  # begin of the begin, e.g. "1945-08-21T00:00:00"
    end: str  # end of the end, inclusive, e.g. "1945-08-31T23:59:59"
    precision: str  # "day" | "month" | "year" | "range" | "part-of-month" | "open"
    year_inferred: bool = False  # True when the text gives no year and it came from the record
    approximate: bool = False  # "end of August", "about 1940"
    qualifier: str | None = None  # "until" | "by" | "since" | "after" | "before" | None
    supplied: bool = False  # part of the date was supplied by the editor in brackets


@dataclass(frozen=True, slots=True)
class CountValue:
    """A count of people or things: exact, a bound, or approximate."""

    value: int | None = None  # exact or approximate value
    lower: int | None = None  # "more than N" (exclusive) / "at least N" (inclusive)
    upper: int | None = None  # "up to N" / "fewer than N"
    lower_exclusive: bool = False
    upper_exclusive: bool = False
    approximate: bool = False  # "about", "some", "nearly", "approximately"
    unit: str = "persons"  # what is counted: "persons", "members", "committees", ...
    counted: str | None = None  # the noun phrase counted, as in the text: "Communists"
    subject: tuple[int, int] | None = None  # span of the mention (group/place) the count is of


@dataclass(frozen=True, slots=True)
class EventValue:
    """An event or activity the text reports, or a plan for one."""

    type: str  # "meeting", "election", "rally", "demonstration", "strike", "formation", ...
    planned: bool = False  # a plan or proposal, not an event that happened
    date: tuple[int, int] | None = None  # span of the date mention that dates it
    places: tuple[tuple[int, int], ...] = ()  # spans of place mentions where it took place
    participants: tuple[tuple[int, int], ...] = ()  # spans of person/group mentions taking part
    sentence: tuple[int, int] | None = None  # the sentence it is reported in


@dataclass(frozen=True, slots=True)
class RoleValue:
    """Who holds what place in which group, as a cue phrase states it ("X, Secretary of the Y")."""

    relation: str  # one of ROLE_RELATIONS
    office: str | None = None  # the office as written: "First Secretary", "commander"; or None
    holder: tuple[int, int] | None = None  # span of the person (or group) mention holding it
    organisation: tuple[int, int] | None = None  # span of the group mention it is held in
    event: tuple[int, int] | None = None  # span of the election/appointment event conferring it


@dataclass(frozen=True, slots=True)
class Mention:
    """A recognised span; `start`/`end` are code-point offsets into the record body."""

    kind: str  # one of MENTION_KINDS
    start: int
    end: int
    text: str  # == record.body[start:end]
    recognizer: str  # the rule that found it, e.g. "person.honorific"
    confidence: float  # 0..1
    name: str | None = None  # normal form for names: "Kim Il Sung" for "KIM IL SUNG", no "Cde."
    alternative_to: tuple[int, int] | None = None  # span of the name a bracketed variant glosses
    date: DateValue | None = None
    count: CountValue | None = None
    event: EventValue | None = None
    role: RoleValue | None = None

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)
