"""Options and helpers shared by the CLI command modules."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from graphkit.store import EmbeddedStore

GRAPH_OPTION = click.option(
    "--graph",
    "graph_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="RDF file(s) to use instead of the last build (out/graph.nq). Repeatable.",
)
OUTPUT_OPTION = click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (atomically); standard output when omitted.",
)
OUT_OPTION = click.option(
    "--out",
    "out_dir",
    default="out",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output directory of the build.",
)


def open_store(graph_files: Sequence[Path], out_dir: Path = Path("out")) -> EmbeddedStore:
    """The graph a command works on: the --graph files, or the last build."""
    from graphkit.graphsource import open_graph

    return open_graph(list(graph_files), out_dir=out_dir)


def emit(text: str, output: Path | None) -> None:
    """Print ``text``, or write it atomically to ``output`` and say so on stderr."""
    if output is None:
        click.echo(text, nl=False)
    else:
        from graphkit.fileio import write_text_atomic

        write_text_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
