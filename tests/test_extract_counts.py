"""Counts: exact numbers, bounds and estimates of people and things, and what they are of."""

from __future__ import annotations

import pytest

from extract_support import at, mentions, texts


@pytest.mark.parametrize(
    ("body", "text", "fields"),
    [
        (
            "There were more than 3,000 Communists.",
            "more than 3,000 Communists",
            {"lower": 3000, "lower_exclusive": True, "unit": "persons", "counted": "Communists"},
        ),
        (
            "They number up to 6,000 members.",
            "up to 6,000 members",
            {"upper": 6000, "unit": "members"},
        ),
        (
            "It numbers about 10,000 and grows.",
            "about 10,000",
            {"value": 10000, "approximate": True, "unit": "members"},
        ),
        ("A bureau of 14 people was elected.", "14 people", {"value": 14}),
        ("A commission of three people was elected.", "three people", {"value": 3}),
        (
            "Registered in all five provinces.",
            "all five provinces",
            {"value": 5, "unit": "provinces"},
        ),
        (
            "It held at least 5,000 members.",
            "at least 5,000 members",
            {"lower": 5000, "lower_exclusive": False},
        ),
        (
            "No fewer than twenty-five delegates came.",
            "No fewer than twenty-five delegates",
            {"lower": 25},
        ),
        (
            "Fewer than 300 soldiers came.",
            "Fewer than 300 soldiers",
            {"upper": 300, "upper_exclusive": True},
        ),
        (
            "A group of several hundred people came.",
            "several hundred people",
            {"lower": 200, "upper": 900},
        ),
        (
            "Some 700 women and children left.",
            "Some 700 women and children",
            {"value": 700, "counted": "women and children"},
        ),
        (
            "With 65 senior communists participating.",
            "65 senior communists",
            {"value": 65, "counted": "senior communists"},
        ),
    ],
)
def test_values_bounds_and_units(body, text, fields):
    count = at(mentions(body), body, "count", text).count
    for key, value in fields.items():
        assert getattr(count, key) == value, key


def test_what_is_not_a_count():
    body = (
        "1. He served for 10 years in battalion 88 and was a slave for 35 years.\n"
        "2. See F. 172, Op. 614631, D. 23, pp. 21-26 and FO 371/84082.\n"
        "3. At about 6 a.m. on 20 October 1945 he was one of the leaders; 60% agreed."
    )
    assert texts(mentions(body, "Report, 1945"), "count") == []


def test_a_count_is_about_the_group_or_place_it_describes():
    body = (
        "There were more than 3,000 Communists in North Korea. "
        "A woman's organization numbering, at the present time, more than 1,000 is registered. "
        "In South Korea the strongest party is the Democratic Party. "
        "The party numbers about 10,000."
    )
    found = mentions(body)

    def subject(text: str) -> str:
        start, end = at(found, body, "count", text).count.subject
        return body[start:end]

    assert subject("more than 3,000 Communists") == "North Korea"
    assert subject("more than 1,000") == "woman's organization"
    assert subject("about 10,000") == "Democratic Party"
