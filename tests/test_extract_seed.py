"""The seed, read by `lodpub.sources.read_path`: every name, date, event and count of
datamodel §4.2–4.4 is found with the right normal form, bounds and values."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract_support import at, texts
from lodpub.extract import extract
from lodpub.extract.mention import MENTION_KINDS
from lodpub.sources import read_path

SEED = Path(__file__).parents[1] / "seeds" / "000_3a5edd602105b0b3.txt"


@pytest.fixture(scope="module")
def seed():
    result = read_path(SEED)
    assert not result.errors
    (record,) = result.records
    return record.body, extract(record)


def test_every_mention_quotes_the_body_in_order_without_duplicates(seed):
    body, found = seed
    assert all(m.text == body[m.start : m.end] for m in found)
    order = [(m.start, -m.end, MENTION_KINDS.index(m.kind)) for m in found]
    assert order == sorted(order)
    keys = [(m.kind, m.start, m.end) for m in found]
    assert len(keys) == len(set(keys))
    assert all(0 < m.confidence <= 1 for m in found)


@pytest.mark.parametrize(
    ("primary", "variant"),
    [
        ("Kim Yong-beom", "Kim Yong Bom"),
        ("O Gi-seop", "O Ki Sop"),
        ("Pak Heon-yeong", "Pak Hon Yong"),
        ("Ri Yeong", "Ri Yong"),
        ("Choe Ik-han", "Choe Ik Han"),
        ("Jeong Baek", "Jong Baek"),
    ],
)
def test_bracketed_romanizations_are_variants_of_the_name_before_them(seed, primary, variant):
    body, found = seed
    name = at(found, body, "person", primary)
    alternative = at(found, body, "person", variant)
    assert name.name == primary and alternative.name == variant
    assert alternative.alternative_to == name.span
    assert alternative.recognizer == "person.bracketed-variant"


def test_every_person_of_the_datamodel_is_found_with_its_normal_name(seed):
    body, found = seed
    persons = [m for m in found if m.kind == "person"]
    names = {m.name for m in persons}
    assert {
        "Kim Yong-beom",
        "O Gi-seop",
        "Pak Heon-yeong",
        "Ri Yeong",
        "Choe Ik-han",
        "Jeong Baek",
        "Song Jin-u",
        "Kim Il Sung",
        "Syngman Rhee",
        "Stalin",
    } <= names
    assert texts(found, "person").count("Pak Heon-yeong") == body.count("Pak Heon-yeong") == 7
    capitals = [m for m in persons if m.text == "KIM IL SUNG"]
    assert len(capitals) == body.count("KIM IL SUNG") == 7
    assert {m.name for m in capitals} == {"Kim Il Sung"}
    assert {m.recognizer for m in capitals} == {"person.allcaps"}
    assert at(found, body, "person", "Kim Il Sung").name == "Kim Il Sung"
    assert at(found, body, "person", "SYNGMAN RHEE").name == "Syngman Rhee"


def test_an_honorific_is_left_out_of_the_span_and_the_name(seed):
    body, found = seed
    stalin = at(found, body, "person", "STALIN")
    assert (stalin.name, stalin.recognizer) == ("Stalin", "person.honorific")
    secretary = at(found, body, "person", "Pak Heon-yeong")
    assert body[secretary.start - len("CC Secretary ") : secretary.start] == "CC Secretary "


def test_no_person_is_made_of_common_capitalised_words(seed):
    _, found = seed
    persons = set(texts(found, "person"))
    for word in (
        "The",
        "In",
        "According",
        "Party",
        "Komsomol",
        "Korean",
        "Secretary",
        "Komsomol organizations",
        "Communist Party",
        "Red Army",
        "Cde",
        "CC",
        "Korea",
    ):
        assert word not in persons
    assert all(len(m.text.split()) <= 3 for m in found if m.kind == "person")


@pytest.mark.parametrize(
    "text",
    [
        "Korean Communist Party",
        "CC of the Korean Workers Party",
        "Korean Workers Party",
        "Organization Bureau",
        "Organization Bureau of North Korea",
        "South Pyeongan Provincial Committee",
        "Hamqyeong [Kanko] Provincial Committee",
        "American Command",
        "Red Army",
        "Special Brigade",
        "battalion 88",
        "Korean Democratic Union of Youth",
        "Democratic Union of Youth",
        "Democratic Party",
        "Bolshevik Party",
        "Communist Party of Russia",
        "Communist Party of North Korea",
        "Komsomol",
        "Komsomol organizations",
        "control commission",
        "so-called democratic party",
        "woman's organization",
        "factional group of Ri Yeong",
    ],
)
def test_the_main_groups_are_found(seed, text):
    _, found = seed
    assert any(m.name for m in found if m.kind == "group" and m.text == text), text


def test_group_names_are_normalised_and_generic_ones_are_less_certain(seed):
    body, found = seed
    assert at(found, body, "group", "CC of the Korean Workers Party").name == (
        "Central Committee of the Korean Workers Party"
    )
    assert at(found, body, "group", "Hamqyeong [Kanko] Provincial Committee").name == (
        "Hamqyeong Provincial Committee"
    )
    named = at(found, body, "group", "Korean Communist Party")
    generic = at(found, body, "group", "so-called democratic party")
    assert generic.confidence < 0.5 < named.confidence
    assert at(found, body, "group", "Americans").recognizer == "group.collective"
    assert at(found, body, "group", "Japanese").recognizer == "group.collective"


def test_anaphors_are_groups_without_a_name_for_the_resolver(seed):
    body, found = seed
    anaphors = [m for m in found if m.recognizer == "group.anaphor"]
    assert {m.text for m in anaphors} >= {"the Party", "The party", "this party"}
    assert all(m.name is None and m.confidence <= 0.3 for m in anaphors)


@pytest.mark.parametrize(
    "text",
    [
        "North Korea",
        "South Korea",
        "Seoul",
        "Haeju",
        "Manchuria",
        "Khabarovsk",
        "Hawaii",
        "Moscow",
        "Poland",
        "Bulgaria",
        "Romania",
        "Yugoslavia",
        "Korea",
        "South Pyeongan",
        "Hamqyeong",
        "Kanko",
        "Germany",
        "Japan",
        "USSR",
    ],
)
def test_the_places_are_found(seed, text):
    _, found = seed
    assert any(m.name == text for m in found if m.kind == "place" and m.text == text), text


def test_kanko_is_the_bracketed_variant_of_hamqyeong_and_adjectives_are_not_places(seed):
    body, found = seed
    assert (
        at(found, body, "place", "Kanko").alternative_to
        == at(found, body, "place", "Hamqyeong").span
    )
    places = set(texts(found, "place"))
    assert not places & {"Korean", "Soviet", "American", "Japanese", "North", "South"}


@pytest.mark.parametrize(
    ("text", "begin", "end", "precision", "qualifier"),
    [
        ("by 20 October", "1945-10-20T00:00:00", "1945-10-20T23:59:59", "day", "by"),
        ("19 to 21 October", "1945-10-19T00:00:00", "1945-10-21T23:59:59", "range", None),
        ("end of August", "1945-08-21T00:00:00", "1945-08-31T23:59:59", "part-of-month", None),
        ("December 1945", "1945-12-01T00:00:00", "1945-12-31T23:59:59", "month", None),
        ("1941 to 1945", "1941-01-01T00:00:00", "1945-12-31T23:59:59", "range", None),
        ("20 October", "1945-10-20T00:00:00", "1945-10-20T23:59:59", "day", None),
        ("18 October", "1945-10-18T00:00:00", "1945-10-18T23:59:59", "day", None),
    ],
)
def test_dates_have_exact_bounds(seed, text, begin, end, precision, qualifier):
    body, found = seed
    nth = 2 if text == "20 October" else 1
    value = at(found, body, "date", text, nth).date
    assert (value.begin, value.end, value.precision, value.qualifier) == (
        begin,
        end,
        precision,
        qualifier,
    )
    assert value.year_inferred == ("1945" not in text)


def test_until_a_supplied_day_is_a_qualified_supplied_date(seed):
    body, found = seed
    value = at(found, body, "date", "Until [5] October of this year").date
    assert (value.begin, value.end, value.qualifier) == (
        "1945-10-05T00:00:00",
        "1945-10-05T23:59:59",
        "until",
    )
    assert value.supplied and value.year_inferred
    assert at(found, body, "date", "end of August").date.approximate


def test_durations_are_neither_dates_nor_counts(seed):
    _, found = seed
    spans = [m.text for m in found if m.kind in ("date", "count")]
    assert not any("years" in text for text in spans)
    assert not any(text in ("88", "172", "10", "35") for text in spans)


def _event(found, body, text):
    mention = at(found, body, "event", text)
    return mention, mention.event


def test_the_seed_events_have_their_types_and_plans(seed):
    body, found = seed
    expected = {
        "a meeting of Provincial Committee representatives": ("meeting", False),
        "elected": ("election", False),
        "chosen": ("election", False),
        "registered": ("registration", False),
        "formed": ("formation", False),
        "the first Congress of the Korean Communist Party": ("congress", True),
        "created a government": ("formation", False),
        "meetings of the Organization Bureau of this party": ("meeting", False),
        "a rally": ("rally", False),
        "the 18 October demonstration": ("demonstration", False),
        "the strikes of tram and textile workers": ("strike", False),
        "create an organization committee": ("formation", True),
        "Create a united bloc": ("formation", True),
        "the October Revolution": ("revolution", False),
    }
    for text, (kind, planned) in expected.items():
        _, value = _event(found, body, text)
        assert (value.type, value.planned) == (kind, planned), text


def test_events_are_linked_to_their_dates_places_and_participants(seed):
    body, found = seed
    _, congress = _event(found, body, "the first Congress of the Korean Communist Party")
    assert congress.date == at(found, body, "date", "December 1945").span
    assert at(found, body, "group", "Korean Communist Party", 2).span in congress.participants
    _, government = _event(found, body, "created a government")
    assert government.date == at(found, body, "date", "end of August").span
    _, meetings = _event(found, body, "meetings of the Organization Bureau of this party")
    assert meetings.date == at(found, body, "date", "19 to 21 October").span
    _, rally = _event(found, body, "a rally")
    assert rally.date == at(found, body, "date", "20 October", 2).span
    seoul_rally = at(found, body, "place", "Seoul", 3)
    assert rally.places[0] == seoul_rally.span
    _, demonstration = _event(found, body, "the 18 October demonstration")
    assert demonstration.date == at(found, body, "date", "18 October").span
    assert demonstration.places[0] == at(found, body, "place", "Seoul", 4).span
    _, strikes = _event(found, body, "the strikes of tram and textile workers")
    assert strikes.date is None  # the 18 October belongs to the demonstration
    _, registered = _event(found, body, "registered")
    assert registered.sentence is not None and not registered.planned


@pytest.mark.parametrize(
    ("text", "fields", "subject"),
    [
        ("more than 3,000 Communists", {"lower": 3000, "lower_exclusive": True}, "North Korea"),
        ("all five provinces", {"value": 5}, "Party provincial committees"),
        ("14 people", {"value": 14}, "organization bureau"),
        ("three people", {"value": 3}, "control commission"),
        ("more than 2,000 communists", {"lower": 2000, "lower_exclusive": True}, "South Korea"),
        ("six Provincial Committees", {"value": 6}, "Provincial Committees"),
        ("up to 6,000 members", {"upper": 6000}, "Komsomol organizations"),
        ("more than 1,000", {"lower": 1000, "lower_exclusive": True}, "woman's organization"),
        ("about 10,000", {"value": 10000, "approximate": True}, "Democratic Party"),
    ],
)
def test_counts_have_values_and_subjects(seed, text, fields, subject):
    body, found = seed
    count = at(found, body, "count", text).count
    for key, value in fields.items():
        assert getattr(count, key) == value, key
    assert count.subject is not None
    assert body[count.subject[0] : count.subject[1]] == subject


def test_the_southern_party_count_is_about_the_democratic_party_named_before(seed):
    body, found = seed
    count = at(found, body, "count", "about 10,000").count
    southern = at(found, body, "group", "Democratic Party", 2)
    assert count.subject == southern.span
    assert count.unit == "members"
    participants = at(found, body, "count", "65 senior communists").count
    assert participants.value == 65 and participants.unit == "persons"
    assert body[participants.subject[0] : participants.subject[1]].startswith("a meeting")
