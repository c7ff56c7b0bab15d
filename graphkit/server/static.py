"""The query page and what it loads: YASGUI (vendored under graphkit/static/, no CDN), the
catalogue of named queries with their SPARQL, graphkit's prefixes.

>>> safe_static_path("yasgui/yasgui.min.js").name
'yasgui.min.js'
>>> safe_static_path("../server/app.py") is None, safe_static_path("a\\x00b") is None
(True, True)
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import Any

from graphkit.errors import QueryError
from graphkit.paths import PACKAGE_ROOT
from graphkit.rdf.namespaces import PREFIXES
from graphkit.server.context import ServerContext
from graphkit.server.routing import RefusedRequest, Request, Response, json_response
from graphkit.sparql.binding import bind_values

STATIC_DIR = PACKAGE_ROOT / "static"

_STATIC_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}


def index_handler(request: Request, ctx: ServerContext) -> Response:
    """The query page (YASGUI, served from the package, no CDN)."""
    page = STATIC_DIR / "index.html"
    return Response(200, page.read_bytes(), "text/html; charset=utf-8")


def safe_static_path(rel: str) -> Path | None:
    """The file under graphkit/static/ that ``rel`` names, or None (outside it, missing, a NUL byte…)."""
    if not rel or "\x00" in rel:
        return None
    try:
        target = (STATIC_DIR / rel).resolve()
    except (OSError, ValueError, RuntimeError):
        return None
    if STATIC_DIR.resolve() not in target.parents or not target.is_file():
        return None
    return target


def static_handler(request: Request, ctx: ServerContext) -> Response:
    """Files under graphkit/static/ (never outside it)."""
    target = safe_static_path(urllib.parse.unquote(request.path[len("/static/") :]))
    if target is None:
        raise RefusedRequest(404, "no such static file")
    ctype = _STATIC_TYPES.get(target.suffix, "application/octet-stream")
    return Response(200, target.read_bytes(), ctype, {"Cache-Control": "max-age=3600"})


def catalogue_handler(request: Request, ctx: ServerContext) -> Response:
    """The query catalogue as JSON (name, title, description, parameters, SPARQL text with PREFIX lines)."""
    from graphkit.sparql.binding import prefix_declarations, tokenize
    from graphkit.sparql.catalogue import list_queries

    out = []
    for q in list_queries():
        used = {t.text.split(":", 1)[0] for t in tokenize(q.text) if t.kind == "pname"}
        declared = prefix_declarations(tokenize(q.text))
        lines = [f"PREFIX {p}: <{PREFIXES[p]}>" for p in sorted(used) if p in PREFIXES and p not in declared]
        out.append(
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "params": [{"name": p.name, "type": p.type, "default": p.default} for p in q.params],
                "sparql": "\n".join(lines) + "\n" + _with_defaults(q),
            }
        )
    return json_response(out)


def _with_defaults(query: Any) -> str:
    """The query text with its parameters' defaults bound in a VALUES block (editable on the page)."""
    from graphkit.sparql.catalogue import bind_parameters

    try:
        return bind_values(query.text, bind_parameters(query, {}))
    except QueryError:  # a required parameter without default: leave the variable free
        return str(query.text)


def prefixes_handler(request: Request, ctx: ServerContext) -> Response:
    """graphkit's prefixes as ``{"prefix": "iri"}`` (the query page's prefix completion, offline)."""
    return json_response(PREFIXES)
