"""The /dumps/ files as written: the same bytes as `lodpub export`, the N-Quads as one valid
gzip member compressed in blocks over the cores, and equal bytes for equal content."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pytest
from rdflib import RDFS, BNode, Graph, Literal, URIRef

import lodpub.store
from lodpub.web import dumps

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
        fill(opened, 2 * dumps.BATCH_GRAPHS + 5)
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
    dumps.write_files(store, tmp_path)
    content = gunzip_one_member(tmp_path / dumps.NQUADS)
    assert content == export(store, "nquads")
    assert b"two lines .\\nthe second" in content
    assert (tmp_path / dumps.NQUADS).read_bytes()[10:20] == b"lodpub.nq\0"  # gzip FNAME


def test_the_turtle_dump_is_the_export_of_the_merged_graph(store, tmp_path):
    dumps.write_files(store, tmp_path)
    assert (tmp_path / dumps.TURTLE).read_bytes() == export(store, "ttl")


def test_equal_content_gives_equal_bytes_whatever_the_number_of_cores(store, tmp_path, monkeypatch):
    written = {}
    for cores in (1, 3):
        monkeypatch.setattr(dumps.os, "cpu_count", lambda cores=cores: cores)
        folder = tmp_path / str(cores)
        folder.mkdir()
        dumps.write_files(store, folder)
        written[cores] = [(folder / name).read_bytes() for name, *_ in dumps.FILES]
    assert written[1] == written[3]


def test_an_empty_store_gives_an_empty_but_valid_gzip(tmp_path):
    with lodpub.store.open("memory:") as empty:
        dumps.write_files(empty, tmp_path)
    assert gunzip_one_member(tmp_path / dumps.NQUADS) == b""
