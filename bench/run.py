"""lodpub against its peers on one synthetic corpus, in one run: ingest, SPARQL query mix,
HTTP load, start-up and memory; writes bench/results/<date>-<size>.json and bench/RESULTS.md.

    BENCH_SIZE=1k python bench/run.py          # what `make bench` runs
    python bench/run.py --size 200 --repeats 3 --duration 2 --no-install --results DIR

The run keeps to --time-limit (19 minutes by default, whatever the size). Each HTTP route
gets its --duration of load; then every engine gets every query of the mix, with as many
timed runs as its share of what is left allows (at least 3, at most --repeats; the count is
reported), and a query over its time-out is reported as timed out. What still did not fit is
reported as skipped. rdflib-endpoint, which parses everything into Python memory, is skipped
above --rdflib-max-triples.

Peers: Oxigraph server and rdflib-endpoint (pip, into bench/.peers/venv), Virtuoso
open-source (Debian), and two in-process floors: pyoxigraph in memory, and pyoxigraph on disk
(RocksDB, the engine and storage lodpub embeds). Every engine loads the same export: lodpub's
/dumps/lodpub.ttl (the bytes `lodpub export --format ttl` writes), downloaded once the server
has written its dumps. The in-memory floor loads alone; Oxigraph and Virtuoso load side by
side. A peer that cannot be installed, loaded or started is reported as missing with the
reason. Everything listens on 127.0.0.1 and every server is stopped by the process id it was
started with. The results keep the seconds each phase took (`timeline_s`).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import http.client
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
from corpus import parse_size, write_corpus
from peers import (
    PEERS_VENV,
    Missing,
    Server,
    ensure_peer_venv,
    fetch_dump,
    http_get,
    oxigraph_location,
    query_path,
    start_lodpub,
    start_oxigraph,
    start_rdflib_endpoint,
    start_virtuoso,
    wait_for_dumps,
)
from report import write_report
from workload import (
    LEAST_RUNS,
    Route,
    engine_plan,
    in_process,
    load,
    measure_engine,
    over_http,
    pick_resources,
    query_mix,
)

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
QUERY_SHARE_S = 10.0  # kept for each engine's query mix when the HTTP load is planned
# Peers whose loads may overlap: neither load is a goal's denominator (the in-memory floor's
# is, and loads alone). Each then gets a core, and their load times say "side by side".
SIDE_BY_SIDE = ("oxigraph", "virtuoso")
# lodpub first, then what its goals are judged against, so that a short time limit leaves
# out what the goals need least: the in-memory floor (its ratios are only shown beside), then
# rdflib-endpoint last, whose time-outs (each waited out before its next query) can outlast
# its share.
QUERY_ORDER = ("lodpub", "pyoxigraph-disk", "virtuoso", "oxigraph", "pyoxigraph", "rdflib-endpoint")
MERGED_DUMP = "lodpub.ttl"  # lodpub's dump of its default graph: what every engine loads


class Deadline:
    """The run's time limit: each phase asks how long it may still take."""

    def __init__(self, seconds: float) -> None:
        self.end = time.perf_counter() + seconds

    def left(self) -> float:
        return self.end - time.perf_counter()

    def bounded(self, seconds: float) -> float:
        return max(1.0, min(seconds, self.left()))


class Timeline:
    """Seconds per phase of the run, in order: where the time limit went."""

    def __init__(self) -> None:
        self.began = time.perf_counter()
        self.phases: dict[str, float] = {}

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        began = time.perf_counter()
        try:
            yield
        finally:
            self.phases[name] = self.phases.get(name, 0.0) + time.perf_counter() - began

    def figures(self) -> dict[str, float]:
        out = {name: round(seconds, 1) for name, seconds in self.phases.items()}
        return out | {"total": round(time.perf_counter() - self.began, 1)}


def run_ingest(corpus: Path, work: Path, jobs: int, timeout: float) -> tuple[dict, Path]:
    store = work / "store"
    shutil.rmtree(store, ignore_errors=True)
    # The dumps of an earlier run: equal content has the same version, so lodpub would serve
    # those instead of writing (and timing) its own.
    shutil.rmtree(work / f"{store.name}.dumps", ignore_errors=True)
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


def merged_graph(lodpub: Server | None, store: Path, out: Path, timeout: float) -> dict:
    """The graph every engine loads, lodpub's merged default graph as Turtle, into `out`:
    the served dump (written as `lodpub export --format ttl` writes it: the same bytes), else
    the export. Says how long it took and where it came from."""
    if lodpub is not None:
        try:
            fetched = fetch_dump(lodpub, MERGED_DUMP, out, timeout)
            return {"export_s": fetched, "export_from": f"/dumps/{MERGED_DUMP}, downloaded"}
        except (Missing, OSError, http.client.HTTPException) as exc:
            _say(f"cannot download /dumps/{MERGED_DUMP} ({exc}): lodpub export instead")
    return {"export_s": export(store, out, timeout), "export_from": "lodpub export --format ttl"}


def export(store: Path, out: Path, timeout: float) -> float:
    """lodpub's own export of the merged default graph."""
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


def disk_floor(data: Path, work: Path, peer: Server | None) -> tuple[ox.Store, dict]:
    """pyoxigraph on disk, opened read-only as lodpub opens the store it serves: the
    in-process floor on lodpub's own engine and storage. An Oxigraph server of pyoxigraph's
    version has loaded that store already (`oxigraph load` is the same bulk loader): it is
    shared read-only instead of being loaded twice. Else the export is bulk-loaded here."""
    if peer is not None and oxigraph_version() == ox.__version__:
        how = f"oxigraph load {ox.__version__}: the Oxigraph server's store, shared read-only"
        store = ox.Store.read_only(str(oxigraph_location(work)))
        return store, {"bulk_load_s": peer.load_s, "loaded_by": how}
    location = work / "floor-db"
    shutil.rmtree(location, ignore_errors=True)
    began = time.perf_counter()
    store = ox.Store(str(location))
    store.bulk_load(path=str(data), format=ox.RdfFormat.TURTLE)
    store.flush()
    load_s = time.perf_counter() - began
    del store  # closes RocksDB before it is opened again read-only
    how = f"pyoxigraph {ox.__version__} bulk_load"
    return ox.Store.read_only(str(location)), {"bulk_load_s": load_s, "loaded_by": how}


def query_engines(
    servers: dict[str, Server],
    floors: dict[str, ox.Store],
    queries: dict,
    args: argparse.Namespace,
    deadline: Deadline,
) -> tuple[dict[str, dict], dict[str, dict]]:
    """Every query on every engine in QUERY_ORDER, each engine planned on its share of the
    time left (`engine_plan`); returns the figures and each engine's plan."""
    engines = sorted([*floors, *servers], key=QUERY_ORDER.index)
    results: dict[str, dict] = {}
    plans: dict[str, dict] = {}
    for index, engine in enumerate(engines):
        left = deadline.left() - RESERVE_S
        if left <= 0:
            skipped = {"error": "skipped: the run's time limit was reached"}
            results[engine] = {name: dict(skipped) for name in queries}
            continue
        plan = engine_plan(
            left, len(engines) - index, args.repeats, args.query_seconds, args.request_timeout
        )
        calm = None  # in-process queries never time out
        if engine in floors:
            runs = {name: in_process(floors[engine], text) for name, text in queries.items()}
        else:
            server = servers[engine]
            runs = {
                name: over_http(server.port, server.endpoint, text, plan.timeout)
                for name, text in queries.items()
            }
            calm = functools.partial(settle, server, plan.timeout)
        began = time.perf_counter()
        results[engine] = measure_engine(
            runs, plan, stop=lambda: deadline.left() < RESERVE_S, settle=calm
        )
        plans[engine] = {
            "share_s": plan.seconds,
            "timeout_s": None if engine in floors else plan.timeout,
            "used_s": time.perf_counter() - began,
        }
    return results, plans


def start_peers(
    names: list[str],
    data: Path,
    work: Path,
    args: argparse.Namespace,
    deadline: Deadline,
    triples: int,
    servers: dict[str, Server],
) -> dict[str, str]:
    """Load and start `names` side by side, a thread each; add those that answered to
    `servers` (before raising another's error, so that they are stopped) and say why each
    other one is missing."""
    with ThreadPoolExecutor(len(names)) as pool:
        futures = {
            name: pool.submit(start_peer, name, data, work, args, deadline, triples)
            for name in names
        }
    reasons: dict[str, str] = {}
    for name, future in futures.items():
        if future.exception() is None:
            got = future.result()
            if isinstance(got, Server):
                servers[name] = got
            else:
                reasons[name] = got
    for future in futures.values():
        if future.exception() is not None:
            raise future.exception()
    return reasons


def start_peer(
    name: str,
    data: Path,
    work: Path,
    args: argparse.Namespace,
    deadline: Deadline,
    triples: int,
) -> Server | str:
    """A started peer, or why it is missing."""
    if name == "rdflib-endpoint" and triples > args.rdflib_max_triples:
        return (
            f"skipped: {triples:,} triples is over --rdflib-max-triples "
            f"({args.rdflib_max_triples:,}); it parses them all into Python memory"
        )
    if deadline.left() < args.start_timeout / 10 + RESERVE_S:
        return "skipped: the run's time limit was reached"
    try:
        return PEER_STARTERS[name](data, work, deadline.bounded(args.start_timeout))
    except (Missing, subprocess.SubprocessError, OSError) as exc:
        return str(exc) or type(exc).__name__


def settle(server: Server, seconds: float) -> None:
    """Wait up to `seconds` for a server to answer again after a query timed out: it may
    still be working on it, and the next query would queue behind it."""
    with contextlib.suppress(Missing):
        server.wait_ready(time.perf_counter(), seconds)


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


def _first_line(argv: list[str]) -> str | None:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    text = (done.stdout + done.stderr).strip().splitlines()
    return next((line for line in text if line.strip()), None)


def oxigraph_version() -> str | None:
    return _word_after("oxigraph", _first_line([str(PEERS_VENV / "bin" / "oxigraph"), "--version"]))


def versions() -> dict[str, str | None]:
    import lodpub

    found = {
        "lodpub": lodpub.__version__,
        "python": sys.version.split()[0],
        "pyoxigraph": ox.__version__,
        "oxigraph": oxigraph_version(),
        "rdflib-endpoint": None,
        "virtuoso": None,
        "wrk": _word_after("wrk", _first_line(["wrk", "-v"])) if shutil.which("wrk") else None,
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
    parser.add_argument(
        "--repeats", type=int, default=20, help="timed runs per query and engine, at most"
    )
    parser.add_argument(
        "--query-seconds",
        type=float,
        default=20.0,
        help="a query's timed runs stop past this (per engine), once 3 are done",
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per route")
    parser.add_argument("--max-requests", type=int, default=200_000, help="per route (Python)")
    parser.add_argument(
        "--request-timeout",
        type=float,
        default=60.0,
        help="a query's time-out at most (a quarter of an engine's share of the time, if less)",
    )
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
    timeline = Timeline()
    given = argv if argv is not None else sys.argv[1:]
    size_from_env = "" if "--size" in given else f"BENCH_SIZE={args.size} "
    command = f"{size_from_env}python bench/run.py {' '.join(given)}".strip()
    work = (args.work / args.size).resolve()
    work.mkdir(parents=True, exist_ok=True)

    _say(f"corpus: {records} synthetic records (seed {SEED})")
    corpus = work / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    with timeline.phase("corpus"):
        files = write_corpus(corpus, records, SEED)

    _say("ingest: lodpub.pipeline in-process, every stage timed")
    with timeline.phase("ingest"):
        ingest, store = run_ingest(corpus, work, args.jobs, deadline.bounded(deadline.left()))
    data = work / "merged.ttl"

    servers: dict[str, Server] = {}
    missing: dict[str, str] = {}
    started: dict[str, dict] = {}
    query_plans: dict[str, dict] = {}
    disk: dict = {}
    dumps_s = None
    try:
        _say("lodpub serve, writing its dumps; the engines load its Turtle dump")
        with timeline.phase("lodpub start"):
            try:
                servers["lodpub"] = start_lodpub(store, work, BASE_URI, args.start_timeout)
            except Missing as exc:
                missing["lodpub"] = str(exc)
        lodpub = servers.get("lodpub")
        with timeline.phase("dumps"):
            dumps_s = wait_for_dumps(lodpub, args.start_timeout) if lodpub else None
        with timeline.phase("merged Turtle"):
            merged = merged_graph(lodpub, store, data, deadline.bounded(600))

        _say("floor: pyoxigraph in memory (alone)")
        with timeline.phase("floor load (memory)"):
            floor, floor_load_s, triples = floor_store(data)
        with timeline.phase("pick resources"):
            picked = pick_resources(floor)
        queries = query_mix(picked["person"], picked["person"], picked["hub"])

        wanted = [p for p in args.peers.split(",") if p]
        unknown = [p for p in wanted if p not in PEER_STARTERS]
        if unknown:
            raise SystemExit(f"bench: --peers: unknown peer {unknown[0]!r}")
        if any(p in ("oxigraph", "rdflib-endpoint") for p in wanted):
            with timeline.phase("peer install"):
                ensure_peer_venv(args.install, deadline.bounded(600))
        together = [p for p in wanted if p in SIDE_BY_SIDE]
        groups = ([together] if together else []) + [[p] for p in wanted if p not in together]
        for group in groups:
            _say(f"peer: {' and '.join(group)}{' side by side' if len(group) > 1 else ''}")
            with timeline.phase(f"peer load: {' + '.join(group)}"):
                missing |= start_peers(group, data, work, args, deadline, triples, servers)
            # Side by side only when another peer of the group loaded too: one that is missing
            # (not installed, say) left the core to the other.
            loaded = set(group) & set(servers)
            for name in loaded:
                started[name] = {"loaded_side_by_side": len(loaded) > 1}
        servers = {name: servers[name] for name in ["lodpub", *wanted] if name in servers}
        with timeline.phase("server figures (RSS, triples)"):
            for name, server in servers.items():
                started[name] = {
                    "pid": server.pid,
                    "port": server.port,
                    "startup_s": server.startup_s,
                    "load_s": server.load_s,
                    **started.get(name, {}),
                    "rss_idle_mb": server.rss_mb(),
                    "triples": count_triples(server, args.request_timeout),
                }
        if dumps_s is not None:
            started["lodpub"]["dumps_s"] = dumps_s

        _say("floor: pyoxigraph on disk")
        with timeline.phase("floor (disk)"):
            floor_disk, disk = disk_floor(data, work, servers.get("oxigraph"))
        if disk["loaded_by"].startswith("oxigraph") and started["oxigraph"]["loaded_side_by_side"]:
            disk["loaded_by"] += ", loaded side by side with the other peers"
        floors = {"pyoxigraph": floor, "pyoxigraph-disk": floor_disk}
        disk["triples"] = len(floor_disk)

        # Load first: a query that times out can leave a peer busy for minutes after.
        _say("HTTP load at concurrency 8")
        http_results: dict[str, dict] = {}
        planned = routes(servers, picked["rotation"])
        kept = RESERVE_S + QUERY_SHARE_S * (len(servers) + len(floors))
        for route in planned:
            if deadline.left() < args.duration + kept:
                http_results[route.name] = {"error": "skipped: the run's time limit was reached"}
                continue
            try:
                with timeline.phase(f"http: {route.name}"):
                    http_results[route.name] = load(route, args.duration, work, args.max_requests)
            except (OSError, subprocess.SubprocessError) as exc:
                http_results[route.name] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
        _say("SPARQL query mix")
        with timeline.phase("query mix"):
            query_results, query_plans = query_engines(servers, floors, queries, args, deadline)

        for name, server in servers.items():
            started[name]["rss_after_load_mb"] = server.rss_mb()
    finally:
        with timeline.phase("stop servers"):
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
            "least_repeats": LEAST_RUNS,
            "ingest_jobs": args.jobs,
            "concurrency": 8,
            "seed": SEED,
        },
        "corpus": {**files, "triples": triples},
        "ingest": {**ingest, **merged},
        "floor": {
            "engine": "pyoxigraph in memory",
            "bulk_load_s": floor_load_s,
            "triples": triples,
        },
        "floor_disk": {"engine": "pyoxigraph on disk (RocksDB), read-only", **disk},
        "resources": {k: v for k, v in picked.items() if k != "rotation"}
        | {"rotation": len(picked["rotation"])},
        "servers": started,
        "missing": missing,
        "queries": query_results,
        "query_plans": query_plans,
        "http": http_results,
        "harness_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "timeline_s": timeline.figures(),
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
