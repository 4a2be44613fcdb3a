"""The server's use of the C allocator: few malloc arenas, and memory handed back after builds.

glibc's malloc gives threads that allocate at once arenas of their own (up to eight per core)
and keeps what is freed in the arena it came from: a server of many request threads holds
several times what it uses. The server caps the arenas before it starts its threads (forked
workers inherit the cap), and hands freed memory back after building something large once per
version (the lists of things, the text index) and once the requests pause (`Quiet`): writing the
dumps, say, leaves tens of megabytes free but held. Elsewhere than glibc both are no-ops.

The objects loaded before the worker is forked (the imported modules) are frozen out of the
garbage collector, whose passes would otherwise write to each of them and so copy every page
the worker shares with its parent.
"""

from __future__ import annotations

import ctypes
import gc

ARENAS = 2
# Seconds without a request after which the server hands freed memory back.
QUIET_SECONDS = 5.0
_M_ARENA_MAX = -8  # glibc's malloc.h


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None)
    except OSError:
        return None


_LIBC = _libc()


def before_fork() -> None:
    """Ready the server's parent process to fork its worker: arenas capped, imports frozen."""
    limit_arenas()
    gc.freeze()


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Cap the malloc arenas of this process and of the processes it forks; False where the C
    library has no such setting."""
    mallopt = getattr(_LIBC, "mallopt", None)
    return bool(mallopt and mallopt(_M_ARENA_MAX, arenas))


def give_back() -> None:
    """Return the free memory at the top of every malloc arena to the system."""
    trim = getattr(_LIBC, "malloc_trim", None)
    if trim is not None:
        trim(0)


class Quiet:
    """When the requests have paused for `seconds`: once per pause, so a quiet server does not
    trim over and over."""

    def __init__(self, seconds: float = QUIET_SECONDS) -> None:
        self.seconds = seconds
        self._last: float | None = None

    def request(self, now: float) -> None:
        """A request came at `now`."""
        self._last = now

    def due(self, now: float) -> bool:
        """True once `seconds` after the last request; then False until the next request."""
        if self._last is None or now - self._last < self.seconds:
            return False
        self._last = None
        return True
