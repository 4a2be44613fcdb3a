"""A request as httptools parsed it, checked by gunicorn's own rules, and its body in transit.

httptools (llhttp) splits the bytes; gunicorn's request-line and header code then judges them,
so limits, refusals and the WSGI environ are the ones gunicorn's own parser would give.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from typing import TYPE_CHECKING, Any

from gunicorn.http.body import Body, ChunkedReader, LengthReader
from gunicorn.http.errors import NoMoreData
from gunicorn.http.message import Request

if TYPE_CHECKING:
    from collections.abc import Callable

# Bytes of a request body held for the application before the client is made to wait.
BODY_HIGH_WATER = 256 * 1024


class ParsedRequest(Request):
    """gunicorn's Request, built from parts httptools found instead of read from a socket."""

    def __init__(self, cfg: Any, peer_addr: Any, request_line: bytes, head: bytes) -> None:
        # The attributes gunicorn's Request and Message constructors set before they parse.
        self.cfg = cfg
        self.peer_addr = self.remote_addr = peer_addr
        self.unreader = None
        self.method = self.uri = self.path = self.query = self.fragment = None
        self.version = None
        self.headers: list[tuple[str, str]] = []
        self.trailers: list[tuple[str, str]] = []
        self.body = None
        self.scheme = "https" if cfg.is_ssl else "http"
        self.must_close = False
        self._expected_100_continue = False
        self.limit_request_fields = cfg.limit_request_fields
        self.limit_request_field_size = cfg.limit_request_field_size
        self.req_number = 1
        self.proxy_protocol_info = None
        self.parse_request_line(request_line)
        if head:
            self.headers = self.parse_headers(head)
        self.set_body_reader()
        reader = self.body.reader
        self.body_expected = isinstance(reader, ChunkedReader) or (
            isinstance(reader, LengthReader) and reader.length > 0
        )
        # What the worker derives from this request and may reuse for an identical one.
        self.memo: dict = {}

    def again(self) -> ParsedRequest:
        """This request once more: the same bytes from the same peer."""
        twin = object.__new__(ParsedRequest)
        twin.__dict__.update(self.__dict__)
        return twin

    def attach(self, body: BodyStream | NoBody) -> None:
        """Give the request the stream its body comes in (NO_BODY when it has none)."""
        if not self.body_expected:
            body.finish()
        self.body = Body(body)


class NoBody:
    """The body of a request that has none: read, it is at its end."""

    def read(self, size: int) -> bytes:
        return b""

    def finish(self) -> None:
        """Nothing to wait for."""

    def lose(self) -> None:
        """Nothing to lose."""

    def discard(self) -> None:
        """Nothing to drop."""


NO_BODY = NoBody()


class BodyStream:
    """The body of one request: fed by the event loop, read by the application's thread.

    Holds at most about BODY_HIGH_WATER bytes: past it the connection stops reading from the
    client until the application has read some."""

    def __init__(
        self, loop: asyncio.AbstractEventLoop, pause: Callable[[], None], resume: Callable[[], None]
    ) -> None:
        self.loop = loop
        self._pause = pause
        self._resume = resume
        self._chunks: deque[bytes] = deque()
        self._size = 0
        self._ready = threading.Condition()
        self.complete = False  # every byte of the body has arrived
        self._lost = False
        self._discard = False
        self._paused = False
        self.timeout: float | None = None

    # ---- event loop side

    def feed(self, data: bytes) -> None:
        with self._ready:
            if self._discard:
                return
            self._chunks.append(data)
            self._size += len(data)
            self._ready.notify()
            pause = self._size > BODY_HIGH_WATER and not self._paused
            self._paused = self._paused or pause
        if pause:
            self._pause()

    def finish(self) -> None:
        with self._ready:
            self.complete = True
            self._ready.notify()

    def lose(self) -> None:
        """The client went away before the whole body came."""
        with self._ready:
            self._lost = True
            self._ready.notify()

    def discard(self) -> None:
        """The answer is sent: what is left of the body is read and dropped, as gunicorn does."""
        with self._ready:
            self._discard = True
            self._chunks.clear()
            self._size = 0
            resume, self._paused = self._paused, False
        if resume:
            self._resume()

    # ---- application thread side

    def read(self, size: int) -> bytes:
        """Up to `size` bytes, b"" at the end of the body; NoMoreData if the client left, or
        sent nothing for `timeout` seconds."""
        with self._ready:
            if not self._chunks and not self.complete and not self._lost:
                self._ready.wait_for(
                    lambda: self._chunks or self.complete or self._lost, self.timeout
                )
            if not self._chunks:
                if self.complete:
                    return b""
                raise NoMoreData(b"")
            data = self._chunks.popleft()
            if len(data) > size:
                data, rest = data[:size], data[size:]
                self._chunks.appendleft(rest)
            self._size -= len(data)
            resume = self._paused and self._size <= BODY_HIGH_WATER // 2
            if resume:
                self._paused = False
        if resume:
            self.loop.call_soon_threadsafe(self._resume)
        return data
