"""Responses every Linked Data page kind shares: formats, URLs, ETag/304, cache, alternates, errors.

URLs in pages are root-relative (`request.script_root + path`); URLs in headers and RDF are
absolute, built from the request's host (after ProxyFix), so a client can follow every link
whether the server runs on the base URI's host or elsewhere.

The ETag of a response is a hash of the store's content version, the site root the client
used, the path (with the parameters that change the body) and the format. A matching
`If-None-Match` is answered 304 before anything is built. A 200 built with `cache` on is
kept whole by the fast path (lodpub.web.fast_path), which answers the next request for it
before routing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pyoxigraph as ox
from flask import Response, current_app, render_template, request

from lodpub.web import conneg
from lodpub.web.addresses import raw_path
from lodpub.web.conneg import HTML, JSON_LD, N_TRIPLES, RDF_XML, TURTLE, Format
from lodpub.web.context_jsonld import CONTEXT_PATH, Compactor, all_prefixes
from lodpub.web.fast_path import KEEP
from lodpub.web.graph_view import GraphView

if TYPE_CHECKING:
    from lodpub.web.linked_data import LinkedData

# Server preference first: a request without Accept (or with only */*) gets Turtle, since
# browsers always ask for text/html and other clients that say nothing are programs.
DESCRIPTION_FORMATS: tuple[Format, ...] = (TURTLE, HTML, JSON_LD, RDF_XML, N_TRIPLES)
RDF_FORMATS: tuple[Format, ...] = (TURTLE, JSON_LD, RDF_XML, N_TRIPLES)
EXTENSIONS: dict[str, Format] = {
    "html": HTML,
    "ttl": TURTLE,
    "jsonld": JSON_LD,
    "rdf": RDF_XML,
    "nt": N_TRIPLES,
}
EXTENSION_OF = {fmt.media_type: ext for ext, fmt in EXTENSIONS.items()}
_PREFIXED = (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML)


@dataclass(frozen=True)
class Alternate:
    """Another representation of the same page: where it is and what it is."""

    href: str  # root-relative
    media_type: str
    title: str


def ld() -> LinkedData:
    """The app's shared Linked Data state (see linked_data.init_app)."""
    return current_app.extensions["lodpub.ld"]


def here() -> str:
    """The request's path as the client sent it (escapes kept), without the script root."""
    return raw_path(request)


def local(path: str) -> str:
    """A root-relative URL for a page: what `href` attributes get."""
    return request.script_root + path


def absolute(path: str) -> str:
    """An absolute URL on the host the client used: what headers and RDF get."""
    return request.host_url.rstrip("/") + request.script_root + path


def extension(fmt: Format) -> str:
    return EXTENSION_OF[fmt.media_type]


def alternates_for(path_of: Callable[[str], str], formats: Iterable[Format]) -> list[Alternate]:
    """One Alternate per format, `path_of(extension)` giving each one's path."""
    titles = {
        "html": "HTML page",
        "ttl": "Turtle",
        "jsonld": "JSON-LD",
        "rdf": "RDF/XML",
        "nt": "N-Triples",
    }
    return [
        Alternate(local(path_of(extension(f))), f.media_type, titles[extension(f)]) for f in formats
    ]


def serialize(triples: list[ox.Triple], fmt: Format, *, first: str | None = None) -> bytes:
    """Triples in an RDF format; JSON-LD is compacted with lodpub's published context."""
    if fmt is JSON_LD:
        return Compactor(ld().vocabulary).document(triples, absolute(CONTEXT_PATH), first)
    prefixes = all_prefixes() if fmt.syntax in _PREFIXED else None
    return ox.serialize(triples, format=fmt.syntax, prefixes=prefixes)


def etag(view: GraphView, fmt: Format, variant: str) -> str:
    key = "\n".join((view.version, request.url_root, variant, fmt.media_type))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]


def respond(
    view: GraphView,
    fmt: Format,
    build: Callable[[], bytes],
    *,
    alternates: list[Alternate] = (),
    variant: str | None = None,
    status: int = 200,
    cache: bool = True,
    content_location: str | None = None,
) -> Response:
    """A 200 (or 304) for a representation; `variant` names what the body depends on
    besides the store version and format (default: the path and the page number)."""
    if variant is None:
        variant = request.path + "?page=" + request.args.get("page", "1")
    tag = etag(view, fmt, variant)
    headers = _headers(fmt, alternates)
    if content_location is not None:
        headers["Content-Location"] = absolute(content_location)
    if status == 200 and request.if_none_match.contains_weak(tag):
        response = Response(status=304, headers=headers)
        response.set_etag(tag)
        return response
    body = build()
    if cache and status == 200:
        request.environ[KEEP] = view.version
    response = Response(body, status, headers=headers, content_type=fmt.content_type)
    if status == 200:
        response.set_etag(tag)
    return response


def _headers(fmt: Format, alternates: Iterable[Alternate]) -> dict[str, str]:
    links = [
        f'<{absolute_href(a.href)}>; rel="alternate"; type="{a.media_type}"'
        for a in alternates
        if a.media_type != fmt.media_type
    ]
    headers = {
        "Vary": "Accept",
        "Cache-Control": "public, no-cache",
        "Content-Location": absolute(here())
        + ("?" + request.query_string.decode("latin-1") if request.query_string else ""),
    }
    if links:
        headers["Link"] = ", ".join(links)
    return headers


def absolute_href(href: str) -> str:
    """An absolute URL for a root-relative one (which already carries the script root)."""
    return request.host_url.rstrip("/") + href


def page(template: str, **context: Any) -> bytes:
    """A rendered page; every template gets the site's navigation and dataset links."""
    settings = ld().settings
    html = render_template(
        template,
        site_title=settings.dataset_title,
        nav=_navigation(),
        **context,
    )
    return html.encode("utf-8")


def _navigation() -> list[tuple[str, str]]:
    return [
        ("Home", local("/")),
        ("Documents", local("/index/document")),
        ("People", local("/index/person")),
        ("Groups", local("/index/group")),
        ("Places", local("/index/place")),
        ("Events", local("/index/event")),
        ("Timeline", local("/timeline")),
        ("SPARQL", local("/sparql")),
        ("Dataset", local("/.well-known/void")),
    ]


def error(status: int, title: str, message: str, fmt: Format | None) -> Response:
    """An error in the asked format: an HTML page, a small RDF document, or plain text."""
    headers = {"Vary": "Accept"}
    if fmt is HTML:
        body = page("error.html", status=status, title=title, message=message)
        return Response(body, status, headers, content_type=HTML.content_type)
    if fmt in RDF_FORMATS:
        # The raw path, not Flask's decoded one ("/id/%25" must stay a valid IRI), with what
        # no IRI may hold (a raw "\\" or space) escaped.
        path = quote(raw_path(request), safe="/%:@!$&'()*+,;=~-._")
        here = ox.NamedNode(request.host_url.rstrip("/") + request.script_root + path)
        comment = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
        triples = [ox.Triple(here, comment, ox.Literal(f"{title}: {message}", language="en"))]
        return Response(serialize(triples, fmt), status, headers, content_type=fmt.content_type)
    return Response(f"{title}: {message}\n", status, headers, content_type="text/plain")


def negotiate(formats: tuple[Format, ...] = DESCRIPTION_FORMATS) -> Format | None:
    return conneg.negotiate(request, formats)


def not_acceptable(alternates: list[Alternate]) -> Response:
    """406 listing what is available, as plain text and with Link headers."""
    listed = "\n".join(f"  {a.media_type}  {absolute_href(a.href)}" for a in alternates)
    response = Response(
        "Not Acceptable: none of the formats in your Accept header is available. "
        f"This resource is available as:\n{listed}\n",
        406,
        content_type="text/plain; charset=utf-8",
    )
    response.headers.update(_headers(HTML, alternates))
    response.headers["Link"] = ", ".join(
        f'<{absolute_href(a.href)}>; rel="alternate"; type="{a.media_type}"' for a in alternates
    )
    del response.headers["Content-Location"]
    return response
