"""The reconciliation adapter: the W3C Reconciliation API (:mod:`graphkit.wikidata.recon_api`) at
``/reconcile`` of ``graphkit serve``, over the served graph.

The service's index is built on first use from the served graph, read through
:class:`ServedGraph` — the :class:`~graphkit.store.embedded.Store` read side whose queries run in the
server's query processes, under its time limit and guard.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node

from graphkit.errors import QueryError, StoreError
from graphkit.server.context import ServerContext
from graphkit.server.routing import Request, Response, Route
from graphkit.sparql.results import AskResult, GraphResult, QueryResult, SelectResult
from graphkit.wikidata.recon_api import ReconciliationService

_SERVICE_LOCK = threading.Lock()


class ServedGraph:
    """The graph a ``graphkit serve`` context serves, as a read-only :class:`~graphkit.store.embedded.Store`."""

    def __init__(self, ctx: ServerContext) -> None:
        self._ctx = ctx

    def query(
        self, sparql: str, *, bindings: Mapping[str, Node] | None = None, union_default_graph: bool = True
    ) -> QueryResult:
        """A SELECT or ASK, run by the server's query processes (the union of all graphs is the default graph)."""
        return self._ctx.select(sparql, bindings)

    def select(
        self, sparql: str, *, bindings: Mapping[str, Node] | None = None, union_default_graph: bool = True
    ) -> SelectResult:
        """A SELECT's rows."""
        result = self.query(sparql, bindings=bindings)
        if not isinstance(result, SelectResult):
            raise QueryError("a SELECT query was expected")
        return result

    def ask(self, sparql: str, *, bindings: Mapping[str, Node] | None = None, union_default_graph: bool = True) -> bool:
        """An ASK's answer."""
        result = self.query(sparql, bindings=bindings)
        if not isinstance(result, AskResult):
            raise QueryError("an ASK query was expected")
        return bool(result)

    def construct(
        self, sparql: str, *, bindings: Mapping[str, Node] | None = None, union_default_graph: bool = True
    ) -> GraphResult:
        """Not offered here: the reconciliation service reads rows only."""
        raise QueryError("the served graph answers SELECT and ASK queries here")

    def graphs(self) -> list[URIRef]:
        return sorted(URIRef(g) for g in self._ctx.graphs)

    def __len__(self) -> int:
        result = self._ctx.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(str(result.rows[0][0])) if isinstance(result, SelectResult) and result.rows else 0

    def _read_only(self) -> StoreError:
        return StoreError("the served graph is read-only")

    def load_file(self, path: str | Path, *, graph: URIRef | None = None, fmt: str | None = None) -> None:
        raise self._read_only()

    def load_data(self, data: str | bytes, fmt: str, *, graph: URIRef | None = None) -> None:
        raise self._read_only()

    def add_graph(self, triples: Graph, graph: URIRef) -> None:
        raise self._read_only()

    def dump(self, path: str | Path, *, fmt: str | None = None, graph: URIRef | None = None) -> Path:
        raise self._read_only()


def reconcile_handler(request: Request, ctx: ServerContext) -> Response:
    """``/reconcile``: the index of the served graph is built on first use, then kept in ``ctx.extras``."""
    with _SERVICE_LOCK:
        service = ctx.extras.get("reconciliation")
        if service is None:
            service = ReconciliationService.from_store(ServedGraph(ctx))
            ctx.extras["reconciliation"] = service
    status, headers, body = service.handle(
        request.method, request.params, request.body, request.headers.get("Content-Type") or ""
    )
    content_type = headers.pop("Content-Type")
    return Response(status, body, content_type, headers)


def reconcile_route() -> Route:
    """The route serving the Reconciliation API at ``/reconcile``."""
    return Route("/reconcile", reconcile_handler, ("GET", "POST"))
