"""World dataset commands: ``graphkit export relations``, ``graphkit export places``, ``graphkit export network``."""

from __future__ import annotations

from pathlib import Path

import click

from graphkit.cli.common import GRAPH_OPTION, OUT_OPTION, OUTPUT_OPTION, RAW_CSV_OPTION, emit, open_store
from graphkit.cli.core import export


@export.command("relations")
@click.option(
    "--format",
    "-f",
    "fmt",
    default="csv",
    show_default=True,
    type=click.Choice(["csv", "json"]),
    help="Table format.",
)
@OUTPUT_OPTION
@RAW_CSV_OPTION
@GRAPH_OPTION
@OUT_OPTION
def export_relations_cmd(
    fmt: str, output: Path | None, raw_csv: bool, graph_files: tuple[Path, ...], out_dir: Path
) -> None:
    """Write every relation as a table: relation IRI, type, both parties' label, country (ISO code)
    and Wikidata QID, the supporting sources (;-separated) and which parties list it.

    \b
    Examples:
      graphkit export relations --format csv -o relations.csv
      graphkit export relations --format json | jq '.[0]'
    From Python: graphkit.relations.export.relations_dataframe(store).
    """
    from graphkit.relations.export import export_relations

    emit(export_relations(open_store(graph_files, out_dir), fmt, raw=raw_csv), output)


@export.command("places")
@click.option(
    "--format", "-f", "fmt", default="csv", show_default=True, type=click.Choice(["csv", "json"]), help="Table format."
)
@OUTPUT_OPTION
@RAW_CSV_OPTION
@GRAPH_OPTION
@OUT_OPTION
def export_places_cmd(
    fmt: str, output: Path | None, raw_csv: bool, graph_files: tuple[Path, ...], out_dir: Path
) -> None:
    """Write every place as a table: iri, label, kind, country (ISO code), lat, lon, population,
    Wikidata QID, GeoNames id and the sources (;-separated).

    \b
    Examples:
      graphkit export places --format csv -o places.csv
      graphkit export places --format json | jq '.[0]'
    From Python: graphkit.places.export.places_dataframe(store).
    """
    from graphkit.places.export import export_places

    emit(export_places(open_store(graph_files, out_dir), fmt, raw=raw_csv), output)


@export.command("network")
@click.option(
    "--format", "-f", "fmt", default="graphml", show_default=True, type=click.Choice(["graphml", "gexf", "csv"])
)
@click.option(
    "--projection",
    default="municipality",
    show_default=True,
    type=click.Choice(["municipality", "country", "listing"]),
    help="Municipalities and their partnerships, countries (weight: municipality pairs), or who lists whom.",
)
@click.option("--relation-type", "relation_types", multiple=True, metavar="TYPE", help="Keep this type. Repeatable.")
@click.option("--country", "countries", multiple=True, metavar="CC", help="Keep relations with a party here.")
@click.option("--include-areas", is_flag=True, help="Also keep parties that are regions, provinces or prefectures.")
@OUTPUT_OPTION
@RAW_CSV_OPTION
@GRAPH_OPTION
@OUT_OPTION
def export_network_cmd(
    fmt: str,
    projection: str,
    relation_types: tuple[str, ...],
    countries: tuple[str, ...],
    include_areas: bool,
    output: Path | None,
    raw_csv: bool,
    graph_files: tuple[Path, ...],
    out_dir: Path,
) -> None:
    """Write the network for Gephi, Cytoscape or any graph tool: GraphML, GEXF 1.3 (with positions
    from coordinates) or a CSV edge table. Nodes carry label, country, lat, lon, population, qid,
    degree (and community and betweenness after `graphkit analyze --write-back`); edges the relation
    types, sources, first year and weight. A filter that matches nothing says so on stderr.

    \b
    Examples:
      graphkit export network --format gexf -o network.gexf
      graphkit export network --projection country --format csv -o countries.csv
    From Python: graphkit.analyze.export.export_network(read_last_build()).
    """
    from graphkit.analyze.export import export_network
    from graphkit.analyze.filters import check_filters
    from graphkit.relations.read import open_relations

    data = open_relations(graph_files, out_dir=out_dir, notify=_stderr)
    kw: dict = {
        "relation_types": relation_types or None,
        "countries": countries or None,
        "include_areas": include_areas,
    }
    for line in check_filters(data, **kw):
        _stderr("note: " + line)
    emit(export_network(data, fmt, projection=projection, raw_csv=raw_csv, **kw), output)


def _stderr(line: str) -> None:
    click.echo(line, err=True)
