"""Where things live: the IRIs lodpub mints under the base URI and the URLs that serve them.

A thing `{base}/id/{rest}` is described at `/page/{rest}` (HTML) and `/data/{rest}.{ext}`;
a graph `{base}/graph/{rest}` at `/page/graph/{rest}` and `/data/graph/{rest}.{ext}`. URLs are
built from the request (host, scheme, script root after ProxyFix), never from the base URI, so
a server on another host or behind a proxy links to where the client can follow.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, unquote

import pyoxigraph as ox
from flask import Request

THING = "id/"
GRAPH = "graph/"
# Characters an IRI path keeps as they are when it becomes a URL path (`%` keeps escapes).
_PATH_SAFE = "/%:@!$&'()*+,;=~-._"
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
# What an IRI cannot hold unescaped (RFC 3987): spaces, controls and these delimiters.
_NOT_IN_IRIS = frozenset(' <>"{}|\\^`') | {chr(c) for c in range(0x21)} | {chr(0x7F)}


@dataclass(frozen=True)
class Target:
    """What a local path names: the IRI and whether it is a thing (`/id/`) or a graph."""

    iri: str
    kind: str  # "thing" or "graph"
    rest: str  # the IRI's path after `{base}/id/` or `{base}/graph/`


class Addresses:
    """Maps the IRIs of one base URI to local paths (relative to the script root) and back."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self._things = f"{self.base}/{THING}"
        self._graphs = f"{self.base}/{GRAPH}"

    def is_local(self, iri: str) -> bool:
        """True for an IRI this server describes (under `{base}/id/` or `{base}/graph/`)."""
        return iri.startswith((self._things, self._graphs))

    def thing(self, rest: str) -> str:
        return self._things + rest

    def graph(self, rest: str) -> str:
        return self._graphs + rest

    def split(self, iri: str) -> Target | None:
        if iri.startswith(self._things):
            return Target(iri, "thing", iri[len(self._things) :])
        if iri.startswith(self._graphs):
            return Target(iri, "graph", iri[len(self._graphs) :])
        return None

    def _described(self, iri: str) -> str | None:
        target = self.split(iri)
        if target is None:
            return None
        rest = target.rest if target.kind == "thing" else GRAPH + target.rest
        return quote(rest, safe=_PATH_SAFE)

    def page_path(self, iri: str) -> str | None:
        """`/page/...` for a local IRI, None for any other."""
        described = self._described(iri)
        return None if described is None else f"/page/{described}"

    def data_path(self, iri: str, extension: str) -> str | None:
        described = self._described(iri)
        return None if described is None else f"/data/{described}.{extension}"

    def uri_path(self, iri: str) -> str | None:
        """The local path of the IRI itself (`/id/...` or `/graph/...`)."""
        target = self.split(iri)
        if target is None:
            return None
        prefix = THING if target.kind == "thing" else GRAPH
        return "/" + prefix + quote(target.rest, safe=_PATH_SAFE)

    def from_described(self, described: str) -> list[Target]:
        """The IRIs a `/page/{described}` or `/data/{described}.ext` path may name, best first.

        `described` is the raw (still percent-encoded) path; the decoded form is tried too,
        for IRIs minted with characters a client must escape in a URL."""
        candidates = []
        for form in _forms(described):
            if form.startswith(GRAPH):
                candidates.append(Target(self.graph(form[len(GRAPH) :]), "graph", form))
            candidates.append(Target(self.thing(form), "thing", form))
        return _usable(candidates, described, self.thing, "thing")

    def from_uri_path(self, prefix: str, rest: str) -> list[Target]:
        """The IRIs an `/id/{rest}` or `/graph/{rest}` request may name, best first."""
        kind = "thing" if prefix == THING else "graph"
        build = self.thing if kind == "thing" else self.graph
        targets = [Target(build(form), kind, form) for form in _forms(rest)]
        return _usable(targets, rest, build, kind)


def _usable(
    targets: list[Target], path: str, build: Callable[[str], str], kind: str
) -> list[Target]:
    """The targets that are IRIs; when none is, the path escaped (an IRI that names nothing)."""
    usable = [t for t in targets if _is_iri(t.iri)]
    if usable:
        return usable
    escaped = quote(path, safe=_PATH_SAFE)
    return [Target(build(escaped), kind, escaped)]


def _is_iri(text: str) -> bool:
    """True when `text` is an IRI the store can hold: a path such as `%zz` names nothing."""
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def _forms(path: str) -> list[str]:
    """The raw path, and its decoded form when that is still a valid IRI path."""
    forms = [path]
    decoded = unquote(path)
    if decoded != path and not any(c in decoded for c in _NOT_IN_IRIS):
        forms.append(decoded)
    return forms


def path_problem(raw: str) -> str | None:
    """What makes a raw request path unusable as an IRI path, or None when it is usable."""
    if match := _BAD_ESCAPE.search(raw):
        return f"has a % not followed by two hex digits at character {match.start() + 1}"
    try:
        unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return "has percent-escapes of bytes that are not UTF-8"
    return None


def raw_path(request: Request) -> str:
    """The request path as the client sent it (percent-escapes kept), without the script root.

    Flask decodes the path, which loses the difference between `/` and `%2F`; IRIs minted with
    escaped names need the raw form. gunicorn and werkzeug's server give it as RAW_URI or
    REQUEST_URI; other servers get the path re-escaped."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if raw:
        raw = raw.split("?", 1)[0]
        if "://" in raw:  # an absolute-form request target
            raw = "/" + raw.split("://", 1)[1].split("/", 1)[-1]
        root = request.script_root
        if root and raw.startswith(root + "/"):
            raw = raw[len(root) :]
        if unquote(raw) == request.path:
            return raw
    return quote(request.path, safe=_PATH_SAFE)
