"""What the benchmark asks of every engine: the fixed SPARQL query mix, and the HTTP load of
describe-one-resource requests at concurrency 8 (wrk when installed, else a Python one).

Every loop is bounded twice: by a count and by a time limit.
"""

from __future__ import annotations

import http.client
import json
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from figures import percentile, summary
from peers import HOST, engine_of, http_get, query_path

PREFIXES = """\
PREFIX crm: <http://www.cidoc-crm.org/cidoc-crm/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
SEARCH_WORD = "league"  # in the titles of some synthetic documents (group heads)
CONCURRENCY = 8
STATISTICS_GRAPH = "urn:x-lodpub:statistics"  # lodpub.store.statistics


class Question(str):
    """A query of the mix; `forms` holds what an engine is asked instead (engine -> (how, text)),
    where `how` says in words which form it got and `text` is a query, or a path to GET."""

    forms: dict[str, tuple[str, str]]

    def __new__(cls, text: str, forms: dict[str, tuple[str, str]] | None = None) -> Question:
        question = super().__new__(cls, text)
        question.forms = forms or {}
        return question

    def form(self, engine: str) -> tuple[str, str]:
        return self.forms.get(engine, ("SPARQL as written", str(self)))


def query_mix(resource: str, person: str, hub: str) -> dict[str, Question]:
    """The six questions of the issue; `resource` is described, `person` has documents
    listed, `hub` is the most mentioned person. Counting by class and searching titles are
    asked of each engine the fast way it offers: lodpub reads its publish-time statistics
    graph and its text index; Virtuoso its free-text index (bif:contains)."""
    texts = {
        "describe": PREFIXES
        + f"""CONSTRUCT {{ <{resource}> ?p ?o . ?o rdfs:label ?ol . ?s ?q <{resource}> .
            ?s rdfs:label ?sl }}
WHERE {{ {{ <{resource}> ?p ?o OPTIONAL {{ ?o rdfs:label ?ol }} }}
  UNION {{ ?s ?q <{resource}> OPTIONAL {{ ?s rdfs:label ?sl }} }} }}""",
        "persons_by_label": PREFIXES
        + """SELECT ?person ?label WHERE { ?person a crm:E21_Person ; rdfs:label ?label }
ORDER BY ?label LIMIT 1000""",
        "count_by_class": """SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?n)""",
        "documents_mentioning": PREFIXES
        + f"""SELECT DISTINCT ?document WHERE {{
  ?mention oa:hasBody <{person}> ; oa:hasTarget/oa:hasSource ?text .
  ?document crm:P73_has_translation|crm:P165_incorporates ?text }}""",
        "title_search": PREFIXES
        + f"""SELECT ?document ?title WHERE {{
  ?document crm:P102_has_title/crm:P190_has_symbolic_content ?title .
  FILTER(REGEX(?title, "{SEARCH_WORD}", "i")) }}""",
        "co_mentioned": PREFIXES
        + f"""SELECT ?person (COUNT(DISTINCT ?text) AS ?documents) WHERE {{
  ?m1 oa:hasBody <{hub}> ; oa:hasTarget/oa:hasSource ?text .
  ?m2 oa:hasTarget/oa:hasSource ?text ; oa:hasBody ?person .
  ?person a crm:E21_Person . FILTER(?person != <{hub}>) }}
GROUP BY ?person ORDER BY DESC(?documents) LIMIT 50""",
    }
    questions = {name: Question(text) for name, text in texts.items()}
    questions["count_by_class"].forms["lodpub"] = (
        "SPARQL over the statistics graph",
        f"""PREFIX void: <http://rdfs.org/ns/void#>
SELECT ?class ?n WHERE {{ GRAPH <{STATISTICS_GRAPH}> {{
  ?part void:class ?class ; void:entities ?n }} }} ORDER BY DESC(?n)""",
    )
    questions["title_search"].forms["lodpub"] = (
        "text index: GET /search.json?in=title",
        f"/search.json?q={SEARCH_WORD}&in=title&kinds=document",
    )
    questions["title_search"].forms["virtuoso"] = (
        "SPARQL with bif:contains (free-text index)",
        PREFIXES
        + f"""SELECT ?document ?title WHERE {{
  ?document crm:P102_has_title ?name . ?name crm:P190_has_symbolic_content ?title .
  ?title bif:contains "'{SEARCH_WORD}*'" }}""",
    )
    return questions


def pick_resources(store: ox.Store, limit: int = 200) -> dict:
    """The hub (most mentioned person), a mid-ranked person and entities to rotate over."""
    ranked = store.query(
        PREFIXES
        + """SELECT ?person (COUNT(?m) AS ?n) WHERE { ?person a crm:E21_Person .
  ?m oa:hasBody ?person } GROUP BY ?person ORDER BY DESC(?n) ?person"""
    )
    persons = [(row["person"].value, int(row["n"].value)) for row in ranked]
    if not persons:
        raise RuntimeError("the exported graph holds no mentioned person")
    entities = store.query(
        """SELECT DISTINCT ?e WHERE { ?e a ?c .
  FILTER(REGEX(STR(?e), "/id/(person|group|place)/[^/]+$")) } ORDER BY ?e"""
    )
    rotation = [row["e"].value for row in entities]
    step = max(1, len(rotation) // limit)
    return {
        "hub": persons[0][0],
        "hub_mentions": persons[0][1],
        "person": persons[min(len(persons) - 1, len(persons) // 10)][0],
        "rotation": rotation[::step][:limit],
    }


LEAST_RUNS = 3  # timed runs of each query on each engine, however large the corpus
MIN_QUERY_TIMEOUT = 5.0  # seconds: a shorter limit would say more about the plan than the engine


@dataclass
class QueryPlan:
    """How one engine's share of the run is spent on the query mix."""

    seconds: float  # the engine's share of what the run has left
    most: int  # timed runs per query at most (--repeats)
    query_seconds: float  # one query's runs stop past this once LEAST_RUNS are done
    timeout: float  # a run over this is reported as timed out (engines over HTTP)


def engine_plan(
    left: float, engines: int, most: int, query_seconds: float, request_timeout: float
) -> QueryPlan:
    """An equal share of the `left` seconds for each of the `engines` still to measure. A run
    times out past `request_timeout`, or sooner so that one query just under its time-out
    (a warm-up and LEAST_RUNS runs) takes at most half of what is left: a slow query on one
    engine, such as a first search that builds an index, may use more than the engine's
    share, which the engines after it then do without."""
    share = max(0.0, left) / max(engines, 1)
    timeout = max(MIN_QUERY_TIMEOUT, max(0.0, left) / (2 * (LEAST_RUNS + 1)))
    return QueryPlan(share, most, query_seconds, min(request_timeout, timeout))


def measure_engine(
    runs: dict[str, Callable[[], int]],
    plan: QueryPlan,
    *,
    clock: Callable[[], float] = time.perf_counter,
    stop: Callable[[], bool] = lambda: False,
    settle: Callable[[], object] | None = None,
) -> dict[str, dict]:
    """Median and p99 of every query on one engine. Each query gets a warm-up and a first
    timed run; the first runs' cost then sets how many runs fit in `plan.seconds` for all
    queries (LEAST_RUNS to `plan.most`; fewer for a query past `plan.query_seconds`). A query
    that fails or times out is reported as such and not run again; before the next run after
    a time-out, `settle()` waits for the engine to be done with it. `stop()` true (the run's
    time limit) ends the runs early: `n` says how many were made, and a query not begun is
    reported skipped."""
    began = clock()
    samples: dict[str, list[float]] = {}
    rows: dict[str, int] = {}
    out: dict[str, dict] = {}
    busy = False  # the engine may still be working on a query that timed out

    def attempt(run: Callable[[], int]) -> tuple[float, int] | dict:
        nonlocal busy
        if busy and settle is not None:
            settle()
        got = _attempt(run, clock)
        busy = isinstance(got, dict) and "timed_out_ms" in got
        return got

    for name, run in runs.items():
        if stop():
            out[name] = {"error": "skipped: the run's time limit was reached"}
            continue
        warm_up = attempt(run)  # not kept: cold caches, an index built on first use
        got = warm_up if isinstance(warm_up, dict) else attempt(run)
        if isinstance(got, dict):
            out[name] = got
        else:
            samples[name], rows[name] = [got[0]], got[1]
    cost = sum(timed[0] for timed in samples.values()) / 1000
    left = plan.seconds - (clock() - began)
    fits = plan.most if cost <= 0 else int(left / cost) + 1
    runs_each = max(LEAST_RUNS, min(plan.most, fits))
    for name, timed in samples.items():
        by_time = int(plan.query_seconds * 1000 / timed[0]) if timed[0] > 0 else plan.most
        wanted = max(LEAST_RUNS, min(runs_each, by_time))
        while len(timed) < wanted and name not in out and not stop():
            got = attempt(runs[name])
            if isinstance(got, dict):
                out[name] = got
            else:
                timed.append(got[0])
        if name not in out:
            out[name] = {**summary(timed), "results": rows[name], "planned": wanted}
    forms = {name: getattr(run, "form", None) for name, run in runs.items()}
    for name, form in forms.items():
        if form and "error" not in out[name]:
            out[name]["form"] = form
    return {name: out[name] for name in runs}


def _attempt(run: Callable[[], int], clock: Callable[[], float]) -> tuple[float, int] | dict:
    """One run: (milliseconds, result rows), or what went wrong."""
    start = clock()
    try:
        rows = run()
    except TimeoutError:
        # A lower bound is still a figure: the engine took at least this long.
        elapsed = (clock() - start) * 1000
        return {"error": f"timed out after {elapsed / 1000:.0f} s", "timed_out_ms": elapsed}
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {exc}"[:300]}
    return (clock() - start) * 1000, rows


def in_process(store: ox.Store, query: str) -> Callable[[], int]:
    def run() -> int:
        return sum(1 for _ in store.query(query))

    return run


def over_http(port: int, endpoint: str, query: str, timeout: float) -> Callable[[], int]:
    how, text = query.form(engine_of(endpoint)) if isinstance(query, Question) else ("", query)
    if text.startswith("/"):
        return _search_api(port, text, timeout, how)
    construct = "CONSTRUCT" in text
    accept = "application/n-triples" if construct else "application/sparql-results+json"
    path = query_path(endpoint, text)

    def run() -> int:
        status, body, _ = http_get(port, path, accept, timeout)
        if status != 200:
            raise RuntimeError(f"HTTP {status}: {body[:200]!r}")
        if construct:
            return sum(1 for line in body.splitlines() if line.strip())
        return len(json.loads(body)["results"]["bindings"])

    run.form = how  # type: ignore[attr-defined]
    return run


def _search_api(port: int, path: str, timeout: float, how: str) -> Callable[[], int]:
    """lodpub's /search.json: the count is every match (the body lists the best 50)."""

    def run() -> int:
        status, body, _ = http_get(port, path, "application/json", timeout)
        if status != 200:
            raise RuntimeError(f"HTTP {status}: {body[:200]!r}")
        return json.loads(body)["totals"]["document"]

    run.form = how  # type: ignore[attr-defined]
    return run


# HTTP load


@dataclass
class Route:
    """Requests of one kind rotating over many resources: paths on one port."""

    name: str
    port: int
    paths: list[str]
    accept: str


_WRK_SCRIPT = """\
local paths = {%s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], {["Accept"] = "%s"})
end
"""


def load(route: Route, seconds: float, work: Path, max_requests: int) -> dict:
    """Requests/s and latency percentiles at concurrency 8, for `seconds`, after a first
    pass that asks for every path once, one at a time (as the query mix has its warm-up):
    the first pass's figures are the cold cost, the load's the steady state."""
    try:
        first = _first_pass(route, deadline=time.perf_counter() + 6 * seconds)
    except (OSError, http.client.HTTPException) as exc:
        # A server still busy with a query that timed out earlier, say.
        return {"error": f"first pass failed: {type(exc).__name__}: {exc}"}
    if "error" in first:
        return first
    if shutil.which("wrk"):
        return _wrk(route, seconds, work) | first
    return _python_load(route, seconds, max_requests) | first


def _first_pass(route: Route, deadline: float) -> dict:
    """Every path once, in order, until `deadline`: total seconds and the slowest request."""
    latencies: list[float] = []
    for path in route.paths:
        if time.perf_counter() >= deadline:
            break
        status, body, elapsed = http_get(route.port, path, route.accept, 60)
        if status != 200:
            return {"error": f"HTTP {status} for {path}: {body[:200]!r}"}
        latencies.append(elapsed * 1000)
    return {
        "first_pass_requests": len(latencies),
        "first_pass_s": sum(latencies) / 1000,
        "first_pass_max_ms": max(latencies),
    }


def _wrk(route: Route, seconds: float, work: Path) -> dict:
    script = work / f"wrk-{route.name}.lua"
    quoted = ", ".join(json.dumps(p) for p in route.paths)
    script.write_text(_WRK_SCRIPT % (quoted, route.accept))
    argv = ["wrk", "-t2", f"-c{CONCURRENCY}", f"-d{max(1, round(seconds))}s", "--latency"]
    argv += ["--timeout", "10s", "-s", str(script), f"http://{HOST}:{route.port}"]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    latency = {
        q: _wrk_ms(m.group(1))
        for q in ("50", "99")
        if (m := re.search(rf"^\s+{q}%\s+(\S+)", out, re.MULTILINE))
    }
    if not rps:
        return {"error": f"wrk printed no result: {out[-300:]}"}
    return {
        "tool": "wrk",
        "requests_per_s": float(rps.group(1)),
        "requests": int(total.group(1)) if total else None,
        "p50_ms": latency.get("50"),
        "p99_ms": latency.get("99"),
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1).strip() if errors else None,
    }


def _wrk_ms(text: str) -> float:
    """wrk's latency text ("3.10ms", "812.00us", "1.02s") in milliseconds."""
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def _python_load(route: Route, seconds: float, max_requests: int) -> dict:
    """Eight threads on keep-alive connections until the time or the count runs out."""
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    counter = iter(range(max_requests))

    def worker() -> None:
        conn = http.client.HTTPConnection(HOST, route.port, timeout=10)
        while time.perf_counter() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            start = time.perf_counter()
            try:
                conn.request(
                    "GET", route.paths[n % len(route.paths)], headers={"Accept": route.accept}
                )
                response = conn.getresponse()
                response.read()
                ok = response.status < 400
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST, route.port, timeout=10)
                ok = False
            with lock:
                latencies.append((time.perf_counter() - start) * 1000)
                failures[0] += not ok
        conn.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 30)
    elapsed = time.perf_counter() - began
    return {
        "tool": "python",
        "requests_per_s": len(latencies) / elapsed,
        "requests": len(latencies),
        "p50_ms": percentile(latencies, 50) if latencies else None,
        "p99_ms": percentile(latencies, 99) if latencies else None,
        "non_2xx": failures[0],
        "socket_errors": None,
    }
