"""The store interface over any SPARQL 1.1 endpoint, through SPARQLWrapper.

:class:`RemoteStore` runs SELECT/ASK/CONSTRUCT/DESCRIBE on a remote endpoint and returns the same
result types as the embedded store; parameters are bound with the same ``VALUES`` block
(:mod:`graphkit.sparql.binding`), and graphkit's prefixes are declared in front of every query. Where
the endpoint allows it, it also loads data: with the Graph Store Protocol (one request per named
graph, so blank nodes stay intact) when ``graph_store`` is given, else with SPARQL Update
``INSERT DATA`` in chunks. :func:`push_snapshot` publishes a build (``out/graph.nq``) graph by graph.

Every request sends a User-Agent naming graphkit and its version, has a timeout, can use HTTP basic
auth, and is retried with exponential back-off on 429 and 503, honouring ``Retry-After`` (seconds
or an HTTP date, capped at ``max_retry_wait``). Long queries go by POST, so big ``VALUES`` blocks
never hit a 414.

The endpoint decides what the default graph is: graphkit's embedded store queries the union of all
named graphs, so start a remote store the same way (``oxigraph serve --union-default-graph``; Fuseki's
``tdb2:unionDefaultGraph true``).

>>> store = RemoteStore("http://127.0.0.1:7878/query", update_endpoint="http://127.0.0.1:7878/update")
>>> store.user_agent.startswith("graphkit/")
True
>>> retry_delay("7", attempt=0, cap=30.0), retry_delay(None, attempt=2, cap=30.0), retry_delay("999", 0, cap=30.0)
(7.0, 2.0, 30.0)
"""

from __future__ import annotations

import base64
import email.utils
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graphkit.errors import InputError, ParseError, QueryError, StoreError, one_line
from graphkit.rdf.files import QUAD_FORMATS, check_rdf_format, rdf_format_for
from graphkit.rdf.namespaces import sparql_prefixes
from graphkit.sparql.binding import bind_values, iri_to_sparql, query_form
from graphkit.sparql.results import AskResult, GraphResult, QueryResult, SelectResult

#: Queries longer than this (characters) are sent by POST.
POST_THRESHOLD = 2000
#: HTTP statuses worth retrying: rate limited, temporarily unavailable.
RETRY_STATUSES = frozenset({429, 503})


def default_user_agent() -> str:
    """``graphkit/<version> (...)``, as endpoints such as the Wikidata Query Service require."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        v = version("graphkit")
    except PackageNotFoundError:  # a source tree without installed metadata
        v = "0.0.0"
    return f"graphkit/{v} (municipal relations knowledge graph; Python SPARQLWrapper)"


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


@dataclass
class PushReport:
    """What :func:`push_snapshot` sent: triples per graph, HTTP requests and seconds."""

    endpoint: str
    graphs: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        """A few lines for the terminal."""
        total = sum(self.graphs.values())
        lines = [f"Pushed {total} triples in {len(self.graphs)} named graphs to {self.endpoint} "]
        lines[0] += f"({self.requests} requests, {self.seconds:.1f} s)."
        lines += [f"  {n:>8}  {g}" for g, n in sorted(self.graphs.items())]
        return "\n".join(lines) + "\n"


class RemoteStore:
    """A SPARQL 1.1 endpoint as a graphkit :class:`~graphkit.store.embedded.Store`.

    ``endpoint`` answers queries; ``update_endpoint`` (SPARQL Update) and/or ``graph_store`` (Graph
    Store Protocol base URL, e.g. oxigraph's ``/store``) are needed only for loading. ``sleep`` is
    the function used to wait between retries (tests pass a recorder).
    """

    def __init__(
        self,
        endpoint: str,
        *,
        update_endpoint: str | None = None,
        graph_store: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 60.0,
        retries: int = 4,
        max_retry_wait: float = 60.0,
        chunk_size: int = 10_000,
        post_threshold: int = POST_THRESHOLD,
        user_agent: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        for url in (endpoint, update_endpoint, graph_store):
            if url is not None and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise InputError(f"not an http(s) endpoint URL: {url!r}")
        if (user is None) != (password is None):
            raise InputError("basic auth needs both a user and a password")
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint
        self.graph_store = graph_store
        self.user = user
        self.password = password
        self.timeout = timeout
        self.retries = retries
        self.max_retry_wait = max_retry_wait
        self.chunk_size = chunk_size
        self.post_threshold = post_threshold
        self.user_agent = user_agent or default_user_agent()
        self.requests = 0
        self._sleep = sleep

    # ---- queries -------------------------------------------------------------------------------

    def query(
        self, sparql: str, *, bindings: Mapping[str, Node] | None = None, union_default_graph: bool = True
    ) -> QueryResult:
        """Run a query on the endpoint (``union_default_graph`` is the endpoint's configuration, see above)."""
        text = bind_values(sparql, bindings) if bindings else sparql
        form = query_form(text)
        if form == "UPDATE":
            raise QueryError("this is a SPARQL Update, not a query; use the store's loading methods")
        full = sparql_prefixes() + text
        if form in ("SELECT", "ASK"):
            body, _ = self._run_query(full, "json")
            return parse_sparql_json(body)
        body, _ = self._run_query(full, "turtle")
        return GraphResult(tuple(_parse_triples(body, "ttl", source=self.endpoint)))

    def _run_query(self, text: str, return_format: str) -> tuple[bytes, str]:
        from SPARQLWrapper import GET, POST, SPARQLWrapper

        def attempt() -> tuple[bytes, str]:
            sw = SPARQLWrapper(self.endpoint, agent=self.user_agent)
            sw.setQuery(text)
            sw.setReturnFormat(return_format)
            sw.setMethod(POST if len(text) > self.post_threshold else GET)
            sw.setTimeout(max(1, round(self.timeout)))
            if self.user is not None:
                sw.setCredentials(self.user, self.password)
            response = sw.query().response
            return response.read(), response.headers.get("Content-Type", "")

        return self._with_retries(attempt, what="query")

    def graphs(self) -> list[URIRef]:
        r = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(r, SelectResult)
        return sorted(URIRef(str(row[0])) for row in r.rows if isinstance(row[0], URIRef))

    def __len__(self) -> int:
        r = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(r, SelectResult)
        return int(r.column("n")[0])

    def dump(self, path: str | Path, *, fmt: str | None = None, graph: URIRef | None = None) -> Path:
        """Download the named graphs (or one) and write them atomically in ``fmt``."""
        return self.to_embedded(graph).dump(path, fmt=fmt, graph=graph)

    def to_embedded(self, graph: URIRef | None = None) -> Any:
        """A local :class:`~graphkit.store.embedded.EmbeddedStore` copy of the endpoint's named graphs (or one)."""
        from graphkit.store.embedded import EmbeddedStore

        r = self.query(
            "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", bindings={"g": graph} if graph is not None else None
        )
        assert isinstance(r, SelectResult)
        local = EmbeddedStore()
        local.add_quads((s, p, o, g) for s, p, o, g in r.rows)  # type: ignore[misc]
        return local

    # ---- loading -------------------------------------------------------------------------------

    def load_file(self, path: str | Path, *, graph: URIRef | None = None, fmt: str | None = None) -> None:
        p = Path(path)
        if not p.is_file():
            raise InputError(f"{p}: no such file")
        fmt = check_rdf_format(fmt) if fmt else rdf_format_for(p)
        self._load(p.read_bytes(), fmt, graph, source=str(p), base_iri=p.resolve().as_uri())

    def load_data(self, data: str | bytes, fmt: str, *, graph: URIRef | None = None) -> None:
        self._load(data, check_rdf_format(fmt), graph, source="<data>", base_iri=None)

    def add_graph(self, triples: Graph, graph: URIRef) -> None:
        self.append_lines(graph, [f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in triples])

    def _load(self, data: str | bytes, fmt: str, graph: URIRef | None, *, source: str, base_iri: str | None) -> None:
        by_graph = ntriples_by_graph(data, fmt, graph, source=source, base_iri=base_iri)
        for g, lines in by_graph.items():
            self.append_lines(g, lines)

    def append_lines(self, graph: URIRef | None, lines: list[str]) -> None:
        """Add N-Triples ``lines`` to ``graph`` (the default graph when None)."""
        if not lines:
            return
        if self.graph_store:
            self._graph_store_send("POST", graph, lines)
        else:
            for chunk in chunk_lines(lines, self.chunk_size):
                self.update(_insert_data(graph, chunk))

    def replace_graph(self, graph: URIRef, lines: list[str]) -> None:
        """Make ``graph`` hold exactly ``lines`` (Graph Store PUT, or DROP + INSERT DATA)."""
        if self.graph_store:
            self._graph_store_send("PUT", graph, lines)
            return
        chunks = list(chunk_lines(lines, self.chunk_size)) or [[]]
        self.update(f"DROP SILENT GRAPH {iri_to_sparql(str(graph))} ;\n" + _insert_data(graph, chunks[0]))
        for chunk in chunks[1:]:
            self.update(_insert_data(graph, chunk))

    def update(self, text: str) -> None:
        """Send a SPARQL Update request to the update endpoint."""
        if not self.update_endpoint:
            raise StoreError("this remote store has no update endpoint (pass --update-endpoint or a graph store URL)")
        from SPARQLWrapper import POST, POSTDIRECTLY, SPARQLWrapper

        def attempt() -> None:
            sw = SPARQLWrapper(self.endpoint, updateEndpoint=self.update_endpoint, agent=self.user_agent)
            sw.setQuery(text)
            sw.setMethod(POST)
            sw.setRequestMethod(POSTDIRECTLY)
            sw.setTimeout(max(1, round(self.timeout)))
            if self.user is not None:
                sw.setCredentials(self.user, self.password)
            sw.query().response.read()

        self._with_retries(attempt, what="update")

    def _graph_store_send(self, method: str, graph: URIRef | None, lines: list[str]) -> None:
        assert self.graph_store is not None
        target = "default" if graph is None else "graph=" + urllib.parse.quote(str(graph), safe="")
        sep = "&" if "?" in self.graph_store else "?"
        url = f"{self.graph_store}{sep}{target}"
        body = ("\n".join(lines) + "\n").encode("utf-8")

        def attempt() -> None:
            req = urllib.request.Request(url, data=body, method=method)
            req.add_header("Content-Type", "application/n-triples")
            req.add_header("User-Agent", self.user_agent)
            if self.user is not None:
                token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
                req.add_header("Authorization", f"Basic {token}")
            with urllib.request.urlopen(req, timeout=self.timeout) as response:
                response.read()

        self._with_retries(attempt, what=f"graph store {method}")

    # ---- retries and errors ----------------------------------------------------------------------

    def _with_retries(self, fn: Callable[[], Any], *, what: str) -> Any:
        from SPARQLWrapper.SPARQLExceptions import (
            EndPointInternalError,
            EndPointNotFound,
            QueryBadFormed,
            Unauthorized,
            URITooLong,
        )

        for attempt in range(self.retries + 1):
            self.requests += 1
            try:
                return fn()
            except urllib.error.HTTPError as e:
                if e.code in RETRY_STATUSES and attempt < self.retries:
                    self._sleep(retry_delay(e.headers.get("Retry-After"), attempt, self.max_retry_wait))
                    continue
                raise _http_error(e.code, _body(e), what, self.endpoint) from None
            except QueryBadFormed as e:
                raise QueryError(f"the endpoint refused the {what} as malformed: {_short(e)}") from None
            except Unauthorized:
                raise StoreError(f"{self.endpoint}: the {what} needs valid credentials (--user/--password)") from None
            except EndPointNotFound:
                raise StoreError(f"{self.endpoint}: no SPARQL endpoint there (404)") from None
            except URITooLong:
                raise QueryError(f"the {what} is too long for a GET request (414)") from None
            except EndPointInternalError as e:
                raise QueryError(f"the endpoint failed on the {what} (500): {_short(e)}") from None
            except TimeoutError:
                raise StoreError(f"{self.endpoint}: no answer to the {what} within {self.timeout:g} s") from None
            except urllib.error.URLError as e:
                if isinstance(e.reason, TimeoutError):
                    raise StoreError(f"{self.endpoint}: no answer to the {what} within {self.timeout:g} s") from None
                raise StoreError(f"{self.endpoint}: cannot reach the endpoint ({e.reason})") from None
        raise StoreError(f"{self.endpoint}: still busy after {self.retries} retries")  # pragma: no cover


def _body(e: urllib.error.HTTPError) -> str:
    try:
        return e.read().decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - the body is only for the message
        return ""


def _short(e: BaseException, limit: int = 300) -> str:
    text = one_line(e)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _http_error(code: int, body: str, what: str, endpoint: str) -> Exception:
    detail = " ".join(body.split())[:300]
    if code in RETRY_STATUSES:
        return StoreError(f"{endpoint}: still refusing the {what} after retries (HTTP {code}) {detail}".rstrip())
    if code in (401, 403):
        return StoreError(f"{endpoint}: the {what} was refused (HTTP {code}) {detail}".rstrip())
    return QueryError(f"{endpoint}: the {what} failed (HTTP {code}) {detail}".rstrip())


# ---- results ---------------------------------------------------------------------------------------


def parse_sparql_json(body: bytes) -> SelectResult | AskResult:
    """SPARQL 1.1 Query Results JSON as graphkit results (checks the body: some services answer 200
    with an error text).

    >>> parse_sparql_json(b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", '
    ...                   b'"value": "2009", "datatype": "http://www.w3.org/2001/XMLSchema#gYear"}}]}}').records()
    [{'x': '2009'}]
    """
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise QueryError(f"the endpoint did not answer with SPARQL JSON results: {body[:200]!r}") from None
    if not isinstance(data, dict) or "head" not in data:
        raise QueryError("the endpoint's answer has no 'head': not SPARQL JSON results")
    if "boolean" in data:
        return AskResult(bool(data["boolean"]))
    variables = tuple(data["head"].get("vars", []))
    rows = tuple(tuple(_json_term(b.get(v)) for v in variables) for b in data.get("results", {}).get("bindings", []))
    return SelectResult(variables, rows)


def _json_term(value: Mapping[str, str] | None) -> Node | None:
    if value is None:
        return None
    kind = value.get("type")
    text = value.get("value", "")
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind in ("literal", "typed-literal"):
        lang = value.get("xml:lang")
        if lang:
            return Literal(text, lang=lang)
        dt = value.get("datatype")
        return Literal(text, datatype=URIRef(dt) if dt else None)
    raise QueryError(f"unsupported term in SPARQL JSON results: {kind!r}")


def _parse_triples(body: bytes, fmt: str, *, source: str) -> Iterator[tuple[Node, Node, Node]]:
    import pyoxigraph as ox

    from graphkit.rdf.terms import to_rdflib
    from graphkit.store.embedded import _OX_FORMATS

    try:
        for t in ox.parse(body, format=_OX_FORMATS[fmt]):
            yield (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
    except SyntaxError as e:
        raise QueryError(f"{source}: the endpoint's RDF answer does not parse: {_short(e)}") from None


# ---- loading helpers -------------------------------------------------------------------------------


def ntriples_by_graph(
    data: str | bytes | Path, fmt: str, graph: URIRef | None, *, source: str = "<data>", base_iri: str | None = None
) -> dict[URIRef | None, list[str]]:
    """Parse RDF (checking it all before anything is sent) into N-Triples lines per target graph.

    Quads keep their own graph; triples go into ``graph`` (None: the default graph).

    >>> ntriples_by_graph('<https://x.org/a> <https://x.org/p> "Łódź"@pl .', "ttl", URIRef("https://x.org/g"))
    {rdflib.term.URIRef('https://x.org/g'): ['<https://x.org/a> <https://x.org/p> "Łódź"@pl .']}
    """
    import pyoxigraph as ox

    from graphkit.store.embedded import _OX_FORMATS

    payload = data.read_bytes() if isinstance(data, Path) else data
    out: dict[URIRef | None, list[str]] = {}
    try:
        for q in ox.parse(payload, format=_OX_FORMATS[fmt], base_iri=base_iri):
            g: URIRef | None = graph
            if fmt in QUAD_FORMATS:
                name = q.graph_name
                g = URIRef(name.value) if isinstance(name, ox.NamedNode) else graph
            out.setdefault(g, []).append(f"{q.subject} {q.predicate} {q.object} .")
    except SyntaxError as e:
        raise ParseError(f"{source}: not valid {fmt}: {_short(e)}") from None
    except (ValueError, OSError) as e:
        raise ParseError(f"{source}: {_short(e)}") from None
    return out


def chunk_lines(lines: list[str], size: int) -> Iterable[list[str]]:
    """Chunks of at most ``size`` N-Triples lines; every line with a blank node goes into one last
    chunk, so that a blank node is never split across two INSERT DATA requests (each request mints
    fresh blank nodes).

    >>> [len(c) for c in chunk_lines(["<a> <p> <b> ."] * 5 + ["_:x <p> <b> ."] * 3, 2)]
    [2, 2, 1, 3]
    """
    plain = [ln for ln in lines if "_:" not in ln or not _has_blank_node(ln)]
    blank = [ln for ln in lines if "_:" in ln and _has_blank_node(ln)]
    for i in range(0, len(plain), max(1, size)):
        yield plain[i : i + size]
    if blank:
        yield blank


def _has_blank_node(line: str) -> bool:
    """True when an N-Triples line has a blank node in subject or object position (not inside a literal)."""
    if line.startswith("_:"):
        return True
    end = line.rstrip().removesuffix(".").rstrip()
    return end.rsplit(" ", 1)[-1].startswith("_:") and not end.endswith('"')


def _insert_data(graph: URIRef | None, lines: list[str]) -> str:
    body = "\n".join(lines)
    if graph is None:
        return f"INSERT DATA {{\n{body}\n}}"
    return f"INSERT DATA {{ GRAPH {iri_to_sparql(str(graph))} {{\n{body}\n}} }}"


def push_snapshot(snapshot: str | Path, remote: RemoteStore, *, show_progress: bool = False) -> PushReport:
    """Publish a build (an N-Quads snapshot such as ``out/graph.nq``) to ``remote``: each named graph
    replaces the remote graph of the same name (Graph Store PUT, or DROP + INSERT DATA)."""
    from graphkit.runtime.progress import progress

    p = Path(snapshot)
    if not p.is_file():
        raise StoreError(f"no built graph at {p}; run `graphkit build` first")
    t0 = time.perf_counter()
    by_graph = ntriples_by_graph(p, rdf_format_for(p), None, source=str(p))
    report = PushReport(remote.graph_store or remote.update_endpoint or remote.endpoint)
    before = remote.requests
    for g in progress(sorted(by_graph, key=lambda x: str(x)), desc="pushing graphs", enabled=show_progress):
        lines = by_graph[g]
        if g is None:
            remote.append_lines(None, lines)
        else:
            remote.replace_graph(g, lines)
        report.graphs[str(g) if g is not None else "(default graph)"] = len(lines)
    report.requests = remote.requests - before
    report.seconds = time.perf_counter() - t0
    return report
