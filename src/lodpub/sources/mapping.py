"""Column mappings for tabular files: which column holds which Record field."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lodpub.sources.record import SourceError

# Record fields a column can fill, one value each.
SCALAR_FIELDS = (
    "title",
    "text",
    "date",
    "summary",
    "citation",
    "record_id",
    "language",
    "original_language",
    "rights",
    "translator",
    "funder",
    "funding_line",
    "publisher",
    "uploaded",
)
# Tag fields, each a list of labels, and the Tag kind their labels get.
TAG_FIELDS = {
    "people": "agent",  # people and organisations mixed, as archives often list them
    "persons": "person",
    "groups": "group",
    "places": "place",
    "subjects": "subject",
}
FIELDS = SCALAR_FIELDS + tuple(TAG_FIELDS)
REQUIRED_FIELDS = ("title", "text")

# Other names accepted for a field in a mapping file or flag.
FIELD_ALIASES = {
    "body": "text",
    "source": "citation",
    "id": "record_id",
    "organizations": "groups",
    "organisations": "groups",
    "keywords": "subjects",
    "topics": "subjects",
    "locations": "places",
}

# Column names recognised without a mapping, compared after `column_key`.
DEFAULT_COLUMNS = {
    "title": ("title", "document title"),
    "date": ("date", "document date"),
    "text": ("text", "body", "content", "transcript", "translation", "full text"),
    "summary": ("summary", "description", "abstract"),
    "citation": ("source", "citation", "archival citation"),
    "record_id": ("record id", "id", "identifier", "record identifier"),
    "language": ("language",),
    "original_language": ("original language",),
    "rights": ("rights", "copyright", "rights statement", "usage statement"),
    "translator": ("translator", "translated by"),
    "funder": ("funder", "funders", "funding", "funded by"),
    "funding_line": ("funding line", "credit line"),
    "publisher": ("publisher",),
    "uploaded": ("uploaded", "uploaded date", "upload date", "original uploaded date"),
    "people": (
        "people",
        "people and organizations",
        "people and organisations",
        "associated people and organizations",
        "names",
    ),
    "persons": ("persons",),
    "groups": ("organizations", "organisations", "groups"),
    "places": ("places", "locations", "associated places"),
    "subjects": ("subjects", "keywords", "topics", "associated topics", "subjects discussed"),
}
_BY_COLUMN = {name: fld for fld, names in DEFAULT_COLUMNS.items() for name in names}
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_TABLES = ("columns", "defaults", "csv")

MAPPING_SUFFIX = ".mapping.toml"
FOLDER_MAPPING = "lodpub-mapping.toml"


def column_key(name: str) -> str:
    """A column name compared loosely: "People & Organizations" → "people and organizations"."""
    spaced = _CAMEL.sub(" ", name.strip()).replace("&", " and ")
    return _NON_ALNUM.sub(" ", spaced.lower()).strip()


def field_name(name: str, origin: str) -> str:
    """The canonical field for a name or alias; a SourceError for an unknown one."""
    key = name.strip().lower().replace("-", "_")
    key = FIELD_ALIASES.get(key, key)
    if key not in FIELDS:
        raise SourceError(
            origin, f"unknown field {name!r}; expected one of: {', '.join(FIELDS)}", field=name
        )
    return key


@dataclass(frozen=True)
class Mapping:
    """Record field → column names, constant defaults, and the CSV delimiter if not guessed."""

    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    delimiter: str | None = None
    origin: str = "default mapping"

    @classmethod
    def load(cls, path: Path | str) -> Mapping:
        """A mapping from a TOML file with [columns], [defaults] and [csv] tables."""
        origin = str(path)
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise SourceError(origin, f"cannot read mapping file: {exc.strerror}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SourceError(origin, f"not a valid TOML mapping file: {exc}") from None
        for table in data:
            if table not in _TABLES:
                raise SourceError(
                    origin, f"unknown table [{table}]; expected: {', '.join(_TABLES)}", field=table
                )
        columns: dict[str, tuple[str, ...]] = {}
        for name, value in _table(data, "columns", origin).items():
            fld = field_name(name, origin)
            names = (value,) if isinstance(value, str) else value
            if not isinstance(names, list | tuple) or not all(
                isinstance(n, str) and n for n in names
            ):
                raise SourceError(
                    origin,
                    "expected a column name or a list of column names",
                    field=f"columns.{name}",
                )
            columns[fld] = tuple(names)
        defaults: dict[str, str] = {}
        for name, value in _table(data, "defaults", origin).items():
            fld = field_name(name, origin)
            if fld not in SCALAR_FIELDS or not isinstance(value, str):
                raise SourceError(
                    origin,
                    "expected a text value for a single-valued field",
                    field=f"defaults.{name}",
                )
            defaults[fld] = value
        delimiter = _table(data, "csv", origin).get("delimiter")
        if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1):
            raise SourceError(origin, "expected a single character", field="csv.delimiter")
        return cls(columns, defaults, delimiter, origin)

    @classmethod
    def from_pairs(cls, pairs: Iterable[str], origin: str = "command line") -> Mapping:
        """A mapping from "field=Column" pairs, as given on the command line."""
        columns: dict[str, tuple[str, ...]] = {}
        for pair in pairs:
            name, sep, column = pair.partition("=")
            if not sep or not name.strip() or not column.strip():
                raise SourceError(origin, f"expected FIELD=COLUMN, got {pair!r}", field=pair)
            fld = field_name(name, origin)
            columns[fld] = (*columns.get(fld, ()), column.strip())
        return cls(columns, origin=origin)

    def merged(self, override: Mapping) -> Mapping:
        """This mapping with the fields, defaults and delimiter of `override` taking precedence."""
        return Mapping(
            {**self.columns, **override.columns},
            {**self.defaults, **override.defaults},
            override.delimiter or self.delimiter,
            f"{self.origin} + {override.origin}",
        )

    def resolve(
        self, header: Sequence[str], path: str, *, strict: bool = True
    ) -> dict[str, tuple[str, ...]]:
        """Field → columns of this header: mapped ones first, the rest recognised by name.

        `strict`: a mapped column missing from the header is an error (CSV), else empty (JSONL).
        """
        present = set(header)
        resolved: dict[str, tuple[str, ...]] = {}
        for fld, names in self.columns.items():
            missing = [n for n in names if n not in present]
            if missing and strict:
                raise SourceError(
                    path,
                    f"column {missing[0]!r} mapped to {fld} ({self.origin}) is not in the header; "
                    f"columns are: {', '.join(header)}",
                    field=fld,
                )
            resolved[fld] = names
        used = {n for names in resolved.values() for n in names}
        for column in header:
            fld = _BY_COLUMN.get(column_key(column))
            if fld and fld not in self.columns and column not in used:
                resolved[fld] = (*resolved.get(fld, ()), column)
        return resolved


def _table(data: dict, name: str, origin: str) -> dict:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise SourceError(origin, f"expected a table [{name}]", field=name)
    return table


def mapping_beside(path: Path) -> Path | None:
    """The mapping file a tabular file uses by convention: X.mapping.toml, else the folder's."""
    for candidate in (
        path.with_name(path.stem + MAPPING_SUFFIX),
        path.with_name(FOLDER_MAPPING),
    ):
        if candidate.is_file():
            return candidate
    return None


def is_mapping_file(path: Path) -> bool:
    return path.name == FOLDER_MAPPING or path.name.endswith(MAPPING_SUFFIX)
