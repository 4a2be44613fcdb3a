"""Groups: head-noun phrases, "of" complements, abbreviations, collectives and anaphors."""

from __future__ import annotations

import pytest

from extract_support import at, mentions, texts


def groups(body: str, title: str = "") -> list[tuple[str, str | None]]:
    return [(m.text, m.name) for m in mentions(body, title) if m.kind == "group"]


@pytest.mark.parametrize(
    ("body", "text", "name"),
    [
        (
            "He joined the Korean Communist Party.",
            "Korean Communist Party",
            "Korean Communist Party",
        ),
        (
            "He sat on the CC of the Korean Workers Party.",
            "CC of the Korean Workers Party",
            "Central Committee of the Korean Workers Party",
        ),
        (
            "The Ministry of Foreign Affairs replied.",
            "Ministry of Foreign Affairs",
            "Ministry of Foreign Affairs",
        ),
        (
            "The United Nations Commission on Korea met.",
            "United Nations Commission on Korea",
            "United Nations Commission on Korea",
        ),
        (
            "He led the History and Public Policy Program.",
            "History and Public Policy Program",
            "History and Public Policy Program",
        ),
        ("He led battalion 88 of the brigade.", "battalion 88", "battalion 88"),
        ("The 10th Armoured Division moved.", "10th Armoured Division", "10th Armoured Division"),
        (
            "The Polish United Workers' Party ruled.",
            "Polish United Workers' Party",
            "Polish United Workers' Party",
        ),
        ("A woman's organization was formed.", "woman's organization", "woman's organization"),
        (
            "They formed a so-called democratic party.",
            "so-called democratic party",
            "so-called democratic party",
        ),
        (
            "It was the Hamqyeong [Kanko] Provincial Committee.",
            "Hamqyeong [Kanko] Provincial Committee",
            "Hamqyeong Provincial Committee",
        ),
    ],
)
def test_phrases_headed_by_a_group_noun(body, text, name):
    assert at(mentions(body), body, "group", text).name == name


def test_named_groups_are_surer_than_descriptions_and_plurals():
    body = "The Communist Party met. A control commission met. Party committees met."
    found = mentions(body)
    named = at(found, body, "group", "Communist Party")
    generic = at(found, body, "group", "control commission")
    plural = at(found, body, "group", "Party committees")
    assert named.recognizer == "group.head-noun" and named.confidence >= 0.85
    assert generic.recognizer == "group.generic" and generic.confidence < 0.5
    assert plural.confidence < generic.confidence


def test_a_complement_is_kept_and_the_inner_group_found_as_well():
    body = "Recognize the CC of the Communist Party of Korea headed by him."
    assert texts(mentions(body), "group") == [
        "CC of the Communist Party of Korea",
        "Communist Party of Korea",
    ]
    assert texts(mentions(body), "place") == ["Korea"]


def test_abbreviations_expand_and_records_may_define_their_own():
    body = "The Free German Youth (FDJ) marched. The FDJ grew. The KCP and the CC CPSU agreed."
    found = mentions(body)
    assert [(m.text, m.name) for m in found if m.recognizer == "group.abbreviation"] == [
        ("FDJ", "Free German Youth"),
        ("FDJ", "Free German Youth"),
        ("KCP", "Korean Communist Party"),
        ("CC CPSU", "Central Committee of the Communist Party of the Soviet Union"),
        ("CPSU", "Communist Party of the Soviet Union"),
    ]
    lone = mentions("The CC decided.")
    assert [(m.text, m.name, m.confidence) for m in lone] == [("CC", "Central Committee", 0.5)]


def test_collective_actors_are_groups_when_used_as_nouns():
    body = (
        "The Japanese used any means. Japanese rule ended. Hatred of Japanese is strong. "
        "The Americans and the North Koreans agreed. Japanese and pro-Japanese elements hid."
    )
    found = mentions(body)
    collective = [(m.text, m.name) for m in found if m.recognizer == "group.collective"]
    assert collective == [
        ("Japanese", "Japanese"),
        ("Japanese", "Japanese"),
        ("Americans", "Americans"),
        ("North Koreans", "North Koreans"),
    ]


def test_anaphors_are_marked_for_the_resolver_and_carry_no_name():
    body = "The Democratic Party was formed. The party numbers about 10,000. This party grew."
    anaphors = [m for m in mentions(body) if m.recognizer == "group.anaphor"]
    assert [(m.text, m.name, m.confidence) for m in anaphors] == [
        ("The party", None, 0.3),
        ("This party", None, 0.3),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "The Soviet Union agreed.",  # a place, not a group
        "It was the most influential party and the only legal party.",  # an evaluation
        "It lacks a specific Party platform.",  # "Party" modifies "platform"
        "They stood in front of the government building.",
        "It is the first Congress of the Korean Communist Party.",  # the congress is an event
        "It reached broad sections of Korean youth.",
    ],
)
def test_phrases_that_are_not_group_names(body):
    found = mentions(body)
    names = [m.text for m in found if m.kind == "group" and m.recognizer != "group.anaphor"]
    assert names in ([], ["Korean Communist Party"])
