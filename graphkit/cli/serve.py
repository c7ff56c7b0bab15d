"""SPARQL endpoint commands: `graphkit serve` (a local read-only endpoint over the graph) and
`graphkit push` (publish the build to a remote SPARQL 1.1 store)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from graphkit.cli import cli
from graphkit.cli.common import GRAPH_OPTION, OUT_OPTION, open_store

if TYPE_CHECKING:
    from graphkit.server.http import SparqlServer


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="TCP port (0: any free).")
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Time limit per query, in seconds; a query past it is stopped (its worker process is killed).",
)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 32), help="Query worker processes.")
@click.option(
    "--memory-limit",
    "memory_limit_mb",
    default=4096,
    show_default=True,
    type=click.IntRange(min=0),
    help="Address space per worker in MB (0: no limit); a query past it stops its worker.",
)
@click.option("--verbose", "-v", is_flag=True, help="Log one line per request on stderr.")
@GRAPH_OPTION
@OUT_OPTION
def serve(host: str, graph_files: tuple[Path, ...], out_dir: Path, **limits: Any) -> None:
    """Serve the graph as a read-only SPARQL 1.1 endpoint at http://HOST:PORT/sparql, with a query
    page (YASGUI, works offline) at http://HOST:PORT/.

    \b
    GET and POST (form or application/sparql-query); JSON, XML, CSV, TSV results; Turtle, N-Triples,
    JSON-LD, RDF/XML for CONSTRUCT/DESCRIBE; CORS for browser editors. Updates, SERVICE and FROM
    graphs that are not in the store are refused, and queries run with no network access.
    A query running longer than half a second drops to idle CPU priority, so quick queries stay
    quick beside slow ones. Stop with Ctrl-C.
    Example:  graphkit serve --port 7878 --timeout 10
    """
    from graphkit.paths import default_snapshot
    from graphkit.server.app import is_loopback
    from graphkit.server.app import serve as run

    if not is_loopback(host):
        click.echo(f"warning: listening on {host}: the endpoint is reachable from other machines", err=True)
    # the last build is served straight from its snapshot (only the query worker loads it)
    source = open_store(graph_files, out_dir) if graph_files else default_snapshot(out_dir)
    run(source, host=host, on_ready=_announce, **limits)  # port, timeout, workers, memory limit, verbose


def _announce(server: SparqlServer) -> None:
    click.echo(f"SPARQL endpoint: {server.url}/sparql   query page: {server.url}/   (Ctrl-C to stop)", err=True)


@cli.command()
@click.option("--endpoint", required=True, help="SPARQL query endpoint URL (e.g. http://localhost:7878/query).")
@click.option("--update-endpoint", help="SPARQL Update endpoint URL (e.g. http://localhost:7878/update).")
@click.option("--graph-store", help="Graph Store Protocol URL (e.g. http://localhost:7878/store); preferred if given.")
@click.option("--user", help="User name for HTTP basic auth.")
@click.option("--password", help="Password for HTTP basic auth (or set GRAPHKIT_PASSWORD).", envvar="GRAPHKIT_PASSWORD")
@click.option("--timeout", default=120.0, show_default=True, type=click.FloatRange(min=1), help="Seconds per request.")
@click.option(
    "--chunk-size", default=10000, show_default=True, type=click.IntRange(min=1), help="Triples per INSERT DATA."
)
@OUT_OPTION
def push(endpoint: str, out_dir: Path, **connection: Any) -> None:
    """Publish the last build (out/graph.nq) to a SPARQL 1.1 store: each named graph replaces the
    store's graph of the same name (Graph Store Protocol PUT, or SPARQL Update DROP + INSERT DATA).

    \b
    Example (an oxigraph server):
      graphkit push --endpoint http://localhost:7878/query --update-endpoint http://localhost:7878/update
    Retries on 429/503 honouring Retry-After; sends a graphkit User-Agent.
    """
    from graphkit.errors import InputError
    from graphkit.paths import default_snapshot
    from graphkit.store.remote import RemoteStore, push_snapshot

    if not (connection.get("update_endpoint") or connection.get("graph_store")):
        raise InputError("push needs --update-endpoint (SPARQL Update) or --graph-store (Graph Store Protocol)")
    remote = RemoteStore(endpoint, **connection)  # update endpoint or graph store, auth, timeout, chunks
    report = push_snapshot(default_snapshot(out_dir), remote, show_progress=True)
    click.echo(report.summary(), nl=False)
