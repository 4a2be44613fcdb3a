"""Real SPARQL engines for the remote-store tests, each on 127.0.0.1 with a temporary database.

An engine that is not installed skips its tests with a reason, unless LODPUB_REQUIRE_ENGINES is
set (CI), where it fails them.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

REQUIRE = "LODPUB_REQUIRE_ENGINES"
OXIGRAPH = Path(sys.executable).with_name("oxigraph")


@dataclass
class Engine:
    """A running engine: its store URL for lodpub, and the environment lodpub needs for it."""

    name: str
    url: str
    env: dict[str, str]
    process: subprocess.Popen
    restart: list[str]

    @property
    def query_url(self) -> str:
        return self.url.removeprefix("sparql+")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def missing(what: str) -> None:
    """Skip (or fail, under LODPUB_REQUIRE_ENGINES) for an engine that is not installed."""
    message = f"{what} is not installed (CI sets {REQUIRE} and installs it: .ci/run)"
    if os.environ.get(REQUIRE):
        pytest.fail(message)
    pytest.skip(message)


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the engine exited with {process.returncode}")
        try:
            requests.get(url, params={"query": "ASK {}"}, timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def oxigraph_command(location: Path, port: int) -> list[str]:
    return [str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[Engine]:
    """The Oxigraph server (PyPI `oxigraph`) on a free port over a database in `folder`."""
    if not OXIGRAPH.exists():
        missing("the Oxigraph server (`pip install oxigraph`)")
    port = free_port()
    command = oxigraph_command(folder / "oxigraph", port)
    log = open(folder / "oxigraph.log", "wb")  # noqa: SIM115 - closed after the server
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    engine = Engine("oxigraph", f"sparql+http://127.0.0.1:{port}/query", {}, process, command)
    try:
        wait_until_up(engine.query_url, process)
        yield engine
    finally:
        stop(engine.process)
        log.close()


def restart(engine: Engine, folder: Path) -> None:
    """Start a stopped engine again with the same command and database."""
    log = open(folder / f"{engine.name}.log", "ab")  # noqa: SIM115 - the process keeps it
    cwd = folder / engine.name if engine.name == "virtuoso" else None
    engine.process = subprocess.Popen(engine.restart, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    wait_until_up(engine.query_url, engine.process)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {db}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CaseMode = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 300
MaxQueryCostEstimationTime = 400
"""
# A new database's administrator; /sparql-auth takes updates from it with digest auth.
VIRTUOSO_USER = {"LODPUB_STORE_USER": "dba", "LODPUB_STORE_PASSWORD": "dba"}


@contextmanager
def virtuoso_server(folder: Path) -> Iterator[Engine]:
    """Virtuoso Open-Source (Debian's virtuoso-opensource) on free ports, database in `folder`."""
    program = shutil.which("virtuoso-t")
    if program is None:
        missing("Virtuoso (`apt-get install virtuoso-opensource`)")
    db = folder / "virtuoso"
    db.mkdir(parents=True, exist_ok=True)
    http_port = free_port()
    ini = db / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(db=db, sql_port=free_port(), http_port=http_port))
    command = [program, "-f", "-c", str(ini)]
    log = open(folder / "virtuoso.log", "wb")  # noqa: SIM115 - closed after the server
    process = subprocess.Popen(command, cwd=db, stdout=log, stderr=subprocess.STDOUT)
    url = f"sparql+http://127.0.0.1:{http_port}/sparql"
    engine = Engine("virtuoso", url, dict(VIRTUOSO_USER), process, command)
    try:
        wait_until_up(engine.query_url, process)
        yield engine
    finally:
        stop(engine.process)
        log.close()
