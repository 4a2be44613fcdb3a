"""The example queries of the query page (`examples/*.rq`), with the prefixes each one uses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from lodpub.vocab import PREFIXES


@dataclass(frozen=True)
class Example:
    """A titled query; `text` starts with the PREFIX lines it needs."""

    slug: str
    title: str
    text: str


def prefix_lines(body: str) -> str:
    """PREFIX declarations for the dataset prefixes that `body` uses."""
    used = [name for name in PREFIXES if re.search(rf"(?<![\w:?$]){name}:", body)]
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in used)


@cache
def examples() -> tuple[Example, ...]:
    """Every example, in file name order; the first comment line is its title."""
    found = []
    folder = files("lodpub.web") / "examples"
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if not item.name.endswith(".rq"):
            continue
        source = item.read_text(encoding="utf-8")
        title = source.splitlines()[0].lstrip("#").strip()
        slug = item.name.removesuffix(".rq").split("-", 1)[1]
        found.append(Example(slug, title, prefix_lines(source) + "\n" + source))
    return tuple(found)
