"""`/sitemap.xml`: every HTML page — home, indexes, timeline, and the page of every resource.

Over 50,000 URLs (the protocol's limit) it becomes a sitemap index of `/sitemap-{n}.xml`
files. URLs are absolute on the host the client used: a sitemap lists its own site.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

import pyoxigraph as ox
from flask import Blueprint, Response

from lodpub.web.conneg import Format
from lodpub.web.graph_view import GraphView
from lodpub.web.kinds import things_by_kind
from lodpub.web.render import absolute, error, ld, respond

bp = Blueprint("sitemap", __name__)

LIMIT = 50_000
XML = Format(("xml",), "application/xml", None)
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def page_paths(view: GraphView) -> list[str]:
    """Root-relative paths of every HTML page, the dataset's own pages first."""
    return view.memo("sitemap", lambda: _paths(view))


def _paths(view: GraphView) -> list[str]:
    paths = ["/", "/timeline", "/dataset"]
    if ld().live.remote is None:
        # A server over a remote engine writes no dumps (lodpub.web.dumps).
        paths.append("/dumps/")
    kinds = things_by_kind(view)
    size = ld().settings.page_size
    for kind, members in kinds.items():
        pages = max(1, math.ceil(len(members) / size))
        paths += [f"/index/{kind}" + ("" if n == 1 else f"?page={n}") for n in range(1, pages + 1)]
    prefix = view.addresses.base + "/id/"
    subjects = view.store.query(
        "SELECT DISTINCT ?s WHERE { ?s ?p ?o "
        f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{prefix}")) }}'
    )
    described = sorted(row["s"].value for row in subjects)
    graphs = sorted(
        g.value
        for g in view.store.named_graphs()
        if isinstance(g, ox.NamedNode) and view.addresses.split(g.value) is not None
    )
    for iri in [*described, *graphs]:
        path = view.addresses.page_path(iri)
        if path and path not in paths:
            paths.append(path)
    return list(dict.fromkeys(paths))


@bp.route("/sitemap.xml", defaults={"number": None}, methods=["GET"])
@bp.route("/sitemap-<int:number>.xml", methods=["GET"])
def sitemap(number: int | None) -> Response:
    view = ld().view()
    paths = page_paths(view)
    parts = max(1, math.ceil(len(paths) / LIMIT))
    if number is not None and not 1 <= number <= parts:
        return error(404, "Not Found", f"the sitemap has {parts} parts", None)

    def build() -> bytes:
        if number is None and parts > 1:
            entries = "".join(
                f"<sitemap><loc>{escape(absolute(f'/sitemap-{n}.xml'))}</loc></sitemap>\n"
                for n in range(1, parts + 1)
            )
            body = f'<sitemapindex xmlns="{NAMESPACE}">\n{entries}</sitemapindex>\n'
        else:
            start = ((number or 1) - 1) * LIMIT
            entries = "".join(
                f"<url><loc>{escape(absolute(path))}</loc></url>\n"
                for path in paths[start : start + LIMIT]
            )
            body = f'<urlset xmlns="{NAMESPACE}">\n{entries}</urlset>\n'
        return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")

    return respond(view, XML, build, variant=f"/sitemap-{number or 0}.xml")
