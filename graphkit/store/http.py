"""HTTP for SPARQL endpoints: what every request of a :class:`~graphkit.store.remote.RemoteStore` needs.

One :class:`HttpClient` per store: its own ``urllib`` opener (no process-wide state) that answers
the server's challenge with HTTP basic or digest auth, whichever the server asks for (Virtuoso's
``/sparql-auth`` asks for digest), a User-Agent naming graphkit and its version, a timeout, and
retries with exponential back-off on 429 and 503 honouring ``Retry-After`` (seconds or an HTTP
date, capped). Every failure becomes one graphkit error with a one-line message.

>>> retry_delay("7", attempt=0, cap=30.0), retry_delay(None, attempt=2, cap=30.0), retry_delay("999", 0, cap=30.0)
(7.0, 2.0, 30.0)
>>> HttpClient().user_agent.startswith("graphkit/")
True
"""

from __future__ import annotations

import email.utils
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from email.message import Message
from typing import Any

from graphkit.errors import GraphkitError, QueryError, StoreError
from graphkit.version import VERSION

#: Request bodies bigger than this (bytes) are sent only once the digest challenge is known.
PRIME_ABOVE = 64 * 1024
#: HTTP statuses worth retrying: rate limited, temporarily unavailable.
RETRY_STATUSES = frozenset({429, 503})


def default_user_agent() -> str:
    """``graphkit/<version> (...)``, as endpoints such as the Wikidata Query Service require."""
    return f"graphkit/{VERSION} (municipal relations knowledge graph; Python urllib)"


def retry_delay(retry_after: str | None, attempt: int, cap: float, base: float = 0.5) -> float:
    """Seconds to wait before retry number ``attempt`` (0-based): the ``Retry-After`` header when it is
    given (seconds or an HTTP date), else exponential back-off ``base * 2**attempt``; never more than ``cap``."""
    delay = base * (2**attempt)
    if retry_after:
        value = retry_after.strip()
        if value.isdigit():
            delay = float(value)
        else:
            try:
                when = email.utils.parsedate_to_datetime(value)
                delay = max(0.0, when.timestamp() - time.time())
            except (TypeError, ValueError, IndexError):
                pass
    return min(max(delay, 0.0), cap)


@dataclass(frozen=True)
class Response:
    """An answer with a 2xx status: its body and headers."""

    status: int
    headers: Message
    body: bytes


def short(text: str, limit: int = 300) -> str:
    """``text`` on one line, cut to ``limit`` characters.

    >>> short("a\\n  b " + "x" * 400, limit=10)
    'a b xxxxx…'
    """
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


class HttpClient:
    """Sends requests for one store; counts them in ``requests``. The credentials answer challenges
    from the hosts of ``sites`` only; ``sleep`` waits between retries (tests pass a recorder);
    ``explain`` turns a server's error text into a clearer message or None."""

    def __init__(
        self,
        *,
        user: str | None = None,
        password: str | None = None,
        sites: Iterable[str] = (),
        timeout: float = 60.0,
        retries: int = 4,
        max_retry_wait: float = 60.0,
        user_agent: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        explain: Callable[[int, str], str | None] = lambda status, body: None,
    ) -> None:
        self.timeout = timeout
        self.retries = retries
        self.max_retry_wait = max_retry_wait
        self.user_agent = user_agent or default_user_agent()
        self.requests = 0
        #: the ``Server`` header of the last answer (e.g. ``Virtuoso/07.20.3229 (Linux) ...``)
        self.server: str | None = None
        self._sleep = sleep
        self._explain = explain
        self._digest: _PreemptiveDigestAuthHandler | None = None
        handlers: list[urllib.request.BaseHandler] = []
        if user is not None and password is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for site in sites:
                parts = urllib.parse.urlsplit(site)
                passwords.add_password(None, f"{parts.scheme}://{parts.netloc}/", user, password)  # type: ignore[arg-type]
            # digest first (urllib's order): it passes a basic challenge on to the basic handler
            self._digest = _PreemptiveDigestAuthHandler(passwords)
            handlers += [self._digest, urllib.request.HTTPBasicAuthHandler(passwords)]
        self._opener = urllib.request.build_opener(*handlers)

    def send(
        self,
        method: str,
        url: str,
        *,
        what: str,
        body: bytes | None = None,
        content_type: str | None = None,
        accept: str | None = None,
    ) -> Response:
        """One request, retried on 429/503; a :class:`~graphkit.errors.GraphkitError` on any failure.
        ``what`` names the operation in messages ("query", "update", ...)."""
        if body is not None and len(body) > PRIME_ABOVE and self._digest is not None and not self._digest.challenge:
            self._prime(url)
        for attempt in range(self.retries + 1):
            self.requests += 1
            request = urllib.request.Request(url, data=body, method=method)
            request.add_header("User-Agent", self.user_agent)
            if content_type:
                request.add_header("Content-Type", content_type)
            if accept:
                request.add_header("Accept", accept)
            try:
                with self._opener.open(request, timeout=self.timeout) as answer:
                    data = answer.read()
                    self.server = answer.headers.get("Server", self.server)
                    return Response(answer.status, answer.headers, data)
            except urllib.error.HTTPError as e:
                self.server = e.headers.get("Server", self.server) if e.headers else self.server
                if e.code in RETRY_STATUSES and attempt < self.retries:
                    self._sleep(retry_delay(e.headers.get("Retry-After"), attempt, self.max_retry_wait))
                    continue
                raise self._http_error(e.code, _body(e), what, url) from None
            except (TimeoutError, urllib.error.URLError, OSError, ValueError) as e:
                reason = e.reason if isinstance(e, urllib.error.URLError) else e
                if isinstance(reason, ConnectionError) and body and self._digest is not None and attempt == 0:
                    # the server answered a big upload with a new auth challenge before reading it
                    self._digest.challenge = None
                    self._prime(url)
                    continue
                raise _transport_error(e, what, url, self.timeout) from None
        raise StoreError(f"{_site(url)}: still busy after {self.retries} retries")  # pragma: no cover

    def _prime(self, url: str) -> None:
        """A body-less GET to ``url``'s path, so that the digest challenge is known before a big
        upload (a server may close the connection on a challenge while the body is still being sent)."""
        try:
            with self._opener.open(urllib.request.Request(_site(url), method="GET"), timeout=self.timeout) as answer:
                answer.read()
        except (urllib.error.URLError, OSError, ValueError):
            pass  # any status will do: only the challenge matters

    def _http_error(self, code: int, body: str, what: str, url: str) -> GraphkitError:
        site = _site(url)
        detail = short(body)
        explained = self._explain(code, body)
        if explained:
            return QueryError(f"{site}: {explained}")
        if code in RETRY_STATUSES:
            return StoreError(f"{site}: still refusing the {what} after retries (HTTP {code}) {detail}".rstrip())
        if code == 400:
            return QueryError(f"{site}: the endpoint refused the {what} as malformed: {detail}".rstrip())
        if code == 401:
            return StoreError(f"{site}: the {what} needs valid credentials (a user name and password)")
        if code == 403:
            return StoreError(f"{site}: the {what} was refused (HTTP 403) {detail}".rstrip())
        if code == 404:
            return StoreError(f"{site}: no SPARQL endpoint there (404)")
        if code == 414:
            return QueryError(f"{site}: the {what} is too long for a GET request (414)")
        return QueryError(f"{site}: the endpoint failed on the {what} (HTTP {code}) {detail}".rstrip())


class _PreemptiveDigestAuthHandler(urllib.request.HTTPDigestAuthHandler):
    """urllib's digest auth, which also signs each later request with the last challenge (counting
    the nonce up) instead of sending it unsigned and waiting for a 401 every time."""

    def __init__(self, passwords: urllib.request.HTTPPasswordMgr) -> None:
        super().__init__(passwords)
        self.challenge: dict[str, str] | None = None

    def retry_http_digest_auth(self, req: urllib.request.Request, auth: str) -> Any:
        _, challenge = auth.split(" ", 1)
        self.challenge = urllib.request.parse_keqv_list([p for p in urllib.request.parse_http_list(challenge) if p])
        return super().retry_http_digest_auth(req, auth)

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        if self.challenge and not req.has_header("Authorization"):
            signed = self.get_authorization(req, self.challenge)
            if signed:
                req.add_unredirected_header("Authorization", f"Digest {signed}")
        return req

    https_request = http_request


def with_params(url: str, params: Mapping[str, str]) -> str:
    """``url`` with ``params`` appended to its query string (keeping parameters already in it).

    >>> with_params("http://h/sparql?timeout=3000", {"query": "ASK {}"})
    'http://h/sparql?timeout=3000&query=ASK+%7B%7D'
    """
    sep = "&" if urllib.parse.urlsplit(url).query else "?"
    return url + sep + urllib.parse.urlencode(params)


def _site(url: str) -> str:
    """The URL without its query string (which may hold a whole query)."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _body(e: urllib.error.HTTPError) -> str:
    try:
        return e.read().decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - the body is only for the message
        return ""


def _transport_error(e: BaseException, what: str, url: str, timeout: float) -> GraphkitError:
    site = _site(url)
    reason = e.reason if isinstance(e, urllib.error.URLError) else e
    if isinstance(reason, TimeoutError):
        return StoreError(f"{site}: no answer to the {what} within {timeout:g} s")
    if isinstance(e, ValueError):  # urllib's auth handlers on a scheme they do not speak
        return StoreError(f"{site}: cannot authenticate the {what}: {short(str(e))}")
    return StoreError(f"{site}: cannot reach the endpoint ({short(str(reason))})")
