"""Real servers for the SPARQL tests: `lodpub serve` in a subprocess, or werkzeug in a thread."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import requests
from werkzeug.serving import make_server

import lodpub.store
from lodpub.store.generations import publish
from lodpub.web import Settings, create_app

FIXTURES = Path(__file__).parent / "fixtures" / "sparql"
SAMPLE = FIXTURES / "sample.trig"

# `lodpub serve`, as its own process.
SERVE = [sys.executable, "-m", "lodpub", "serve"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def publish_quads(root: Path, quads: Iterable[ox.Quad]) -> Path:
    """Publish a new generation holding exactly `quads` (a W3C test's dataset, written as is:
    its default graph is its own, not the merge lodpub keeps) under the store root."""

    def build(folder: Path) -> None:
        store = ox.Store(str(folder))
        store.extend(quads)
        store.flush()

    return publish(root, build, start_from_live=False)


def publish_file(root: Path, path: Path = SAMPLE) -> Path:
    """Publish a new generation holding the named graphs of a TriG file, loaded as lodpub
    loads a dump (default graph = their merge, manifest)."""

    def build(folder: Path) -> None:
        with lodpub.store.open(f"oxigraph:{folder}") as store:
            store.load_dump(path, "trig")

    return publish(root, build, start_from_live=False)


def _wait_until_up(url: str, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            requests.get(url, timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError(f"server at {url} did not come up")


@contextmanager
def lodpub_serve(store: Path, *flags: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run `lodpub serve --store STORE FLAGS` on a free port; yields the endpoint URL."""
    port = free_port()
    command = [*SERVE, "--store", str(store), "--port", str(port), *flags]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LODPUB_")}
    environment.update(env or {})
    endpoint = f"http://127.0.0.1:{port}/sparql"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT)
        try:
            try:
                _wait_until_up(endpoint, process)
            except RuntimeError as exc:
                log.seek(0)
                raise RuntimeError(f"{exc}:\n{log.read().decode(errors='replace')}") from None
            yield endpoint
        finally:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def threaded_server(settings: Settings) -> Iterator[str]:
    """The app under werkzeug's threaded WSGI server in this process; yields the endpoint URL."""
    server = make_server("127.0.0.1", 0, create_app(settings), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    endpoint = f"http://127.0.0.1:{server.server_port}/sparql"
    try:
        _wait_until_up(endpoint)
        yield endpoint
    finally:
        server.shutdown()
        thread.join()
