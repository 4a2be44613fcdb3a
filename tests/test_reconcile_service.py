"""The reconciliation service driven the way OpenRefine drives it, under `lodpub serve`.

OpenRefine reads the manifest, POSTs batches of `queries=`, shows candidates with their
preview (an iframe at the manifest's preview URL), links them through the view template, and
offers the suggest services while the user types. Every response is checked against the
Reconciliation API 0.2 JSON schemas (tests/fixtures/reconcile/schemas).
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
import requests
from bs4 import BeautifulSoup

from ld_servers import BASE, SCRIPT, thing
from reconcile_support import check, served

PERSON = "http://www.cidoc-crm.org/cidoc-crm/E21_Person"
GROUP = "http://www.cidoc-crm.org/cidoc-crm/E74_Group"
PLACE = "http://www.cidoc-crm.org/cidoc-crm/E53_Place"
SUGGEST_SCHEMAS = {
    "entity": "suggest-entities-response",
    "type": "suggest-types-response",
    "property": "suggest-properties-response",
}


@pytest.fixture(scope="module")
def site():
    with served() as url:
        yield url


@pytest.fixture(scope="module")
def manifest(site):
    response = requests.get(f"{site}/reconcile", timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    return response.json()


def reconcile(site: str, queries: dict, method: str = "POST") -> dict:
    """Send a batch as OpenRefine does (form field `queries`), checked against the schemas."""
    check("reconciliation-query-batch", queries)
    body = {"queries": json.dumps(queries)}
    if method == "POST":
        response = requests.post(f"{site}/reconcile", data=body, timeout=30)
    else:
        response = requests.get(f"{site}/reconcile", params=body, timeout=30)
    assert response.status_code == 200, response.text
    results = response.json()
    check("reconciliation-result-batch", results)
    assert set(results) == set(queries)
    return results


def template(url: str, entity_id: str) -> str:
    return url.replace("{{id}}", quote(entity_id, safe=""))  # encodeURIComponent


def test_the_manifest_announces_every_service(manifest, site):
    check("manifest", manifest)
    assert manifest["versions"] == ["0.2"]
    assert manifest["identifierSpace"] == f"{BASE}/id/"
    assert [t["id"] for t in manifest["defaultTypes"]] == [
        PERSON,
        GROUP,
        PLACE,
        "http://www.cidoc-crm.org/cidoc-crm/E5_Event",
    ]
    assert [t["name"] for t in manifest["defaultTypes"]] == ["Person", "Group", "Place", "Event"]
    # Absolute URLs on the host the client used, not the base URI's host.
    for service in manifest["suggest"].values():
        assert service["service_url"] == f"{site}/reconcile"
    assert manifest["preview"]["url"].startswith(f"{site}/reconcile/preview?id=")


def test_every_form_of_a_name_finds_the_same_person(site):
    forms = ["Pak Hon Yong", "PAK HEON-YEONG", "Pak, Heon-yeong", "Pak Hŏn-yŏng", "pak heonyeong"]
    results = reconcile(site, {f"q{n}": {"query": form} for n, form in enumerate(forms)})
    for key, result in results.items():
        top = result["result"][0]
        assert top["id"] == thing("person/pak-heon-yeong"), key
        assert top["name"] == "Pak Heon-yeong"
        assert top["match"] is True
        assert top["type"][0] == {"id": PERSON, "name": "Person"}
        assert "Secretary of the Central Committee" in top["description"]


def test_a_shared_name_gives_both_parties_told_apart_and_no_match(site):
    result = reconcile(site, {"q0": {"query": "Democratic Party", "type": GROUP}})["q0"]["result"]
    by_id = {c["id"]: c for c in result}
    north, south = (
        thing("group/democratic-party-north"),
        thing("group/korea-democratic-party-south"),
    )
    assert {north, south} <= set(by_id)
    assert [c["id"] for c in result[:2]] in ([north, south], [south, north])
    assert by_id[north]["description"] != by_id[south]["description"]
    assert "Soviet zone" in by_id[north]["description"]
    assert "US zone" in by_id[south]["description"]
    assert not any(c["match"] for c in result)


def test_get_answers_like_post(site):
    queries = {"a": {"query": "Keijo"}, "b": {"query": "Rhee, Syngman", "limit": 1}}
    assert reconcile(site, queries, "GET") == reconcile(site, queries, "POST")


def test_types_limit_and_names_we_do_not_hold(site):
    results = reconcile(
        site,
        {
            "wrong-type": {"query": "Seoul", "type": PERSON},
            "crm-prefixed": {"query": "Seoul", "type": "crm:E53_Place"},
            "kind-word": {"query": "Seoul", "type": ["person", "place"], "type_strict": "any"},
            "superclass": {"query": "Syngman Rhee", "type": "E39_Actor"},
            "limited": {"query": "Korea", "limit": 1},
            "not-held": {"query": "Heijo"},
            "typo": {"query": "Khabarovks"},
        },
    )
    assert results["wrong-type"]["result"] == []
    assert results["crm-prefixed"]["result"][0]["id"] == thing("place/seoul")
    assert results["kind-word"]["result"][0]["id"] == thing("place/seoul")
    assert results["superclass"]["result"][0]["id"] == thing("person/syngman-rhee")
    assert len(results["limited"]["result"]) == 1
    # "Heijo" (Pyongyang) is one letter from "Keijo" (Seoul): short names get no typo matches.
    assert results["not-held"]["result"] == []
    typo = results["typo"]["result"][0]
    assert typo["id"] == thing("place/khabarovsk") and typo["match"] is False


def test_property_constraints_pick_and_refuse(site):
    kcp = thing("group/korean-communist-party")
    results = reconcile(
        site,
        {
            "within": {"query": "Seoul", "properties": [{"pid": "falls_within", "v": "Korea"}]},
            "not-within": {
                "query": "Seoul",
                "properties": [{"pid": "falls_within", "v": "Soviet Union"}],
            },
            "member-by-id": {
                "query": "Pak Heon-yeong",
                "properties": [{"pid": "member_of", "v": {"id": kcp, "name": "KCP"}}],
            },
            "identifier": {"query": "Stalin", "properties": [{"pid": "external_id", "v": "Q855"}]},
            "only-properties": {
                "type": PERSON,
                "properties": [{"pid": "member_of", "v": [{"id": kcp}, "Ri Yeong group"]}],
            },
        },
    )
    assert results["within"]["result"][0]["match"] is True
    assert results["not-within"]["result"] == []
    # Pak is in the Central Committee, which is in the party: membership is followed upwards.
    assert results["member-by-id"]["result"][0]["id"] == thing("person/pak-heon-yeong")
    assert results["member-by-id"]["result"][0]["match"] is True
    assert results["identifier"]["result"][0]["id"] == thing("person/joseph-stalin")
    found = {c["id"] for c in results["only-properties"]["result"]}
    assert found >= {thing("person/pak-heon-yeong"), thing("person/ri-yeong")}
    assert not any(c["match"] for c in results["only-properties"]["result"])


def test_an_identifier_as_query_returns_its_entity(site):
    results = reconcile(
        site,
        {
            "own": {"query": thing("person/kim-il-sung")},
            "merged": {"query": thing("person/kim-ir-sen")},
        },
    )
    for key in ("own", "merged"):
        top = results[key]["result"][0]
        assert top["id"] == thing("person/kim-il-sung") and top["match"] is True


def test_preview_and_view_follow_the_manifest_templates(site, manifest):
    top = reconcile(site, {"q": {"query": "Kim Il Sung"}})["q"]["result"][0]
    response = requests.get(template(manifest["preview"]["url"], top["id"]), timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    card = BeautifulSoup(response.text, "html.parser")
    assert card.h1.get_text() == "Kim Il Sung"
    assert "Korean partisan commander" in card.select_one(".description").get_text()
    assert "Kim Ir Sen" in card.select_one(".names").get_text()
    assert not card.find_all("script")
    view = requests.get(template(manifest["view"]["url"], top["id"]), allow_redirects=False)
    assert view.status_code == 303
    assert view.headers["Location"] == f"{site}/page/person/kim-il-sung"
    assert requests.get(view.headers["Location"], timeout=30).status_code == 200


def test_the_preview_shows_markup_in_names_as_text(site, manifest):
    hostile = thing("person/script-alert-1-script-person-hostile-record")
    response = requests.get(template(manifest["preview"]["url"], hostile), timeout=30)
    card = BeautifulSoup(response.text, "html.parser")
    assert not card.find_all("script") and not card.find_all("img")
    assert SCRIPT in card.h1.get_text()


def test_suggest_services_complete_what_is_typed(site, manifest):
    def suggest(kind: str, **params: str) -> list[dict]:
        service = manifest["suggest"][kind]
        response = requests.get(
            service["service_url"] + service["service_path"], params=params, timeout=30
        )
        assert response.status_code == 200
        body = response.json()
        check(SUGGEST_SCHEMAS[kind], body)
        return body["result"]

    entities = suggest("entity", prefix="pak he")
    assert entities[0]["id"] == thing("person/pak-heon-yeong")
    assert entities[0]["notable"] == [{"id": PERSON, "name": "Person"}]
    assert suggest("entity", prefix="Keij")[0]["id"] == thing("place/seoul")
    assert suggest("entity", prefix=thing("place/seoul"))[0]["name"] == "Seoul"
    assert all(e["notable"][0]["id"] == PLACE for e in suggest("entity", prefix="k", type="place"))
    first = suggest("entity", prefix="k")
    second = suggest("entity", prefix="k", cursor="10")
    assert len(first) == 10 and not {e["id"] for e in first} & {e["id"] for e in second}
    assert [t["name"] for t in suggest("type", prefix="pl")] == ["Place"]
    assert len(suggest("type", prefix="")) == 4
    assert [p["id"] for p in suggest("property", prefix="fall")] == ["falls_within"]
    assert "falls_within" not in {p["id"] for p in suggest("property", prefix="", type=PERSON)}


@pytest.mark.parametrize(
    ("params", "status", "named"),
    [
        ({"queries": "{not json"}, 400, "queries: not JSON"),
        ({"queries": "[]"}, 400, "JSON object"),
        ({"queries": '{"q0": {"query": "x", "typ": "person"}}'}, 400, "q0: unknown field 'typ'"),
        ({"queries": '{"q0": {"query": "x", "type": "E999_Nothing"}}'}, 400, "q0.type"),
        ({"queries": '{"q0": {"query": "x", "limit": 0}}'}, 400, "q0.limit"),
        ({"queries": '{"q0": {"query": ""}}'}, 400, "q0.query"),
        ({"queries": '{"q0": {"type": "person"}}'}, 400, "q0: needs a query or properties"),
        (
            {"queries": '{"q0": {"query": "x", "properties": [{"pid": "born", "v": "x"}]}}'},
            400,
            "q0.properties[0].pid",
        ),
        ({"queries": json.dumps({f"q{n}": {"query": "x"} for n in range(101)})}, 413, "at most"),
    ],
)
def test_bad_batches_are_refused_naming_the_field(site, params, status, named):
    response = requests.post(f"{site}/reconcile", data=params, timeout=30)
    assert response.status_code == status
    assert named in response.json()["error"]


def test_other_bad_requests_name_their_parameter(site):
    cases = [
        ("post", "/reconcile", {}, 400, "queries"),
        ("get", "/reconcile/preview", {"id": thing("person/nobody")}, 404, "id"),
        ("get", "/reconcile/view", {}, 400, "id"),
        ("get", "/reconcile/suggest/entity", {"prefix": "x", "cursor": "-1"}, 400, "cursor"),
        ("get", "/reconcile/suggest/property", {"type": "nonsense"}, 400, "type"),
        ("get", "/reconcile", {"extend": "{}"}, 400, "extend"),
    ]
    for method, path, params, status, named in cases:
        send = requests.post if method == "post" else requests.get
        key = "data" if method == "post" else "params"
        response = send(f"{site}{path}", timeout=30, **{key: params})
        assert response.status_code == status, path
        assert response.json()["error"].startswith(named), path


def test_cross_origin_clients_may_call_every_endpoint(site):
    origin = {"Origin": "https://openrefine.example"}
    for path in (
        "/reconcile",
        "/reconcile/suggest/entity?prefix=kim",
        "/reconcile/preview?id=" + quote(thing("place/seoul"), safe=""),
        "/lookup?q=kim",
        "/openapi.json",
    ):
        response = requests.get(site + path, headers=origin, timeout=30)
        assert response.headers["Access-Control-Allow-Origin"] == "*", path
    preflight = requests.options(
        f"{site}/reconcile",
        headers={**origin, "Access-Control-Request-Method": "POST"},
        timeout=30,
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
