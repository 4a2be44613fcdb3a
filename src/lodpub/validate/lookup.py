"""pyshacl's constraint-parameter lookup answered from a set instead of a list scan.

pyshacl 0.40 `Shape.validate` tests every predicate of a shape with `p in parameters`, a list of
the SHACL constraint parameters it caches on `pyshacl.shape` as `CONSTRAINT_PARAMS`: a linear
scan of rdflib `__eq__` calls on every call, the largest single cost of validating lodpub's
shapes. The same parameters in a list that answers `in` from a set give the same constraints in
the same order. Applied only to the pyshacl versions it was checked against;
tests/test_validate_lookup.py fails if it stops applying.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyshacl
from pyshacl import shape
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP

CHECKED_VERSIONS = ("0.40.",)  # pyshacl releases whose Shape.validate reads CONSTRAINT_PARAMS


class Parameters(list):
    """A list of constraint parameters whose `in` is a set lookup.

    pyshacl copies the list and appends sh:expression to it (SHACL-AF) on each call; both keep
    the set in step. It mutates it no other way."""

    def __init__(self, items: Iterable[Any] = ()) -> None:
        super().__init__(items)
        self._members = set(self)

    def __contains__(self, item: object) -> bool:
        return item in self._members

    def copy(self) -> Parameters:
        return Parameters(self)

    def append(self, item: Any) -> None:
        super().append(item)
        self._members.add(item)


def install() -> bool:
    """Give pyshacl the set-backed parameter list; False (and pyshacl untouched) on a version
    it was not checked against."""
    if not pyshacl.__version__.startswith(CHECKED_VERSIONS):
        return False
    shape.CONSTRAINT_PARAMS = (Parameters(ALL_CONSTRAINT_PARAMETERS), CONSTRAINT_PARAMETERS_MAP)
    return True
