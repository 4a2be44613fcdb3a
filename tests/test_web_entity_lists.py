"""Entity pages stay bounded for entities mentioned thousands of times, and say how much more
there is: co-mentions counted by texts shared, the first events in date order, the first roles
and introducing documents, passages located by one query."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from ld_servers import BASE, published_store, thing
from lodpub.store.generations import live_generation
from lodpub.web import entity
from lodpub.web.addresses import Addresses
from lodpub.web.app import create_app
from lodpub.web.event import passage_view
from lodpub.web.graph_view import GraphView, node
from lodpub.web.labels import vocabulary
from lodpub.web.live_store import Snapshot, _open_read_only
from lodpub.web.mentions import HAS_BODY, annotated_text, mention_of, mentions_of
from lodpub.web.refs import kind_of
from lodpub.web.settings import Settings

PERSON = thing("person/kim-yong-beom")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("entity-lists")
    settings = Settings(
        store=str(published_store()), base_uri=BASE, dumps_dir=str(folder), page_cache_mb=0
    )
    return create_app(settings)


@pytest.fixture()
def view(app):
    generation = live_generation(published_store())
    assert generation is not None
    with app.test_request_context("/"):
        yield GraphView(
            Snapshot(_open_read_only(Path(generation)), "test"), Addresses(BASE), vocabulary()
        )


def page(app, path: str) -> BeautifulSoup:
    response = app.test_client().get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, path
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_passages_found_by_one_query_are_those_of_each_mention(view):
    iri = thing("person/kim-il-sung")
    annotations = [a.value for a in view.subjects(HAS_BODY, node(iri))]
    assert len(annotations) > 1
    one_by_one = [mention_of(view, a) for a in annotations]
    expected = sorted(
        (passage_view(view, *found) for found in one_by_one if found),
        key=lambda p: (p.href, p.quote),
    )
    found = sorted(
        (passage_view(view, *f) for f in mentions_of(view, annotations, iri)),
        key=lambda p: (p.href, p.quote),
    )
    assert found == expected


def test_a_much_mentioned_entity_counts_what_its_texts_also_mention(view, monkeypatch):
    monkeypatch.setattr(entity, "PARAGRAPH_MENTIONS_MAX", 0)
    monkeypatch.setattr(entity, "CO_LIST", 1000)
    found = entity._co_mentioned(view, PERSON)
    assert found.unit == "text"
    # the texts' references agree with their mentions: every other person, group, place or
    # event marked in a text that marks this person, but for the claims of a document (a
    # role as an event) that its text does not refer to
    texts = {mention_of(view, a.value)[0].iri for a in view.subjects(HAS_BODY, node(PERSON))}
    marked = {
        body
        for text in texts
        for mention in annotated_text(view, text).mentions
        for body in mention.bodies
        if body != PERSON and kind_of(view, body) in entity.CO_MENTIONED
    }
    counted = {iri for iri, _ in found.ranked}
    assert thing("person/o-gi-seop") in counted
    assert counted <= marked
    assert all("/claim/" in iri for iri in marked - counted)
    assert found.total == len(counted)
    assert all(count == len(texts) for _, count in found.ranked)


def test_a_few_times_mentioned_entity_counts_shared_paragraphs(view):
    found = entity._co_mentioned(view, PERSON)
    assert found.unit == "paragraph"
    counts = dict(found.ranked)
    assert counts[thing("person/o-gi-seop")] >= 1
    assert found.total == len(found.ranked)
    ranked = [count for _, count in found.ranked]
    assert ranked == sorted(ranked, reverse=True)


def test_long_lists_show_their_first_items_and_how_many_there_are(app, monkeypatch):
    monkeypatch.setattr(entity, "PARAGRAPH_MENTIONS_MAX", 0)
    monkeypatch.setattr(entity, "CO_LIST", 2)
    monkeypatch.setattr(entity, "LIST_MAX", 1)
    full = page(app, "/page/person/kim-il-sung")
    monkeypatch.setattr(entity, "LIST_MAX", 100)
    shown = page(app, "/page/person/kim-il-sung")
    assert full.select_one("#co-h").get_text() == "Mentioned in the same texts"
    assert len(full.select("ol.co-list li")) == 2
    more = full.select_one("#co-h").find_parent("section").select_one("p.more")
    assert more.get_text(" ", strip=True).startswith("The 2 most shared of ")
    link = urlsplit(more.a["href"])
    assert link.path == "/sparql"
    query = parse_qs(link.query)["query"][0]
    answer = app.test_client().get(
        "/sparql", query_string={"query": query}, headers={"Accept": "application/json"}
    )
    total = int(more.get_text().split(" of ", 1)[1].split(";")[0].replace(",", ""))
    assert len(answer.get_json()["results"]["bindings"]) == total
    every = [a.get_text() for a in shown.select("ol.events a")]
    assert len(every) > 1
    assert [a.get_text() for a in full.select("ol.events a")] == every[:1]
    assert (
        full.select_one("#events-h").find_parent("section").select_one("p.more").get_text()
        == f"The first 1 of {len(every)} events."
    )
