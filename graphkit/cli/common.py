"""Options and helpers shared by the CLI command modules."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # the store (rdflib, pyoxigraph) loads with the commands that use it, not at start-up
    from graphkit.store.embedded import EmbeddedStore

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
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="File to write (atomically: renamed into place when complete; a device such as /dev/null is written "
    "into, never replaced); standard output when omitted or '-'.",
)
RAW_CSV_OPTION = click.option(
    "--raw-csv",
    "raw_csv",
    is_flag=True,
    help="CSV/TSV cells exactly as in the graph. By default a text cell that a spreadsheet would run as a "
    "formula (starting with = + - @, a tab or CR) gets a leading ' (OWASP's CSV-injection advice); numbers "
    "are never changed. Use --raw-csv only for programs, never for a file opened in a spreadsheet.",
)
INDEX_OPTION = click.option(
    "--index/--no-index",
    "use_index",
    default=True,
    show_default=True,
    help="Read the last build from its on-disk index (`graphkit index`) when it is fresh: starts in milliseconds, "
    "best for selective queries and aggregates; --no-index loads out/graph.nq into memory (faster when the "
    "query returns tens of thousands of rows).",
)
OUT_OPTION = click.option(
    "--out",
    "out_dir",
    default="out",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output directory of the build.",
)


def open_store(graph_files: Sequence[Path], out_dir: Path = Path("out"), *, use_index: bool = False) -> EmbeddedStore:
    """The graph a command works on: the --graph files, or the last build. ``use_index``: read-only
    from the build's on-disk index when `graphkit index` made a fresh one (a stale one is reported
    on stderr and ignored); only for commands that run a few queries and write nothing."""
    from graphkit.errors import StoreError
    from graphkit.store.open import find_snapshot, open_graph

    snapshot = find_snapshot(out_dir)
    if not graph_files and not snapshot.is_file():
        raise StoreError(f"no built graph at {snapshot}; run `graphkit build` first (or pass --graph FILE)")
    return open_graph(list(graph_files), out_dir=out_dir, use_index=use_index, notify=_note)


def _note(line: str) -> None:
    click.echo(line, err=True)


def emit(text: str, output: Path | None) -> None:
    """Print ``text`` (``output`` None or ``-``), or write it atomically to ``output`` and say so on stderr.
    A failed write is an :class:`~graphkit.errors.OutputError` naming the file (standard output too)."""
    from graphkit.rdf.files import STDOUT, output_target, write_stdout, write_text_atomic

    if output is None or str(output) == STDOUT:
        write_stdout(text)
        return
    kind = output_target(output).kind
    write_text_atomic(output, text)
    if kind == "file":
        click.echo(f"wrote {output}", err=True)
