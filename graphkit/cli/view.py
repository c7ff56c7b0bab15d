"""``graphkit view ...``: write interactive, offline HTML views of the graph."""

from __future__ import annotations

from pathlib import Path

import click

from graphkit.cli import cli
from graphkit.cli.common import GRAPH_OPTION, OUT_OPTION, open_store


def _output_option(default_name: str):  # noqa: ANN202 - a click decorator
    return click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, path_type=Path),
        help=f"HTML file to write (atomically, UTF-8). Default: out/views/{default_name}.",
    )


def _default_path(output: Path | None, out_dir: Path, name: str) -> Path:
    return output if output is not None else out_dir / "views" / name


def _file_name(text: str) -> str:
    """A short, safe file name part for ``text`` (a 100,000-character label gets a cut name + hash)."""
    from graphkit.rdf.files import safe_file_name
    from graphkit.rdf.namespaces import slugify
    from graphkit.viz.safejson import fold

    try:
        slug = slugify(fold(text.rsplit("/", 1)[-1]))
    except Exception:  # noqa: BLE001 - any name still gets a file
        slug = ""
    return safe_file_name(slug or "entity", max_bytes=100) if len(slug) > 100 else slug or "entity"


def _network(graph_files: tuple[Path, ...], out_dir: Path):  # noqa: ANN202 - RelationData, imported lazily
    """The read model the municipal views draw: of the --graph files, or of the last build (cached)."""
    from graphkit.cli.common import _note
    from graphkit.relations.read import open_relations

    return open_relations(graph_files, out_dir=out_dir, notify=_note)


def _written(view: object, path: Path) -> None:
    counts = view.data.counts()  # type: ignore[attr-defined]
    view.write(path)  # type: ignore[attr-defined]
    click.echo(f"wrote {path} ({counts['nodes']} nodes, {counts['edges']} edges)", err=True)


@cli.group()
def view() -> None:
    """Write interactive HTML views of the graph: one self-contained file each, which opens offline
    in any browser (vis-network inlined, no CDN, nothing else written).

    \b
    Examples:
      graphkit view entity Assisi
      graphkit view ego Assisi --depth 2
      graphkit view countries IT JP
      graphkit view countries            # all countries, aggregated
      graphkit view world -o world.html
    """


@view.command("entity")
@click.argument("name")
@click.option("--depth", default=2, show_default=True, type=click.IntRange(1, 5), help="Hops from the entity.")
@click.option("--max-nodes", default=200, show_default=True, type=click.IntRange(2, 5000), help="Node limit.")
@_output_option("entity-NAME.html")
@GRAPH_OPTION
@OUT_OPTION
def entity_cmd(
    name: str, depth: int, max_nodes: int, output: Path | None, graph_files: tuple[Path, ...], out_dir: Path
) -> None:
    """Knowledge view of an entity (a name, an IRI, a CURIE such as gkid:place/Q20103, or a QID):
    what it is linked to — relations and their parties, agreements, meetings, venues, people and
    their offices — with shapes and colours by class and links labelled by property."""
    from graphkit.viz import knowledge_view

    v = knowledge_view(open_store(graph_files, out_dir), name, depth=depth, max_nodes=max_nodes)
    _written(v, _default_path(output, out_dir, f"entity-{_file_name(name)}.html"))


@view.command("ego")
@click.argument("name")
@click.option("--depth", "-k", default=1, show_default=True, type=click.IntRange(1, 6), help="Partner hops.")
@_output_option("ego-NAME-kK.html")
@GRAPH_OPTION
@OUT_OPTION
def ego_cmd(name: str, depth: int, output: Path | None, graph_files: tuple[Path, ...], out_dir: Path) -> None:
    """Ego network of a municipality: its partners, their partners, ... to --depth hops. Edges are
    styled by relation type and status, node size grows with the number of partners, colour is
    the country. A name shared by several municipalities is an error that lists them."""
    from graphkit.viz import ego_view

    v = ego_view(_network(graph_files, out_dir), name, depth=depth)
    _written(v, _default_path(output, out_dir, f"ego-{_file_name(name)}-k{depth}.html"))


@view.command("countries")
@click.argument("codes", nargs=-1, metavar="[CC CC]")
@_output_option("countries-CC-CC.html, or countries.html")
@GRAPH_OPTION
@OUT_OPTION
def countries_cmd(codes: tuple[str, ...], output: Path | None, graph_files: tuple[Path, ...], out_dir: Path) -> None:
    """Relations between two countries (ISO 3166-1 codes, e.g. IT JP), each country's places kept
    in their geographic arrangement; with no codes, the aggregated graph of countries (edge width
    grows with the number of relations)."""
    from graphkit.analyze.filters import country_pair_notes
    from graphkit.errors import InputError
    from graphkit.viz import country_view

    if len(codes) not in (0, 2):
        raise InputError("give two country codes (e.g. IT JP), or none for the graph of all countries")
    net = _network(graph_files, out_dir)
    v = country_view(net, *codes) if codes else country_view(net)
    for line in country_pair_notes(net, *codes) if codes else ():
        click.echo("note: " + line, err=True)
    name = f"countries-{codes[0].upper()}-{codes[1].upper()}.html" if codes else "countries.html"
    _written(v, _default_path(output, out_dir, name))


@view.command("world")
@_output_option("world.html")
@GRAPH_OPTION
@OUT_OPTION
def world_cmd(output: Path | None, graph_files: tuple[Path, ...], out_dir: Path) -> None:
    """Every municipality and relation, placed by coordinates (physics off, so it opens at once),
    with a search box and filters by country and relation type."""
    from graphkit.viz import world_view

    _written(world_view(_network(graph_files, out_dir)), _default_path(output, out_dir, "world.html"))
