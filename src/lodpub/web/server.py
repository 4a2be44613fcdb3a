"""`lodpub serve` runs the app under gunicorn: one process, lodpub's asynchronous front worker.

One worker process is enough: its event loop parses requests and answers kept pages, and the
app runs in `threads` threads; pyoxigraph releases the GIL while it evaluates, so those threads
use every core, and the store is opened once.
"""

from __future__ import annotations

import math

from flask import Flask
from gunicorn.app.base import BaseApplication

from lodpub.web.app import create_app
from lodpub.web.front import MAX_REQUEST_LINE, REQUEST_IDLE_TIMEOUT, TRANSFER_TIMEOUT, Worker
from lodpub.web.settings import Settings

__all__ = ["MAX_REQUEST_LINE", "REQUEST_IDLE_TIMEOUT", "TRANSFER_TIMEOUT", "Server"]


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
