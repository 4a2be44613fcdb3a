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


# Linked Data errors come in the negotiated format: an HTML page, a one-triple RDF document
# (rdfs:comment "Title: message") or plain text; each names what was wrong.
_LD_ERROR_TYPES = ("text/html", "text/turtle", "application/ld+json", "text/plain")
_RDF_TYPES = ("text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples")
_EXTENSIONS = ["html", "ttl", "jsonld", "rdf", "nt"]
_TEXT = {"type": "string"}


def _ld_error(description: str) -> dict:
    return {"description": description, "content": {t: {"schema": _TEXT} for t in _LD_ERROR_TYPES}}


def _plain_error(description: str) -> dict:
    return {"description": description, "content": {"text/plain": {"schema": _TEXT}}}


def _described(description: str, types: tuple[str, ...] = ("text/html", *_RDF_TYPES)) -> dict:
    return {"description": description, "content": {t: {"schema": _TEXT} for t in types}}


def _get(tag: str, summary: str, responses: dict, parameters: list[dict] | None = None) -> dict:
    operation: dict[str, Any] = {"tags": [tag], "summary": summary, "responses": responses}
    if parameters:
        operation["parameters"] = parameters
    return {"get": operation}


_NOT_ACCEPTABLE = _plain_error("None of the formats in Accept is offered (they are listed)")
_PAGE = _param(
    "page",
    "query",
    "Page of a long list (1, 2, ...)",
    {"type": "integer", "minimum": 1, "default": 1},
)


def _ext(what: str, values: list[str]) -> dict:
    return _param("ext", "path", f"Format of the {what}", {"type": "string", "enum": values}, True)


def linked_data() -> Area:
    """Pages and RDF documents of every published thing, index, timeline, search and dataset."""
    rest = _param(
        "rest",
        "path",
        "The rest of the URI after the prefix, slashes included (e.g. `person/kim-il-sung`)",
        {"type": "string"},
        True,
    )
    see_other = {
        "303": {"description": "See the description at `Location` (chosen by Accept)"},
        "404": _ld_error("Nothing is published at this URI"),
        "406": _NOT_ACCEPTABLE,
    }
    described = {
        "200": _described("The description (long ones paged)"),
        "400": _ld_error("A parameter it cannot use, e.g. `page` not a whole number (named)"),
        "404": _ld_error("Nothing is published at this URI, or no such page"),
    }
    listing = {
        "200": _described("The list"),
        "400": _ld_error("A parameter it cannot use (named)"),
        "404": _ld_error("No such kind, format or page"),
        "406": _NOT_ACCEPTABLE,
    }
    query = _param("q", "query", "Words to find (quoted phrases, at most 200 characters)", _TEXT)
    found = {
        "200": _described("Documents and entities matching, best first", ("text/html", JSON)),
        "400": _ld_error("The query cannot be searched (what is wrong is named)"),
        "404": _ld_error("No such search format"),
    }
    return Area(
        tag="linked-data",
        description="Linked Data: a page and RDF documents for every thing and document",
        paths={
            "/": _get("linked-data", "The home page", {"200": _described("The home page")}),
            "/id/{rest}": _get(
                "linked-data", "A thing's URI: 303 to its page or data", see_other, [rest]
            ),
            "/graph/{rest}": _get(
                "linked-data", "A named graph's URI: 303 to its page or data", see_other, [rest]
            ),
            "/page/{rest}": _get(
                "linked-data", "The HTML page of a thing or graph", described, [rest, _PAGE]
            ),
            "/data/{rest}": _get(
                "linked-data",
                "The RDF of a thing or graph; `rest` ends in .ttl, .jsonld, .rdf, .nt or .html",
                described,
                [rest, _PAGE],
            ),
            "/index/{kind}": _get(
                "linked-data",
                "Every thing of a kind (`person`, `group`, `place`, ...; `person.ttl` for RDF)",
                listing,
                [_param("kind", "path", "A kind, optionally .ext", _TEXT, True), _PAGE],
            ),
            "/timeline": _get("linked-data", "Dated events in order", listing),
            "/timeline.{ext}": _get(
                "linked-data",
                "Dated events in order, in one format",
                listing,
                [_ext("timeline", _EXTENSIONS)],
            ),
            "/search": _get("linked-data", "Full-text search (HTML)", found, [query]),
            "/search.{ext}": _get(
                "linked-data",
                "Full-text search in one format",
                found,
                [_ext("results", ["html", "json"]), query],
            ),
            "/dataset": _get("linked-data", "The VoID/DCAT description of the dataset", listing),
            "/.well-known/void": _get(
                "linked-data", "The dataset description (RFC 5785 address)", listing
            ),
            "/dataset.{ext}": _get(
                "linked-data",
                "The dataset description in one format",
                listing,
                [_ext("description", _EXTENSIONS)],
            ),
            "/dumps/": _get(
                "linked-data",
                "The downloadable dumps of the whole dataset",
                {
                    "200": _described("The list of dumps", ("text/html",)),
                    "503": _ld_error("The dumps are being written (Retry-After)"),
                },
            ),
            "/dumps/{name}": _get(
                "linked-data",
                "One dump file",
                {
                    "200": _described("The file", ("application/gzip", "application/n-quads")),
                    "404": _ld_error("No dump of this name"),
                    "503": _ld_error("The dumps are being written (Retry-After)"),
                },
                [_param("name", "path", "The dump's file name, as listed", _TEXT, True)],
            ),
            "/sitemap.xml": _get(
                "linked-data",
                "The sitemap (an index of parts when large)",
                {"200": _described("Sitemap XML", ("application/xml",))},
            ),
            "/sitemap-{number}.xml": _get(
                "linked-data",
                "One part of a large sitemap",
                {
                    "200": _described("Sitemap XML", ("application/xml",)),
                    "404": _plain_error("No such part (the count is named)"),
                },
                [_param("number", "path", "Part number", {"type": "integer", "minimum": 1}, True)],
            ),
            "/ns/context.jsonld": _get(
                "linked-data",
                "The JSON-LD context of lodpub's JSON-LD documents",
                {"200": _described("The context", ("application/ld+json",))},
            ),
            "/static/{filename}": _get(
                "linked-data",
                "Style sheets and scripts of the pages",
                {"200": {"description": "The file"}, "404": _ld_error("No such file")},
                [_param("filename", "path", "File name under static/", _TEXT, True)],
            ),
        },
    )


def sparql() -> Area:
    """The SPARQL 1.1 Protocol endpoint (query only: updates are refused)."""
    graphs = [
        _param(
            name,
            "query",
            f"SPARQL Protocol dataset: {what} (an absolute IRI, repeatable)",
            {"type": "array", "items": {"type": "string", "format": "iri"}},
        )
        for name, what in (("default-graph-uri", "default graph"), ("named-graph-uri", "named"))
    ]
    results_types = (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
        *_RDF_TYPES,
        "text/html",
    )
    errors = {
        "400": _plain_error("Not a query: the parse error, with line and column"),
        "403": _plain_error("An update, or SERVICE to an endpoint not allowed"),
        "406": _plain_error("None of the result formats in Accept is offered"),
        "413": _plain_error("The request body is over max_body bytes"),
        "414": _plain_error("The query string is over max_body bytes (send it by POST)"),
        "415": _plain_error("A POST body type other than the protocol's two, or not UTF-8"),
        "503": _plain_error("Too many queries are running (Retry-After) or the store is down"),
    }
    answered = {"200": _described("The results, in the negotiated format", results_types)}
    answered.update(errors)
    query = _param(
        "query", "query", "The SPARQL query (without it: the service description)", _TEXT
    )
    fmt = _param(
        "format", "query", "A result format, instead of Accept (json, xml, csv, ...)", _TEXT
    )
    return Area(
        tag="sparql",
        description="SPARQL 1.1 Protocol: queries over the published store (read only)",
        paths={
            "/sparql": {
                "get": {
                    "tags": ["sparql"],
                    "summary": "A query, or the service description (or query page) without one",
                    "parameters": [query, *graphs, fmt],
                    "responses": answered,
                },
                "post": {
                    "tags": ["sparql"],
                    "summary": "A query sent in the body",
                    "parameters": graphs,
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/x-www-form-urlencoded": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"query": _TEXT, "format": _TEXT},
                                    "required": ["query"],
                                }
                            },
                            "application/sparql-query": {"schema": _TEXT},
                        },
                    },
                    "responses": answered,
                },
            }
        },
    )


AREAS = (linked_data, sparql, reconciliation, lookup, description)


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
