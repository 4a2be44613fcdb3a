"""For the reconciliation tests: the API's JSON schemas, and `lodpub serve` over the LD store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from jsonschema import Draft7Validator
from referencing import Registry
from referencing.jsonschema import DRAFT7

from ld_servers import BASE, published_store
from sparql_servers import lodpub_serve

FIXTURES = Path(__file__).parent / "fixtures" / "reconcile"
SCHEMAS = FIXTURES / "schemas"


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted(SCHEMAS.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        # The spec's files say "$schema": "http://json-schema.org/schema#" (no draft); they use
        # draft-07 keywords (contains, definitions), so they are read as draft 7.
        resources.append((schema["$id"], DRAFT7.create_resource(schema)))
    return Registry().with_resources(resources)


def validator(name: str) -> Draft7Validator:
    """A validator for one of the spec's schemas (`manifest`, `type`, ...)."""
    schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    return Draft7Validator(schema, registry=_registry())


def check(name: str, instance: object) -> None:
    """Fail with every schema error, each with its path."""
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


@contextmanager
def served() -> Iterator[str]:
    """`lodpub serve` (gunicorn) over the Linked Data test store; yields its root URL."""
    with lodpub_serve(published_store(), "--base-uri", BASE) as endpoint:
        yield endpoint.removesuffix("/sparql")
