"""What reading one file gives: its readable records and an error for each unreadable part."""

from __future__ import annotations

from dataclasses import dataclass, field

from lodpub.sources.record import Record, SourceError


@dataclass
class ReadResult:
    """Records read from a file, and one SourceError per file or row that could not be read."""

    records: list[Record] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)

    def extend(self, other: ReadResult) -> None:
        self.records.extend(other.records)
        self.errors.extend(other.errors)
