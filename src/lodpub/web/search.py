"""`/search?q=`: documents whose title or text holds every word, and the entities the name means.

Documents: a plain scan, not an index: the texts of the snapshot are read once into memory
(about the size of the texts) and each query walks them all, O(total text) — some 10 ms per
MB on one core. Entities: the reconciliation matcher (`lodpub.web.reconcile.matcher`, lookup
mode), so the search box, `/lookup` and `/reconcile` fold and rank names alike. Bounded: at
most `MAX_TERMS` words of `MAX_QUERY` characters, `MAX_RESULTS` results of each kind (more
are counted and said). A text index built at publish time replaces the scan later. Twin:
`/search.json?q=`.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, request

from lodpub.resolve.names import fold
from lodpub.web.conneg import HTML, Format
from lodpub.web.document import TITLE
from lodpub.web.graph_view import CONTENT, GraphView, node
from lodpub.web.kinds import things_by_kind
from lodpub.web.mentions import TEXT_OF
from lodpub.web.reconcile.matcher import LOOKUP, Candidate
from lodpub.web.reconcile.service import matcher_of
from lodpub.web.refs import ref
from lodpub.web.render import Alternate, error, ld, local, page, respond

bp = Blueprint("search", __name__)

MAX_QUERY = 200
MAX_TERMS = 8
MAX_RESULTS = 50
SNIPPET = 90
JSON = Format(("json",), "application/json", None)


@dataclass(frozen=True)
class Searchable:
    iri: str
    kind: str
    title: str
    text: str  # what is searched
    folded: str  # `text` lower-cased, same length, or "" when lower-casing changes lengths


@dataclass
class Hit:
    iri: str
    kind: str
    label: str
    href: str
    score: int
    snippet: list[tuple[str, bool]]  # (text, is a match)


def corpus(view: GraphView) -> list[Searchable]:
    return view.memo("search-corpus", lambda: _corpus(view))


def _corpus(view: GraphView) -> list[Searchable]:
    items = []
    kinds = things_by_kind(view)
    for iri in kinds.get("document", []):
        subject = node(iri)
        parts = [view.label(t) for t in view.objects(subject, TITLE)] or [view.label(iri)]
        for predicate in TEXT_OF:
            for text in view.objects(subject, predicate):
                if isinstance(text, ox.NamedNode):
                    parts.append(view.text(text, CONTENT) or "")
        items.append(_searchable(iri, "document", view.label(iri), "\n\n".join(parts)))
    return items


def _searchable(iri: str, kind: str, title: str, text: str) -> Searchable:
    folded = text.lower()
    return Searchable(iri, kind, title, text, folded if len(folded) == len(text) else "")


def terms_of(query: str) -> list[str]:
    if len(query) > MAX_QUERY:
        raise ValueError(f"q: at most {MAX_QUERY} characters, got {len(query)}")
    terms = list(dict.fromkeys(t.lower() for t in query.split()))
    if len(terms) > MAX_TERMS:
        raise ValueError(f"q: at most {MAX_TERMS} words, got {len(terms)}")
    return terms


def _positions(item: Searchable, term: str) -> list[int]:
    if item.folded:
        found, start = [], item.folded.find(term)
        while start != -1:
            found.append(start)
            start = item.folded.find(term, start + 1)
        return found
    return [m.start() for m in re.finditer(re.escape(term), item.text, re.IGNORECASE)]


def search(view: GraphView, terms: list[str]) -> tuple[dict[str, list[Hit]], dict[str, int]]:
    """Hits by "document" and "entity", best first, at most MAX_RESULTS each; and totals."""
    hits: dict[str, list[Hit]] = {"document": [], "entity": []}
    if not terms:
        return hits, {"document": 0, "entity": 0}
    matched = matcher_of(view).match(" ".join(terms), limit=None, mode=LOOKUP)
    hits["entity"] = [_entity_hit(view, c, terms) for c in matched]
    for item in corpus(view):
        found = {term: _positions(item, term) for term in terms}
        if not all(found.values()):
            continue
        score = sum(len(p) for p in found.values())
        if item.title.lower() == " ".join(terms):
            score += 1000  # an exact name or title comes first
        target = ref(view, item.iri)
        hits["document"].append(
            Hit(item.iri, item.kind, item.title, target.href, score, _snippet(item, terms, found))
        )
    totals = {group: len(found) for group, found in hits.items()}
    for group in hits:
        hits[group].sort(key=lambda h: (-h.score, h.label.lower()))
        del hits[group][MAX_RESULTS:]
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


def _snippet(
    item: Searchable, terms: list[str], found: dict[str, list[int]]
) -> list[tuple[str, bool]]:
    first = min(found[terms[0]])
    start = max(0, first - SNIPPET)
    end = min(len(item.text), first + SNIPPET)
    window = item.text[start:end]
    spans = []
    for term in terms:
        for position in found[term]:
            if start <= position < end:
                spans.append((position - start, min(position - start + len(term), len(window))))
    spans.sort()
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
    if end < len(item.text):
        pieces.append(("…", False))
    return [(text.replace("\n", " "), match) for text, match in pieces if text]


@bp.route("/search", defaults={"ext": None}, methods=["GET"])
@bp.route("/search.<ext>", methods=["GET"])
def search_page(ext: str | None) -> Response:
    fmt = {None: HTML, "html": HTML, "json": JSON}.get(ext)
    if fmt is None:
        return error(404, "Not Found", f"no search format .{ext}", HTML)
    query = request.args.get("q", "")
    try:
        terms = terms_of(query)
    except ValueError as exc:
        return error(400, "Bad Request", str(exc), HTML if fmt is HTML else None)
    view = ld().view()
    alternates = [
        Alternate(local("/search") + _query_string(query), HTML.media_type, "HTML page"),
        Alternate(local("/search.json") + _query_string(query), JSON.media_type, "JSON"),
    ]

    def build() -> bytes:
        hits, totals = search(view, terms)
        if fmt is JSON:
            body = {
                "query": query,
                "terms": terms,
                "totals": totals,
                "limit": MAX_RESULTS,
                "documents": [asdict(h) for h in hits["document"]],
                "entities": [asdict(h) for h in hits["entity"]],
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


def _query_string(query: str) -> str:
    return "?" + urlencode({"q": query}) if query else ""
