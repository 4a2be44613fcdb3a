"""A published store and running servers for the Linked Data tests.

The store is built once per test process: the seed and a hostile record go through the real
pipeline (`lodpub ingest`), then a hand-written document with dated events
(fixtures/ld/events.trig) and a generated hub (one place mentioned HUB_MENTIONS times) are
published as a second generation. The base URI is http://lodpub.example.org while servers
listen on 127.0.0.1, so every test also checks that links work on another host.
"""

from __future__ import annotations

import atexit
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from functools import cache
from pathlib import Path

import rdflib

import lodpub.store
from backends import Backend
from lodpub.store.generations import publish
from lodpub.web import Settings
from sparql_servers import threaded_server

BASE = "http://lodpub.example.org"
ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "ld"
SEED_KEY = "3a5edd602105b0b3"
HOSTILE_KEY = "hostile-record"
EVENTS_KEY = "ld-events"
HUB_KEY = "ld-hub"
HUB = f"{BASE}/id/place/hub-town"
HUB_MENTIONS = 2100
SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'

BROWSER_ACCEPT = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)


def thing(rest: str) -> str:
    return f"{BASE}/id/{rest}"


@cache
def published_store() -> Path:
    """The store root (a folder of generations) every Linked Data test reads."""
    folder = Path(tempfile.mkdtemp(prefix="lodpub-ld-"))
    atexit.register(shutil.rmtree, folder, True)
    root = folder / "store"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "lodpub",
            "ingest",
            "--store",
            str(root),
            "--base-uri",
            BASE,
            "--reports",
            str(folder / "reports"),
            str(ROOT / "seeds"),
            str(FIXTURES / "hostile.json"),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )

    def build(generation: Path) -> None:
        with lodpub.store.open(f"oxigraph:{generation}") as store:
            events = rdflib.Dataset()
            events.parse(FIXTURES / "events.trig", format="trig")
            store.replace_document(EVENTS_KEY, events)
            store.replace_document(HUB_KEY, hub_document())

    publish(root, build)
    return root


def hub_document() -> rdflib.Dataset:
    """A document mentioning one place HUB_MENTIONS times: a hub whose links need pages."""
    from rdflib import RDF, RDFS, Literal, Namespace, URIRef

    crm = Namespace("http://www.cidoc-crm.org/cidoc-crm/")
    oa = Namespace("http://www.w3.org/ns/oa#")
    doc = f"{BASE}/id/document/{HUB_KEY}"
    word = "Hub Town. "
    dataset = rdflib.Dataset()
    g = dataset.graph(URIRef(f"{doc}/catalogue"))
    text = URIRef(f"{doc}/text/en")
    place = URIRef(HUB)
    g.add((URIRef(doc), RDF.type, crm.E31_Document))
    g.add((URIRef(doc), RDFS.label, Literal("A hub of mentions", lang="en")))
    g.add((URIRef(doc), crm.P73_has_translation, text))
    g.add((text, RDF.type, crm.E33_Linguistic_Object))
    g.add((text, RDFS.label, Literal("Text of the hub", lang="en")))
    g.add((text, crm.P190_has_symbolic_content, Literal(word * HUB_MENTIONS)))
    g.add((place, RDF.type, crm.E53_Place))
    g.add((place, RDFS.label, Literal("Hub Town", lang="en")))
    for n in range(HUB_MENTIONS):
        start, end = n * len(word), n * len(word) + len("Hub Town")
        mention = URIRef(f"{doc}/mention/{start}-{end}")
        target = URIRef(f"{mention}/target")
        selector = URIRef(f"{mention}/selector/position")
        g.add((mention, RDF.type, oa.Annotation))
        g.add((mention, oa.hasBody, place))
        g.add((mention, oa.hasTarget, target))
        g.add((target, oa.hasSource, text))
        g.add((target, oa.hasSelector, selector))
        g.add((selector, RDF.type, oa.TextPositionSelector))
        g.add((selector, oa.start, Literal(start)))
        g.add((selector, oa.end, Literal(end)))
    return dataset


@contextmanager
def ld_server(backend: Backend | None = None, **settings: object) -> Iterator[str]:
    """The app on werkzeug's threaded server over the published store (or, given a backend,
    that backend's copy of it); yields its root URL."""
    with ExitStack() as stack:
        store = str(published_store())
        if backend is not None and "store" not in settings:
            store = stack.enter_context(backend.serving(published_store()))
        values = {"store": store, "base_uri": BASE, **settings}
        endpoint = stack.enter_context(threaded_server(Settings(**values)))
        yield endpoint.removesuffix("/sparql")
