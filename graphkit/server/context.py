"""What route handlers can use: the query pool, the served graph's names, the time limit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rdflib.term import Node

from graphkit.server.pool import WorkerPool
from graphkit.sparql.binding import bind_values
from graphkit.sparql.results import AskResult, SelectResult


@dataclass
class ServerContext:
    """The pool that runs queries, the store's graph names, the time limit, and ``extras`` where
    handlers keep what they build once (e.g. the reconciliation index)."""

    pool: WorkerPool
    graphs: frozenset[str]
    timeout: float
    extras: dict[str, Any] = field(default_factory=dict)

    def run(
        self,
        text: str,
        accept: str | None,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        *,
        client: str = "local",
    ) -> tuple[str, bytes]:
        """Check and run a query under the time limit (the query process applies the guard);
        ``(media type, body)`` negotiated from ``accept``."""
        return self.pool.execute(text, accept, default_graphs, named_graphs, client=client)

    def select(self, text: str, bindings: Mapping[str, Node] | None = None) -> SelectResult | AskResult:
        """Run a SELECT/ASK (parameters bound as RDF terms) under the time limit, for other handlers."""
        from graphkit.store.remote import parse_sparql_json

        full = bind_values(text, bindings) if bindings else text
        _, body = self.run(full, "application/sparql-results+json")
        return parse_sparql_json(body)
