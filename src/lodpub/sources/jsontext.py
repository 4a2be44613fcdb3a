"""JSON text to a value; a JSONProblem saying where for bad syntax, deep nesting, huge numbers."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

# Records nest a few levels; far deeper input is hostile and would exhaust Python's stack.
MAX_DEPTH = 64
# Strings (skipped whole, possessively, so the scan is linear), brackets, and digit runs longer
# than Python converts to int (sys.get_int_max_str_digits, 4300 by default).
_TOKENS = re.compile(r'"(?:[^"\\]++|\\.)*+"|[\[{]|[\]}]|(?<![\d.eE+\-])-?\d{4300,}')


@dataclass
class JSONProblem(Exception):
    """Why a JSON text cannot be read, and where: 1-based line and column."""

    message: str
    line: int
    column: int


def load_json(text: str) -> Any:
    """The value of a JSON text; a JSONProblem naming the line and column of the fault."""
    if problem := _structure_problem(text):
        raise problem
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise JSONProblem(exc.msg, exc.lineno, exc.colno) from None
    except (ValueError, RecursionError) as exc:
        # _structure_problem finds what these mean; reaching here is a limit it does not know.
        raise JSONProblem(str(exc), 1, 1) from None


def _structure_problem(text: str) -> JSONProblem | None:
    """Nesting deeper than MAX_DEPTH or a number too long to read, found in one linear scan."""
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _at(text, match.start(), f"nested more than {MAX_DEPTH} levels deep")
        elif token in "]}":
            depth -= 1
        elif not token.startswith('"'):
            return _at(text, match.start(), f"a number of {len(token)} digits is too long")
    return None


def _at(text: str, offset: int, message: str) -> JSONProblem:
    before = text[:offset]
    return JSONProblem(message, before.count("\n") + 1, offset - before.rfind("\n"))
