"""A record in another style: unknown persons, "Last, First" tags, curated-slug collisions."""

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from fixtures.resolve.records import find_mentions, other_record
from lodpub.resolve import Authority, fold, resolve
from lodpub.sources.record import Record, Tag
from lodpub.uris import Uris

AUTHORITY = Path(__file__).parents[1] / "authority" / "authority.toml"
U = Uris()


@pytest.fixture(scope="module")
def authority() -> Authority:
    return Authority.load(AUTHORITY)


@pytest.fixture(scope="module")
def resolution(authority):
    record, mentions = other_record()
    return resolve(record, mentions, authority, U)


def link(resolution, text):
    return next(lk for lk in resolution.links if lk.mention.text == text)


def test_last_first_tags_resolve_and_link_their_mentions(resolution):
    dulles = link(resolution, "ALLEN DULLES")
    assert (dulles.entity, dulles.method) == (U.thing("person", "allen-dulles"), "tag")
    eden = link(resolution, "Anthony Eden")
    assert (eden.entity, eden.method) == (U.thing("person", "anthony-eden"), "tag")
    assert resolution.entities[eden.entity].label == "Anthony Eden"
    assert "Eden, Anthony" in resolution.entities[eden.entity].variants


def test_tags_are_subjects_even_when_the_text_never_names_them(resolution):
    assert resolution.subjects == (
        U.thing("person", "allen-dulles"),
        U.thing("person", "anthony-eden"),
        U.thing("place", "geneva"),
        U.thing("person", "harry-s-truman"),
    )
    assert resolution.entities[U.thing("person", "harry-s-truman")].label == "Harry S. Truman"


def test_surnames_alone_join_the_person_named_before(resolution):
    assert link(resolution, "Dulles").entity == U.thing("person", "allen-dulles")
    assert link(resolution, "Eden").entity == U.thing("person", "anthony-eden")
    kim = link(resolution, "Kim")
    assert (kim.entity, kim.method) == (U.thing("person", "kim-gu"), "coreference")


def test_unknown_names_become_unreviewed_entities_with_name_based_uris(resolution):
    for text, uri in [
        ("Maria Kowalska", U.thing("person", "maria-kowalska")),
        ("Sofia", U.thing("place", "sofia")),
        ("Kim Gu", U.thing("person", "kim-gu")),
    ]:
        found = link(resolution, text)
        assert (found.entity, found.method, found.score) == (uri, "new", 0.9)
        assert not resolution.entities[uri].reviewed


def test_a_bracketed_variant_of_a_new_person_becomes_its_variant(resolution):
    assert link(resolution, "Kim Koo").entity == U.thing("person", "kim-gu")
    assert resolution.entities[U.thing("person", "kim-gu")].variants == ("Kim Koo",)


def test_a_name_colliding_with_a_curated_slug_gets_a_hash_suffix(resolution, authority):
    # "Special Brigade" is curated only where its context (Khabarovsk, Kim Il Sung…) occurs.
    assert authority.get("group", "special-brigade") is not None
    digest = hashlib.sha1(fold("Special Brigade", "group").encode()).hexdigest()[:6]
    found = link(resolution, "Special Brigade")
    assert found.entity == U.thing("group", f"special-brigade-{digest}")
    assert found.method == "new"


def test_an_ambiguous_curated_name_gets_a_document_local_entity(resolution):
    found = link(resolution, "Democratic Party")
    assert found.entity == U.thing("group", "democratic-party-memo-1952-0407")
    assert found.score < 0.5
    assert [m.text for m in resolution.unresolved] == ["Democratic Party"]


def test_metadata_translator_in_last_first_form(resolution):
    assert resolution.agents == {"translator": U.thing("person", "john-smith")}
    assert resolution.year == 1952


def test_the_same_name_gives_the_same_uri_in_any_document(authority):
    body_a = "Maria Kowalska spoke in Sofia."
    body_b = "In Sofia, MARIA KOWALSKA and Jan Nowak met the Special Brigade."
    a = Record(source="a", key="a", title="A", body=body_a)
    b = Record(source="b", key="b", title="B", body=body_b)
    mentions_a = find_mentions(
        body_a, [("person", "Maria Kowalska", None), ("place", "Sofia", None)]
    )
    mentions_b = find_mentions(
        body_b,
        [
            ("person", "MARIA KOWALSKA", "Maria Kowalska"),
            ("place", "Sofia", None),
            ("person", "Jan Nowak", None),
            ("group", "Special Brigade", None),
        ],
    )
    first = resolve(a, mentions_a, authority, U)
    second = resolve(b, mentions_b, authority, U)
    assert {lk.entity for lk in first.links} < {lk.entity for lk in second.links}
    alone = resolve(b, mentions_b, authority, U)
    assert [lk.entity for lk in alone.links] == [lk.entity for lk in second.links]


def test_an_agent_tag_without_a_comma_is_looked_up_as_a_group_first(authority):
    record = Record(
        source="t",
        key="t",
        title="T",
        body="Nothing named here.",
        tags=(Tag("agent", "Leon Levy Foundation"), Tag("agent", "Wilson Center")),
    )
    result = resolve(record, (), authority, U)
    assert result.subjects == (
        U.thing("group", "leon-levy-foundation"),
        U.thing("group", "wilson-center"),
    )
    assert result.entities[U.thing("group", "leon-levy-foundation")].reviewed
    assert result.links == () and result.unresolved == ()


def test_a_description_becomes_an_entity_of_this_document_only(resolution):
    found = link(resolution, "trade unions")
    assert found.entity == U.thing("group", "trade-unions-memo-1952-0407")
    assert found.method == "new"
    assert "memo-1952-0407" in resolution.entities[found.entity].description
    assert found.mention not in resolution.unresolved


def test_a_reference_goes_to_the_latest_fitting_entity_nearby(authority):
    body = (
        "In Seoul the Communist Party met. In Pyongyang, besides the Communist Party, "
        "a Democratic Party is registering. This party relies on the clergy. "
        "Its bureau met. The bureau of the party was elected."
    )
    record = Record(source="r", key="r", title="North Korea, 1945", body=body)
    specs = [
        ("group", "Communist Party"),
        ("group", "Democratic Party"),
        ("group", "This party"),
        ("group", "the party"),
    ]
    mentions = find_mentions(body, [(k, t, None) for k, t in specs[:2]]) + find_mentions(
        body, [(k, t, None) for k, t in specs[2:]]
    )
    mentions = tuple(
        replace(m, name=None) if m.text in ("This party", "the party") else m
        for m in sorted(mentions, key=lambda m: m.start)
    )
    result = resolve(record, mentions, authority, U)
    this_party = next(lk for lk in result.links if lk.mention.text == "This party")
    assert this_party.entity == U.thing("group", "democratic-party-north")
    assert this_party.method == "coreference"
    # two sentences on, two parties fit equally and neither is nearby: not guessed
    assert [m.text for m in result.unresolved] == ["the party"]


def test_a_reference_without_an_antecedent_is_unresolved_and_mints_nothing(authority):
    body = "The party met in Seoul."
    record = Record(source="r", key="r", title="T", body=body)
    [mention] = find_mentions(body, [("group", "The party", None)])
    result = resolve(record, (replace(mention, name=None),), authority, U)
    assert result.links == ()
    assert result.entities == {}
    assert [m.text for m in result.unresolved] == ["The party"]
