"""RemoteStore's HTTP behaviour against tiny local servers (retries on 429/503 with Retry-After,
back-off, User-Agent, basic auth, POST for long queries, timeouts) and `graphkit push` against a
real `oxigraph serve`."""

from __future__ import annotations

import base64
import email.utils
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rdflib import Literal

from graphkit.build.pipeline import assemble
from graphkit.errors import InputError, QueryError, StoreError
from graphkit.sparql.catalogue import run_named_query
from graphkit.store.remote import RemoteStore, push_snapshot

from .conftest import REPO, run_cli
from .servers import oxigraph_url  # noqa: F401 - a fixture

ASK_TRUE = json.dumps({"head": {}, "boolean": True}).encode()


class Scripted:
    """A local HTTP server answering from a script of (status, headers, body); the last entry repeats.
    It records each request's method, path, headers and body."""

    def __init__(self, script, *, block: threading.Event | None = None):
        self.script = list(script)
        self.requests: list[dict] = []
        self.block = block
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.requests.append(
                    {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
                )
                if outer.block is not None:
                    outer.block.wait(10)
                i = min(len(outer.requests), len(outer.script)) - 1
                status, headers, payload = outer.script[i]
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _answer  # noqa: N815

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/sparql"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        if self.block is not None:
            self.block.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


JSON_OK = (200, {"Content-Type": "application/sparql-results+json"}, ASK_TRUE)


def test_429_with_retry_after_is_retried_after_that_delay():
    waits: list[float] = []
    script = [(429, {"Retry-After": "1"}, b"slow down"), JSON_OK]
    with Scripted(script) as server:
        store = RemoteStore(server.url, sleep=waits.append)
        assert bool(store.query("ASK { ?s ?p ?o }")) is True
    assert waits == [1.0]
    assert len(server.requests) == 2
    for r in server.requests:
        assert r["headers"]["User-Agent"].startswith("graphkit/0.1.0")


def test_real_wait_honours_retry_after():
    with Scripted([(429, {"Retry-After": "1"}, b""), JSON_OK]) as server:
        t0 = time.monotonic()
        assert bool(RemoteStore(server.url).query("ASK {}")) is True
        assert 1.0 <= time.monotonic() - t0 < 3.0


def test_503_backs_off_exponentially_and_caps_retry_after():
    waits: list[float] = []
    later = email.utils.formatdate(time.time() + 3600, usegmt=True)
    script = [
        (503, {}, b""),
        (503, {}, b""),
        (503, {"Retry-After": "86400"}, b""),
        (429, {"Retry-After": later}, b""),
        JSON_OK,
    ]
    with Scripted(script) as server:
        store = RemoteStore(server.url, sleep=waits.append, max_retry_wait=5.0)
        assert bool(store.query("ASK {}")) is True
    assert waits == [0.5, 1.0, 5.0, 5.0]


def test_gives_up_after_the_retries():
    waits: list[float] = []
    with Scripted([(503, {"Retry-After": "0"}, b"maintenance")]) as server:
        store = RemoteStore(server.url, retries=2, sleep=waits.append)
        with pytest.raises(StoreError, match="HTTP 503"):
            store.query("ASK {}")
    assert len(server.requests) == 3 and waits == [0.0, 0.0]


def test_other_errors_are_not_retried_and_are_clear():
    with Scripted([(400, {}, b"Parse error: line 1")]) as server:
        with pytest.raises(QueryError, match="malformed"):
            RemoteStore(server.url, sleep=lambda s: None).query("ASK {}")
    assert len(server.requests) == 1
    with Scripted([(200, {"Content-Type": "text/html"}, b"Please set a user-agent")]) as server:
        with pytest.raises(QueryError, match="not answer with SPARQL JSON"):
            RemoteStore(server.url).query("ASK {}")


def test_basic_auth_answers_the_challenge():
    token = base64.b64encode(b"ana:s3cret").decode()
    challenge = (401, {"WWW-Authenticate": 'Basic realm="x"'}, b"")
    with Scripted([challenge]) as server:
        with pytest.raises(StoreError, match="credentials"):
            RemoteStore(server.url).query("ASK {}")
    with Scripted([challenge, JSON_OK]) as server:
        RemoteStore(server.url, user="ana", password="s3cret").query("ASK {}")
        assert "Authorization" not in server.requests[0]["headers"]  # nothing sent before the server asks
        assert server.requests[1]["headers"]["Authorization"] == f"Basic {token}"
    with Scripted([challenge]) as server:  # wrong password: refused again, a clear error
        with pytest.raises(StoreError, match="credentials"):
            RemoteStore(server.url, user="ana", password="wrong").query("ASK {}")
    with pytest.raises(InputError, match="both"):
        RemoteStore("http://127.0.0.1:1/sparql", user="ana")


def test_digest_auth_answers_the_challenge():
    challenge = (401, {"WWW-Authenticate": 'Digest realm="SPARQL", nonce="abc123", qop="auth"'}, b"")
    with Scripted([challenge, JSON_OK]) as server:
        RemoteStore(server.url, user="dba", password="s3cret").query("ASK {}")
    sent = server.requests[1]["headers"]["Authorization"]
    assert sent.startswith("Digest ") and 'username="dba"' in sent and "s3cret" not in sent


def test_long_queries_go_by_post_short_ones_by_get():
    with Scripted([JSON_OK]) as server:
        store = RemoteStore(server.url)
        store.query("ASK { ?s ?p ?o }")
        values = " ".join(f'"{i}"' for i in range(2000))
        store.query(f"ASK {{ VALUES ?x {{ {values} }} ?s ?p ?x }}")
    assert [r["method"] for r in server.requests] == ["GET", "POST"]
    assert b"VALUES" in server.requests[1]["body"]


def test_bindings_are_sent_as_a_values_block_with_prefixes():
    with Scripted([JSON_OK]) as server:
        RemoteStore(server.url, post_threshold=0).query(
            "ASK { ?c gk:countryCode ?code }", bindings={"code": Literal('IT" } #')}
        )
    from urllib.parse import parse_qs

    sent = parse_qs(server.requests[0]["body"].decode())["query"][0]
    assert "PREFIX gk: <https://w3id.org/graphkit/ontology#>" in sent
    assert 'VALUES (?code) { ("IT\\" } #") }' in sent


def test_timeout_is_a_clear_store_error():
    release = threading.Event()
    with Scripted([JSON_OK], block=release) as server:
        t0 = time.monotonic()
        with pytest.raises(StoreError, match="within 1 s"):
            RemoteStore(server.url, timeout=1).query("ASK {}")
        assert time.monotonic() - t0 < 5
        release.set()


def test_unreachable_endpoint_and_bad_url():
    with pytest.raises(StoreError, match="cannot reach"):
        RemoteStore("http://127.0.0.1:9/sparql", timeout=2).query("ASK {}")
    with pytest.raises(InputError, match="http"):
        RemoteStore("file:///etc/passwd")
    with pytest.raises(StoreError, match="no update endpoint"):
        RemoteStore("http://127.0.0.1:9/sparql").update("CLEAR ALL")


@pytest.fixture(scope="module")
def seed_snapshot(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    store, _ = assemble(REPO / "data", out, steps=())
    store.dump(out / "graph.nq")
    return out, store


@pytest.mark.server
def test_graphkit_push_publishes_the_build_and_replaces_on_repeat(oxigraph_url, seed_snapshot):  # noqa: F811
    out, local = seed_snapshot
    remote = RemoteStore(oxigraph_url + "/query", update_endpoint=oxigraph_url + "/update")
    remote.update("DROP ALL")
    args = ["push", "--endpoint", oxigraph_url + "/query", "--update-endpoint", oxigraph_url + "/update"]
    for _ in range(2):  # pushing twice replaces each graph, it does not duplicate
        proc = run_cli(*args, "--chunk-size", "300", "--out", str(out), check=True)
        assert f"Pushed {len(local)} triples in {len(local.graphs())} named graphs" in proc.stdout
        # not on a terminal: a progress line per named graph on stderr (no silent wait)
        n_graphs = len(local.graphs())
        assert len(re.findall(rf"^push: graph \d+/{n_graphs} https://", proc.stderr, re.M)) == n_graphs
    assert len(remote) == len(local)
    assert remote.graphs() == local.graphs()
    # the blank nodes of the seed's reified statements survived the chunking
    assert run_named_query(remote, "fact-sources").records() == run_named_query(local, "fact-sources").records()
    assert run_named_query(remote, "representatives").records() == run_named_query(local, "representatives").records()


@pytest.mark.server
def test_push_through_the_graph_store_protocol(oxigraph_url, seed_snapshot):  # noqa: F811
    out, local = seed_snapshot
    remote = RemoteStore(oxigraph_url + "/query", update_endpoint=oxigraph_url + "/update")
    remote.update("DROP ALL")
    gsp = RemoteStore(oxigraph_url + "/query", graph_store=oxigraph_url + "/store")
    report = push_snapshot(out / "graph.nq", gsp)
    assert report.requests == len(local.graphs())
    assert len(remote) == len(local)
    assert run_named_query(remote, "mous").records() == run_named_query(local, "mous").records()


def test_push_needs_a_way_to_write(seed_snapshot, capsys):
    from graphkit.cli import main

    out, _ = seed_snapshot
    assert main(["push", "--endpoint", "http://127.0.0.1:9/query", "--out", str(out)]) == 1
    assert "--update-endpoint" in capsys.readouterr().err
