"""HTTP for ``graphkit serve``: a thread per connection, up to a cap, each with an idle timeout.

Every response carries CORS headers (browser editors work, OPTIONS preflight included) and
``X-Content-Type-Options: nosniff``. A connection that sends nothing for ``connection_timeout``
seconds is closed; at most ``max_connections`` are served at once, and one over the cap gets
503 at once and is closed (so 200 half-open connections cannot hold 200 threads forever). Any
error reaches the client as one line of text with its status, never a traceback.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
import urllib.parse
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from graphkit.errors import GraphkitError
from graphkit.server.context import ServerContext
from graphkit.server.routing import QueryTimeout, RefusedRequest, Request, Response, Router, text_response

#: Largest request body accepted (a query with a big VALUES block still fits).
MAX_BODY = 4 * 1024 * 1024

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Max-Age": "86400",
    "Access-Control-Expose-Headers": "Content-Type, Content-Length, Retry-After",
}
#: Sent with every response: browsers never guess a type other than the one we send.
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff"}

_OVER_CAP = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"X-Content-Type-Options: nosniff\r\nRetry-After: 2\r\nConnection: close\r\nContent-Length: 42\r\n\r\n"
    b"too many open connections; try again soon\n"
)


class _HTTPHandler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"
    server_version = "graphkit-sparql"

    def setup(self) -> None:
        super().setup()
        self.request.settimeout(self.server.connection_timeout)  # idle reads and writes give up after this

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
                f"{self.command} {self.path[:120]!r} -> {response.status} ({time.perf_counter() - started:.3f} s)\n"
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
            str(self.client_address[0]) if self.client_address else "local",
        )
        route = self.server.router.resolve("GET" if self.command == "HEAD" else self.command, request.path)
        return route.handler(request, self.server.context)

    def _send(self, response: Response, extra: Mapping[str, str] | None = None) -> None:
        self.send_response(response.status)
        headers = {**CORS_HEADERS, **SECURITY_HEADERS, **response.headers, **(extra or {})}
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
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                self.close_connection = True

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
    """The HTTP server: a thread per connection (at most ``max_connections``), queries in the pool."""

    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        context: ServerContext,
        router: Router,
        *,
        verbose: bool = False,
        connection_timeout: float = 15.0,
        max_connections: int = 128,
    ) -> None:
        super().__init__(address, _HTTPHandler)
        self.context = context
        self.router = router
        self.verbose = verbose
        self.connection_timeout = connection_timeout
        self.max_connections = max_connections
        self._slots = threading.BoundedSemaphore(max_connections)
        self._serving = False
        self.on_close: list[Any] = []

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:7878``; the endpoint is ``url + "/sparql"``."""
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve the connection in a thread, or refuse it at once when ``max_connections`` are open."""
        if not self._slots.acquire(blocking=False):
            try:
                request.setblocking(False)
                request.send(_OVER_CAP)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def shutdown_request(self, request: Any) -> None:
        try:
            request.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.close_request(request)

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self._serving = True
        try:
            super().serve_forever(poll_interval)
        finally:
            self._serving = False

    def close(self) -> None:
        """Stop serving, stop the query workers, then run the ``on_close`` callbacks (cleanup)."""
        if self._serving:
            self.shutdown()
        self.server_close()
        self.context.pool.close()
        for callback in self.on_close:
            callback()
        self.on_close.clear()
