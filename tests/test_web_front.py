"""The asynchronous front of `lodpub serve` (lodpub.web.front): kept pages answered from the
event loop byte for byte as the WSGI path answers them, even while every app thread is busy;
pipelined requests in order; HTTP/1.0, 100-continue and chunked bodies as gunicorn did."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from urllib.parse import quote, urlsplit

import pytest
from gunicorn.config import Config
from gunicorn.http.wsgi import Response

from ld_servers import BASE, SEED_KEY, published_store
from lodpub.web.front import kept
from lodpub.web.front.request import NO_BODY, ParsedRequest
from sparql_servers import SERVE, free_port, lodpub_serve
from sparql_servers import _wait_until_up as wait_until_up

TIMEOUT = 60
PAGE = f"/page/document/{SEED_KEY}"
TURTLE = f"/data/document/{SEED_KEY}.ttl"
DATE = re.compile(rb"\r\nDate: [^\r]*\r\n")


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, int]]:
    with lodpub_serve(published_store(), "--base-uri", BASE, "--threads", "2") as endpoint:
        where = urlsplit(endpoint)
        yield where.hostname, where.port


def connect(server: tuple[str, int]) -> socket.socket:
    return socket.create_connection(server, timeout=TIMEOUT)


def request(target: str, *headers: str, method: str = "GET", version: str = "1.1") -> bytes:
    lines = [f"{method} {target} HTTP/{version}", "Host: 127.0.0.1", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def read_answer(sock: socket.socket, buffer: bytearray, method: str = "GET") -> bytes:
    """One whole answer (framed by Content-Length, chunks or the end of the connection)."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError(f"connection closed mid-head: {bytes(buffer)[:200]!r}")
        buffer += chunk
    end = buffer.index(b"\r\n\r\n") + 4
    head = bytes(buffer[:end]).lower()
    status = int(head.split(b" ", 2)[1])
    length = re.search(rb"\r\ncontent-length: *(\d+)", head)
    if method == "HEAD" or status in (100, 204, 304):
        size = 0
    elif length:
        size = int(length.group(1))
    elif b"transfer-encoding: chunked" in head:
        while not buffer.endswith(b"0\r\n\r\n"):
            buffer += sock.recv(65536)
        size = len(buffer) - end
    else:
        while chunk := sock.recv(65536):
            buffer += chunk
        size = len(buffer) - end
    while len(buffer) < end + size:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError("connection closed mid-body")
        buffer += chunk
    answer = bytes(buffer[: end + size])
    del buffer[: end + size]
    return answer


def exchange(server: tuple[str, int], data: bytes, method: str = "GET") -> bytes:
    with connect(server) as sock:
        sock.sendall(data)
        return read_answer(sock, bytearray(), method)


def undated(answer: bytes) -> bytes:
    return DATE.sub(b"\r\nDate: -\r\n", answer, count=1)


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


# ---- kept pages: the same bytes as the app's own answer


@pytest.mark.parametrize(
    ("target", "accept"),
    [(PAGE, "text/html"), (TURTLE, "text/turtle"), ("/dataset", "text/turtle")],
)
def test_a_kept_answer_is_the_bytes_the_app_sent(server, target, accept):
    built = exchange(server, request(target, f"Accept: {accept}"))
    again = exchange(server, request(target, f"Accept: {accept}"))
    assert status_of(built) == 200
    assert undated(again) == undated(built)
    assert b"\r\nConnection: keep-alive\r\n" in built


def test_kept_answers_to_head_and_if_none_match_match_the_apps(server):
    # A page kept under one Accept header; a variant Accept is answered by the app itself.
    kept_accept, other_accept = "Accept: text/html", "Accept: text/html;q=0.9"
    etag = re.search(rb"\r\nETag: ([^\r]*)", exchange(server, request(PAGE, kept_accept)))
    condition = f"If-None-Match: {etag.group(1).decode()}"
    built = exchange(server, request(PAGE, other_accept, condition))
    answered = exchange(server, request(PAGE, kept_accept, condition))
    assert status_of(built) == status_of(answered) == 304
    assert undated(answered) == undated(built)
    head_built = exchange(server, request(PAGE, other_accept, method="HEAD"), "HEAD")
    exchange(server, request(PAGE, other_accept))  # keeps it under that key too
    head_kept = exchange(server, request(PAGE, other_accept, method="HEAD"), "HEAD")
    assert undated(head_kept) == undated(head_built)
    assert head_kept.endswith(b"\r\n\r\n")


def test_kept_pages_are_answered_while_every_app_thread_is_busy(server):
    exchange(server, request(PAGE, "Accept: text/html"))  # kept from now on
    stalled = []
    try:
        # Two POSTs that never send their body: each holds one of the 2 app threads, which
        # waits for the body.
        for _ in range(2):
            sock = connect(server)
            sock.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/sparql-query\r\nContent-Length: 100\r\n\r\nSELECT"
            )
            stalled.append(sock)
        answer = exchange(server, request(PAGE, "Accept: text/html"))
        assert status_of(answer) == 200 and b"</html>" in answer
        # The stalled requests are still unanswered: the page did not need their threads.
        for sock in stalled:
            sock.setblocking(False)
            with pytest.raises(BlockingIOError):
                sock.recv(1)
    finally:
        for sock in stalled:
            sock.close()


# ---- connections


def test_pipelined_requests_are_answered_in_order(server):
    exchange(server, request(PAGE, "Accept: text/html"))
    targets = [PAGE, "/sparql?query=" + quote("ASK {}"), "/page/person/nobody-at-all", PAGE]
    with connect(server) as sock:
        sock.sendall(b"".join(request(t, "Accept: text/html") for t in targets))
        buffer = bytearray()
        answers = [read_answer(sock, buffer) for _ in targets]
    assert [status_of(a) for a in answers] == [200, 200, 404, 200]
    assert b"</html>" in answers[0] and undated(answers[3]) == undated(answers[0])
    assert b"true" in answers[1]


def test_http_1_0_and_connection_close_get_their_answer_then_the_end(server):
    for data in (
        request(PAGE, "Accept: text/html", version="1.0"),
        request(PAGE, "Accept: text/html", "Connection: close"),
        request("/sparql?query=" + quote("ASK {}"), version="1.0"),
    ):
        with connect(server) as sock:
            sock.sendall(data)
            buffer = bytearray()
            answer = read_answer(sock, buffer)
            assert status_of(answer) == 200
            assert b"\r\nConnection: close\r\n" in answer
            assert answer.startswith(b"HTTP/1.0 " if b"HTTP/1.0" in data else b"HTTP/1.1 ")
            assert sock.recv(1) == b""


def test_expect_100_continue_and_chunked_bodies_reach_the_app(server):
    with connect(server) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
            b"Content-Type: application/sparql-query\r\nContent-Length: 9\r\n"
            b"Accept: application/sparql-results+json\r\n\r\n"
        )
        buffer = bytearray()
        assert status_of(read_answer(sock, buffer)) == 100
        sock.sendall(b"ASK { } ")
        sock.sendall(b" ")
        answer = read_answer(sock, buffer)
    assert status_of(answer) == 200 and b"true" in answer
    chunked = (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
        b"Content-Type: application/sparql-query\r\nAccept: application/sparql-results+json\r\n"
        b"\r\n4\r\nASK \r\n3\r\n{ }\r\n0\r\n\r\n"
    )
    answer = exchange(server, chunked)
    assert status_of(answer) == 200 and b"true" in answer


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"GET /?q=" + b"a" * 9000 + b" HTTP/1.1\r\nHost: a\r\n\r\n", 414),
        (b"GET / HTTP/1.1\r\n" + b"X-A: 1\r\n" * 101 + b"\r\n", 431),
        (b"GET / HTTP/1.1\r\nHost: a\r\nX-A: " + b"a" * 9000 + b"\r\n\r\n", 431),
        (b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nHost: a\r\nExpect: something-else\r\n\r\n", 417),
        (b"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        (b"GET /x\r\nHost: a\r\n\r\n", 400),
    ],
    ids=["long-line", "many-headers", "long-header", "two-hosts", "expect", "gzip", "cl-te", "0.9"],
)
def test_refused_requests_get_gunicorns_status_and_the_connection_closes(server, data, status):
    with connect(server) as sock:
        sock.sendall(data)
        answer = read_answer(sock, bytearray())
        assert sock.recv(1) == b""
    assert status_of(answer) == status
    assert b"\r\nConnection: close\r\n" in answer


def test_a_body_larger_than_the_read_buffer_reaches_the_app_whole(server):
    # Four times what the front holds before it stops reading from the client.
    query = b"ASK { } #" + b"a" * (1000 * 1024 - 10) + b"\n"
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        b"Accept: application/sparql-results+json\r\nContent-Length: %d\r\n\r\n" % len(query)
    )
    answer = exchange(server, head + query)
    assert status_of(answer) == 200 and b"true" in answer


# ---- the framing of kept answers, against gunicorn's own Response


class _Capture:
    def __init__(self) -> None:
        self.data = bytearray()

    def sendall(self, data: bytes) -> None:
        self.data += data


def parsed(line: bytes, *headers: bytes) -> ParsedRequest:
    req = ParsedRequest(Config(), ("127.0.0.1", 1), line, b"\r\n".join(headers))
    req.attach(NO_BODY)
    return req


HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", "5"), ("ETag", '"x"')]


@pytest.mark.parametrize(
    ("line", "extra", "status", "headers"),
    [
        (b"GET /a HTTP/1.1", (), "200 OK", HEADERS),
        (b"GET /a HTTP/1.0", (), "200 OK", HEADERS),
        (b"GET /a HTTP/1.0", (b"Connection: keep-alive",), "200 OK", HEADERS),
        (b"GET /a HTTP/1.1", (b"Connection: close",), "200 OK", HEADERS),
        (b"HEAD /a HTTP/1.1", (), "200 OK", HEADERS),
        (b"GET /a HTTP/1.1", (), "304 NOT MODIFIED", [("ETag", '"x"'), ("Vary", "Accept")]),
        (b"GET /a HTTP/1.1", (), "200 OK", [("Content-Type", "text/plain"), ("X-A", " b ")]),
        (b"GET /a HTTP/1.0", (), "200 OK", [("Content-Type", "text/plain")]),
        (b"GET /a HTTP/1.1", (), "200 OK", [*HEADERS, ("Connection", "x"), ("Server", "y")]),
    ],
)
def test_kept_framing_is_gunicorns(line, extra, status, headers):
    body = b"" if status.startswith("304") else b"hello"
    req = parsed(line, b"Host: a", *extra)
    sock = _Capture()
    response = Response(req, sock, Config())
    response.start_response(status, list(headers))
    response.write(body)
    response.close()
    expected = undated(bytes(sock.data))
    head, sent, keep = kept.response(req, status, list(headers), body, "-", force_close=False)
    assert head + sent == expected
    assert keep == (not response.should_close())


# ---- shutting down


def test_a_request_in_flight_at_sigterm_is_answered_before_the_server_exits(tmp_path):
    port = free_port()
    command = [*SERVE, "--store", str(published_store()), "--port", str(port), "--base-uri", BASE]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LODPUB_")}
    with (tmp_path / "log").open("wb") as log:
        process = subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_up(f"http://127.0.0.1:{port}/sparql", process)
            with connect(("127.0.0.1", port)) as sock:
                sock.sendall(
                    b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 7\r\n"
                    b"Content-Type: application/sparql-query\r\n"
                    b"Accept: application/sparql-results+json\r\n\r\nASK"
                )
                time.sleep(0.5)  # the request has reached the app, which waits for the body
                process.send_signal(signal.SIGTERM)
                time.sleep(0.5)
                sock.sendall(b" { }")
                answer = read_answer(sock, bytearray())
                assert sock.recv(1) == b""  # then the connection is closed
            assert status_of(answer) == 200 and b"true" in answer
            assert process.wait(timeout=TIMEOUT) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


def test_past_the_connection_limit_a_client_is_told_to_come_back(server):
    limit = Config().worker_connections  # gunicorn's default, which lodpub serve keeps
    held = []
    try:
        for _ in range(limit):
            held.append(connect(server))
        # Every held connection is open on the server once one of them has its answer.
        held[-1].sendall(request("/sparql", "Accept: text/html"))
        assert status_of(read_answer(held[-1], bytearray())) == 200
        refused = exchange(server, request(PAGE))
        assert status_of(refused) == 503
        assert b"\r\nRetry-After: 1\r\n" in refused
        assert f"{limit} connections open".encode() in refused
    finally:
        for sock in held:
            sock.close()
    deadline = time.monotonic() + TIMEOUT
    while status_of(exchange(server, request(PAGE))) != 200:
        assert time.monotonic() < deadline, "the server did not take connections again"
        time.sleep(0.1)
