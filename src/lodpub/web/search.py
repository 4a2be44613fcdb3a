"""`/search?q=`: documents whose title or text holds every word, and the entities the name means.

Documents: the full-text index of the store version (lodpub.web.text_index, SQLite FTS5),
written when the version is published (else the first time it is searched) and kept on disk;
words match as word prefixes, ignoring case and diacritics. Entities: the reconciliation matcher
(`lodpub.web.reconcile.matcher`, lookup mode), so the search box, `/lookup` and `/reconcile`
fold and rank names alike. Bounded: at most `MAX_TERMS` words of `MAX_QUERY` characters,
`MAX_RESULTS` results of each kind (more are counted and said). Twin: `/search.json?q=`, which
also takes `in=title` (documents whose title holds every word) and `kinds=document` (no
entity matching): the documented way for programs, SPARQL users included, to ask the index.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, Response, request

from lodpub.resolve.names import fold
from lodpub.store.text_index import rows as text_rows
from lodpub.web.conneg import HTML, Format
from lodpub.web.graph_view import GraphView
from lodpub.web.reconcile.matcher import LOOKUP, Candidate
from lodpub.web.reconcile.service import matcher_of
from lodpub.web.refs import ref
from lodpub.web.render import Alternate, error, ld, local, page, respond
from lodpub.web.text_index import Row, folded_spans

bp = Blueprint("search", __name__)

MAX_QUERY = 200
MAX_TERMS = 8
MAX_RESULTS = 50
SNIPPET = 90
JSON = Format(("json",), "application/json", None)


@dataclass
class Hit:
    iri: str
    kind: str
    label: str
    href: str
    score: int
    snippet: list[tuple[str, bool]]  # (text, is a match)


def rows(view: GraphView) -> Iterator[Row]:
    """Every document of the snapshot as the text index holds it (read only when the version
    has no index yet)."""
    yield from text_rows(view.store, view.addresses.thing(""))


def index_of(view: GraphView) -> Path:
    """The text index file of the snapshot's version: its publisher's, else written now."""
    return ld().text_index.ensure(view.version, rows(view))


def terms_of(query: str) -> list[str]:
    if len(query) > MAX_QUERY:
        raise ValueError(f"q: at most {MAX_QUERY} characters, got {len(query)}")
    terms = list(dict.fromkeys(t.lower() for t in query.split()))
    if len(terms) > MAX_TERMS:
        raise ValueError(f"q: at most {MAX_TERMS} words, got {len(terms)}")
    return terms


def search(
    view: GraphView, terms: list[str], *, title_only: bool = False, entities: bool = True
) -> tuple[dict[str, list[Hit]], dict[str, int]]:
    """Hits by "document" and "entity", best first, at most MAX_RESULTS each; and totals."""
    hits: dict[str, list[Hit]] = {"document": [], "entity": []}
    totals = {"document": 0, "entity": 0}
    if not terms:
        return hits, totals
    if entities:
        matched = matcher_of(view).match(" ".join(terms), limit=None, mode=LOOKUP)
        totals["entity"] = len(matched)
        hits["entity"] = sorted(
            (_entity_hit(view, c, terms) for c in matched),
            key=lambda h: (-h.score, h.label.lower()),
        )[:MAX_RESULTS]
    found, totals["document"] = ld().text_index.search(
        index_of(view), terms, limit=MAX_RESULTS, title_only=title_only
    )
    for item in found:
        # An exact title comes first; otherwise the index's rank, in hundredths.
        score = round(item.rank * 100) + (1000 if item.exact_title else 0)
        snippet = _snippet(item.text, terms)
        hits["document"].append(
            Hit(item.iri, "document", item.label, ref(view, item.iri).href, score, snippet)
        )
    return hits, totals


def _entity_hit(view: GraphView, candidate: Candidate, terms: list[str]) -> Hit:
    """An entity found by the matcher; its snippet is the name that matched, words marked."""
    entity = candidate.entity
    wanted = set(fold(" ".join(terms)).split())
    pieces = []
    for number, word in enumerate(candidate.name.split()):
        folded = fold(word).split()
        if number:
            pieces.append((" ", False))
        pieces.append((word, bool(folded) and all(w in wanted for w in folded)))
    href = ref(view, entity.iri).href
    return Hit(entity.iri, entity.kind, entity.label, href, round(candidate.score), pieces)


def _snippet(text: str, terms: list[str]) -> list[tuple[str, bool]]:
    """Some SNIPPET characters either side of the first word found, every word found marked."""
    found = {term: folded_spans(text, term) for term in terms}
    starts = [spans[0][0] for spans in found.values() if spans]
    first = min(starts, default=0)
    start = max(0, first - SNIPPET)
    end = min(len(text), first + SNIPPET)
    window = text[start:end]
    spans = sorted(
        (a - start, min(b, end) - start)
        for found_spans in found.values()
        for a, b in found_spans
        if start <= a < end
    )
    pieces, cursor = [], 0
    for a, b in spans:
        if a < cursor:
            continue
        pieces.append((window[cursor:a], False))
        pieces.append((window[a:b], True))
        cursor = b
    pieces.append((window[cursor:], False))
    if start > 0:
        pieces.insert(0, ("…", False))
    if end < len(text):
        pieces.append(("…", False))
    return [(piece.replace("\n", " "), match) for piece, match in pieces if piece]


@bp.route("/search", defaults={"ext": None}, methods=["GET"])
@bp.route("/search.<ext>", methods=["GET"])
def search_page(ext: str | None) -> Response:
    fmt = {None: HTML, "html": HTML, "json": JSON}.get(ext)
    if fmt is None:
        return error(404, "Not Found", f"no search format .{ext}", HTML)
    query = request.args.get("q", "")
    try:
        terms = terms_of(query)
        title_only = _choice("in", ("all", "title")) == "title"
        entities = _choice("kinds", ("all", "document")) == "all"
    except ValueError as exc:
        return error(400, "Bad Request", str(exc), HTML if fmt is HTML else None)
    view = ld().view()
    alternates = [
        Alternate(local("/search") + _query_string(query), HTML.media_type, "HTML page"),
        Alternate(local("/search.json") + _query_string(query), JSON.media_type, "JSON"),
    ]

    def build() -> bytes:
        hits, totals = search(view, terms, title_only=title_only, entities=entities)
        if fmt is JSON:
            body = {
                "query": query,
                "terms": terms,
                "totals": totals,
                "limit": MAX_RESULTS,
                "documents": [_as_json(h) for h in hits["document"]],
                "entities": [_as_json(h) for h in hits["entity"]],
            }
            return json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")
        return page(
            "search.html",
            query=query,
            hits=hits,
            totals=totals,
            limit=MAX_RESULTS,
            alternates=alternates,
        )

    return respond(
        view,
        fmt,
        build,
        alternates=alternates,
        variant="/search" + _query_string(query),
        cache=False,
    )


def _as_json(hit: Hit) -> dict:
    # dataclasses.asdict deep-copies every snippet piece: several times slower for 100 hits.
    return {
        "iri": hit.iri,
        "kind": hit.kind,
        "label": hit.label,
        "href": hit.href,
        "score": hit.score,
        "snippet": [[text, match] for text, match in hit.snippet],
    }


def _choice(name: str, allowed: tuple[str, ...]) -> str:
    """The value of parameter `name` (default: the first allowed); ValueError naming it."""
    value = request.args.get(name, allowed[0])
    if value not in allowed:
        raise ValueError(f"{name}: one of {', '.join(allowed)}, got {value!r}")
    return value


def _query_string(query: str) -> str:
    return "?" + urlencode({"q": query}) if query else ""
