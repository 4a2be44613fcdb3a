"""`/openapi.json`: the OpenAPI 3.1 description of lodpub's HTTP API.

The description is assembled from `AREAS`: each `Area` brings the paths it serves, the
component schemas they refer to and a tag. To describe more routes, write another Area
(a function returning one, like `reconciliation()`) and add it to `AREAS`; `document()` merges
them and checks that no path or schema is described twice. The server URL is the one the
client used (after ProxyFix), like every absolute URL lodpub writes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, request

from lodpub import __version__
from lodpub.web.reconcile.entities import KINDS, PROPERTIES
from lodpub.web.reconcile.queries import MAX_BATCH, MAX_LIMIT

bp = Blueprint("openapi", __name__)

SPEC = "https://reconciliation-api.github.io/specs/0.2/schemas/"
JSON = "application/json"


@dataclass(frozen=True)
class Area:
    """One part of the API: its tag, paths and component schemas."""

    tag: str
    description: str
    paths: dict[str, Any]
    schemas: dict[str, Any] = field(default_factory=dict)


def _param(name: str, where: str, description: str, schema: dict, required: bool = False) -> dict:
    return {
        "name": name,
        "in": where,
        "description": description,
        "required": required,
        "schema": schema,
    }


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict:
    return _json(description, _ref("Error"))


_TYPES = ", ".join(f"`{k.iri}` ({k.name})" for k in KINDS.values())
_PROPS = ", ".join(f"`{p.id}`" for p in PROPERTIES.values())


def reconciliation() -> Area:
    """The Reconciliation Service API 0.2 endpoint, its preview, view and suggest services."""
    queries = _param(
        "queries",
        "query",
        f"A reconciliation query batch (JSON), at most {MAX_BATCH} queries. Types: {_TYPES}, "
        f"or any CRM class. Properties: {_PROPS}. Without it: the service manifest.",
        {"type": "string", "contentMediaType": JSON},
    )
    answered = {
        "200": {
            "description": "The service manifest (no `queries`), or the result batch",
            "content": {
                JSON: {
                    "schema": {
                        "oneOf": [
                            {"$ref": SPEC + "manifest.json"},
                            {"$ref": SPEC + "reconciliation-result-batch.json"},
                        ]
                    }
                }
            },
        },
        "400": _error("The batch is not JSON, or a query has a field it cannot use (named)"),
        "413": _error(f"More than {MAX_BATCH} queries in one batch"),
    }
    id_param = _param("id", "query", "An entity IRI, as returned in `id`", {"type": "string"}, True)
    paging = [
        _param("prefix", "query", "What the user has typed", {"type": "string"}),
        _param("cursor", "query", "Suggestions to skip", {"type": "integer", "minimum": 0}),
    ]
    type_param = _param(
        "type", "query", f"Only entities of this type ({_TYPES})", {"type": "string"}
    )

    def suggest(what: str, schema: str, extra: list[dict]) -> dict:
        return {
            "get": {
                "tags": ["reconciliation"],
                "summary": f"Suggest {what} whose names begin with the prefix (10 a page)",
                "parameters": paging + extra,
                "responses": {
                    "200": _json(f"Suggested {what}", {"$ref": SPEC + schema}),
                    "400": _error("A parameter it cannot use (named)"),
                },
            }
        }

    return Area(
        tag="reconciliation",
        description="W3C Entity Reconciliation Service API 0.2 (what OpenRefine speaks)",
        paths={
            "/reconcile": {
                "get": {
                    "tags": ["reconciliation"],
                    "summary": "The service manifest, or the answers to a batch of queries",
                    "parameters": [queries],
                    "responses": answered,
                },
                "post": {
                    "tags": ["reconciliation"],
                    "summary": "The answers to a batch of queries (form field `queries`)",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/x-www-form-urlencoded": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "queries": {
                                            "type": "string",
                                            "contentMediaType": JSON,
                                            "contentSchema": {
                                                "$ref": SPEC + "reconciliation-query-batch.json"
                                            },
                                        }
                                    },
                                    "required": ["queries"],
                                }
                            }
                        },
                    },
                    "responses": answered,
                },
            },
            "/reconcile/preview": {
                "get": {
                    "tags": ["reconciliation"],
                    "summary": "A small HTML card of an entity, for an iframe",
                    "parameters": [id_param],
                    "responses": {
                        "200": {
                            "description": "The card",
                            "content": {"text/html": {"schema": {"type": "string"}}},
                        },
                        "404": _error("No person, group, place or event has this IRI"),
                    },
                }
            },
            "/reconcile/view": {
                "get": {
                    "tags": ["reconciliation"],
                    "summary": "Redirects to the entity's page",
                    "parameters": [id_param],
                    "responses": {
                        "303": {"description": "See the page at `Location`"},
                        "404": _error("No person, group, place or event has this IRI"),
                    },
                }
            },
            "/reconcile/suggest/entity": suggest(
                "entities", "suggest-entities-response.json", [type_param]
            ),
            "/reconcile/suggest/type": suggest("types", "suggest-types-response.json", []),
            "/reconcile/suggest/property": suggest(
                "properties", "suggest-properties-response.json", [type_param]
            ),
        },
    )


def lookup() -> Area:
    """The JSON name lookup, with the reconciliation matcher."""
    candidate = {
        "type": "object",
        "required": ["id", "name", "kind", "type", "score", "match", "matched_name", "page"],
        "properties": {
            "id": {"type": "string", "description": "The entity's IRI"},
            "name": {"type": "string"},
            "kind": {"type": "string", "enum": list(KINDS)},
            "type": {"type": "array", "items": {"type": "object"}},
            "score": {"type": "number", "minimum": 0, "maximum": 100},
            "match": {"type": "boolean", "description": "An unambiguous exact match"},
            "matched_name": {"type": "string", "description": "The entity's name that matched"},
            "description": {"type": "string"},
            "page": {"type": "string", "description": "The entity's HTML page"},
            "features": {"type": "array", "items": {"type": "object"}},
        },
    }
    return Area(
        tag="lookup",
        description="Names to entities, for programs and as-you-type boxes",
        paths={
            "/lookup": {
                "get": {
                    "tags": ["lookup"],
                    "summary": "Persons, groups, places and events a name may mean, best first",
                    "parameters": [
                        _param(
                            "q",
                            "query",
                            "The name (at most 200 characters)",
                            {"type": "string"},
                            True,
                        ),
                        _param(
                            "type",
                            "query",
                            f"Only these types (repeatable): a kind word, {_TYPES}, or a CRM class",
                            {"type": "array", "items": {"type": "string"}},
                        ),
                        _param(
                            "limit",
                            "query",
                            "Most results",
                            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 10},
                        ),
                    ],
                    "responses": {
                        "200": _json("The candidates", _ref("LookupResult")),
                        "400": _error("A parameter it cannot use (named)"),
                    },
                }
            }
        },
        schemas={
            "LookupResult": {
                "type": "object",
                "required": ["query", "type", "results"],
                "properties": {
                    "query": {"type": "string"},
                    "type": {"type": "array", "items": {"type": "string"}},
                    "results": {"type": "array", "items": candidate},
                },
            }
        },
    )


def description() -> Area:
    return Area(
        tag="meta",
        description="This description",
        paths={
            "/openapi.json": {
                "get": {
                    "tags": ["meta"],
                    "summary": "The OpenAPI description of the API",
                    "responses": {"200": _json("OpenAPI 3.1", {"type": "object"})},
                }
            }
        },
    )


AREAS = (reconciliation, lookup, description)


def document(server: str) -> dict[str, Any]:
    """The OpenAPI document of every area, for a server at `server`."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {
        "Error": {
            "type": "object",
            "required": ["error", "status"],
            "properties": {
                "error": {"type": "string", "description": "What is wrong, naming the field"},
                "status": {"type": "integer"},
            },
        }
    }
    tags = []
    for make in AREAS:
        area = make()
        for name, table, part in (("path", paths, area.paths), ("schema", schemas, area.schemas)):
            twice = sorted(set(table) & set(part))
            if twice:
                raise ValueError(f"openapi: {name} {twice[0]} described twice")
            table.update(part)
        tags.append({"name": area.tag, "description": area.description})
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "lodpub",
            "version": __version__,
            "description": "Linked Data publisher for historical archives: the HTTP API.",
        },
        "servers": [{"url": server}],
        "tags": tags,
        "paths": paths,
        "components": {"schemas": schemas},
    }


@bp.route("/openapi.json", methods=["GET"])
def openapi() -> Response:
    server = request.host_url.rstrip("/") + request.script_root
    body = json.dumps(document(server), ensure_ascii=False, indent=2)
    return Response(body, content_type="application/json; charset=utf-8")
