"""World dataset commands: ``graphkit export relations``, ``graphkit export places``."""

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
