"""`/lookup`, the search page and `/openapi.json`: one matcher for humans and machines."""

from __future__ import annotations

import pytest
import requests

from ld_servers import BASE, ld_server, published_store, thing
from lodpub.web import Settings, create_app


@pytest.fixture(scope="module")
def site():
    with ld_server() as url:
        yield url


def lookup(site: str, **params: object) -> requests.Response:
    return requests.get(f"{site}/lookup", params=params, timeout=30)


def test_lookup_folds_names_like_reconciliation(site):
    for name in ("Rhee, Syngman", "SYNGMAN RHEE", "Yi Seung-man", "Dr. Syngman Rhee"):
        body = lookup(site, q=name).json()
        top = body["results"][0]
        assert top["id"] == thing("person/syngman-rhee"), name
        assert top["match"] is True and top["kind"] == "person"
        assert top["page"] == f"{site}/page/person/syngman-rhee"
    assert lookup(site, q="Pak Hon Yong").json()["results"][0]["matched_name"] == "Pak Hon Yong"


def test_lookup_completes_a_word_being_typed_and_filters_by_type(site):
    body = lookup(site, q="pak he").json()
    assert body["results"][0]["id"] == thing("person/pak-heon-yeong")
    places = lookup(site, q="korea", type="place", limit=50).json()["results"]
    assert places and {r["kind"] for r in places} == {"place"}
    both = lookup(site, q="korea", type=["place", "group"], limit=50).json()["results"]
    assert {r["kind"] for r in both} == {"place", "group"}
    assert lookup(site, q="zzyzx").json()["results"] == []


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({}, "q: missing"),
        ({"q": "x" * 201}, "q: at most 200"),
        ({"q": "kim", "limit": "0"}, "limit"),
        ({"q": "kim", "type": "planet"}, "type: unknown type 'planet'"),
    ],
)
def test_bad_lookups_name_their_parameter(site, params, named):
    response = lookup(site, **params)
    assert response.status_code == 400
    assert response.json()["error"].startswith(named)


def test_the_search_page_finds_names_with_the_matcher(site):
    # The old substring scan found none of these: a comma, another word order, no hyphen.
    for query, expected in (
        ("Rhee, Syngman", "person/syngman-rhee"),
        ("Yong-beom Kim", "person/kim-yong-beom"),
        ("Pak Heonyeong", "person/pak-heon-yeong"),
    ):
        body = requests.get(f"{site}/search.json", params={"q": query}, timeout=30).json()
        assert body["entities"][0]["iri"] == thing(expected), query
        assert body["totals"]["entity"] >= 1
    body = requests.get(f"{site}/search.json", params={"q": "Pak Hon Yong"}, timeout=30).json()
    marked = [text for text, match in body["entities"][0]["snippet"] if match]
    assert marked == ["Pak", "Hon", "Yong"]


def test_openapi_describes_exactly_the_routes_it_names(site):
    response = requests.get(f"{site}/openapi.json", timeout=30)
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    assert document["servers"] == [{"url": site}]
    areas = ("/reconcile", "/lookup", "/openapi")
    paths = {path for path in document["paths"] if path.startswith(areas)}
    app = create_app(Settings(store=str(published_store()), base_uri=BASE))
    served = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith(areas)}
    assert served == paths
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation["responses"], (path, method)
            for response_spec in operation["responses"].values():
                schema = response_spec.get("content", {}).get("application/json", {}).get("schema")
                if schema and "$ref" in schema and schema["$ref"].startswith("#/"):
                    name = schema["$ref"].rsplit("/", 1)[-1]
                    assert name in document["components"]["schemas"]
