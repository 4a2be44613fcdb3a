"""The gunicorn worker of `lodpub serve`: an event loop in front of a pool of app threads."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import weakref
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import TYPE_CHECKING, Any

from gunicorn.workers import base

from lodpub.web.fast_path import FastPath, answer
from lodpub.web.front import kept
from lodpub.web.front.app_call import call_app
from lodpub.web.front.connection import Connection
from lodpub.web.front.request import ParsedRequest
from lodpub.web.live_store import LiveStore
from lodpub.web.memory import Quiet, give_back

if TYPE_CHECKING:
    from lodpub.web.front.connection import Exchange

# Seconds between two looks at stalled connections and two heartbeats to the arbiter.
TICK = 1.0
# Requests remembered after parsing (see Worker.parse), and the longest one remembered.
REMEMBERED_REQUESTS = 1024
REMEMBERED_HEAD = 4096


def new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop's loop when it is installed, asyncio's otherwise."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def fast_path(app: Any) -> FastPath | None:
    """The app's fast path, when the front may look kept pages up itself: only when nothing
    rewrites the environ before it (a proxy layer) and the store is read locally (a remote
    engine's version is fetched over the network, which the loop must not wait for)."""
    fast = getattr(app, "wsgi_app", None)
    if not isinstance(fast, FastPath) or fast.cache.max_bytes == 0:
        return None
    live: LiveStore = fast.shared.live
    return None if live.remote is not None else fast


class Worker(base.Worker):
    """Parses HTTP with httptools in an asyncio loop; kept pages are written from the loop,
    everything else runs the WSGI app in `threads` threads."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.loop: asyncio.AbstractEventLoop
        self.connections: set[Connection] = set()
        self.executor: ThreadPoolExecutor | None = None
        self.fast: FastPath | None = None
        self.clock = kept.Clock()
        self._parsed: dict[tuple, ParsedRequest] = {}
        self._quick_exit = False
        self.quiet = Quiet()

    def init_process(self) -> None:
        # Made here, in the worker process: an event loop does not survive a fork.
        self.loop = new_event_loop()
        asyncio.set_event_loop(self.loop)
        self.keepalive = self.cfg.keepalive
        super().init_process()

    def load_wsgi(self) -> None:
        super().load_wsgi()
        self.fast = fast_path(self.wsgi)

    def init_signals(self) -> None:
        for number in self.SIGNALS:
            signal.signal(number, signal.SIG_DFL)
        self.loop.add_signal_handler(signal.SIGTERM, self._graceful_exit)
        self.loop.add_signal_handler(signal.SIGQUIT, self._quick_exit_now)
        self.loop.add_signal_handler(signal.SIGINT, self._quick_exit_now)
        self.loop.add_signal_handler(signal.SIGUSR1, self.log.reopen_files)
        self.loop.add_signal_handler(signal.SIGABRT, self._abort)
        signal.signal(signal.SIGWINCH, signal.SIG_IGN)

    def _graceful_exit(self) -> None:
        self.alive = False

    def _quick_exit_now(self) -> None:
        self._quick_exit = True
        self.alive = False
        self.cfg.worker_int(self)

    def _abort(self) -> None:
        self.alive = False
        self.cfg.worker_abort(self)
        sys.exit(1)

    def run(self) -> None:
        self.executor = ThreadPoolExecutor(self.cfg.threads, thread_name_prefix="lodpub-request")
        try:
            self.loop.run_until_complete(self._serve())
        finally:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.loop.close()

    async def _serve(self) -> None:
        servers = [
            await self.loop.create_server(lambda: Connection(self), sock=listener.sock)
            for listener in self.sockets
        ]
        while self.alive:
            self.notify()
            if self.ppid != os.getppid():
                self.log.info("Parent changed, shutting down: %s", self)
                break
            now = self.loop.time()
            for connection in list(self.connections):
                connection.check(now)
            if self.quiet.due(now) and self.executor is not None:
                # Off the loop: trimming a large heap takes milliseconds.
                self.executor.submit(give_back)
            await asyncio.sleep(TICK)
        for server in servers:
            server.close()
        # Requests in flight finish (their answers say Connection: close) within the
        # graceful timeout; idle connections are closed now.
        deadline = self.loop.time() + self.cfg.graceful_timeout
        while not self._quick_exit and self.loop.time() < deadline:
            for connection in list(self.connections):
                if connection.idle():
                    connection.close()
            if not self.connections:
                break
            self.notify()
            await asyncio.sleep(0.05)
        for connection in list(self.connections):
            connection.abort()

    # ---- what connections ask of the worker

    def parse(self, peer: tuple, line: bytes, head: bytes) -> ParsedRequest:
        """The request of `line` and `head` from `peer`, judged by gunicorn's rules once: the
        same bytes from the same address are the same request (clients repeat themselves)."""
        key = (peer[0], line, head)
        known = self._parsed.get(key)
        if known is None:
            known = ParsedRequest(self.cfg, peer, line, head)
            if len(line) + len(head) > REMEMBERED_HEAD:
                return known
            if len(self._parsed) >= REMEMBERED_REQUESTS:
                self._parsed.clear()
            self._parsed[key] = known
        return known.again()

    def call_app(self, connection: Connection, exchange: Exchange) -> None:
        assert self.executor is not None
        self.quiet.request(self.loop.time())
        self.executor.submit(call_app, self, connection, exchange)

    def answer_kept(
        self, connection: Connection, req: ParsedRequest
    ) -> tuple[bytes, bytes, bool] | None:
        """The head and body answering `req` from a kept page, and whether the connection stays
        open; None
        when no kept page answers it or the request needs the app (a body, 100-continue)."""
        if (
            self.fast is None
            or req.method not in ("GET", "HEAD")
            or req.body_expected
            or req._expected_100_continue
        ):
            return None
        memo = req.memo
        environ = memo.get(connection.sockname, _UNKNOWN)
        if environ is _UNKNOWN:
            environ = memo[connection.sockname] = kept.environ(req, connection.sockname)
        if environ is None:
            return None
        entry = self.fast.kept(environ)
        if entry is None:
            return None
        started = datetime.now() if self.log.access_log_enabled else None
        date = self.clock.date()
        force_close = not self.alive or not self.keepalive
        # The head of the last answer to this very request, while the second, the kept
        # response and the closing are the same (held weakly: the cache may drop the page).
        last = memo.get("answer")
        if last is not None and last[0]() is entry and last[1] == date and last[2] == force_close:
            head, body, keep, status, headers = last[3]
        else:
            status, headers, body = answer(entry, environ)
            head, body, keep = kept.response(req, status, headers, body, date, force_close)
            if body is entry.body or not body:
                memo["answer"] = (
                    weakref.ref(entry),
                    date,
                    force_close,
                    (head, body, keep, status, headers),
                )
        if self.log.access_log_enabled:
            logged = dict(
                environ, REMOTE_ADDR=connection.peer[0], REMOTE_PORT=str(connection.peer[1])
            )
            sent = _Sent(status, headers, len(head) + len(body))
            self.log.access(sent, req, logged, datetime.now() - started)
        return head, body, keep

    def answer_error(self, connection: Connection, exchange: Exchange) -> None:
        """gunicorn's error answer (and log line) for a request it could not parse."""
        self.handle_error(exchange.req, _LoopSocket(connection), connection.peer, exchange.error)


class _LoopSocket:
    """What gunicorn's error writer writes to, from the loop: straight to the transport."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def sendall(self, data: bytes) -> None:
        if not self.connection.closed:
            self.connection.transport.write(data)  # type: ignore[union-attr]

    def gettimeout(self) -> float:
        return 0.0


class _Sent:
    """The parts of gunicorn's Response its access log reads."""

    def __init__(self, status: str, headers: list, sent: int) -> None:
        self.status = status
        self.headers = headers
        self.sent = sent


_UNKNOWN = object()
