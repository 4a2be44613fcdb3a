"""Language names as archives write them ("Russian", "English") to BCP 47 tags."""

from __future__ import annotations

import re

LANGUAGE_TAGS = {
    "albanian": "sq",
    "arabic": "ar",
    "bulgarian": "bg",
    "chinese": "zh",
    "czech": "cs",
    "english": "en",
    "french": "fr",
    "german": "de",
    "hungarian": "hu",
    "italian": "it",
    "japanese": "ja",
    "korean": "ko",
    "mongolian": "mn",
    "polish": "pl",
    "portuguese": "pt",
    "romanian": "ro",
    "russian": "ru",
    "serbo-croatian": "sh",
    "slovak": "sk",
    "spanish": "es",
    "ukrainian": "uk",
    "vietnamese": "vi",
}
_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def language_tag(value: str) -> str | None:
    """The BCP 47 tag for a language name or tag ("Russian" → "ru", "ko-Latn" kept), else None."""
    text = value.strip()
    if _TAG.fullmatch(text):
        return text
    return LANGUAGE_TAGS.get(text.lower())
