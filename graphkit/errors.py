"""The exceptions graphkit raises. Every one derives from :class:`GraphkitError`.

The library never prints or exits; the CLI turns a ``GraphkitError`` into one line on stderr and a
non-zero exit code.

>>> issubclass(InputError, GraphkitError)
True
"""

from __future__ import annotations


class GraphkitError(Exception):
    """Root of all graphkit errors."""


def one_line(e: BaseException) -> str:
    """An exception's message on one line (parsers and stores report over several), for our messages.

    >>> one_line(ValueError("bad token\\n  at line 3"))
    'bad token at line 3'
    """
    return " ".join(str(e).split())


class InputError(GraphkitError):
    """Bad input from the user: a missing file, a malformed RDF/CSV file, a bad parameter."""


class OutputError(GraphkitError):
    """An output could not be written (disk full, no permission, a name too long, a device refused).

    The message names the file and what to do; the previous file, if any, is left as it was."""


class GraphkitWarning(UserWarning):
    """Something the user should know that does not stop the work (the CLI prints ``warning: ...``):
    a prefix bound to an unexpected namespace, a data file reached through a link out of ``data/``."""


class ParseError(InputError):
    """An RDF or CSV file could not be parsed."""


class StoreError(GraphkitError):
    """The store could not be opened, read or written (no build yet, endpoint unreachable, ...)."""


class ReadOnlyStoreError(StoreError):
    """A write was attempted on a read-only store (e.g. the on-disk index ``graphkit index`` builds)."""


class QueryError(GraphkitError):
    """A SPARQL query is malformed, refused, or failed while running."""


class ParameterError(QueryError):
    """A query parameter is missing, unknown, or does not fit its declared type."""


class ValidationError(GraphkitError):
    """The graph does not conform to the SHACL shapes (carries the report)."""

    def __init__(self, message: str, report: object | None = None) -> None:
        super().__init__(message)
        self.report = report
