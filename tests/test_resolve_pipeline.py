"""The seed read by lodpub.sources, extracted by lodpub.extract and resolved end to end."""

from pathlib import Path

import pytest

from lodpub.extract import extract
from lodpub.resolve import Authority, resolve
from lodpub.sources import read_path
from lodpub.uris import Uris

ROOT = Path(__file__).parents[1]
U = Uris()


@pytest.fixture(scope="module")
def resolution():
    [record] = read_path(ROOT / "seeds" / "000_3a5edd602105b0b3.txt").records
    return resolve(
        record, extract(record), Authority.load(ROOT / "authority" / "authority.toml"), U
    )


def at(resolution, phrase: str, text: str) -> str:
    start = resolution.record.body.index(phrase) + phrase.index(text)
    return next(lk.entity for lk in resolution.links if lk.mention.start == start)


def test_nothing_found_is_dropped(resolution):
    names = [m for m in resolution.mentions if m.kind in ("person", "group", "place")]
    linked = {lk.mention for lk in resolution.links}
    assert all(m in linked or m in resolution.unresolved for m in names)
    assert all(lk.entity in resolution.entities for lk in resolution.links)


def test_the_two_democratic_parties(resolution):
    assert at(resolution, "a Democratic Party is at", "Democratic Party") == U.thing(
        "group", "democratic-party-north"
    )
    assert at(resolution, "party is the Democratic Party", "Democratic Party") == U.thing(
        "group", "korea-democratic-party-south"
    )
    assert at(resolution, "into a so-called democratic party", "so-called democratic party") == (
        U.thing("group", "korea-democratic-party-south")
    )


def test_one_entity_per_person_whatever_the_spelling(resolution):
    by_entity: dict[str, set[str]] = {}
    for lk in resolution.links:
        by_entity.setdefault(lk.entity, set()).add(lk.mention.text)
    assert {"KIM IL SUNG", "Kim Il Sung"} <= by_entity[U.thing("person", "kim-il-sung")]
    assert {"Pak Heon-yeong", "Pak Hon Yong"} <= by_entity[U.thing("person", "pak-heon-yeong")]


def test_the_anachronistic_workers_party_is_the_kcp(resolution):
    assert at(resolution, "CC of the Korean Workers Party", "Korean Workers Party") == U.thing(
        "group", "korean-communist-party"
    )
    assert at(resolution, "CC of the Korean Workers Party", "CC of the Korean Workers Party") == (
        U.thing("group", "kcp-central-committee")
    )


def test_agents_and_year(resolution):
    assert resolution.agents["translator"] == U.thing("person", "gary-goldberg")
    assert resolution.agents["funder"] == U.thing("group", "leon-levy-foundation")
    assert resolution.agents["archive"] == U.thing("group", "agshvs-rf")
    assert resolution.year == 1945


def test_dated_events_get_date_based_uris(resolution):
    uris = {e.uri: e.label for e in resolution.events}
    assert uris[U.thing("event", "1945-10-20-rally-seoul")] == "Rally in Seoul, 20 October 1945"
    assert (
        uris[U.thing("event", "1945-12-planned-congress-korean-communist-party")]
        == "Planned Congress of the Korean Communist Party, December 1945"
    )
    assert len(uris) == len(resolution.events)
