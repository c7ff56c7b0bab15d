"""The query worker of ``graphkit serve``: one process that holds the graph and forks one process per query.

pyoxigraph cannot cancel a running query, so every query runs in a process of its own that the
server can kill (:mod:`graphkit.server.pool`). Forking from a worker that already holds the graph
takes milliseconds (the graph is shared copy-on-write), so a killed query costs no reload and a
cheap query never waits for a worker to load.

The worker is a plain ``python -m graphkit.server.worker FD SNAPSHOT MEMORY_LIMIT PREFIXES_JSON GUARD``
subprocess (so, unlike multiprocessing's spawn, it never re-runs the caller's main script). It

1. limits its address space to MEMORY_LIMIT bytes (its query processes inherit the limit),
2. cuts itself off the network (:func:`graphkit.sparql.sandbox.seal_network`; the query processes
   inherit the seal: a SERVICE clause that got past the guard still reaches no host),
3. loads the N-Quads snapshot and says ``("ready", triples, graph names, sealed)`` on FD,
4. then, for each ``"fork"`` message followed by a socket (passed with SCM_RIGHTS), forks a query
   process that reads ``(query, accept, default_graphs, named_graphs)`` from that socket, checks
   the query (:func:`graphkit.sparql.guard.guard_query` — the parse runs here, under the time
   limit, not in the server), runs it and answers ``("ok", media type, body)``,
   ``("refused", reason, message)``, ``("syntax", message)`` or ``("error", message)``; the worker
   answers the query process's pid.

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> run_one(store, frozenset(), {}, "ASK { ?s ?p ?o }", "text/csv", [], [])
('ok', 'text/csv; charset=utf-8', b'false')
>>> run_one(store, frozenset(), {}, "SELECT * { SERVICE <http://h/> { ?s ?p ?o } }", None, [], [])[:2]
('refused', 'service')
"""

from __future__ import annotations

import gc
import json
import os
import signal
import sys
from collections.abc import Collection, Mapping
from multiprocessing.connection import Connection
from multiprocessing.reduction import recv_handle
from typing import Any

from graphkit.errors import one_line
from graphkit.runtime.forks import die_with_parent
from graphkit.server.negotiation import GRAPH_FORMATS, RESULT_FORMATS, negotiate, not_acceptable
from graphkit.sparql.guard import CheckedQuery, RefusedQuery, guard_query, inspect_query
from graphkit.sparql.sandbox import seal_network


def worker_main(
    control: Connection,
    snapshot: str,
    prefixes: dict[str, str],
    memory_limit: int | None = None,
    *,
    guard: bool = True,
) -> None:
    """Load ``snapshot``, say ``ready``, then fork a query process per request until the pipe closes.
    ``guard`` False skips the query guard (only for tests of the network seal behind it)."""
    if memory_limit:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    try:
        sealed = seal_network()
    except OSError:  # a kernel without seccomp filters: the guard is then the only layer
        sealed = False
    import pyoxigraph as ox

    try:
        store = ox.Store()
        store.load(path=snapshot, format=ox.RdfFormat.N_QUADS)
        graphs = frozenset(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    except Exception as e:  # noqa: BLE001 - reported to the parent, which fails cleanly
        control.send(("error", f"cannot load {snapshot}: {one_line(e)}"))
        return
    inspect_query("ASK { ?s ?p ?o }")  # imports and warms the parser once, not in every query process
    gc.freeze()  # query processes never walk (and so never copy) the objects they inherit
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # finished query processes are reaped by the kernel
    control.send(("ready", len(store), sorted(graphs), sealed))
    while True:
        try:
            message = control.recv()
            if message is None:
                return
            fd = recv_handle(control)
        except (EOFError, OSError):
            return
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the query process
            code = 0
            try:
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                die_with_parent(parent)
                control.close()
                _answer(Connection(fd), store, graphs, prefixes, guard)
            except BaseException:  # noqa: BLE001 - the server sees the closed socket
                code = 1
            finally:
                os._exit(code)
        os.close(fd)
        control.send(pid)


def _answer(conn: Connection, store: Any, graphs: frozenset[str], prefixes: dict[str, str], guard: bool) -> None:
    request = conn.recv()
    conn.send(run_one(store, graphs, prefixes, *request, guard=guard))
    conn.close()


def run_one(
    store: Any,
    graphs: Collection[str],
    prefixes: Mapping[str, str],
    query: str,
    accept: str | None,
    default_graphs: list[str],
    named_graphs: list[str],
    *,
    guard: bool = True,
) -> tuple[Any, ...]:
    """Check, run and serialise one query; refusals and errors come back as messages, never as exceptions.

    The default graph is ``default_graphs`` when given, else the query's own FROM graphs, else the
    union of all graphs."""
    import pyoxigraph as ox

    try:
        if guard:
            checked = guard_query(
                query, graphs=graphs, default_graphs=default_graphs, named_graphs=named_graphs, prefixes=prefixes
            )
        else:
            from graphkit.sparql.binding import query_form

            checked = CheckedQuery(query, query_form(query))
    except RefusedQuery as e:
        return ("refused", e.reason, str(e))
    fmt = negotiate(accept, checked.form)
    if fmt is None:
        return ("refused", "media", not_acceptable(accept, checked.form))
    options: dict[str, Any] = {"prefixes": dict(prefixes)}
    if default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    elif not checked.has_dataset:
        options["use_default_graph_as_union"] = True
    if named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        result = store.query(checked.text, **options)
        if isinstance(result, ox.QueryTriples):
            name, media = GRAPH_FORMATS[fmt]
            body = result.serialize(format=getattr(ox.RdfFormat, name))
        else:
            name, media = RESULT_FORMATS[fmt]
            body = result.serialize(format=getattr(ox.QueryResultsFormat, name))
    except SyntaxError as e:
        return ("syntax", one_line(e))
    except Exception as e:  # noqa: BLE001 - evaluation errors go back to the client as a 500
        return ("error", one_line(e))
    return ("ok", media, body or b"")


def main(argv: list[str]) -> None:
    """``python -m graphkit.server.worker FD SNAPSHOT MEMORY_LIMIT PREFIXES_JSON GUARD``."""
    fd, snapshot, limit, prefixes = int(argv[0]), argv[1], int(argv[2]), json.loads(argv[3])
    guard = argv[4] != "0" if len(argv) > 4 else True
    worker_main(Connection(fd), snapshot, prefixes, limit or None, guard=guard)


if __name__ == "__main__":
    main(sys.argv[1:])
