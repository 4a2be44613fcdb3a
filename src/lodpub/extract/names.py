"""Normal forms of names: capitals undone, brackets and line breaks removed, name order."""

from __future__ import annotations

import re
import unicodedata

BRACKETS_RE = re.compile(r"\s*\[[^\[\]]*\]")
SPACES_RE = re.compile(r"\s+")

# One romanized syllable of Korean (Revised, McCune-Reischauer or Russian-mediated), Chinese
# (pinyin, Wade-Giles), Vietnamese or Japanese: optional initial, vowel nucleus, optional final.
SYLLABLE = (
    r"(?:tch|ssh|kk|tt|pp|ss|jj|ch|sh|zh|kh|ph|th|ts|gh|ng|[bcdfghjklmnpqrstvwxyz])?"
    r"(?:[wy]?[aeiou]{1,3}|y)"
    r"(?:ngh|ng|nh|ch|nn|[nmlkptrbgs])?"
)
SYLLABLES_RE = {n: re.compile(rf"(?:{SYLLABLE}){{1,{n}}}") for n in (1, 2, 3)}


def plain(text: str) -> str:
    """Lower case without diacritics or apostrophes: "P'yŏng" -> "pyong"."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c not in "'’")


def romanized(token: str, syllables: int = 2) -> bool:
    """True when each hyphen-separated part of `token` reads as up to `syllables` syllables."""
    parts = plain(token).split("-")
    if len(parts) > 3 or any(len(p) > 4 * syllables for p in parts):
        return False
    limit = SYLLABLES_RE[min(3, syllables)]
    return all(p and limit.fullmatch(p) for p in parts)


def clean(text: str) -> str:
    """Text with bracketed notes dropped and runs of white space made one space."""
    return SPACES_RE.sub(" ", BRACKETS_RE.sub("", text)).strip()


def title_word(
    word: str, *, lower_after_hyphen: bool = False, keep: dict[str, str] | None = None
) -> str:
    """Undo capitals in one word: "KIM" -> "Kim", "YONG-BEOM" -> "Yong-beom" (East Asian)."""
    if not word.isupper():
        return word
    if keep and word in keep:
        return keep[word]
    parts = word.split("-")
    if lower_after_hyphen:
        return "-".join([_title(parts[0])] + [p.lower() for p in parts[1:]])
    return "-".join(_title(p) for p in parts)


def _title(part: str) -> str:
    # "O'BRIEN" -> "O'Brien"; "MCARTHUR" stays "Mcarthur" unless the record spells it otherwise.
    pieces = re.split(r"(['’])", part.lower())
    return "".join(p[:1].upper() + p[1:] for p in pieces)
