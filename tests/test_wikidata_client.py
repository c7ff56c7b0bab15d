"""The polite Wikidata client: real query text against a local oxigraph server, and a misbehaving stub server."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import URIRef

from graphkit.rdf.namespaces import WD
from graphkit.wikidata.client import (
    ClientConfig,
    UserAgentError,
    WikidataClient,
    WikidataError,
    WikidataRateLimitError,
    WikidataResponseError,
    check_user_agent,
    client_from_options,
)

from .wikidata_fixture import OxigraphServer, build_fixture_graph

UA = "graphkit-tests/0.1 (https://example.org/graphkit; tests@example.org)"

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def wdqs():
    server = OxigraphServer(build_fixture_graph().serialize(format="turtle"))
    yield server
    server.stop()


def client(endpoint: str, cache_dir: Path | None = None, **kw) -> WikidataClient:
    waits: list[float] = []
    c = WikidataClient(ClientConfig(UA, endpoint=endpoint, cache_dir=cache_dir, **kw), sleep=waits.append)
    return c


@pytest.mark.parametrize(
    "agent",
    [
        None,
        "",
        "   ",
        "sparqlwrapper 2.0.0 (rdflib.github.io/sparqlwrapper)",
        "Python-urllib/3.11",
        "rdflibForAnUser",
        "Mozilla/5.0 (X11; Linux x86_64) me@example.org",
        "graphkit/0.1",  # no contact
        "my tool (me@example.org)",  # no tool/version
    ],
)
def test_missing_or_generic_user_agent_is_refused(agent):
    with pytest.raises(UserAgentError):
        check_user_agent(agent)
    with pytest.raises(UserAgentError):
        ClientConfig(agent)  # type: ignore[arg-type]


def test_client_from_options_reads_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("GRAPHKIT_USER_AGENT", raising=False)
    with pytest.raises(UserAgentError):
        client_from_options(None)
    monkeypatch.setenv("GRAPHKIT_USER_AGENT", UA)
    c = client_from_options(None, "http://127.0.0.1:1/sparql", tmp_path)
    assert c.config.user_agent == UA and c.config.cache_dir == tmp_path


def test_select_real_query_against_local_server(wdqs, tmp_path):
    c = client(wdqs.endpoint, tmp_path)
    q = """SELECT ?partner ?start ?precision WHERE {
      wd:Q3955 p:P190 ?st . ?st ps:P190 ?partner .
      OPTIONAL { ?st pqv:P580 [ wikibase:timeValue ?start ; wikibase:timePrecision ?precision ] }
    } ORDER BY ?start"""
    r = c.select(q)
    rows = r.rows()
    assert [row["partner"].rsplit("/", 1)[1] for row in rows] == ["Q202158", "Q3138", "Q2751", "Q160927", "Q145972"]
    assert rows[0]["start"].startswith("1970-09-06") and rows[0]["precision"] == "11"
    assert not r.from_cache and c.requests_sent == 1 and c.methods == ["GET"]
    # the same query again comes from the on-disk cache, with the original retrieval time
    again = client(wdqs.endpoint, tmp_path).select(q)
    assert again.from_cache and again.rows() == rows and again.retrieved == r.retrieved
    # another endpoint does not share the cache entry
    other = client(wdqs.endpoint + "?x=1", tmp_path)
    assert other._cache_get("x") is None


def test_batched_values_queries_are_chunked_and_long_ones_use_post(wdqs):
    c = client(wdqs.endpoint, None)
    items = [WD.Q3955, WD.Q3138, WD.Q2751, WD.Q220, WD.Q20103] + [URIRef(f"{WD}Q{9000000 + i}") for i in range(400)]
    responses = c.select_values("SELECT ?item ?label WHERE { ?item rdfs:label ?label FILTER(LANG(?label) = 'de') }",
                                "item", items, chunk_size=150)
    assert len(responses) == 3 and c.requests_sent == 3  # 405 items → 3 requests, not 405
    labels = {row["item"].rsplit("/", 1)[1]: row["label"] for r in responses for row in r.rows()}
    assert labels["Q3955"] == "Weimar" and labels["Q2751"] == "Siena" and labels["Q20103"] == "Assisi"
    assert c.methods == ["POST", "POST", "POST"]  # ~150 IRIs are far longer than a safe GET
    short = client(wdqs.endpoint, None)
    short.select_values("SELECT ?item WHERE { ?item rdfs:label ?l }", "item", [WD.Q3955])
    assert short.methods == ["GET"]


def test_post_is_set_through_setMethod_not_attribute():
    source = (Path(__file__).resolve().parents[1] / "graphkit" / "wikidata" / "client.py").read_text("utf-8")
    assert "setMethod(" in source and ".method =" not in source


# --------------------------------------------------------------------------------------------
# A stub server that misbehaves the ways WDQS does.


class _Stub(BaseHTTPRequestHandler):
    log: list[tuple[str, str, str]] = []
    counters: dict[str, int] = {}
    inflight: dict[str, int] = {"now": 0, "max": 0}
    guard = threading.Lock()

    def log_message(self, *args):  # silence
        pass

    def _answer(self) -> None:
        path = self.path.split("?")[0]
        self.log.append((self.command, path, self.headers.get("User-Agent", "")))
        n = self.counters.get(path, 0)
        self.counters[path] = n + 1
        ok = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "1"}}]}})
        if path == "/rate-limited" and n < 2:
            return self._send(429, "Too Many Requests", {"Retry-After": "7"})
        if path == "/rate-limited-date" and n < 1:
            return self._send(429, "slow down", {"Retry-After": "Wed, 25 Nov 2026 12:00:30 GMT"})
        if path == "/always-429":
            return self._send(429, "no", {"Retry-After": "100000"})
        if path == "/unavailable" and n < 1:
            return self._send(503, "busy", {})
        if path == "/error-body":
            trace = "SPARQL-QUERY: queryStr=SELECT ...\njava.util.concurrent.TimeoutException\n\tat ..."
            return self._send(200, trace, {})
        if path == "/truncated":
            return self._send(200, ok[: len(ok) // 2], {"Content-Type": "application/sparql-results+json"})
        if path == "/truncated-trace":
            body = ok[:40] + "\njava.util.concurrent.ExecutionException: java.util.concurrent.TimeoutException"
            return self._send(200, body, {"Content-Type": "application/sparql-results+json"})
        if path == "/set-ua":
            return self._send(200, "Please set a user-agent header that identifies your tool", {})
        if path == "/slow":
            with self.guard:
                self.inflight["now"] += 1
                self.inflight["max"] = max(self.inflight["max"], self.inflight["now"])
            time.sleep(0.03)
            with self.guard:
                self.inflight["now"] -= 1
        if path == "/bad-request":
            return self._send(400, "MalformedQueryException: bad", {})
        return self._send(200, ok, {"Content-Type": "application/sparql-results+json"})

    def _send(self, code: int, body: str, headers: dict[str, str]) -> None:
        data = body.encode()
        self.send_response(code)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: N802
        self._answer()

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._answer()


@pytest.fixture(scope="module")
def stub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _stub_client(url: str, **kw) -> tuple[WikidataClient, list[float]]:
    waits: list[float] = []
    c = WikidataClient(ClientConfig(UA, endpoint=url, cache_dir=None, **kw), sleep=waits.append,
                       clock=lambda: 1795608000.0)  # 2026-11-25T12:00:00Z
    return c, waits


def test_429_honours_retry_after_then_succeeds(stub):
    c, waits = _stub_client(stub + "/rate-limited")
    assert c.select("SELECT ?x WHERE { ?x ?p ?o }").rows() == [{"x": "1"}]
    assert waits == [7.0, 7.0] and c.requests_sent == 3
    assert all(ua == UA for _, path, ua in _Stub.log if path == "/rate-limited")


def test_retry_after_as_http_date_and_503(stub):
    c, waits = _stub_client(stub + "/rate-limited-date")
    c.select("SELECT ?x WHERE { ?x ?p ?o }")
    assert waits == [30.0]
    c, waits = _stub_client(stub + "/unavailable", default_backoff=2.0)
    c.select("SELECT ?x WHERE { ?x ?p ?o }")
    assert waits == [2.0]


def test_retry_after_is_capped_and_attempts_are_bounded(stub):
    c, waits = _stub_client(stub + "/always-429", max_attempts=3, max_retry_after=60.0)
    with pytest.raises(WikidataRateLimitError, match="after 3 attempts"):
        c.select("SELECT ?x WHERE { ?x ?p ?o }")
    assert waits == [60.0, 60.0] and c.requests_sent == 3


@pytest.mark.parametrize("path", ["/error-body", "/truncated", "/truncated-trace", "/set-ua"])
def test_a_200_with_a_bad_body_is_an_error_never_a_partial_result(stub, path, tmp_path):
    c = WikidataClient(ClientConfig(UA, endpoint=stub + path, cache_dir=tmp_path), sleep=lambda s: None)
    with pytest.raises(WikidataResponseError):
        c.select("SELECT ?x WHERE { ?x ?p ?o }")
    assert not any(tmp_path.rglob("*.json"))  # nothing cached


def test_other_http_errors_are_clear(stub):
    c, _ = _stub_client(stub + "/bad-request")
    with pytest.raises(WikidataError, match="refused the query"):
        c.select("SELECT ?x WHERE { ?x ?p ?o }")
    c, _ = _stub_client("http://127.0.0.1:9/none", timeout=2)
    with pytest.raises(WikidataError):
        c.select("SELECT ?x WHERE { ?x ?p ?o }")


def test_requests_are_serialised(stub):
    """Eight threads, each with its own client: the server never sees two requests at once."""
    _Stub.inflight = {"now": 0, "max": 0}
    errors: list[BaseException] = []

    def run() -> None:
        try:
            _stub_client(stub + "/slow")[0].select("SELECT ?x WHERE { ?x ?p ?o }")
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors and _Stub.counters["/slow"] == 8
    assert _Stub.inflight["max"] == 1
