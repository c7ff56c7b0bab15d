"""``graphkit dossier NAME``: everything the graph knows about one municipality, as one offline page."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import click

from graphkit.cli import cli
from graphkit.cli.common import GRAPH_OPTION, OUT_OPTION


@cli.command("dossier")
@click.argument("name", required=False)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    help="File to write (with --all: the folder). Default: OUT/dossiers/<slug>.html (--all: OUT/dossiers/CC/).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "md"]),
    default="html",
    show_default=True,
    help="A self-contained HTML page (with a map), or Markdown.",
)
@click.option(
    "--all", "all_places", is_flag=True, help="One dossier per municipality of --country, plus an index page."
)
@click.option("--country", help="ISO 3166-1 code of the country whose municipalities --all writes (e.g. IT).")
@GRAPH_OPTION
@OUT_OPTION
def dossier_cmd(
    name: str | None,
    output: Path | None,
    fmt: str,
    all_places: bool,
    country: str | None,
    graph_files: tuple[Path, ...],
    out_dir: Path,
) -> None:
    """A municipality's dossier: its names, country, region, population, identifiers and coordinates;
    every relation with partner, type, status history, dates, agreements and signatories, sectors and
    the sources that assert it; people and offices, meetings, each fact with its evidence; a map of
    its partners; network figures; partners' partners in common; differences with Wikidata.

    NAME is a name in any language, an IRI, a CURIE or a QID. A name several places share is an
    error that lists them.

    \b
    Examples:
      graphkit dossier Assisi
      graphkit dossier Q1346907 --format md -o koya.md
      graphkit dossier --all --country IT
    """
    from graphkit.dossier import write_country_dossiers, write_dossier
    from graphkit.errors import InputError

    if all_places == bool(name) or (all_places and not country):
        raise InputError("give a municipality (a name, IRI or QID), or --all, which needs --country CC and no NAME")
    source: dict[str, Any] = {"out_dir": out_dir, "graph_files": graph_files}
    note = functools.partial(click.echo, err=True)
    if all_places:
        report = write_country_dossiers(str(country), directory=output, fmt=fmt, notify=note, **source)
        click.echo(report.summary(), err=True)
    else:
        click.echo(f"wrote {write_dossier(str(name), output=output, fmt=fmt, notify=note, **source)}", err=True)
