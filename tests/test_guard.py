"""The query guard (graphkit.sparql.guard) and the network seal behind it (graphkit.sparql.sandbox),
against a corpus of hostile spellings and a live local listener."""

from __future__ import annotations

import threading
import time

import pyoxigraph as ox
import pytest

from graphkit.sparql.binding import bind_values
from graphkit.sparql.catalogue import bind_parameters, list_queries
from graphkit.sparql.guard import MAX_DEPTH, RefusedQuery, guard_query, nesting_depth
from graphkit.sparql.sandbox import seal_network, supported

from .ssrf_corpus import CORPUS, Listener, spell

GRAPHS = {"urn:x:g"}


def _engine_store() -> ox.Store:
    store = ox.Store()
    for graph in (ox.DefaultGraph(), ox.NamedNode("urn:x:g")):
        store.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("o"), graph))
    return store


def _run_raw(store: ox.Store, query: str) -> None:
    try:
        result = store.query(query)
        if not isinstance(result, ox.QueryBoolean):
            list(result)
    except (OSError, SyntaxError, RuntimeError):
        pass


def _wait_for(listener: Listener, seconds: float = 1.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not listener.hits:
        time.sleep(0.01)
    return bool(listener.hits)


def test_the_corpus_is_large_and_mostly_live():
    assert len(CORPUS) >= 50
    assert sum(1 for _, reason, live in CORPUS if reason == "service" and live) >= 30


@pytest.mark.parametrize(("template", "reason", "live"), CORPUS, ids=[f"c{i:02d}" for i in range(len(CORPUS))])
def test_every_spelling_is_refused_and_the_live_ones_really_reach_a_host_without_the_guard(template, reason, live):
    with Listener() as guarded:
        query = spell(template, guarded.port)
        with pytest.raises(RefusedQuery) as refused:
            guard_query(query, graphs=GRAPHS)
        assert refused.value.reason == reason
        assert guarded.hits == []
    if live:  # the same spelling, given to pyoxigraph with no guard and no seal, calls out
        with Listener() as control:
            _run_raw(_engine_store(), spell(template, control.port))
            assert _wait_for(control), "this spelling should reach the listener when nothing stops it"


@pytest.mark.parametrize(("template", "reason", "live"), [c for c in CORPUS if c[2]])
def test_a_sealed_thread_reaches_no_host_even_without_the_guard(template, reason, live):
    if not supported():
        pytest.skip("the seccomp seal needs Linux on x86-64 or arm64")
    with Listener() as listener:
        query = spell(template, listener.port)
        store = _engine_store()

        def sealed() -> None:
            assert seal_network() is True
            _run_raw(store, query)

        t = threading.Thread(target=sealed)
        t.start()
        t.join(30)
        assert not _wait_for(listener, 0.3)


def test_catalogue_queries_and_look_alikes_pass():
    for q in list_queries():
        try:
            text = bind_values(q.text, bind_parameters(q, {}))
        except Exception:  # noqa: BLE001 - a required parameter without default: the bare text
            text = q.text
        assert guard_query(text, graphs=GRAPHS).form in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"), q.name
    for harmless in [
        'SELECT ?x WHERE { BIND("SERVICE <http://x> FROM <file:///etc/passwd>" AS ?x) } # SERVICE <http://y>',
        "SELECT ?service WHERE { BIND(1 AS ?service) }",
        "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:service ?o }",
        "SELECT * FROM <urn:x:g> FROM NAMED <urn:x:g> WHERE { ?s ?p ?o }",
    ]:
        checked = guard_query(harmless, graphs=GRAPHS)
        assert checked.uses_service is False


def test_from_decides_the_dataset():
    checked = guard_query("PREFIX x: <urn:x:> SELECT * FROM x:g WHERE { ?s ?p ?o }", graphs=GRAPHS)
    assert checked.default_graphs == ("urn:x:g",) and checked.has_dataset
    assert not guard_query("SELECT * WHERE { ?s ?p ?o }", graphs=GRAPHS).has_dataset
    with pytest.raises(RefusedQuery, match="not a graph of this store"):
        guard_query("ASK { ?s ?p ?o }", graphs=GRAPHS, default_graphs=["file:///etc/passwd"])


def test_allow_service_lets_service_through_but_still_refuses_updates_and_foreign_from():
    checked = guard_query("SELECT * { SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }", graphs=GRAPHS, allow_service=True)
    assert checked.uses_service
    # rdflib cannot parse SERVICE after a '#': with SERVICE allowed the query still goes through
    hashed = "PREFIX gk: <https://w3id.org/graphkit/ontology#> SELECT * { ?s a gk:X SERVICE <http://h/> { ?s ?p ?o } }"
    assert guard_query(hashed, graphs=GRAPHS, allow_service=True).form == "SELECT"
    with pytest.raises(RefusedQuery) as e:
        guard_query("LOAD <http://127.0.0.1:9/x>", graphs=GRAPHS, allow_service=True)
    assert e.value.reason == "update"
    with pytest.raises(RefusedQuery) as e:
        guard_query("SELECT * FROM <file:///etc/passwd> { SERVICE <http://h/> {} }", graphs=GRAPHS, allow_service=True)
    assert e.value.reason == "dataset"


@pytest.mark.parametrize(
    "deep",
    [
        "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o " + "} " * 5000,
        "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
        "SELECT * WHERE { ?s ?p " + "[ ?p " * 5000 + "1" + " ]" * 5000 + " }",
        # closing brackets hidden in strings between the openings do not make it look shallow
        "SELECT * WHERE " + '{ FILTER("})]") ' * 5000 + "}" * 5000,
        # nor do escapes: \u007B is '{'
        "SELECT * WHERE " + "\\u007B " * 5000 + "?s ?p ?o" + " \\u007D" * 5000,
    ],
)
def test_deep_nesting_is_refused_before_any_parser_sees_it(deep):
    t0 = time.monotonic()
    with pytest.raises(RefusedQuery) as e:
        guard_query(deep, graphs=GRAPHS)
    assert e.value.reason == "depth" and f"at most {MAX_DEPTH}" in str(e.value)
    assert time.monotonic() - t0 < 2


def test_nesting_up_to_the_limit_is_accepted():
    q = "SELECT * WHERE " + "{ " * MAX_DEPTH + "?s ?p ?o " + "} " * MAX_DEPTH
    assert nesting_depth(q) == MAX_DEPTH
    assert guard_query(q, graphs=GRAPHS).form == "SELECT"
