"""`lodpub serve` runs the app under gunicorn: one process, the gthread worker, N threads.

One worker process is enough: pyoxigraph releases the GIL while it evaluates, so the threads
of one process use every core, and the store is opened once.
"""

from __future__ import annotations

import math
import socket

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.http.errors import NoMoreData
from gunicorn.workers.gthread import ThreadWorker

from lodpub.web.app import create_app
from lodpub.web.settings import Settings

# gunicorn's own maximum; longer queries have to be sent by POST.
MAX_REQUEST_LINE = 8190
# Seconds a client may leave the server waiting for the next bytes of its request line and
# headers: a client that sends half a request and stalls is dropped, freeing its thread.
REQUEST_IDLE_TIMEOUT = 10
# Seconds one write of an answer (or one read of a request body) may take once the request
# is being handled: a client that stops reading cannot hold a thread for ever.
TRANSFER_TIMEOUT = 120


class _IdleLimitedSocket(socket.socket):
    """A client socket, while its request head is read: a stalled client times out."""

    __slots__ = ()

    def setblocking(self, flag: bool) -> None:
        # gunicorn makes a connection blocking (no timeout) before a thread reads from it.
        if flag:
            self.settimeout(REQUEST_IDLE_TIMEOUT)
        else:
            super().setblocking(False)

    def recv(self, *args: int) -> bytes:
        try:
            return super().recv(*args)
        except TimeoutError:
            # gunicorn logs a client gone quiet in one line, a timeout with a traceback.
            raise NoMoreData() from None


class Worker(ThreadWorker):
    """gunicorn's gthread worker with time limits on how long a client may stall."""

    def handle(self, conn):
        # An SSL connection is wrapped later, by gunicorn; only plain sockets are swapped.
        if type(conn.sock) is socket.socket:
            conn.sock.__class__ = _IdleLimitedSocket
        return super().handle(conn)

    def handle_request(self, req, conn):
        if type(conn.sock) is _IdleLimitedSocket:
            conn.sock.__class__ = socket.socket
        conn.sock.settimeout(TRANSFER_TIMEOUT)
        return super().handle_request(req, conn)


class Server(BaseApplication):
    """gunicorn configured from `Settings` alone (it reads no command line of its own)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        super().__init__(prog="lodpub serve")

    def load_config(self) -> None:
        host = self.settings.host
        bind = f"[{host}]:{self.settings.port}" if ":" in host else f"{host}:{self.settings.port}"
        options = {
            "bind": [bind],
            "workers": 1,
            "worker_class": Worker,
            "threads": self.settings.threads,
            # On shutdown, requests in flight get the time a query may take to be answered.
            "graceful_timeout": math.ceil(self.settings.query_timeout) + 5,
            "limit_request_line": MAX_REQUEST_LINE,
            "proc_name": "lodpub-serve",
            # Several servers (tests, instances) must not share gunicorn's control socket
            # (only recent gunicorn versions have one, hence the check below).
            "control_socket_disable": True,
        }
        for key, value in options.items():
            if key in self.cfg.settings:
                self.cfg.set(key, value)

    def load(self) -> Flask:
        return create_app(self.settings)
