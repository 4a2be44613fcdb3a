"""Dates: phrases resolved to inclusive xsd:dateTime bounds against the record's year."""

from __future__ import annotations

import pytest

from extract_support import at, mentions, texts


def date_of(body: str, text: str, title: str = "Report, 1945", **fields):
    return at(mentions(body, title, **fields), body, "date", text).date


@pytest.mark.parametrize(
    ("body", "text", "begin", "end", "precision"),
    [
        (
            "It met on 20 October.",
            "20 October",
            "1945-10-20T00:00:00",
            "1945-10-20T23:59:59",
            "day",
        ),
        (
            "Cable of May 5, 1949, sent.",
            "May 5, 1949",
            "1949-05-05T00:00:00",
            "1949-05-05T23:59:59",
            "day",
        ),
        (
            "Signed 1950-06-25 in Seoul.",
            "1950-06-25",
            "1950-06-25T00:00:00",
            "1950-06-25T23:59:59",
            "day",
        ),
        (
            "Held in December 1945.",
            "December 1945",
            "1945-12-01T00:00:00",
            "1945-12-31T23:59:59",
            "month",
        ),
        (
            "Talks from 19 to 21 October.",
            "19 to 21 October",
            "1945-10-19T00:00:00",
            "1945-10-21T23:59:59",
            "range",
        ),
        (
            "Talks on October 19-21, 1946.",
            "October 19-21, 1946",
            "1946-10-19T00:00:00",
            "1946-10-21T23:59:59",
            "range",
        ),
        (
            "Talks 19 October to 2 November 1945.",
            "19 October to 2 November 1945",
            "1945-10-19T00:00:00",
            "1945-11-02T23:59:59",
            "range",
        ),
        (
            "Served from 1941 to 1945.",
            "1941 to 1945",
            "1941-01-01T00:00:00",
            "1945-12-31T23:59:59",
            "range",
        ),
        ("Served 1941–45 there.", "1941–45", "1941-01-01T00:00:00", "1945-12-31T23:59:59", "range"),
        (
            "Talks between 3 and 5 May 1949.",
            "3 and 5 May 1949",
            "1949-05-03T00:00:00",
            "1949-05-05T23:59:59",
            "range",
        ),
        (
            "Born in 1912 in Mangyongdae.",
            "1912",
            "1912-01-01T00:00:00",
            "1912-12-31T23:59:59",
            "year",
        ),
        (
            "Planned for October to December 1945.",
            "October to December 1945",
            "1945-10-01T00:00:00",
            "1945-12-31T23:59:59",
            "range",
        ),
    ],
)
def test_day_month_range_and_year_phrases(body, text, begin, end, precision):
    value = date_of(body, text)
    assert (value.begin, value.end, value.precision) == (begin, end, precision)


@pytest.mark.parametrize(
    ("body", "text", "begin", "end"),
    [
        (
            "Back at the end of August it fell.",
            "end of August",
            "1945-08-21T00:00:00",
            "1945-08-31T23:59:59",
        ),
        (
            "At the beginning of May it fell.",
            "beginning of May",
            "1945-05-01T00:00:00",
            "1945-05-10T23:59:59",
        ),
        ("In mid-June it fell.", "mid-June", "1945-06-11T00:00:00", "1945-06-20T23:59:59"),
        ("In late May it fell.", "late May", "1945-05-21T00:00:00", "1945-05-31T23:59:59"),
        (
            "In the second half of July 1956 it fell.",
            "second half of July 1956",
            "1956-07-16T00:00:00",
            "1956-07-31T23:59:59",
        ),
    ],
)
def test_parts_of_a_month_are_approximate_with_honest_bounds(body, text, begin, end):
    value = date_of(body, text)
    assert (value.begin, value.end, value.precision) == (begin, end, "part-of-month")
    assert value.approximate


def test_month_lengths_and_leap_years_come_from_the_calendar():
    assert date_of("At the end of February.", "end of February", "Note, 1944").end == (
        "1944-02-29T23:59:59"
    )
    assert date_of("At the end of February.", "end of February", "Note, 1945").end == (
        "1945-02-28T23:59:59"
    )
    assert date_of("On 29 February 1944 it fell.", "29 February 1944").precision == "day"
    found = mentions("On 29 February 1945 it fell.", "Note")
    assert texts(found, "date") == []  # not a day, and not February either


def test_the_year_comes_from_the_record_date_then_the_title_then_the_body():
    body = "They met on 5 May."
    assert date_of(body, "5 May", "Note, 1945", date="1950-06-25").begin == "1950-05-05T00:00:00"
    assert date_of(body, "5 May", "Telegram of 1949").begin == "1949-05-05T00:00:00"
    both = "They met on 5 May. In June 1953 and again in July 1953 they met, and in June 1952."
    assert date_of(both, "5 May", "Telegram").begin == "1953-05-05T00:00:00"
    value = date_of(body, "5 May", "Note, 1945")
    assert value.year_inferred
    assert not date_of("On 5 May 1949.", "5 May 1949", "Note, 1945").year_inferred


def test_without_any_year_a_day_and_month_is_not_invented():
    found = mentions("They met on 5 May and at the end of June.", "A note")
    assert texts(found, "date") == []


def test_until_by_since_and_supplied_days():
    until = date_of("Until [5] October of this year, they held.", "Until [5] October of this year")
    assert (until.qualifier, until.supplied, until.end) == ("until", True, "1945-10-05T23:59:59")
    by = date_of("More than 3,000 by 20 October.", "by 20 October")
    assert (by.qualifier, by.begin) == ("by", "1945-10-20T00:00:00")
    since = date_of("Held since March 1944.", "since March 1944")
    assert (since.qualifier, since.precision) == ("since", "month")
    before = date_of("Sent before the end of August.", "before the end of August")
    assert before.qualifier == "before" and before.approximate


def test_durations_verbs_and_named_events_are_not_dates():
    body = (
        "He was commander for 10 years. They were slaves for 35 years. They may go in May. "
        "The October Revolution was copied. See pp. 21-26 and F. 172."
    )
    found = mentions(body, "Report, 1945")
    assert texts(found, "date") == ["May"]
