"""What a client must know about OpenLink Virtuoso (DBpedia's server; Debian's ``virtuoso-opensource``).

Virtuoso answers SPARQL 1.1 but differs from Oxigraph in ways that break a naive client;
:class:`~graphkit.store.remote.RemoteStore` handles them with the helpers here:

- **Result limits.** ``ResultSetMaxRows`` cuts every result to N rows without an error; only the
  header ``X-SPARQL-MaxRows: N`` says so. A result that reaches N rows is refused by
  :func:`check_complete` (it may be cut), never returned silently short.
  Virtuoso cuts CONSTRUCT and DESCRIBE results at the same limit without any header: a store that
  has seen the limit announced refuses a graph result of that size too; before that it cannot tell.
- **Partial results.** A query with a ``timeout`` parameter (an "anytime query", e.g.
  ``/sparql?timeout=30000``) that runs out of time answers 200 with whatever it had and the header
  ``X-SQL-State: S1TAT``; that too is an error. Past ``MaxQueryExecutionTime`` (or the cost estimate
  limit) it answers 500 with the reason, which :func:`explain_error` puts in one line.
- **Writing.** SPARQL Update only on the digest-authenticated ``/sparql-auth``; an ``INSERT DATA``
  of more than ~1,000 triples fails (the generated SQL passes 10,000 lines), so bulk writes go
  through its Graph Store Protocol endpoint ``/sparql-graph-crud-auth`` (:func:`graph_store_for`).
- **DESCRIBE.** Its default description can come back empty for a resource that has triples;
  queries get :data:`DESCRIBE_AS_CBD` in front, the Concise Bounded Description the embedded store
  gives. (It also refuses blank nodes in ``INSERT DATA``; graphkit sends those as ``INSERT {} WHERE {}``.)
- **Default graph.** Without ``FROM`` a query reads every graph the user may read, Virtuoso's own
  metadata graphs included; ``scripts/virtuoso.sh`` makes those unreadable for the anonymous
  ``/sparql`` user, so the default graph there is the union of the pushed named graphs.

>>> is_virtuoso("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu"), is_virtuoso("oxigraph/0.4")
(True, False)
>>> graph_store_for("http://127.0.0.1:8890/sparql-auth")
'http://127.0.0.1:8890/sparql-graph-crud-auth'
"""

from __future__ import annotations

import urllib.parse
from email.message import Message

from graphkit.errors import QueryError

#: Virtuoso's pragma for DESCRIBE as a Concise Bounded Description (goes before the prologue).
DESCRIBE_AS_CBD = 'define sql:describe-mode "CBD"\n'
#: Triples per ``INSERT DATA`` request that Virtuoso's SPARQL compiler accepts with a safe margin.
MAX_INSERT_TRIPLES = 500
#: Triples per Graph Store Protocol request (one PUT, then POSTs), so no request body is huge.
GRAPH_STORE_CHUNK = 100_000


def is_virtuoso(server_header: str | None) -> bool:
    """True when an HTTP ``Server`` header names Virtuoso."""
    return bool(server_header) and str(server_header).lower().startswith("virtuoso")


def graph_store_for(update_endpoint: str) -> str | None:
    """Virtuoso's authenticated Graph Store Protocol URL on the same server as ``update_endpoint``
    (``.../sparql-auth``), or None for another path."""
    parts = urllib.parse.urlsplit(update_endpoint)
    if not parts.path.rstrip("/").endswith("/sparql-auth"):
        return None
    path = parts.path.rstrip("/")[: -len("/sparql-auth")] + "/sparql-graph-crud-auth"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def check_complete(headers: Message, size: int, endpoint: str, known_limit: int | None = None) -> None:
    """Raise :class:`~graphkit.errors.QueryError` when the answer says it is incomplete: cut at
    ``ResultSetMaxRows`` (``size`` rows or triples reached ``X-SPARQL-MaxRows``) or partial after a
    timeout (``X-SQL-State``). Virtuoso cuts CONSTRUCT and DESCRIBE results too but sends no header
    for them: ``known_limit`` (a limit an earlier answer announced) stands in for it.

    >>> m = Message(); m["X-SPARQL-MaxRows"] = "100"
    >>> check_complete(m, 99, "http://h/sparql")
    >>> check_complete(m, 100, "http://h/sparql")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    graphkit.errors.QueryError: http://h/sparql: the result reached the server's limit of 100 rows ...
    """
    state = headers.get("X-SQL-State")
    if state:
        message = " ".join(str(headers.get("X-SQL-Message", "")).split())[:200]
        raise QueryError(
            f"{endpoint}: the server returned incomplete results ({state}: {message}); "
            "the query ran out of time: narrow it or give it more time"
        )
    limit = headers.get("X-SPARQL-MaxRows") or (str(known_limit) if known_limit else None)
    if limit and str(limit).strip().isdigit() and size >= int(limit):
        raise QueryError(
            f"{endpoint}: the result reached the server's limit of {int(limit)} rows (Virtuoso's ResultSetMaxRows), "
            "so it may be cut short: add a LIMIT or narrow the query, or raise the limit "
            "(VIRTUOSO_MAX_ROWS for scripts/virtuoso.sh)"
        )


def announced_limit(headers: Message) -> int | None:
    """The row limit an answer announces (``X-SPARQL-MaxRows``), if any."""
    value = str(headers.get("X-SPARQL-MaxRows") or "").strip()
    return int(value) if value.isdigit() else None


def explain_error(status: int, body: str) -> str | None:
    """A one-line message for Virtuoso's errors past its limits (time, estimated cost), else None.

    >>> explain_error(500, "Virtuoso S1T00 Error SR171: Transaction timed out\\n\\nSPARQL query: ...")
    "the query ran past the server's time limit (Virtuoso S1T00 Error SR171: Transaction timed out)"
    >>> explain_error(400, "Virtuoso 37000 Error SP030: syntax error") is None
    True
    """
    if not body.startswith("Virtuoso "):
        return None
    first = " ".join(body.split("SPARQL query:")[0].split())[:300]
    if "S1T00" in first or "timed out" in first:
        return f"the query ran past the server's time limit ({first})"
    if "estimated execution time" in first:
        return f"the query is past the server's cost limit ({first})"
    return None
