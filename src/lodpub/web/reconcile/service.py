"""`/reconcile`: the W3C Reconciliation Service API 0.2 endpoint, as OpenRefine speaks it.

- `GET /reconcile` — the service manifest; `GET|POST /reconcile` with `queries=` (JSON, form
  field or query parameter) — a batch of reconciliation queries, answered per query id;
- `GET /reconcile/preview?id=` — a small HTML card of an entity, for an iframe;
- `GET /reconcile/view?id=` — 303 to the entity's page (the manifest's view template);
- `GET /reconcile/suggest/{entity,type,property}?prefix=&cursor=` — the suggest services.

Entity ids are our IRIs (`{base}/id/person/kim-il-sung`), so a reconciled spreadsheet holds
the URIs themselves. CORS comes from the app (`cors_origin`); JSONP is not offered (0.2 made
CORS the way, and JSONP lets a service run script in its client).
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request

from lodpub import __version__
from lodpub.web.graph_view import GraphView
from lodpub.web.labels import Vocabulary
from lodpub.web.reconcile.entities import KINDS, PROPERTIES, Entity
from lodpub.web.reconcile.index import name_index
from lodpub.web.reconcile.matcher import Candidate, Matcher
from lodpub.web.reconcile.queries import (
    MAX_BATCH,
    BatchTooLarge,
    QueryError,
    parse_batch,
    type_filter,
    type_iri,
)
from lodpub.web.render import absolute, ld

bp = Blueprint("reconcile", __name__)

PREVIEW_WIDTH = 400
PREVIEW_HEIGHT = 240
SUGGEST_PAGE = 10
MAX_PREFIX = 200
CRM_SCHEMA = "http://www.cidoc-crm.org/cidoc-crm/"


def matcher_of(view: GraphView) -> Matcher:
    """The matcher over the view's name index (built once per store version)."""
    return Matcher(name_index(view))


def json_response(body: Any, status: int = 200) -> Response:
    text = json.dumps(body, ensure_ascii=False, indent=None, separators=(",", ":"))
    return Response(text, status, content_type="application/json; charset=utf-8")


def json_error(status: int, message: str) -> Response:
    return json_response({"error": message, "status": status}, status)


def type_object(kind: str) -> dict[str, str]:
    meta = KINDS[kind]
    return {"id": meta.iri, "name": meta.label}


def types_of(entity: Entity, vocabulary: Vocabulary) -> list[dict[str, str]]:
    """The candidate's kind as a type, then its more specific CRM classes (Activity, ...)."""
    found = [type_object(entity.kind)]
    for iri in sorted(entity.classes):
        if iri.startswith(CRM_SCHEMA) and iri != found[0]["id"]:
            found.append({"id": iri, "name": vocabulary.label(iri)})
    return found


def candidate_json(candidate: Candidate, vocabulary: Vocabulary) -> dict[str, Any]:
    entity = candidate.entity
    body: dict[str, Any] = {
        "id": entity.iri,
        "name": entity.label,
        "type": types_of(entity, vocabulary),
        "score": candidate.score,
        "match": candidate.match,
        "features": [
            {"id": "name_exact", "value": candidate.exact},
            {"id": "properties_met", "value": candidate.constraints_met},
            {"id": "reviewed", "value": entity.reviewed is not False},
        ],
    }
    if entity.description:
        body["description"] = entity.description
    return body


def manifest() -> dict[str, Any]:
    root = absolute("/reconcile")
    settings = ld().settings
    return {
        "versions": ["0.2"],
        "name": f"{settings.dataset_title} (lodpub)",
        "identifierSpace": f"{settings.base_uri}/id/",
        "schemaSpace": CRM_SCHEMA,
        "documentation": absolute("/openapi.json"),
        "serviceVersion": __version__,
        "defaultTypes": [
            {"id": k.iri, "name": k.label, "description": k.description} for k in KINDS.values()
        ],
        "view": {"url": root + "/view?id={{id}}"},
        "preview": {
            "url": root + "/preview?id={{id}}",
            "width": PREVIEW_WIDTH,
            "height": PREVIEW_HEIGHT,
        },
        "suggest": {
            name: {"service_url": root, "service_path": f"/suggest/{name}"}
            for name in ("entity", "type", "property")
        },
        "batchSize": MAX_BATCH,
    }


@bp.route("/reconcile", methods=["GET", "POST"])
def endpoint() -> Response:
    raw = request.values.get("queries")
    if raw is None:
        if "extend" in request.values:
            return json_error(400, "extend: the data extension service is not offered")
        if request.method == "POST":
            return json_error(400, "queries: missing (a JSON batch of reconciliation queries)")
        return json_response(manifest())
    shared = ld()
    view = shared.view()
    try:
        queries = parse_batch(raw, shared.vocabulary)
    except BatchTooLarge as exc:
        return json_error(413, str(exc))
    except QueryError as exc:
        return json_error(400, str(exc))
    matcher = matcher_of(view)
    results = {}
    for query in queries:
        found = matcher.match(
            query.text, accept=query.accept, constraints=query.constraints, limit=query.limit
        )
        results[query.key] = {"result": [candidate_json(c, shared.vocabulary) for c in found]}
    return json_response(results)


def _entity_of(view: GraphView) -> Entity | Response:
    iri = request.args.get("id", "").strip()
    if not iri:
        return json_error(400, "id: missing (the IRI of an entity)")
    index = name_index(view)
    number = index.by_iri.get(iri)
    if number is None:
        return json_error(404, f"id: no person, group, place or event {iri!r}")
    return index.entities[number]


@bp.route("/reconcile/view", methods=["GET"])
def view_entity() -> Response:
    view = ld().view()
    entity = _entity_of(view)
    if isinstance(entity, Response):
        return entity
    return redirect(absolute(view.addresses.page_path(entity.iri) or "/"), 303)


@bp.route("/reconcile/preview", methods=["GET"])
def preview() -> Response:
    view = ld().view()
    entity = _entity_of(view)
    if isinstance(entity, Response):
        return entity
    related = []
    for prop in ("member_of", "falls_within", "took_place_at"):
        iris = entity.links.get(prop, ())
        if iris:
            related.append((PROPERTIES[prop].name, [view.label(i) for i in iris]))
    html = render_template(
        "reconcile_preview.html",
        entity=entity,
        kind=KINDS[entity.kind].label,
        names=[n for n in entity.names if n != entity.label],
        related=related,
        page=absolute(view.addresses.page_path(entity.iri) or "/"),
        width=PREVIEW_WIDTH,
        height=PREVIEW_HEIGHT,
    )
    return Response(html, content_type="text/html; charset=utf-8")


def _paging() -> tuple[str, int] | Response:
    prefix = request.args.get("prefix", "")
    if len(prefix) > MAX_PREFIX:
        return json_error(400, f"prefix: at most {MAX_PREFIX} characters, got {len(prefix)}")
    cursor = request.args.get("cursor", "0")
    if not cursor.isdigit():
        return json_error(400, f"cursor: must be a non-negative integer, got {cursor!r}")
    return prefix, int(cursor)


@bp.route("/reconcile/suggest/entity", methods=["GET"])
def suggest_entity() -> Response:
    paging = _paging()
    if isinstance(paging, Response):
        return paging
    prefix, cursor = paging
    shared = ld()
    type_id = request.args.get("type")
    try:
        accept = type_filter([type_id] if type_id else None, shared.vocabulary)
    except QueryError as exc:
        return json_error(400, str(exc))
    found = matcher_of(shared.view()).suggest(prefix, accept=accept)
    result = []
    for candidate in found[cursor : cursor + SUGGEST_PAGE]:
        entity = candidate.entity
        item = {"id": entity.iri, "name": entity.label, "notable": [type_object(entity.kind)]}
        if entity.description:
            item["description"] = entity.description
        result.append(item)
    return json_response({"result": result})


@bp.route("/reconcile/suggest/type", methods=["GET"])
def suggest_type() -> Response:
    paging = _paging()
    if isinstance(paging, Response):
        return paging
    prefix, cursor = paging
    wanted = prefix.strip().casefold()
    result = [
        {"id": k.iri, "name": k.label, "description": k.description}
        for k in KINDS.values()
        if _begins(wanted, k.label, k.name, k.iri.rsplit("/", 1)[-1], k.iri)
    ]
    return json_response({"result": result[cursor : cursor + SUGGEST_PAGE]})


@bp.route("/reconcile/suggest/property", methods=["GET"])
def suggest_property() -> Response:
    paging = _paging()
    if isinstance(paging, Response):
        return paging
    prefix, cursor = paging
    type_id = request.args.get("type")
    kinds = set(KINDS)
    if type_id:
        kinds = {k.name for k in KINDS.values() if type_iri(type_id) == k.iri}
        if not kinds:
            known = ", ".join(k.iri for k in KINDS.values())
            return json_error(400, f"type: not one of our types {type_id!r} ({known})")
    wanted = prefix.strip().casefold()
    result = [
        {"id": p.id, "name": p.name, "description": p.description}
        for p in PROPERTIES.values()
        if kinds & set(p.kinds) and _begins(wanted, p.name, p.id)
    ]
    return json_response({"result": result[cursor : cursor + SUGGEST_PAGE]})


def _begins(wanted: str, *names: str) -> bool:
    """True when some word of some name begins with what was typed (everything for "")."""
    if not wanted:
        return True
    for name in names:
        folded = name.casefold()
        if folded.startswith(wanted) or any(
            w.startswith(wanted) for w in folded.replace("_", " ").split()
        ):
            return True
    return False
