"""A bounded in-memory cache of rendered bytes, least recently used first out."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class PageCache:
    """Rendered pages and data documents by key; holds at most `max_bytes` of bodies.

    Keys carry the store's content version, so a new generation never reads a stale page; the
    old generation's entries age out as the new ones come in."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, build: Callable[[], bytes]) -> bytes:
        """The cached bytes for `key`, or `build()`'s result (stored when it fits)."""
        with self._lock:
            body = self._entries.get(key)
            if body is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return body
            self.misses += 1
        body = build()
        if len(body) > self.max_bytes:
            return body
        with self._lock:
            if key not in self._entries:
                self._entries[key] = body
                self._size += len(body)
            while self._size > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._size -= len(dropped)
        return body

    def __len__(self) -> int:
        return len(self._entries)
