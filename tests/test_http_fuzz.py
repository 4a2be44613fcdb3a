"""/openapi.json describes every route, and generated requests over that description, sent to
`lodpub serve` (gunicorn) on the test store, never get a 5xx and every 4xx says what was wrong."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ld_servers import BASE, published_store
from lodpub.web import Settings, create_app
from sparql_servers import lodpub_serve

METHODS = ("get", "post")
HOSTILE = [
    "",
    " ",
    "..",
    "../../etc/passwd",
    "%",
    "%zz",
    "%00",
    "\x00",
    "\r\nSet-Cookie: x=1",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'",
    "\\",
    "person/kim-il-sung",
    "document/3a5edd602105b0b3",
    "http://lodpub.example.org/id/person/kim-il-sung",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
    "ASK {}",
    "{",
    "[]",
    '[{"query": "x"}]',
    '{"q0": {"query": "Kim"}}',
    "-1",
    "0",
    "99999999999999999999",
    "ttl",
    "json",
    "\ud7ff\ufffd\U0001f600",
    "é" * 300,
]
ACCEPTS = [
    None,
    "*/*",
    "text/html",
    "text/turtle",
    "application/ld+json",
    "application/sparql-results+json",
    "image/png",
    "text/html;q=abc",
    "*/*;q=0",
    ";;;,,,",
    ",".join(f"type{n}/sub{n};q=0.{n % 10}" for n in range(500)),
]


@pytest.fixture(scope="module")
def server() -> str:
    with lodpub_serve(published_store(), "--base-uri", BASE) as endpoint:
        yield endpoint.removesuffix("/sparql")


@pytest.fixture(scope="module")
def description(server) -> dict:
    response = requests.get(server + "/openapi.json", timeout=30)
    assert response.status_code == 200
    return response.json()


def rule_path(rule: str) -> str:
    """A werkzeug rule as an OpenAPI path: /id/<path:rest> → /id/{rest}."""
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def app_routes() -> set[tuple[str, str]]:
    app = create_app(Settings(store=str(published_store()), base_uri=BASE))
    return {
        (rule_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def operations(description: dict) -> set[tuple[str, str]]:
    return {
        (path, method)
        for path, item in description["paths"].items()
        for method in item
        if method in METHODS
    }


def test_openapi_describes_every_route_and_nothing_else(description):
    assert operations(description) == app_routes()


def test_every_path_parameter_and_response_is_described(description):
    for path, item in description["paths"].items():
        for method, operation in item.items():
            named = {p["name"] for p in operation.get("parameters", ()) if p["in"] == "path"}
            assert named == set(re.findall(r"{([a-z_]+)}", path)), (path, method)
            assert operation["responses"], (path, method)
            for status, response in operation["responses"].items():
                assert response["description"], (path, method, status)
                if status.startswith(("4", "5")):
                    assert response.get("content"), f"{method} {path} {status}: no error body"


def test_description_is_valid_openapi_31(description):
    from jsonschema import Draft202012Validator

    assert description["openapi"].startswith("3.1")
    for _path, item in description["paths"].items():
        for operation in item.values():
            for parameter in operation.get("parameters", ()):
                Draft202012Validator.check_schema(parameter["schema"])
    for schema in description["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


# ---- generated requests


def value_for(schema: dict) -> st.SearchStrategy:
    """Valid and invalid values for a parameter schema, as text to put in a URL."""
    hostile = st.sampled_from(HOSTILE)
    if "enum" in schema:
        return st.one_of(st.sampled_from([str(v) for v in schema["enum"]]), hostile)
    if schema.get("type") == "integer":
        return st.one_of(st.integers(-5, 10**6).map(str), hostile)
    return st.one_of(hostile, st.text(max_size=40))


@st.composite
def request_for(draw, path: str, method: str, operation: dict) -> dict:
    url = path
    query: list[tuple[str, str]] = []
    for parameter in operation.get("parameters", ()):
        schema = parameter["schema"]
        if parameter["in"] == "path":
            value = draw(value_for(schema))
            safe = "/" if parameter["name"] in ("rest",) else ""
            url = url.replace("{" + parameter["name"] + "}", quote(value, safe=safe))
        elif parameter.get("required") or draw(st.booleans()):
            items = schema.get("items", schema)
            count = draw(st.integers(1, 3)) if schema.get("type") == "array" else 1
            query.extend((parameter["name"], draw(value_for(items))) for _ in range(count))
    if query:
        url += "?" + "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in query)
    headers = {}
    if (accept := draw(st.sampled_from(ACCEPTS))) is not None:
        headers["Accept"] = accept
    body = None
    if method == "post":
        content = operation["requestBody"]["content"]
        media = draw(st.sampled_from(sorted(content)))
        fields = content[media]["schema"].get("properties")
        text = draw(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=60)))
        if fields:
            name = draw(st.sampled_from(sorted(fields)))
            body = f"{quote(name)}={quote(text, safe='')}".encode()
        else:
            body = text.encode("utf-8", "surrogatepass")
        headers["Content-Type"] = media
    return {"method": method.upper(), "url": url, "headers": headers, "data": body}


def plain(text: str) -> str:
    """The words of a body: tags and extra white space gone."""
    return " ".join(re.sub(r"<[^>]*>", " ", text).split())


def check(server: str, request: dict) -> None:
    response = requests.request(
        request["method"],
        server + request["url"],
        headers=request["headers"],
        data=request["data"],
        allow_redirects=False,
        timeout=60,
    )
    what = f"{request['method']} {request['url']} Accept={request['headers'].get('Accept')!r}"
    assert response.status_code < 500, f"{what} → {response.status_code}: {response.text[:500]}"
    if response.status_code >= 400:
        words = plain(response.text)
        # More than the status line: a sentence saying what was wrong.
        assert len(words) > len(response.reason) + 12, f"{what} → {response.status_code}: {words}"


FUZZ = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def described_operations() -> list[tuple[str, str]]:
    from lodpub.web.openapi import document

    return sorted(operations(document("http://127.0.0.1")))


@pytest.mark.parametrize(("path", "method"), described_operations())
def test_generated_requests_get_no_5xx_and_useful_errors(server, description, path, method):
    operation = description["paths"][path][method]

    @FUZZ
    @given(request=request_for(path, method, operation))
    def run(request):
        check(server, request)

    run()
