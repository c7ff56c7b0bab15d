"""Requests, responses and the route table of ``graphkit serve``.

A handler takes a :class:`Request` and the server's context (:class:`~graphkit.server.context.ServerContext`,
whose ``select`` runs SPARQL under the time limit) and returns a :class:`Response`. Other modules add
their own endpoints with :func:`register_route` (served by every server made afterwards) or the
``routes`` argument of :func:`graphkit.server.app.make_server`.

>>> r = register_route("/hello", lambda req, ctx: text_response(200, "hi"), ("GET",))
>>> Router([r]).resolve("GET", "/hello") is r
True
>>> ROUTES.remove(r)
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graphkit.errors import QueryError

if TYPE_CHECKING:
    from graphkit.server.context import ServerContext


@dataclass(frozen=True)
class Request:
    """An HTTP request as handlers see it: the URL's parameters, headers (case-insensitive), body, and
    ``client``, the address the request came from (for per-client limits)."""

    method: str
    path: str
    params: Mapping[str, list[str]]
    headers: Mapping[str, str]
    body: bytes = b""
    client: str = "local"

    def param(self, name: str) -> str | None:
        """The single value of URL parameter ``name`` (None when absent)."""
        values = self.params.get(name)
        return values[0] if values else None

    @property
    def content_type(self) -> str:
        """The media type of the body, lower case, without parameters."""
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    def form(self) -> dict[str, list[str]]:
        """The body as an HTML form (``application/x-www-form-urlencoded``)."""
        try:
            text = self.body.decode("utf-8")
        except UnicodeDecodeError:
            raise RefusedRequest(400, "the form body is not UTF-8") from None
        return urllib.parse.parse_qs(text, keep_blank_values=True)


@dataclass
class Response:
    """What a handler returns."""

    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def text_response(status: int, message: str) -> Response:
    """A plain-text response (error messages are one line a person can act on).

    >>> text_response(404, "nothing here").body
    b'nothing here\\n'
    """
    return Response(status, (message.rstrip("\n") + "\n").encode("utf-8"))


def json_response(data: Any, status: int = 200) -> Response:
    """A JSON response."""
    return Response(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json")


class RefusedRequest(QueryError):
    """A request the endpoint will not serve, with the HTTP status to answer."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = dict(headers or {})


class QueryTimeout(QueryError):
    """A query ran past the time limit and was stopped."""


Handler = Callable[[Request, "ServerContext"], Response]


@dataclass(frozen=True)
class Route:
    """``path`` is matched exactly, or as a prefix when ``prefix`` is true (e.g. ``/static/``)."""

    path: str
    handler: Handler
    methods: tuple[str, ...] = ("GET", "POST")
    prefix: bool = False

    def matches(self, path: str) -> bool:
        """True when this route serves ``path``."""
        return path == self.path or (self.prefix and path.startswith(self.path))


#: Routes added by other modules; every server made afterwards serves them.
ROUTES: list[Route] = []


def register_route(
    path: str, handler: Handler, methods: Sequence[str] = ("GET", "POST"), *, prefix: bool = False
) -> Route:
    """Add a route to every server made from now on; returns it."""
    if not path.startswith("/"):
        raise ValueError(f"a route path starts with '/': {path!r}")
    route = Route(path, handler, tuple(m.upper() for m in methods), prefix)
    ROUTES.append(route)
    return route


class Router:
    """A small route table: exact paths first, then the longest matching prefix."""

    def __init__(self, routes: Iterable[Route] = ()) -> None:
        self.routes: list[Route] = list(routes)

    def add(self, route: Route) -> None:
        """Add (or, for the same path, replace) a route."""
        self.routes = [r for r in self.routes if r.path != route.path] + [route]

    def resolve(self, method: str, path: str) -> Route:
        """The route for a request, or RefusedRequest 404/405."""
        candidates = [r for r in self.routes if r.matches(path)]
        if not candidates:
            raise RefusedRequest(404, f"nothing at {path}; the SPARQL endpoint is /sparql, the query page is /")
        candidates.sort(key=lambda r: (r.path != path, -len(r.path)))
        for r in candidates:
            if method in r.methods:
                return r
        allowed = ", ".join(sorted({m for r in candidates for m in r.methods} | {"OPTIONS"}))
        raise RefusedRequest(405, f"{method} is not allowed on {path}", {"Allow": allowed})
