"""The /dumps/ files as written: the same bytes as `lodpub export`, the N-Quads as one valid
gzip member compressed in blocks over the cores, and equal bytes for equal content."""

from __future__ import annotations

import io
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from rdflib import RDFS, BNode, Graph, Literal, URIRef

import lodpub.store
from lodpub.store import dump_files

BASE = "http://127.0.0.1:8080"
# Literals that an N-Triples line end could be mistaken in, were it not escaped.
AWKWARD = ["ends with a dot .", "two lines .\nthe second", 'quoted "x" .', "tab\t. \r\n"]


def fill(store, graphs: int) -> None:
    """`graphs` named graphs (more than a compressed block holds), one triple shared by all."""
    shared = URIRef(f"{BASE}/id/person/shared")
    for n in range(graphs):
        graph = Graph()
        thing = URIRef(f"{BASE}/id/thing/{n}")
        graph.add((shared, RDFS.label, Literal("shared", lang="en")))
        graph.add((thing, RDFS.label, Literal(AWKWARD[n % len(AWKWARD)])))
        graph.add((thing, RDFS.seeAlso, BNode(f"b{n}")))
        graph.add((BNode(f"b{n}"), RDFS.comment, Literal(n)))
        store.replace_graph(f"{BASE}/graph/g{n:03d}", graph)


@pytest.fixture
def store():
    with lodpub.store.open("memory:") as opened:
        fill(opened, 2 * dump_files.BATCH_GRAPHS + 5)
        yield opened


def export(store, fmt: str) -> bytes:
    out = io.BytesIO()
    store.export(fmt, out)
    return out.getvalue()


def gunzip_one_member(path: Path) -> bytes:
    """The content of a gzip file that must be exactly one complete member."""
    reader = zlib.decompressobj(wbits=31)
    content = reader.decompress(path.read_bytes())
    assert reader.eof and reader.unused_data == b""
    return content


def test_the_nquads_dump_is_the_export_of_the_named_graphs_in_one_gzip_member(store, tmp_path):
    dump_files.write_files(store, tmp_path)
    content = gunzip_one_member(tmp_path / dump_files.NQUADS)
    assert content == export(store, "nquads")
    assert b"two lines .\\nthe second" in content
    assert (tmp_path / dump_files.NQUADS).read_bytes()[10:20] == b"lodpub.nq\0"  # gzip FNAME


def test_the_turtle_dump_is_the_export_of_the_merged_graph(store, tmp_path):
    dump_files.write_files(store, tmp_path)
    assert (tmp_path / dump_files.TURTLE).read_bytes() == export(store, "ttl")


def test_equal_content_gives_equal_bytes_whatever_the_number_of_cores(store, tmp_path, monkeypatch):
    written = {}
    for cores in (1, 3):
        monkeypatch.setattr(dump_files.os, "cpu_count", lambda cores=cores: cores)
        folder = tmp_path / str(cores)
        folder.mkdir()
        dump_files.write_files(store, folder)
        written[cores] = [
            (folder / name).read_bytes() for name in (dump_files.NQUADS, dump_files.TURTLE)
        ]
    assert written[1] == written[3]


def test_an_empty_store_gives_an_empty_but_valid_gzip(tmp_path):
    with lodpub.store.open("memory:") as empty:
        dump_files.write_files(empty, tmp_path)
    assert gunzip_one_member(tmp_path / dump_files.NQUADS) == b""


def writer(store: Path, folder: Path) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "lodpub.store.dump_files", str(store), str(folder)]
    return subprocess.Popen(argv, stdin=subprocess.PIPE, stderr=subprocess.PIPE)


def test_the_writer_process_writes_the_files_of_a_store_on_disk(tmp_path):
    with lodpub.store.open(f"oxigraph:{tmp_path / 'store'}") as on_disk:
        fill(on_disk, 3)
        expected = export(on_disk, "nquads")
    (tmp_path / "out").mkdir()
    with writer(tmp_path / "store", tmp_path / "out") as process:
        errors = process.stderr.read()
        assert process.wait(60) == 0, errors
    assert gunzip_one_member(tmp_path / "out" / dump_files.NQUADS) == expected


def test_the_writer_process_names_a_store_it_cannot_open(tmp_path):
    (tmp_path / "out").mkdir()
    with writer(tmp_path / "no-store", tmp_path / "out") as process:
        errors = process.stderr.read().decode()
        assert process.wait(60) != 0
    assert str(tmp_path / "no-store") in errors


def test_the_writer_process_ends_with_the_server_that_started_it(tmp_path):
    with lodpub.store.open(f"oxigraph:{tmp_path / 'store'}") as on_disk:
        fill(on_disk, 8 * dump_files.BATCH_GRAPHS)
    (tmp_path / "out").mkdir()
    with writer(tmp_path / "store", tmp_path / "out") as process:
        process.stdin.close()  # what the server's end of the pipe does when it exits
        assert process.wait(60) == 1
    assert not (tmp_path / "out" / dump_files.NQUADS).exists() or not gzip_complete(
        tmp_path / "out" / dump_files.NQUADS
    )


def gzip_complete(path: Path) -> bool:
    reader = zlib.decompressobj(wbits=31)
    reader.decompress(path.read_bytes())
    return reader.eof
