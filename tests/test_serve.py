"""`graphkit serve` as a real process on a free loopback port, on the seed graph, talked to with
SPARQLWrapper, graphkit's RemoteStore and plain HTTP: results and content negotiation, read-only,
refused SERVICE/FROM, CORS, the per-query time limit, 50 concurrent queries, the query page."""

from __future__ import annotations

import concurrent.futures
import csv
import io
import json
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdflib import Graph, Literal
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, SPARQLWrapper

from graphkit.errors import QueryError
from graphkit.rdf.namespaces import ID, graph_iri, sparql_prefixes
from graphkit.sparql.binding import bind_values
from graphkit.sparql.catalogue import bind_parameters, get_query, run_named_query
from graphkit.store.remote import RemoteStore

from .servers import http, post_query, serving_seed

pytestmark = pytest.mark.server

TIME_LIMIT = 2.0
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def endpoint():
    """`graphkit serve` on the seed graph (ontology + seed files), 2 s per query, 2 workers."""
    with serving_seed(TIME_LIMIT) as base:
        yield base


def catalogue_text(name, **params):
    """A catalogue query with its parameters bound (VALUES block) and graphkit's prefixes declared."""
    q = get_query(name)
    return sparql_prefixes() + bind_values(q.text, bind_parameters(q, params))


def test_sparqlwrapper_gets_json_for_a_catalogue_query(endpoint):
    sw = SPARQLWrapper(endpoint + "/sparql", agent="graphkit-tests")
    sw.setQuery(catalogue_text("active-relations-between-countries", countryA="IT", countryB="JP"))
    sw.setReturnFormat(JSON)
    data = sw.queryAndConvert()
    rows = [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]
    assert [(r["aLabel"], r["bLabel"], r["typeLabel"], r["since"]) for r in rows] == [
        ("Assisi", "Kōya", "memorandum of understanding", "2009")
    ]


def test_sparqlwrapper_gets_csv_for_a_catalogue_query(endpoint):
    sw = SPARQLWrapper(endpoint + "/sparql", agent="graphkit-tests")
    sw.setQuery(catalogue_text("representatives", municipality="gkid:place/Q20103"))
    sw.setReturnFormat(CSV)
    sw.setMethod(POST)
    result = sw.query()
    assert result.response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(result.convert().decode("utf-8"))))
    assert sorted((r["personName"], r["roleLabel"], r["portfolioLabel"]) for r in rows) == [
        ("Fabrizio Leggio", "councillor with a portfolio", "tourism"),
        ("Valter Stoppini", "mayor", ""),
    ]


def test_remote_store_on_the_endpoint_gives_the_same_rows_as_the_embedded_store(endpoint, seed_store):
    remote = RemoteStore(endpoint + "/sparql", timeout=10)
    for name, params in [
        ("representatives", {}),
        ("events-promoted-by", {}),
        ("mous-never-upgraded", {}),
        ("agreements-per-year", {"country": "JP"}),
        ("participants-without-partners", {"partnerCountry": "IT"}),
    ]:
        assert run_named_query(remote, name, params).records() == run_named_query(seed_store, name, params).records()


@pytest.mark.parametrize("value", ['IT" } #', "IT\n} ?x ?y ?z {", "}", "# IT", "IT' ."])
def test_injection_through_parameters_is_a_plain_value(endpoint, value):
    remote = RemoteStore(endpoint + "/sparql", timeout=10)
    q = "SELECT ?c WHERE { ?c gk:countryCode ?code }"
    assert remote.query(q, bindings={"code": Literal(value)}).records() == []
    assert remote.query(q, bindings={"code": Literal("IT")}).records() == [{"c": str(ID["place/Q38"])}]


def test_updates_are_refused(endpoint):
    sw = SPARQLWrapper(endpoint + "/sparql", updateEndpoint=endpoint + "/sparql", agent="graphkit-tests")
    sw.setQuery("INSERT DATA { <https://example.org/a> <https://example.org/b> <https://example.org/c> }")
    sw.setMethod(POST)
    with pytest.raises(urllib.error.HTTPError) as e:
        sw.query()
    assert e.value.code == 403 and b"read-only" in e.value.read()
    sw.setRequestMethod(POSTDIRECTLY)  # application/sparql-update
    with pytest.raises(urllib.error.HTTPError) as e:
        sw.query()
    assert e.value.code == 403
    status, _, body = http("GET", endpoint + "/sparql?update=" + urllib.parse.quote("CLEAR ALL"))
    assert status == 400 and b"GET" in body
    status, _, _ = post_query(endpoint, "DELETE WHERE { ?s ?p ?o }")
    assert status == 403
    status, _, _ = http("PUT", endpoint + "/sparql", data=b"<a:a> <a:b> <a:c> .")
    assert status == 405
    status, _, body = post_query(endpoint, "ASK { <https://example.org/a> ?p ?o }", "application/sparql-results+json")
    assert status == 200 and json.loads(body)["boolean"] is False


def test_runaway_query_is_stopped_by_the_time_limit_and_the_server_keeps_answering(endpoint):
    sw = SPARQLWrapper(endpoint + "/sparql", agent="graphkit-tests")
    sw.setQuery(RUNAWAY)
    sw.setReturnFormat(JSON)
    t0 = time.monotonic()
    with pytest.raises(urllib.error.HTTPError) as e:
        sw.query()
    elapsed = time.monotonic() - t0
    assert e.value.code == 504 and b"time limit" in e.value.read()
    assert TIME_LIMIT <= elapsed < TIME_LIMIT + 3
    # the killed worker is replaced: the pool serves quick queries right away and keeps doing so
    for _ in range(6):
        status, _, body = post_query(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?c a gk:Country }")
        assert status == 200
        assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "2"
    # a second runaway is stopped too (the replacement worker obeys the same limit)
    status, _, _ = post_query(endpoint, RUNAWAY)
    assert status == 504


def test_fifty_concurrent_queries_all_succeed(endpoint):
    labels = {"IT": "Italy", "JP": "Japan"}

    def one(i):
        code = "IT" if i % 2 else "JP"
        sw = SPARQLWrapper(endpoint + "/sparql", agent="graphkit-tests")
        sw.setQuery(
            sparql_prefixes()
            + f'SELECT ?l WHERE {{ ?c gk:countryCode "{code}" ; rdfs:label ?l FILTER(LANG(?l) = "en") }}'
        )
        sw.setReturnFormat(JSON)
        sw.setTimeout(60)
        data = sw.queryAndConvert()
        return code, [b["l"]["value"] for b in data["results"]["bindings"]]

    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(one, range(50)))
    assert len(results) == 50
    assert all(values == [labels[code]] for code, values in results)


SELECT_Q = "SELECT ?c WHERE { ?c gk:countryCode 'JP' }"
CONSTRUCT_Q = "CONSTRUCT { ?c rdfs:label ?l } WHERE { ?c gk:countryCode 'JP' ; rdfs:label ?l }"


@pytest.mark.parametrize(
    ("query", "accept", "media"),
    [
        (SELECT_Q, None, "application/sparql-results+json"),
        (SELECT_Q, "*/*", "application/sparql-results+json"),
        (SELECT_Q, "application/json", "application/sparql-results+json"),
        (SELECT_Q, "application/sparql-results+xml", "application/sparql-results+xml"),
        (SELECT_Q, "text/csv", "text/csv"),
        (SELECT_Q, "text/tab-separated-values", "text/tab-separated-values"),
        (SELECT_Q, "text/csv;q=0.4, application/sparql-results+xml;q=0.9, */*;q=0.1", "application/sparql-results+xml"),
        (SELECT_Q, "text/*", "text/csv"),
        (SELECT_Q, "text/xml", "application/sparql-results+xml"),
        (SELECT_Q, "text/html,application/xhtml+xml,*/*;q=0.8", "application/sparql-results+json"),
        ("ASK { ?s ?p ?o }", "text/csv", "text/csv"),
        (CONSTRUCT_Q, None, "text/turtle"),
        (CONSTRUCT_Q, "*/*", "text/turtle"),
        (CONSTRUCT_Q, "application/n-triples", "application/n-triples"),
        (CONSTRUCT_Q, "application/ld+json", "application/ld+json"),
        (CONSTRUCT_Q, "application/rdf+xml", "application/rdf+xml"),
        (CONSTRUCT_Q, "text/turtle;q=0.2, application/ld+json;q=0.8", "application/ld+json"),
    ],
)
def test_content_negotiation(endpoint, query, accept, media):
    status, headers, body = post_query(endpoint, query, accept)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == media
    if query == CONSTRUCT_Q:
        fmt = {
            "text/turtle": "turtle",
            "application/n-triples": "nt",
            "application/ld+json": "json-ld",
            "application/rdf+xml": "xml",
        }[media]
        g = Graph().parse(data=body, format=fmt)
        assert {str(o) for o in g.objects()} == {"Japan", "Giappone", "日本"}
    elif media == "text/csv" and query == SELECT_Q:
        assert body.decode().split() == ["c", str(ID["place/Q17"])]


@pytest.mark.parametrize(
    ("query", "accept"),
    [(SELECT_Q, "image/png"), (SELECT_Q, "text/turtle"), (CONSTRUCT_Q, "text/csv"), (SELECT_Q, "*/*;q=0")],
)
def test_unsupported_media_type_is_406(endpoint, query, accept):
    status, _, body = post_query(endpoint, query, accept)
    assert status == 406 and b"available" in body


def test_get_and_sparql_query_post_forms(endpoint):
    q = "ASK { ?c gk:countryCode 'IT' }"
    status, _, body = http("GET", endpoint + "/sparql?" + urllib.parse.urlencode({"query": q}))
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, body = http(
        "POST", endpoint + "/sparql", data=q.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, body = post_query(endpoint, "SELECT WHERE {")
    assert status == 400 and b"malformed" in body
    status, _, _ = http("POST", endpoint + "/sparql", data=b"x", headers={"Content-Type": "text/plain"})
    assert status == 415
    status, _, _ = http("GET", endpoint + "/sparql")
    assert status == 400


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { service silent <https://example.org/sparql> { ?s ?q ?v } } }",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <file:///etc/hostname> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "SELECT * FROM <http://127.0.0.1:1/data.ttl> WHERE { ?s ?p ?o }",
        "PREFIX f: <file:///etc/> SELECT * FROM f:passwd WHERE { ?s ?p ?o }",
    ],
)
def test_service_and_foreign_from_are_refused(endpoint, query):
    status, _, body = post_query(endpoint, query)
    assert status == 400
    assert b"SERVICE" in body or b"not a graph of this store" in body


def test_look_alikes_are_not_refused_and_local_from_works(endpoint):
    harmless = 'SELECT ?x WHERE { BIND("SERVICE <http://x> FROM <file:///etc/passwd>" AS ?x) } # SERVICE <http://y>'
    status, _, body = post_query(endpoint, harmless)
    assert status == 200 and "SERVICE" in json.loads(body)["results"]["bindings"][0]["x"]["value"]
    status, _, body = post_query(endpoint, "SELECT ?service WHERE { BIND(1 AS ?service) }")
    assert status == 200
    seed = graph_iri("file/assisi-koya.ttl")  # --graph FILE becomes graph/file/NAME
    q = f"SELECT (COUNT(*) AS ?n) FROM <{seed}> WHERE {{ ?c a gk:Country }}"
    status, _, body = post_query(endpoint, q)
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "2"
    q = f"SELECT (COUNT(*) AS ?n) FROM <{graph_iri('file/vocab.ttl')}> WHERE {{ ?c a gk:Country }}"
    status, _, body = post_query(endpoint, q)
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "0"
    status, _, _ = post_query(endpoint, "ASK { ?s ?p ?o }", **{"default-graph-uri": "file:///etc/passwd"})
    assert status == 400
    status, _, body = post_query(endpoint, "ASK { ?c a gk:Country }", **{"default-graph-uri": str(seed)})
    assert status == 200 and json.loads(body)["boolean"] is True


def test_cors_headers_and_preflight(endpoint):
    status, headers, _ = post_query(endpoint, SELECT_Q)
    assert headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = http(
        "OPTIONS",
        endpoint + "/sparql",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, accept",
        },
    )
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()


def test_query_page_is_offline_and_the_catalogue_is_served(endpoint):
    status, headers, body = http("GET", endpoint + "/")
    page = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert 'src="/static/yasgui/yasgui.min.js"' in page
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
    status, headers, body = http("GET", endpoint + "/static/yasgui/yasgui.min.js")
    assert status == 200 and len(body) > 500_000 and headers["Content-Type"].startswith("text/javascript")
    for bad in ["/static/../serve.py", "/static/%2e%2e/serve.py", "/static/", "/nope"]:
        assert http("GET", endpoint + bad)[0] == 404
    status, headers, body = http("HEAD", endpoint + "/")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000
    import socket

    host, port = urllib.parse.urlsplit(endpoint).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:  # announce 5 MB, send none of it
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 5242880\r\n\r\n"
        )
        reply = sock.recv(4096)
    assert reply.startswith(b"HTTP/1.1 413") and b"Connection: close" in reply
    status, _, body = http("GET", endpoint + "/queries")
    names = {q["name"] for q in json.loads(body)}
    assert {"active-relations-between-countries", "representatives", "agreements-per-year"} <= names


def test_serve_help_says_loopback_by_default(capsys):
    from graphkit.cli import main

    assert main(["serve", "--help"]) == 0
    out = capsys.readouterr().out
    assert "127.0.0.1" in out and "--timeout" in out and "--memory-limit" in out


@pytest.mark.browser
def test_query_page_runs_a_catalogue_query_in_headless_chromium_without_leaving_the_machine(endpoint, browser):
    requested: list[str] = []
    errors: list[str] = []
    page = browser.new_page()
    try:
        page.on("request", lambda r: requested.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(endpoint + "/")
        page.wait_for_selector(".yasqe .CodeMirror", timeout=20_000)
        page.wait_for_selector("#catalogue option[value='active-relations-between-countries']", state="attached")
        page.select_option("#catalogue", "active-relations-between-countries")
        page.evaluate("window.graphkitYasgui.getTab().query()")
        page.wait_for_selector(".yasr td", timeout=20_000)
        table = page.inner_text(".yasr table")
        rows = page.locator(".yasr table tbody tr").count()
    finally:
        page.close()
    assert errors == []
    assert "Assisi" in table and "Kōya" in table and "2009" in table  # (display labels, untagged since 5a6a948)
    assert rows == 1  # the defaults (countryA=IT, countryB=JP) were bound: the pair once, not both ways
    assert all(u.startswith(endpoint) for u in requested), [u for u in requested if not u.startswith(endpoint)]


def test_a_query_past_the_memory_limit_stops_its_worker_not_the_machine(seed_store):
    from graphkit.server.app import make_server

    server = make_server(seed_store, port=0, timeout=30, workers=1, memory_limit_mb=400)
    try:
        hungry = "SELECT ?a ?b ?c ?d ?e ?f WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f ?a ?d"
        t0 = time.monotonic()
        with pytest.raises(QueryError, match="memory limit of 400 MB"):
            server.context.select(hungry)
        assert time.monotonic() - t0 < 25  # well before the 30 s time limit
        assert bool(server.context.select("ASK { ?c a gk:Country }")) is True  # the next query is answered
        assert server.context.pool.stats["crashes"] == 1  # only the query's own process died
        assert server.context.pool.stats["restarts"] == 0  # the worker holding the graph did not
    finally:
        server.close()


def test_cli_query_runs_a_catalogue_query_on_an_endpoint(endpoint, capsys):
    from .conftest import run_cli

    proc = run_cli(
        "query",
        "active-relations-between-countries",
        "--param",
        "countryB=JP",
        "-f",
        "csv",
        "--endpoint",
        endpoint + "/sparql",
        check=True,
    )
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert [(r["aLabel"], r["bLabel"], r["since"]) for r in rows] == [("Assisi", "Kōya", "2009")]

    from graphkit.cli import main

    assert main(["query", "mous", "--endpoint", "http://127.0.0.1:9/sparql"]) == 1
    assert "cannot reach" in capsys.readouterr().err
