"""Kept pages answered from the event loop: the bytes gunicorn would write for them.

`environ` builds the few environ keys the fast path's lookup reads, as `gunicorn.http.wsgi`
would; `response` frames a kept answer the way gunicorn's Response does (status line, Server,
Date, Connection, the app's headers less hop-by-hop ones, body unless HEAD or 304).
"""

from __future__ import annotations

import os
import time
from email.utils import formatdate

from gunicorn import SERVER
from gunicorn.util import is_hoppish, unquote_to_wsgi_str

from lodpub.web.front.request import ParsedRequest

# The environ keys a header may not set by itself (gunicorn keeps them out of HTTP_*).
_OWN_KEYS = frozenset(("CONTENT-TYPE", "CONTENT-LENGTH"))


class Clock:
    """The Date header, formatted once a second rather than once a response."""

    def __init__(self) -> None:
        self._second = -1
        self._text = ""

    def date(self) -> str:
        now = time.time()
        second = int(now)
        if second != self._second:
            self._second = second
            self._text = formatdate(now, localtime=False, usegmt=True)
        return self._text


def environ(req: ParsedRequest, sockname: tuple) -> dict | None:
    """What the fast path reads of the environ gunicorn would build for `req`; None when the
    request is unusual enough (a header mapped to an environ key, a SCRIPT_NAME it does not
    start with) to be left to the full WSGI round-trip."""
    script_name = os.environ.get("SCRIPT_NAME", "")
    if script_name and not req.path.startswith(script_name):
        return None
    env = {
        "REQUEST_METHOD": req.method,
        "QUERY_STRING": req.query,
        "RAW_URI": req.uri,
        "SERVER_PROTOCOL": f"HTTP/{req.version[0]}.{req.version[1]}",
        "wsgi.url_scheme": req.scheme,
        "SERVER_NAME": str(sockname[0]),
        "SERVER_PORT": str(sockname[1]),
        "SCRIPT_NAME": script_name,
        "PATH_INFO": unquote_to_wsgi_str(req.path)[len(script_name) :],
    }
    for name, value in req.headers:
        if "_" in name:
            return None
        if name in _OWN_KEYS:
            continue
        key = "HTTP_" + name.replace("-", "_")
        env[key] = f"{env[key]},{value}" if key in env else value
    return env


def response(
    req: ParsedRequest,
    status: str,
    headers: list[tuple[str, str]],
    body: bytes,
    date: str,
    force_close: bool,
) -> tuple[bytes, bytes, bool]:
    """The head and the body of the answer, and whether the connection stays open after it."""
    code = int(status.split(None, 1)[0])
    omits_body = req.method == "HEAD" or code in (204, 304) or 100 <= code < 200
    forbids_length = code == 204 or 100 <= code < 200
    length = None
    lines = []
    for name, value in headers:
        value = value.strip(" \t")
        lowered = name.lower()
        if lowered == "content-length":
            if forbids_length:
                continue
            length = int(value)
        elif is_hoppish(name):
            continue
        lines.append(f"{name}: {value}\r\n")
    chunked = length is None and req.version > (1, 0) and not omits_body
    close = (
        force_close
        or req.should_close()
        or not (length is not None or chunked or omits_body or code < 200)
    )
    head = [
        f"HTTP/{req.version[0]}.{req.version[1]} {status}\r\n",
        f"Server: {SERVER}\r\n",
        f"Date: {date}\r\n",
        f"Connection: {'close' if close else 'keep-alive'}\r\n",
    ]
    if chunked:
        head.append("Transfer-Encoding: chunked\r\n")
    head.extend(lines)
    head.append("\r\n")
    data = "".join(head).encode("latin-1")
    if omits_body:
        return data, b"", not close
    if length is not None and len(body) > length:
        body = body[:length]
    if chunked:
        framed = b"%X\r\n%s\r\n" % (len(body), body) if body else b""
        return data, framed + b"0\r\n\r\n", not close
    return data, body, not close
