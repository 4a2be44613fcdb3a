"""Persons: romanized East Asian names, Western names, capitals, honorifics, "Last, First"."""

from __future__ import annotations

import pytest

from extract_support import at, mentions, texts
from lodpub.sources.record import EditorialNote, Tag


def persons(body: str, title: str = "", **fields) -> list[tuple[str, str]]:
    return [(m.text, m.name) for m in mentions(body, title, **fields) if m.kind == "person"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Mao Zedong and Zhou Enlai met.",
            [("Mao Zedong", "Mao Zedong"), ("Zhou Enlai", "Zhou Enlai")],
        ),
        ("It was led by Ho Chi Minh.", [("Ho Chi Minh", "Ho Chi Minh")]),
        ("Choe Yong-gon spoke first.", [("Choe Yong-gon", "Choe Yong-gon")]),
        ("Song Jin-u leads it.", [("Song Jin-u", "Song Jin-u")]),
        ("KIM YONG-BEOM spoke.", [("KIM YONG-BEOM", "Kim Yong-beom")]),
        ("He saw Harry S. Truman.", [("Harry S. Truman", "Harry S. Truman")]),
        ("He saw J. V. Stalin there.", [("J. V. Stalin", "J. V. Stalin")]),
        ("General John R. Hodge agreed.", [("John R. Hodge", "John R. Hodge")]),
        ("Charles de Gaulle refused.", [("Charles de Gaulle", "Charles de Gaulle")]),
        ("The note of Mr. Bevin was read.", [("Bevin", "Bevin")]),
        ("Comrade Shtykov agreed.", [("Shtykov", "Shtykov")]),
        ("It told comrade Kim Tu-bong.", [("Kim Tu-bong", "Kim Tu-bong")]),
        ("The Americans brought SYNGMAN RHEE back.", [("SYNGMAN RHEE", "Syngman Rhee")]),
        (
            "Ambassador Muccio saw Syngman Rhee.",
            [("Muccio", "Muccio"), ("Syngman Rhee", "Syngman Rhee")],
        ),
        ("The CC was headed by Pak.", [("Pak", "Pak")]),
    ],
)
def test_names_and_their_normal_forms(body, expected):
    assert persons(body) == expected


def test_last_first_names_are_put_in_natural_order():
    body = "Distribution: Acheson, Dean; Kennan, George F.\nParticipants: Rhee, Syngman."
    assert persons(body) == [
        ("Acheson, Dean", "Dean Acheson"),
        ("Kennan, George F.", "George F. Kennan"),
        ("Rhee, Syngman", "Syngman Rhee"),
    ]


def test_lists_of_places_are_not_last_first_names():
    assert persons("Send it to Poland, Bulgaria, Romania, Yugoslavia, and others.") == []


def test_capitals_keep_a_spelling_the_record_uses_elsewhere():
    body = "General MacArthur landed. Later MACARTHUR and KIM IL SUNG spoke."
    names = dict(persons(body))
    assert names["MacArthur"] == "MacArthur"
    assert names["KIM IL SUNG"] == "Kim Il Sung"


def test_a_lone_surname_counts_after_the_full_name():
    body = "Harry S. Truman spoke. Then Truman left. Truman's aide stayed."
    found = mentions(body)
    lone = [m for m in found if m.kind == "person" and m.text == "Truman"]
    assert [m.recognizer for m in lone] == ["person.surname", "person.surname"]
    assert persons("Truman spoke first. Then Harry S. Truman left.")[0][0] == "Harry S. Truman"


def test_names_listed_with_a_name_and_signatures():
    found = mentions("Comrades Kádár and Apró support it.\n\nMUCCIO")
    assert [(m.text, m.recognizer) for m in found if m.kind == "person"] == [
        ("Kádár", "person.honorific"),
        ("Apró", "person.coordinated"),
        ("MUCCIO", "person.signature"),
    ]


def test_archive_tags_are_found_again_in_the_body():
    body = "The visit of Syngman Rhee was discussed."
    found = mentions(body, tags=(Tag("person", "Rhee, Syngman"), Tag("agent", "United Nations")))
    rhee = at(found, body, "person", "Syngman Rhee")
    assert rhee.name == "Syngman Rhee" and rhee.confidence >= 0.9


def test_a_reader_reported_alternative_makes_a_name_of_unknown_words():
    body = "Then Tsoi Chang-ik [Choe Chang Ik] spoke."
    start = body.index("[")
    note = EditorialNote(
        "alternative", "[Choe Chang Ik]", "Choe Chang Ik", start, body.index("]") + 1
    )
    found = mentions(body, notes=(note,))
    variant = at(found, body, "person", "Choe Chang Ik")
    assert variant.alternative_to == at(found, body, "person", "Tsoi Chang-ik").span


@pytest.mark.parametrize(
    "body",
    [
        "The Party is strong. According to the CC it will grow.",
        "In Seoul the Committee met.",
        "The Secretary of the Committee spoke. First Secretary of the Bureau.",
        "The General Staff and the Red Army agreed.",
        "The Leon Levy Foundation funded it.",
        "TOP SECRET\n\nCOPY NO. 3",
        "Do Not Forget the Korean People.",
        "Help Korea. Strengthen the CC. Consider it correct.",
        "Kim Il Sung University was opened.",
        "Komsomol organizations have begun to be created.",
    ],
)
def test_capitalised_words_that_are_not_names(body):
    assert persons(body) == []


def test_a_person_named_like_a_place_keeps_the_longer_name():
    found = mentions("George Washington crossed. He went to Washington.")
    assert texts(found, "person") == ["George Washington"]
    assert texts(found, "place") == ["Washington"]
