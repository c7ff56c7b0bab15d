"""A local, read-only SPARQL 1.1 Protocol endpoint for the graph (``graphkit serve``).

``/sparql`` answers GET, POST form and POST ``application/sparql-query`` requests with content
negotiation (SPARQL JSON, XML, CSV, TSV for SELECT/ASK; Turtle, N-Triples, JSON-LD, RDF/XML for
CONSTRUCT/DESCRIBE; ``*/*`` and q-values honoured, anything else 406). It is read-only (updates
are refused with 403, or 400 when sent by GET), refuses ``SERVICE`` and any ``FROM``/``FROM
NAMED``/``default-graph-uri``/``named-graph-uri`` that is not a graph of the store (so a query can
never read local files or reach other hosts), sends CORS headers (browser editors work, OPTIONS
preflight included), listens on loopback by default, and serves a YASGUI query page at ``/``
(vendored under ``graphkit/static/``, no CDN).

Queries run in a few worker processes that hold the graph (:mod:`graphkit.server.worker`);
pyoxigraph cannot cancel a query, so when a query passes the time limit its worker is killed
(the work really stops), the client gets 504, and a fresh worker takes its place.

Other modules add their own endpoints through the route table: :func:`register_route` (served by
every server made afterwards, e.g. a reconciliation service at ``/reconcile``) or the ``routes``
argument of :func:`make_server`. A handler takes a :class:`Request` and the :class:`ServerContext`
(whose :meth:`~ServerContext.select` runs SPARQL under the same time limit) and returns a
:class:`Response`.

>>> negotiate("application/sparql-results+json, */*;q=0.1", "SELECT")
'json'
>>> negotiate("text/csv;q=0.5, text/tab-separated-values", "SELECT")
'tsv'
>>> negotiate("*/*", "CONSTRUCT"), negotiate(None, "ASK"), negotiate("image/png", "SELECT")
('ttl', 'json', None)
"""

from __future__ import annotations

import json
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from rdflib.term import Node

from graphkit.errors import GraphkitError, QueryError, StoreError
from graphkit.paths import PACKAGE_ROOT
from graphkit.rdf.namespaces import PREFIXES
from graphkit.sparql.binding import bind_values, dataset_clauses, query_form, uses_service
from graphkit.sparql.results import AskResult, SelectResult

STATIC_DIR = PACKAGE_ROOT / "static"
#: Largest request body accepted (a query with a big VALUES block still fits).
MAX_BODY = 4 * 1024 * 1024

#: Media types the endpoint can produce, in order of preference, per kind of result.
RESULT_MEDIA: tuple[tuple[str, str], ...] = (
    ("application/sparql-results+json", "json"),
    ("application/json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
    ("application/xml", "xml"),
    ("text/xml", "xml"),
)
GRAPH_MEDIA: tuple[tuple[str, str], ...] = (
    ("text/turtle", "ttl"),
    ("application/x-turtle", "ttl"),
    ("application/n-triples", "nt"),
    ("text/plain", "nt"),
    ("application/ld+json", "jsonld"),
    ("application/json", "jsonld"),
    ("application/rdf+xml", "rdfxml"),
    ("application/xml", "rdfxml"),
)


# ---- requests, responses, routes -------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """An HTTP request as handlers see it: the URL's parameters, headers (case-insensitive) and body."""

    method: str
    path: str
    params: Mapping[str, list[str]]
    headers: Mapping[str, str]
    body: bytes = b""

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
    """A plain-text response (error messages are one line a person can act on)."""
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
    """A query ran past the time limit; its worker was killed."""


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


#: Routes added by other modules (e.g. ``/reconcile``); every server made afterwards serves them.
ROUTES: list[Route] = []


def register_route(
    path: str, handler: Handler, methods: Sequence[str] = ("GET", "POST"), *, prefix: bool = False
) -> Route:
    """Add a route to every server made from now on; returns it.

    >>> r = register_route("/hello", lambda req, ctx: text_response(200, "hi"), ("GET",))
    >>> Router([r]).resolve("GET", "/hello") is r
    True
    >>> ROUTES.remove(r)
    """
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


# ---- the worker pool -------------------------------------------------------------------------------


class _Worker:
    """One worker subprocess and our end of its socket."""

    def __init__(self, process: subprocess.Popen[bytes], conn: Connection) -> None:
        self.process = process
        self.conn = conn

    def kill(self) -> None:
        try:
            self.conn.close()
        except OSError:
            pass
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            pass


class WorkerPool:
    """Worker processes that hold the graph; a query past ``timeout`` seconds kills its worker."""

    def __init__(
        self,
        snapshot: str | Path,
        *,
        size: int = 2,
        timeout: float = 10.0,
        start_timeout: float = 300.0,
        queue_timeout: float | None = None,
        memory_limit_mb: int | None = 4096,
    ) -> None:
        self.snapshot = str(snapshot)
        self.memory_limit_mb = memory_limit_mb
        self.size = max(1, size)
        self.timeout = timeout
        self.start_timeout = start_timeout
        self.queue_timeout = queue_timeout if queue_timeout is not None else max(30.0, 3 * timeout)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.stats = {"queries": 0, "timeouts": 0, "restarts": 0}

    def start(self) -> WorkerPool:
        """Start the workers (in parallel) and wait until each has loaded the graph."""
        pending = [self._spawn() for _ in range(self.size)]
        for w in pending:
            self._await_ready(w)
            self._idle.put(w)
        return self

    def _spawn(self) -> _Worker:
        ours, theirs = socket.socketpair()
        limit = self.memory_limit_mb * 2**20 if self.memory_limit_mb else 0
        args = [str(theirs.fileno()), self.snapshot, str(limit), json.dumps(PREFIXES)]
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "graphkit.server.worker", *args],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=str(PACKAGE_ROOT.parent),
            )
        finally:
            theirs.close()
        w = _Worker(process, Connection(ours.detach()))
        with self._lock:
            self._all.add(w)
        return w

    def _await_ready(self, w: _Worker) -> None:
        try:
            ready = w.conn.poll(self.start_timeout)
            reply = w.conn.recv() if ready else ("error", f"not ready within {self.start_timeout:g} s")
        except (EOFError, OSError):
            reply = ("error", "the worker exited while loading the graph")
        if reply[0] != "ready":
            self._retire(w)
            self.close()
            raise StoreError(f"query worker failed to start: {reply[1]}")

    def _retire(self, w: _Worker) -> None:
        with self._lock:
            self._all.discard(w)
        w.kill()

    def _replace(self) -> None:
        def run() -> None:
            if self._closed:
                return
            w = self._spawn()
            try:
                ready = w.conn.poll(self.start_timeout) and w.conn.recv()[0] == "ready"
            except (EOFError, OSError):
                ready = False
            if ready and not self._closed:
                self.stats["restarts"] += 1
                self._idle.put(w)
            else:
                self._retire(w)

        threading.Thread(target=run, name="graphkit-worker-restart", daemon=True).start()

    def execute(
        self,
        query: str,
        fmt: str,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        *,
        union: bool = True,
    ) -> tuple[str, bytes]:
        """Run ``query`` in a worker; ``(media type, body)`` serialised in format ``fmt``. The default
        graph is the union of all graphs when ``union`` and no ``default_graphs`` are given."""
        if self._closed:
            raise StoreError("the query workers are shut down")
        try:
            w = self._idle.get(timeout=self.queue_timeout)
        except queue.Empty:
            raise RefusedRequest(503, "all query workers are busy; try again", {"Retry-After": "2"}) from None
        self.stats["queries"] += 1
        try:
            w.conn.send((query, fmt, list(default_graphs), list(named_graphs), union))
            if not w.conn.poll(self.timeout):
                self.stats["timeouts"] += 1
                self._retire(w)
                self._replace()
                raise QueryTimeout(f"the query ran longer than the time limit of {self.timeout:g} s and was stopped")
            reply = w.conn.recv()
        except (EOFError, OSError):
            self._retire(w)
            self._replace()
            limit = f" (over its memory limit of {self.memory_limit_mb} MB?)" if self.memory_limit_mb else ""
            raise QueryError(f"the query worker stopped{limit} and is being replaced") from None
        self._idle.put(w)
        status = reply[0]
        if status == "syntax":
            raise RefusedRequest(400, f"malformed SPARQL query: {reply[1]}")
        if status != "ok":
            raise QueryError(f"query failed: {reply[1]}")
        return reply[1], reply[2]

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            try:
                w.conn.send(None)
            except OSError:
                pass
            w.kill()


# ---- the endpoint ----------------------------------------------------------------------------------


@dataclass
class ServerContext:
    """What handlers can use: the worker pool, the store's graph names, the time limit."""

    pool: WorkerPool
    graphs: frozenset[str]
    timeout: float
    extras: dict[str, Any] = field(default_factory=dict)

    def check_query(
        self, text: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()
    ) -> tuple[str, bool]:
        """The query form after the safety checks (read-only, no SERVICE, only the store's own graphs),
        and whether the default graph is the union of all graphs (no FROM, no graph parameters)."""
        try:
            form = query_form(text)
        except QueryError as e:
            raise RefusedRequest(400, str(e)) from None
        if form == "UPDATE":
            raise RefusedRequest(403, "this endpoint is read-only: SPARQL Update is not accepted")
        if uses_service(text):
            raise RefusedRequest(
                400, "SERVICE (federated query) is not allowed here: this endpoint never contacts other hosts"
            )
        try:
            clauses = dataset_clauses(text, PREFIXES)
        except QueryError as e:
            raise RefusedRequest(400, str(e)) from None
        wanted = [(named, iri) for named, iri in clauses]
        wanted += [(False, g) for g in default_graphs] + [(True, g) for g in named_graphs]
        for named, iri in wanted:
            if iri not in self.graphs:
                raise RefusedRequest(
                    400,
                    f"FROM{' NAMED' if named else ''} <{iri}>: not a graph of this store; this endpoint never "
                    "loads graphs from files or the web (list the graphs with SELECT DISTINCT ?g { GRAPH ?g {} })",
                )
        return form, not wanted

    def run(
        self, text: str, fmt: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()
    ) -> tuple[str, bytes]:
        """Check and run a query under the time limit; ``(media type, body)``."""
        _, union = self.check_query(text, default_graphs, named_graphs)
        return self.pool.execute(text, fmt, default_graphs, named_graphs, union=union)

    def select(self, text: str, bindings: Mapping[str, Node] | None = None) -> SelectResult | AskResult:
        """Run a SELECT/ASK (parameters bound as RDF terms) under the time limit, for other handlers."""
        from graphkit.store.remote import parse_sparql_json

        full = bind_values(text, bindings) if bindings else text
        _, body = self.run(full, "json")
        return parse_sparql_json(body)


def negotiate(accept: str | None, form: str) -> str | None:
    """The result format key for an Accept header and a query form, or None when nothing fits (406)."""
    offers = RESULT_MEDIA if form in ("SELECT", "ASK") else GRAPH_MEDIA
    default = offers[0][1]
    if not accept or not accept.strip():
        return default
    ranges: list[tuple[str, str, float]] = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        major, _, minor = media.partition("/")
        ranges.append((major, minor, q))
    best: tuple[float, int, str] | None = None
    for rank, (media, key) in enumerate(offers):
        major, _, minor = media.partition("/")
        q_here: float | None = None
        specificity = -1
        for rmajor, rminor, q in ranges:
            spec = 2 if (rmajor, rminor) == (major, minor) else 1 if (rmajor == major and rminor == "*") else 0
            if spec == 0 and not (rmajor == "*" and rminor == "*"):
                continue
            if spec > specificity:
                specificity, q_here = spec, q
        if q_here is None or q_here <= 0:
            continue
        candidate = (q_here, -rank, key)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return best[2] if best else None


def sparql_handler(request: Request, ctx: ServerContext) -> Response:
    """The SPARQL 1.1 Protocol query operation (read-only)."""
    params: dict[str, list[str]] = {k: list(v) for k, v in request.params.items()}
    if request.method == "GET":
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
    text = texts[0]
    default_graphs = params.get("default-graph-uri", [])
    named_graphs = params.get("named-graph-uri", [])
    form, union = ctx.check_query(text, default_graphs, named_graphs)
    fmt = negotiate(request.headers.get("Accept"), form)
    if fmt is None:
        offers = RESULT_MEDIA if form in ("SELECT", "ASK") else GRAPH_MEDIA
        raise RefusedRequest(
            406,
            f"cannot answer a {form} query as {request.headers.get('Accept')}; available: "
            + ", ".join(m for m, _ in offers),
        )
    media, body = ctx.pool.execute(text, fmt, default_graphs, named_graphs, union=union)
    return Response(200, body, media, {"Vary": "Accept"})


def index_handler(request: Request, ctx: ServerContext) -> Response:
    """The query page (YASGUI, served from the package, no CDN)."""
    page = STATIC_DIR / "index.html"
    return Response(200, page.read_bytes(), "text/html; charset=utf-8")


_STATIC_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}


def static_handler(request: Request, ctx: ServerContext) -> Response:
    """Files under graphkit/static/ (never outside it)."""
    rel = urllib.parse.unquote(request.path[len("/static/") :])
    target = (STATIC_DIR / rel).resolve()
    if not rel or STATIC_DIR.resolve() not in target.parents or not target.is_file():
        raise RefusedRequest(404, f"no static file {request.path}")
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


def default_routes() -> list[Route]:
    """The endpoint's own routes: /sparql, the query page, its static files, the catalogue, and the
    W3C Reconciliation API at /reconcile (graphkit.wikidata.recon_api)."""
    from graphkit.wikidata.recon_api import reconcile_route

    return [
        Route("/sparql", sparql_handler, ("GET", "POST")),
        Route("/", index_handler, ("GET",)),
        Route("/static/", static_handler, ("GET",), prefix=True),
        Route("/queries", catalogue_handler, ("GET",)),
        Route("/prefixes", prefixes_handler, ("GET",)),
        reconcile_route(),
    ]


# ---- HTTP ------------------------------------------------------------------------------------------

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Max-Age": "86400",
    "Access-Control-Expose-Headers": "Content-Type, Content-Length, Retry-After",
}


class _HTTPHandler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"
    server_version = "graphkit-sparql"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._dispatch()

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch()

    def do_HEAD(self) -> None:  # noqa: N802
        self._dispatch()

    def do_OPTIONS(self) -> None:  # noqa: N802
        asked = self.headers.get("Access-Control-Request-Headers") or "Content-Type, Accept"
        self._send(Response(204, b"", "text/plain", {"Access-Control-Allow-Headers": asked}))

    def do_PUT(self) -> None:  # noqa: N802
        self._send(text_response(405, "this endpoint is read-only"), {"Allow": "GET, POST, OPTIONS"})

    do_DELETE = do_PUT  # noqa: N815
    do_PATCH = do_PUT  # noqa: N815

    def _dispatch(self) -> None:
        started = time.perf_counter()
        try:
            response = self._handle()
        except RefusedRequest as e:
            response = text_response(e.status, str(e))
            response.headers.update(e.headers)
        except QueryTimeout as e:
            response = text_response(504, str(e))
        except GraphkitError as e:
            response = text_response(500, str(e))
        except Exception as e:  # noqa: BLE001 - one line to the client, never a traceback
            response = text_response(500, f"internal error: {type(e).__name__}: {e}")
        self._send(response)
        if self.server.verbose:
            sys.stderr.write(
                f"{self.command} {self.path[:120]} -> {response.status} ({time.perf_counter() - started:.3f} s)\n"
            )

    def _handle(self) -> Response:
        url = urllib.parse.urlsplit(self.path)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            raise RefusedRequest(400, "bad Content-Length header") from None
        if length > MAX_BODY:
            self.close_connection = True  # the body stays unread: this connection cannot be reused
            raise RefusedRequest(413, f"request body over {MAX_BODY} bytes")
        body = self.rfile.read(length) if length > 0 else b""
        request = Request(
            self.command,
            url.path or "/",
            urllib.parse.parse_qs(url.query, keep_blank_values=True),
            _CaseInsensitive(self.headers),
            body,
        )
        route = self.server.router.resolve("GET" if self.command == "HEAD" else self.command, request.path)
        return route.handler(request, self.server.context)

    def _send(self, response: Response, extra: Mapping[str, str] | None = None) -> None:
        self.send_response(response.status)
        headers = {**CORS_HEADERS, **response.headers, **(extra or {})}
        if response.status != 204:
            headers["Content-Type"] = response.content_type
            headers["Content-Length"] = str(len(response.body))
        if self.close_connection:
            headers["Connection"] = "close"
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        if response.status != 204 and self.command != "HEAD":
            try:
                self.wfile.write(response.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        """Quiet: the dispatcher logs one line per request when the server is verbose."""


class _CaseInsensitive(Mapping[str, str]):
    def __init__(self, message: Any) -> None:
        self._m = message

    def __getitem__(self, key: str) -> str:
        value = self._m.get(key)
        if value is None:
            raise KeyError(key)
        return str(value)

    def get(self, key: str, default: Any = None) -> Any:
        value = self._m.get(key)
        return default if value is None else str(value)

    def __iter__(self) -> Any:
        return iter(self._m.keys())

    def __len__(self) -> int:
        return len(self._m.keys())


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: a thread per connection, queries in the worker pool."""

    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True

    def __init__(
        self, address: tuple[str, int], context: ServerContext, router: Router, *, verbose: bool = False
    ) -> None:
        super().__init__(address, _HTTPHandler)
        self.context = context
        self.router = router
        self.verbose = verbose
        self._tmpdir: str | None = None
        self._serving = False

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:7878``; the endpoint is ``url + "/sparql"``."""
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self._serving = True
        try:
            super().serve_forever(poll_interval)
        finally:
            self._serving = False

    def close(self) -> None:
        """Stop serving, stop the workers, remove the temporary snapshot."""
        if self._serving:
            self.shutdown()
        self.server_close()
        self.context.pool.close()
        if self._tmpdir:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None


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
) -> SparqlServer:
    """A ready (not yet serving) endpoint over ``source``: an :class:`~graphkit.store.embedded.EmbeddedStore`,
    or the path of an N-Quads snapshot such as ``out/graph.nq`` (then this process never loads it).

    The ``workers`` processes each load the graph (a store is first written to a temporary N-Quads
    file); each query may run ``timeout`` seconds and a worker may use ``memory_limit_mb`` of address
    space (None: no limit). Call ``serve_forever()`` (or :func:`serve`), then
    ``close()``.
    """
    if timeout <= 0:
        raise StoreError("the time limit must be positive")
    tmpdir: str | None = None
    if isinstance(source, str | Path):
        snapshot = Path(source)
        if not snapshot.is_file():
            raise StoreError(f"no built graph at {snapshot}; run `graphkit build` first (or pass --graph FILE)")
        if snapshot.suffix.lower() not in (".nq", ".nquads"):
            raise StoreError(f"{snapshot}: the endpoint serves an N-Quads snapshot (.nq); open other files as a store")
    else:
        tmpdir = tempfile.mkdtemp(prefix="graphkit-serve-")
        snapshot = Path(tmpdir) / "graph.nq"
    try:
        if tmpdir is not None:
            source.dump(snapshot, fmt="nq")
        pool = WorkerPool(snapshot, size=workers, timeout=timeout, memory_limit_mb=memory_limit_mb).start()
    except BaseException:
        if tmpdir is not None:
            shutil.rmtree(tmpdir, ignore_errors=True)
        raise
    try:
        graphs = _graph_names(pool)
    except BaseException:
        pool.close()
        if tmpdir is not None:
            shutil.rmtree(tmpdir, ignore_errors=True)
        raise
    context = ServerContext(pool, graphs, timeout)
    router = Router(default_routes())
    for r in [*ROUTES, *routes]:
        router.add(r)
    try:
        server = SparqlServer((host, port), context, router, verbose=verbose)
    except OSError as e:
        pool.close()
        if tmpdir is not None:
            shutil.rmtree(tmpdir, ignore_errors=True)
        raise StoreError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    server._tmpdir = tmpdir
    return server


def _graph_names(pool: WorkerPool) -> frozenset[str]:
    """The named graphs of the served graph, asked of a worker."""
    from graphkit.store.remote import parse_sparql_json

    _, body = pool.execute("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", "json", union=False)
    result = parse_sparql_json(body)
    assert isinstance(result, SelectResult)
    return frozenset(str(g) for g in result.column("g"))


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
    then stop the workers."""
    server = make_server(
        source,
        host=host,
        port=port,
        timeout=timeout,
        workers=workers,
        memory_limit_mb=memory_limit_mb,
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
    """True for 127.0.0.0/8, ::1 and localhost.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
