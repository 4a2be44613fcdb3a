"""`/dumps/`: the whole dataset as gzipped N-Quads (graphs kept) and as Turtle (graphs merged).

Dumps belong to a store version (its content digest): the first time a server sees a
version, it starts writing that version's dumps into `{dumps_dir}/{version}/`, by a process
of its own (`lodpub.store.dump_files`; a temporary folder renamed when complete, under a file
lock, so several servers share one set), with a `manifest.json` of sizes and SHA-256
checksums. Older
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
import shutil
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from flask import Blueprint, Response, send_file

from lodpub.store import dump_files
from lodpub.store.generations import POINTER
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


FILES = (
    (dump_files.NQUADS, "application/n-quads", "gzip", "every named graph, N-Quads, gzip"),
    (dump_files.TURTLE, "text/turtle", None, "all graphs merged into one, Turtle"),
)


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
        self.settings = settings
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
        self._run_writer(view, partial)
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

    def _run_writer(self, view: GraphView, partial: Path) -> None:
        """Write the files in a process of its own: its block caches and buffers (well over
        100 MB at ten thousand records) are freed when it ends, not kept by the server."""
        store = store_path(self.settings.store)
        location = store / view.snapshot.version if (store / POINTER).is_symlink() else store
        argv = [sys.executable, "-m", "lodpub.store.dump_files", str(location), str(partial)]
        # Its input stays open while this server lives: at end of input the writer ends too.
        with subprocess.Popen(argv, stdin=subprocess.PIPE, stderr=subprocess.PIPE) as writer:
            errors = writer.stderr.read()
            writer.wait()
        if writer.returncode:
            lines = errors.decode(errors="replace").strip().splitlines()
            raise RuntimeError(lines[-1] if lines else f"exit status {writer.returncode}")

    def _prune(self, current: str) -> None:
        folders = [p for p in self.root.iterdir() if p.is_dir() and (p / MANIFEST).is_file()]
        folders.sort(key=lambda p: (p.name == current, p.stat().st_mtime), reverse=True)
        for old in folders[KEEP:]:
            shutil.rmtree(old, ignore_errors=True)


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
