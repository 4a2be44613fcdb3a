"""The bench scripts (bench/*.py) as modules, for the tests that check them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[1] / "bench"


def bench_module(name: str, *, as_name: str | None = None) -> ModuleType:
    """bench/{name}.py, imported as `as_name` (default bench_{name}); its sibling modules are
    found by name, as when the script runs."""
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location(
            as_name or f"bench_{name}", BENCH / f"{name}.py"
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))
