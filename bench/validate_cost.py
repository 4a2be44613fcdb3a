"""Per-call cost of validating one record: `python bench/validate_cost.py [RECORD]`.

Builds the record's graphs with the pipeline, then times `lodpub.validate.validate` against
pyshacl run the plain way (rdflib data graph), with the ontology as `ont_graph` or with the
term declarations lodpub.validate adds instead.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pyshacl
from rdflib import Dataset, Graph

from lodpub.extract import extract
from lodpub.model import authority_graph, build
from lodpub.resolve import Authority, resolve
from lodpub.sources import read_path
from lodpub.uris import Uris
from lodpub.validate.datagraph import triples_of, with_declarations
from lodpub.validate.schema import CRM_FILES, LODPUB_FILE, ONTOLOGY_DIR, schema
from lodpub.validate.shapes import shapes_graph
from lodpub.validate.validator import validate

ROOT = ONTOLOGY_DIR.parent
DEFAULT_RECORD = ROOT / "seeds" / "000_3a5edd602105b0b3.txt"
DEFAULT_AUTHORITY = ROOT / "authority" / "authority.toml"


def graphs(record: Path, authority: Path) -> tuple[Dataset, Graph]:
    """The record's document graphs and the authority graph, as ingest builds them."""
    read = read_path(record)
    if read.errors or not read.records:
        raise SystemExit(f"{record}: cannot read: {'; '.join(map(str, read.errors))}")
    uris, curated = Uris(), Authority.load(authority)
    first = read.records[0]
    dataset = build(resolve(first, extract(first), curated, uris), uris)
    return dataset, authority_graph(curated.entities(uris).values(), uris)


def timed(call: Callable[[], object], runs: int) -> str:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return f"median {statistics.median(times):8.1f} ms  min {min(times):8.1f} ms  ({runs} runs)"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("record", nargs="?", type=Path, default=DEFAULT_RECORD)
    parser.add_argument("--authority", type=Path, default=DEFAULT_AUTHORITY)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--plain", action="store_true", help="also time plain pyshacl (slow: minutes per run)"
    )
    args = parser.parse_args(argv)

    dataset, authorities = graphs(args.record, args.authority)
    data = Graph()
    for triple in triples_of(dataset):
        data.add(triple)
    data += authorities
    validate(dataset, extra=authorities)  # reads ontologies and shapes once, as a process does
    print(f"{args.record.name}: {len(data)} triples (document graphs + authority graph)")
    lodpub = timed(lambda: validate(dataset, extra=authorities), args.runs)
    print(f"lodpub.validate          {lodpub}")
    if not args.plain:
        return

    ontology = Graph()
    for name in CRM_FILES:
        ontology.parse(ONTOLOGY_DIR / name, format="xml")
    ontology.parse(ONTOLOGY_DIR / LODPUB_FILE, format="turtle")

    def with_ont_graph() -> object:
        return pyshacl.validate(
            data, shacl_graph=shapes_graph(), ont_graph=ontology, inference="none", advanced=True
        )

    def declared() -> object:
        graph = Graph()
        for triple in with_declarations([data], schema()):
            graph.add(triple)
        return pyshacl.validate(graph, shacl_graph=shapes_graph(), inference="none", advanced=True)

    print(f"pyshacl, declarations    {timed(declared, 1)}")
    print(f"pyshacl, ont_graph       {timed(with_ont_graph, 1)}")


if __name__ == "__main__":
    main()
