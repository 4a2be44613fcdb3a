"""One client connection: parses requests as bytes arrive and answers them in order.

A kept page is written from the event loop at once; any other request runs the WSGI app in a
thread (lodpub.web.front.app_call), which streams its answer back through `send`. Requests
pipelined behind one in progress wait their turn; reading from the client stops while too
many wait, while a request body is not being read, or while the client is not reading.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from typing import TYPE_CHECKING

import httptools
from gunicorn.http.errors import (
    InvalidHeader,
    InvalidRequestLine,
    InvalidRequestMethod,
    LimitRequestHeaders,
    LimitRequestLine,
)

from lodpub.web.front.request import NO_BODY, BodyStream, NoBody, ParsedRequest

if TYPE_CHECKING:
    from lodpub.web.front.worker import Worker

# gunicorn's own maximum; longer queries have to be sent by POST.
MAX_REQUEST_LINE = 8190
# Seconds a client may leave the server waiting for the next bytes of its request line and
# headers: a client that sends half a request and stalls is dropped.
REQUEST_IDLE_TIMEOUT = 10
# Seconds one write of an answer (or one read of a request body) may wait once the request
# is being handled: a client that stops reading cannot hold a thread for ever.
TRANSFER_TIMEOUT = 120
# Requests parsed and waiting behind the one being answered before reading stops.
PIPELINE_LIMIT = 16
# Bytes of an answer handed over by the app's thread and not yet sent, before it waits.
WRITE_HIGH_WATER = 256 * 1024
# " HTTP/1.1", counted into the request line as gunicorn counts it.
_VERSION_SUFFIX = 9


class Exchange:
    """One request and its answer, or the parse error to answer in its place."""

    __slots__ = ("body", "error", "req")

    def __init__(
        self,
        req: ParsedRequest | None,
        body: BodyStream | NoBody | None,
        error: Exception | None = None,
    ) -> None:
        self.req = req
        self.body = body
        self.error = error


def _busy(limit: int) -> bytes:
    body = f"The server has {limit} connections open, its limit; try again shortly.\n".encode()
    return (
        b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s"
        % (len(body), body)
    )


class Connection(asyncio.Protocol):
    """The HTTP/1.x protocol of one client connection (httptools calls the `on_*` methods)."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self.loop = worker.loop
        self.cfg = worker.cfg
        self.parser = httptools.HttpRequestParser(self)
        self.transport: asyncio.Transport | None = None
        self.peer: tuple = ("", -1)
        self.sockname: tuple = ("", -1)
        self.current: Exchange | None = None
        self.waiting: deque[Exchange] = deque()
        self.closed = False
        self.deadline: float | None = None
        self._receiving: Exchange | None = None
        self._in_head = False
        self._url: list[bytes] = []
        self._url_size = 0
        self._fields: list[bytes] = []
        self._head_size = 0
        # gunicorn's limits, read once: its Config looks every setting up by name.
        self._max_fields = self.cfg.limit_request_fields
        self._max_head = self._max_fields * (self.cfg.limit_request_field_size + 2) + 4
        self._keepalive = worker.keepalive
        self._stopped = False  # nothing more is read: a parse error, or an upgrade
        self._read_blocks: set[str] = set()
        # Shared with the app's thread: how much it has handed over, and whether it may go on.
        self._flow = threading.Condition()
        self._scheduled = 0
        self._write_paused = False
        self._paused_at = 0.0
        self._lost = False

    # ---- asyncio callbacks

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if len(self.worker.connections) >= self.cfg.worker_connections:
            # Each open connection costs memory and a file descriptor: past gunicorn's
            # worker_connections a client is told to come back rather than kept waiting.
            transport.write(_busy(self.cfg.worker_connections))  # type: ignore[attr-defined]
            transport.close()
            self.closed = True
            return
        self.transport = transport  # type: ignore[assignment]
        transport.set_write_buffer_limits(high=WRITE_HIGH_WATER)
        self.peer = transport.get_extra_info("peername") or ("", -1)
        self.sockname = transport.get_extra_info("sockname") or ("", -1)
        self.deadline = self.loop.time() + REQUEST_IDLE_TIMEOUT
        self.worker.connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.worker.connections.discard(self)
        with self._flow:
            self._lost = True
            self._flow.notify_all()
        if self._receiving is not None and self._receiving.body is not None:
            self._receiving.body.lose()

    def data_received(self, data: bytes) -> None:
        if self._stopped or self.closed:
            return
        if self.current is None:
            self.deadline = self.loop.time() + REQUEST_IDLE_TIMEOUT
        if self._receiving is None:
            self._head_size += len(data)
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserCallbackError as exc:
            cause = exc.__context__
            self._fail(cause if isinstance(cause, Exception) else exc)
        except httptools.HttpParserUpgrade:
            # What follows belongs to another protocol, which lodpub does not speak.
            self._stopped = True
        except httptools.HttpParserInvalidMethodError as exc:
            self._fail(InvalidRequestMethod(str(exc)))
        except httptools.HttpParserError as exc:
            message = str(exc)
            header = "header" in message.lower()
            self._fail(InvalidHeader(message) if header else InvalidRequestLine(message))
        else:
            if self._in_head and self._head_size > self._max_head:
                self._fail(LimitRequestHeaders("max buffer headers"))

    def pause_writing(self) -> None:
        with self._flow:
            self._write_paused = True
            self._paused_at = self.loop.time()

    def resume_writing(self) -> None:
        with self._flow:
            self._write_paused = False
            self._flow.notify_all()
        if self.current is None:
            self._wait_for_the_client()
        self._advance()

    # ---- httptools callbacks

    def on_message_begin(self) -> None:
        self._in_head = True
        self._url.clear()
        self._url_size = 0
        self._fields.clear()

    def on_url(self, url: bytes) -> None:
        self._url.append(url)
        self._url_size += len(url)
        size = len(self.parser.get_method()) + 1 + self._url_size + _VERSION_SUFFIX
        if size > MAX_REQUEST_LINE:
            raise LimitRequestLine(size, MAX_REQUEST_LINE)

    def on_header(self, name: bytes, value: bytes) -> None:
        if len(self._fields) >= self._max_fields:
            raise LimitRequestHeaders("limit request headers fields")
        self._fields.append(name + b": " + value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._head_size = 0
        parser = self.parser
        line = b"%s %s HTTP/%s" % (
            parser.get_method(),
            b"".join(self._url),
            parser.get_http_version().encode("ascii"),
        )
        request = self.worker.parse(self.peer, line, b"\r\n".join(self._fields))
        if request.body_expected:
            body = BodyStream(self.loop, self._block_body, self._unblock_body)
            body.timeout = TRANSFER_TIMEOUT
            request.attach(body)
            self._receiving = exchange = Exchange(request, body)
        else:
            request.attach(NO_BODY)
            exchange = Exchange(request, NO_BODY)
        self._queue(exchange)

    def on_body(self, data: bytes) -> None:
        if self._receiving is not None:
            self._receiving.body.feed(data)  # type: ignore[union-attr]

    def on_message_complete(self) -> None:
        if self._receiving is not None:
            self._receiving.body.finish()  # type: ignore[union-attr]
            self._receiving = None

    # ---- answering in order

    def _fail(self, error: Exception) -> None:
        """The bytes make no acceptable request: answer the error in turn, then close."""
        self._stopped = True
        self._block("error")
        # gunicorn's header errors carry the request that was read, for the access log.
        req = getattr(error, "req", None)
        self._queue(Exchange(req if isinstance(req, ParsedRequest) else None, None, error))

    def _queue(self, exchange: Exchange) -> None:
        self.waiting.append(exchange)
        if len(self.waiting) >= PIPELINE_LIMIT:
            self._block("pipeline")
        self._advance()

    def _advance(self) -> None:
        """Start the next waiting request, if none is in progress and the client reads."""
        while self.current is None and self.waiting and not self._write_paused:
            if self.closed:
                return
            exchange = self.current = self.waiting.popleft()
            if len(self.waiting) < PIPELINE_LIMIT:
                self._unblock("pipeline")
            self.deadline = None
            if exchange.error is not None:
                self.worker.answer_error(self, exchange)
                self.close()
                return
            try:
                kept = self.worker.answer_kept(self, exchange.req)  # type: ignore[arg-type]
            except Exception:
                # The app answers instead, and its own error handling applies.
                self.worker.log.exception("Error looking up a kept page")
                kept = None
            if kept is None:
                self.worker.call_app(self, exchange)
                return
            head, body, keep = kept
            if body:
                self.transport.writelines((head, body))  # type: ignore[union-attr]
            else:
                self.transport.write(head)  # type: ignore[union-attr]
            self._finished(exchange, keep)

    def app_done(self, exchange: Exchange, keep: bool) -> None:
        """Called in the loop when the app's thread has sent the whole answer."""
        self._finished(exchange, keep)
        self._advance()

    def _finished(self, exchange: Exchange, keep: bool) -> None:
        self.current = None
        exchange.body.discard()  # type: ignore[union-attr]
        if not keep or (exchange.req is not None and exchange.req.body.failed):
            self.close()
            return
        if self._stopped and not self.waiting:
            self.close()
            return
        self._wait_for_the_client()

    def _wait_for_the_client(self) -> None:
        """Nothing is in progress: the client has `keepalive` seconds to start a request, or
        REQUEST_IDLE_TIMEOUT to go on with the one it is sending."""
        between_requests = not self._in_head and self._receiving is None
        self.deadline = self.loop.time() + (
            self._keepalive if between_requests else REQUEST_IDLE_TIMEOUT
        )

    def _block(self, reason: str) -> None:
        if not self._read_blocks and not self.closed:
            self.transport.pause_reading()  # type: ignore[union-attr]
        self._read_blocks.add(reason)

    def _unblock(self, reason: str) -> None:
        if reason not in self._read_blocks:
            return
        self._read_blocks.discard(reason)
        if not self._read_blocks and not self.closed:
            self.transport.resume_reading()  # type: ignore[union-attr]

    def _block_body(self) -> None:
        self._block("body")

    def _unblock_body(self) -> None:
        self._unblock("body")

    # ---- from the app's thread

    def send(self, data: bytes) -> None:
        """Hand `data` to the loop to write; waits while the client is not reading."""
        with self._flow:
            ready = self._flow.wait_for(
                lambda: (
                    self._lost or (not self._write_paused and self._scheduled < WRITE_HIGH_WATER)
                ),
                TRANSFER_TIMEOUT,
            )
            if self._lost:
                raise BrokenPipeError("the client closed the connection")
            if not ready:
                raise TimeoutError(f"the client read nothing for {TRANSFER_TIMEOUT} s")
            self._scheduled += len(data)
        self.loop.call_soon_threadsafe(self._write, data)

    def _write(self, data: bytes) -> None:
        if not self.closed:
            self.transport.write(data)  # type: ignore[union-attr]
        with self._flow:
            self._scheduled -= len(data)
            self._flow.notify_all()

    # ---- timing out and closing

    def check(self, now: float) -> None:
        """Drop the connection when the client has stalled past its time (once a second)."""
        if self._write_paused:
            if now - self._paused_at > TRANSFER_TIMEOUT:
                self.abort()
        elif self.current is None and self.deadline is not None and now > self.deadline:
            self.close()

    def idle(self) -> bool:
        """Nothing in progress, nothing waiting, no request half received."""
        return self.current is None and not self.waiting and not self._in_head

    def close(self) -> None:
        """Close once what is written is sent."""
        if not self.closed:
            self.closed = True
            self.transport.close()  # type: ignore[union-attr]

    def abort(self) -> None:
        self.closed = True
        self.transport.abort()  # type: ignore[union-attr]
