"""Name folding: the matching keys of a name, shared by resolution and reconciliation."""

from __future__ import annotations

import re
import unicodedata

# Letters NFKD does not decompose into a base letter plus a mark.
_LETTERS = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",
    }
)
# Apostrophes vanish rather than split a word: "P'yŏngyang" = "Pyongyang", "women's" = "womens".
_APOSTROPHES = re.compile("['\u2019\u02bc\u2018`\u00b4\u02bb]")
_HYPHENS = re.compile("[-\u2010\u2011\u2012\u2013]")
_NON_WORD = re.compile(r"[\W_]+")
# Lower-case only: "the Party" is labelled "Party", but "The Hague" keeps its article.
_LEADING_ARTICLE = re.compile(r"^(?:(?:the|an?)\s+)?(?:so-called\s+)?(?=\S)")

# Dropped before any name: articles, demonstratives and possessives ("this party" = "party");
# also the distancing "so-called", see `_drop_leading`.
LEADING_WORDS = frozenset(
    {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our"}
)
# Words that may stay lower case inside a proper name ("Communist Party of Korea", "de Gaulle").
_FUNCTION_WORDS = frozenset(
    {"of", "the", "and", "in", "for", "on", "at", "to", "with", "a", "an"}
    | {"de", "del", "der", "den", "des", "di", "da", "du", "la", "le", "von", "van", "y", "und"}
)
_WORD = re.compile(r"[^\W\d_][\w'\u2019.-]*")
# Dropped before any name: abbreviated and courtesy honorifics ("Cde. STALIN").
HONORIFICS = frozenset(
    {
        "cde",
        "comrade",
        "comrades",
        "tov",
        "tovarishch",
        "mr",
        "mrs",
        "ms",
        "mme",
        "messrs",
        "dr",
        "prof",
        "sir",
        "gen",
        "col",
        "lt",
        "capt",
        "maj",
        "sgt",
        "adm",
        "hon",
        "rev",
    }
)
# Dropped before a person's name only: a group may be named "General Staff".
PERSON_TITLES = frozenset(
    {
        "general",
        "marshal",
        "colonel",
        "lieutenant",
        "captain",
        "major",
        "admiral",
        "president",
        "premier",
        "chairman",
        "professor",
        "doctor",
        "madame",
        "mister",
        "miss",
    }
)
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Words that end the head of a group name: "CC of the Party" has the head "cc".
_HEAD_STOPS = frozenset({"of", "in", "for", "at", "on"})


def fold(name: str, kind: str | None = None) -> str:
    """The matching key of a name: case, diacritics, punctuation, articles, honorifics ignored.

    "Last, First" becomes "First Last"; hyphens fold to spaces ("Heon-yeong" = "Heon yeong").
    """
    return _fold(name, kind, invert=True, join_hyphens=False)


def name_keys(name: str, kind: str | None = None) -> frozenset[str]:
    """Every key a name is found under: `fold`, hyphenated parts joined, and for "Last, First"
    also the surname-first order (Korean names: "Pak, Heon-yeong" = "Pak Heon-yeong")."""
    keys = {
        _fold(name, kind, invert=True, join_hyphens=False),
        _fold(name, kind, invert=True, join_hyphens=True),
    }
    if _split_inverted(name) is not None:
        keys.add(_fold(name, kind, invert=False, join_hyphens=False))
        keys.add(_fold(name, kind, invert=False, join_hyphens=True))
    keys.discard("")
    return frozenset(keys)


def tokens(name: str, kind: str | None = None) -> tuple[str, ...]:
    """The words of the folded name."""
    return tuple(fold(name, kind).split())


def head(words: tuple[str, ...]) -> str | None:
    """The head word of a group name: the word before the first "of"/"in"/..., else the last."""
    for i, word in enumerate(words):
        if word in _HEAD_STOPS and i > 0:
            return words[i - 1]
    return words[-1] if words else None


def display_name(name: str) -> str:
    """A name as a label: "Rhee, Syngman" becomes "Syngman Rhee"; no leading article."""
    parts = _split_inverted(name)
    text = " ".join((f"{parts[1]} {parts[0]}" if parts else name).split())
    bare = _LEADING_ARTICLE.sub("", text)
    return bare[:1].upper() + bare[1:] if bare and bare != text else text


def is_proper_name(name: str) -> bool:
    """True when every word but function words is capitalised (or caseless): "Kim Gu",
    "Communist Party of Korea", "김일성"; not "trade unions", "future Korean government"."""
    words = [w for w in _WORD.findall(name) if w.lower() not in _FUNCTION_WORDS]
    return bool(words) and not any(w[0].islower() for w in words)


def fold_text(text: str) -> str:
    """Running text folded like names (no words dropped), for finding context words in it."""
    return " ".join(_NON_WORD.sub(" ", _plain(_HYPHENS.sub(" ", text))).split())


def _split_inverted(name: str) -> tuple[str, str] | None:
    """("Rhee", "Syngman") for "Rhee, Syngman"; None when the name is not "Last, First"."""
    parts = [p.strip() for p in name.split(",")]
    if len(parts) != 2 or not all(parts):
        return None
    if _NON_WORD.sub(" ", parts[1]).strip().lower() in _NAME_SUFFIXES:
        return None
    return parts[0], parts[1]


def _plain(text: str) -> str:
    """Lower case, no diacritics, no apostrophes; Hangul and Cyrillic letters kept."""
    text = _APOSTROPHES.sub("", text.translate(_LETTERS))
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", stripped).casefold()


def _fold(name: str, kind: str | None, *, invert: bool, join_hyphens: bool) -> str:
    parts = _split_inverted(name)
    if parts is not None:
        name = f"{parts[1]} {parts[0]}" if invert else f"{parts[0]} {parts[1]}"
    name = _HYPHENS.sub("" if join_hyphens else " ", name)
    words = _NON_WORD.sub(" ", _plain(name)).split()
    return " ".join(_drop_leading(words, kind))


def _drop_leading(words: list[str], kind: str | None) -> list[str]:
    droppable = LEADING_WORDS | HONORIFICS | (PERSON_TITLES if kind == "person" else frozenset())
    while len(words) > 1:
        if words[:2] == ["so", "called"] and len(words) > 2:
            words = words[2:]
        elif words[0] in droppable or words[0] == "socalled":  # "so-called", hyphen joined
            words = words[1:]
        else:
            break
    return words
