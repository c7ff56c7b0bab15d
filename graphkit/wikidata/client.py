"""A polite client for the Wikidata Query Service (WDQS), on SPARQLWrapper.

What "polite" means here (see the WDQS usage policy and ``ECOSYSTEM-NOTES.md`` §2):

- a descriptive User-Agent set by the user (``tool/version (contact)``); none, or a library default
  such as SPARQLWrapper's, is refused before any request is made;
- one request at a time (a process-wide lock), never parallel retries;
- back-off on HTTP 429/503, honouring ``Retry-After`` (capped), with a bounded number of attempts;
- a time limit per request;
- POST when the encoded query is long (WDQS answers 414 to long GETs, but caches only GETs), through
  ``SPARQLWrapper.setMethod`` — assigning ``.method`` is silently ignored by SPARQLWrapper;
- an on-disk cache keyed by (endpoint, query text) in the user's cache directory;
- the body is checked: an HTTP 200 carrying an error text, a ``TimeoutException`` trace or truncated
  JSON raises :class:`WikidataResponseError` — a partial result is never returned.

>>> check_user_agent("graphkit-demo/0.1 (https://example.org/contact; ops@example.org)")
'graphkit-demo/0.1 (https://example.org/contact; ops@example.org)'
>>> check_user_agent("sparqlwrapper 2.0.0 (rdflib.github.io/sparqlwrapper)")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
graphkit.wikidata.client.UserAgentError: the User-Agent '...' is a library default; ...
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import time
import urllib.error
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rdflib import URIRef

from graphkit.errors import InputError, QueryError
from graphkit.rdf.files import write_text_atomic
from graphkit.rdf.namespaces import WIKIDATA_PREFIXES
from graphkit.sparql.binding import term_to_sparql, where_brace_position

#: The public Wikidata Query Service (main graph; scholarly articles live on another endpoint).
DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
#: Environment variables the CLI reads.
USER_AGENT_ENV = "GRAPHKIT_USER_AGENT"
CACHE_DIR_ENV = "GRAPHKIT_CACHE_DIR"

#: One request at a time, across every client in the process.
_REQUEST_LOCK = threading.Lock()

_GENERIC_AGENTS = re.compile(
    r"^\s*(sparqlwrapper|python-urllib|python-requests|rdflibforanuser|curl|wget|mozilla|java|go-http-client|"
    r"okhttp|axios|node-fetch|libwww-perl|httpx|aiohttp)\b",
    re.IGNORECASE,
)
_CONTACT = re.compile(r"(https?://\S+|[\w.+-]+@[\w-]+\.[\w.-]+)")
_TOOL = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+")
_BODY_ERRORS = (
    "java.util.concurrent.TimeoutException",
    "TimeoutException",
    "Query timeout limit reached",
    "Please set a user-agent",
    "Please provide a User-Agent",
    "QueryEvaluationException",
    "MalformedQueryException",
)


class WikidataError(QueryError):
    """A request to the Query Service failed."""


class UserAgentError(InputError):
    """The User-Agent is missing or not descriptive enough for the Wikimedia User-Agent policy."""


class WikidataResponseError(WikidataError):
    """The server answered, but the body is not a complete, valid SPARQL JSON result."""


class WikidataRateLimitError(WikidataError):
    """Still throttled (429/503) after the allowed attempts."""


def check_user_agent(agent: str | None) -> str:
    """Return ``agent`` if it names a tool with a version and gives a contact, else raise :class:`UserAgentError`.

    The Wikimedia policy asks for ``tool/version (contact URL or e-mail)``; library defaults are
    throttled or refused by WDQS (and in 2026 it answered 200 with an empty result instead).
    """
    text = (agent or "").strip()
    hint = 'set one such as "my-project/1.0 (https://example.org/me; me@example.org)"'
    if not text:
        raise UserAgentError(f"a User-Agent is required for the Wikidata Query Service; {hint}")
    if _GENERIC_AGENTS.match(text):
        raise UserAgentError(f"the User-Agent {text!r} is a library default; {hint}")
    if not _TOOL.match(text) or not _CONTACT.search(text):
        raise UserAgentError(
            f"the User-Agent {text!r} must name the tool with a version and give a contact (URL or e-mail); {hint}"
        )
    return text


def default_cache_dir() -> Path:
    """``$GRAPHKIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/graphkit/wikidata``, else ``~/.cache/graphkit/wikidata``.

    >>> import os
    >>> os.environ[CACHE_DIR_ENV] = "/tmp/gk-cache"; str(default_cache_dir()); del os.environ[CACHE_DIR_ENV]
    '/tmp/gk-cache'
    """
    if os.environ.get(CACHE_DIR_ENV):
        return Path(os.environ[CACHE_DIR_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "graphkit" / "wikidata"


@dataclass(frozen=True)
class ClientConfig:
    """How the client talks to the endpoint. ``user_agent`` is required and checked."""

    user_agent: str
    endpoint: str = DEFAULT_ENDPOINT
    timeout: float = 65.0
    max_attempts: int = 5
    max_retry_after: float = 120.0
    default_backoff: float = 5.0
    post_threshold: int = 1800
    cache_dir: Path | None = field(default_factory=default_cache_dir)
    cache_ttl: float = 7 * 24 * 3600.0

    def __post_init__(self) -> None:
        check_user_agent(self.user_agent)
        if not re.match(r"^https?://", self.endpoint):
            raise InputError(f"the endpoint must be an http(s) URL, got {self.endpoint!r}")
        if self.max_attempts < 1 or self.timeout <= 0:
            raise InputError("max_attempts must be >= 1 and timeout > 0")


@dataclass(frozen=True)
class SparqlResponse:
    """A complete SELECT result: the variables, the bindings (SPARQL JSON), when it was retrieved."""

    variables: tuple[str, ...]
    bindings: tuple[dict[str, dict[str, str]], ...]
    retrieved: datetime
    endpoint: str
    from_cache: bool = False

    def rows(self) -> list[dict[str, str]]:
        """Each binding as ``{variable: value}`` (IRIs and literals as their text).

        >>> r = SparqlResponse(("x",), ({"x": {"type": "uri", "value": "http://x.org/a"}},), datetime.now(UTC), "e")
        >>> r.rows()
        [{'x': 'http://x.org/a'}]
        """
        return [{k: v["value"] for k, v in b.items()} for b in self.bindings]


def parse_sparql_json(body: bytes | str) -> dict[str, Any]:
    """Parse and check a SPARQL JSON result body; raise :class:`WikidataResponseError` unless complete.

    >>> parse_sparql_json('{"head": {"vars": ["x"]}, "results": {"bindings": []}}')["head"]
    {'vars': ['x']}
    >>> parse_sparql_json('{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": ')
    Traceback (most recent call last):
    ...
    graphkit.wikidata.client.WikidataResponseError: the response is not complete JSON (truncated at character 57?): ...
    """
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    for marker in _BODY_ERRORS:
        if marker in text:
            raise WikidataResponseError(f"the server reported an error in the body ({marker}): {_excerpt(text)}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise WikidataResponseError(
            f"the response is not complete JSON (truncated at character {e.pos}?): {_excerpt(text)}"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("head"), dict):
        raise WikidataResponseError(f"the response is not a SPARQL JSON result: {_excerpt(text)}")
    if "boolean" in data:
        return data
    results = data.get("results")
    if not isinstance(results, dict) or not isinstance(results.get("bindings"), list):
        raise WikidataResponseError(f"the response has no result bindings: {_excerpt(text)}")
    for b in results["bindings"]:
        if not isinstance(b, dict) or not all(isinstance(v, dict) and "value" in v for v in b.values()):
            raise WikidataResponseError(f"a result row is malformed: {_excerpt(json.dumps(b))}")
    return data


def _excerpt(text: str, n: int = 160) -> str:
    one = " ".join(text.split())
    return one[:n] + ("…" if len(one) > n else "")


def with_prefixes(query: str) -> str:
    """Prepend the ``PREFIX`` lines for wd:, wdt:, p:, ps:, pq:, … (WDQS predeclares them; others do not).

    >>> with_prefixes("SELECT * WHERE { ?s wdt:P31 ?o }").splitlines()[0]
    'PREFIX wd: <http://www.wikidata.org/entity/>'
    """
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in WIKIDATA_PREFIXES.items()) + query


def values_query(template: str, variable: str, items: Sequence[URIRef]) -> str:
    """``template`` with ``VALUES ?variable { … }`` at the start of its WHERE group; items are escaped terms.

    >>> from graphkit.rdf.namespaces import WD
    >>> q = values_query("SELECT ?i WHERE { ?i rdfs:label ?l }", "i", [WD.Q20103, WD.Q220])
    >>> q[:48], q[-26:]
    ('SELECT ?i WHERE { VALUES ?i { <http://www.wikida', 'Q220> } ?i rdfs:label ?l }')
    """
    if not re.match(r"^[A-Za-z_]\w*$", variable):
        raise QueryError(f"not a valid variable name: {variable!r}")
    block = f"VALUES ?{variable} {{ {' '.join(term_to_sparql(t) for t in items)} }} "
    pos = where_brace_position(template)
    return template[: pos + 1] + " " + block + template[pos + 1 :].lstrip(" ")


def chunked(items: Iterable[URIRef], size: int) -> list[list[URIRef]]:
    """Sorted, de-duplicated items in chunks of ``size``.

    >>> chunked([URIRef("b"), URIRef("a"), URIRef("a")], 1)
    [[rdflib.term.URIRef('a')], [rdflib.term.URIRef('b')]]
    """
    unique = sorted(set(items))
    return [unique[i : i + size] for i in range(0, len(unique), size)]


class WikidataClient:
    """Send SELECT queries to a Query Service politely. See the module docstring.

    ``sleep`` and ``clock`` are injectable so tests can check the back-off without waiting.
    """

    def __init__(
        self,
        config: ClientConfig,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self._sleep = sleep
        self._clock = clock
        self.requests_sent = 0
        self.waits: list[float] = []
        self.methods: list[str] = []

    # -- public API -------------------------------------------------------------------------------

    def select(self, query: str, *, use_cache: bool = True) -> SparqlResponse:
        """Run a SELECT query (prefixes for wd:/wdt:/p:/ps:/pq: are added); complete result or an error."""
        text = with_prefixes(query)
        if use_cache:
            cached = self._cache_get(text)
            if cached is not None:
                return cached
        data = self._request(text)
        response = SparqlResponse(
            variables=tuple(data["head"].get("vars", [])),
            bindings=tuple(data["results"]["bindings"]),
            retrieved=datetime.now(UTC).replace(microsecond=0),
            endpoint=self.config.endpoint,
        )
        if use_cache:
            self._cache_put(text, response)
        return response

    def select_values(
        self, template: str, variable: str, items: Iterable[URIRef], *, chunk_size: int = 200
    ) -> list[SparqlResponse]:
        """Run ``template`` once per chunk of ``items`` bound by a ``VALUES`` block (never one request per item)."""
        if chunk_size < 1:
            raise InputError("chunk_size must be >= 1")
        return [self.select(values_query(template, variable, chunk)) for chunk in chunked(items, chunk_size)]

    def method_for(self, query_text: str) -> str:
        """``GET`` for short queries (WDQS caches them), ``POST`` when the encoded query is long."""
        import urllib.parse

        encoded = len(urllib.parse.quote_plus(query_text.encode("utf-8")))
        return "POST" if encoded > self.config.post_threshold else "GET"

    # -- HTTP ------------------------------------------------------------------------------------

    def _request(self, text: str) -> dict[str, Any]:
        from SPARQLWrapper import GET, JSON, POST, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        cfg = self.config
        method = self.method_for(text)
        last_status = ""
        with _REQUEST_LOCK:
            for attempt in range(1, cfg.max_attempts + 1):
                sw = SPARQLWrapper(cfg.endpoint, agent=cfg.user_agent)
                sw.setQuery(text)
                sw.setReturnFormat(JSON)
                sw.setMethod(POST if method == "POST" else GET)
                sw.setTimeout(max(1, int(round(cfg.timeout))))
                self.requests_sent += 1
                self.methods.append(method)
                try:
                    raw = sw.query().response
                    try:
                        body = raw.read()
                    finally:
                        raw.close()
                    return parse_sparql_json(body)
                except urllib.error.HTTPError as e:
                    if e.code not in (429, 503):
                        raise WikidataError(f"HTTP {e.code} from {cfg.endpoint}: {_excerpt(_read(e))}") from None
                    last_status = f"HTTP {e.code}"
                    if attempt == cfg.max_attempts:
                        break
                    self._wait(self._retry_after(e.headers.get("Retry-After") if e.headers else None, attempt))
                except SPARQLWrapperException as e:
                    raise WikidataError(f"{cfg.endpoint} refused the query: {_excerpt(str(e))}") from None
                except (TimeoutError, OSError) as e:
                    # urllib wraps socket timeouts in URLError (an OSError).
                    raise WikidataError(
                        f"no complete answer from {cfg.endpoint} within {cfg.timeout:g} s: {_excerpt(str(e))}"
                    ) from None
        raise WikidataRateLimitError(
            f"{cfg.endpoint} is still throttling ({last_status}) after {cfg.max_attempts} attempts; try later"
        )

    def _retry_after(self, header: str | None, attempt: int) -> float:
        """Seconds to wait: the ``Retry-After`` header (seconds or HTTP date), else exponential; capped."""
        cap = self.config.max_retry_after
        if header:
            header = header.strip()
            if header.isdigit():
                return min(float(header), cap)
            from email.utils import parsedate_to_datetime

            try:
                when = parsedate_to_datetime(header)
                return min(max(0.0, when.timestamp() - self._clock()), cap)
            except (TypeError, ValueError):
                pass
        return min(self.config.default_backoff * 2 ** (attempt - 1), cap)

    def _wait(self, seconds: float) -> None:
        self.waits.append(seconds)
        self._sleep(seconds)

    # -- cache -----------------------------------------------------------------------------------

    def _cache_path(self, text: str) -> Path | None:
        if self.config.cache_dir is None:
            return None
        key = hashlib.sha256(f"{self.config.endpoint}\n{text}".encode()).hexdigest()
        return Path(self.config.cache_dir) / key[:2] / f"{key}.json"

    def _cache_get(self, text: str) -> SparqlResponse | None:
        path = self._cache_path(text)
        if path is None or not path.is_file():
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            if entry.get("endpoint") != self.config.endpoint or entry.get("query") != text:
                return None
            retrieved = datetime.fromisoformat(entry["retrieved"])
            if self._clock() - retrieved.timestamp() > self.config.cache_ttl:
                return None
            data = parse_sparql_json(json.dumps(entry["result"]))
        except (OSError, ValueError, KeyError, WikidataResponseError):
            return None
        return SparqlResponse(
            tuple(data["head"].get("vars", [])),
            tuple(data["results"]["bindings"]),
            retrieved,
            self.config.endpoint,
            from_cache=True,
        )

    def _cache_put(self, text: str, response: SparqlResponse) -> None:
        path = self._cache_path(text)
        if path is None:
            return
        entry = {
            "endpoint": response.endpoint,
            "query": text,
            "retrieved": response.retrieved.isoformat(),
            "result": {"head": {"vars": list(response.variables)}, "results": {"bindings": list(response.bindings)}},
        }
        try:
            write_text_atomic(path, json.dumps(entry, ensure_ascii=False))
        except OSError as e:
            raise WikidataError(f"cannot write the Wikidata cache in {path.parent}: {e}") from None


def _read(e: urllib.error.HTTPError) -> str:
    try:
        return e.read().decode("utf-8", errors="replace")
    except Exception:  # noqa: BLE001 - the body is only for the message
        return ""


def client_from_options(
    user_agent: str | None, endpoint: str | None = None, cache_dir: str | Path | None = None, *, no_cache: bool = False
) -> WikidataClient:
    """A client from CLI-style options; the User-Agent falls back to ``$GRAPHKIT_USER_AGENT``."""
    agent = user_agent or os.environ.get(USER_AGENT_ENV)
    kwargs: dict[str, Any] = {"user_agent": agent or "", "endpoint": endpoint or DEFAULT_ENDPOINT}
    if no_cache:
        kwargs["cache_dir"] = None
    elif cache_dir:
        kwargs["cache_dir"] = Path(cache_dir)
    return WikidataClient(ClientConfig(**kwargs))
