"""The mentions found so far in one record, with the lookups later recognizers need."""

from __future__ import annotations

from dataclasses import dataclass

from lodpub.extract.mention import MENTION_KINDS, Mention


@dataclass(frozen=True, slots=True)
class GroupInfo:
    """What the group recognizer knows about a group mention beyond the Mention itself."""

    head: str  # singular head noun ("party"), or the abbreviation
    core_end: int  # end of the name proper (before any "of" complement)
    anaphor: bool  # "the party": refers back to a group named earlier


class Found:
    """Mentions by kind and span; one per (kind, span), the most confident kept."""

    def __init__(self) -> None:
        self._by_kind: dict[str, dict[tuple[int, int], Mention]] = {k: {} for k in MENTION_KINDS}
        self._sorted: dict[tuple[str, ...], list[Mention]] = {}
        self.groups: dict[tuple[int, int], GroupInfo] = {}

    def add(self, mention: Mention) -> None:
        same_kind = self._by_kind[mention.kind]
        old = same_kind.get(mention.span)
        if old is None or mention.confidence > old.confidence:
            same_kind[mention.span] = mention
            self._sorted.clear()

    def discard(self, mention: Mention) -> None:
        self._by_kind[mention.kind].pop(mention.span, None)
        self._sorted.clear()
        if mention.kind == "group":
            self.groups.pop(mention.span, None)

    def _pool(self, kinds: tuple[str, ...]):
        for kind in kinds or MENTION_KINDS:
            yield from self._by_kind[kind].values()

    def of(self, *kinds: str) -> list[Mention]:
        """Mentions of these kinds, in text order (a fresh list)."""
        if kinds not in self._sorted:
            self._sorted[kinds] = sorted(self._pool(kinds), key=lambda m: (m.start, -m.end))
        return list(self._sorted[kinds])

    def overlapping(self, start: int, end: int, *kinds: str) -> list[Mention]:
        return [m for m in self._pool(kinds) if m.start < end and start < m.end]

    def starting_at(self, start: int, *kinds: str) -> list[Mention]:
        """Mentions of these kinds that start at `start`, longest first."""
        found = [m for m in self._pool(kinds) if m.start == start]
        return sorted(found, key=lambda m: -m.end)

    def ending_at(self, end: int, *kinds: str) -> list[Mention]:
        return [m for m in self._pool(kinds) if m.end == end]

    def group_cores(self) -> list[tuple[int, int]]:
        """Spans of group names proper: a person inside one is part of the group's name."""
        return [(s, info.core_end) for (s, _), info in self.groups.items() if not info.anaphor]

    def all(self) -> list[Mention]:
        return list(self._pool(()))
