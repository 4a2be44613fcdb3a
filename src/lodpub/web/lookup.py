"""`/lookup?q=&type=&limit=`: names to entities as JSON, for programs and as-you-type boxes.

The same matcher as `/reconcile` and the search page (same folding, same scores), in its
generous mode: a last word still being typed counts as the start of a word, and weaker
candidates are kept. `type` (repeatable) is a kind word (`person`) or a CRM class.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from lodpub.web.reconcile.matcher import LOOKUP
from lodpub.web.reconcile.queries import MAX_LIMIT, QueryError, type_filter
from lodpub.web.reconcile.service import candidate_json, json_error, json_response, matcher_of
from lodpub.web.render import absolute, ld

bp = Blueprint("lookup", __name__)

MAX_QUERY = 200
DEFAULT_LIMIT = 10


@bp.route("/lookup", methods=["GET"])
def lookup() -> Response:
    query = request.args.get("q", "")
    if not query.strip():
        return json_error(400, "q: missing (the name to look up)")
    if len(query) > MAX_QUERY:
        return json_error(400, f"q: at most {MAX_QUERY} characters, got {len(query)}")
    limit = request.args.get("limit", str(DEFAULT_LIMIT))
    if not limit.isdigit() or not 1 <= int(limit) <= MAX_LIMIT:
        return json_error(400, f"limit: must be an integer from 1 to {MAX_LIMIT}, got {limit!r}")
    shared = ld()
    types = request.args.getlist("type")
    try:
        accept = type_filter(types or None, shared.vocabulary)
    except QueryError as exc:
        return json_error(400, str(exc))
    view = shared.view()
    found = matcher_of(view).match(query, accept=accept, limit=int(limit), mode=LOOKUP)
    results = []
    for candidate in found:
        item = candidate_json(candidate, shared.vocabulary)
        item["kind"] = candidate.entity.kind
        item["matched_name"] = candidate.name
        item["page"] = absolute(view.addresses.page_path(candidate.entity.iri) or "/")
        results.append(item)
    return json_response({"query": query, "type": types, "results": results})
