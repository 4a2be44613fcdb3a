"""`lodpub ingest --jobs N`: worker processes give the store, the reports and the output of one
process; validating with the part of the authority a document reaches gives the results of
validating with the whole authority."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal, URIRef

import lodpub.store
import lodpub.store.oxigraph
from lodpub.validate import Context, validate

ROOT = Path(__file__).resolve().parents[1]
SHAPES = ROOT / "tests" / "fixtures" / "shapes"
ROLES = ROOT / "tests" / "fixtures" / "roles"
AUTHORITIES = Graph().parse(SHAPES / "authorities.ttl")
SEED = next((ROOT / "seeds").iterdir())
NOTES = 24


def data_fixtures() -> list[Path]:
    files = (
        sorted(SHAPES.glob("*.ttl")) + sorted(ROLES.glob("*.ttl")) + [SHAPES / "conforming.trig"]
    )
    return [f for f in files if f.name != "authorities.ttl"]


def parse(path: Path) -> Dataset:
    dataset = Dataset()
    dataset.parse(path, format="trig")
    return dataset


@pytest.mark.parametrize("path", data_fixtures(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_reached_authority_gives_the_results_of_the_whole_one(path):
    """Every shapes fixture (conforming, and failing on every shape), with the authorities that
    the conforming fixture needs: the same results, in the same order, with the same labels."""
    data = parse(path)
    whole = validate(data, extra=AUTHORITIES)
    reached = validate(data, extra=Context(AUTHORITIES))
    assert reached.results == whole.results
    assert reached.text() == whole.text()


def test_a_document_needs_the_authority_entities_it_reaches():
    dataset = parse(SHAPES / "conforming.trig")
    assert validate(dataset, extra=Context(AUTHORITIES)).conforms
    assert not validate(dataset, extra=Context(Graph())).conforms


def write_notes(folder: Path) -> None:
    """Small records, each different; one refused (no citation) and one unreadable."""
    folder.mkdir()
    places = ["Seoul", "Pyongyang", "Haeju", "Moscow"]
    for i in range(NOTES):
        record = {
            "key": f"note-{i:02d}",
            "title": f"Note {i} on a meeting in {places[i % 4]}",
            "date": "1945",
            "body": f"Kim Yong-beom met O Gi-seop in {places[i % 4]} on {i + 1} August 1945. "
            f"More than {(i + 1) * 100} Communists were registered there.",
            "citation": {"text": f"AGShVS RF. F. 172. Op. 614631. D. {i + 1}, p. 5"},
            "rights": "Public domain.",
        }
        (folder / f"note-{i:02d}.json").write_text(json.dumps(record), encoding="utf-8")
    shutil.copy(SEED, folder / SEED.name)
    for name in ("broken.json", "no-citation.json"):
        shutil.copy(ROOT / "tests" / "fixtures" / "cli" / name, folder / name)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lodpub", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )


def nquads(store: Path) -> set[str]:
    done = cli("export", "--store", str(store), "--format", "nquads")
    assert done.returncode == 0, done.stderr
    return set(done.stdout.splitlines())


def without_timings(text: str) -> list[str]:
    """Output lines with the figures that differ between two runs taken out."""
    lines = []
    for line in text.splitlines():
        if line.startswith("mean per document"):
            continue
        lines.append(re.sub(r"\d+ ms|live: gen-\d+|/store-\d|/reports-\d", "", line))
    return lines


def test_workers_publish_what_one_process_publishes(tmp_path):
    inputs = tmp_path / "in"
    write_notes(inputs)
    runs = {}
    for jobs in ("1", "3"):
        store, reports = tmp_path / f"store-{jobs}", tmp_path / f"reports-{jobs}"
        done = cli(
            "ingest", "--jobs", jobs, "--store", str(store), "--reports", str(reports), str(inputs)
        )
        assert done.returncode == 1, done.stderr  # one refused, one unreadable
        saved = {p.name: Graph().parse(p) for p in reports.iterdir()}
        runs[jobs] = (without_timings(done.stdout), without_timings(done.stderr), saved)
        runs[jobs] += (nquads(store),)
    (out, err, saved, quads), (out3, err3, saved3, quads3) = runs["1"], runs["3"]
    assert out3 == out
    assert "documents: 25 published, 1 refused, 1 unreadable, 0 failed" in out
    assert err3 == err
    assert saved3.keys() == saved.keys() == {"field-note.ttl"}
    assert len(saved3["field-note.ttl"]) == len(saved["field-note.ttl"]) > 0
    assert quads3 == quads and len(quads) > 10_000


def test_a_plain_store_written_in_place_gets_the_same_graphs(tmp_path):
    """In place every document is its own transaction; a new generation is bulk-loaded."""
    inputs = tmp_path / "in"
    write_notes(inputs)
    plain, generations = tmp_path / "plain", tmp_path / "generations"
    lodpub.store.open(f"oxigraph:{plain}").close()
    for store in (plain, generations):
        done = cli("ingest", "--store", str(store), "--reports", str(tmp_path / "r"), str(inputs))
        assert done.returncode == 1, done.stderr
    assert nquads(plain) == nquads(generations)
    versions = set()
    for store in (plain, generations / "LIVE"):
        with lodpub.store.open(f"oxigraph:{store}", read_only=True) as opened:
            versions.add(opened.version())
            assert len(opened.documents()) == 25
    assert len(versions) == 1


def test_jobs_must_be_positive(tmp_path):
    done = cli("ingest", "--jobs", "0", "--store", "memory:", str(SEED))
    assert done.returncode == 2
    assert "--jobs" in done.stderr


def children(pid: int) -> list[int]:
    tasks = Path(f"/proc/{pid}/task")
    found = []
    for task in tasks.iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_workers_end_when_the_ingest_is_killed(tmp_path):
    inputs = tmp_path / "in"
    write_notes(inputs)
    ingest = subprocess.Popen(
        [sys.executable, "-m", "lodpub", "ingest", "--jobs", "2"]
        + ["--store", str(tmp_path / "store"), "--reports", str(tmp_path / "reports"), str(inputs)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert ingest.stderr is not None
    for line in ingest.stderr:
        if line.startswith("published"):
            break
    workers = children(ingest.pid)
    assert len(workers) == 2
    ingest.send_signal(signal.SIGKILL)
    ingest.wait()
    ingest.stderr.close()
    deadline = time.monotonic() + 30
    while alive(workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert alive(workers) == []


def alive(pids: list[int]) -> list[int]:
    return [pid for pid in pids if Path(f"/proc/{pid}").exists() and not zombie(pid)]


def zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except FileNotFoundError:
        return False


def document(key: str, label: str, *, blank: bool = False) -> Dataset:
    """Two graphs of document `key`; every document states one triple all of them share."""
    base = f"http://127.0.0.1:8080/id/document/{key}"
    dataset = Dataset()
    claims = dataset.graph(URIRef(f"{base}/claims"))
    claims.add((URIRef(base), RDFS.label, Literal(label, lang="en")))
    claims.add((SHARED, RDF.type, URIRef("http://www.cidoc-crm.org/cidoc-crm/E21_Person")))
    catalogue = dataset.graph(URIRef(f"{base}/catalogue"))
    catalogue.add((URIRef(base), RDFS.comment, Literal(f"about {label}\nsecond line")))
    if blank:
        catalogue.add((URIRef(base), RDFS.seeAlso, BNode()))
    return dataset


SHARED = URIRef("http://127.0.0.1:8080/id/person/shared")


def history() -> list[tuple[str, Dataset | None]]:
    """Documents written (a dataset) and removed (None), in order."""
    steps: list[tuple[str, Dataset | None]] = [
        (f"d{i}", document(f"d{i}", f"Document {i}")) for i in range(6)
    ]
    steps.append(("d2", document("d2", "Document 2, changed")))  # while in the open batch
    steps.append(("d6", document("d6", "Document 6", blank=True)))
    steps.append(("d7", document("d7", "Document 7")))
    steps.append(("d3", None))
    steps.append(("d8", document("d8", "Document 8")))
    return steps


def write(store, steps: list[tuple[str, Dataset | None]]) -> None:
    for key, dataset in steps:
        if dataset is None:
            assert store.remove_document(key)
        else:
            store.replace_document(key, dataset)


def named_quads(store) -> set[str]:
    """Every quad without a blank node (written afresh by each store), manifest included."""
    quads = store.oxigraph.quads_for_pattern(None, None, None, None)
    return {
        str(q)
        for q in quads
        if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
    }


@pytest.mark.parametrize("batch", [3, 10_000])
def test_an_unpublished_store_ends_as_one_written_document_by_document(monkeypatch, batch):
    monkeypatch.setattr(lodpub.store.oxigraph, "BATCH_LINES", batch)
    stores, steps = {}, history()
    for unpublished in (False, True):
        store = lodpub.store.open("memory:")
        store.unpublished = unpublished
        write(store, steps)
        stores[unpublished] = store
    one_by_one, batched = stores[False], stores[True]
    assert (
        batched.documents() == one_by_one.documents() == [f"d{i}" for i in (0, 1, 2, 4, 5, 6, 7, 8)]
    )
    assert batched.version() == one_by_one.version()
    assert named_quads(batched) == named_quads(one_by_one)
    shared = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{SHARED}> ?p ?o }}"
    assert next(iter(batched.query(shared)))["n"].value == "1"
