"""The `lodpub` command: ingest, validate, query, export, load, stats (and serve, from
lodpub.web)."""

from __future__ import annotations

import gzip
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pyoxigraph as ox

import lodpub.store
from lodpub import __version__
from lodpub.store import DUMP_FORMATS, EXPORT_FORMATS, StoreError, generations, statistics
from lodpub.store.results import table
from lodpub.uris import DEFAULT_BASE
from lodpub.vocab import PREFIXES
from lodpub.web.cli import serve

DEFAULT_AUTHORITY = "authority/authority.toml"
DEFAULT_REPORTS = "data/reports"
_PREFIXES = {name: str(ns) for name, ns in PREFIXES.items()}

_store_url_option = click.option(
    "--store",
    envvar="LODPUB_STORE",
    default=lodpub.store.DEFAULT_STORE,
    show_default=True,
    show_envvar=True,
    help="Store URL: a path, oxigraph:PATH, memory: or sparql+http(s)://HOST/PATH/QUERY.",
)


def _endpoint_to_env(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    # The remote store reads its endpoints from the environment, as `lodpub serve` does.
    if value:
        os.environ[param.envvar] = value


_store_endpoint_options = [
    click.option(
        f"--store-{name}",
        envvar=f"LODPUB_STORE_{name.upper()}",
        show_envvar=True,
        expose_value=False,
        callback=_endpoint_to_env,
        help=f"Remote store: the {what} endpoint (default: derived from --store).",
    )
    for name, what in (("update", "SPARQL Update"), ("gsp", "Graph Store Protocol"))
]


def store_option(command):
    """--store, and a remote store's update and Graph Store Protocol endpoints."""
    for option in (*_store_endpoint_options, _store_url_option):
        command = option(command)
    return command


base_option = click.option(
    "--base-uri",
    envvar="LODPUB_BASE_URI",
    default=DEFAULT_BASE,
    show_default=True,
    show_envvar=True,
    help="Base of every URI minted (things, documents, graphs).",
)
authority_option = click.option(
    "--authority",
    envvar="LODPUB_AUTHORITY",
    default=DEFAULT_AUTHORITY,
    show_default=True,
    show_envvar=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Authority file of curated persons, groups and places (TOML).",
)
mapping_option = click.option(
    "--mapping",
    envvar="LODPUB_MAPPING",
    show_envvar=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Column mapping (TOML) for CSV and JSON Lines inputs.",
)
paths_argument = click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path)
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lodpub")
def main() -> None:
    """Publish archival documents as a traceable CIDOC-CRM knowledge graph."""


main.add_command(serve)


# ingest and validate


@main.command(
    epilog="""\b
Example:
  lodpub ingest --store data/store seeds/
  lodpub ingest --mapping export.toml --reports out/reports export.csv
"""
)
@store_option
@base_option
@authority_option
@mapping_option
@click.option(
    "--reports",
    envvar="LODPUB_REPORTS",
    default=DEFAULT_REPORTS,
    show_default=True,
    show_envvar=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the SHACL reports (Turtle) of refused documents.",
)
@click.option(
    "--jobs",
    "-j",
    envvar="LODPUB_JOBS",
    default=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
    show_default="the CPUs this process may use",
    show_envvar=True,
    type=click.IntRange(min=1),
    help="Worker processes that extract, model and validate documents (the store is written "
    "by one process, in input order).",
)
@paths_argument
def ingest(store, base_uri, authority, mapping, reports, jobs, paths) -> None:
    """Read, check and publish documents (files or folders).

    A document is stored only when its graph conforms to the shapes; otherwise its report is
    printed and saved as REPORTS/<key>.ttl and the store keeps what it had. Exit status 1 when
    any document was refused or could not be read."""
    from lodpub.pipeline import StageError, Tally, publish

    setup = _setup(authority, base_uri)
    records_mapping = _mapping(mapping)
    tally = Tally()

    def fill(target: lodpub.store.Store) -> tuple[int, str]:
        setup.publish_shared(target)
        sources: dict[str, str] = {}  # key -> source of the document published under it
        outcomes = _outcomes(setup, paths, records_mapping, tally, label="ingesting", jobs=jobs)
        for outcome in outcomes:
            earlier = sources.get(outcome.key)
            if earlier is not None and outcome.conforms:
                _say(
                    f"warning: document {outcome.key} from {outcome.record.source} replaces "
                    f"the one from {earlier} (same key)",
                    err=True,
                )
            try:
                published = publish(outcome, target, reports)
            except StageError as exc:
                tally.failed += 1
                _say(f"error: {exc}", err=True)
                continue
            tally.add(outcome, published=published)
            if published:
                sources[outcome.key] = outcome.record.source
                _progress(
                    f"published {outcome.key}  {outcome.triples} triples  "
                    f"{sum(outcome.timings.values()) * 1000:.0f} ms  ({outcome.record.source})"
                )
            else:
                _say(
                    f"refused {outcome.key} ({outcome.record.source}): "
                    f"report saved to {reports / (outcome.key + '.ttl')}\n{outcome.report.text()}"
                )
        return len(target.documents()), target.version()

    documents, version, where = _publish(store, fill, start_from_live=True)
    click.echo(_summary(tally))
    click.echo(f"store {where}: {documents} documents, version {version}")
    if not tally.ok:
        sys.exit(1)


def _publish(
    store: str, fill: Callable[[lodpub.store.Store], tuple[int, str]], *, start_from_live: bool
) -> tuple[int, str, str]:
    """Run `fill` on the store in place, or on a new generation that goes live when it is done.

    Returns the documents and version it left, and where; a store that fails is a CLI error."""
    root = _generations_root(store)
    try:
        if root is None:
            with _open_store(store, read_only=False) as target:
                documents, version = fill(target)
                if isinstance(target, lodpub.store.OxigraphStore):
                    statistics.write(target.oxigraph)
            return documents, version, store
        filled: list[tuple[int, str]] = []

        def build(folder: Path) -> None:
            with _open_store(f"oxigraph:{folder}", read_only=False) as target:
                # nothing reads a generation before it goes live; a failed one is deleted
                target.unpublished = True  # type: ignore[attr-defined]
                filled.append(fill(target))

        generation = generations.publish(root, build, start_from_live=start_from_live)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    (documents, version), where = filled[0], f"{store} (live: {generation.name})"
    return documents, version, where


def _generations_root(url: str) -> Path | None:
    """The folder of published generations `ingest` writes a new generation into, or None to
    write in place: memory:, or an existing plain Oxigraph store (which nothing may serve
    meanwhile). Any other folder that is not empty is refused, not written into."""
    try:
        path = lodpub.store.local_path(url)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if path is None or generations.is_oxigraph_store(path):
        return None
    unknown = path.exists() and not (path / generations.POINTER).is_symlink()
    if unknown and (not path.is_dir() or any(path.iterdir())):
        raise click.ClickException(
            f"{path} is neither an Oxigraph store, a folder of published generations "
            "(with a LIVE link) nor empty: give a store or a new folder"
        )
    return path


def _read_url(url: str) -> str:
    """The store to read: the live generation of a folder of generations, else `url` itself."""
    try:
        path = lodpub.store.local_path(url)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if path is not None and (path / generations.POINTER).is_symlink():
        return f"oxigraph:{path / generations.POINTER}"
    return url


@main.command(
    epilog="""\b
Example:
  lodpub validate seeds/000_3a5edd602105b0b3.txt
"""
)
@base_option
@authority_option
@mapping_option
@paths_argument
def validate(base_uri, authority, mapping, paths) -> None:
    """Check documents against the shapes without storing them; print each report.

    Exit status 1 when any document does not conform or could not be read."""
    from lodpub.pipeline import Tally

    setup = _setup(authority, base_uri)
    tally = Tally()
    for outcome in _outcomes(setup, paths, _mapping(mapping), tally, label="validating"):
        tally.add(outcome, published=outcome.conforms)
        _say(f"{outcome.key} ({outcome.record.source})\n{outcome.report.text()}")
    click.echo(_summary(tally, verb="conform"))
    if not tally.ok:
        sys.exit(1)


def _setup(authority_path: Path, base_uri: str):
    # The pipeline pulls in every stage and pyshacl: only the commands that run it import it.
    from lodpub.pipeline import Setup
    from lodpub.resolve import Authority, AuthorityError
    from lodpub.uris import Uris

    source = click.get_current_context().get_parameter_source("authority")
    if source is click.core.ParameterSource.DEFAULT and not authority_path.exists():
        click.echo(
            f"warning: no authority file at {authority_path}: "
            "every name becomes a new, unreviewed entity",
            err=True,
        )
        loaded = Authority.empty()
    else:
        try:
            loaded = Authority.load(authority_path)
        except AuthorityError as exc:
            raise click.ClickException(str(exc)) from exc
    return Setup.prepare(loaded, Uris(base_uri))


def _mapping(path: Path | None):
    if path is None:
        return None
    from lodpub.sources.mapping import Mapping
    from lodpub.sources.record import SourceError

    try:
        return Mapping.load(path)
    except SourceError as exc:
        raise click.ClickException(str(exc)) from exc


def _progress(line: str) -> None:
    """One line per document when stderr is not a terminal (a progress bar is shown there)."""
    if not sys.stderr.isatty():
        click.echo(line, err=True)


def _say(text: str, *, err: bool = False) -> None:
    """Echo a message; on a terminal, first clear the progress bar's line."""
    if sys.stderr.isatty():
        sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()
    click.echo(text, err=err)


def _outcomes(setup, paths, mapping, tally, *, label: str, jobs: int = 1) -> Iterator:
    """The pipeline's outcome for every readable record, in input order (`jobs` worker
    processes); read errors and failures are printed and counted in `tally` as they come."""
    from lodpub.pipeline import Read, StageError, input_files, outcomes, read_inputs

    files = input_files(paths)
    with click.progressbar(
        length=len(files), label=label, file=sys.stderr, hidden=not sys.stderr.isatty()
    ) as bar:
        for item in outcomes(read_inputs(files, mapping), setup, jobs=jobs):
            if isinstance(item, StageError):
                tally.failed += 1
                _say(f"error: {item}", err=True)
            elif isinstance(item, Read):  # a file read: its records' outcomes follow
                for error in item.result.errors:
                    tally.unreadable += 1
                    _say(f"error: {error}", err=True)
                bar.update(1)
            else:
                yield item


def _summary(tally, *, verb: str = "published") -> str:
    refused = "refused" if verb == "published" else "do not conform"
    lines = [
        f"documents: {tally.published} {verb}, {tally.refused} {refused}, "
        f"{tally.unreadable} unreadable, {tally.failed} failed"
    ]
    if tally.published:
        kinds = ", ".join(
            f"{len(tally.entities.get(kind, ()))} {kind}s" for kind in ("person", "group", "place")
        )
        lines.append(
            f"entities: {kinds}, {len(tally.events)} events ({len(tally.unreviewed)} unreviewed)"
        )
        lines.append(f"triples: {tally.triples}")
    timings = tally.mean_ms()
    if timings:
        lines.append(
            "mean per document: " + ", ".join(f"{s} {ms:.0f} ms" for s, ms in timings.items())
        )
    return "\n".join(lines)


# query, export, stats


def _open_store(url: str, *, read_only: bool) -> lodpub.store.Store:
    try:
        return lodpub.store.open(_read_url(url) if read_only else url, read_only=read_only)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def _query_text(query_or_file: str) -> str:
    if query_or_file == "-":
        return sys.stdin.read()
    path = Path(query_or_file)
    if path.is_file():
        return path.read_text(encoding="utf-8")
    if path.suffix == ".rq":
        raise click.BadParameter(f"no query file {query_or_file}", param_hint="QUERY-OR-FILE")
    return query_or_file


@main.command(
    epilog="""\b
Examples:
  lodpub query 'SELECT ?p ?label WHERE { ?p a crm:E21_Person ; rdfs:label ?label }'
  lodpub query --format csv examples/queries/persons.rq
  lodpub query --format ttl 'DESCRIBE <http://127.0.0.1:8080/id/person/kim-il-sung>'

The prefixes of lodpub's vocabularies (crm, oa, lp, rdfs, skos, ...) need no PREFIX lines.
"""
)
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "ttl"]),
    default="table",
    show_default=True,
    help="table/json/csv for SELECT and ASK; ttl (or json: JSON-LD) for CONSTRUCT/DESCRIBE.",
)
@click.argument("query_or_file", metavar="QUERY-OR-FILE")
def query(store, fmt, query_or_file) -> None:
    """Run a SPARQL query (text, a .rq file, or - for stdin).

    The default graph is the merge of all data graphs (each triple once); GRAPH reaches each
    named graph, FROM / FROM NAMED choose others."""
    sparql = _query_text(query_or_file)
    with _open_store(store, read_only=True) as source:
        try:
            _write_results(source.query(sparql, prefixes=_PREFIXES), fmt)
        except SyntaxError as exc:
            raise click.ClickException(f"malformed query: {exc}") from exc
        except (OSError, RuntimeError) as exc:
            raise click.ClickException(f"query failed: {exc}") from exc


def _write_results(results, fmt: str) -> None:
    out = click.get_binary_stream("stdout")
    if isinstance(results, ox.QueryTriples):
        if fmt == "csv":
            raise click.BadParameter("csv is for SELECT and ASK", param_hint="--format")
        if fmt == "json":
            out.write(ox.serialize(results, format=ox.RdfFormat.JSON_LD) + b"\n")
        else:
            ox.serialize(results, out, ox.RdfFormat.TURTLE, prefixes=_PREFIXES)
    elif fmt == "ttl":
        raise click.BadParameter("ttl is for CONSTRUCT and DESCRIBE", param_hint="--format")
    elif fmt == "json":
        out.write(results.serialize(format=ox.QueryResultsFormat.JSON) + b"\n")
    elif isinstance(results, ox.QueryBoolean):
        click.echo("true" if results else "false")
    elif fmt == "csv":
        out.write(results.serialize(format=ox.QueryResultsFormat.CSV))
    else:
        click.echo(table(results))


@main.command(
    epilog="""\b
Examples:
  lodpub export --format nquads -o dump.nq
  lodpub export --format ttl > merged.ttl
"""
)
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(EXPORT_FORMATS)),
    required=True,
    help="nquads, trig, jsonld: every named graph; ttl: the merge of all graphs.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="File to write (default: standard output).",
)
def export(store, fmt, output) -> None:
    """Write the whole dataset (all graphs but the store's manifest)."""
    with _open_store(store, read_only=True) as source:
        if output is None:
            source.export(fmt, click.get_binary_stream("stdout"))
            return
        partial = output.with_name(output.name + ".part")
        with open(partial, "wb") as fp:
            source.export(fmt, fp)
        partial.replace(output)


@main.command(
    epilog="""\b
Examples:
  lodpub load --store restored dump.nq
  lodpub load --store data/store lodpub.nq.gz
"""
)
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(DUMP_FORMATS),
    help="Dump syntax (default: from the file name: .nq, .nquads or .trig, then .gz or not).",
)
@click.argument("dump", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load(store, fmt, dump) -> None:
    """Restore a dump of named graphs (`lodpub export --format nquads|trig`, /dumps/lodpub.nq.gz).

    Into a new folder or a folder of generations, it publishes a new generation holding exactly
    the dump (the live one keeps serving until it is complete); into an existing plain store it
    needs that store empty. The default graph (the merge) and the manifest are rebuilt."""
    fmt = fmt or _dump_format(dump)

    def fill(target: lodpub.store.Store) -> tuple[int, str]:
        with (gzip.open if dump.suffix == ".gz" else open)(dump, "rb") as fp:
            try:
                target.load_dump(fp, fmt)
            except (ValueError, SyntaxError, OSError, StoreError) as exc:
                raise click.ClickException(f"cannot load {dump}: {exc}") from exc
        return len(target.documents()), target.version()

    documents, version, where = _publish(store, fill, start_from_live=False)
    click.echo(f"store {where}: {documents} documents, version {version}")


def _dump_format(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    found = {".nq": "nquads", ".nquads": "nquads", ".trig": "trig"}.get(
        suffixes[-1] if suffixes else ""
    )
    if found is None:
        raise click.BadParameter(
            f"cannot tell the syntax of {path.name}: give --format nquads or trig",
            param_hint="--format",
        )
    return found


@main.command(
    epilog="""\b
Example:
  lodpub stats --store data/store --format json
"""
)
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
)
def stats(store, fmt) -> None:
    """Documents, graphs, triples by graph kind, entities by kind, unreviewed entities."""
    with _open_store(store, read_only=True) as source:
        numbers = source.stats()
    if fmt == "json":
        click.echo(json.dumps(numbers, indent=2))
        return
    rows = [(key, value) for key, value in numbers.items() if not isinstance(value, dict)]
    for key, value in numbers.items():
        if isinstance(value, dict):
            rows += [(f"{key}.{k}", v) for k, v in value.items()]
    name_width = max(len(name) for name, _ in rows)
    for name, value in rows:
        click.echo(f"{name:<{name_width}}  {value}")
