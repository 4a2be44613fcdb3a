"""The archive's own tags: label lists as JSON arrays or separated text, kept as written."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from lodpub.sources.record import Tag

# Commas are not separators: labels are often "Last, First".
_SEPARATORS = re.compile(r"[;|\n]")


def split_labels(value: object) -> list[str]:
    """Labels of a tag value: a list, a JSON array text, or text separated by ; | or newlines.

    Raises ValueError for a value that looks like a JSON array but is not one of strings.
    """
    if value is None:
        return []
    if isinstance(value, list):
        items = value
    else:
        text = str(value).strip()
        if text.startswith("["):
            try:
                items = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ValueError(
                    f"not a valid JSON list: {exc.msg} at column {exc.colno}"
                ) from None
            if not isinstance(items, list):
                raise ValueError("expected a JSON list of labels")
        else:
            items = _SEPARATORS.split(text)
    labels: list[str] = []
    for item in items:
        if isinstance(item, dict | list | bool):
            raise ValueError(f"expected a list of text labels, found {json.dumps(item)}")
        if item is None:
            continue
        label = str(item).strip()
        if label and label not in labels:
            labels.append(label)
    return labels


def make_tags(kind: str, labels: Iterable[str]) -> tuple[Tag, ...]:
    return tuple(Tag(kind, label) for label in labels)
