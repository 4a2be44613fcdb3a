"""The publishing layout of an on-disk store: immutable generations and a `LIVE` pointer.

    data/store/            the store root (`--store`)
      LIVE -> gen-000007   a symbolic link naming the live generation
      gen-000007/          an Oxigraph store; never written once LIVE has named it
      gen-000006/          the previous one, kept for servers that have not switched yet

A writer builds the next generation beside the live one (starting from a hard-linked backup of
it), then replaces LIVE atomically (rename of a new link over it). Servers open generations
read-only and switch at their next request, so no reader ever shares a directory with a live
writer. `data/store/LIVE` is itself a path to the live store, for any Oxigraph tool.
"""

from __future__ import annotations

import fcntl
import gc
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from lodpub.store import statistics, text_index
from lodpub.store.oxigraph import optimize

POINTER = "LIVE"
_LOCK = ".publish.lock"
# A publish compacts the new generation when its build wrote at least this share of the bytes
# it started from (always, for a first generation).
COMPACT_SHARE = 0.25
_NAME = re.compile(r"gen-(\d{6,})")


def live_generation(root: Path) -> Path | None:
    """The live generation's folder, or None when the root has no LIVE pointer."""
    try:
        name = os.readlink(root / POINTER)
    except FileNotFoundError:
        return None
    if not _NAME.fullmatch(name):
        raise ValueError(f"{root / POINTER}: does not name a generation: {name!r}")
    return root / name


def is_oxigraph_store(path: Path) -> bool:
    """True for a folder holding an Oxigraph (RocksDB) store."""
    return (path / "CURRENT").is_file() and (path / "IDENTITY").is_file()


def publish(root: Path, build: Callable[[Path], None], *, start_from_live: bool = True) -> Path:
    """Build a new generation with `build(folder)` and make it live; returns its folder.

    `build` receives the folder of a store holding a copy of the live generation (or a new,
    empty one) and must have closed every handle on it when it returns; the generation's
    statistics graph (lodpub.store.statistics) and its full-text index (lodpub.store.text_index,
    in `search/`) are then written before it goes live.
    Publishers are serialized by a lock file; a failed build leaves the live generation
    untouched.
    """
    if is_oxigraph_store(root):
        raise ValueError(
            f"{root} is a plain Oxigraph store, not a folder of generations: publish into a new "
            "folder (and serve that one)"
        )
    root.mkdir(parents=True, exist_ok=True)
    with open(root / _LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        live = live_generation(root)
        numbers = [int(m.group(1)) for p in root.iterdir() if (m := _NAME.fullmatch(p.name))]
        target = root / f"gen-{max(numbers, default=0) + 1:06d}"
        try:
            if start_from_live and live is not None:
                ox.Store.read_only(str(live)).backup(str(target))
            copied = _folder_bytes(target)
            build(target)
            finish(target, text_index.index_folder(root, generations=True), copied=copied)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        _replace_pointer(root, target.name)
        keep = {target.name, live.name if live else None}
        for old in root.iterdir():
            if _NAME.fullmatch(old.name) and old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)
        return target


def finish(folder: Path, index_root: Path, *, copied: int = 0) -> None:
    """What a store built at `folder` gets before it goes live: its statistics graph, a
    compaction when the build wrote at least COMPACT_SHARE of the `copied` table bytes it
    started from, and its full-text index in `index_root`."""
    # A store is closed when its last reference goes; cycles may hold one.
    gc.collect()
    statistics.refresh(str(folder))
    gc.collect()
    # Compaction costs time in proportion to the whole store: worth it after a build that
    # wrote much (joins ran ~1.6x faster at 1k records), not for a small change.
    if _folder_bytes(folder) - copied >= copied * COMPACT_SHARE:
        optimize(str(folder))
    text_index.refresh(str(folder), index_root)


def _folder_bytes(folder: Path) -> int:
    """The bytes of the store's table files: its data, without logs and options files."""
    return sum(p.stat().st_size for p in folder.glob("*.sst"))


def _replace_pointer(root: Path, name: str) -> None:
    temporary = root / f".{POINTER}.{os.getpid()}"
    temporary.unlink(missing_ok=True)
    os.symlink(name, temporary)
    os.replace(temporary, root / POINTER)
    directory = os.open(root, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
