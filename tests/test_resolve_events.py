"""Events: stable URIs from date, type and place or participant; readable labels."""

from dataclasses import replace
from pathlib import Path

import pytest

from fixtures.resolve.records import SEED_KEY, seed_mentions, seed_record
from lodpub.extract.mention import DateValue, EventValue, Mention
from lodpub.resolve import Authority, resolve
from lodpub.resolve.events import date_label
from lodpub.uris import Uris

AUTHORITY = Path(__file__).parents[1] / "authority" / "authority.toml"
U = Uris()


def span(body: str, phrase: str, text: str) -> tuple[int, int]:
    start = body.index(phrase) + phrase.index(text)
    return start, start + len(text)


def date(body, phrase, text, begin, end, precision, **kw) -> Mention:
    s, e = span(body, phrase, text)
    value = DateValue(f"{begin}T00:00:00", f"{end}T23:59:59", precision, **kw)
    return Mention("date", s, e, text, "test.date", 0.9, date=value)


def event(body, phrase, text, type_, **kw) -> Mention:
    s, e = span(body, phrase, text)
    return Mention("event", s, e, text, "test.event", 0.8, event=EventValue(type_, **kw))


@pytest.fixture(scope="module")
def resolution():
    record = seed_record()
    body = record.body
    names = seed_mentions(record)
    rally_date = date(
        body,
        "On 20 October, a rally",
        "20 October",
        "1945-10-20",
        "1945-10-20",
        "day",
        year_inferred=True,
    )
    congress_date = date(
        body, "in December 1945 at which", "December 1945", "1945-12-01", "1945-12-31", "month"
    )
    meeting_date = date(
        body,
        "from 19 to 21 October",
        "from 19 to 21 October",
        "1945-10-19",
        "1945-10-21",
        "range",
        year_inferred=True,
    )
    august = date(
        body,
        "Back at the end of August",
        "end of August",
        "1945-08-21",
        "1945-08-31",
        "part-of-month",
        year_inferred=True,
        approximate=True,
    )
    events = [
        event(
            body,
            "a rally was organized in Seoul",
            "rally",
            "rally",
            date=rally_date.span,
            places=(span(body, "a rally was organized in Seoul", "Seoul"),),
        ),
        event(
            body,
            "convene the first Congress of the Korean",
            "Congress",
            "congress",
            planned=True,
            date=congress_date.span,
            participants=(
                span(
                    body, "first Congress of the Korean Communist Party", "Korean Communist Party"
                ),
            ),
        ),
        event(
            body,
            "were discussed at meetings of the Organization",
            "meetings",
            "meeting",
            date=meeting_date.span,
            participants=(span(body, "a Democratic Party is at", "Democratic Party"),),
        ),
        event(
            body,
            "created a government mainly",
            "created",
            "formation",
            date=august.span,
            participants=(span(body, "the CC of the Communist Party headed by Pak", "CC"),),
        ),
        event(body, "the strikes of tram", "strikes", "strike"),
    ]
    mentions = tuple(
        sorted(
            (*names, rally_date, congress_date, meeting_date, august, *events),
            key=lambda m: m.start,
        )
    )
    return resolve(record, mentions, Authority.load(AUTHORITY), U)


def test_events_get_stable_uris_and_labels(resolution):
    assert [(e.uri, e.label) for e in resolution.events] == [
        (
            U.thing("event", "1945-12-planned-congress-korean-communist-party"),
            "Planned Congress of the Korean Communist Party, December 1945",
        ),
        (
            U.thing("event", "1945-08-formation-kcp-central-committee"),
            "Formation of the Central Committee of the Korean Communist Party, late August 1945",
        ),
        (
            U.thing("event", "1945-10-19-meeting-democratic-party-north"),
            "Meeting of the Democratic Party, 19–21 October 1945",
        ),
        (U.thing("event", "1945-10-20-rally-seoul"), "Rally in Seoul, 20 October 1945"),
        (U.thing("event", f"{SEED_KEY}-strike-{resolution.events[-1].mention.start}"), "Strike"),
    ]


def test_event_uris_do_not_change_on_re_ingest(resolution):
    again = resolve(resolution.record, resolution.mentions, Authority.load(AUTHORITY), U)
    assert [e.uri for e in again.events] == [e.uri for e in resolution.events]


def test_two_alike_events_in_one_document_stay_two(resolution):
    rally = next(m for m in resolution.mentions if m.kind == "event" and m.text == "rally")
    twin = replace(rally, start=rally.start + 1, end=rally.end + 1, text="ally")
    again = resolve(
        resolution.record,
        tuple(sorted((*resolution.mentions, twin), key=lambda m: m.start)),
        Authority.load(AUTHORITY),
        U,
    )
    uris = [e.uri for e in again.events if "rally" in e.uri]
    assert len(uris) == len(set(uris)) == 2


def test_year_is_taken_from_the_first_year_inferred_date(resolution):
    assert resolution.record.date is None
    assert resolution.year == 1945


@pytest.mark.parametrize(
    ("begin", "end", "precision", "kw", "expected"),
    [
        ("1945-10-20", "1945-10-20", "day", {}, "20 October 1945"),
        ("1945-12-01", "1945-12-31", "month", {}, "December 1945"),
        ("1945-01-01", "1945-12-31", "year", {}, "1945"),
        ("1941-01-01", "1945-12-31", "range", {}, "1941–1945"),
        ("1945-10-19", "1945-10-21", "range", {}, "19–21 October 1945"),
        ("1945-09-28", "1945-10-02", "range", {}, "28 September – 2 October 1945"),
        ("1945-08-21", "1945-08-31", "part-of-month", {"approximate": True}, "late August 1945"),
        ("1940-01-01", "1940-12-31", "year", {"approximate": True}, "about 1940"),
        ("1945-01-01", "1945-10-05", "open", {"qualifier": "until"}, "until 5 October 1945"),
    ],
)
def test_date_labels(begin, end, precision, kw, expected):
    value = DateValue(f"{begin}T00:00:00", f"{end}T23:59:59", precision, **kw)
    assert date_label(value) == expected
