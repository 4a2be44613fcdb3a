"""A bounded in-memory cache of rendered responses, least recently used first out, that lets
one request build what several ask for at once."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

# What an entry costs besides its body: headers, key and bookkeeping, roughly.
ENTRY_OVERHEAD = 1024


@dataclass(frozen=True)
class CachedResponse:
    """A complete 200 response: what a request with the same key gets without routing."""

    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    etag: str


class PageCache:
    """Responses by key; holds at most `max_bytes` of them.

    Keys carry the store's content version, so a new generation never reads a stale page; the
    old generation's entries age out as the new ones come in."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, CachedResponse] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Event] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> CachedResponse | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: Hashable, entry: CachedResponse) -> None:
        """Keep `entry` unless it alone is larger than the cache."""
        size = len(entry.body) + ENTRY_OVERHEAD
        if size > self.max_bytes:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = entry
            self._size += size
            while self._size > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._size -= len(dropped.body) + ENTRY_OVERHEAD

    @contextmanager
    def building(self, key: Hashable, wait: float) -> Iterator[bool]:
        """Yields True to the one caller that should build `key`; the others wait (at most
        `wait` seconds) until it is done and get False, then look the key up again."""
        with self._lock:
            done = self._building.get(key)
            leader = done is None
            if leader:
                done = self._building[key] = threading.Event()
        if not leader:
            done.wait(wait)
            yield False
            return
        try:
            yield True
        finally:
            with self._lock:
                del self._building[key]
            done.set()

    @property
    def size(self) -> int:
        """Bytes held, bodies and overhead."""
        return self._size

    def __len__(self) -> int:
        return len(self._entries)
