"""What the endpoint guarantees against hostile requests, tested on a real server with a live local
listener that must never be contacted: the SERVICE/FROM corpus (with and without the guard: the
query processes have no network), deep nesting, HEAD, nosniff, NUL in paths, deep JSON on
/reconcile, connection timeouts and the connection cap."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from graphkit.sparql.sandbox import supported

from .servers import http, post_query
from .ssrf_corpus import CORPUS, Listener, spell

pytestmark = pytest.mark.server


def _serving(server):
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


@pytest.fixture(scope="module")
def server(seed_store):
    from graphkit.server.app import make_server

    s = make_server(seed_store, port=0, timeout=5, workers=2)
    thread = _serving(s)
    yield s
    s.close()
    thread.join(10)


@pytest.fixture(scope="module")
def unguarded(seed_store):
    """The same server with the query guard switched off: only the network seal stands."""
    from graphkit.server.app import make_server

    s = make_server(seed_store, port=0, timeout=5, workers=2, guard=False)
    thread = _serving(s)
    yield s
    s.close()
    thread.join(10)


@pytest.mark.parametrize(("template", "reason", "live"), CORPUS, ids=[f"c{i:02d}" for i in range(len(CORPUS))])
def test_the_corpus_is_refused_and_the_listener_never_contacted(server, template, reason, live):
    with Listener() as listener:
        query = spell(template, listener.port)
        status, headers, body = post_query(server.url, query)
        assert status == (403 if reason == "update" else 400), body
        assert headers["X-Content-Type-Options"] == "nosniff"
        get = http("GET", server.url + "/sparql?" + urllib.parse.urlencode({"query": query}))
        assert get[0] in (400, 403)
        time.sleep(0.05)
        assert listener.hits == []


def test_the_query_processes_have_no_network_even_without_the_guard(unguarded):
    if not supported():
        pytest.skip("the seccomp seal needs Linux on x86-64 or arm64")
    assert unguarded.context.pool.sealed is True
    live = [t for t, reason, is_live in CORPUS if is_live]
    with Listener() as listener:
        statuses = {post_query(unguarded.url, spell(t, listener.port))[0] for t in live}
        time.sleep(0.3)
        assert listener.hits == []
    assert statuses <= {200, 400, 500}  # SERVICE SILENT answers (with no rows); the others fail to connect
    status, _, body = post_query(unguarded.url, "SELECT * { SERVICE <http://127.0.0.1:8099/x> { ?s ?p ?o } }")
    assert status == 500 and b"Permission denied" in body


def test_deep_nesting_is_refused_with_a_clear_message_and_kills_nothing(server):
    crashes = server.context.pool.stats["crashes"]
    for deep in [
        "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o " + "} " * 5000,
        "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
    ]:
        status, _, body = post_query(server.url, deep)
        assert status == 400 and b"at most 64 are accepted" in body
    status, _, body = post_query(server.url, "ASK { ?c a gk:Country }")
    assert status == 200 and json.loads(body)["boolean"] is True
    assert server.context.pool.stats["crashes"] == crashes


def test_head_answers_like_get(server):
    url = server.url + "/sparql?" + urllib.parse.urlencode({"query": "SELECT ?c WHERE { ?c gk:countryCode 'JP' }"})
    get_status, get_headers, get_body = http("GET", url)
    head_status, head_headers, head_body = http("HEAD", url)
    assert get_status == head_status == 200
    assert head_body == b""
    assert head_headers["Content-Type"] == get_headers["Content-Type"] == "application/sparql-results+json"
    assert head_headers["Content-Length"] == str(len(get_body))


def test_every_kind_of_response_says_nosniff(server):
    base = server.url
    responses = [
        http("GET", base + "/"),
        http("GET", base + "/static/yasgui/yasgui.min.css"),
        http("GET", base + "/queries"),
        http("GET", base + "/nope"),
        http("PUT", base + "/sparql", data=b"x"),
        http("OPTIONS", base + "/sparql"),
        post_query(base, "SELECT WHERE {"),
        post_query(base, "ASK { ?s ?p ?o }"),
        http("GET", base + "/reconcile"),
    ]
    assert [r[0] for r in responses] == [200, 200, 200, 404, 405, 204, 400, 200, 200]
    assert all(r[1]["X-Content-Type-Options"] == "nosniff" for r in responses)


@pytest.mark.parametrize(
    "path", ["/static/%00", "/static/yasgui/yasgui.min.js%00.txt", "/static/%00/../../server/app.py", "/%00"]
)
def test_a_nul_in_a_path_is_404_not_500(server, path):
    status, _, body = http("GET", server.url + path)
    assert status == 404, body


def test_deeply_nested_json_on_reconcile_is_a_clear_400(server):
    deep = "[" * 100_000 + "]" * 100_000
    data = urllib.parse.urlencode({"queries": deep}).encode()
    status, headers, body = http(
        "POST", server.url + "/reconcile", data=data, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert status == 400
    assert "nested too deeply" in json.loads(body)["error"]


def _half_open(port: int) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(b"GET /sparql?query=ASK HTTP/1.1\r\nHost: x\r\n")  # the headers never end
    return s


def test_idle_connections_time_out_and_the_number_of_connections_is_capped(seed_store):
    from graphkit.server.app import make_server

    s = make_server(seed_store, port=0, timeout=5, workers=1, connection_timeout=1.0, max_connections=10)
    thread = _serving(s)
    port = s.server_address[1]
    threads_before = threading.active_count()
    socks: list[socket.socket] = []
    try:
        socks = [_half_open(port) for _ in range(30)]
        time.sleep(0.3)
        assert threading.active_count() - threads_before <= 10  # one thread per served connection, capped
        refused = 0
        for sock in socks[10:]:  # over the cap: told at once, and closed
            sock.settimeout(3)
            reply = sock.recv(200)
            refused += reply.startswith(b"HTTP/1.1 503")
        assert refused == 20
        time.sleep(1.5)  # past the idle timeout the server closes the held connections
        closed = 0
        for sock in socks[:10]:
            sock.settimeout(3)
            try:
                closed += sock.recv(200) == b""
            except OSError:
                closed += 1
        assert closed == 10
        status, headers, _ = post_query(s.url, "ASK { ?s ?p ?o }")
        assert status == 200
    finally:
        for sock in socks:
            sock.close()
        s.close()
        thread.join(10)
