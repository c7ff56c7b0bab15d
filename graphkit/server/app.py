"""A local, read-only SPARQL 1.1 Protocol endpoint for the graph (``graphkit serve``): the assembly.

``/sparql`` answers GET, HEAD, POST form and POST ``application/sparql-query`` requests with content
negotiation (SPARQL JSON, XML, CSV, TSV for SELECT/ASK; Turtle, N-Triples, JSON-LD, RDF/XML for
CONSTRUCT/DESCRIBE; ``*/*`` and q-values honoured, anything else 406). It is read-only (updates
are refused with 403, or 400 when sent by GET), refuses ``SERVICE`` and any ``FROM``/``FROM
NAMED``/``default-graph-uri``/``named-graph-uri`` that is not a graph of the store — decided on
the parsed query (:mod:`graphkit.sparql.guard`), and the query processes have no network at all
(:mod:`graphkit.sparql.sandbox`) — sends CORS headers, listens on loopback by default, and serves
a YASGUI query page at ``/`` (vendored under ``graphkit/static/``, no CDN).

The parts, one job each: :mod:`~graphkit.server.routing` (requests, responses, routes),
:mod:`~graphkit.server.http` (connections), :mod:`~graphkit.server.protocol` (``/sparql``),
:mod:`~graphkit.server.negotiation`, :mod:`~graphkit.server.pool` and :mod:`~graphkit.server.worker`
(a process per query, killed at the time limit), :mod:`~graphkit.server.lanes` (long queries leave
the fast lane), :mod:`~graphkit.server.static` (the query page), :mod:`~graphkit.server.reconcile`
(``/reconcile``).

>>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
(True, True, False)
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from graphkit.errors import StoreError
from graphkit.server.context import ServerContext
from graphkit.server.http import MAX_BODY, SparqlServer
from graphkit.server.negotiation import negotiate
from graphkit.server.pool import WorkerPool
from graphkit.server.protocol import sparql_handler
from graphkit.server.reconcile import reconcile_route
from graphkit.server.routing import (
    ROUTES,
    QueryTimeout,
    RefusedRequest,
    Request,
    Response,
    Route,
    Router,
    json_response,
    register_route,
    text_response,
)
from graphkit.server.static import STATIC_DIR, catalogue_handler, index_handler, prefixes_handler, static_handler

__all__ = [
    "MAX_BODY",
    "ROUTES",
    "STATIC_DIR",
    "QueryTimeout",
    "RefusedRequest",
    "Request",
    "Response",
    "Route",
    "Router",
    "ServerContext",
    "SparqlServer",
    "WorkerPool",
    "default_routes",
    "is_loopback",
    "json_response",
    "make_server",
    "negotiate",
    "register_route",
    "serve",
    "text_response",
]


def default_routes() -> list[Route]:
    """The endpoint's own routes: /sparql, the query page, its static files, the catalogue, the
    prefixes, and the W3C Reconciliation API at /reconcile."""
    return [
        Route("/sparql", sparql_handler, ("GET", "POST")),
        Route("/", index_handler, ("GET",)),
        Route("/static/", static_handler, ("GET",), prefix=True),
        Route("/queries", catalogue_handler, ("GET",)),
        Route("/prefixes", prefixes_handler, ("GET",)),
        reconcile_route(),
    ]


def make_server(
    source: Any,
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    timeout: float = 10.0,
    workers: int = 2,
    memory_limit_mb: int | None = 4096,
    routes: Iterable[Route] = (),
    verbose: bool = False,
    connection_timeout: float = 15.0,
    max_connections: int = 128,
    guard: bool = True,
) -> SparqlServer:
    """A ready (not yet serving) endpoint over ``source``: an :class:`~graphkit.store.EmbeddedStore`,
    or the path of an N-Quads snapshot such as ``out/graph.nq`` (then this process never loads it).

    One worker process loads the graph (a store is first written to a temporary N-Quads file) and
    forks a process per query; ``workers`` queries run at full speed at once, each for at most
    ``timeout`` seconds and ``memory_limit_mb`` of address space (None: no limit). At most
    ``max_connections`` connections are served at once, each closed after ``connection_timeout``
    idle seconds. ``guard`` False is for tests of the network seal only. Call ``serve_forever()``
    (or :func:`serve`), then ``close()``.
    """
    if timeout <= 0:
        raise StoreError("the time limit must be positive")
    tmpdir: str | None = None
    if isinstance(source, str | Path):
        snapshot = Path(source)
        if not snapshot.is_file():
            raise StoreError(f"no built graph at {snapshot}: build the graph first, or name the RDF files to serve")
        if snapshot.suffix.lower() not in (".nq", ".nquads"):
            raise StoreError(f"{snapshot}: the endpoint serves an N-Quads snapshot (.nq); open other files as a store")
    else:
        tmpdir = tempfile.mkdtemp(prefix="graphkit-serve-")
        snapshot = Path(tmpdir) / "graph.nq"

    def cleanup() -> None:
        if tmpdir is not None:
            shutil.rmtree(tmpdir, ignore_errors=True)

    try:
        if tmpdir is not None:
            source.dump(snapshot, fmt="nq")
        pool = WorkerPool(snapshot, size=workers, timeout=timeout, memory_limit_mb=memory_limit_mb, guard=guard)
        pool.start()
    except BaseException:
        cleanup()
        raise
    context = ServerContext(pool, pool.graphs, timeout)
    router = Router(default_routes())
    for r in [*ROUTES, *routes]:
        router.add(r)
    try:
        server = SparqlServer(
            (host, port),
            context,
            router,
            verbose=verbose,
            connection_timeout=connection_timeout,
            max_connections=max_connections,
        )
    except OSError as e:
        pool.close()
        cleanup()
        raise StoreError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    server.on_close.append(cleanup)
    return server


def serve(
    source: Any,
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    timeout: float = 10.0,
    workers: int = 2,
    memory_limit_mb: int | None = 4096,
    verbose: bool = False,
    on_ready: Callable[[SparqlServer], None] | None = None,
) -> None:
    """Serve ``source`` (a store or an N-Quads snapshot path) until interrupted (Ctrl-C or SIGTERM),
    then stop the workers. ``memory_limit_mb`` 0 or None: no limit."""
    server = make_server(
        source,
        host=host,
        port=port,
        timeout=timeout,
        workers=workers,
        memory_limit_mb=memory_limit_mb or None,
        verbose=verbose,
    )
    _stop_on_sigterm()
    try:
        if on_ready is not None:
            on_ready(server)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def _stop_on_sigterm() -> None:
    """Turn SIGTERM into KeyboardInterrupt (main thread only), so that `kill PID` also stops the
    workers and removes the temporary snapshot."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
