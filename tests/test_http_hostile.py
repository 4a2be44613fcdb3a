"""Hostile HTTP against `lodpub serve` (gunicorn), sent over raw sockets where a client library
would normalise it: traversal, overlong lines and headers, bad escapes, hostile Accept, CR/LF
injection into reflected headers, oversized bodies and slow clients."""

from __future__ import annotations

import json
import socket
import time
from contextlib import suppress
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from bs4 import BeautifulSoup

from ld_servers import BASE, HOSTILE_KEY, IMAGE, SCRIPT, published_store
from lodpub.web.server import REQUEST_IDLE_TIMEOUT
from sparql_servers import lodpub_serve

TIMEOUT = 60


@pytest.fixture(scope="module")
def server() -> str:
    with lodpub_serve(published_store(), "--base-uri", BASE, "--threads", "4") as endpoint:
        yield endpoint.removesuffix("/sparql")


def raw(server: str, request: bytes, *, timeout: float = TIMEOUT) -> tuple[int, bytes, bytes]:
    """Send bytes as they are; the status, header block and body of the answer."""
    where = urlsplit(server)
    with socket.create_connection((where.hostname, where.port), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    answer = b"".join(chunks)
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, head, body


def get(server: str, target: str | bytes, *headers: bytes) -> tuple[int, bytes, bytes]:
    target = target.encode("latin-1") if isinstance(target, str) else target
    lines = [b"GET " + target + b" HTTP/1.1", b"Host: 127.0.0.1", b"Connection: close", *headers]
    return raw(server, b"\r\n".join(lines) + b"\r\n\r\n")


def assert_useful_error(status: int, body: bytes, *statuses: int) -> None:
    assert status in statuses, (status, body[:300])
    assert len(body.strip()) > 20, body


# ---- path traversal

TRAVERSALS = [
    "/static/../../pyproject.toml",
    "/static/..%2f..%2fpyproject.toml",
    "/static/%2e%2e/%2e%2e/pyproject.toml",
    "/static/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static/..%5c..%5cpyproject.toml",
    "/static/..\\..\\pyproject.toml",
    "/dumps/..%2f..%2fpyproject.toml",
    "/dumps/%2e%2e",
    "/data/../../../../etc/passwd",
    "/data/..%2f..%2f..%2fetc%2fpasswd.ttl",
    "/page/%2e%2e/%2e%2e/etc/passwd",
    "/id/..%2f..%2f..%2fetc/passwd",
    "/index/..%2f..%2fpyproject.toml",
    "/sitemap-..%2f1.xml",
    "//etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_path_traversal_reaches_no_file(server, target):
    status, head, body = get(server, target)
    assert status < 500, (status, body[:300])
    assert b"root:" not in body and b"[project]" not in body
    if status >= 400:
        assert len(body.strip()) > 20


# ---- overlong and malformed requests


def test_overlong_request_line_is_refused_with_4xx(server):
    status, _, body = get(server, "/search?q=" + "a" * 20_000)
    assert 400 <= status < 500, status


def test_overlong_header_is_refused_with_4xx(server):
    status, _, _ = get(server, "/", b"X-Long: " + b"a" * 20_000)
    assert 400 <= status < 500, status


def test_thousands_of_headers_are_refused_with_4xx(server):
    status, _, _ = get(server, "/", *(b"X-H%d: 1" % n for n in range(500)))
    assert 400 <= status < 500, status


def test_server_still_answers_after_malformed_requests(server):
    for request in (b"\x00\x01\x02\r\n\r\n", b"GET\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n"):
        # No answer, or not HTTP: what matters is that the next request is served.
        with suppress(ValueError, IndexError, OSError):
            raw(server, request, timeout=10)
    assert requests.get(server + "/", timeout=TIMEOUT).status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        "/search?q=%ff%fe",
        "/search?q=%zz",
        "/search?q=%",
        "/search.json?q=%c3%28",
        "/lookup?q=%ff",
        "/lookup?q=%zz&limit=%ff",
        "/reconcile?queries=%c3%28",
        "/reconcile/suggest/entity?prefix=%ff&cursor=%zz",
        "/sparql?query=%ff",
        "/sparql?query=SELECT%20*%20WHERE%20%7B%7D&default-graph-uri=%ff",
        "/index/person?page=%ff",
        "/page/%ff",
        "/id/%c3%28",
        "/data/%zz.ttl",
        "/page/document/%00",
    ],
)
def test_bad_escapes_and_utf8_get_a_useful_4xx_or_an_answer(server, target):
    status, _, body = get(server, target, b"Accept: text/turtle")
    assert status < 500, (status, body[:300])
    if status >= 400:
        assert len(body.strip()) > 20, body


def test_malformed_path_escape_is_a_400_naming_the_problem(server):
    status, _, body = get(server, "/page/person/%zz")
    assert status == 400
    assert b"%" in body and b"hex digits" in body


# ---- hostile Accept

ACCEPTS = [
    b"Accept: " + b"text/html;q=0.5," * 5000,
    b"Accept: " + b",".join(b"a%d/b%d;q=0.%d" % (n, n, n % 10) for n in range(3000)),
    b"Accept: text/html;q=abc, text/turtle;q=-1, */*;q=99",
    b"Accept: ;;;;,,,,;q=;q=",
    b"Accept: \xff\xfe/\x00",
    b"Accept: */*;q=0",
    b"Accept: text/turtle;" + b"a=b;" * 2000,
]


@pytest.mark.parametrize("accept", ACCEPTS, ids=range(len(ACCEPTS)))
@pytest.mark.parametrize("target", ["/", "/id/document/3a5edd602105b0b3", "/dataset", "/sparql"])
def test_hostile_accept_gets_no_5xx(server, accept, target):
    status, _, body = get(server, target, accept)
    assert status < 500, (status, body[:300])
    if status >= 400:
        assert len(body.strip()) > 20, body


# ---- CR/LF injection into reflected headers

INJECTED = "%0d%0aX-Injected:%201%0d%0aSet-Cookie:%20a=1"


@pytest.mark.parametrize(
    "target",
    [
        f"/id/person/x{INJECTED}",
        f"/id/document/3a5edd602105b0b3{INJECTED}",
        f"/graph/x{INJECTED}",
        f"/reconcile/view?id={BASE}/id/person/x{INJECTED}",
        f"/reconcile/view?id=http://evil.example/{INJECTED}",
        f"/lookup?q=Kim{INJECTED}",
        f"/search?q=Kim{INJECTED}",
        f"/search.json?q=Kim{INJECTED}",
        f"/index/person?page=1{INJECTED}",
        f"/timeline{INJECTED}",
        f"/dataset{INJECTED}",
        f"/sparql?query=ASK%7B%7D{INJECTED}",
    ],
)
@pytest.mark.parametrize("accept", [b"text/html", b"text/turtle"])
def test_crlf_in_reflected_values_injects_no_header(server, target, accept):
    status, head, body = get(server, target, b"Accept: " + accept)
    assert status < 500, (status, body[:300])
    names = [line.split(b":", 1)[0].lower() for line in head.split(b"\r\n")[1:]]
    assert b"x-injected" not in names and b"set-cookie" not in names, head


def test_raw_crlf_in_request_line_is_refused(server):
    status, head, _ = get(server, b"/id/x\r\nX-Injected: 1")
    assert 400 <= status < 500
    assert b"X-Injected" not in head


# ---- oversized bodies


@pytest.mark.parametrize(
    ("target", "content_type"),
    [
        ("/sparql", "application/sparql-query"),
        ("/sparql", "application/x-www-form-urlencoded"),
        ("/reconcile", "application/x-www-form-urlencoded"),
    ],
)
def test_oversized_body_is_a_413(server, target, content_type):
    body = b"query=" + b"a" * (2 * 1024 * 1024)
    response = requests.post(
        server + target, data=body, headers={"Content-Type": content_type}, timeout=TIMEOUT
    )
    assert response.status_code == 413, response.text[:300]
    assert "larger than" in response.text


def test_declared_oversized_body_is_refused_before_it_is_sent(server):
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        b"Content-Type: application/sparql-query\r\nContent-Length: 999999999\r\n\r\n"
    )
    status, _, body = raw(server, head + b"SELECT", timeout=TIMEOUT)
    assert status == 413, body[:300]


# ---- slow clients


def test_stalled_clients_do_not_hold_the_server(server):
    # Twice as many half-sent requests as the server has threads (4): each is dropped after
    # REQUEST_IDLE_TIMEOUT seconds of silence, so a normal request is still answered.
    where = urlsplit(server)
    stalled = []
    try:
        for _ in range(8):
            sock = socket.create_connection((where.hostname, where.port), timeout=TIMEOUT)
            sock.sendall(b"GET /dataset HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: tex")
            stalled.append(sock)
        time.sleep(0.5)
        response = requests.get(server + "/", timeout=4 * REQUEST_IDLE_TIMEOUT)
        assert response.status_code == 200
        # The server closed the stalled connections (an error answer at most), not kept them.
        for sock in stalled:
            answer = sock.recv(1024)
            assert answer == b"" or answer.startswith(b"HTTP/1.1 4"), answer
    finally:
        for sock in stalled:
            sock.close()


# ---- markup in every field, on every page kind reachable from the hostile record

CRAWL_LIMIT = 400


def assert_inert(html: str, where: str) -> None:
    """No element or attribute was made from data: markup in values shows as text."""
    page = BeautifulSoup(html, "html.parser")
    assert not page.select("img"), f"{where}: an <img> element was made from data"
    handlers = [t for t in page.find_all(True) if any(a.startswith("on") for a in t.attrs)]
    assert not handlers, f"{where}: event handler attributes {handlers[:3]}"
    for script in page.find_all("script"):
        assert script.get("type") == "application/ld+json" or script.get("src"), where
        if script.string:
            json.loads(script.string)  # the data did not end the element early


def local_links(html: str, url: str, server: str) -> list[str]:
    page = BeautifulSoup(html, "html.parser")
    found = []
    for tag in page.find_all(("a", "link")):
        href = tag.get("href")
        if not href:
            continue
        target = urljoin(url, href).split("#", 1)[0]
        if target.startswith(BASE):
            target = server + target[len(BASE) :]
        if target.startswith(server) and "/static/" not in target and "/dumps/" not in target:
            found.append(target)
    return found


def test_every_page_kind_reached_from_the_hostile_record_shows_markup_as_text(server):
    start = f"{server}/page/document/{HOSTILE_KEY}"
    queue, seen, kinds, shown = [start], {start}, set(), 0
    while queue and len(seen) <= CRAWL_LIMIT:
        url = queue.pop(0)
        response = requests.get(url, headers={"Accept": "text/html"}, timeout=TIMEOUT)
        assert response.status_code < 500, (url, response.status_code)
        if not response.headers.get("Content-Type", "").startswith("text/html"):
            continue
        assert_inert(response.text, url)
        text = BeautifulSoup(response.text, "html.parser").get_text()
        shown += SCRIPT in text or IMAGE in text
        path = urlsplit(url).path
        kinds.add(path.split("/")[2] if path.startswith("/page/") else path.split("/")[1])
        # Follow links of the hostile record's own pages, and one hop from anything else.
        if HOSTILE_KEY in url or "hostile" in url or url == start:
            for link in local_links(response.text, url, server):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
    assert shown >= 5, "the hostile values should be shown as text"
    assert {"document", "person", "group", "place"} <= kinds, kinds


@pytest.mark.parametrize(
    "path",
    [
        "/search?q=alert",
        "/search?q=%3Cscript%3E",
        "/search?q=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
        "/index/person",
        "/index/group",
        "/index/place",
        "/index/subject",
        "/index/document",
        "/timeline",
        "/dataset",
        "/sparql?query=SELECT%20%3Fl%20WHERE%20%7B%3Fs%20%3Chttp%3A%2F%2Fwww.w3.org%2F2000%2F01"
        "%2Frdf-schema%23label%3E%20%3Fl%7D",
        "/reconcile/preview?id=" + BASE + "/id/person/script-alert-1-script-person-hostile-record",
        "/page/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/page/%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
        "/search.%3Cscript%3E",
        "/index/%3Cscript%3E",
    ],
)
def test_listing_and_error_pages_show_markup_as_text(server, path):
    response = requests.get(server + path, headers={"Accept": "text/html"}, timeout=TIMEOUT)
    assert response.status_code < 500
    if response.headers.get("Content-Type", "").startswith("text/html"):
        assert_inert(response.text, path)


@pytest.mark.parametrize(
    "path",
    [
        "/lookup?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%20Person",
        "/reconcile/suggest/entity?prefix=%3Cscript%3E",
        "/search.json?q=alert",
    ],
)
def test_json_answers_are_json_not_html(server, path):
    response = requests.get(server + path, timeout=TIMEOUT)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    response.json()
