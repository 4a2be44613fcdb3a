"""Events: trigger phrases and types, plans, and links to dates, places and participants."""

from __future__ import annotations

import pytest

from extract_support import at, mentions


def events(body: str, title: str = "Report, 1945") -> list[tuple[str, str, bool]]:
    return [
        (m.text, m.event.type, m.event.planned) for m in mentions(body, title) if m.kind == "event"
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("On 20 October, a rally was organized in Seoul.", [("a rally", "rally", False)]),
        (
            "It was expressed in the strikes of tram and textile workers.",
            [("the strikes of tram and textile workers", "strike", False)],
        ),
        ("Six Provincial Committees have been formed.", [("formed", "formation", False)]),
        (
            "The CC created a government of communists.",
            [("created a government", "formation", False)],
        ),
        ("It created many legends about him.", []),
        ("An opinion has been formed in the CC.", []),
        (
            "It is planned to convene the first Congress of the Korean Communist Party.",
            [("the first Congress of the Korean Communist Party", "congress", True)],
        ),
        ("9. Create a united bloc of democracy.", [("Create a united bloc", "formation", True)]),
        (
            "Consider it correct to create an organization committee.",
            [("create an organization committee", "formation", True)],
        ),
        (
            "The CC will be elected at the congress.",
            [("elected", "election", True), ("the congress", "congress", True)],
        ),
        (
            "The Politburo met on 5 May. The Politburo will meet again.",
            [("Politburo met", "meeting", False), ("Politburo will meet", "meeting", True)],
        ),
        ("We arrived in Budapest at noon.", [("arrived", "arrival", False)]),
        (
            "He copied the Communist Party of Russia during the October Revolution.",
            [("the October Revolution", "revolution", False)],
        ),
        (
            "Counting on the immediate withdrawal of Soviet forces, they waited.",
            [("the immediate withdrawal of Soviet forces", "withdrawal", True)],
        ),
    ],
)
def test_triggers_types_and_plans(body, expected):
    assert events(body) == expected


def test_an_event_is_linked_to_the_nearest_date_and_its_places_and_actors():
    body = (
        "In the south of Korea, the working masses are dissatisfied, which has been expressed in "
        "the strikes of tram and textile workers and the 18 October demonstration in Seoul."
    )
    found = mentions(body, "Report, 1945")
    demonstration = at(found, body, "event", "the 18 October demonstration").event
    strikes = at(found, body, "event", "the strikes of tram and textile workers").event
    assert demonstration.date == at(found, body, "date", "18 October").span
    assert demonstration.places[0] == at(found, body, "place", "Seoul").span
    assert strikes.date is None
    assert demonstration.sentence == (0, len(body))


def test_participants_are_the_named_actors_of_the_sentence_nearest_first():
    body = "The Democratic Party held meetings of its bureau from 19 to 21 October."
    found = mentions(body, "Report, 1945")
    meeting = at(found, body, "event", "meetings of its bureau").event
    assert meeting.participants[0] == at(found, body, "group", "Democratic Party").span
    assert meeting.date == at(found, body, "date", "19 to 21 October").span
