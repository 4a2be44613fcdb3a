"""The URI scheme: every URI lodpub mints is built here, from the base URI and a slug."""

from __future__ import annotations

import re
import unicodedata

DEFAULT_BASE = "http://127.0.0.1:8080"
SLUG_MAX = 60


def slugify(text: str, max_len: int = SLUG_MAX) -> str:
    """ASCII, lower case, diacritics stripped, other characters folded to single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_len:
        slug = slug[:max_len].rsplit("-", 1)[0] or slug[:max_len]
    return slug or "x"


class Uris:
    """Mints the URIs of one dataset from its base URI (no trailing slash)."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = base.rstrip("/")

    # things
    def thing(self, kind: str, slug: str) -> str:
        return f"{self.base}/id/{kind}/{slug}"

    def document(self, key: str) -> str:
        return self.thing("document", key)

    def doc_part(self, key: str, *path: str) -> str:
        """A sub-resource of a document: text/en, carrier, claims, mention/12-25, ..."""
        return "/".join((self.document(key), *path))

    def mention(self, key: str, start: int, end: int) -> str:
        return self.doc_part(key, "mention", f"{start}-{end}")

    # graphs
    def claims_graph(self, key: str) -> str:
        """What the document says: its own named graph."""
        return self.doc_part(key, "claims")

    def catalogue_graph(self, key: str) -> str:
        """What the archive and lodpub say about the document: metadata, mentions, provenance."""
        return self.doc_part(key, "catalogue")

    @property
    def authorities_graph(self) -> str:
        return f"{self.base}/graph/authorities"

    @property
    def vocabulary_graph(self) -> str:
        return f"{self.base}/graph/vocabulary"

    def document_key_of(self, uri: str) -> str | None:
        """The document key of a document URI or of any of its sub-resources."""
        prefix = f"{self.base}/id/document/"
        if not uri.startswith(prefix):
            return None
        return uri[len(prefix) :].split("/", 1)[0] or None
