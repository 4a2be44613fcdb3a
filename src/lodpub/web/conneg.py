"""Content negotiation shared by every page kind: the formats lodpub speaks and how one is picked.

`Accept` is read through werkzeug (`request.accept_mimetypes`: q-values, wildcards, specificity);
a `format` request parameter, when given, wins over it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Request


@dataclass(frozen=True)
class Format:
    """One serialization: its short names (for `format=`), media types and pyoxigraph format."""

    names: tuple[str, ...]
    media_type: str
    syntax: ox.QueryResultsFormat | ox.RdfFormat | None
    # Further media types clients use for the same thing (matched, never sent).
    aliases: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.names[0]

    @property
    def content_type(self) -> str:
        """The Content-Type header: text formats carry their charset."""
        if self.media_type.startswith("text/"):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type


SPARQL_JSON = Format(
    ("json", "srj"),
    "application/sparql-results+json",
    ox.QueryResultsFormat.JSON,
    ("application/json", "text/javascript", "application/javascript"),
)
SPARQL_XML = Format(
    ("xml", "srx"),
    "application/sparql-results+xml",
    ox.QueryResultsFormat.XML,
    ("application/xml",),
)
CSV = Format(("csv",), "text/csv", ox.QueryResultsFormat.CSV)
TSV = Format(("tsv",), "text/tab-separated-values", ox.QueryResultsFormat.TSV)
TURTLE = Format(
    ("ttl", "turtle", "n3"), "text/turtle", ox.RdfFormat.TURTLE, ("application/turtle", "text/n3")
)
N_TRIPLES = Format(("nt", "ntriples", "n-triples"), "application/n-triples", ox.RdfFormat.N_TRIPLES)
RDF_XML = Format(
    ("rdf", "rdfxml", "rdf+xml", "xml", "owl"),
    "application/rdf+xml",
    ox.RdfFormat.RDF_XML,
    ("application/xml",),
)
JSON_LD = Format(
    ("jsonld", "json-ld", "json"),
    "application/ld+json",
    ox.RdfFormat.JSON_LD,
    ("application/x-json+ld", "application/json"),
)
TRIG = Format(("trig",), "application/trig", ox.RdfFormat.TRIG)
N_QUADS = Format(("nq", "nquads", "n-quads"), "application/n-quads", ox.RdfFormat.N_QUADS)
HTML = Format(("html",), "text/html", None, ("application/xhtml+xml",))

# Server preference first: it is what `*/*` and a missing Accept get.
SOLUTION_FORMATS = (SPARQL_JSON, SPARQL_XML, CSV, TSV)
GRAPH_FORMATS = (TURTLE, N_TRIPLES, RDF_XML, JSON_LD, TRIG, N_QUADS)


def negotiate(request: Request, formats: Sequence[Format], param: str = "format") -> Format | None:
    """The best format for this request, or None when nothing offered is acceptable (406)."""
    requested = _requested(request, param)
    if requested:
        for value in requested:
            wanted = value.strip().lower().split(";")[0].strip()
            for fmt in formats:
                if wanted in fmt.names or wanted == fmt.media_type or wanted in fmt.aliases:
                    return fmt
        return None
    offers = {fmt.media_type: fmt for fmt in formats}
    for fmt in formats:
        for alias in fmt.aliases:
            offers.setdefault(alias, fmt)
    if not request.accept_mimetypes:
        return formats[0]
    best = request.accept_mimetypes.best_match(list(offers))
    return offers[best] if best else None


def prefers_html(request: Request, formats: Sequence[Format]) -> bool:
    """True when the client (a browser) would rather have a page than any of `formats`."""
    return not _requested(request, "format") and negotiate(request, (*formats, HTML)) is HTML


def _requested(request: Request, param: str) -> list[str]:
    return [value for value in request.values.getlist(param) if value.strip()]


def media_types(formats: Sequence[Format]) -> str:
    """The offered media types, for a 406 message."""
    return ", ".join(fmt.media_type for fmt in formats)
