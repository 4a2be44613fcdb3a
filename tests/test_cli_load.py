"""`lodpub load`: a dump from `lodpub export` (or /dumps/) restores the same store."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDFS, Dataset, Literal, URIRef

import lodpub.store
from lodpub.uris import Uris
from test_cli_crash import write_records

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_3a5edd602105b0b3.txt"
U = Uris("http://127.0.0.1:8080")
PERSON = U.thing("person", "kim-yong-beom")
LABEL_COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{PERSON}> rdfs:label ?label }}"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lodpub", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith("LODPUB_")},
        timeout=300,
    )


def published_seed_and_records(tmp: Path, times: int = 1) -> Path:
    """A folder of generations holding the seed and four other records, ingested `times` times."""
    inputs = tmp / "inputs"
    write_records(inputs, count=4)
    shutil.copy(SEED, inputs / SEED.name)
    store = tmp / "store"
    for _ in range(times):
        result = cli(
            "ingest", "--store", str(store), "--reports", str(tmp / "reports"), str(inputs)
        )
        assert result.returncode == 0, result.stderr
    return store


@pytest.fixture
def source(tmp_path) -> Path:
    """A plain store of two documents that both describe one person."""
    path = tmp_path / "source"
    with lodpub.store.open(path) as store:
        for key in ("d1", "d2"):
            document = Dataset()
            catalogue = document.graph(URIRef(U.catalogue_graph(key)))
            catalogue.add((URIRef(PERSON), RDFS.label, Literal("Kim Yong-beom", lang="en")))
            catalogue.add((URIRef(U.document(key)), RDFS.label, Literal(f"Report {key}")))
            store.replace_document(key, document)
    return path


def stats(store: Path) -> dict:
    result = cli("stats", "--store", str(store), "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_gzipped_nquads_dump_restores_the_store_as_a_generation(source, tmp_path):
    dump = tmp_path / "dump.nq"
    assert (
        cli("export", "--store", str(source), "--format", "nquads", "-o", str(dump)).returncode == 0
    )
    zipped = tmp_path / "lodpub.nq.gz"
    zipped.write_bytes(gzip.compress(dump.read_bytes()))
    restored = tmp_path / "restored"
    result = cli("load", "--store", str(restored), str(zipped))
    assert result.returncode == 0, result.stderr
    assert "2 documents" in result.stdout
    assert os.readlink(restored / "LIVE") == "gen-000001"
    assert stats(restored) == stats(source)
    again = cli("export", "--store", str(restored), "--format", "nquads")
    assert sorted(again.stdout.splitlines()) == sorted(dump.read_text().splitlines())
    count = cli("query", "--store", str(restored), "--format", "csv", LABEL_COUNT)
    assert count.stdout.split() == ["n", "1"]


def test_a_trig_dump_loads_into_an_empty_plain_store(source, tmp_path):
    dump = tmp_path / "dump.trig"
    assert (
        cli("export", "--store", str(source), "--format", "trig", "-o", str(dump)).returncode == 0
    )
    plain = tmp_path / "plain"
    lodpub.store.open(plain).close()
    assert cli("load", "--store", str(plain), str(dump)).returncode == 0
    assert stats(plain)["version"] == stats(source)["version"]
    refused = cli("load", "--store", str(plain), str(dump))
    assert refused.returncode == 1
    assert "not empty" in refused.stderr


def test_a_malformed_dump_is_named_with_its_line_and_nothing_is_published(tmp_path):
    dump = tmp_path / "broken.nq"
    good = f'<{PERSON}> <{RDFS.label}> "Kim" <{U.catalogue_graph("d1")}> .'
    dump.write_text(f"{good}\n<{PERSON}> <{RDFS.label}> oops .\n")
    result = cli("load", "--store", str(tmp_path / "new"), str(dump))
    assert result.returncode == 1
    assert "broken.nq" in result.stderr and "line 2" in result.stderr
    assert not (tmp_path / "new" / "LIVE").exists()


def test_the_syntax_comes_from_the_file_name_or_format(tmp_path):
    dump = tmp_path / "dump.data"
    dump.write_text("")
    result = cli("load", "--store", str(tmp_path / "new"), str(dump))
    assert result.returncode == 2
    assert "--format" in result.stderr
    assert (
        cli("load", "--store", str(tmp_path / "new"), "--format", "nquads", str(dump)).returncode
        == 0
    )
