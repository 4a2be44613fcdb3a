"""Resolving the seed: curated entities, namesakes told apart, one URI per person."""

from pathlib import Path

import pytest

from fixtures.resolve.records import SEED_KEY, other_record, seed_mentions, seed_record
from lodpub.resolve import Authority, Resolution, resolve
from lodpub.uris import Uris

AUTHORITY = Path(__file__).parents[1] / "authority" / "authority.toml"
U = Uris()


@pytest.fixture(scope="module")
def authority() -> Authority:
    return Authority.load(AUTHORITY)


@pytest.fixture(scope="module")
def resolution(authority) -> Resolution:
    record = seed_record()
    return resolve(record, seed_mentions(record), authority, U)


def links_of(resolution: Resolution, text: str) -> list:
    found = [link for link in resolution.links if link.mention.text == text]
    assert found, text
    return found


def entity_at(resolution: Resolution, phrase: str, text: str) -> str:
    """The entity of the mention `text` inside the first occurrence of `phrase`."""
    at = resolution.record.body.index(phrase) + phrase.index(text)
    return next(link.entity for link in resolution.links if link.mention.start == at)


def test_every_name_mention_gets_one_link(resolution):
    names = [m for m in resolution.mentions if m.kind in ("person", "group", "place")]
    assert [link.mention for link in resolution.links] == names
    assert all(link.entity in resolution.entities for link in resolution.links)
    assert all(0 < link.score <= 1 for link in resolution.links)


def test_the_two_democratic_parties_are_different_curated_groups(resolution):
    north = entity_at(resolution, "a Democratic Party is at the stage", "Democratic Party")
    south = entity_at(resolution, "the strongest party is the Democratic Party", "Democratic Party")
    assert north == U.thing("group", "democratic-party-north")
    assert south == U.thing("group", "korea-democratic-party-south")
    assert resolution.entities[north].reviewed and resolution.entities[south].reviewed


def test_the_so_called_democratic_party_in_the_south_is_the_southern_one(resolution):
    link = next(lk for lk in resolution.links if lk.mention.text == "democratic party")
    assert link.entity == U.thing("group", "korea-democratic-party-south")
    assert link.method == "context"
    south = entity_at(resolution, "the strongest party is the Democratic Party", "Democratic Party")
    assert link.score < next(lk.score for lk in resolution.links if lk.entity == south)


def test_a_democratic_party_without_context_is_not_guessed(resolution):
    at = entity_at(resolution, "the Communist Party, the Democratic Party,", "Democratic Party")
    assert at == U.thing("group", f"democratic-party-{SEED_KEY}")
    entity = resolution.entities[at]
    assert not entity.reviewed
    assert "Democratic Party (North Korea, 1945)" in entity.description
    assert [m.text for m in resolution.unresolved] == ["Democratic Party"]


def test_kim_il_sung_in_every_spelling_is_one_entity(resolution):
    uris = {link.entity for link in links_of(resolution, "KIM IL SUNG")}
    uris |= {link.entity for link in links_of(resolution, "Kim Il Sung")}
    assert uris == {U.thing("person", "kim-il-sung")}


def test_pak_heon_yeong_and_pak_hon_yong_are_one_entity(resolution):
    uris = {link.entity for link in links_of(resolution, "Pak Heon-yeong")}
    variant = links_of(resolution, "Pak Hon Yong")
    assert uris == {link.entity for link in variant} == {U.thing("person", "pak-heon-yeong")}
    assert variant[0].method == "variant"
    assert "Pak Hon Yong" in resolution.entities[U.thing("person", "pak-heon-yeong")].variants


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Kim Yong Bom", "kim-yong-beom"),
        ("O Ki Sop", "o-gi-seop"),
        ("Ri Yong", "ri-yeong"),
        ("Choe Ik Han", "choe-ik-han"),
        ("Jong Baek", "jeong-baek"),
        ("Kanko", "hamgyeong"),
    ],
)
def test_bracketed_romanizations_join_their_name(resolution, text, slug):
    link = links_of(resolution, text)[0]
    assert link.method == "variant"
    assert link.entity.endswith(f"/{slug}")


def test_the_korean_workers_party_cc_is_the_kcp_cc(resolution):
    [link] = links_of(resolution, "CC of the Korean Workers Party in Seoul")
    assert link.entity == U.thing("group", "kcp-central-committee")


def test_organization_committee_is_the_organization_bureau(resolution):
    bureau = U.thing("group", "kcp-organization-bureau")
    assert {lk.entity for lk in links_of(resolution, "organization committee")} == {bureau}
    assert {lk.entity for lk in links_of(resolution, "Organization Bureau")} == {bureau}


def test_short_forms_join_the_entity_named_before(resolution):
    cc = links_of(resolution, "CC")
    assert {lk.entity for lk in cc} == {U.thing("group", "kcp-central-committee")}
    assert {lk.method for lk in cc} == {"coreference"}
    party = entity_at(resolution, "the information of the CC of the Party", "the Party")
    assert party == U.thing("group", "korean-communist-party")


def test_stalin_carries_his_verified_id(resolution):
    [link] = links_of(resolution, "STALIN")
    stalin = resolution.entities[link.entity]
    assert stalin.label == "Joseph Stalin"
    assert [(x.scheme, x.id, x.match) for x in stalin.external] == [("wikidata", "Q855", "exact")]


def test_metadata_agents_resolve_to_curated_groups_and_persons(resolution):
    assert resolution.agents == {
        "translator": U.thing("person", "gary-goldberg"),
        "funder": U.thing("group", "leon-levy-foundation"),
        "publisher": U.thing("group", "history-and-public-policy-program"),
        "archive": U.thing("group", "agshvs-rf"),
    }
    assert all(uri in resolution.entities for uri in resolution.agents.values())
    archive = resolution.entities[resolution.agents["archive"]]
    assert (
        archive.label
        == "Archive of the General Staff of the Armed Forces of the Russian Federation"
    )


def test_an_unknown_group_becomes_a_stable_new_entity(resolution):
    [link] = links_of(resolution, "Communist Party of North Korea")
    assert link.method == "new"
    assert link.entity == U.thing("group", "communist-party-of-north-korea")
    assert not resolution.entities[link.entity].reviewed


def test_order_independence_and_repeatability(authority, resolution):
    record = seed_record()
    other, other_mentions = other_record()
    resolve(other, other_mentions, authority, U)
    again = resolve(record, seed_mentions(record), authority, U)
    assert [(lk.mention.span, lk.entity) for lk in again.links] == [
        (lk.mention.span, lk.entity) for lk in resolution.links
    ]
    assert again.entities == resolution.entities


def test_without_an_authority_every_name_is_new_and_persons_still_merge():
    record = seed_record()
    result = resolve(record, seed_mentions(record), Authority.empty(), U)
    assert not any(e.reviewed for e in result.entities.values())
    assert {lk.entity for lk in links_of(result, "KIM IL SUNG")} == {
        U.thing("person", "kim-il-sung")
    }
    pak = {lk.entity for lk in links_of(result, "Pak Hon Yong")}
    assert pak == {U.thing("person", "pak-heon-yeong")}
    assert "Pak Hon Yong" in result.entities[U.thing("person", "pak-heon-yeong")].variants
