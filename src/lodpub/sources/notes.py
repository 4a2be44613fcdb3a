"""Bracketed editorial notes of a body: found in one linear scan, classified by rules and lists."""

from __future__ import annotations

import re
import unicodedata

from lodpub.sources.record import EditorialNote

# One bracket pair with no bracket inside: each "[" scans only to the next bracket, so the
# whole search is linear whatever the input.
_BRACKET = re.compile(r"\[[^\[\]]*\]")
_CONTEXT = 200  # characters of the paragraph looked at on each side of a note
_LABEL_MAX = 40
_SUPPLIED_MAX_WORDS = 8

# "Label: content" — the label names the kind; content is what follows the colon.
_LABELS = {
    "translator": (
        "translator's note",
        "translators' note",
        "translator note",
        "translator's comment",
        "translation note",
        "trans. note",
        "tr. note",
        "note of the translator",
        "translator",
    ),
    "editorial": (
        "editor's note",
        "editors' note",
        "editorial note",
        "ed. note",
        "ed.",
        "ed",
        "editor",
        "note",
        "comment",
    ),
    "original": ("original", "orig.", "orig", "in the original", "in original"),
    "sic": ("sic",),
}
# A label naming a language marks the original wording: [Russian: gosudarstvennaya].
LANGUAGE_NAMES = (
    "albanian",
    "bulgarian",
    "chinese",
    "czech",
    "english",
    "french",
    "german",
    "hungarian",
    "italian",
    "japanese",
    "korean",
    "mongolian",
    "polish",
    "romanian",
    "russian",
    "serbo-croatian",
    "slovak",
    "spanish",
    "ukrainian",
    "vietnamese",
)
_INSERTED_LABEL = re.compile(
    r"(?:inserted|added|written|handwritten|insertion|interlinear|typed in|in handwriting)\b"
)
_TRANSLATOR_NOTE = re.compile(r"(?:translator'?s'?|translation)\s+note\b[\s.:\-–—]*", re.I)
_SIC = re.compile(r"sic\b[!.]?[;:,.]?\s*", re.I)
_OMISSION = re.compile(
    r"\.\.\.|…|\b(?:illegible|unreadable|indecipherable|crossed out|struck out|struck through|"
    r"deleted|omitted|omission|missing|torn|damaged|blacked out|redacted|cut off|not legible|"
    r"not declassified|excised|sanitized|lacuna|unleserlich|gestrichen|illisible|"
    r"неразборчиво|зачеркнуто)\b",
    re.I,
)
# Remarks about the carrier rather than words of the text: [signature], [stamp], [see above].
_DESCRIPTIVE = re.compile(
    r"\b(?:signature|signed|stamp|stamped|seal|handwritten|handwriting|typewritten|margin|"
    r"marginal|attachment|enclosure|illustration|photograph|photo|table|map|page|see|cf)\b",
    re.I,
)
# Words that open supplied text, never a name: "[The following] are necessary".
_NOT_NAME_START = frozenset(
    (
        *("the", "a", "an", "this", "that", "these", "those", "in", "on", "at", "to", "of"),
        *("and", "but", "or", "for", "with", "from", "by", "as", "it", "he", "she", "they"),
        *("we", "you", "which", "who", "whom", "whose", "what", "not", "no", "see"),
    )
)
# English function words: bracketed words with one of them are supplied English text.
_FUNCTION_WORDS = _NOT_NAME_START | frozenset(
    (
        *("is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "do"),
        *("does", "did", "will", "would", "shall", "should", "can", "could", "may", "might"),
        *("must", "its", "him", "his", "her", "them", "their", "us", "our", "your", "i", "me"),
        *("my", "there", "here", "then", "than", "so", "such", "all", "some", "any", "each"),
        *("other", "into", "about", "over", "under", "after", "before", "up", "out", "also"),
    )
)
_NAME_PARTICLES = frozenset(
    ("de", "da", "del", "della", "di", "du", "la", "le", "van", "von", "der", "den", "al", "el")
    + ("bin", "ibn", "y", "e")
)
_NAME_TOKEN = re.compile(r"[^\W\d_][\w'’.\-]*")
# Spelling that English words rarely have but transliterations of Russian, Chinese and
# Korean do; a bracketed word with one of them after a word is its original-language form.
_TRANSLITERATION = re.compile(
    r"zh|kh|shch|yy|iy|yu|ya\b|yye\b|iye\b|oye\b|ogo\b|ykh\b|ikh\b|ii\b|skiy|skii|ost'|"
    r"\bts|tsk|q(?!u)|\bx[iu]"
)
_PRECEDING_WORD = re.compile(r"([^\W\d_][\w'’.\-]*) ?$")
_DIGITS = re.compile(r"\d+")


def find_notes(body: str) -> tuple[EditorialNote, ...]:
    """Every bracketed note of `body`, in order, with its kind and offsets into `body`."""
    notes = []
    for match in _BRACKET.finditer(body):
        inner = match.group()[1:-1]
        if "\n\n" in inner:
            continue
        before = _paragraph_before(body, match.start())
        after = _paragraph_after(body, match.end())
        kind, content = classify(inner, before, after)
        notes.append(EditorialNote(kind, match.group(), content, match.start(), match.end()))
    return tuple(notes)


def classify(inner: str, before: str = "", after: str = "") -> tuple[str, str]:
    """Kind and content of a note from its inside and the paragraph text around it."""
    text = inner.strip()
    if not text:
        return "omission", ""
    label, colon, rest = text.partition(":")
    if colon and rest.strip() and len(label) <= _LABEL_MAX:
        kind = label_kind(label)
        if kind:
            return kind, rest.strip()
    if match := _TRANSLATOR_NOTE.match(text):
        return "translator", text[match.end() :] or text
    if match := _SIC.match(text):
        return "sic", text[match.end() :] or text
    if _OMISSION.search(text):
        return "omission", text
    if colon or _DESCRIPTIVE.search(text):
        return "editorial", text
    if _DIGITS.fullmatch(text) and before and not before[-1].isspace():
        return "editorial", text  # a footnote mark: "in Seoul.[3]"
    preceding = _PRECEDING_WORD.search(before)
    if preceding:
        after_name = preceding.group(1)[0].isupper()
        if after_name and (_is_name(text) or _other_script(text)):
            return "alternative", text
        if _is_foreign(text) or (
            preceding.group(1).lower() not in _FUNCTION_WORDS and _is_untranslated(text)
        ):
            return "original", text
    inline = bool(before.strip() or after.strip())
    if inline and len(text.split()) <= _SUPPLIED_MAX_WORDS and not text.endswith((".", "?")):
        return "supplied", text
    return "editorial", text


def label_kind(label: str) -> str | None:
    """The note kind a label such as "inserted by hand" or "Translator's note" stands for."""
    name = " ".join(label.lower().replace("’", "'").split())
    for kind, labels in _LABELS.items():
        if name in labels:
            return kind
    if _INSERTED_LABEL.match(name):
        return "inserted"
    if name.removeprefix("in ") in LANGUAGE_NAMES:
        return "original"
    return None


def _paragraph_before(body: str, start: int) -> str:
    window = body[max(0, start - _CONTEXT) : start]
    return window.rpartition("\n\n")[2]


def _paragraph_after(body: str, end: int) -> str:
    return body[end : end + _CONTEXT].partition("\n\n")[0]


def _is_name(text: str) -> bool:
    """Capitalised words as in a personal or place name: "Kim Yong Bom", "Kanko"."""
    tokens = text.split()
    if not 1 <= len(tokens) <= 6 or tokens[0].lower() in _NOT_NAME_START:
        return False
    for token in tokens:
        if not _NAME_TOKEN.fullmatch(token):
            return False
        if not token[0].isupper() and token not in _NAME_PARTICLES:
            return False
    return True


def _is_foreign(text: str) -> bool:
    """One to three words in another script, with diacritics, or spelled like a transliteration."""
    tokens = text.split()
    if not 1 <= len(tokens) <= 3 or any(ch.isdigit() for ch in text):
        return False
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    if _other_script(text) or any(not ch.isascii() for ch in letters):
        return True
    return any(_TRANSLITERATION.search(token.lower()) for token in tokens)


def _other_script(text: str) -> bool:
    """Letters outside the Latin script: Cyrillic, Hangul, CJK, Greek, ..."""
    return any(ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN") for ch in text)


def _is_untranslated(text: str) -> bool:
    """Two or three lower-case words without an English function word: "inmin wiwonhoe"."""
    tokens = text.split()
    return (
        2 <= len(tokens) <= 3
        and all(token.isascii() and token.isalpha() and token.islower() for token in tokens)
        and not any(token in _FUNCTION_WORDS for token in tokens)
    )
