"""What writing to the store costs: new, replaced and removed documents, on disk.

    python bench/store_cost.py --trig dataset.trig --synthetic 200 --runs 3

`--trig` names a dataset whose graphs under `/id/document/{key}/` are written as documents
(the others, such as the authorities, with `replace_graph` first); `--synthetic N` writes N
generated documents that share entities and an event, as documents of one archive do. Each
phase is timed in a new store; the median of the runs is printed.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rdflib import RDF, RDFS, Dataset, Literal, URIRef

import lodpub.store
from lodpub.uris import Uris
from lodpub.vocab import CRM, LP, OA

_DOCUMENT_GRAPH = re.compile(r"/id/document/([^/]+)/[^/]+$")
_U = Uris("http://127.0.0.1:8080")
PERSONS = 50
MENTIONS = 150


def synthetic(i: int, version: int) -> Dataset:
    """A document of ~1,300 triples; its persons and one event are described by every document."""
    key = f"synthetic-{i:04d}"
    ds = Dataset()
    claims = ds.graph(URIRef(_U.claims_graph(key)))
    catalogue = ds.graph(URIRef(_U.catalogue_graph(key)))
    catalogue.add((URIRef(_U.document(key)), RDFS.label, Literal(f"Report {i} v{version}")))
    shared = URIRef(_U.thing("event", "liberation-1945"))
    catalogue.add((shared, RDF.type, CRM.E5_Event))
    catalogue.add((shared, RDFS.label, Literal("Liberation of Korea", lang="en")))
    catalogue.add((shared, LP.reviewed, Literal(False)))
    for m in range(MENTIONS + version):
        person = URIRef(_U.thing("person", f"p{(i + m) % PERSONS}"))
        catalogue.add((person, RDF.type, CRM.E21_Person))
        catalogue.add((person, RDFS.label, Literal(f"Person {(i + m) % PERSONS}", lang="en")))
        catalogue.add((person, LP.reviewed, Literal(False)))
        mention = URIRef(_U.mention(key, m * 10, m * 10 + 5))
        catalogue.add((mention, RDF.type, OA.Annotation))
        catalogue.add((mention, OA.hasBody, person))
        catalogue.add((mention, OA.exact, Literal(f"name {m} v{version}")))
        event = URIRef(_U.thing("event", f"{key}-e{m}"))
        claims.add((event, CRM.P11_had_participant, person))
        claims.add((event, CRM.P10_falls_within, shared))
    return ds


def _split(path: Path) -> tuple[list[tuple[str, object]], dict[str, Dataset]]:
    """The shared graphs and the documents (by key) of a TriG dataset."""
    data = Dataset()
    data.parse(path, format="trig")
    shared, documents = [], {}
    for graph in data.graphs():
        if not len(graph) or graph.identifier == data.default_graph.identifier:
            continue
        match = _DOCUMENT_GRAPH.search(str(graph.identifier))
        if match is None:
            shared.append((str(graph.identifier), graph))
            continue
        target = documents.setdefault(match.group(1), Dataset()).graph(graph.identifier)
        for triple in graph:
            target.add(triple)
    return shared, documents


def _time(action: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _phases(shared, first: dict[str, Dataset], second: dict[str, Dataset]) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="lodpub-bench-") as folder:
        store = lodpub.store.open(f"oxigraph:{Path(folder) / 'store'}")
        for name, graph in shared:
            store.replace_graph(name, graph)

        def write(documents: dict[str, Dataset]) -> Callable[[], None]:
            return lambda: [store.replace_document(k, d) for k, d in documents.items()]

        try:
            return {
                "new": _time(write(first)),
                "replace": _time(write(second)),
                "remove": _time(lambda: [store.remove_document(k) for k in second]),
            }
        finally:
            store.close()


def _report(label: str, count: int, runs: list[dict[str, float]]) -> None:
    for phase in runs[0]:
        median = statistics.median(r[phase] for r in runs)
        print(
            f"{label:<14} {phase:<8} {median * 1000:9.0f} ms total  "
            f"{median * 1000 / count:7.1f} ms/document  (median of {len(runs)})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trig", type=Path, help="a dataset to write (TriG)")
    parser.add_argument("--synthetic", type=int, default=0, help="generated documents to write")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.trig:
        shared, documents = _split(args.trig)
        runs = [_phases(shared, documents, documents) for _ in range(args.runs)]
        _report(args.trig.name, len(documents), runs)
    if args.synthetic:
        first = {f"synthetic-{i:04d}": synthetic(i, 1) for i in range(args.synthetic)}
        second = {f"synthetic-{i:04d}": synthetic(i, 2) for i in range(args.synthetic)}
        runs = [_phases([], first, second) for _ in range(args.runs)]
        _report(f"synthetic×{args.synthetic}", args.synthetic, runs)


if __name__ == "__main__":
    main()
