"""The web tier: the SPARQL endpoint (and, later, Linked Data pages) as a Flask app."""

from lodpub.web.app import create_app
from lodpub.web.settings import Settings

__all__ = ["Settings", "create_app"]
