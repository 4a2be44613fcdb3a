"""Reading the W3C SPARQL 1.1 test manifests and comparing results as the W3C harness does.

Results are compared as RDF: each solution becomes a blank node with one triple per bound
variable, so blank-node mapping and multiset equality are decided by RDF dataset
canonicalization (RDFC-1.0, exact literal terms). Under ORDER BY each solution also carries its
position. CONSTRUCT results are compared by graph isomorphism the same way.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection

ROOT = Path(__file__).parent / "w3c"
SUITE = ROOT / "sparql" / "sparql11"
SKIPS = ROOT / "skips.toml"
RESULTS = ROOT / "RESULTS.md"
# The IRIs the W3C harness gives the suite's files (manifests, queries, data).
PUBLIC = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"

EVALUATION_FOLDERS = (
    "aggregates", "bind", "bindings", "construct", "csv-tsv-res", "exists", "grouping",
    "json-res", "negation", "project-expression", "property-path", "subquery",
)  # fmt: skip

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")

_RESULT_FORMATS = {
    ".srx": ox.QueryResultsFormat.XML,
    ".srj": ox.QueryResultsFormat.JSON,
    ".tsv": ox.QueryResultsFormat.TSV,
}
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    _XSD + name
    for name in [
        "integer", "nonPositiveInteger", "negativeInteger", "long", "int", "short", "byte",
        "nonNegativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
        "positiveInteger",
    ]
}  # fmt: skip
_RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
_VAR = "urn:x-w3c-result:var:"
_ROW = ox.NamedNode("urn:x-w3c-result:row")
_INDEX = ox.NamedNode("urn:x-w3c-result:index")


def public_iri(path: Path) -> str:
    return PUBLIC + path.relative_to(SUITE).as_posix()


def local_path(iri: str) -> Path:
    return SUITE / iri.removeprefix(PUBLIC)


@dataclass(frozen=True)
class Case:
    """One manifest entry."""

    iri: str
    folder: str
    name: str
    kind: str  # the mf: class local name
    query: Path | None = None
    data: tuple[Path, ...] = ()
    graph_data: tuple[Path, ...] = ()
    result: Path | None = None
    node: object = field(default=None, compare=False, repr=False)

    @property
    def id(self) -> str:
        return f"{self.folder}/{self.iri.rsplit('#', 1)[-1]}"


def manifest(folder: str) -> tuple[Graph, list[Case]]:
    """The graph of `folder`'s manifest and its entries in manifest order."""
    path = SUITE / folder / "manifest.ttl"
    graph = Graph().parse(path, format="turtle", publicID=public_iri(path))
    top = graph.value(predicate=RDF.type, object=MF.Manifest)
    cases = []
    for entry in Collection(graph, graph.value(top, MF.entries)):
        kind = str(graph.value(entry, RDF.type)).rsplit("#", 1)[-1]
        action = graph.value(entry, MF.action)
        query = data = graph_data = None
        if kind in ("QueryEvaluationTest", "CSVResultFormatTest"):
            query = local_path(str(graph.value(action, QT.query)))
            data = tuple(sorted(local_path(str(d)) for d in graph.objects(action, QT.data)))
            graph_data = tuple(
                sorted(local_path(str(d)) for d in graph.objects(action, QT.graphData))
            )
        elif kind.endswith("SyntaxTest11"):
            query = local_path(str(action))
        result = graph.value(entry, MF.result)
        cases.append(
            Case(
                str(entry),
                folder,
                str(graph.value(entry, MF.name)),
                kind,
                query,
                data or (),
                graph_data or (),
                local_path(str(result)) if result is not None else None,
                entry,
            )
        )
    return graph, cases


def skips() -> dict[str, str]:
    """Test id -> the written reason it is skipped."""
    listed = tomllib.loads(SKIPS.read_text(encoding="utf-8")).get("skip", {})
    for test, reason in listed.items():
        if not reason.strip():
            raise ValueError(f"{SKIPS}: {test} is skipped without a reason")
    return listed


def query_text(path: Path) -> str:
    """The query as the W3C harness parses it: its own file IRI is the base IRI."""
    return f"BASE <{public_iri(path)}>\n" + path.read_text(encoding="utf-8")


def dataset_quads(case: Case) -> list[ox.Quad]:
    """qt:data into the default graph, each qt:graphData into the graph named by its IRI."""
    quads = []
    for path in case.data:
        quads += ox.parse(path=str(path), base_iri=public_iri(path))
    for path in case.graph_data:
        name = ox.NamedNode(public_iri(path))
        for quad in ox.parse(path=str(path), base_iri=public_iri(path)):
            quads.append(ox.Quad(quad.subject, quad.predicate, quad.object, name))
    return quads


def is_ordered(query: str) -> bool:
    without_comments = re.sub(r"#[^\n]*", "", query)
    return re.search(r"\bORDER\s+BY\b", without_comments, re.IGNORECASE) is not None


def canonical(term: object) -> object:
    """Numeric literals in one lexical form per value ("1.0" and "1" decimals are equal)."""
    if not isinstance(term, ox.Literal):
        return term
    datatype = term.datatype.value
    try:
        if datatype in _INTEGERS:
            value = str(int(term.value))
        elif datatype == _XSD + "decimal":
            value = format(Decimal(term.value).normalize(), "f")
        elif datatype in (_XSD + "double", _XSD + "float"):
            value = repr(float(term.value))
        else:
            return term
    except (ValueError, ArithmeticError):
        return term
    return ox.Literal(value, datatype=term.datatype)


def solutions_dataset(
    variables: list[str], rows: list[dict[str, object]], ordered: bool
) -> ox.Dataset:
    """Solutions as RDF: a blank node per row with one triple per bound variable."""
    dataset = ox.Dataset()
    for index, row in enumerate(rows):
        node = ox.BlankNode()
        dataset.add(ox.Quad(node, _ROW, _ROW))
        if ordered:
            dataset.add(ox.Quad(node, _INDEX, ox.Literal(str(index))))
        for name in variables:
            if row.get(name) is not None:
                dataset.add(ox.Quad(node, ox.NamedNode(_VAR + name), canonical(row[name])))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def parsed_solutions(
    data: bytes, syntax: ox.QueryResultsFormat
) -> tuple[list[str], list[dict[str, object]]] | bool:
    results = ox.parse_query_results(data, format=syntax)
    if isinstance(results, ox.QueryBoolean):
        return bool(results)
    variables = [v.value for v in results.variables]
    rows = [{v: solution[v] for v in variables} for solution in results]
    return variables, rows


def expected_solutions(path: Path) -> tuple[list[str], list[dict[str, object]]] | bool | None:
    """The expected SELECT or ASK result; None when the file is a graph (CONSTRUCT)."""
    if path.suffix in _RESULT_FORMATS:
        return parsed_solutions(path.read_bytes(), _RESULT_FORMATS[path.suffix])
    return result_set(path)


def result_set(path: Path) -> tuple[list[str], list[dict[str, object]]] | bool | None:
    """A result written in RDF with the DAWG result-set vocabulary (rs:ResultSet)."""
    store = ox.Store()
    store.load(path=str(path), base_iri=public_iri(path))

    def value(subject: object, name: str) -> object:
        return next(iter(store.quads_for_pattern(subject, ox.NamedNode(_RS + name), None)), None)

    sets = list(
        store.quads_for_pattern(None, ox.NamedNode(_RDF_TYPE), ox.NamedNode(_RS + "ResultSet"))
    )
    if not sets:
        return None
    top = sets[0].subject
    boolean = value(top, "boolean")
    if boolean is not None:
        return boolean.object.value == "true"
    variables = [
        q.object.value
        for q in store.quads_for_pattern(top, ox.NamedNode(_RS + "resultVariable"), None)
    ]
    rows = []
    for solution in store.quads_for_pattern(top, ox.NamedNode(_RS + "solution"), None):
        row = {}
        for binding in store.quads_for_pattern(
            solution.object, ox.NamedNode(_RS + "binding"), None
        ):
            name = value(binding.object, "variable").object.value
            row[name] = value(binding.object, "value").object
        index = value(solution.object, "index")
        rows.append((int(index.object.value) if index else 0, row))
    return variables, [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def csv_rows(text: str) -> tuple[list[str], list[dict[str, object]]]:
    """A CSV result: header and rows of strings; `_:` cells are blank nodes."""
    table = list(csv.reader(io.StringIO(text)))
    header, rows = table[0], table[1:]
    parsed = []
    for row in rows:
        cells = {}
        for name, cell in zip(header, row, strict=True):
            if cell.startswith("_:"):
                cells[name] = ox.BlankNode(cell[2:])
            elif cell != "":
                cells[name] = ox.Literal(cell)
        parsed.append(cells)
    return header, parsed


def graph_dataset(quads: Iterable[ox.Quad]) -> ox.Dataset:
    dataset = ox.Dataset(ox.Quad(q.subject, q.predicate, canonical(q.object)) for q in quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def protocol_graph_data(graph: Graph, entry: object) -> list[ox.Quad]:
    """A protocol test's ut:graphData: each file into the graph named by its rdfs:label."""
    quads = []
    for data in graph.objects(entry, UT.graphData):
        path = local_path(str(graph.value(data, UT.graph)))
        name = ox.NamedNode(str(graph.value(data, RDFS_LABEL)))
        for quad in ox.parse(path=str(path)):
            quads.append(ox.Quad(quad.subject, quad.predicate, quad.object, name))
    return quads


@dataclass(frozen=True)
class HttpRequest:
    """One ht:Request of a protocol test, with what its response must be."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: tuple[str, ...]  # e.g. ("2xx", "3xx")
    expected_format: str | None
    expected_boolean: bool | None


def protocol_requests(graph: Graph, entry: object) -> list[HttpRequest]:
    connection = graph.value(entry, MF.action)
    requests = []
    for request in Collection(graph, graph.value(connection, HT.requests)):
        headers = {}
        header_list = graph.value(request, HT.headers)
        if header_list is not None:
            for header in Collection(graph, header_list):
                headers[str(graph.value(header, HT.fieldName))] = str(
                    graph.value(header, HT.fieldValue)
                )
        body = None
        content = graph.value(request, HT.body)
        if content is not None:
            encoding = str(graph.value(content, CNT.characterEncoding) or "UTF-8")
            text = str(graph.value(content, CNT.chars))
            body = text.encode("utf-16" if encoding.upper() == "UTF-16" else "utf-8")
        response = graph.value(request, HT.resp)
        statuses = tuple(
            sorted(
                str(s).rsplit("StatusCode", 1)[-1]
                for s in graph.objects(response, MF.expectedStatus)
            )
        )
        boolean = graph.value(response, MF.expectedBoolean)
        expected_format = graph.value(response, MF.expectedFormat)
        requests.append(
            HttpRequest(
                str(graph.value(request, HT.methodName)),
                str(graph.value(request, HT.absolutePath)),
                headers,
                body,
                statuses,
                str(expected_format) if expected_format is not None else None,
                boolean.toPython() if boolean is not None else None,
            )
        )
    return requests
