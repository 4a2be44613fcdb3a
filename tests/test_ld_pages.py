"""The HTML pages people read, checked with selectors against a running server."""

from __future__ import annotations

import json

import pytest
import requests
from bs4 import BeautifulSoup

from ld_servers import EVENTS_KEY, SEED_KEY, ld_server, thing


@pytest.fixture(scope="module")
def site(backend):
    with ld_server(backend) as url:
        yield url


def soup(url: str) -> BeautifulSoup:
    response = requests.get(url, headers={"Accept": "text/html"}, timeout=60)
    assert response.status_code == 200, url
    return BeautifulSoup(response.text, "html.parser")


def field(page: BeautifulSoup, label: str) -> str:
    for dt in page.select("dl.fields dt"):
        if dt.get_text(strip=True) == label:
            return dt.find_next_sibling("dd").get_text(" ", strip=True)
    raise AssertionError(f"no field {label!r}")


def test_a_resource_page_shows_labels_never_bare_uris(site):
    page = soup(f"{site}/page/person/joseph-stalin")
    assert page.title.get_text().startswith("Joseph Stalin")
    assert page.h1.get_text(strip=True) == "Joseph Stalin"
    assert "Person" in page.select_one(".kinds").get_text()
    labels = [dt.get_text(strip=True) for dt in page.select("dl.statements dt")]
    assert labels[:2] == ["type", "label"]
    assert "is identified by" in labels
    assert not any(label.startswith("http") for label in labels)
    for link in page.select("dl.statements dd a"):
        if link["href"].startswith("/page/"):
            assert not link.get_text().startswith("http"), link


def test_incoming_links_are_grouped_by_property_with_counts(site):
    page = soup(f"{site}/page/person/kim-il-sung")
    groups = {h.get_text(" ", strip=True) for h in page.select("section.incoming h3")}
    assert any(g.startswith("is body of (") for g in groups)
    assert any(g.startswith("is referred to by (") for g in groups)


def test_every_page_embeds_schema_org_json_ld(site):
    for path, kind in [
        ("person/kim-il-sung", "Person"),
        ("group/korean-communist-party", "Organization"),
        ("place/seoul", "Place"),
        (f"document/{SEED_KEY}", "ArchiveComponent"),
        ("event/1945-10-20-seoul-rally", "Event"),
    ]:
        page = soup(f"{site}/page/{path}")
        data = json.loads(page.select_one('script[type="application/ld+json"]').string)
        assert data["@type"] == kind
        assert data["@id"] == thing(path)
    stalin = json.loads(
        soup(f"{site}/page/person/joseph-stalin")
        .select_one('script[type="application/ld+json"]')
        .string
    )
    assert stalin["sameAs"] == ["http://www.wikidata.org/entity/Q855"]


def test_the_document_page_has_its_record(site):
    page = soup(f"{site}/page/document/{SEED_KEY}")
    assert field(page, "Title") == "Soviet Report on Communists in Korea, 1945"
    assert field(page, "Translator") == "Gary Goldberg"
    assert field(page, "Funded by") == "Leon Levy Foundation"
    assert "History and Public Policy Program" in field(page, "Rights")
    citation = field(page, "Archival reference")
    assert citation.startswith("AGShVS RF. F. 172")
    parts = [th.get_text(strip=True) for th in page.select("table.parts th")]
    assert len(parts) >= 4
    assert page.select_one("section.summary p").get_text().startswith("Soviet officers provide")


def test_the_document_text_marks_and_links_every_mention(site):
    page = soup(f"{site}/page/document/{SEED_KEY}")
    text = page.select_one(".document-text")
    assert "In addition to the report I submitted previously" in text.get_text()
    persons = text.select("span.mention.person a")
    assert {a["href"] for a in persons} >= {
        "/page/person/kim-il-sung",
        "/page/person/pak-heon-yeong",
        "/page/person/kim-yong-beom",
    }
    anchors = {span["id"] for span in text.select("span.mention[id]")}
    assert len(anchors) > 100
    notes = text.select("span.mention.note")
    assert any("Translator's note" in n.get_text() for n in notes)
    listed = page.select("section.notes li")
    assert any("translator's note" in li.get_text() for li in listed)
    for li in listed:
        target = li.a["href"].lstrip("#")
        assert target in anchors


def test_the_document_side_lists_entities_by_kind(site):
    page = soup(f"{site}/page/document/{SEED_KEY}")
    side = page.select_one("aside.document-side")
    headings = [h.get_text(" ", strip=True).split(" (")[0] for h in side.select("h3")]
    assert headings[:3] == ["People", "Groups", "Places"]
    people = [a.get_text() for a in side.select("a.ref.person")]
    assert "Kim Il Sung" in people and "Pak Heon-yeong" in people


def test_a_person_page_shows_names_passages_and_co_mentions(site):
    page = soup(f"{site}/page/person/kim-yong-beom")
    names = [li.select_one(".name").get_text() for li in page.select("ul.names li")]
    assert names[0] == "Kim Yong-beom"
    assert "Kim Yong Bom" in names
    passages = page.select("blockquote.passage")
    assert passages
    quote = passages[0].mark.get_text()
    link = passages[0].select_one("footer a")["href"]
    assert link.startswith(f"/page/document/{SEED_KEY}#m-")
    document = soup(site + link.split("#")[0])
    span = document.find(id=link.split("#")[1])
    assert span.get_text().startswith(quote)
    co = [a.get_text() for a in page.select("ol.co-list a")]
    assert "O Gi-seop" in co
    svg = page.select_one("figure.network svg")
    assert svg["role"] == "img" and svg.title.get_text()
    member_of = field(page, "Member of")
    assert "Organization Bureau" in member_of


def test_a_person_page_lists_events_in_date_order_and_external_links(site):
    page = soup(f"{site}/page/person/kim-il-sung")
    events = [a.get_text() for a in page.select("ol.events a")]
    assert "Meeting with the Organization Bureau" in events
    stalin = soup(f"{site}/page/person/joseph-stalin")
    links = {a["href"]: a.get_text(" ", strip=True) for a in stalin.select("aside a[rel=external]")}
    assert links["http://www.wikidata.org/entity/Q855"] == "Wikidata Q855"


def test_a_group_page_shows_its_members(site):
    page = soup(f"{site}/page/group/kcp-organization-bureau")
    members = field(page, "Members")
    assert "Kim Yong-beom" in members and "O Gi-seop" in members


def test_an_event_page_shows_date_place_and_participants(site):
    page = soup(f"{site}/page/event/1945-10-20-seoul-rally")
    assert field(page, "When").startswith("20 October 1945")
    assert field(page, "Where") == "Seoul"
    assert "Syngman Rhee" in field(page, "Who")
    assert page.select_one("blockquote.passage mark").get_text() == "rally"
    plan = soup(f"{site}/page/event/1945-12-kcp-congress")
    assert "A plan" in plan.select_one(".status").get_text()
    assert field(plan, "When").startswith("December 1945")
    assert "Korean Communist Party" in field(plan, "Who")


def test_the_timeline_lists_dated_events_in_order(site):
    page = soup(f"{site}/timeline")
    dates = [li.select_one(".date").get_text() for li in page.select("ol.events li")]
    labels = [li.a.get_text() for li in page.select("ol.events li")]
    assert "Rally in Seoul for Syngman Rhee" in labels
    assert labels.index("Meeting with the Organization Bureau") < labels.index(
        "Rally in Seoul for Syngman Rhee"
    )
    assert dates
    assert page.select("figure.timeline-axis svg a")


def test_the_home_page_has_counts_recent_documents_search_and_ways_in(site):
    page = soup(f"{site}/")
    counts = {
        li.select_one(".what").get_text(): int(li.select_one(".number").get_text())
        for li in page.select("ul.counts li")
    }
    assert counts["Documents"] == 4
    assert counts["People"] >= 11
    recent = [a["href"] for a in page.select("ol.recent a")]
    assert recent[0] in (f"/page/document/{EVENTS_KEY}", "/page/document/hostile-record")
    assert page.select_one("form[role=search] input[name=q]")
    hrefs = {a["href"] for a in page.select("a")}
    assert {"/sparql", "/dumps/", "/.well-known/void"} <= hrefs


def test_kind_indexes_list_their_things(site):
    page = soup(f"{site}/index/person")
    assert "Kim Il Sung" in [a.get_text() for a in page.select("ul.index-list a")]
    assert requests.get(f"{site}/index/event.ttl", timeout=30).status_code == 200


def test_pages_have_landmarks_and_readable_structure(site):
    for path in ["/", f"/page/document/{SEED_KEY}", "/page/person/kim-il-sung", "/timeline"]:
        page = soup(site + path)
        assert page.html["lang"] == "en"
        assert page.select_one("header nav[aria-label]")
        assert page.select_one("main#main")
        assert page.select_one("footer")
        assert page.select_one("a.skip-link")["href"] == "#main"
        assert len(page.select("h1")) == 1
        assert all(img.get("alt") for img in page.select("img"))
        for svg in page.select("svg"):
            assert svg.get("role") == "img" and svg.title
        assert page.select_one("link[rel=stylesheet]")["href"] == "/static/lodpub.css"
        assert not page.select('link[href^="http"], script[src^="http"]')


def test_search_finds_text_and_names_with_snippets(site):
    page = soup(f"{site}/search?q=Pak+Heon-yeong")
    documents = page.select("section[aria-labelledby=docs-h] ol.hits li")
    assert documents[0].a.get_text() == "Soviet Report on Communists in Korea, 1945"
    marked = {m.get_text().lower() for m in documents[0].select(".snippet mark")}
    assert marked >= {"pak", "heon-yeong"}
    names = [a.get_text() for a in page.select("section[aria-labelledby=names-h] ol.hits a")]
    assert names[0] == "Pak Heon-yeong"
    data = requests.get(f"{site}/search.json?q=seoul rally", timeout=30).json()
    assert data["terms"] == ["seoul", "rally"]
    assert any(d["iri"] == thing(f"document/{EVENTS_KEY}") for d in data["documents"])


def test_search_is_bounded(site):
    response = requests.get(f"{site}/search?q=" + "a" * 201, timeout=30)
    assert response.status_code == 400
    assert "200 characters" in response.text
    response = requests.get(f"{site}/search.json?q=" + "+".join("abcdefghi"), timeout=30)
    assert response.status_code == 400
    nothing = requests.get(f"{site}/search.json?q=zzyzx", timeout=30).json()
    assert nothing["totals"] == {"document": 0, "entity": 0}
