"""Slugs for new, unreviewed entities: from the name alone, so the same name gives the same URI."""

from __future__ import annotations

import hashlib

from lodpub.resolve.authority import Authority
from lodpub.resolve.names import fold
from lodpub.uris import SLUG_MAX, slugify

HASH_LEN = 6
# Room left for "-{key}" in the slug of an entity local to one document.
_LOCAL_NAME_MAX = 40


def name_hash(name: str, kind: str) -> str:
    """The first hex digits of the sha1 of the folded name."""
    return hashlib.sha1(fold(name, kind).encode("utf-8")).hexdigest()[:HASH_LEN]


def new_slug(name: str, kind: str, authority: Authority) -> str:
    """The slug of a new entity named `name`; hash-suffixed when a curated slug has it."""
    return _unreserved(_base(name, kind, SLUG_MAX - HASH_LEN - 1), name, kind, authority)


def local_slug(name: str, kind: str, key: str, authority: Authority) -> str:
    """The slug of an entity that lives in one document only (an ambiguous reference, a mere
    description): "democratic-party-{key}"."""
    base = f"{_base(name, kind, _LOCAL_NAME_MAX)}-{key}"
    return _unreserved(base, name, kind, authority)


def _base(name: str, kind: str, max_len: int) -> str:
    folded = fold(name, kind)
    slug = slugify(folded, max_len)
    # A name without Latin letters or digits (Hangul, Cyrillic) has no readable slug.
    if slug == "x" and folded != "x":
        return f"x-{name_hash(name, kind)}"
    return slug


def _unreserved(slug: str, name: str, kind: str, authority: Authority) -> str:
    if slug in authority.reserved(kind):
        return f"{slug}-{name_hash(name, kind)}"
    return slug
