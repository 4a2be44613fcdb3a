"""The remote store on real engines (Oxigraph server, Virtuoso): the same content, meaning and
version as the embedded store, with the seed and with small documents."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef

import lodpub.store
from lodpub.store import StoreError
from lodpub.store.remote import RemoteStore
from lodpub.store.sparql_client import RemoteUnavailable
from lodpub.store.statistics import STATISTICS_GRAPH
from remote_engines import VIRTUOSO_USER, oxigraph_server, restart, stop, virtuoso_server

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
XSD = "http://www.w3.org/2001/XMLSchema#"
BASE = "http://127.0.0.1:8080/id/document"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LODPUB_")}
    # Virtuoso's administrator, for its update endpoints; the Oxigraph server asks for none.
    environment.update(VIRTUOSO_USER)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "lodpub", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        timeout=600,
    )


def quads(nquads: bytes) -> set[ox.Quad]:
    return {_oxigraph_number(q) for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS)}


def turtle(text: str) -> set[ox.Quad]:
    parsed = ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)
    return {_oxigraph_number(ox.Quad(t.subject, t.predicate, t.object)) for t in parsed}


_NON_NEGATIVE = ox.NamedNode(XSD + "nonNegativeInteger")


def _oxigraph_number(quad: ox.Quad) -> ox.Quad:
    """Oxigraph 0.5 (embedded and server) returns an xsd:nonNegativeInteger as xsd:integer;
    Virtuoso keeps the datatype written. Compared as Oxigraph gives them."""
    value = quad.object
    if isinstance(value, ox.Literal) and value.datatype == _NON_NEGATIVE:
        value = ox.Literal(value.value, datatype=ox.NamedNode(XSD + "integer"))
        return ox.Quad(quad.subject, quad.predicate, value, quad.graph_name)
    return quad


ENGINES = {"oxigraph": oxigraph_server, "virtuoso": virtuoso_server}


@pytest.fixture(params=ENGINES)
def engine(request, tmp_path, monkeypatch):
    for name, value in VIRTUOSO_USER.items():
        monkeypatch.setenv(name, value)
    with ENGINES[request.param](tmp_path) as running:
        yield running


@pytest.fixture(scope="module", params=ENGINES)
def seeded(request, tmp_path_factory):
    """The seed ingested into an engine and into an embedded store."""
    folder = tmp_path_factory.mktemp("remote")
    with ENGINES[request.param](folder) as running:
        reports = str(folder / "reports")
        remote = run("ingest", "--store", running.url, "--reports", reports, str(SEEDS))
        embedded = folder / "embedded"
        local = run("ingest", "--store", str(embedded), "--reports", reports, str(SEEDS))
        assert local.returncode == 0, local.stderr
        yield running, remote, embedded


def doc(key: str, *triples: tuple) -> Dataset:
    dataset = Dataset()
    graph = dataset.graph(URIRef(f"{BASE}/{key}/claims"))
    for triple in triples:
        graph.add(triple)
    return dataset


SHARED = (URIRef("http://example.org/e"), URIRef("http://example.org/p"), Literal("shared"))


def count(store, triple) -> int:
    s, p, o = (
        ox.NamedNode(str(t)) if isinstance(t, URIRef) else ox.Literal(str(t)) for t in triple
    )
    results = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {s} {p} {o} }}")
    return int(next(iter(results))["n"].value)


def test_ingest_into_the_engine_exports_what_embedded_exports(seeded):
    engine, remote, embedded = seeded
    assert remote.returncode == 0, remote.stderr
    assert "1 documents" in remote.stdout
    exported = run("export", "--store", engine.url, "--format", "nquads")
    local = run("export", "--store", str(embedded), "--format", "nquads")
    assert exported.returncode == 0, exported.stderr
    assert quads(exported.stdout.encode()) == quads(local.stdout.encode())
    assert len(quads(local.stdout.encode())) > 5000


def test_the_merged_default_graph_and_version_equal_the_embedded_ones(seeded):
    engine, _, embedded = seeded
    merged = run("export", "--store", engine.url, "--format", "ttl")
    local = run("export", "--store", str(embedded), "--format", "ttl")
    assert turtle(merged.stdout) == turtle(local.stdout)
    remote_stats = run("stats", "--store", engine.url, "--format", "json")
    local_stats = run("stats", "--store", str(embedded), "--format", "json")
    assert remote_stats.returncode == 0, remote_stats.stderr
    assert remote_stats.stdout == local_stats.stdout  # counts, entities and version


def test_queries_answer_as_on_the_embedded_store(seeded):
    engine, _, embedded = seeded
    for query in (
        "examples/queries/mentions.rq",
        "examples/queries/groups-and-places.rq",
        "examples/queries/counts.rq",
        "examples/queries/graphs.rq",
        "SELECT ?l (LANG(?l) AS ?t) WHERE { ?s rdfs:label ?l } ORDER BY ?l",
        "ASK { GRAPH ?g { ?s a crm:E21_Person } }",
    ):
        remote = run("query", "--store", engine.url, "--format", "csv", query)
        local = run("query", "--store", str(embedded), "--format", "csv", query)
        assert remote.returncode == 0, remote.stderr
        assert sorted(remote.stdout.splitlines()) == sorted(published(local.stdout))


def published(csv: str) -> list[str]:
    """The rows of an embedded store's answer an engine also holds: engines get no
    statistics graph (README, Scaling out)."""
    return [line for line in csv.splitlines() if STATISTICS_GRAPH not in line]


def test_describe_gives_the_embedded_triples(seeded):
    engine, _, embedded = seeded
    query = "DESCRIBE <http://127.0.0.1:8080/id/person/kim-il-sung>"
    remote = run("query", "--store", engine.url, "--format", "ttl", query)
    local = run("query", "--store", str(embedded), "--format", "ttl", query)
    assert turtle(remote.stdout) == turtle(local.stdout) != set()


def test_reingesting_is_idempotent(seeded, tmp_path):
    engine, _, _ = seeded
    before = run("export", "--store", engine.url, "--format", "nquads").stdout
    version = run("stats", "--store", engine.url, "--format", "json").stdout
    again = run("ingest", "--store", engine.url, "--reports", str(tmp_path), str(SEEDS))
    assert again.returncode == 0, again.stderr
    assert quads(run("export", "--store", engine.url, "--format", "nquads").stdout.encode()) == (
        quads(before.encode())
    )
    assert run("stats", "--store", engine.url, "--format", "json").stdout == version


def test_a_triple_held_by_two_documents_counts_once_and_leaves_with_the_last(engine):
    store = lodpub.store.open(engine.url)
    assert isinstance(store, RemoteStore)
    store.replace_document("a", doc("a", SHARED))
    store.replace_document("b", doc("b", SHARED))
    assert count(store, SHARED) == 1
    assert store.documents() == ["a", "b"]
    store.remove_document("a")
    assert count(store, SHARED) == 1
    store.remove_document("b")
    assert count(store, SHARED) == 0
    assert store.documents() == []


def test_language_tags_and_datatypes_round_trip_as_on_the_embedded_store(engine):
    # One property each: Virtuoso 7.2 holds a date and a dateTime of the same instant on the
    # same subject and property as one value (docs/scaling.md).
    triples = [
        (URIRef("http://example.org/s"), URIRef(f"http://example.org/p{number}"), literal)
        for number, literal in enumerate(
            (
                Literal("Pak Hon-yong", lang="ko-Latn"),
                Literal("1946-07-01", datatype=URIRef(XSD + "date")),
                Literal("1946-07-01T00:00:00", datatype=URIRef(XSD + "dateTime")),
                Literal("2.50", datatype=URIRef(XSD + "decimal")),
                Literal('line\nbreak "quoted" ☃'),
            )
        )
    ]
    remote, embedded = lodpub.store.open(engine.url), lodpub.store.open("memory:")
    outputs = []
    for store in (remote, embedded):
        store.replace_document("lit", doc("lit", *triples))
        out = io.BytesIO()
        store.export("nquads", out)
        outputs.append(quads(out.getvalue()))
    assert outputs[0] == outputs[1]
    assert remote.version() == embedded.version()


def test_pattern_lookups_equal_the_embedded_ones(seeded):
    engine, _, embedded = seeded
    remote = lodpub.store.open(engine.url, read_only=True).oxigraph
    local = lodpub.store.open(f"oxigraph:{embedded}/LIVE", read_only=True).oxigraph
    person = ox.NamedNode("http://127.0.0.1:8080/id/person/kim-il-sung")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    for pattern in (
        (person, None, None, ox.DefaultGraph()),
        (None, None, person, ox.DefaultGraph()),
        (person, label, None, None),
        (None, label, None, ox.NamedNode("http://127.0.0.1:8080/graph/authorities")),
    ):
        assert set(remote.quads_for_pattern(*pattern)) == set(local.quads_for_pattern(*pattern))
    statistics = ox.NamedNode(STATISTICS_GRAPH)
    assert set(remote.named_graphs()) == set(local.named_graphs()) - {statistics}
    assert remote.contains_named_graph(ox.NamedNode("http://127.0.0.1:8080/graph/authorities"))


def test_a_failing_update_request_changes_nothing_on_oxigraph_and_keeps_its_start_on_virtuoso(
    engine,
):
    """The Oxigraph server applies one update request in one transaction: the atomicity
    `replace_document` relies on. Virtuoso 7.2 keeps what the operations before the failing
    one did: why lodpub writes the manifest last there (docs/scaling.md)."""
    store = lodpub.store.open(engine.url)
    store.replace_document("a", doc("a", SHARED))
    before, version = io.BytesIO(), store.version()
    store.export("nquads", before)
    with pytest.raises(StoreError, match="refused"):
        store.client.update(
            f"DROP SILENT GRAPH <{BASE}/a/claims> ; "
            "INSERT DATA { GRAPH <urn:x-test> { <urn:x> <urn:y> <urn:z> } } ; "
            "DROP GRAPH <urn:x-lodpub:missing>"
        )
    after = io.BytesIO()
    store.export("nquads", after)
    inserted = list(store.oxigraph.quads_for_pattern(ox.NamedNode("urn:x"), None, None, None))
    if engine.name == "oxigraph":
        assert quads(after.getvalue()) == quads(before.getvalue())
        assert inserted == []
    else:
        assert not any(q.graph_name.value.endswith("/a/claims") for q in quads(after.getvalue()))
        assert [q.graph_name.value for q in inserted] == ["urn:x-test"]
    assert store.version() == version  # the manifest was not touched


def test_a_dump_of_the_embedded_store_loads_into_the_engine_as_into_a_new_embedded_one(
    seeded, tmp_path
):
    """Moving to a remote engine: export -> load gives the content and version a reload into
    a new embedded store gives."""
    _, _, embedded = seeded
    dump = tmp_path / "dump.nq"
    exported = run("export", "--store", str(embedded), "--format", "nquads", "-o", str(dump))
    assert exported.returncode == 0, exported.stderr
    reloaded = tmp_path / "reloaded"
    assert run("load", "--store", str(reloaded), str(dump)).returncode == 0
    with ENGINES[seeded[0].name](tmp_path) as other:
        loaded = run("load", "--store", other.url, str(dump))
        assert loaded.returncode == 0, loaded.stderr
        stats = run("stats", "--store", other.url, "--format", "json").stdout
        merged = run("export", "--store", other.url, "--format", "ttl").stdout
        again = run("load", "--store", other.url, str(dump))
    assert stats == run("stats", "--store", str(reloaded), "--format", "json").stdout
    local = run("export", "--store", str(reloaded), "--format", "ttl").stdout
    assert turtle(merged) == turtle(local)
    assert again.returncode == 1 and "not empty" in again.stderr


def test_malformed_query_is_refused_with_line_and_column(engine):
    result = run("query", "--store", engine.url, "SELECT * WHERE { ?s ?p }")
    assert result.returncode == 1
    assert "malformed query" in result.stderr and "1:" in result.stderr


@pytest.mark.parametrize("name", ENGINES)
def test_a_store_that_is_down_is_exit_1_naming_its_url_and_recovered_from(
    name, tmp_path, monkeypatch
):
    for variable, value in VIRTUOSO_USER.items():
        monkeypatch.setenv(variable, value)
    with ENGINES[name](tmp_path) as engine:
        store = lodpub.store.open(engine.url)
        store.replace_document("a", doc("a", SHARED))
        stop(engine.process)
        secret = {"LODPUB_STORE_USER": "editor", "LODPUB_STORE_PASSWORD": "s3cret-pw"}
        for command in ("stats", "export --format nquads", "query ASK{}"):
            down = run(*command.split(), "--store", engine.url, env=secret)
            assert down.returncode == 1
            assert engine.query_url in down.stderr and "unavailable" in down.stderr
            assert "s3cret-pw" not in down.stderr + down.stdout
            assert "Traceback" not in down.stderr
        with pytest.raises(RemoteUnavailable):
            store.documents()
        restart(engine, tmp_path)
        assert store.documents() == ["a"]  # the same store object, once the engine is back


def test_credentials_in_the_url_are_refused_without_echoing_them():
    result = run("stats", "--store", "sparql+http://dba:pa55word@127.0.0.1:9/query")
    assert result.returncode == 1
    assert "LODPUB_STORE_USER" in result.stderr
    assert "pa55word" not in result.stderr


def test_endpoints_are_derived_or_given(monkeypatch):
    from lodpub.store.sparql_client import endpoints

    oxigraph = endpoints("sparql+http://h:7878/query")
    assert (oxigraph.query, oxigraph.update, oxigraph.gsp) == (
        "http://h:7878/query",
        "http://h:7878/update",
        "http://h:7878/store",
    )
    virtuoso = endpoints("sparql+https://h/sparql")
    assert (virtuoso.update, virtuoso.gsp) == (
        "https://h/sparql-auth",
        "https://h/sparql-graph-crud-auth",
    )
    monkeypatch.setenv("LODPUB_STORE_UPDATE", "http://h/u")
    assert endpoints("sparql+http://h/q").update == "http://h/u"
    monkeypatch.delenv("LODPUB_STORE_UPDATE")
    assert endpoints("sparql+http://h/q").update is None


def test_a_store_without_an_update_endpoint_says_which_option_to_give(engine):
    from lodpub.store.sparql_client import Endpoints, SparqlClient

    client = SparqlClient(Endpoints(engine.query_url, None, None))
    store = RemoteStore(client, location=engine.query_url, read_only=False)
    with pytest.raises(StoreError, match="--store-update"):
        store.replace_document("a", doc("a", SHARED))
    assert store.documents() == []


def test_the_update_endpoint_option_overrides_the_derived_one(tmp_path):
    with oxigraph_server(tmp_path) as engine:
        elsewhere = "http://127.0.0.1:9/update"
        given = run(
            "ingest",
            "--store",
            engine.url,
            "--store-update",
            elsewhere,
            "--reports",
            str(tmp_path),
            str(SEEDS),
        )
        assert given.returncode == 1
        assert f"{elsewhere} is unavailable" in given.stderr
        derived = run("ingest", "--store", engine.url, "--reports", str(tmp_path), str(SEEDS))
        assert derived.returncode == 0, derived.stderr
