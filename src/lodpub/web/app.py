"""The Flask application factory of lodpub's web tier."""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from lodpub.store import StoreError
from lodpub.store.sparql_client import RemoteUnavailable
from lodpub.web import linked_data, lookup, openapi, proxy, sparql
from lodpub.web.addresses import path_problem, raw_path
from lodpub.web.reconcile import service as reconcile
from lodpub.web.settings import Settings

# What a browser script on another origin may read of any response: the SPARQL endpoint's row
# cap, and the Linked Data headers (alternate formats, validators, redirects).
EXPOSED_HEADERS = ", ".join(
    (
        "Link",
        "ETag",
        "Content-Location",
        "Location",
        "Vary",
        sparql.TRUNCATED_HEADER,
        sparql.ROW_LIMIT_HEADER,
    )
)


def create_app(settings: Settings) -> Flask:
    """The WSGI app serving the store named by `settings.store`."""
    app = Flask(__name__)
    app.config.update(
        LODPUB_SETTINGS=settings,
        MAX_CONTENT_LENGTH=settings.max_body,
        MAX_FORM_MEMORY_SIZE=settings.max_body,
    )
    sparql.init_app(app, settings)
    linked_data.init_app(app, settings)
    for module in (reconcile, lookup, openapi):
        app.register_blueprint(module.bp)
    proxy.install(app, settings.proxy_hops)

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(error: RequestEntityTooLarge) -> Response:
        return Response(
            f"The request body is larger than {settings.max_body} bytes (setting max_body).\n",
            413,
            content_type="text/plain; charset=utf-8",
        )

    @app.before_request
    def _malformed_path() -> Response | None:
        # A path that decodes to no IRI (a "%" without two hex digits, escapes of bytes that
        # are not UTF-8) names nothing; saying so beats guessing what it meant.
        problem = path_problem(raw_path(request))
        if problem is None:
            return None
        return Response(
            f"Bad Request: the path {problem}.\n", 400, content_type="text/plain; charset=utf-8"
        )

    @app.errorhandler(StoreError)
    def _store_failed(error: StoreError) -> Response:
        # Only a remote engine fails mid-request; its messages name its URL, never credentials.
        unavailable = isinstance(error, RemoteUnavailable)
        response = Response(
            f"The store cannot answer now: {error}\n",
            503 if unavailable else 502,
            content_type="text/plain; charset=utf-8",
        )
        if unavailable:
            response.headers["Retry-After"] = "5"
        return response

    if settings.cors_origin:

        @app.after_request
        def _cors(response: Response) -> Response:
            response.headers["Access-Control-Allow-Origin"] = settings.cors_origin
            response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
            if request.method == "OPTIONS":
                response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
                response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
                response.headers["Access-Control-Max-Age"] = "86400"
            if settings.cors_origin != "*":
                response.vary.add("Origin")
            return response

    return app
