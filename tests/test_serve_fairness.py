"""Two runaway queries do not block everyone: a real `graphkit serve` with the default 2 workers,
real concurrent HTTP clients."""

from __future__ import annotations

import concurrent.futures
import json
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from .servers import serving_seed

pytestmark = pytest.mark.server

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SELECTIVE = "SELECT ?l WHERE { ?c gk:countryCode 'JP' ; rdfs:label ?l FILTER(LANG(?l) = 'en') }"
TIME_LIMIT = 6


@pytest.fixture(scope="module")
def endpoint():
    with serving_seed(TIME_LIMIT) as base:
        yield base


def ask(base: str, query: str) -> tuple[int, bytes, float]:
    data = urllib.parse.urlencode({"query": query}).encode()
    req = urllib.request.Request(base + "/sparql", data=data, headers={"Accept": "application/sparql-results+json"})
    t0 = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read(), time.monotonic() - t0
    except urllib.error.HTTPError as e:
        return e.code, e.read(), time.monotonic() - t0


def test_a_selective_query_answers_within_a_second_while_two_runaways_run(endpoint):
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as clients:
        runaways = [clients.submit(ask, endpoint, RUNAWAY) for _ in range(2)]
        time.sleep(1.5)  # both runaways are running (and past the fast lane's half second)
        timings = []
        for _ in range(5):
            status, body, elapsed = ask(endpoint, SELECTIVE)
            assert status == 200
            assert [b["l"]["value"] for b in json.loads(body)["results"]["bindings"]] == ["Japan"]
            timings.append(elapsed)
        assert all(not r.done() for r in runaways)  # the runaways were still running meanwhile
        outcomes = [r.result() for r in runaways]
    assert max(timings) <= 1.0, timings
    assert [status for status, _, _ in outcomes] == [504, 504]
    assert all(TIME_LIMIT - 0.5 <= elapsed < TIME_LIMIT + 3 for _, _, elapsed in outcomes)


def test_a_client_flooding_runaways_gets_503_for_the_extra_ones_and_others_stay_fast(endpoint):
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as clients:
        runaways = [clients.submit(ask, endpoint, RUNAWAY) for _ in range(6)]
        time.sleep(2.5)
        status, _, elapsed = ask(endpoint, SELECTIVE)
        outcomes = sorted(r.result()[0] for r in runaways)
    assert status == 200 and elapsed <= 1.0
    # one client holds at most 4 (2 × workers) long queries; the others were stopped with 503
    assert outcomes == [503, 503, 504, 504, 504, 504]
