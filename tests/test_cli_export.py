"""`lodpub export`: the Turtle export is the store's merged default graph, each subject's
triples together, under lodpub's prefixes; the dataset formats hold the data graphs only."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

import lodpub.store
from lodpub.store import MANIFEST_GRAPH, generations, statistics
from lodpub.vocab import PREFIXES
from test_cli_load import cli, published_seed_and_records


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """A folder of generations holding the seed and four other records, with statistics."""
    return published_seed_and_records(tmp_path_factory.mktemp("export"))


def stored_quads(store: Path) -> list[ox.Quad]:
    live = f"oxigraph:{store / generations.POINTER}"
    with lodpub.store.open(live, read_only=True) as opened:
        return list(opened.oxigraph.quads_for_pattern(None, None, None, None))


def export(store: Path, fmt: str, target: Path) -> bytes:
    result = cli("export", "--store", str(store), "--format", fmt, "-o", str(target))
    assert result.returncode == 0, result.stderr
    return target.read_bytes()


def test_turtle_is_the_merged_default_graph(published, tmp_path):
    text = export(published, "ttl", tmp_path / "merged.ttl")
    parsed = {q.triple for q in ox.parse(text, format=ox.RdfFormat.TURTLE)}
    merged = {q.triple for q in stored_quads(published) if q.graph_name == ox.DefaultGraph()}
    assert parsed == merged and len(merged) > 1000
    data = {q.triple for q in stored_quads(published) if q.graph_name != ox.DefaultGraph()}
    assert parsed < data  # the merge holds each data triple once, no manifest entry


def test_turtle_writes_each_subjects_triples_together_under_lodpubs_prefixes(published, tmp_path):
    text = export(published, "ttl", tmp_path / "merged.ttl")
    declared = set(text.decode().splitlines()[: len(PREFIXES)])
    assert declared == {f"@prefix {n}: <{ns}> ." for n, ns in PREFIXES.items()}
    subjects = [q.subject for q in ox.parse(text, format=ox.RdfFormat.TURTLE)]
    runs = [s for i, s in enumerate(subjects) if i == 0 or s != subjects[i - 1]]
    assert len(runs) == len(set(runs))  # no subject comes back once another began
    assert b" ;\n\t" in text  # a subject's further triples follow it after `;`


def test_turtle_on_standard_output_is_the_same(published, tmp_path):
    written = export(published, "ttl", tmp_path / "merged.ttl")
    result = cli("export", "--store", str(published), "--format", "ttl")
    assert result.returncode == 0, result.stderr
    assert result.stdout.encode() == written


def test_nquads_hold_the_data_graphs_only(published, tmp_path):
    text = export(published, "nquads", tmp_path / "dump.nq")
    parsed = set(ox.parse(text, format=ox.RdfFormat.N_QUADS))
    wanted = {
        q
        for q in stored_quads(published)
        if isinstance(q.graph_name, ox.NamedNode)
        and q.graph_name.value != MANIFEST_GRAPH
        and not statistics.is_statistics_graph(q.graph_name.value)
    }
    assert parsed == wanted and len({q.graph_name for q in wanted}) > 5


def test_a_failed_export_leaves_no_file(tmp_path):
    target = tmp_path / "merged.ttl"
    result = cli(
        "export", "--store", str(tmp_path / "absent"), "--format", "ttl", "-o", str(target)
    )
    assert result.returncode != 0 and "absent" in result.stderr
    assert not target.exists() and not (tmp_path / "merged.ttl.part").exists()
