"""The SPARQL 1.1 Protocol query operation at ``/sparql`` (read-only).

GET (and HEAD) with ``query=``, POST as a form or as ``application/sparql-query``; the protocol's
``default-graph-uri``/``named-graph-uri``; updates refused (403, or 400 by GET). The query itself
is checked in its query process (:mod:`graphkit.sparql.guard`); the nesting depth is checked here
first, so a query that would crash a parser never leaves this process.
"""

from __future__ import annotations

from graphkit.server.context import ServerContext
from graphkit.server.routing import RefusedRequest, Request, Response
from graphkit.sparql.guard import RefusedQuery, check_depth


def query_text(request: Request) -> tuple[str, list[str], list[str]]:
    """The query and the protocol's default and named graphs of a request (RefusedRequest when
    there is not exactly one query, or an update is sent)."""
    params: dict[str, list[str]] = {k: list(v) for k, v in request.params.items()}
    if request.method in ("GET", "HEAD"):
        if "update" in params:
            raise RefusedRequest(400, "SPARQL Update is never accepted by GET (and this endpoint is read-only)")
        texts = params.get("query", [])
    else:
        ctype = request.content_type
        if ctype == "application/x-www-form-urlencoded":
            fields = request.form()
            if "update" in fields:
                raise RefusedRequest(403, "this endpoint is read-only: SPARQL Update is not accepted")
            texts = fields.get("query", [])
            for name in ("default-graph-uri", "named-graph-uri"):
                params[name] = params.get(name, []) + fields.get(name, [])
        elif ctype == "application/sparql-query":
            try:
                texts = [request.body.decode("utf-8")]
            except UnicodeDecodeError:
                raise RefusedRequest(400, "the query is not UTF-8 text") from None
        elif ctype == "application/sparql-update":
            raise RefusedRequest(403, "this endpoint is read-only: SPARQL Update is not accepted")
        else:
            raise RefusedRequest(
                415,
                f"unsupported request body {ctype or '(none)'}: send application/sparql-query or a form with query=",
            )
    if len(texts) != 1 or not texts[0].strip():
        raise RefusedRequest(400, "send exactly one SPARQL query (the 'query' parameter or a sparql-query body)")
    return texts[0], params.get("default-graph-uri", []), params.get("named-graph-uri", [])


def sparql_handler(request: Request, ctx: ServerContext) -> Response:
    """Answer one query in the negotiated format."""
    text, default_graphs, named_graphs = query_text(request)
    try:
        check_depth(text)
    except RefusedQuery as e:
        raise RefusedRequest(400, str(e)) from None
    media, body = ctx.run(text, request.headers.get("Accept"), default_graphs, named_graphs, client=request.client)
    return Response(200, body, media, {"Vary": "Accept"})
