"""What the endpoint must know about a query before running it, found by tokenizing its text.

The tokenizer follows the SPARQL 1.1 grammar's terminals (strings, IRIs, comments, variables,
prefixed names, language tags), so a word like SERVICE inside a string, an IRI, a comment or a
name is never mistaken for the keyword. It errs on the side of seeing the keyword: a bare word
that merely contains it (`trueSERVICE`, which pyoxigraph reads as `true SERVICE`) counts too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = (
    f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
)
_VARNAME = f"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"

_TOKEN = re.compile(
    "|".join(
        f"(?P<{name}>{pattern})"
        for name, pattern in (
            ("ws", r"[ \t\r\n]+"),
            ("comment", r"#[^\r\n]*"),
            (
                "string",
                r"'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''|\"\"\"(?:(?:\"|\"\")?(?:[^\"\\]|\\.))*\"\"\"",
            ),
            ("string1", r"'(?:[^'\\\n\r]|\\.)*'|\"(?:[^\"\\\n\r]|\\.)*\""),
            ("iri", r"<[^<>\"{}|^`\\\x00-\x20]*>"),
            ("var", f"[?$]{_VARNAME}"),
            ("bnode", f"_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"),
            ("pname", f"(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?"),
            ("langtag", r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*"),
            ("word", r"[A-Za-z_][A-Za-z0-9_]*"),
            ("number", r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"),
            ("other", r"."),
        )
    ),
    re.DOTALL,
)

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
QUERY_KEYWORDS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})


@dataclass(frozen=True)
class Service:
    """One SERVICE call: its endpoint IRI, or None when it is a variable or cannot be resolved."""

    endpoint: str | None


@dataclass(frozen=True)
class QueryFacts:
    """The operation's first keyword and its SERVICE calls."""

    keyword: str | None
    services: tuple[Service, ...]

    @property
    def is_update(self) -> bool:
        return self.keyword in UPDATE_KEYWORDS


def _tokens(text: str) -> list[tuple[str, str]]:
    return [
        (m.lastgroup or "other", m.group())
        for m in _TOKEN.finditer(text)
        if m.lastgroup not in ("ws", "comment")
    ]


def scan(text: str, base_iri: str | None = None) -> QueryFacts:
    """The facts about a query or update text; never raises, whatever the text."""
    tokens = _tokens(text)
    prefixes: dict[str, str] = {}
    base = base_iri or ""
    keyword = None
    i = 0
    # The prologue: BASE <iri> and PREFIX p: <iri>, in any order.
    while i < len(tokens):
        kind, value = tokens[i]
        word = value.upper() if kind == "word" else None
        if word == "BASE" and i + 1 < len(tokens) and tokens[i + 1][0] == "iri":
            base = urljoin(base, tokens[i + 1][1][1:-1])
            i += 2
        elif (
            word == "PREFIX"
            and i + 2 < len(tokens)
            and tokens[i + 1][0] == "pname"
            and tokens[i + 1][1].endswith(":")
            and tokens[i + 2][0] == "iri"
        ):
            prefixes[tokens[i + 1][1][:-1]] = urljoin(base, tokens[i + 2][1][1:-1])
            i += 3
        else:
            keyword = word
            break
    services = []
    for j in range(i, len(tokens)):
        kind, value = tokens[j]
        if kind != "word":
            continue
        word = value.upper()
        if word == "SERVICE":
            services.append(Service(_endpoint(tokens, j + 1, base, prefixes)))
        elif "SERVICE" in word:
            services.append(Service(None))
    return QueryFacts(keyword, tuple(services))


def _endpoint(
    tokens: list[tuple[str, str]], i: int, base: str, prefixes: dict[str, str]
) -> str | None:
    if i < len(tokens) and tokens[i][0] == "word" and tokens[i][1].upper() == "SILENT":
        i += 1
    if i >= len(tokens):
        return None
    kind, value = tokens[i]
    if kind == "iri":
        return urljoin(base, value[1:-1])
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None
