"""Core commands: build, validate, query, queries, info, export graph."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from graphkit.cli import cli
from graphkit.cli.common import (
    GRAPH_OPTION,
    INDEX_OPTION,
    OUT_OPTION,
    OUTPUT_OPTION,
    RAW_CSV_OPTION,
    emit,
    open_store,
)
from graphkit.errors import ValidationError

if TYPE_CHECKING:
    from graphkit.store.embedded import Store


@cli.command()
@click.option(
    "--data",
    "data_dir",
    default="data",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory with the RDF data and sources.",
)
@OUT_OPTION
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation (not recommended).")
def build(data_dir: Path, out_dir: Path, no_validate: bool) -> None:
    """Build the graph from everything in data/ (plus the ontology), validate it with the SHACL
    shapes, and write out/graph.nq, out/build.json and the headline query results in out/queries/.

    Nothing is replaced if a file does not parse or the graph does not validate.
    """
    from graphkit.build.pipeline import build_graph

    report = build_graph(data_dir, out_dir, validate=not no_validate, show_progress=True, parallel=True)
    click.echo(report.summary(), nl=False)


@cli.command()
@GRAPH_OPTION
@OUT_OPTION
@click.option(
    "--engine",
    type=click.Choice(["auto", "sparql", "pyshacl"]),
    default="auto",
    show_default=True,
    help="sparql: shapes compiled to queries run in the store (fast); pyshacl: the reference engine (slow).",
)
@click.option(
    "--limit",
    default=20,
    show_default=True,
    type=click.IntRange(min=0),
    help="Violations listed per rule (0: all); the counts per rule are always complete.",
)
@click.option(
    "--evidence",
    "article",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Instead of the shapes: check every quoted span of the graph's text evidence against this text "
    "(the article it cites): the quote at its offsets, inside its sentence, the sentence's SHA-256.",
)
@click.option(
    "--source",
    "evidence_source",
    metavar="IRI",
    help="With --evidence: which cited text ARTICLE is (IRI or CURIE of its gk:SourceDocument), when the graph "
    "cites several.",
)
def validate(
    graph_files: tuple[Path, ...],
    out_dir: Path,
    engine: str,
    limit: int,
    article: Path | None,
    evidence_source: str | None,
) -> None:
    """Check the graph against the SHACL shapes (ontology/shapes.ttl) and print what to fix.

    Validates the last build, or the given --graph files together with the ontology.
    With --evidence ARTICLE.txt, checks the quoted spans against that text instead.
    Exits with status 1 when there are violations.
    """
    if article is not None:
        from graphkit.text.evidence import verify_evidence

        found = verify_evidence(open_store(graph_files, out_dir, use_index=True), article, source=evidence_source)
        click.echo(found.summary(), nl=False)
        if not found.ok:
            raise ValidationError(f"{len(found.problems)} problem(s) in the quoted spans checked against {article}")
        return
    from graphkit.validate.validator import ensure_ontology, validate_store

    store = open_store(graph_files, out_dir)
    ensure_ontology(store)
    report = validate_store(store, engine=engine)
    click.echo(report.summary(limit=limit or None), nl=False)
    if not report.conforms:
        raise ValidationError(f"{len(report.violations)} SHACL violation(s)")


@cli.command()
@click.argument("query")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter of a catalogue query (repeatable), e.g. --param country=JP.",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    default="table",
    show_default=True,
    type=click.Choice(["table", "csv", "tsv", "json", "sparql-json"]),
    help="Output format.",
)
@OUTPUT_OPTION
@RAW_CSV_OPTION
@click.option("--endpoint", help="Run it on this SPARQL 1.1 endpoint (e.g. http://localhost:7878/sparql) instead.")
@click.option(
    "--timeout",
    default=60.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="Stop the query after this many seconds (0: no limit). Ctrl-C also stops it.",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Let SERVICE clauses contact the hosts they name. Without it a query with SERVICE is refused "
    "and the query runs with no network access.",
)
@GRAPH_OPTION
@OUT_OPTION
@INDEX_OPTION
def query(
    query: str,
    params: tuple[str, ...],
    fmt: str,
    output: Path | None,
    raw_csv: bool,
    endpoint: str | None,
    timeout: float,
    allow_service: bool,
    graph_files: tuple[Path, ...],
    out_dir: Path,
    use_index: bool,
) -> None:
    """Run a SPARQL query: a catalogue name (see `graphkit queries`), a .rq file, or inline text.

    \b
    Examples:
      graphkit query representatives --param municipality=gkid:place/Q20103
      graphkit query queries/mous.rq --format csv
      graphkit query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --format json
      graphkit query mous --endpoint http://localhost:7878/sparql
    Prefixes gk:, rdfs:, skos:, prov:, ... are predeclared. CSV and JSON are for scripts.
    Like the endpoint, it refuses updates and SERVICE (unless --allow-service), reads FROM / FROM
    NAMED only from graphs of the store, and stops at --timeout or Ctrl-C.
    """
    from graphkit.sparql.catalogue import bind_parameters
    from graphkit.sparql.querying import resolve_query_spec, run_guarded
    from graphkit.sparql.results import render
    from graphkit.sparql.vocabulary import empty_result_note

    named = resolve_query_spec(query)
    bindings = bind_parameters(named, _parse_params(params))  # bad parameters fail before loading the graph
    if endpoint:
        from graphkit.store.remote import RemoteStore

        store: Store = RemoteStore(endpoint)
    else:
        store = open_store(graph_files, out_dir, use_index=use_index)
    result = run_guarded(store, named.text, bindings, timeout=timeout or None, allow_service=allow_service)
    emit(render(result, fmt, raw=raw_csv), output)
    if note := empty_result_note(store, named.params, bindings, result):
        click.echo(note, err=True)


@cli.command("queries")
@click.option("--format", "-f", "fmt", default="table", type=click.Choice(["table", "json"]), show_default=True)
def queries_cmd(fmt: str) -> None:
    """List the catalogue queries with their titles and parameters."""
    from graphkit.sparql.catalogue import describe_catalogue

    click.echo(describe_catalogue(fmt), nl=False)


@cli.command()
@GRAPH_OPTION
@OUT_OPTION
@INDEX_OPTION
def info(graph_files: tuple[Path, ...], out_dir: Path, use_index: bool) -> None:
    """Print the number of triples, the named graphs and the classes with instance counts."""
    from graphkit.store.info import graph_info

    click.echo(graph_info(open_store(graph_files, out_dir, use_index=use_index)).summary(), nl=False)


@cli.group()
def export() -> None:
    """Export the graph or tables derived from it."""


@export.command("graph")
@click.option(
    "--format",
    "-f",
    "fmt",
    default="ttl",
    show_default=True,
    type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld", "xml"]),
    help="RDF serialisation.",
)
@OUTPUT_OPTION
@GRAPH_OPTION
@OUT_OPTION
def export_graph_cmd(fmt: str, output: Path | None, graph_files: tuple[Path, ...], out_dir: Path) -> None:
    """Write the whole graph as Turtle, N-Triples, N-Quads (keeps named graphs), TriG, JSON-LD or RDF/XML."""
    store = open_store(graph_files, out_dir)
    if output is None:
        sys.stdout.buffer.write(store.serialize(fmt))
        sys.stdout.flush()
    else:
        store.dump(output, fmt=fmt)
        click.echo(f"wrote {output}", err=True)


def _parse_params(params: Sequence[str]) -> dict[str, str]:
    from graphkit.errors import ParameterError

    out: dict[str, str] = {}
    for p in params:
        name, sep, value = p.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"--param expects NAME=VALUE, got {p!r}")
        out[name.strip()] = value
    return out
