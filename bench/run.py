"""lodpub against its peers on one synthetic corpus, in one run: ingest, SPARQL query mix,
HTTP load, start-up and memory; writes bench/results/<date>-<size>.json and bench/RESULTS.md.

    BENCH_SIZE=1k python bench/run.py          # what `make bench` runs
    python bench/run.py --size 200 --repeats 3 --duration 2 --no-install --results DIR

The run keeps to --time-limit (19 minutes by default, whatever the size): queries and HTTP
load share what the ingest, the export and the peers' loads leave, and what did not fit is
reported as skipped. rdflib-endpoint, which parses everything into Python memory, is skipped
above --rdflib-max-triples.

Peers: Oxigraph server and rdflib-endpoint (pip, into bench/.peers/venv), Virtuoso
open-source (Debian), and pyoxigraph in-process in memory as the floor. A peer that cannot be
installed, loaded or started is reported as missing with the reason. Everything listens on
127.0.0.1 and every server is stopped by the process id it was started with.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
from corpus import parse_size, write_corpus
from peers import (
    PEERS_VENV,
    Missing,
    Server,
    ensure_peer_venv,
    http_get,
    query_path,
    start_lodpub,
    start_oxigraph,
    start_rdflib_endpoint,
    start_virtuoso,
)
from report import write_report
from workload import Budget, Route, in_process, load, over_http, pick_resources, query_mix
from workload import time_runs as timed

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
BASE_URI = "http://127.0.0.1:8080"  # the URIs the corpus is minted under (lodpub's default)
PEER_STARTERS = {
    "oxigraph": start_oxigraph,
    "virtuoso": start_virtuoso,
    "rdflib-endpoint": start_rdflib_endpoint,
}
SEED = 7


RESERVE_S = 30.0  # kept back for stopping the servers and writing the results


class Deadline:
    """The run's time limit: each phase asks how long it may still take."""

    def __init__(self, seconds: float) -> None:
        self.end = time.perf_counter() + seconds

    def left(self) -> float:
        return self.end - time.perf_counter()

    def bounded(self, seconds: float) -> float:
        return max(1.0, min(seconds, self.left()))

    def share(self, wanted: float, parts: int, floor: float) -> float:
        """Seconds for each of `parts` equal tasks: `wanted`, or less so that all of them fit
        before the reserve, but never under `floor`."""
        return max(floor, min(wanted, (self.left() - RESERVE_S) / max(parts, 1)))


def run_ingest(corpus: Path, work: Path, jobs: int, timeout: float) -> tuple[dict, Path]:
    store = work / "store"
    shutil.rmtree(store, ignore_errors=True)
    shutil.rmtree(work / "reports", ignore_errors=True)
    argv = [sys.executable, str(BENCH / "ingest.py"), "--corpus", str(corpus)]
    argv += ["--store", str(store), "--reports", str(work / "reports"), "--jobs", str(jobs)]
    argv += ["--authority", str(ROOT / "authority" / "authority.toml")]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired as exc:
        raise SystemExit(
            f"bench: ingest did not finish within the time limit ({timeout:.0f} s): "
            "raise --time-limit (BENCH_TIME_LIMIT) or give it more --jobs"
        ) from exc
    if done.returncode:
        raise SystemExit(f"bench: ingest failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout), store


def export(store: Path, out: Path, timeout: float) -> float:
    """lodpub's own export of the merged default graph, the graph every engine loads."""
    lodpub = Path(sys.executable).with_name("lodpub")
    began = time.perf_counter()
    subprocess.run(
        [str(lodpub), "export", "--store", str(store), "--format", "ttl", "-o", str(out)],
        check=True,
        timeout=timeout,
        capture_output=True,
    )
    return time.perf_counter() - began


def floor_store(data: Path) -> tuple[ox.Store, float, int]:
    """pyoxigraph in memory, bulk-loaded: the in-process floor (no HTTP)."""
    store = ox.Store()
    began = time.perf_counter()
    store.bulk_load(path=str(data), format=ox.RdfFormat.TURTLE)
    return store, time.perf_counter() - began, len(store)


def query_engines(
    servers: dict[str, Server],
    floor: ox.Store,
    queries: dict,
    budget: Budget,
    deadline: Deadline,
    request_timeout: float,
) -> dict[str, dict]:
    """Median and p99 of every query on every engine, each within `budget`."""
    results: dict[str, dict] = {"pyoxigraph": {}}
    for name, text in queries.items():
        results["pyoxigraph"][name] = timed(in_process(floor, text), budget)
    for engine, server in servers.items():
        results[engine] = {}
        for name, text in queries.items():
            if deadline.left() < RESERVE_S:
                results[engine][name] = {"error": "skipped: the run's time limit was reached"}
                continue
            run = over_http(server.port, server.endpoint, text, request_timeout)
            results[engine][name] = timed(run, budget)
    return results


def count_triples(server: Server, timeout: float) -> int | None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    path = query_path(server.endpoint, query)
    try:
        status, body, _ = http_get(server.port, path, "application/sparql-results+json", timeout)
    except (OSError, http.client.HTTPException):
        return None
    if status != 200:
        return None
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def routes(servers: dict[str, Server], rotation: list[str]) -> list[Route]:
    """lodpub's HTML page, Turtle description and /sparql DESCRIBE; each peer's DESCRIBE."""
    local = [uri.removeprefix(BASE_URI) for uri in rotation]
    describe = [f"DESCRIBE <{uri}>" for uri in rotation]
    out: list[Route] = []
    lodpub = servers.get("lodpub")
    if lodpub:
        pages = [path.replace("/id/", "/page/", 1) for path in local]
        data = [path.replace("/id/", "/data/", 1) + ".ttl" for path in local]
        out.append(Route("lodpub_html", lodpub.port, pages, "text/html"))
        out.append(Route("lodpub_turtle", lodpub.port, data, "text/turtle"))
    for name, server in servers.items():
        paths = [query_path(server.endpoint, q) for q in describe]
        out.append(Route(f"{name}_describe", server.port, paths, "text/turtle"))
    return out


def versions() -> dict[str, str | None]:
    def first_line(argv: list[str]) -> str | None:
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.SubprocessError):
            return None
        text = (done.stdout + done.stderr).strip().splitlines()
        return next((line for line in text if line.strip()), None)

    import lodpub

    oxigraph = PEERS_VENV / "bin" / "oxigraph"
    found = {
        "lodpub": lodpub.__version__,
        "python": sys.version.split()[0],
        "pyoxigraph": ox.__version__,
        "oxigraph": _word_after("oxigraph", first_line([str(oxigraph), "--version"])),
        "rdflib-endpoint": None,
        "virtuoso": None,
        "wrk": _word_after("wrk", first_line(["wrk", "-v"])) if shutil.which("wrk") else None,
    }
    if shutil.which("virtuoso-t"):
        lines = subprocess.run(
            ["virtuoso-t", "-?"], capture_output=True, text=True, timeout=20
        ).stderr.splitlines()
        line = next((line for line in lines if line.startswith("Version")), None)
        found["virtuoso"] = _word_after("Version", line)
    # Read from the peers' venv, not lodpub's: the version the run actually used.
    metadata = sorted(PEERS_VENV.glob("lib/python*/site-packages/rdflib_endpoint-*.dist-info"))
    if metadata:
        found["rdflib-endpoint"] = metadata[0].name.removesuffix(".dist-info").split("-")[1]
    return found


def _word_after(word: str, line: str | None) -> str | None:
    """The token after `word` in a program's version line ("oxigraph 0.5.13" → "0.5.13")."""
    match = re.search(rf"{word} (\S+)", line or "")
    return match.group(1) if match else line


def machine() -> dict:
    info = {"cpus": os.cpu_count(), "platform": sys.platform}
    uname = os.uname()
    info["kernel"] = f"{uname.sysname} {uname.release} {uname.machine}"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_mb"] = int(line.split()[1]) // 1024
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return info


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default=os.environ.get("BENCH_SIZE", "1k"))
    parser.add_argument("--repeats", type=int, default=20, help="timed runs per query")
    parser.add_argument("--query-seconds", type=float, default=20.0, help="per query, engine")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per route")
    parser.add_argument("--max-requests", type=int, default=200_000, help="per route (Python)")
    parser.add_argument("--request-timeout", type=float, default=60.0)
    parser.add_argument("--start-timeout", type=float, default=300.0)
    parser.add_argument("--time-limit", type=float, default=1140.0, help="whole run, seconds")
    parser.add_argument(
        "--jobs", type=int, default=len(os.sched_getaffinity(0)), help="ingest workers"
    )
    parser.add_argument("--rdflib-max-triples", type=int, default=2_000_000)
    parser.add_argument("--peers", default=",".join(PEER_STARTERS))
    parser.add_argument("--install", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--results", type=Path, default=BENCH / "results")
    parser.add_argument("--report", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--work", type=Path, default=BENCH / ".work")
    args = parser.parse_args(argv)
    records = parse_size(args.size)
    deadline = Deadline(args.time_limit)
    given = argv if argv is not None else sys.argv[1:]
    size_from_env = "" if "--size" in given else f"BENCH_SIZE={args.size} "
    command = f"{size_from_env}python bench/run.py {' '.join(given)}".strip()
    work = (args.work / args.size).resolve()
    work.mkdir(parents=True, exist_ok=True)

    _say(f"corpus: {records} synthetic records (seed {SEED})")
    corpus = work / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    files = write_corpus(corpus, records, SEED)

    _say("ingest: lodpub.pipeline in-process, every stage timed")
    ingest, store = run_ingest(corpus, work, args.jobs, deadline.bounded(deadline.left()))
    data = work / "merged.ttl"
    export_s = export(store, data, deadline.bounded(600))

    _say("floor: pyoxigraph in memory")
    floor, floor_load_s, triples = floor_store(data)
    picked = pick_resources(floor)
    queries = query_mix(picked["person"], picked["person"], picked["hub"])

    servers: dict[str, Server] = {}
    missing: dict[str, str] = {}
    duration = query_s = 0.0  # what the time limit left for each route and query
    started: dict[str, dict] = {}
    try:
        _say("lodpub serve")
        try:
            servers["lodpub"] = start_lodpub(store, work, BASE_URI, args.start_timeout)
        except Missing as exc:
            missing["lodpub"] = str(exc)
        wanted = [p for p in args.peers.split(",") if p]
        if any(p in ("oxigraph", "rdflib-endpoint") for p in wanted):
            ensure_peer_venv(args.install, deadline.bounded(600))
        for name in wanted:
            if name not in PEER_STARTERS:
                raise SystemExit(f"bench: --peers: unknown peer {name!r}")
            _say(f"peer: {name}")
            if name == "rdflib-endpoint" and triples > args.rdflib_max_triples:
                missing[name] = (
                    f"skipped: {triples:,} triples is over --rdflib-max-triples "
                    f"({args.rdflib_max_triples:,}); it parses them all into Python memory"
                )
                continue
            if deadline.left() < args.start_timeout / 10 + RESERVE_S:
                missing[name] = "skipped: the run's time limit was reached"
                continue
            try:
                servers[name] = PEER_STARTERS[name](
                    data, work, deadline.bounded(args.start_timeout)
                )
            except (Missing, subprocess.SubprocessError, OSError) as exc:
                missing[name] = str(exc) or type(exc).__name__
        for name, server in servers.items():
            started[name] = {
                "pid": server.pid,
                "port": server.port,
                "startup_s": server.startup_s,
                "load_s": server.load_s,
                "rss_idle_mb": server.rss_mb(),
                "triples": count_triples(server, args.request_timeout),
            }

        # Load first: a query that times out can leave a peer busy for minutes after.
        _say("HTTP load at concurrency 8")
        http_results: dict[str, dict] = {}
        planned = routes(servers, picked["rotation"])
        # queries get as long again as the load: each route's share of half what is left
        duration = deadline.share(args.duration, 2 * len(planned), floor=2.0)
        for route in planned:
            if deadline.left() < duration + RESERVE_S:
                http_results[route.name] = {"error": "skipped: the run's time limit was reached"}
                continue
            try:
                http_results[route.name] = load(route, duration, work, args.max_requests)
            except (OSError, subprocess.SubprocessError) as exc:
                http_results[route.name] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
        _say("SPARQL query mix")
        query_s = deadline.share(args.query_seconds, len(queries) * (len(servers) + 1), 2.0)
        budget = Budget(args.repeats, query_s)
        query_results = query_engines(
            servers, floor, queries, budget, deadline, args.request_timeout
        )

        for name, server in servers.items():
            started[name]["rss_after_load_mb"] = server.rss_mb()
    finally:
        for server in servers.values():
            server.stop()

    result = {
        "size": args.size,
        "records": records,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "synthetic": True,
        "command": command,
        "machine": machine(),
        "versions": versions(),
        "settings": {
            "repeats": args.repeats,
            "query_seconds": args.query_seconds,
            "duration_s": args.duration,
            "time_limit_s": args.time_limit,
            "query_seconds_used": query_s,
            "duration_s_used": duration,
            "ingest_jobs": args.jobs,
            "concurrency": 8,
            "seed": SEED,
        },
        "corpus": {**files, "triples": triples},
        "ingest": {**ingest, "export_s": export_s},
        "floor": {
            "engine": "pyoxigraph in memory",
            "bulk_load_s": floor_load_s,
            "triples": triples,
        },
        "resources": {k: v for k, v in picked.items() if k != "rotation"}
        | {"rotation": len(picked["rotation"])},
        "servers": started,
        "missing": missing,
        "queries": query_results,
        "http": http_results,
        "harness_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    args.results.mkdir(parents=True, exist_ok=True)
    out = args.results / f"{result['date'][:10]}-{args.size}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    table = write_report(args.results, args.report)
    print(table)
    _say(f"wrote {out} and {args.report}")
    return out


def _say(text: str) -> None:
    print(f"bench: {text}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
