"""Load and isolation test of `lodpub serve`: concurrent clients mixing pages, content-negotiated
data and SPARQL on the seed plus a synthetic corpus, with every sampled answer checked.

Phases: warm-up (references fetched one at a time), unloaded (the mix alone), heavy (the mix
while more clients than the endpoint admits send queries that run to the time limit). Recorded
per phase and route: p50/p99 latency and status counts; wrong answers; 5xx other than the
endpoint's 503 refusals; refusals without Retry-After; page p99 heavy/unloaded; the server's
RSS (all its processes) after warm-up and after the run.

    python bench/load.py --size 200 --duration 60 --out bench/results/load.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import requests

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SEED = ROOT / "seeds" / "000_3a5edd602105b0b3.txt"
sys.path.insert(0, str(BENCH))

from corpus import write_corpus  # noqa: E402
from figures import percentile  # noqa: E402

BASE = "http://127.0.0.1:8080"
CRM = "http://www.cidoc-crm.org/cidoc-crm/"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
# Never produces a row: the whole store to the fourth power, counted.
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ROUTES = ("page", "data", "sparql")
# Allowed RSS growth from warm-up to the end of the run: the page cache filling up (the
# server's default page_cache_mb, 64 MiB) plus 32 MiB of allocator slack.
RSS_MARGIN_KIB = (64 + 32) * 1024


@dataclass
class Settings:
    """How big and how long; the server's own limits are set to make the heavy phase bite."""

    size: int = 200
    duration: float = 60.0
    clients: int = 6
    heavy_clients: int = 5
    threads: int = 8
    query_workers: int = 2
    query_queue: int = 2
    query_timeout: float = 2.0


@dataclass
class Tally:
    """What one phase saw, per route."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    wrong: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    refusals_without_retry_after: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, route: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies[route].append(seconds)
            self.statuses[route][status] += 1

    def report(self) -> dict:
        routes = {}
        for route, values in sorted(self.latencies.items()):
            routes[route] = {
                "n": len(values),
                "p50_ms": round(percentile(values, 50) * 1000, 2),
                "p99_ms": round(percentile(values, 99) * 1000, 2),
                "statuses": {str(k): v for k, v in sorted(self.statuses[route].items())},
            }
        return {
            "routes": routes,
            "wrong_answers": len(self.wrong),
            "wrong_examples": self.wrong[:5],
            "server_errors": len(self.server_errors),
            "server_error_examples": self.server_errors[:5],
            "refusals_without_retry_after": self.refusals_without_retry_after,
        }


@dataclass(frozen=True)
class Sample:
    """One request of the mix and what its answer must be."""

    route: str
    url: str
    headers: tuple[tuple[str, str], ...]
    expected: object  # bytes for pages and data; a set of rows for SPARQL


def build_store(work: Path, size: int) -> Path:
    corpus = work / "corpus"
    write_corpus(corpus, size)
    shutil.copy(SEED, corpus / SEED.name)
    store = work / "store"
    subprocess.run(
        [sys.executable, "-m", "lodpub", "ingest", "--store", str(store)]
        + ["--reports", str(work / "reports"), str(corpus)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_environment(),
    )
    return store


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("LODPUB_")}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(store: Path, settings: Settings) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [sys.executable, "-m", "lodpub", "serve", "--store", str(store)]
    command += ["--port", str(port), "--threads", str(settings.threads)]
    command += ["--query-workers", str(settings.query_workers)]
    command += ["--query-queue", str(settings.query_queue)]
    command += ["--query-timeout", str(settings.query_timeout)]
    process = subprocess.Popen(
        command,
        env=_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            requests.get(f"{url}/sparql", timeout=10)
            return process, url
        except requests.RequestException:
            time.sleep(0.1)
    stop_server(process)
    raise RuntimeError(f"lodpub serve did not come up within 60 s (exit status {process.poll()})")


def stop_server(process: subprocess.Popen) -> None:
    """SIGKILL to the whole group: gunicorn's arbiter, its worker and the query workers."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def server_rss_kib(process: subprocess.Popen) -> int:
    """Resident memory of every process in the server's group (gunicorn, query workers)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[2]) != process.pid:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
    return total


def rows(data: bytes) -> set[tuple]:
    parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    names = [v.value for v in parsed.variables]
    return {tuple(str(solution[name]) for name in names) for solution in parsed}


def expected_rows(store: ox.Store, query: str) -> set[tuple]:
    results = store.query(query)
    return rows(results.serialize(format=ox.QueryResultsFormat.JSON))


def samples(url: str, store_root: Path, rng: random.Random, per_route: int) -> list[Sample]:
    """The mix: pages and data of sampled entities and documents (expected: their unloaded
    bytes), and SPARQL queries (expected: the rows the store itself gives, read directly)."""
    store = ox.Store.read_only(str(store_root / os.readlink(store_root / "LIVE")))
    things = sorted(
        str(row[0])
        for row in expected_rows(
            store,
            f"SELECT DISTINCT ?s WHERE {{ VALUES ?type {{ <{CRM}E21_Person> <{CRM}E74_Group> "
            f"<{CRM}E53_Place> <{CRM}E31_Document> }} ?s a ?type "
            f'FILTER(STRSTARTS(STR(?s), "{BASE}/id/")) }}',
        )
    )
    chosen = rng.sample(things, min(per_route, len(things)))
    mix = []
    with requests.Session() as session:
        for thing in chosen:
            rest = thing.strip("<>").removeprefix(f"{BASE}/id/")
            for route, path, accept in (
                ("page", f"/page/{rest}", "text/html"),
                ("data", f"/id/{rest}", "text/turtle"),
            ):
                headers = (("Accept", accept),)
                first = session.get(url + path, headers=dict(headers), timeout=60)
                again = session.get(url + path, headers=dict(headers), timeout=60)
                if first.status_code != 200 or first.content != again.content:
                    raise RuntimeError(f"{path}: not a stable 200 answer ({first.status_code})")
                mix.append(Sample(route, url + path, headers, first.content))
        queries = [f"SELECT ?label WHERE {{ {thing} {RDFS_LABEL} ?label }}" for thing in chosen]
        queries += [
            f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{CRM}E21_Person> }}",
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        ]
        for query in queries:
            sample = _query_sample(url, query, expected_rows(store, query))
            # Asked once now, so that the query workers are running when RSS is measured.
            answer = session.get(sample.url, headers=dict(sample.headers), timeout=60)
            if answer.status_code != 200 or rows(answer.content) != sample.expected:
                raise RuntimeError(f"{query}: wrong answer before any load ({answer.status_code})")
            mix.append(sample)
    del store
    return mix


def _query_sample(url: str, query: str, expected: set[tuple]) -> Sample:
    address = requests.Request("GET", f"{url}/sparql", params={"query": query}).prepare().url
    accept = (("Accept", "application/sparql-results+json"),)
    return Sample("sparql", address or "", accept, expected)


def check(sample: Sample, response: requests.Response, tally: Tally) -> None:
    status = response.status_code
    if status == 503 and sample.route == "sparql":
        if "Retry-After" not in response.headers:
            with tally.lock:
                tally.refusals_without_retry_after += 1
        return
    if status >= 500:
        with tally.lock:
            tally.server_errors.append(f"{status} {sample.url}")
        return
    right = status == 200 and (
        rows(response.content) == sample.expected
        if sample.route == "sparql"
        else response.content == sample.expected
    )
    if not right:
        with tally.lock:
            tally.wrong.append(f"{status} {sample.url}")


def client(mix: list[Sample], seed: int, until: float, tally: Tally) -> None:
    rng = random.Random(seed)
    with requests.Session() as session:
        while time.monotonic() < until:
            sample = rng.choice(mix)
            started = time.monotonic()
            try:
                response = session.get(sample.url, headers=dict(sample.headers), timeout=60)
            except requests.RequestException as exc:
                with tally.lock:
                    tally.server_errors.append(f"{type(exc).__name__} {sample.url}")
                continue
            tally.record(sample.route, time.monotonic() - started, response.status_code)
            check(sample, response, tally)


def heavy_client(url: str, until: float, tally: Tally) -> None:
    with requests.Session() as session:
        while time.monotonic() < until:
            started = time.monotonic()
            response = session.get(f"{url}/sparql", params={"query": HEAVY}, timeout=60)
            tally.record("heavy", time.monotonic() - started, response.status_code)
            if response.status_code != 503:
                with tally.lock:
                    tally.wrong.append(f"heavy query answered {response.status_code}")
            elif "time limit" not in response.text:
                if "Retry-After" not in response.headers:
                    with tally.lock:
                        tally.refusals_without_retry_after += 1
                # Refused at once: wait as the server asks, as a polite client would.
                time.sleep(min(float(response.headers.get("Retry-After", 1)), 0.5))


def phase(url: str, mix: list[Sample], settings: Settings, heavy: int) -> dict:
    tally = Tally()
    until = time.monotonic() + settings.duration
    threads = [
        threading.Thread(target=client, args=(mix, i, until, tally))
        for i in range(settings.clients)
    ]
    threads += [
        threading.Thread(target=heavy_client, args=(url, until, tally)) for _ in range(heavy)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally.report()


def run(settings: Settings, work: Path) -> dict:
    """Build the store, serve it, run the phases; the report as a dict."""
    started = time.monotonic()
    store = build_store(work, settings.size)
    process, url = start_server(store, settings)
    try:
        mix = samples(url, store, random.Random(7), per_route=12)
        rss_warm = server_rss_kib(process)
        unloaded = phase(url, mix, settings, heavy=0)
        loaded = phase(url, mix, settings, heavy=settings.heavy_clients)
        again = phase(url, mix, settings, heavy=0)
        rss_end = server_rss_kib(process)
    finally:
        stop_server(process)
    page_ratio = None
    if "page" in unloaded["routes"] and "page" in loaded["routes"]:
        page_ratio = round(
            loaded["routes"]["page"]["p99_ms"] / max(unloaded["routes"]["page"]["p99_ms"], 0.001),
            2,
        )
    phases = {"unloaded": unloaded, "heavy": loaded, "after": again}
    return {
        "settings": settings.__dict__,
        "samples": len(mix),
        "phases": phases,
        "page_p99_heavy_over_unloaded": page_ratio,
        "rss_kib_after_warm_up": rss_warm,
        "rss_kib_after_run": rss_end,
        "rss_growth": round(rss_end / max(rss_warm, 1), 3),
        "rss_margin_kib": RSS_MARGIN_KIB,
        "rss_within_margin": rss_end - rss_warm <= RSS_MARGIN_KIB,
        "wrong_answers": sum(p["wrong_answers"] for p in phases.values()),
        "server_errors": sum(p["server_errors"] for p in phases.values()),
        "refusals_without_retry_after": sum(
            p["refusals_without_retry_after"] for p in phases.values()
        ),
        "seconds": round(time.monotonic() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    defaults = Settings()
    for name, value in defaults.__dict__.items():
        parser.add_argument("--" + name.replace("_", "-"), type=type(value), default=value)
    parser.add_argument("--out", type=Path, help="JSON report (default: standard output)")
    arguments = vars(parser.parse_args())
    out = arguments.pop("out")
    settings = Settings(**arguments)
    with tempfile.TemporaryDirectory(prefix="lodpub-load-") as work:
        report = run(settings, Path(work))
    text = json.dumps(report, indent=2) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    failed = report["wrong_answers"] or report["server_errors"] or not report["rss_within_margin"]
    sys.exit(1 if failed or report["refusals_without_retry_after"] else 0)


if __name__ == "__main__":
    main()
