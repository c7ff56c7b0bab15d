"""``graphkit dossier NAME``: everything the graph knows about one municipality, as one offline page."""

from __future__ import annotations

import functools
from pathlib import Path

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
def dossier_cmd(name, output, fmt, all_places, country, graph_files, out_dir) -> None:  # type: ignore[no-untyped-def]
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

    note = functools.partial(click.echo, err=True)
    if all_places:
        if name or not country:
            raise InputError("--all takes no NAME and needs --country CC (e.g. --all --country IT)")
        report = write_country_dossiers(
            country, directory=output, fmt=fmt, out_dir=out_dir, graph_files=graph_files, notify=note
        )
        click.echo(report.summary(), err=True)
        return
    if not name:
        raise InputError("give a municipality (a name, IRI or QID), or --all --country CC")
    click.echo(
        f"wrote {write_dossier(name, output=output, fmt=fmt, out_dir=out_dir, graph_files=graph_files, notify=note)}",
        err=True,
    )
