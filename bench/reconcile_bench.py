"""Precision of the reconciliation service on a gold set, measured through its HTTP API.

Drives a running server the way OpenRefine does (the manifest, then POSTed batches of
`queries=`) and prints, over the gold queries (tests/fixtures/reconcile/gold.json):

- precision@1: of the queries that got any candidate, the share whose top candidate is right
  (a candidate for a name the archive does not hold counts as wrong);
- recall: of the queries with a right answer, the share whose top candidate is it;
- match precision: of the candidates marked `match: true`, the share that are right — an
  ambiguous name (several acceptable answers) is never rightly a sure match.

    python bench/reconcile_bench.py --url http://127.0.0.1:8080 [--gold FILE] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

GOLD = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "reconcile" / "gold.json"
BATCH = 10  # what OpenRefine sends by default


@dataclass
class Outcome:
    id: str
    category: str
    query: str
    expect: list[str]
    top: str | None
    match: bool

    @property
    def right(self) -> bool:
        return self.top is not None and self.top in self.expect


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def answered(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.top is not None]

    @property
    def precision_at_1(self) -> float:
        answered = self.answered
        return sum(o.right for o in answered) / len(answered) if answered else 0.0

    @property
    def recall(self) -> float:
        wanted = [o for o in self.outcomes if o.expect]
        return sum(o.right for o in wanted) / len(wanted) if wanted else 0.0

    @property
    def matches(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.match]

    @property
    def match_precision(self) -> float:
        sure = self.matches
        right = [o for o in sure if o.right and len(o.expect) == 1]
        return len(right) / len(sure) if sure else 0.0

    def misses(self) -> list[Outcome]:
        return [
            o
            for o in self.outcomes
            if (o.top is not None and not o.right)
            or (o.expect and not o.right)
            or (o.match and len(o.expect) != 1)
        ]

    def lines(self) -> list[str]:
        return [
            f"queries            {len(self.outcomes)}",
            f"precision@1        {self.precision_at_1:.3f}  ({len(self.answered)} answered)",
            f"recall             {self.recall:.3f}",
            f"match precision    {self.match_precision:.3f}  ({len(self.matches)} match: true)",
        ]


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.load(response)


def _post(url: str, queries: dict) -> dict:
    body = urllib.parse.urlencode({"queries": json.dumps(queries)}).encode("utf-8")
    request = urllib.request.Request(
        url, body, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def evaluate(url: str, gold: Path = GOLD) -> Report:
    """Run every gold query against the service at `url` (its root: `/reconcile` is added)."""
    endpoint = url.rstrip("/") + "/reconcile"
    manifest = _get(endpoint)
    space = manifest["identifierSpace"]
    base = space.removesuffix("/").removesuffix("/id")
    entries = json.loads(gold.read_text(encoding="utf-8"))["queries"]
    report = Report()
    for start in range(0, len(entries), BATCH):
        batch = entries[start : start + BATCH]
        queries = {e["id"]: _query(e, base) for e in batch}
        results = _post(endpoint, queries)
        for entry in batch:
            found = results[entry["id"]]["result"]
            top = found[0] if found else None
            report.outcomes.append(
                Outcome(
                    entry["id"],
                    entry["category"],
                    entry["query"],
                    [space + e for e in entry["expect"]],
                    top["id"] if top else None,
                    bool(top and top.get("match")),
                )
            )
    return report


def _query(entry: dict, base: str) -> dict:
    query = {"query": entry["query"].replace("{base}", base)}
    if "type" in entry:
        query["type"] = entry["type"]
    if "properties" in entry:
        text = json.dumps(entry["properties"]).replace("{base}", base)
        query["properties"] = json.loads(text)
    return query


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="root URL of a running lodpub server")
    parser.add_argument("--gold", type=Path, default=GOLD, help="gold queries (JSON)")
    parser.add_argument("--verbose", action="store_true", help="also list every miss")
    args = parser.parse_args(argv)
    report = evaluate(args.url, args.gold)
    print("\n".join(report.lines()))
    if args.verbose:
        for o in report.misses():
            print(f"  miss {o.id} [{o.category}] {o.query!r}: top {o.top} match={o.match}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
