"""Document keys: the record id, else a hash token in the file name, else a content hash."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from lodpub.uris import slugify

KEY_HEX_LENGTH = 16
_HEX_TOKEN = re.compile(r"(?<![0-9a-fA-F])[0-9a-fA-F]{16}(?![0-9a-fA-F])")


def key_from_record_id(record_id: str) -> str:
    """The slug of a record id; an id with no ASCII letter or digit is hashed instead."""
    slug = slugify(record_id)
    if slug == "x" and record_id.strip().lower() != "x":
        return content_key(record_id.encode("utf-8"))
    return slug


def key_from_file_name(path: Path) -> str | None:
    """A 16-hex-digit token in the file name ("000_3a5edd602105b0b3.txt"), lower-cased."""
    match = _HEX_TOKEN.search(path.stem)
    return match.group().lower() if match else None


def content_key(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:KEY_HEX_LENGTH]


def value_key(value: Any) -> str:
    """The content key of a JSON-like value, independent of key order."""
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return content_key(canonical.encode("utf-8"))
