"""The SPARQL client against a stand-in engine: which failed reads it sends again."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from lodpub.store.sparql_client import (
    READ_ATTEMPTS,
    RemoteTimeout,
    RemoteUnavailable,
    SparqlClient,
    endpoints,
)


@contextmanager
def engine(status: int, delay: float) -> Iterator[tuple[str, list[str]]]:
    """An engine answering every query with `status` after `delay` seconds; yields its store
    URL and the list of requests it received."""
    received: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            self.rfile.read(int(self.headers["Content-Length"]))
            received.append(self.path)
            time.sleep(delay)
            body = b'{"head": {}, "boolean": true}'
            self.send_response(status)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"sparql+http://127.0.0.1:{server.server_port}/query", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_read_past_the_timeout_is_sent_once():
    """A busy engine is not asked the same costly query again."""
    with engine(200, delay=3) as (url, received):
        client = SparqlClient(endpoints(url), timeout=0.3)
        with pytest.raises(RemoteTimeout, match=r"did not answer within 0\.3 s"):
            client.query("ASK {}")
        assert len(received) == 1


def test_an_engine_that_is_restarting_is_asked_again():
    with engine(503, delay=0) as (url, received):
        client = SparqlClient(endpoints(url), timeout=5)
        with pytest.raises(RemoteUnavailable, match="HTTP 503"):
            client.query("ASK {}")
        assert len(received) == READ_ATTEMPTS
