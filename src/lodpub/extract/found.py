"""The mentions found so far in one record, with the lookups later recognizers need."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable
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
        # Spans of each kind in text order, the order they were first added, and the longest:
        # `overlapping` looks at the few spans near a range, not at all of them, so a record
        # with thousands of mentions is not searched in quadratic time.
        self._spans: dict[str, list[tuple[int, int]]] = {k: [] for k in MENTION_KINDS}
        self._order: dict[tuple[str, int, int], int] = {}
        self._longest: dict[str, int] = dict.fromkeys(MENTION_KINDS, 0)
        self._added = 0
        self.groups: dict[tuple[int, int], GroupInfo] = {}

    def add(self, mention: Mention) -> None:
        same_kind = self._by_kind[mention.kind]
        old = same_kind.get(mention.span)
        if old is None or mention.confidence > old.confidence:
            same_kind[mention.span] = mention
            self._sorted.clear()
            if old is None:
                insort(self._spans[mention.kind], mention.span)
                self._added += 1
                self._order[(mention.kind, *mention.span)] = self._added
                length = mention.end - mention.start
                self._longest[mention.kind] = max(self._longest[mention.kind], length)

    def discard(self, mention: Mention) -> None:
        if self._by_kind[mention.kind].pop(mention.span, None) is not None:
            spans = self._spans[mention.kind]
            del spans[bisect_left(spans, mention.span)]
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
        """Mentions of these kinds (all kinds without any) sharing a character with the range."""
        return self._near(start, end, kinds, lambda span: start < span[1])

    def starting_at(self, start: int, *kinds: str) -> list[Mention]:
        """Mentions of these kinds that start at `start`, longest first."""
        found = self._near(start, start + 1, kinds, lambda span: span[0] == start)
        return sorted(found, key=lambda m: -m.end)

    def ending_at(self, end: int, *kinds: str) -> list[Mention]:
        return self._near(end, end + 1, kinds, lambda span: span[1] == end)

    def _near(
        self, start: int, end: int, kinds: tuple[str, ...], keep: Callable[[tuple[int, int]], bool]
    ) -> list[Mention]:
        """Mentions of these kinds that may reach into [start, end) and that `keep` accepts,
        kind by kind in the order they were added (as a scan of all of them would give)."""
        found: list[Mention] = []
        for kind in kinds or MENTION_KINDS:
            spans, same_kind = self._spans[kind], self._by_kind[kind]
            first = bisect_left(spans, (start - self._longest[kind],))
            near = spans[first : bisect_left(spans, (end,), first)]
            hits = [span for span in near if keep(span)]
            hits.sort(key=lambda span: self._order[(kind, *span)])
            found.extend(same_kind[span] for span in hits)
        return found

    def group_cores(self) -> list[tuple[int, int]]:
        """Spans of group names proper: a person inside one is part of the group's name."""
        return [(s, info.core_end) for (s, _), info in self.groups.items() if not info.anaphor]

    def all(self) -> list[Mention]:
        return list(self._pool(()))
