"""The dataset describes itself: VoID + DCAT at `/.well-known/void` and `/dataset`.

Content-negotiated (HTML page or RDF); each format also at `/dataset.{html,ttl,jsonld,rdf,nt}`.
Counts come from the statistics graph written at publish (lodpub.store.statistics) when it
describes the served version, else from two grouped SPARQL queries run once per version;
the graphs and their sizes from the store's manifest; the dumps from `/dumps/` with their
sizes and SHA-256 checksums. The dataset's IRI is `{base}/.well-known/void#dataset`; links to
the endpoint and the dumps are URLs on the host the client used.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Response

from lodpub.store import statistics as published_statistics
from lodpub.store.manifest import MANIFEST_GRAPH, TRIPLES
from lodpub.vocab import CRM, DCAT, DCTERMS, OA, PROV, RDFS, SKOS, VOID, XSD
from lodpub.web.conneg import HTML, Format
from lodpub.web.graph_view import LABEL, TYPE, GraphView
from lodpub.web.kinds import things_by_kind, title_of
from lodpub.web.refs import ref
from lodpub.web.render import (
    DESCRIPTION_FORMATS,
    EXTENSIONS,
    RDF_FORMATS,
    Alternate,
    absolute,
    alternates_for,
    error,
    extension,
    ld,
    negotiate,
    not_acceptable,
    page,
    respond,
    serialize,
)

bp = Blueprint("dataset", __name__)

SPDX = "http://spdx.org/rdf/terms#"
# Over the store's default graph: the merge of the data graphs, each triple once.
_CLASSES = """SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY ?class"""
_PROPERTIES = """SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"""
VOCABULARIES = (CRM, OA, PROV, SKOS, RDFS, DCTERMS)


@dataclass(frozen=True)
class Statistics:
    triples: int
    classes: list[tuple[str, int]]
    properties: list[tuple[str, int]]
    graphs: list[tuple[str, int]]
    published: str | None = None  # the statistics graph the counts were read from


def statistics(view: GraphView) -> Statistics:
    return view.memo("void-statistics", lambda: _statistics(view))


def _statistics(view: GraphView) -> Statistics:
    stored = published_statistics.read(view.store, view.version)
    if stored is not None:
        classes, properties = stored.classes, stored.properties
    else:
        classes = [(r["class"].value, int(r["n"].value)) for r in view.store.query(_CLASSES)]
        properties = [(r["p"].value, int(r["n"].value)) for r in view.store.query(_PROPERTIES)]
    manifest = ox.NamedNode(MANIFEST_GRAPH)
    sizes = {
        q.subject.value: int(q.object.value)
        for q in view.store.quads_for_pattern(None, ox.NamedNode(TRIPLES), None, manifest)
        if q.subject != manifest
    }
    graphs = []
    for name in view.store.named_graphs():
        if (
            isinstance(name, ox.NamedNode)
            and name != manifest
            and not published_statistics.is_statistics_graph(name.value)
        ):
            size = sizes.get(name.value)
            if size is None:
                size = sum(1 for _ in view.store.quads_for_pattern(None, None, None, name))
            graphs.append((name.value, size))
    graphs.sort()
    published = None
    if stored is not None:
        published = published_statistics.STATISTICS_GRAPH
    return Statistics(sum(n for _, n in properties), classes, properties, graphs, published)


def _n(p: object) -> ox.NamedNode:
    return ox.NamedNode(str(p))


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(XSD.integer))


def void_triples(view: GraphView) -> list[ox.Triple]:
    """The VoID/DCAT description of the dataset served from the client's host."""
    shared = ld()
    settings = shared.settings
    stats = statistics(view)
    dataset = ox.NamedNode(shared.dataset_iri)
    t = [
        ox.Triple(dataset, TYPE, _n(VOID.Dataset)),
        ox.Triple(dataset, TYPE, _n(DCAT.Dataset)),
        ox.Triple(dataset, _n(DCTERMS.title), ox.Literal(settings.dataset_title, language="en")),
        ox.Triple(dataset, LABEL, ox.Literal(settings.dataset_title, language="en")),
        ox.Triple(
            dataset,
            _n(DCTERMS.description),
            ox.Literal(
                "Archival documents published by lodpub as a CIDOC-CRM knowledge graph: every "
                "person, group, place, date and event backed by the passage it comes from.",
                language="en",
            ),
        ),
        ox.Triple(dataset, _n(DCTERMS.license), ox.NamedNode(settings.dataset_license)),
        ox.Triple(dataset, _n(VOID.sparqlEndpoint), ox.NamedNode(absolute("/sparql"))),
        ox.Triple(dataset, _n(VOID.uriSpace), ox.Literal(f"{settings.base_uri}/id/")),
        ox.Triple(dataset, _n(VOID.rootResource), ox.NamedNode(absolute("/"))),
        ox.Triple(dataset, _n(VOID.triples), _integer(stats.triples)),
        ox.Triple(dataset, _n(VOID.classes), _integer(len(stats.classes))),
        ox.Triple(dataset, _n(VOID.properties), _integer(len(stats.properties))),
        ox.Triple(dataset, _n(DCAT.landingPage), ox.NamedNode(absolute("/"))),
    ]
    for vocabulary in VOCABULARIES:
        t.append(ox.Triple(dataset, _n(VOID.vocabulary), ox.NamedNode(str(vocabulary))))
    for documents in things_by_kind(view).get("document", [])[:1]:
        t.append(ox.Triple(dataset, _n(VOID.exampleResource), ox.NamedNode(documents)))
    for index, (cls, count) in enumerate(stats.classes):
        part = ox.BlankNode(f"class{index}")
        t += [
            ox.Triple(dataset, _n(VOID.classPartition), part),
            ox.Triple(part, _n(VOID["class"]), ox.NamedNode(cls)),
            ox.Triple(part, _n(VOID.entities), _integer(count)),
        ]
    for index, (prop, count) in enumerate(stats.properties):
        part = ox.BlankNode(f"property{index}")
        t += [
            ox.Triple(dataset, _n(VOID.propertyPartition), part),
            ox.Triple(part, _n(VOID.property), ox.NamedNode(prop)),
            ox.Triple(part, _n(VOID.triples), _integer(count)),
        ]
    for name, size in stats.graphs:
        graph = ox.NamedNode(name)
        t += [
            ox.Triple(dataset, _n(VOID.subset), graph),
            ox.Triple(graph, TYPE, _n(VOID.Dataset)),
            ox.Triple(graph, _n(VOID.triples), _integer(size)),
        ]
    if stats.published:
        # Counts by class and property as ordinary triples for SPARQL: see lodpub.store.statistics.
        t.append(ox.Triple(dataset, _n(RDFS.seeAlso), ox.NamedNode(stats.published)))
    service = ox.NamedNode(absolute("/sparql"))
    t += [
        ox.Triple(dataset, _n(DCAT.distribution), service),
        ox.Triple(service, TYPE, _n(DCAT.DataService)),
        ox.Triple(service, _n(DCAT.endpointURL), service),
        ox.Triple(
            service,
            _n(DCTERMS.conformsTo),
            ox.NamedNode("https://www.w3.org/TR/sparql11-protocol/"),
        ),
    ]
    for dump in shared.dumps.files(view) or []:
        url = ox.NamedNode(absolute(f"/dumps/{dump.name}"))
        checksum = ox.BlankNode(f"checksum-{dump.name.replace('.', '-')}")
        t += [
            ox.Triple(dataset, _n(VOID.dataDump), url),
            ox.Triple(dataset, _n(DCAT.distribution), url),
            ox.Triple(url, TYPE, _n(DCAT.Distribution)),
            ox.Triple(url, _n(DCAT.downloadURL), url),
            ox.Triple(
                url,
                _n(DCAT.mediaType),
                ox.NamedNode(f"https://www.iana.org/assignments/media-types/{dump.media_type}"),
            ),
            ox.Triple(
                url,
                _n(DCAT.byteSize),
                ox.Literal(str(dump.size), datatype=_n(XSD.nonNegativeInteger)),
            ),
            ox.Triple(url, _n(DCTERMS.description), ox.Literal(dump.description, language="en")),
            ox.Triple(url, ox.NamedNode(SPDX + "checksum"), checksum),
            ox.Triple(checksum, TYPE, ox.NamedNode(SPDX + "Checksum")),
            ox.Triple(
                checksum,
                ox.NamedNode(SPDX + "algorithm"),
                ox.NamedNode(SPDX + "checksumAlgorithm_sha256"),
            ),
            ox.Triple(
                checksum,
                ox.NamedNode(SPDX + "checksumValue"),
                ox.Literal(dump.sha256, datatype=_n(XSD.hexBinary)),
            ),
        ]
        if dump.encoding == "gzip":
            t.append(
                ox.Triple(
                    url,
                    _n(DCAT.compressFormat),
                    ox.NamedNode("https://www.iana.org/assignments/media-types/application/gzip"),
                )
            )
    return t


@bp.route("/.well-known/void", methods=["GET"])
@bp.route("/dataset", methods=["GET"])
def negotiated() -> Response:
    alternates = _alternates()
    fmt = negotiate(DESCRIPTION_FORMATS)
    if fmt is None:
        return not_acceptable(alternates)
    return _respond(fmt, alternates)


@bp.route("/dataset.<ext>", methods=["GET"])
def specific(ext: str) -> Response:
    fmt = EXTENSIONS.get(ext)
    if fmt is None:
        return error(404, "Not Found", f"no dataset format .{ext}", HTML)
    return _respond(fmt, _alternates())


def _alternates() -> list[Alternate]:
    return alternates_for(lambda ext: f"/dataset.{ext}", (HTML, *RDF_FORMATS))


def _respond(fmt: Format, alternates: list[Alternate]) -> Response:
    view = ld().view()

    def build() -> bytes:
        if fmt is HTML:
            stats = statistics(view)
            vocabulary = view.vocabulary
            return page(
                "dataset.html",
                stats=stats,
                classes=[(vocabulary.label(c), c, n) for c, n in stats.classes],
                properties=[(vocabulary.label(p), p, n) for p, n in stats.properties],
                graphs=[(ref(view, g), n) for g, n in stats.graphs],
                kinds=[(title_of(k), len(m)) for k, m in things_by_kind(view).items()],
                dumps=ld().dumps.files(view) or [],
                settings=ld().settings,
                dataset_iri=ld().dataset_iri,
                alternates=alternates,
            )
        return serialize(void_triples(view), fmt, first=ld().dataset_iri)

    specific = f"/dataset.{extension(fmt)}"
    return respond(
        view, fmt, build, alternates=alternates, variant=specific, content_location=specific
    )
