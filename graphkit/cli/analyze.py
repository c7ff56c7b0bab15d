"""``graphkit analyze``: network statistics and the analysis report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from graphkit.cli import cli
from graphkit.cli.common import GRAPH_OPTION, OUT_OPTION


@cli.command()
@click.option(
    "--edges",
    "edges_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Analyse this edge list (two whitespace-separated node ids per line, %/# comments, "
    "KONECT-style) instead of the knowledge graph.",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    default="table",
    show_default=True,
    type=click.Choice(["table", "json", "markdown"]),
    help="How to print the statistics table (JSON has exactly the twelve statistic keys).",
)
@click.option(
    "--report-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the report (Markdown, HTML, plots, JSON). Default: <out>/analysis.",
)
@click.option("--no-report", is_flag=True, help="Print the statistics only; write no report.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 1000), help="Rows of the top-N tables.")
@click.option(
    "--write-back",
    is_flag=True,
    help="Store degree, betweenness and community per municipality as the named graph graph/analysis/network: "
    "in <out>/graph.nq for the built graph, in <report-dir>/graph.nq for --edges or --graph input.",
)
@click.option(
    "--relation-type",
    "relation_types",
    multiple=True,
    metavar="TYPE",
    help="Keep only relations of this type (twinning, reltype:sister-city, ...). Repeatable.",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    metavar="STATUS",
    help="Keep only relations with this status (active, ...). Repeatable.",
)
@click.option(
    "--country",
    "countries",
    multiple=True,
    metavar="CC",
    help="Keep relations with a party in this country (ISO code). Repeatable.",
)
@click.option(
    "--region", metavar="PLACE", help="Keep relations with a party located in this place (gkid:place/Q1280 or IRI)."
)
@click.option("--include-areas", is_flag=True, help="Also keep parties that are regions, provinces or prefectures.")
@click.option(
    "--backend",
    default="auto",
    show_default=True,
    type=click.Choice(["auto", "igraph", "networkx"]),
    help="Library for the heavy steps (auto = igraph; networkx is much slower on large graphs).",
)
@click.option("--seed", default=42, show_default=True, type=int, help="Seed of the Louvain community detection.")
@GRAPH_OPTION
@OUT_OPTION
def analyze(fmt: str, **options: Any) -> None:
    """Network analysis of the municipality graph: the statistics table network repositories publish
    (nodes, edges, degrees, largest component, triangles, transitivity, assortativity, diameter,
    mean distance, power-law exponent, Gini), centralities, Louvain communities, reciprocity, triads,
    partner distances and country mixing.

    Without --edges it analyses the last build (out/graph.nq) or the --graph files; with --edges it
    reads a plain edge list into the same model and runs the same pipeline, so the figures compare
    with published networks. The statistics go to standard output; the report (report.md,
    report.html, PNG/SVG plots, stats.json, analysis.json) to --report-dir.

    \b
    Examples:
      graphkit analyze
      graphkit analyze --format json --no-report
      graphkit analyze --relation-type twinning --country IT --top 20
      graphkit analyze --edges out.twin --report-dir out/twin
    """
    from graphkit.analyze.report import stats_table
    from graphkit.analyze.workflow import AnalyzeRequest, analyze_and_report

    outcome = analyze_and_report(AnalyzeRequest.from_options(**options), show_progress=True)
    click.echo(stats_table(outcome.result.stats, fmt), nl=False)
    for line in outcome.messages:
        click.echo(line, err=True)
