"""The store interface, on every backend: the embedded pyoxigraph store and remote SPARQL 1.1
endpoints through graphkit.store.remote (a real `oxigraph serve` on loopback, and a real Virtuoso
started by scripts/virtuoso.sh). Formats, named graphs, dumps, query kinds and safe parameter
binding must behave the same."""

from __future__ import annotations

import json

import pytest
from rdflib import Literal, URIRef

from graphkit.errors import ParameterError, ParseError, QueryError
from graphkit.sparql.results import AskResult, GraphResult, SelectResult
from graphkit.store.embedded import EmbeddedStore
from graphkit.store.remote import RemoteStore

from .servers import oxigraph_url, virtuoso  # noqa: F401 - fixtures

EX = "https://example.org/"
TTL = f'<{EX}a> <{EX}name> "Łódź"@pl ; <{EX}pop> 672185 .'
FORMATS = {
    "ttl": TTL,
    "nt": f'<{EX}a> <{EX}name> "Łódź"@pl .\n<{EX}a> <{EX}pop> "672185"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
    "nq": f'<{EX}a> <{EX}name> "Łódź"@pl <{EX}g1> .\n'
    f'<{EX}a> <{EX}pop> "672185"^^<http://www.w3.org/2001/XMLSchema#integer> <{EX}g1> .\n',
    "jsonld": json.dumps({"@id": f"{EX}a", f"{EX}name": {"@value": "Łódź", "@language": "pl"}, f"{EX}pop": 672185}),
}


@pytest.fixture(params=["embedded", "remote-update", "remote-graph-store", "virtuoso"])
def new_store(request):
    """A factory of empty stores of one backend (remote: the shared oxigraph or Virtuoso server, emptied)."""
    if request.param == "embedded":
        return EmbeddedStore
    if request.param == "virtuoso":
        server = request.getfixturevalue("virtuoso")

        def make_virtuoso():
            server.clear()
            return server.store(timeout=30)

        return make_virtuoso
    base = request.getfixturevalue("oxigraph_url")

    def make():
        store = RemoteStore(
            base + "/query",
            update_endpoint=base + "/update",
            graph_store=base + "/store" if request.param == "remote-graph-store" else None,
            timeout=10,
        )
        store.update("DROP ALL")
        return store

    return make


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_load_each_format_into_a_named_graph(tmp_path, fmt, new_store):
    path = tmp_path / f"x.{fmt}"
    path.write_text(FORMATS[fmt], encoding="utf-8")
    store = new_store()
    store.load_file(path, graph=URIRef(EX + "g1"))
    assert len(store) == 2
    assert store.graphs() == [URIRef(EX + "g1")]
    r = store.query(f"SELECT ?n ?p WHERE {{ GRAPH <{EX}g1> {{ ?s <{EX}name> ?n ; <{EX}pop> ?p }} }}")
    assert r.records() == [{"n": "Łódź", "p": 672185}]


def test_dump_roundtrip_keeps_named_graphs(tmp_path, new_store):
    store = new_store()
    store.load_data(TTL, "ttl", graph=URIRef(EX + "g1"))
    store.load_data(f"<{EX}b> <{EX}p> <{EX}c> .", "ttl", graph=URIRef(EX + "g2"))
    store.dump(tmp_path / "d.nq")
    again = EmbeddedStore()
    again.load_file(tmp_path / "d.nq")
    assert again.graphs() == [URIRef(EX + "g1"), URIRef(EX + "g2")] and len(again) == 3
    store.dump(tmp_path / "d.ttl")
    merged = EmbeddedStore()
    merged.load_file(tmp_path / "d.ttl", graph=URIRef(EX + "m"))
    assert len(merged) == 3
    store.dump(tmp_path / "g2.nt", graph=URIRef(EX + "g2"))
    assert (tmp_path / "g2.nt").read_text(encoding="utf-8").strip() == f"<{EX}b> <{EX}p> <{EX}c> ."


def test_broken_file_is_a_parse_error_and_loads_nothing(tmp_path, new_store):
    bad = tmp_path / "bad.ttl"
    bad.write_text(f"<{EX}a> <{EX}p> <{EX}b> .\n<{EX}a> <{EX}p> .\n", encoding="utf-8")
    store = new_store()
    with pytest.raises(ParseError, match="bad.ttl"):
        store.load_file(bad, graph=URIRef(EX + "g"))
    assert len(store) == 0


def test_query_kinds(new_store):
    store = new_store()
    store.load_data(TTL, "ttl", graph=URIRef(EX + "g"))
    assert store.query(f"ASK {{ <{EX}a> ?p ?o }}") == AskResult(True)
    assert store.query(f"ASK {{ <{EX}zzz> ?p ?o }}") == AskResult(False)
    c = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert isinstance(c, GraphResult) and len(c.to_graph()) == 2
    d = store.query("DESCRIBE <https://example.org/a>")
    assert (
        isinstance(d, GraphResult) and (URIRef(EX + "a"), URIRef(EX + "name"), Literal("Łódź", lang="pl")) in d.triples
    )
    with pytest.raises(QueryError, match="malformed"):
        store.query("SELECT WHERE {")


def test_blank_nodes_and_predeclared_prefixes(new_store):
    store = new_store()
    store.load_data(f'<{EX}r> <{EX}source> [ <{EX}title> "A" ] , [ <{EX}title> "B" ] .', "ttl", graph=URIRef(EX + "g"))
    r = store.query(f"SELECT ?t WHERE {{ <{EX}r> <{EX}source> ?b . ?b <{EX}title> ?t }} ORDER BY ?t")
    assert r.column("t") == ["A", "B"]
    assert store.query("SELECT (COUNT(*) AS ?n) WHERE { ?c a gk:Country }").records() == [{"n": 0}]


INJECTIONS = ['Łódź" } ?s ?p ?o { "', 'x" . } #', "a\nb", "}", "# comment", '\\"', "'; DROP ALL"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_literal_parameters_are_plain_values(value, new_store):
    store = new_store()
    store.load_data(TTL, "ttl", graph=URIRef(EX + "g"))
    store.load_data(f"<{EX}z> <{EX}name> {Literal(value).n3()} .", "ttl", graph=URIRef(EX + "g"))
    r = store.query(f"SELECT ?s WHERE {{ ?s <{EX}name> ?name }}", bindings={"name": Literal(value)})
    assert isinstance(r, SelectResult)
    assert r.records() == [{"s": EX + "z"}]
    assert len(store) == 3


@pytest.mark.parametrize("iri", [EX + "a> ?p ?o } #", EX + "a b", "<x>", EX + '"'])
def test_iri_parameters_that_would_break_out_are_refused(iri, new_store):
    store = new_store()
    with pytest.raises(ParameterError, match="not a valid IRI"):
        store.query("SELECT ?o WHERE { ?s ?p ?o }", bindings={"s": URIRef(iri)})


def test_binding_restricts_before_aggregation(new_store):
    store = new_store()
    store.load_data(
        f"<{EX}a> <{EX}cc> 'IT' . <{EX}b> <{EX}cc> 'IT' . <{EX}c> <{EX}cc> 'JP' .", "ttl", graph=URIRef(EX + "g")
    )
    r = store.query(f"SELECT (COUNT(?s) AS ?n) WHERE {{ ?s <{EX}cc> ?cc }}", bindings={"cc": Literal("IT")})
    assert r.records() == [{"n": 2}]
    c = store.query(f"CONSTRUCT {{ ?s <{EX}x> ?cc }} WHERE {{ ?s <{EX}cc> ?cc }}", bindings={"cc": Literal("JP")})
    assert len(c) == 1
