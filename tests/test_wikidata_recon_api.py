"""The W3C Reconciliation API v0.2 service over our graph, in the library and through `graphkit serve`."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from graphkit.build.pipeline import assemble
from graphkit.wikidata.recon_api import PLACE_SPACE, ReconciliationService

from .conftest import REPO

FIXTURE = REPO / "tests" / "fixtures" / "wikidata-ours.ttl"


@pytest.fixture(scope="module")
def store():
    s, _ = assemble(REPO / "data", REPO / "out", steps=())
    s.load_file(FIXTURE)
    return s


@pytest.fixture(scope="module")
def service(store):
    return ReconciliationService.from_store(store)


def test_manifest(service):
    m = service.manifest()
    assert m["versions"] == ["0.2"]
    assert m["identifierSpace"] == "https://w3id.org/graphkit/id/place/"
    assert m["schemaSpace"] == "https://w3id.org/graphkit/ontology#"
    assert m["defaultTypes"] == [{"id": "Municipality", "name": "municipality"}]
    assert m["view"]["url"] == PLACE_SPACE + "{{id}}"


def test_batch_results_have_id_name_score_match_type(service):
    out = service.reconcile_batch(
        {
            "q0": {"query": "Assisi", "type": "Municipality", "properties": [{"pid": "country", "v": "IT"}]},
            "q1": {"query": "Koya", "properties": [{"pid": "country", "v": "Japan"}], "limit": 1},
            "q2": {"query": "Frankfurt", "properties": [{"pid": "country", "v": "DE"}]},
        }
    )
    assert set(out) == {"q0", "q1", "q2"}
    best = out["q0"]["result"][0]
    assert {"id", "name", "score", "match", "type"} <= set(best)
    assert (best["id"], best["name"], best["match"]) == ("Q20103", "Assisi", True)
    assert best["type"] == [{"id": "Municipality", "name": "municipality"}]
    assert [(r["id"], r["match"]) for r in out["q1"]["result"]] == [("Q1346907", True)]
    # two Frankfurts in Germany in our graph, neither with coordinates to tell them apart: no match
    frankfurt = out["q2"]["result"]
    assert {r["id"] for r in frankfurt} >= {"de/frankfurt", "de/frankfurt-am-main"}
    assert not any(r["match"] for r in frankfurt)


def test_cordoba_by_coordinates_and_country(service):
    es = service.reconcile_batch(
        {"q0": {"query": "Cordoba", "properties": [{"pid": "country", "v": "ES"},
                                                  {"pid": "coordinates", "v": "37.88,-4.78"}]}}
    )["q0"]["result"]
    assert es[0]["id"] == "es/cordoba" and es[0]["match"] is True
    assert all(not r["match"] for r in es if r["id"] == "ar/cordoba")
    bare = service.reconcile_batch({"q0": {"query": "Córdoba"}})["q0"]["result"]
    assert {r["id"] for r in bare} >= {"es/cordoba", "ar/cordoba"} and not any(r["match"] for r in bare)


def test_identifier_property_is_compared_exactly(service):
    out = service.reconcile_batch({"q0": {"query": "Roma", "properties": [{"pid": "wikidata", "v": "Q220"}]}})
    assert out["q0"]["result"][0]["id"] == "Q220" and out["q0"]["result"][0]["score"] == 100.0


def test_type_filter(service):
    out = service.reconcile_batch({"q0": {"query": "Wakayama", "type": "AdministrativeArea", "type_strict": "all"}})
    assert [r["id"] for r in out["q0"]["result"]] == ["Q131314"]
    out = service.reconcile_batch({"q0": {"query": "Wakayama", "type": "Municipality", "type_strict": "all"}})
    assert out["q0"]["result"] == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"limit": 3}, "non-empty 'query' or 'properties'"),
        ({"query": "x", "colour": "red"}, "unknown field"),
        ({"query": "x", "limit": 0}, "limit must be"),
        ({"query": "x", "limit": True}, "limit must be"),
        ({"query": "x", "type": "Planet"}, "unknown type"),
        ({"query": "x", "properties": [{"pid": "country", "v": "Atlantis"}]}, "unknown country"),
        ({"query": "x", "properties": [{"pid": "coordinates", "v": "91,0"}]}, "out of range"),
        ({"query": "x", "properties": [{"pid": "wikidata", "v": "Q0"}]}, "not a QID"),
        ({"query": "x", "properties": [{"pid": "colour", "v": "red"}]}, "unknown property"),
        ("Assisi", "must be a JSON object"),
    ],
)
def test_an_invalid_query_gets_an_error_under_its_own_key(service, query, message):
    out = service.reconcile_batch({"bad": query, "good": {"query": "Assisi"}})
    assert out["bad"]["result"] == [] and message in out["bad"]["error"]
    assert out["good"]["result"][0]["id"] == "Q20103"


def test_http_handler(service):
    status, headers, body = service.handle("GET", {"callback": ["cb"]}, b"", "")
    assert status == 200 and body.startswith(b"cb({") and headers["Content-Type"].startswith("application/javascript")
    status, _, body = service.handle("GET", {"callback": ["alert(1)//"]}, b"", "")
    assert status == 400
    status, _, body = service.handle("POST", {}, b"queries=%7Bnot+json", "application/x-www-form-urlencoded")
    assert status == 400 and b"not valid JSON" in body
    status, _, body = service.handle("PUT", {}, b"", "")
    assert status == 405


def test_reconcile_route_in_graphkit_serve(store):
    from graphkit.server.app import make_server

    server = make_server(store, port=0, workers=1, timeout=20)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        manifest = json.loads(urllib.request.urlopen(server.url + "/reconcile", timeout=30).read())
        assert manifest["versions"] == ["0.2"]
        queries = json.dumps({"q0": {"query": "Kōya", "properties": [{"pid": "country", "v": "JP"}]},
                              "q1": {"query": ""}})
        data = urllib.parse.urlencode({"queries": queries}).encode()
        out = json.loads(urllib.request.urlopen(server.url + "/reconcile", data=data, timeout=30).read())
        assert out["q0"]["result"][0]["id"] == "Q1346907" and out["q0"]["result"][0]["match"] is True
        assert "error" in out["q1"]
        get = urllib.request.urlopen(server.url + "/reconcile?" + urllib.parse.urlencode({"queries": queries}),
                                     timeout=30)
        assert json.loads(get.read())["q0"]["result"][0]["name"] in ("Koya", "Kōya")
        assert get.headers["Access-Control-Allow-Origin"] == "*"
    finally:
        server.close()
        thread.join(timeout=10)
