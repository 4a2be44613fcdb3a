"""The authority file: curated persons, groups and places with stable slugs and verified ids."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lodpub.resolve.entity import ENTITY_KINDS, EXTERNAL_URI, Entity, ExternalId
from lodpub.resolve.names import name_keys
from lodpub.sources.record import SourceError
from lodpub.uris import SLUG_MAX, Uris

_COMMON_FIELDS = frozenset(
    {
        "slug",
        "label",
        "variants",
        "description",
        "context",
        "context_required",
        "exact",
        "close",
        "replaces",
    }
)
_FIELDS = {
    "person": _COMMON_FIELDS | {"member_of"},
    "group": _COMMON_FIELDS | {"member_of"},
    "place": _COMMON_FIELDS | {"broader"},
}
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ID_PATTERNS = {
    "wikidata": re.compile(r"Q[1-9][0-9]*"),
    "viaf": re.compile(r"[1-9][0-9]*"),
    "geonames": re.compile(r"[1-9][0-9]*"),
    "lcnaf": re.compile(r"n[a-z]?[0-9]+"),
    "gnd": re.compile(r"[0-9][0-9X-]*"),
}


class AuthorityError(SourceError):
    """A problem in the authority file, named by file, entry and field."""


@dataclass(frozen=True, slots=True)
class AuthorityEntry:
    """One curated person, group or place as written in the authority file."""

    kind: str
    slug: str
    label: str
    variants: tuple[str, ...] = ()
    description: str | None = None
    broader: str | None = None  # slug of the place this place falls within
    member_of: tuple[str, ...] = ()  # slugs of groups
    context: tuple[str, ...] = ()  # words that select this entry when a name is ambiguous
    context_required: bool = False  # link only when one of `context` occurs near the mention
    external: tuple[ExternalId, ...] = ()
    replaces: tuple[str, ...] = ()  # slugs merged into this one
    index: int = 0  # 1-based position among the entries of its kind in the file

    @property
    def names(self) -> tuple[str, ...]:
        """The preferred label followed by every variant."""
        return (self.label, *self.variants)

    @property
    def where(self) -> str:
        """How an error names this entry: "person #3 'kim-il-sung'"."""
        return f"{self.kind} #{self.index} '{self.slug}'"

    def entity(self, uris: Uris) -> Entity:
        """The curated `Entity` of this entry under the given URI base."""
        return Entity(
            uri=uris.thing(self.kind, self.slug),
            kind=self.kind,
            slug=self.slug,
            label=self.label,
            variants=self.variants,
            reviewed=True,
            external=self.external,
            broader=uris.thing("place", self.broader) if self.broader else None,
            member_of=tuple(uris.thing("group", s) for s in self.member_of),
            description=self.description,
            replaces=tuple(uris.thing(self.kind, s) for s in self.replaces),
        )


class Authority:
    """The curated entities, indexed by the folded keys of all their names."""

    def __init__(self, entries: Iterable[AuthorityEntry] = (), path: str = "<authority>") -> None:
        self.path = path
        self.entries = tuple(entries)
        self._by_slug = {(e.kind, e.slug): e for e in self.entries}
        self._index: dict[tuple[str, str], list[AuthorityEntry]] = {}
        self._label_keys: dict[tuple[str, str], frozenset[str]] = {}
        self._reserved = {
            kind: frozenset(
                s for e in self.entries if e.kind == kind for s in (e.slug, *e.replaces)
            )
            for kind in ENTITY_KINDS
        }
        for entry in self.entries:
            self._label_keys[(entry.kind, entry.slug)] = name_keys(entry.label, entry.kind)
            for name in entry.names:
                for key in name_keys(name, entry.kind):
                    claimed = self._index.setdefault((entry.kind, key), [])
                    if entry not in claimed:
                        claimed.append(entry)
        _check(self)

    @classmethod
    def empty(cls) -> Authority:
        """An authority with no entries: every name becomes a new, unreviewed entity."""
        return cls()

    @classmethod
    def load(cls, path: str | Path) -> Authority:
        """Read and check an authority TOML file (format: authority/README.md)."""
        where = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as err:
            raise AuthorityError(where, f"cannot read the authority file: {err.strerror}") from err
        except UnicodeDecodeError as err:
            raise AuthorityError(where, f"not UTF-8 text: {err.reason}") from err
        return cls.from_toml(text, where)

    @classmethod
    def from_toml(cls, text: str, path: str = "<authority>") -> Authority:
        """Parse authority TOML text; `path` names the source in errors."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise AuthorityError(path, f"not valid TOML: {err}") from err
        return cls(_parse(data, path), path)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, kind: str, slug: str) -> AuthorityEntry | None:
        """The entry of this kind with this slug, if any."""
        return self._by_slug.get((kind, slug))

    def lookup(self, name: str, kind: str) -> tuple[AuthorityEntry, ...]:
        """Entries of this kind one of whose names folds like `name`, in file order."""
        found: list[AuthorityEntry] = []
        for key in sorted(name_keys(name, kind)):
            for entry in self._index.get((kind, key), ()):
                if entry not in found:
                    found.append(entry)
        return tuple(sorted(found, key=lambda e: e.index))

    def is_label(self, entry: AuthorityEntry, name: str) -> bool:
        """True when `name` folds like the entry's preferred label (not only a variant)."""
        return bool(self._label_keys[(entry.kind, entry.slug)] & name_keys(name, entry.kind))

    def reserved(self, kind: str) -> frozenset[str]:
        """Slugs of this kind a new entity must not take: curated ones and merged-away ones."""
        return self._reserved[kind]

    def entities(self, uris: Uris) -> dict[str, Entity]:
        """Every curated entity by URI, in file order."""
        return {ent.uri: ent for ent in (e.entity(uris) for e in self.entries)}


def _parse(data: Mapping[str, Any], path: str) -> list[AuthorityEntry]:
    unknown = sorted(set(data) - set(ENTITY_KINDS))
    if unknown:
        raise AuthorityError(
            path,
            f"unknown section(s) {', '.join(map(repr, unknown))}; "
            f"use [[person]], [[group]] or [[place]]",
        )
    entries = []
    for kind in ENTITY_KINDS:
        tables = data.get(kind, [])
        if not isinstance(tables, list):
            raise AuthorityError(path, f"write entries as [[{kind}]] tables", field=kind)
        for index, table in enumerate(tables, start=1):
            entries.append(_entry(kind, index, table, path))
    return entries


def _entry(kind: str, index: int, table: Any, path: str) -> AuthorityEntry:
    slug = table.get("slug") if isinstance(table, dict) else None
    where = f"{kind} #{index}" + (f" '{slug}'" if isinstance(slug, str) else "")
    if not isinstance(table, dict):
        raise AuthorityError(path, "an entry must be a table", field=where)

    def fail(field: str, message: str) -> AuthorityError:
        return AuthorityError(path, message, field=f"{where}.{field}")

    unknown = sorted(set(table) - _FIELDS[kind])
    if unknown:
        allowed = ", ".join(sorted(_FIELDS[kind]))
        raise fail(unknown[0], f"unknown field for a {kind}; allowed: {allowed}")

    def text(field: str) -> str:
        value = table.get(field)
        if not isinstance(value, str) or not value.strip():
            raise fail(field, "must be a non-empty string")
        return value.strip()

    def optional(field: str) -> str | None:
        return text(field) if field in table else None

    def texts(field: str) -> tuple[str, ...]:
        value = table.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise fail(field, "must be a list of non-empty strings")
        return tuple(dict.fromkeys(v.strip() for v in value))

    slug = text("slug")
    if not _SLUG.fullmatch(slug) or len(slug) > SLUG_MAX:
        raise fail("slug", f"'{slug}' is not a slug (a-z, 0-9, single hyphens, ≤{SLUG_MAX})")
    label = text("label")
    replaces = texts("replaces")
    for old in replaces:
        if not _SLUG.fullmatch(old):
            raise fail("replaces", f"'{old}' is not a slug")
    context_required = table.get("context_required", False)
    if not isinstance(context_required, bool):
        raise fail("context_required", "must be true or false")
    context = texts("context")
    if context_required and not context:
        raise fail("context_required", "needs a non-empty context list")
    external = tuple(
        _external(value, match, fail) for match in ("exact", "close") for value in texts(match)
    )
    return AuthorityEntry(
        kind=kind,
        slug=slug,
        label=label,
        variants=tuple(v for v in texts("variants") if v != label),
        description=optional("description"),
        broader=optional("broader"),
        member_of=texts("member_of"),
        context=context,
        context_required=context_required,
        external=external,
        replaces=replaces,
        index=index,
    )


def _external(value: str, match: str, fail: Callable[[str, str], AuthorityError]) -> ExternalId:
    scheme, _, ident = value.partition(":")
    if scheme not in EXTERNAL_URI:
        schemes = ", ".join(EXTERNAL_URI)
        raise fail(match, f"'{value}': write scheme:id with a scheme of {schemes}")
    if not _ID_PATTERNS[scheme].fullmatch(ident):
        raise fail(match, f"'{value}' is not a well-formed {scheme} id")
    return ExternalId(scheme=scheme, id=ident, match=match)


def _check(authority: Authority) -> None:
    """Cross-entry rules: unique slugs, known references, names shared only with context."""
    path = authority.path
    seen: dict[tuple[str, str], AuthorityEntry] = {}
    for entry in authority.entries:
        for slug, field in ((entry.slug, "slug"), *((s, "replaces") for s in entry.replaces)):
            other = seen.get((entry.kind, slug))
            if other is not None and other is not entry:
                raise AuthorityError(
                    path,
                    f"slug '{slug}' is already used by {other.where}",
                    field=f"{entry.where}.{field}",
                )
            seen[(entry.kind, slug)] = entry
    for entry in authority.entries:
        if entry.broader is not None and authority.get("place", entry.broader) is None:
            raise AuthorityError(
                path, f"no place with slug '{entry.broader}'", field=f"{entry.where}.broader"
            )
        for group in entry.member_of:
            if authority.get("group", group) is None:
                raise AuthorityError(
                    path, f"no group with slug '{group}'", field=f"{entry.where}.member_of"
                )
            if entry.kind == "group" and group == entry.slug:
                raise AuthorityError(
                    path, "a group cannot be a member of itself", field=f"{entry.where}.member_of"
                )
        _check_broader_chain(authority, entry)
    for (_, key), claimants in authority._index.items():
        uncued = [e for e in claimants if not e.context]
        if len(claimants) > 1 and uncued:
            names = " and ".join(e.where for e in claimants)
            raise AuthorityError(
                path,
                f"the name '{key}' is claimed by {names}; give each a context list "
                f"or keep the name on one entry only",
                field=f"{uncued[0].where}.variants",
            )


def _check_broader_chain(authority: Authority, entry: AuthorityEntry) -> None:
    chain = [entry.slug]
    current = entry
    while current.broader is not None:
        if current.broader in chain:
            circle = " → ".join([*chain, current.broader])
            raise AuthorityError(
                authority.path,
                f"places fall within each other in a circle: {circle}",
                field=f"{entry.where}.broader",
            )
        chain.append(current.broader)
        nxt = authority.get("place", current.broader)
        if nxt is None:
            return
        current = nxt
