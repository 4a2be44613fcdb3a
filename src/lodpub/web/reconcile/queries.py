"""Reading reconciliation query batches and type ids, with errors that name the offending field.

A batch is the JSON object of Reconciliation API 0.2 (`{"q0": {"query": ..., "type": ...,
"limit": ..., "properties": [...], "type_strict": ...}}`). Types are named by CRM class IRI
(`http://www.cidoc-crm.org/cidoc-crm/E21_Person`), prefixed (`crm:E21_Person`), bare
(`E21_Person`) or by our kind word (`person`); any CRM class filters by the class hierarchy
(`E39_Actor`: persons and groups; `E7_Activity`: activities among the events).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass

from lodpub.vocab import CRM
from lodpub.web.labels import Vocabulary
from lodpub.web.reconcile.entities import KINDS, PROPERTIES, Entity
from lodpub.web.reconcile.matcher import Constraint

MAX_BATCH = 100
MAX_LIMIT = 100
DEFAULT_LIMIT = 10
MAX_QUERY = 1000
STRICTNESS = ("any", "should", "all")
_FIELDS = {"query", "type", "limit", "properties", "type_strict"}


class QueryError(ValueError):
    """A batch the service cannot answer; the message names the query and field."""


class BatchTooLarge(QueryError):
    """More queries in one batch than the manifest's `batchSize`."""


@dataclass(frozen=True)
class Query:
    key: str
    text: str | None
    accept: Callable[[Entity], bool] | None
    constraints: tuple[Constraint, ...]
    limit: int


def parse_batch(raw: str, vocabulary: Vocabulary) -> list[Query]:
    """The queries of a `queries=` parameter; QueryError naming what is wrong."""
    try:
        batch = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise QueryError(f"queries: not JSON ({exc.msg} at character {exc.pos})") from None
    if not isinstance(batch, dict):
        raise QueryError("queries: must be a JSON object of queries keyed by id")
    if len(batch) > MAX_BATCH:
        raise BatchTooLarge(f"queries: at most {MAX_BATCH} queries in a batch, got {len(batch)}")
    return [_query(str(key), value, vocabulary) for key, value in batch.items()]


def _query(key: str, value: object, vocabulary: Vocabulary) -> Query:
    where = f"queries: {key}"
    if not isinstance(value, dict):
        raise QueryError(f"{where}: must be an object")
    unknown = sorted(set(value) - _FIELDS)
    if unknown:
        raise QueryError(f"{where}: unknown field {unknown[0]!r} (fields: {sorted(_FIELDS)})")
    text = value.get("query")
    if text is not None and (not isinstance(text, str) or not text.strip()):
        raise QueryError(f"{where}.query: must be a non-empty string")
    if text is not None and len(text) > MAX_QUERY:
        raise QueryError(f"{where}.query: at most {MAX_QUERY} characters, got {len(text)}")
    constraints = _constraints(value.get("properties"), f"{where}.properties")
    if text is None and not constraints:
        raise QueryError(f"{where}: needs a query or properties")
    strict = value.get("type_strict", "any")
    if strict not in STRICTNESS:
        raise QueryError(f"{where}.type_strict: must be one of {', '.join(STRICTNESS)}")
    types = value.get("type")
    if isinstance(types, str):
        types = [types]
    if types is not None and (
        not isinstance(types, list) or not all(isinstance(t, str) for t in types)
    ):
        raise QueryError(f"{where}.type: must be a type id or a list of them")
    accept = type_filter(types, vocabulary, strict=strict, where=f"{where}.type")
    return Query(key, text, accept, constraints, _limit(value.get("limit"), f"{where}.limit"))


def _limit(value: object, where: str) -> int:
    if value is None:
        return DEFAULT_LIMIT
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value != int(value)
    ):
        raise QueryError(f"{where}: must be a positive integer, got {value!r}")
    if value < 1:
        raise QueryError(f"{where}: must be a positive integer, got {value!r}")
    return min(int(value), MAX_LIMIT)


def _constraints(value: object, where: str) -> tuple[Constraint, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise QueryError(f"{where}: must be a list of {{pid, v}} objects")
    found = []
    for number, item in enumerate(value):
        here = f"{where}[{number}]"
        if not isinstance(item, dict) or "pid" not in item or "v" not in item:
            raise QueryError(f"{here}: must be an object with pid and v")
        pid = item["pid"]
        if pid not in PROPERTIES:
            raise QueryError(
                f"{here}.pid: unknown property {pid!r} (known: {', '.join(PROPERTIES)})"
            )
        values = item["v"] if isinstance(item["v"], list) else [item["v"]]
        found.append(Constraint(pid, tuple(_value(v, f"{here}.v") for v in values)))
    return tuple(found)


def _value(value: object, where: str) -> str:
    if isinstance(value, dict):
        if not isinstance(value.get("id"), str):
            raise QueryError(f"{where}: an entity value needs a string id")
        return value["id"]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise QueryError(f"{where}: must be a string, number, boolean or {{id}} object")


def type_filter(
    types: list[str] | None, vocabulary: Vocabulary, *, strict: str = "any", where: str = "type"
) -> Callable[[Entity], bool] | None:
    """A test for entities of the given types (any of them; all with `strict` "all")."""
    if not types:
        return None
    tests = [_type_test(t, vocabulary, where) for t in types]
    if strict == "all":
        return lambda entity: all(test(entity) for test in tests)
    return lambda entity: any(test(entity) for test in tests)


def _type_test(type_id: str, vocabulary: Vocabulary, where: str) -> Callable[[Entity], bool]:
    iri = type_iri(type_id)
    for kind in KINDS.values():
        if iri == kind.iri:
            return lambda entity, name=kind.name: entity.kind == name
    if iri is None or not (iri in vocabulary.terms or iri in vocabulary.parents):
        known = ", ".join(k.iri for k in KINDS.values())
        raise QueryError(f"{where}: unknown type {type_id!r} (types: {known}, or a CRM class)")
    return lambda entity: vocabulary.is_a(entity.classes, iri)


def type_iri(type_id: str) -> str | None:
    """The class IRI a type id names, or None."""
    type_id = type_id.strip()
    if type_id in KINDS:
        return KINDS[type_id].iri
    if type_id.startswith(("http://", "https://")):
        return type_id
    local = type_id.removeprefix("crm:")
    return str(CRM) + local if local[:1] == "E" and local[1:2].isdigit() else None
