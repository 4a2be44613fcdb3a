"""Places: gazetteer names, compass and administrative words, cues, lists and zones."""

from __future__ import annotations

import pytest

from extract_support import at, mentions, texts


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Kim went from Pyongyang to Moscow.", ["Pyongyang", "Moscow"]),
        ("IN MOSCOW AND SEOUL THE TALKS WENT ON.", ["MOSCOW", "SEOUL"]),
        ("Not only in North, but also in South Korea.", ["South Korea"]),
        ("He fought in Southern Manchuria.", ["Southern Manchuria"]),
        (
            "The troops crossed the 38th parallel near the Yangtze River.",
            ["38th parallel", "Yangtze River"],
        ),
        ("The Kangwon Province Committee met.", ["Kangwon Province"]),
        ("He was in the city of Sariwon.", ["Sariwon"]),
        (
            "Strikes spread to Leipzig, Magdeburg, Halle and Jena.",
            ["Leipzig", "Magdeburg", "Halle", "Jena"],
        ),
        ("They marched along Młyńska Street.", ["Młyńska Street"]),
        ("Workers in the American occupation zone struck.", ["American occupation zone"]),
    ],
)
def test_place_rules(body, expected):
    assert texts(mentions(body), "place") == expected


def test_a_place_inside_a_group_name_is_its_own_mention():
    body = "Kim was Secretary of the South Pyeongan Provincial Committee."
    found = mentions(body)
    assert at(found, body, "group", "South Pyeongan Provincial Committee")
    assert at(found, body, "place", "South Pyeongan").recognizer == "place.gazetteer"


def test_an_unknown_province_is_found_by_its_administrative_word_and_its_variant():
    body = "O Gi-seop, Secretary of the Hamqyeong [Kanko] Provincial Committee, spoke."
    found = mentions(body)
    primary = at(found, body, "place", "Hamqyeong")
    assert primary.recognizer == "place.admin-unit"
    assert at(found, body, "place", "Kanko").alternative_to == primary.span


def test_names_in_capitals_get_the_gazetteer_spelling():
    found = mentions("THE DELEGATION LEFT MOSCOW FOR PEKING.")
    assert [m.name for m in found if m.kind == "place"] == ["Moscow", "Peking"]


@pytest.mark.parametrize(
    "body",
    [
        "Some Korean and Soviet officers spoke in Korean.",
        "In December the talks in Truman's office ended.",
        "In Moscow, Molotov and Vyshinsky met.",
        "Help from Kim and from Comrade Pak came.",
    ],
)
def test_adjectives_months_and_names_are_not_places(body):
    assert texts(mentions(body), "place") in ([], ["Moscow"])
