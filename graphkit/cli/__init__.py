"""The ``graphkit`` command line: thin wrappers over the library.

Every command reads the graph the last ``graphkit build`` wrote (``out/graph.nq``) unless given
``--graph FILE``. Errors are one line on stderr and a non-zero exit code; set GRAPHKIT_DEBUG=1 to
see a traceback. Commands live in one module per area (``graphkit/cli/<area>.py``), each
registering on :data:`cli`; :func:`load_commands` imports them all.
"""

from __future__ import annotations

import importlib
import os
import sys
import warnings
from collections.abc import Sequence
from typing import NoReturn

import click

from graphkit.errors import GraphkitError, GraphkitWarning
from graphkit.runtime.teardown import exit_now, parking

#: Modules that register commands on :data:`cli`. Add one line per area.
COMMAND_MODULES: tuple[str, ...] = (
    "graphkit.cli.core",
    "graphkit.cli.serve",
    "graphkit.cli.wikidata",
    "graphkit.cli.view",
    "graphkit.cli.analyze",
    "graphkit.cli.world",
    "graphkit.cli.index",
    "graphkit.cli.extract",
    "graphkit.cli.dossier",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="graphkit")
def cli() -> None:
    """graphkit: a knowledge graph of international municipal relations (twin towns, sister cities,
    friendship pacts, memoranda of understanding) and the tools to query, analyse and view it.

    Start with `graphkit build` in the repository root, then `graphkit info`, `graphkit queries`
    and `graphkit query NAME`.
    """


def load_commands() -> click.Group:
    """Import every command module (registering its commands) and return the group."""
    for name in COMMAND_MODULES:
        importlib.import_module(name)
    return cli


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run the CLI, turning graphkit errors into one line and an exit code (and graphkit's
    warnings into ``warning: ...`` lines)."""
    warnings.showwarning = _show_warning
    try:
        load_commands().main(args=list(argv) if argv is not None else None, prog_name="graphkit", standalone_mode=False)
        _flush_stdout()
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except click.exceptions.Exit as e:
        return e.exit_code
    except GraphkitError as e:
        _flush_stdout(quiet=True)
        click.echo(f"error: {e}", err=True)
        return 1
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except BrokenPipeError:
        _flush_stdout(quiet=True)
        return 0
    except OSError as e:
        if e.filename is not None or not _raised_writing_stdout(e):
            return _internal_error(e)
        _flush_stdout(quiet=True)
        from graphkit.rdf.files import output_error

        click.echo(f"error: {output_error('-', e)}", err=True)
        return 1
    except Exception as e:  # noqa: BLE001 - the last resort: one line, not a traceback
        return _internal_error(e)
    return 0


_default_showwarning = warnings.showwarning


def _show_warning(message: Warning | str, category: type[Warning], *args: object, **kwargs: object) -> None:
    """A GraphkitWarning as one ``warning: ...`` line on stderr; any other warning as Python shows it."""
    if issubclass(category, GraphkitWarning):
        click.echo(f"warning: {message}", err=True)
    else:
        _default_showwarning(message, category, *args, **kwargs)  # type: ignore[arg-type]


def _internal_error(e: Exception) -> int:
    if os.environ.get("GRAPHKIT_DEBUG"):
        raise e
    click.echo(f"internal error: {type(e).__name__}: {e} (set GRAPHKIT_DEBUG=1 for details)", err=True)
    return 70


def _raised_writing_stdout(e: OSError) -> bool:
    """True when ``e`` was raised by ``click.echo`` writing to standard output (``/dev/full``, a full disk)."""
    tb = e.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code.co_name == "echo" and frame.f_globals.get("__name__") == "click.utils":
            try:
                return bool(frame.f_locals["file"].fileno() == 1)
            except (KeyError, AttributeError, OSError, ValueError):
                return False
        tb = tb.tb_next
    return False


def _flush_stdout(*, quiet: bool = False) -> None:
    """Flush standard output now, so that a failed write (``/dev/full``, a closed pipe) is reported
    here as one line (an OutputError; BrokenPipeError as is), not by Python at exit. After a failure
    the stream is pointed at /dev/null so nothing tries again. ``quiet``: no error, only that."""
    try:
        sys.stdout.flush()
    except OSError as e:
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        if quiet:
            return
        if isinstance(e, BrokenPipeError):
            raise
        from graphkit.rdf.files import output_error

        raise output_error("-", e) from None


def run() -> NoReturn:
    """The ``graphkit`` console script: :func:`main`, then exit with its code.

    A command that parked big objects (``graphkit build`` parks the built store and world, see
    :mod:`graphkit.runtime.teardown`) ends without freeing them one by one: its files are all written by
    then, and the operating system takes the memory back at once.
    """
    with parking() as parked:
        code = main()
        if parked:
            exit_now(code)
    sys.exit(code)
