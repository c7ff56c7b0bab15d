"""Run a query given the way a user types it (a catalogue name, a ``.rq`` file, or SPARQL text),
checked and bounded the way ``graphkit query`` runs it.

:func:`run_guarded` is what keeps a query typed at the command line (or read from a file someone
sent) from reaching other hosts or running forever: the query passes the guard
(:mod:`graphkit.sparql.guard`: no SERVICE unless allowed, FROM only to graphs of the store, no
update, no nesting deep enough to crash the parser), then runs in a thread of its own that has no
network (:mod:`graphkit.sparql.sandbox`), while the calling thread waits with a time limit and
stays responsive to Ctrl-C.

>>> resolve_query_spec("SELECT * WHERE { ?s ?p ?o }").name
'inline'
>>> resolve_query_spec("mous").name
'mous'
>>> from graphkit.store import EmbeddedStore
>>> bool(run_guarded(EmbeddedStore(), "ASK { ?s ?p ?o }", timeout=10))
False
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Mapping
from pathlib import Path

from rdflib.term import Node

from graphkit.errors import QueryError
from graphkit.sparql.binding import bind_values
from graphkit.sparql.catalogue import NamedQuery, bind_parameters, get_query, load_query_file
from graphkit.sparql.results import QueryResult
from graphkit.store.embedded import Store

#: Time limit of ``graphkit query``, in seconds.
DEFAULT_TIMEOUT = 60.0

_SPARQL_START = re.compile(
    r"^\s*(#[^\n]*\n\s*)*((PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE)\b"
    r"|(LOAD|INSERT|DELETE|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\s)",
    re.IGNORECASE,
)


def resolve_query_spec(spec: str) -> NamedQuery:
    """A catalogue query, a query file, or inline text (with no declared parameters)."""
    if _SPARQL_START.match(spec):
        return NamedQuery("inline", "inline query", "", (), (), spec)
    if spec.endswith(".rq") or "/" in spec or os.path.isfile(spec):
        return load_query_file(spec) if _has_header(spec) else _bare_file(spec)
    return get_query(spec)


def _has_header(path: str) -> bool:
    try:
        return "# title:" in Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return True  # let load_query_file report the problem


def _bare_file(path: str) -> NamedQuery:
    return NamedQuery(Path(path).stem, Path(path).stem, "", (), (), Path(path).read_text(encoding="utf-8"))


class QueryTimeoutError(QueryError):
    """A query ran past its time limit."""


def run_guarded(
    store: Store,
    text: str,
    bindings: Mapping[str, Node] | None = None,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    allow_service: bool = False,
) -> QueryResult:
    """Check ``text`` with the guard and run it with ``bindings`` (typed terms), for at most
    ``timeout`` seconds (None: no limit). FROM / FROM NAMED choose the dataset as on the endpoint
    (only graphs of ``store``); without them the default graph is the union of all graphs.

    A remote store runs the query itself (it is sent unchanged). pyoxigraph cannot cancel a
    query: past the time limit (or on Ctrl-C) the query's thread is left to finish in the
    background while this call raises; a command-line process then simply exits.
    """
    from graphkit.sparql.guard import guard_query
    from graphkit.store.remote import RemoteStore

    if isinstance(store, RemoteStore):
        return store.query(text, bindings=bindings)
    full = bind_values(text, bindings) if bindings else text
    checked = guard_query(full, graphs={str(g) for g in store.graphs()}, allow_service=allow_service)
    outcome: list[QueryResult | BaseException] = []
    done = threading.Event()

    def run() -> None:
        try:
            if not allow_service:
                from graphkit.sparql.sandbox import seal_network

                try:
                    seal_network()
                except OSError:  # a kernel without seccomp filters: the guard is then the only layer
                    pass
            outcome.append(store.query(checked.text, union_default_graph=not checked.has_dataset))
        except BaseException as e:  # noqa: BLE001 - handed to the waiting thread
            # without its traceback: pyoxigraph objects in those frames must be dropped in this thread
            e.__traceback__ = e.__context__ = None
            outcome.append(e)
        finally:
            done.set()

    threading.Thread(target=run, name="graphkit-query", daemon=True).start()
    if not done.wait(timeout):
        raise QueryTimeoutError(f"the query ran longer than the time limit of {timeout:g} s and was stopped")
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def run_query_spec(
    store: Store,
    spec: str,
    params: Mapping[str, str] | None = None,
    *,
    timeout: float | None = None,
    allow_service: bool = False,
) -> QueryResult:
    """Resolve ``spec`` and run it with ``params`` bound as typed RDF terms (see :func:`run_guarded`)."""
    query = resolve_query_spec(spec)
    return run_guarded(
        store, query.text, bind_parameters(query, params or {}), timeout=timeout, allow_service=allow_service
    )
