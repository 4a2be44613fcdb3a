"""The two dump files of a store, written by a process of their own (`python -m
lodpub.store.dump_files STORE FOLDER`): the Turtle of every graph merged, and the N-Quads of
every data graph gzipped. A web server starts this process so that the block caches and the
buffers a whole-store read needs leave with it, not stay in the server's memory.
"""

from __future__ import annotations

import os
import struct
import sys
import threading
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

import lodpub.store
from lodpub.store.oxigraph import OxigraphStore

NQUADS = "lodpub.nq.gz"
TURTLE = "lodpub.ttl"
# Level 6 (gzip's own default) took 2.4x less CPU than 9 on the bench corpus for a 3% larger
# file: the dumps of a new version come sooner.
GZIP_LEVEL = 6
# Graphs per independently compressed block: a few MB of N-Quads each, so blocks spread over
# the cores and the file is within 0.2% of one compressed stream.
BATCH_GRAPHS = 32
T = TypeVar("T")
R = TypeVar("R")


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
    names = source.data_graph_names()
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


def main() -> None:
    """Write the dump files of the store at argv[1] into the folder argv[2]; ends with the
    process that started it (when its standard input closes)."""
    store, folder = sys.argv[1], Path(sys.argv[2])
    threading.Thread(target=_end_with_parent, daemon=True).start()
    try:
        with lodpub.store.open(f"oxigraph:{store}", read_only=True) as source:
            write_files(source, folder)
    except Exception as exc:
        sys.exit(f"{store}: {exc}")


def _end_with_parent() -> None:
    # The server never writes to this process: end of input means the server is gone. A raw
    # read, as a buffered one would hold a lock the interpreter needs at exit.
    while os.read(0, 4096):
        pass
    os._exit(1)


if __name__ == "__main__":
    main()
