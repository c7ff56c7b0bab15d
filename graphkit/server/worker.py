"""The query worker of ``graphkit serve``: a separate process that holds the graph and runs queries.

pyoxigraph cannot cancel a running query, so the server runs every query in one of a few worker
processes and kills the worker when its time limit passes (:mod:`graphkit.server.app` replaces it).
A worker is a plain ``python -m graphkit.server.worker FD SNAPSHOT MEMORY_LIMIT PREFIXES_JSON``
subprocess talking over an inherited socket (so, unlike multiprocessing's spawn, it never re-runs
the caller's main script).
A worker loads the N-Quads snapshot once, then answers requests on its pipe:
``(query, format_key, default_graphs, named_graphs, union)`` → ``("ok", content_type, body)`` or
``("syntax" | "error", message)``. The result is serialised here, by pyoxigraph, in the
negotiated format, so the server only copies bytes.

>>> sorted(RESULT_FORMATS)
['csv', 'json', 'tsv', 'xml']
>>> sorted(GRAPH_FORMATS)
['jsonld', 'nt', 'rdfxml', 'ttl']
"""

from __future__ import annotations

import json
import sys
from multiprocessing.connection import Connection
from typing import Any

from graphkit.errors import one_line

#: Result formats for SELECT/ASK: key → (pyoxigraph format name, media type).
RESULT_FORMATS: dict[str, tuple[str, str]] = {
    "json": ("JSON", "application/sparql-results+json"),
    "xml": ("XML", "application/sparql-results+xml"),
    "csv": ("CSV", "text/csv; charset=utf-8"),
    "tsv": ("TSV", "text/tab-separated-values; charset=utf-8"),
}
#: RDF formats for CONSTRUCT/DESCRIBE: key → (pyoxigraph format name, media type).
GRAPH_FORMATS: dict[str, tuple[str, str]] = {
    "ttl": ("TURTLE", "text/turtle; charset=utf-8"),
    "nt": ("N_TRIPLES", "application/n-triples"),
    "jsonld": ("JSON_LD", "application/ld+json"),
    "rdfxml": ("RDF_XML", "application/rdf+xml"),
}


def worker_main(conn: Connection, snapshot: str, prefixes: dict[str, str], memory_limit: int | None = None) -> None:
    """Load ``snapshot`` (N-Quads) into an in-memory store, say ``ready``, then answer queries until
    the pipe closes. ``memory_limit`` (bytes of address space) bounds what one query can take: past
    it the worker dies and the server replaces it, instead of the machine running out of memory."""
    if memory_limit:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    import pyoxigraph as ox

    try:
        store = ox.Store()
        store.load(path=snapshot, format=ox.RdfFormat.N_QUADS)
    except Exception as e:  # noqa: BLE001 - reported to the parent, which fails cleanly
        conn.send(("error", f"cannot load {snapshot}: {e}"))
        return
    conn.send(("ready", len(store)))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        conn.send(run_one(store, prefixes, *message))


def run_one(
    store: Any,
    prefixes: dict[str, str],
    query: str,
    fmt: str,
    default_graphs: list[str],
    named_graphs: list[str],
    union: bool = True,
) -> tuple[Any, ...]:
    """Run one query and serialise its result; errors come back as messages, never as exceptions.

    The default graph is ``default_graphs`` when given, else the union of all graphs when ``union``
    (false when the query has its own FROM clauses, which then decide)."""
    import pyoxigraph as ox

    options: dict[str, Any] = {"prefixes": prefixes}
    if default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    elif union:
        options["use_default_graph_as_union"] = True
    if named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        result = store.query(query, **options)
        if isinstance(result, ox.QueryTriples):
            name, media = GRAPH_FORMATS.get(fmt, GRAPH_FORMATS["ttl"])
            body = result.serialize(format=getattr(ox.RdfFormat, name))
        else:
            name, media = RESULT_FORMATS.get(fmt, RESULT_FORMATS["json"])
            body = result.serialize(format=getattr(ox.QueryResultsFormat, name))
    except SyntaxError as e:
        return ("syntax", one_line(e))
    except Exception as e:  # noqa: BLE001 - evaluation errors go back to the client as a 500
        return ("error", one_line(e))
    return ("ok", media, body or b"")


def main(argv: list[str]) -> None:
    """``python -m graphkit.server.worker FD SNAPSHOT MEMORY_LIMIT PREFIXES_JSON``."""
    fd, snapshot, limit, prefixes = int(argv[0]), argv[1], int(argv[2]), json.loads(argv[3])
    worker_main(Connection(fd), snapshot, prefixes, limit or None)


if __name__ == "__main__":
    main(sys.argv[1:])
