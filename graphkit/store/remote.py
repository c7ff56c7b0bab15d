"""The store interface over any SPARQL 1.1 endpoint (Oxigraph, Fuseki, Virtuoso, ...).

:class:`RemoteStore` runs SELECT/ASK/CONSTRUCT/DESCRIBE on a remote endpoint and returns the same
result types as the embedded store; parameters are bound with the same ``VALUES`` block
(:mod:`graphkit.sparql.binding`), and graphkit's prefixes are declared in front of every query. Where
the endpoint allows it, it also loads data: with the Graph Store Protocol (one request per named
graph and chunk, so blank nodes stay intact) when ``graph_store`` is given, else with SPARQL Update
``INSERT DATA`` in chunks. :func:`push_snapshot` publishes a build (``out/graph.nq``) graph by graph.

HTTP (:mod:`graphkit.store.http`): a graphkit User-Agent, a timeout, HTTP basic or digest auth
(whichever the server asks for), retries with back-off on 429 and 503 honouring ``Retry-After``.
Long queries go by POST, so big ``VALUES`` blocks never hit a 414.

The endpoint decides what the default graph is: graphkit's embedded store queries the union of all
named graphs, so start a remote store the same way (``oxigraph serve --union-default-graph``; Fuseki's
``tdb2:unionDefaultGraph true``; Virtuoso reads every readable graph, see ``scripts/virtuoso.sh``).
Virtuoso (:mod:`graphkit.store.virtuoso`) is recognised by its ``Server`` header: a result cut at its
``ResultSetMaxRows`` or partial after a timeout is an error, and loading goes through its Graph Store
endpoint next to ``/sparql-auth``.

>>> store = RemoteStore("http://127.0.0.1:7878/query", update_endpoint="http://127.0.0.1:7878/update")
>>> store.user_agent.startswith("graphkit/")
True
"""

from __future__ import annotations

import json
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graphkit.errors import InputError, ParseError, QueryError, StoreError
from graphkit.rdf.files import QUAD_FORMATS, check_rdf_format, rdf_format_for
from graphkit.rdf.namespaces import sparql_prefixes
from graphkit.sparql.binding import bind_values, iri_to_sparql, query_form
from graphkit.sparql.results import AskResult, GraphResult, QueryResult, SelectResult
from graphkit.store import virtuoso
from graphkit.store.embedded import TypedQueries
from graphkit.store.http import HttpClient, short, with_params

#: Queries longer than this (characters) are sent by POST.
POST_THRESHOLD = 2000
#: Accept headers by query form.
JSON_RESULTS = "application/sparql-results+json"
RDF_RESULTS = "text/turtle, application/n-triples;q=0.9"


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


class RemoteStore(TypedQueries):
    """A SPARQL 1.1 endpoint as a graphkit :class:`~graphkit.store.embedded.Store`.

    ``endpoint`` answers queries; ``update_endpoint`` (SPARQL Update) and/or ``graph_store`` (Graph
    Store Protocol base URL, e.g. oxigraph's ``/store``) are needed only for loading. ``user`` and
    ``password`` answer the server's basic or digest challenge. ``sleep`` is the function used to
    wait between retries (tests pass a recorder).
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
        urls = [u for u in (endpoint, update_endpoint, graph_store) if u is not None]
        for url in urls:
            if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise InputError(f"not an http(s) endpoint URL: {url!r}")
        if (user is None) != (password is None):
            raise InputError("HTTP auth needs both a user and a password")
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint
        self.graph_store = graph_store
        self.user = user
        self.chunk_size = chunk_size
        self.post_threshold = post_threshold
        #: the server's row limit once an answer announced it (Virtuoso's ResultSetMaxRows)
        self.max_rows: int | None = None
        self.http = HttpClient(
            user=user,
            password=password,
            sites=urls,
            timeout=timeout,
            retries=retries,
            max_retry_wait=max_retry_wait,
            user_agent=user_agent,
            sleep=sleep,
            explain=virtuoso.explain_error,
        )

    @property
    def user_agent(self) -> str:
        return self.http.user_agent

    @property
    def timeout(self) -> float:
        return self.http.timeout

    @property
    def requests(self) -> int:
        """HTTP requests sent so far (retries and auth challenges included)."""
        return self.http.requests

    # ---- queries -------------------------------------------------------------------------------

    def query(
        self, sparql: str, *, bindings: Mapping[str, Node] | None = None, union_default_graph: bool = True
    ) -> QueryResult:
        """Run a query on the endpoint (``union_default_graph`` is the endpoint's configuration, see above).

        A result the server says is incomplete (cut at its row limit, partial after a timeout) is a
        :class:`~graphkit.errors.QueryError`, never a silently short answer."""
        text = bind_each(sparql, bindings) if bindings else sparql
        form = query_form(text)
        if form == "UPDATE":
            raise QueryError("this is a SPARQL Update, not a query; use the store's loading methods")
        full = sparql_prefixes() + text
        if form == "DESCRIBE" and self.is_virtuoso():
            full = virtuoso.DESCRIBE_AS_CBD + full
        if form in ("SELECT", "ASK"):
            answer = self._run_query(full, JSON_RESULTS)
            result = parse_sparql_json(answer.body)
            size = len(result) if isinstance(result, SelectResult) else 0
            self.max_rows = virtuoso.announced_limit(answer.headers) or self.max_rows
            virtuoso.check_complete(answer.headers, size, self.endpoint)
            return result
        answer = self._run_query(full, RDF_RESULTS)
        kind = str(answer.headers.get("Content-Type", "")).split(";")[0].strip().lower()
        fmt = "nt" if kind in ("application/n-triples", "text/plain") else "ttl"
        graph = GraphResult(tuple(_parse_triples(answer.body, fmt, source=self.endpoint)))
        virtuoso.check_complete(answer.headers, len(graph.triples), self.endpoint, known_limit=self.max_rows)
        return graph

    def _run_query(self, text: str, accept: str) -> Any:
        if len(text) > self.post_threshold:
            body = urllib.parse.urlencode({"query": text}).encode("utf-8")
            return self.http.send(
                "POST",
                self.endpoint,
                what="query",
                body=body,
                content_type="application/x-www-form-urlencoded",
                accept=accept,
            )
        return self.http.send("GET", with_params(self.endpoint, {"query": text}), what="query", accept=accept)

    def graphs(self) -> list[URIRef]:
        r = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(URIRef(str(row[0])) for row in r.rows if isinstance(row[0], URIRef))

    def __len__(self) -> int:
        r = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(r.column("n")[0])

    def dump(self, path: str | Path, *, fmt: str | None = None, graph: URIRef | None = None) -> Path:
        """Download the named graphs (or one) and write them atomically in ``fmt``."""
        return self.to_embedded(graph).dump(path, fmt=fmt, graph=graph)

    def to_embedded(self, graph: URIRef | None = None) -> Any:
        """A local :class:`~graphkit.store.embedded.EmbeddedStore` copy of the endpoint's named graphs (or one)."""
        from graphkit.store.embedded import EmbeddedStore

        r = self.select(
            "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", bindings={"g": graph} if graph is not None else None
        )
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
        store_url = self.writable_graph_store()
        if store_url:
            for chunk in chunk_lines(lines, virtuoso.GRAPH_STORE_CHUNK):
                self._graph_store_send(store_url, "POST", graph, chunk)
        else:
            for chunk in chunk_lines(lines, self._insert_chunk()):
                self.update(_insert_data(graph, chunk))

    def replace_graph(self, graph: URIRef, lines: list[str]) -> None:
        """Make ``graph`` hold exactly ``lines`` (Graph Store PUT then POSTs, or DROP + INSERT DATA)."""
        store_url = self.writable_graph_store()
        if store_url:
            chunks = list(chunk_lines(lines, virtuoso.GRAPH_STORE_CHUNK)) or [[]]
            self._graph_store_send(store_url, "PUT", graph, chunks[0])
            for chunk in chunks[1:]:
                self._graph_store_send(store_url, "POST", graph, chunk)
            return
        chunks = list(chunk_lines(lines, self._insert_chunk())) or [[]]
        self.update(f"DROP SILENT GRAPH {iri_to_sparql(str(graph))} ;\n" + _insert_data(graph, chunks[0]))
        for chunk in chunks[1:]:
            self.update(_insert_data(graph, chunk))

    def is_virtuoso(self) -> bool:
        """True when the endpoint is OpenLink Virtuoso (by its ``Server`` header; asks once if needed)."""
        if self.http.server is None:
            self.http.send("GET", with_params(self.endpoint, {"query": "ASK {}"}), what="query", accept=JSON_RESULTS)
        return virtuoso.is_virtuoso(self.http.server)

    def writable_graph_store(self) -> str | None:
        """The Graph Store Protocol URL loading uses: ``graph_store`` when given, else Virtuoso's
        next to its update endpoint (its ``INSERT DATA`` is limited to small requests), else None."""
        if self.graph_store or not self.update_endpoint:
            return self.graph_store
        if self.is_virtuoso():
            self.graph_store = virtuoso.graph_store_for(self.update_endpoint)
        return self.graph_store

    def _insert_chunk(self) -> int:
        if self.update_endpoint and self.is_virtuoso():
            return min(self.chunk_size, virtuoso.MAX_INSERT_TRIPLES)
        return self.chunk_size

    def update(self, text: str) -> None:
        """Send a SPARQL Update request to the update endpoint."""
        if not self.update_endpoint:
            raise StoreError("this remote store has no update endpoint (give it one, or a Graph Store URL)")
        self.http.send(
            "POST",
            self.update_endpoint,
            what="update",
            body=text.encode("utf-8"),
            content_type="application/sparql-update",
        )

    def _graph_store_send(self, store_url: str, method: str, graph: URIRef | None, lines: list[str]) -> None:
        if graph is None:
            url = with_params(store_url, {"default": ""}).removesuffix("=")
        else:
            url = with_params(store_url, {"graph": str(graph)})
        body = ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
        self.http.send(method, url, what=f"graph store {method}", body=body, content_type="application/n-triples")


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
        raise QueryError(f"{source}: the endpoint's RDF answer does not parse: {short(str(e))}") from None


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
        raise ParseError(f"{source}: not valid {fmt}: {short(str(e))}") from None
    except (ValueError, OSError) as e:
        raise ParseError(f"{source}: {short(str(e))}") from None
    return out


def chunk_lines(lines: list[str], size: int) -> Iterable[list[str]]:
    """Chunks of at most ``size`` N-Triples lines. A blank node is never split across two requests
    (each request mints fresh blank nodes): lines that fit in one chunk stay together, else every
    line with a blank node goes into one last chunk.

    >>> [len(c) for c in chunk_lines(["<a> <p> <b> ."] * 5 + ["_:x <p> <b> ."] * 3, 2)]
    [2, 2, 1, 3]
    >>> [len(c) for c in chunk_lines(["<a> <p> <b> ."] * 5 + ["_:x <p> <b> ."] * 3, 8)]
    [8]
    """
    if len(lines) <= size:
        yield lines
        return
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


def bind_each(query: str, bindings: Mapping[str, Node]) -> str:
    """The parameters bound as the embedded store binds them, one single-variable ``VALUES`` block
    each (the same solutions): Virtuoso 7.2's compiler fails ("ssg_print_rvr_fixed_val") on a one-row
    ``VALUES`` block of several variables followed by an ``OPTIONAL``.

    >>> bind_each("SELECT * WHERE { ?s ?p ?o }", {"s": URIRef("https://x.org/a"), "o": Literal("x")})
    'SELECT * WHERE { VALUES (?s) { (<https://x.org/a>) } VALUES (?o) { ("x") } ?s ?p ?o }'
    """
    for name in reversed(list(bindings)):
        query = bind_values(query, {name: bindings[name]})
    return query


def _insert_data(graph: URIRef | None, lines: list[str]) -> str:
    """``INSERT DATA`` for the lines; ``INSERT { } WHERE { }`` when they have blank nodes (the same
    effect in SPARQL 1.1, and the form Virtuoso accepts: it refuses blank nodes in ``INSERT DATA``).

    >>> lines = ("_:b <https://x.org/p> 1 .", "<https://x.org/a> <https://x.org/p> 1 .")
    >>> [_insert_data(None, [line]).split("{")[0] for line in lines]
    ['INSERT ', 'INSERT DATA ']
    """
    body = "\n".join(lines)
    block = f"{{\n{body}\n}}" if graph is None else f"{{ GRAPH {iri_to_sparql(str(graph))} {{\n{body}\n}} }}"
    if any("_:" in line and _has_blank_node(line) for line in lines):
        return f"INSERT {block} WHERE {{}}"
    return f"INSERT DATA {block}"


def push_snapshot(snapshot: str | Path, remote: RemoteStore, *, show_progress: bool = False) -> PushReport:
    """Publish a build (an N-Quads snapshot such as ``out/graph.nq``) to ``remote``: each named graph
    replaces the remote graph of the same name (Graph Store PUT, or DROP + INSERT DATA).

    With ``show_progress`` the progress goes to stderr: a bar on a terminal, else one line per step
    (reading the file, then each named graph as it is sent), so a log shows what a long push waits on.
    """
    from graphkit.runtime.progress import progress

    p = Path(snapshot)
    if not p.is_file():
        raise StoreError(f"no built graph at {p}; run `graphkit build` first")
    lines_out = show_progress and not sys.stderr.isatty()
    t0 = time.perf_counter()
    if lines_out:
        _say(f"push: reading {p}")
    by_graph = ntriples_by_graph(p, rdf_format_for(p), None, source=str(p))
    names = sorted(by_graph, key=lambda x: str(x))
    if lines_out:
        total = sum(len(v) for v in by_graph.values())
        _say(f"push: {total} triples in {len(names)} graphs read in {time.perf_counter() - t0:.1f} s")
    report = PushReport(remote.endpoint)
    before = remote.requests
    bar_enabled = show_progress and not lines_out
    for i, g in enumerate(progress(names, desc="pushing graphs", enabled=bar_enabled), start=1):
        lines = by_graph[g]
        name = str(g) if g is not None else "(default graph)"
        if lines_out:
            _say(f"push: graph {i}/{len(names)} {name}: {len(lines)} triples")
        if g is None:
            remote.append_lines(None, lines)
        else:
            remote.replace_graph(g, lines)
        report.graphs[name] = len(lines)
    report.endpoint = remote.graph_store or remote.update_endpoint or remote.endpoint
    report.requests = remote.requests - before
    report.seconds = time.perf_counter() - t0
    return report


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
