"""The full-text index of the documents: SQLite FTS5 (standard library), one file per store version.

Each published document is one row (lodpub.store.text_index): its title(s) and its texts,
lower-cased and stripped of diacritics in any script (`folded`), then split into words by
FTS5's unicode61 tokenizer, so "Chŏng" is found by "chong", "Отчёт" by "отчет" and
"Heon-yeong" by "heon-yeong" or "heon yeong". A query's words must all occur (each as a word
prefix: "league" finds "leagues"); documents are ranked by BM25 with the title weighing more,
and an exact title first.

The index of a version, `{index_dir}/{version}.sqlite`, is written when the version is
published; a server that finds none (a remote store, a store written without generations, an
`index_dir` of its own) writes it the first time it searches that version. Every later search
and every later server of that version reads it. The index holds the texts too, so snippets
need no store reads.
"""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lodpub.resolve.names import fold
from lodpub.store import text_index as writer
from lodpub.store.generations import POINTER
from lodpub.store.text_index import Row, folded
from lodpub.web.live_store import is_remote, store_path
from lodpub.web.memory import give_back
from lodpub.web.settings import Settings

CACHE_KIB = 512
# A title hit counts ten times a text hit (bm25 column weights: title, text).
_RANK = "bm25(words, 10.0, 1.0)"


@dataclass(frozen=True)
class Found:
    """A document holding every word of a query; `rank` is higher for better matches."""

    iri: str
    label: str
    text: str  # titles and texts, as the snippet is cut from
    rank: float
    exact_title: bool


def index_root(settings: Settings) -> Path:
    """Where the index files live: `index_dir`, else `search` inside a store root of
    generations, `<store>.search` beside a plain store, or a temporary folder for a remote one."""
    if settings.index_dir:
        return Path(settings.index_dir)
    if is_remote(settings.store):
        digest = hashlib.sha256(settings.store.encode("utf-8")).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"lodpub-search-{digest}"
    store = store_path(settings.store)
    return writer.index_folder(store, generations=(store / POINTER).is_symlink())


def match_expression(terms: Iterable[str]) -> str | None:
    """The FTS5 query for words that must all occur as word prefixes; None when no word has a
    letter or digit (nothing can match)."""
    phrases = [
        '"' + folded(term).replace('"', '""') + '"*'
        for term in terms
        if any(ch.isalnum() for ch in term)
    ]
    return " AND ".join(phrases) or None


class TextIndex:
    """The index files of one server: built once per version, then only read."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._local = threading.local()
        self.builds = 0

    def path(self, version: str) -> Path:
        return self.root / f"{version}.sqlite"

    def ensure(self, version: str, rows: Iterable[Row]) -> Path:
        """The index file of `version`: the one its publisher wrote, else written from `rows`."""
        path = self.path(version)
        if path.is_file():
            return path
        with self._lock:
            if not path.is_file():
                writer.write(path, rows)
                self.builds += 1
                writer.prune(self.root, version)
                give_back()
        return path

    def _connection(self, path: Path) -> sqlite3.Connection:
        # One read-only connection per thread and file: sqlite3 objects stay in their thread.
        opened = getattr(self._local, "opened", None)
        if opened is None or opened[0] != path:
            if opened is not None:
                opened[1].close()
            uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
            opened = (path, sqlite3.connect(uri, uri=True, check_same_thread=True))
            # A small page cache per thread: the file's pages stay in the OS's cache anyway.
            opened[1].execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            self._local.opened = opened
        return opened[1]

    def search(
        self, path: Path, terms: list[str], *, limit: int, title_only: bool = False
    ) -> tuple[list[Found], int]:
        """The best `limit` documents holding every word of `terms`, and how many hold them."""
        expression = match_expression(terms)
        if expression is None:
            return [], 0
        if title_only:
            expression = "{title} : (" + expression + ")"
        db = self._connection(path)
        total = db.execute("SELECT count(*) FROM words WHERE words MATCH ?", (expression,))
        total = total.fetchone()[0]
        wanted = fold(" ".join(terms))
        rows = db.execute(
            "SELECT d.iri, d.label, d.title || char(10, 10) || d.text, m.rank, d.title_key = ? "
            f"FROM (SELECT rowid, -{_RANK} AS rank FROM words WHERE words MATCH ?) AS m "
            "JOIN documents AS d ON d.id = m.rowid "
            "ORDER BY d.title_key = ? DESC, m.rank DESC LIMIT ?",
            (wanted, expression, wanted, limit),
        ).fetchall()
        return [Found(i, t, x, r, bool(e)) for i, t, x, r, e in rows], total


def folded_spans(text: str, term: str) -> list[tuple[int, int]]:
    """Where `term` begins a word of `text`, ignoring case and diacritics: (start, end) spans."""
    plain, wanted = folded(text), folded(term)
    if not wanted:
        return []
    spans, start = [], plain.find(wanted)
    while start != -1:
        # The index matches words by their beginning: so do the marks.
        if start == 0 or not plain[start - 1].isalnum():
            spans.append((start, start + len(wanted)))
        start = plain.find(wanted, start + 1)
    return spans
