"""`/dumps/`: the whole dataset as gzipped N-Quads (graphs kept) and as Turtle (graphs merged).

Dumps belong to a store version (its content digest): the first time a server sees a
version, it starts writing that version's dumps in the background into
`{dumps_dir}/{version}/` (a temporary folder renamed when complete, under a file lock, so
several servers share one set), with a `manifest.json` of sizes and SHA-256 checksums (the
two files are written at once, the N-Quads compressed in blocks over the cores). Older
versions but the previous one are removed. A request that needs the dumps before they are
ready waits up to `WAIT` seconds, then gets 503 with Retry-After. This is "regenerated on
publish" for a server that reads published generations: a new generation is a new version.
A server reading a remote engine writes no dumps and answers 404 saying so: exporting
the whole dataset over the SPARQL Protocol from every web process would load the engine,
and the engine's own export (or `lodpub export --store URL`) does it once.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import logging
import os
import shutil
import struct
import threading
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from flask import Blueprint, Response, send_file

from lodpub.store import statistics
from lodpub.store.generations import POINTER
from lodpub.store.oxigraph import OxigraphStore
from lodpub.web.conneg import HTML
from lodpub.web.graph_view import GraphView
from lodpub.web.live_store import is_remote, store_path
from lodpub.web.render import error, ld, local, page, respond
from lodpub.web.settings import Settings

log = logging.getLogger(__name__)
bp = Blueprint("dumps", __name__)

WAIT = 60.0
KEEP = 2
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class DumpFile:
    name: str
    media_type: str
    encoding: str | None
    description: str
    size: int
    sha256: str


NQUADS = "lodpub.nq.gz"
TURTLE = "lodpub.ttl"
FILES = (
    (NQUADS, "application/n-quads", "gzip", "every named graph, N-Quads, gzip"),
    (TURTLE, "text/turtle", None, "all graphs merged into one, Turtle"),
)
# Level 6 (gzip's own default) took 2.4x less CPU than 9 on the bench corpus for a 3% larger
# file: the dumps of a new version come sooner.
GZIP_LEVEL = 6
# Graphs per independently compressed block: a few MB of N-Quads each, so blocks spread over
# the cores and the file is within 0.2% of one compressed stream.
BATCH_GRAPHS = 32
T = TypeVar("T")
R = TypeVar("R")


def dumps_root(settings: Settings) -> Path | None:
    """The dumps folder; None for a remote store, which gets none."""
    if is_remote(settings.store):
        return None
    if settings.dumps_dir:
        return Path(settings.dumps_dir)
    store = store_path(settings.store)
    if (store / POINTER).is_symlink():
        return store / "dumps"
    return store.parent / f"{store.name}.dumps"


class Dumps:
    """The dumps of each store version: built once, in the background, then served as files."""

    def __init__(self, settings: Settings) -> None:
        self.root = dumps_root(settings)
        self._builds: dict[str, threading.Event] = {}
        self._failures: dict[str, str] = {}
        self._lock = threading.Lock()

    def folder(self, version: str) -> Path:
        assert self.root is not None, "no dumps for a remote store"
        return self.root / version

    def prepare(self, view: GraphView) -> None:
        """Start writing this version's dumps unless they exist or are being written."""
        if self.root is None:
            return
        with self._lock:
            if view.version in self._builds:
                return
            done = threading.Event()
            self._builds[view.version] = done
        if (self.folder(view.version) / MANIFEST).is_file():
            done.set()
            return
        thread = threading.Thread(
            target=self._build, args=(view, done), name=f"dumps-{view.version[:8]}", daemon=True
        )
        thread.start()

    def files(self, view: GraphView, wait: float = WAIT) -> list[DumpFile] | None:
        """This version's dump files, waiting for them up to `wait` seconds; None if not ready.

        Raises RuntimeError when writing them failed; none for a remote store."""
        if self.root is None:
            return []
        self.prepare(view)
        self._builds[view.version].wait(wait)
        failure = self._failures.get(view.version)
        if failure:
            raise RuntimeError(failure)
        manifest = self.folder(view.version) / MANIFEST
        if not manifest.is_file():
            return None
        entries = json.loads(manifest.read_text(encoding="utf-8"))["files"]
        return [DumpFile(**entry) for entry in entries]

    def _build(self, view: GraphView, done: threading.Event) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with open(self.root / ".lock", "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                target = self.folder(view.version)
                if not (target / MANIFEST).is_file():
                    self._write(view, target)
                self._prune(view.version)
        except Exception as exc:  # reported to every request for these dumps
            log.exception("cannot write the dumps of version %s", view.version)
            self._failures[view.version] = f"the dumps could not be written: {exc}"
        finally:
            done.set()

    def _write(self, view: GraphView, target: Path) -> None:
        partial = self.root / f".{view.version}.part"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir()
        source = OxigraphStore(view.store, location="served", read_only=True, on_disk=False)
        write_files(source, partial)
        entries = []
        for name, media_type, encoding, description in FILES:
            path = partial / name
            with open(path, "rb") as written:
                digest = hashlib.file_digest(written, "sha256")
            size = path.stat().st_size
            entry = DumpFile(name, media_type, encoding, description, size, digest.hexdigest())
            entries.append(asdict(entry))
        manifest = {"version": view.version, "files": entries}
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        partial.rename(target)

    def _prune(self, current: str) -> None:
        folders = [p for p in self.root.iterdir() if p.is_dir() and (p / MANIFEST).is_file()]
        folders.sort(key=lambda p: (p.name == current, p.stat().st_mtime), reverse=True)
        for old in folders[KEEP:]:
            shutil.rmtree(old, ignore_errors=True)


def write_files(source: OxigraphStore, folder: Path) -> None:
    """Write the Turtle and the gzipped N-Quads into `folder` on every core at once:
    pyoxigraph serializes and zlib compresses with the GIL released."""
    cores = os.cpu_count() or 1
    failures: list[Exception] = []

    def turtle() -> None:
        try:
            with open(folder / TURTLE, "wb") as raw:
                source.export("ttl", raw)
        except Exception as exc:  # raised below, in the thread that writes the dumps
            failures.append(exc)

    # A daemon thread, as the one writing the dumps: a server stopping does not wait for the
    # Turtle; the pool's threads it waits for are each on one short block.
    thread = threading.Thread(target=turtle, name="dumps-turtle", daemon=True)
    thread.start()
    try:
        with ThreadPoolExecutor(cores, thread_name_prefix="dumps") as pool:
            write_nquads_gzip(source, folder / NQUADS, pool, ahead=2 * cores)
    finally:
        thread.join()
    if failures:
        raise failures[0]


def write_nquads_gzip(source: OxigraphStore, path: Path, pool: Executor, ahead: int) -> None:
    """The data graphs (what `export("nquads")` writes, in its order) as one gzip member,
    compressed in blocks of graphs on `pool` the way pigz does: each block is flushed to a
    byte boundary and the blocks are concatenated. Equal content gives equal bytes (mtime 0)."""
    store = source.oxigraph
    names = [n for n in source.graph_names() if not statistics.is_statistics_graph(n)]
    graphs = [ox.NamedNode(name) for name in names]
    batches = [graphs[i : i + BATCH_GRAPHS] for i in range(0, len(graphs), BATCH_GRAPHS)]
    crc = size = 0
    with open(path, "wb") as out:
        out.write(_gzip_header(path.name.removesuffix(".gz")))
        for raw, block in _in_order(pool, lambda batch: _deflate(store, batch), batches, ahead):
            crc, size = zlib.crc32(raw, crc), size + len(raw)
            out.write(block)
        out.write(zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS).flush())
        out.write(struct.pack("<II", crc, size & 0xFFFFFFFF))


def _gzip_header(name: str) -> bytes:
    """RFC 1952 header as Python's GzipFile writes it: deflate, FNAME, mtime 0, OS unknown."""
    return b"\x1f\x8b\x08\x08" + struct.pack("<I", 0) + b"\x00\xff" + name.encode("latin-1") + b"\0"


def _deflate(store: ox.Store, graphs: list[ox.NamedNode]) -> tuple[bytes, bytes]:
    """A block's N-Quads and their raw deflate, flushed to a byte boundary (not final)."""
    raw = b"".join(_graph_nquads(store, graph) for graph in graphs)
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return raw, compressor.compress(raw) + compressor.flush(zlib.Z_SYNC_FLUSH)


def _graph_nquads(store: ox.Store, graph: ox.NamedNode) -> bytes:
    # N-Triples ends each triple with " .\n" and escapes line breaks inside literals: naming
    # the graph before each end turns the graph's N-Triples into its N-Quads.
    triples = store.dump(None, ox.RdfFormat.N_TRIPLES, from_graph=graph)
    return triples.replace(b" .\n", f" {graph} .\n".encode())


def _in_order(
    pool: Executor, work: Callable[[T], R], items: Iterable[T], ahead: int
) -> Iterator[R]:
    """`work` over `items` on `pool`, results in order, at most `ahead` pending at once."""
    pending: deque = deque()
    for item in items:
        pending.append(pool.submit(work, item))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _ready(view: GraphView) -> list[DumpFile] | Response:
    if ld().dumps.root is None:
        return error(
            404,
            "Not Found",
            f"this server reads the remote store {ld().live.remote.location}, and writes dumps "
            "for an embedded store only: use the engine's own export, or "
            "`lodpub export --store <store URL>`",
            HTML,
        )
    try:
        files = ld().dumps.files(view)
    except RuntimeError as exc:
        return error(500, "Internal Server Error", str(exc), HTML)
    if files is None:
        response = error(503, "Service Unavailable", "the dumps are being written", HTML)
        response.headers["Retry-After"] = "30"
        return response
    return files


@bp.route("/dumps/", methods=["GET"])
def listing() -> Response:
    view = ld().view()
    files = _ready(view)
    if isinstance(files, Response):
        return files
    return respond(
        view,
        HTML,
        lambda: page("dumps.html", files=files, version=view.version, base=local("/dumps/")),
        variant="/dumps/",
    )


@bp.route("/dumps/<name>", methods=["GET"])
def download(name: str) -> Response:
    view = ld().view()
    files = _ready(view)
    if isinstance(files, Response):
        return files
    found = next((f for f in files if f.name == name), None)
    if found is None:
        return error(404, "Not Found", f"no dump named {name!r}; see /dumps/", HTML)
    response = send_file(
        ld().dumps.folder(view.version) / found.name,
        mimetype="application/gzip" if found.encoding == "gzip" else found.media_type,
        as_attachment=True,
        download_name=found.name,
        conditional=True,
        etag=found.sha256,
    )
    digest = base64.b64encode(bytes.fromhex(found.sha256)).decode("ascii")
    response.headers["Repr-Digest"] = f"sha-256=:{digest}:"
    return response
