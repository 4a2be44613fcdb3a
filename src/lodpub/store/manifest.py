"""The store's manifest: which graphs belong to which document, and a digest of every graph.

It lives in its own named graph, `MANIFEST_GRAPH`, written in the same transaction as the data
it describes, so it can never disagree with the data:

    <graph> lp:documentKey "key" ; lp:digest "hex" ; void:triples 123 .
    <MANIFEST_GRAPH> lp:digest "hex" .        # the store's version

A graph's digest is the sum (mod 2^128) of a hash of each of its triples' canonical N-Triples
line, so it does not depend on triple order; the store's digest sums a hash of each graph's name
and digest. The store's digest is its version: equal content gives equal versions, any change to
any graph gives another (the web tier's ETag).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from lodpub.vocab import LP, VOID

MANIFEST_GRAPH = "urn:x-lodpub:store"
DOCUMENT_KEY = str(LP.documentKey)
DIGEST = str(LP.digest)
TRIPLES = str(VOID.triples)

_MOD = 1 << 128


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest(), "big")


def lines_digest(lines: Iterable[str]) -> int:
    """Order-independent digest of a graph given as canonical N-Triples lines."""
    return sum(_hash(line) for line in lines) % _MOD


def graph_share(graph: str, digest: int) -> int:
    """What a graph adds to the store's digest."""
    return _hash(f"<{graph}> {digest:032x}")


def combine(total: int, removed: Iterable[int], added: Iterable[int]) -> int:
    """The store digest after graphs with the given shares were removed and added."""
    return (total - sum(removed) + sum(added)) % _MOD


def to_hex(digest: int) -> str:
    return f"{digest:032x}"


def from_hex(text: str) -> int:
    return int(text, 16)
