"""The SPARQL servers the benchmark compares: lodpub itself and its peers, each started on a
free 127.0.0.1 port, recorded by process id, measured, and stopped by that id.

A peer whose program is missing or that fails to load or start raises `Missing` with the
reason; the harness reports it as missing instead of dropping it.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
BENCH = Path(__file__).resolve().parent
PEERS_VENV = BENCH / ".peers" / "venv"
PEER_PACKAGES = ("oxigraph", "rdflib-endpoint")
VIRTUOSO_GRAPH = "urn:x-lodpub:bench"
READY_PROBE = "ASK { ?s ?p ?o }"
LODPUB_ENDPOINT = "/sparql"
VIRTUOSO_ENDPOINT = "/sparql?" + urllib.parse.urlencode({"default-graph-uri": VIRTUOSO_GRAPH})
OXIGRAPH_ENDPOINT = "/query"
RDFLIB_ENDPOINT = "/"
ENDPOINTS = {
    LODPUB_ENDPOINT: "lodpub",
    VIRTUOSO_ENDPOINT: "virtuoso",
    OXIGRAPH_ENDPOINT: "oxigraph",
    RDFLIB_ENDPOINT: "rdflib-endpoint",
}


class Missing(Exception):
    """A peer that cannot be installed, loaded or started; the message says why."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (gunicorn workers, uvicorn): the
    sum of their proportional set sizes (PSS), so that pages a forked worker still shares
    with its parent count once, as they are held once; VmRSS where PSS is not available."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    total_kb, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            total_kb += _resident_kb(current)
        except OSError:
            continue
        todo.extend(children.get(current, []))
    return total_kb / 1024


def _resident_kb(pid: int) -> int:
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        wanted = "Pss:"
    except OSError:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
        wanted = "VmRSS:"
    return sum(int(line.split()[1]) for line in lines if line.startswith(wanted))


def http_get(port: int, path: str, accept: str, timeout: float = 60.0) -> tuple[int, bytes, float]:
    """One GET on a fresh connection: status, body, seconds until the body was read."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    start = time.perf_counter()
    try:
        conn.request("GET", path, headers={"Accept": accept})
        response = conn.getresponse()
        body = response.read()
        return response.status, body, time.perf_counter() - start
    finally:
        conn.close()


def query_path(endpoint: str, query: str) -> str:
    """`endpoint` may carry parameters already (Virtuoso's default-graph-uri)."""
    joiner = "&" if "?" in endpoint else "?"
    return f"{endpoint}{joiner}{urllib.parse.urlencode({'query': query})}"


@dataclass
class Server:
    """A running SPARQL server; `endpoint` is the path its queries go to."""

    name: str
    process: subprocess.Popen
    port: int
    endpoint: str
    log: Path
    startup_s: float = 0.0
    load_s: float | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def rss_mb(self) -> float:
        return tree_rss_mb(self.pid)

    def wait_ready(self, started: float, timeout: float) -> float:
        """Seconds from `started` until the endpoint answered a query; Missing on timeout."""
        path = query_path(self.endpoint, READY_PROBE)
        deadline = started + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise Missing(f"{self.name} exited with {self.process.returncode}: {self.tail()}")
            try:
                status, _, _ = http_get(self.port, path, "application/sparql-results+json", 5)
            except (OSError, http.client.HTTPException):
                status = None
            if status == 200:
                return time.perf_counter() - started
            # Up but refusing the query (a wrong path, say): waiting will not help.
            if status is not None and 400 <= status < 500:
                raise Missing(f"{self.name} answered HTTP {status} at {self.endpoint}")
            time.sleep(0.02)
        raise Missing(f"{self.name} did not answer within {timeout:.0f} s: {self.tail()}")

    def tail(self) -> str:
        try:
            return " | ".join(self.log.read_text(errors="replace").strip().splitlines()[-3:])
        except OSError:
            return "no log"

    def stop(self) -> None:
        """Stop the process group this harness started for the server (its own session)."""
        if self.process.poll() is None:
            os.killpg(self.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.process.wait(5)


def launch(argv: list[str], log: Path, *, cwd: Path | None = None) -> subprocess.Popen:
    """Start a server in its own session so that stopping it reaches its workers too."""
    with log.open("ab") as out:
        return subprocess.Popen(
            argv, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, start_new_session=True
        )


def start_and_wait(
    name: str,
    argv: list[str],
    port: int,
    endpoint: str,
    log: Path,
    timeout: float,
    *,
    cwd: Path | None = None,
) -> Server:
    started = time.perf_counter()
    server = Server(name, launch(argv, log, cwd=cwd), port, endpoint, log)
    try:
        server.startup_s = server.wait_ready(started, timeout)
    except Missing:
        server.stop()
        raise
    return server


# lodpub


def engine_of(endpoint: str) -> str:
    """Which engine a query endpoint path belongs to (each peer has its own)."""
    return ENDPOINTS[endpoint]


def start_lodpub(store: Path, work: Path, base_uri: str, timeout: float) -> Server:
    """Serve the store bench/ingest.py wrote (its publish-time work is in the ingest's time)."""
    lodpub = Path(sys.executable).with_name("lodpub")
    port = free_port()
    argv = [str(lodpub), "serve", "--store", str(store), "--host", HOST, "--port", str(port)]
    argv += ["--base-uri", base_uri]
    log = work / "lodpub.log"
    return start_and_wait("lodpub", argv, port, LODPUB_ENDPOINT, log, timeout)


def wait_for_dumps(server: Server, timeout: float) -> float:
    """Ask lodpub for /dumps/ until they are ready (its first Linked Data request starts
    writing the dumps of the store's version): work a server does once per publish, not per
    request, so the load is measured after it. Returns the seconds waited."""
    began = time.perf_counter()
    while time.perf_counter() < began + timeout:
        status, _, _ = http_get(server.port, "/dumps/", "text/html", timeout)
        if status == 200:
            break
        time.sleep(1)
    return time.perf_counter() - began


def fetch_dump(server: Server, name: str, out: Path, timeout: float) -> float:
    """Download lodpub's /dumps/{name} into `out` (through a .part file); the seconds taken."""
    began = time.perf_counter()
    partial = out.with_name(out.name + ".part")
    conn = http.client.HTTPConnection(HOST, server.port, timeout=timeout)
    try:
        conn.request("GET", f"/dumps/{name}")
        response = conn.getresponse()
        if response.status != 200:
            raise Missing(f"lodpub answered HTTP {response.status} for /dumps/{name}")
        with partial.open("wb") as fp:
            shutil.copyfileobj(response, fp, 1 << 20)
    finally:
        conn.close()
    partial.replace(out)
    return time.perf_counter() - began


# peers installed with pip into bench/.peers/venv


def ensure_peer_venv(install: bool, timeout: float) -> None:
    """Create bench/.peers/venv with the pip-installed peers (kept out of lodpub's venv)."""
    wanted = [PEERS_VENV / "bin" / "oxigraph", PEERS_VENV / "bin" / "rdflib-endpoint"]
    if all(path.exists() for path in wanted) or not install:
        return
    try:
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True, timeout=timeout)
        subprocess.run(
            [str(PEERS_VENV / "bin" / "pip"), "install", "--quiet", *PEER_PACKAGES],
            check=True,
            timeout=timeout,
        )
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"bench: could not install {', '.join(PEER_PACKAGES)}: {exc}", file=sys.stderr)


def _peer_program(name: str) -> Path:
    program = PEERS_VENV / "bin" / name
    if not program.exists():
        raise Missing(f"{name} is not installed in {PEERS_VENV} (pip install {name})")
    return program


def oxigraph_location(work: Path) -> Path:
    """Where the Oxigraph server's store is loaded."""
    return work / "oxigraph-db"


def start_oxigraph(data: Path, work: Path, timeout: float) -> Server:
    """`oxigraph load` the data into a fresh on-disk store, then serve it read-only."""
    program = _peer_program("oxigraph")
    location = oxigraph_location(work)
    shutil.rmtree(location, ignore_errors=True)
    log = work / "oxigraph.log"
    began = time.perf_counter()
    loaded = subprocess.run(
        [str(program), "load", "--location", str(location), "--file", str(data)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    load_s = time.perf_counter() - began
    if loaded.returncode:
        raise Missing(f"oxigraph load failed: {loaded.stderr.strip()[-300:]}")
    port = free_port()
    argv = [str(program), "serve-read-only", "--location", str(location)]
    argv += ["--bind", f"{HOST}:{port}"]
    server = start_and_wait("oxigraph", argv, port, OXIGRAPH_ENDPOINT, log, timeout)
    server.load_s = load_s
    return server


def start_rdflib_endpoint(data: Path, work: Path, timeout: float) -> Server:
    """rdflib-endpoint parses the whole file into memory before it answers."""
    program = _peer_program("rdflib-endpoint")
    port = free_port()
    argv = [str(program), "serve", str(data), "--host", HOST, "--port", str(port)]
    log = work / "rdflib-endpoint.log"
    return start_and_wait("rdflib-endpoint", argv, port, RDFLIB_ENDPOINT, log, timeout)


# Virtuoso open-source (Debian's virtuoso-opensource)

_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = {host}:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 20
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {dir}
ThreadsPerQuery = 4
MaxQueryMem = 2G
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000

[HTTPServer]
ServerPort = {host}:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 20
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 120
"""


def _virtuoso_ini(folder: Path) -> tuple[Path, int, int]:
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    text = _VIRTUOSO_INI.format(dir=folder, host=HOST, sql_port=sql_port, http_port=http_port)
    ini.write_text(text)
    return ini, sql_port, http_port


def _virtuoso(ini: Path, http_port: int, folder: Path, timeout: float) -> Server:
    # Without a default graph Virtuoso's queries also see its own system graphs.
    return start_and_wait(
        "virtuoso",
        ["virtuoso-t", "-f", "-c", str(ini)],
        http_port,
        VIRTUOSO_ENDPOINT,
        folder / "virtuoso.out",
        timeout,
        cwd=folder,
    )


def start_virtuoso(data: Path, work: Path, timeout: float) -> Server:
    """Bulk-load the data with isql (ld_dir + rdf_loader_run + checkpoint) and index its
    literals for free-text search (bif:contains), restart the server and time its first
    answer with the data in place."""
    if shutil.which("virtuoso-t") is None or shutil.which("isql-vt") is None:
        raise Missing("virtuoso-t / isql-vt not found (apt-get install -y virtuoso-opensource)")
    folder = (work / "virtuoso").resolve()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    try:  # the same bytes without copying them (600 MB at 10k)
        os.link(data, folder / data.name)
    except OSError:
        shutil.copy(data, folder / data.name)
    ini, sql_port, http_port = _virtuoso_ini(folder)
    server = _virtuoso(ini, http_port, folder, timeout)
    try:
        began = time.perf_counter()
        load = (
            "DB.DBA.RDF_OBJ_FT_RULE_ADD(null, null, 'All'); "
            f"ld_dir('{folder}', '{data.name}', '{VIRTUOSO_GRAPH}'); rdf_loader_run(); "
            "DB.DBA.VT_INC_INDEX_DB_DBA_RDF_OBJ(); checkpoint;"
        )
        loaded = subprocess.run(
            ["isql-vt", f"{HOST}:{sql_port}", "dba", "dba", f"exec={load}"],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        load_s = time.perf_counter() - began
        if loaded.returncode or "Error" in loaded.stdout + loaded.stderr:
            raise Missing(f"virtuoso bulk load failed: {(loaded.stdout + loaded.stderr)[-300:]}")
    finally:
        server.stop()
    server = _virtuoso(ini, http_port, folder, timeout)
    server.load_s = load_s
    return server
