"""Writing the full-text index of a store version: one SQLite FTS5 file, `{root}/{version}.sqlite`.

Each document is one row: its label, its title(s) and its texts, lower-cased and stripped of
diacritics in any script (`folded`) for FTS5's unicode61 tokenizer to split into words. The
file is written when a version is published (`publish`), or by a server the first time it
searches a version that has none (lodpub.web.text_index); either way it is written beside its
place and renamed into it, and the files of versions other than the newest `KEEP` are removed.
"""

from __future__ import annotations

import os
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote

import pyoxigraph as ox

from lodpub.store import statistics
from lodpub.store.manifest import DOCUMENT_KEY, MANIFEST_GRAPH
from lodpub.vocab import CRM, PREFIXES, RDF, RDFS, SKOS

KEEP = 2
# Where a store's index files live, beside a plain store or inside a root of generations.
SEARCH_FOLDER = "search"
SEARCH_SUFFIX = ".search"
# The texts as written (for snippets) and, contentless, the index of their folded words:
# the folding is lodpub's own (any script), the tokenizer only splits words.
SCHEMA = (
    "CREATE TABLE documents (id INTEGER PRIMARY KEY, iri TEXT, label TEXT, title TEXT, "
    "text TEXT, title_key TEXT)",
    "CREATE VIRTUAL TABLE words USING fts5(title, text, content='', "
    "tokenize = 'unicode61 remove_diacritics 2')",
)
_DEFAULT = ox.DefaultGraph()
_MANIFEST = ox.NamedNode(MANIFEST_GRAPH)
_DOCUMENT_KEY = ox.NamedNode(DOCUMENT_KEY)
_TYPE = ox.NamedNode(str(RDF.type))
_LABELS = (ox.NamedNode(str(RDFS.label)), ox.NamedNode(str(SKOS.prefLabel)))
_CONTENT = ox.NamedNode(str(CRM.P190_has_symbolic_content))
_TITLE = ox.NamedNode(str(CRM.P102_has_title))
_TEXT_OF = (ox.NamedNode(str(CRM.P73_has_translation)), ox.NamedNode(str(CRM.P165_incorporates)))
_DOCUMENTS = "document/"
_LONG_LABEL = 80


class Quads(Protocol):
    """What rows are read from: a pyoxigraph store, or the web tier's view of a remote one."""

    def quads_for_pattern(self, s, p, o, g) -> Iterator[ox.Quad]: ...


@dataclass(frozen=True)
class Row:
    """One document as indexed: its label, its titles and its texts."""

    iri: str
    label: str
    title: str
    text: str


def index_folder(store: Path, *, generations: bool) -> Path:
    """Where the index files of the store at `store` live: `search` inside a root of
    generations, `<store>.search` beside a plain store."""
    return store / SEARCH_FOLDER if generations else store.parent / f"{store.name}{SEARCH_SUFFIX}"


def rows(store: Quads, things: str) -> list[Row]:
    """Every document `{things}document/{key}` of the store, ordered by label: its label, its
    titles (else its label) and the texts it has or incorporates."""
    documents = _documents(store, things)
    # One scan per property instead of one look-up per document: several times faster.
    titles = _objects_of(store, _TITLE, documents)
    parts = [_objects_of(store, predicate, documents) for predicate in _TEXT_OF]
    labels = _Labels(store, things)
    found: list[Row] = []
    for iri in documents:
        named = [labels.of(t) for t in titles.get(iri, ())] or [labels.of(iri)]
        texts = [
            _english(store, text, _CONTENT) or ""
            for objects in parts
            for text in objects.get(iri, ())
            if isinstance(text, ox.NamedNode)
        ]
        found.append(Row(iri, labels.of(iri), "\n\n".join(named), "\n\n".join(texts)))
    found.sort(key=_by_label)
    return found


def write(path: Path, rows: Iterable[Row]) -> None:
    """Write the index file `path` from `rows` (beside it first, then renamed into place)."""
    # Imported here: the resolve package (its lexicons) is needed only by whoever writes.
    from lodpub.resolve.names import fold

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    partial.unlink(missing_ok=True)
    connection = sqlite3.connect(partial)
    try:
        # A file only ever renamed into place once complete needs no journal on the way.
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        for statement in SCHEMA:
            connection.execute(statement)
        documents, words = [], []
        for number, row in enumerate(rows, 1):
            documents.append((number, row.iri, row.label, row.title, row.text, fold(row.title)))
            words.append((number, folded(row.title), folded(row.text)))
        connection.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?)", documents)
        connection.executemany("INSERT INTO words (rowid, title, text) VALUES (?, ?, ?)", words)
        connection.execute("INSERT INTO words (words) VALUES ('optimize')")
        connection.commit()
    finally:
        connection.close()
    os.replace(partial, path)


def prune(root: Path, version: str) -> None:
    """Remove the index files of all but the newest `KEEP` versions (never `version`'s)."""
    files = sorted(root.glob("*.sqlite"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[KEEP:]:
        if old.stem != version:
            old.unlink(missing_ok=True)


def publish(store: ox.Store, root: Path) -> Path | None:
    """Write the index of the store's version into `root` unless it is there; its path, or None
    for a store without lodpub's manifest (a server then indexes it on first use)."""
    version = statistics.version_of(store)
    if version is None:
        return None
    path = root / f"{version}.sqlite"
    if not path.is_file():
        found = [row for things in set(_things(store)) for row in rows(store, things)]
        found.sort(key=_by_label)
        write(path, found)
        prune(root, version)
    return path


def refresh(folder: str, root: Path) -> Path | None:
    """Open the on-disk store at `folder` read-only and `publish` its index into `root`."""
    store = ox.Store.read_only(folder)
    try:
        return publish(store, root)
    finally:
        del store


def _by_label(row: Row) -> tuple[str, str]:
    return row.label.lower(), row.iri


def _things(store: Quads) -> Iterator[str]:
    """The `{base}/id/` of each document graph the manifest names (`{base}/id/document/…`)."""
    for quad in store.quads_for_pattern(None, _DOCUMENT_KEY, None, _MANIFEST):
        head, found, _ = quad.subject.value.rpartition("/id/" + _DOCUMENTS)
        if found:
            yield head + "/id/"


def _documents(store: Quads, things: str) -> set[str]:
    """The documents `{things}document/{key}` whose graphs the manifest names, if typed."""
    prefix = things + _DOCUMENTS
    named = set()
    for quad in store.quads_for_pattern(None, _DOCUMENT_KEY, None, _MANIFEST):
        iri = quad.subject.value.rpartition("/")[0]
        if iri.startswith(prefix) and "/" not in iri[len(prefix) :]:
            named.add(iri)
    return {iri for iri in named if any(_objects(store, ox.NamedNode(iri), _TYPE))}


def _objects_of(store: Quads, predicate: ox.NamedNode, subjects: set[str]) -> dict[str, list]:
    """The objects of `predicate` for each of `subjects`, in the order a look-up gives them."""
    found: dict[str, list] = {}
    for quad in store.quads_for_pattern(None, predicate, None, _DEFAULT):
        subject = quad.subject.value
        if subject in subjects:
            found.setdefault(subject, []).append(quad.object)
    return found


def _objects(store: Quads, s: ox.NamedNode, p: ox.NamedNode) -> list:
    return [q.object for q in store.quads_for_pattern(s, p, None, _DEFAULT)]


def _english(store: Quads, s: ox.NamedNode, p: ox.NamedNode) -> str | None:
    """The English value of a property, else an untagged one, else any (as pages choose)."""
    literals = [o for o in _objects(store, s, p) if isinstance(o, ox.Literal)]
    for wanted in ("en", None):
        for literal in literals:
            language = literal.language
            if language == wanted or (wanted == "en" and (language or "").startswith("en-")):
                return literal.value
    return literals[0].value if literals else None


class _Labels:
    """What pages call a document or its title: its label, else its text, else its name."""

    def __init__(self, store: Quads, things: str) -> None:
        self.store = store
        self.things = things
        self._found: dict[str, str] = {}

    def of(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | str) -> str:
        if isinstance(term, ox.Literal):
            return term.value
        iri = term if isinstance(term, str) else term.value
        found = self._found.get(iri)
        if found is None:
            found = self._found[iri] = self._find(iri)
        return found

    def _find(self, iri: str) -> str:
        subject = ox.NamedNode(iri)
        for predicate in (*_LABELS, _CONTENT):
            found = _english(self.store, subject, predicate)
            if found:
                if predicate == _CONTENT and len(found) > _LONG_LABEL:
                    return found[: _LONG_LABEL - 1].rstrip() + "…"
                return found
        rest = iri[len(self.things) :] if iri.startswith(self.things) else None
        if rest is not None and rest.count("/") >= 2:
            parent, _, last = iri.rpartition("/")
            return f"{unquote(last)} of {self.of(parent)}"
        return _short_name(iri, rest)


def _short_name(iri: str, rest: str | None) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)) :]}"
    if rest is not None:
        return unquote(rest.rsplit("/", 1)[-1]) or rest
    return iri.split("://", 1)[-1].rstrip("/")


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    """One character lower-cased without its diacritics; itself when that is not one character
    (a Hangul syllable decomposes into jamo, which are kept together)."""
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    for candidate in (base.lower(), base, ch.lower()):
        if len(candidate) == 1:
            return candidate
    return ch


def folded(text: str) -> str:
    """`text` lower-cased without diacritics, character for character (offsets are kept)."""
    if text.isascii():
        return text.lower()
    return text.translate({ord(ch): _fold_char(ch) for ch in set(text)})
