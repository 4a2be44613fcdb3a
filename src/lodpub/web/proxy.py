"""Serving behind reverse proxies: trust their X-Forwarded-* headers, as many hops as configured.

With `proxy_hops` = N > 0, werkzeug's ProxyFix takes the client's scheme, host, port and path
prefix from the last N values of `X-Forwarded-Proto/-Host/-Port/-Prefix`, so URLs the app
builds (redirects, links, Content-Location) are the ones the client can follow. With 0 the
headers are ignored: anyone could send them.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def install(app: Flask, hops: int) -> None:
    if hops > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )
