"""Running the WSGI app for one request, in a thread, as gunicorn's gthread worker runs it.

The environ and the response framing are gunicorn's own (`gunicorn.http.wsgi`); only the
socket is replaced by `AppSocket`, which hands bytes to the event loop with back-pressure.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import TYPE_CHECKING, Any

from gunicorn.http import wsgi
from gunicorn.http.errors import NoMoreData

from lodpub.web.front.connection import TRANSFER_TIMEOUT

if TYPE_CHECKING:
    from lodpub.web.front.connection import Connection, Exchange
    from lodpub.web.front.worker import Worker

# Bytes read from a file per write when the app answers with a file (a dump).
FILE_BLOCK = 256 * 1024
# A client gone away, or gone quiet (NoMoreData: its request body stopped coming): no
# traceback in the log, as with gunicorn.
_CLIENT_GONE = (BrokenPipeError, ConnectionResetError, TimeoutError, NoMoreData)


class AppSocket:
    """What gunicorn's Response writes to: bytes go to the connection through the loop."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def sendall(self, data: bytes) -> None:
        if data:
            self.connection.send(bytes(data))

    def send(self, data: bytes) -> int:
        self.sendall(data)
        return len(data)

    def sendfile(self, file: Any, offset: int = 0, count: int | None = None) -> int:
        """Send `count` bytes of `file` from `offset`, a block at a time: a dump of hundreds
        of MB is never held in memory, and a client that reads slowly slows the reading."""
        descriptor = file.fileno()
        sent = 0
        while count is None or sent < count:
            size = FILE_BLOCK if count is None else min(FILE_BLOCK, count - sent)
            block = os.pread(descriptor, size, offset + sent)
            if not block:
                break
            self.sendall(block)
            sent += len(block)
        return sent

    def gettimeout(self) -> float:
        return TRANSFER_TIMEOUT

    def setblocking(self, flag: bool) -> None:
        """Writes never block the loop; the app's thread waits in `Connection.send`."""


def call_app(worker: Worker, connection: Connection, exchange: Exchange) -> None:
    """Answer `exchange` with the WSGI app, then tell the connection (in the loop)."""
    keep = False
    try:
        keep = _answer(worker, connection, exchange)
    finally:
        connection.loop.call_soon_threadsafe(connection.app_done, exchange, keep)


def _answer(worker: Worker, connection: Connection, exchange: Exchange) -> bool:
    req = exchange.req
    sock = AppSocket(connection)
    environ: dict = {}
    resp = None
    try:
        worker.cfg.pre_request(worker, req)
        request_start = datetime.now()
        resp, environ = wsgi.create(req, sock, connection.peer, connection.sockname, worker.cfg)
        environ["wsgi.multithread"] = True
        if not worker.alive or not worker.keepalive:
            resp.force_close()
        respiter = worker.wsgi(environ, resp.start_response)
        try:
            if isinstance(respiter, environ["wsgi.file_wrapper"]):
                resp.write_file(respiter)
            else:
                for item in respiter:
                    resp.write(item)
            resp.close()
        finally:
            worker.log.access(resp, req, environ, datetime.now() - request_start)
            if hasattr(respiter, "close"):
                respiter.close()
        return not resp.should_close()
    except _CLIENT_GONE as exc:
        worker.log.debug("Client gone: %s", exc)
    except OSError:
        worker.log.exception("Socket error processing request.")
    except Exception as exc:
        if resp is not None and resp.headers_sent:
            worker.log.exception("Error handling request")
        else:
            worker.handle_error(req, sock, connection.peer, exc)
    finally:
        try:
            worker.cfg.post_request(worker, req, environ, resp)
        except Exception:
            worker.log.exception("Exception in post_request hook")
    return False
