"""Projections of a small KG that follows the data model contract, the analyses built on them
(reciprocity, geography, communities), and the write-back of results as a named graph queried in SPARQL."""

from __future__ import annotations

import math
import statistics

import networkx as nx
import pytest

from graphkit.analyze import geography, reciprocity
from graphkit.analyze.pipeline import Filters, run_analysis
from graphkit.analyze.projections import country_graph, listing_graph, municipality_graph
from graphkit.analyze.writeback import ANALYSIS_GRAPH, write_back
from graphkit.rdf.namespaces import ID
from graphkit.relations.read import read_relations
from graphkit.sparql.catalogue import run_named_query
from graphkit.store.open import open_graph

from .conftest import REPO

KG = REPO / "tests" / "fixtures" / "analyze" / "small-kg.ttl"


def p(local: str) -> str:
    return str(ID["place/" + local])


ASSISI, PERUGIA, ROME, KOYA, KYOTO, TUEBINGEN, AIX, PARIS = (
    p("Q20103"), p("Q3437"), p("Q220"), p("Q1346907"), p("Q34600"), p("Q3806"), p("fr/aix-en-provence"), p("Q90"),
)  # fmt: skip


@pytest.fixture(scope="module")
def store():
    return open_graph([KG])


@pytest.fixture(scope="module")
def data(store):
    return read_relations(store)


@pytest.fixture(scope="module")
def G(data):
    return municipality_graph(data)


def pair(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


def test_municipality_graph_nodes_edges_and_attributes(G):
    assert set(G) == {ASSISI, PERUGIA, ROME, KOYA, KYOTO, TUEBINGEN, AIX, PARIS}
    assert {pair(*e) for e in G.edges()} == {
        pair(ASSISI, KOYA), pair(KOYA, KYOTO), pair(KYOTO, ROME), pair(ROME, PARIS),
        pair(PERUGIA, TUEBINGEN), pair(PERUGIA, AIX), pair(TUEBINGEN, AIX),
    }  # fmt: skip
    # Perugia–Tübingen: two relations (twinning 1984, partnership 2000) from three sources, merged into one edge
    e = G.edges[PERUGIA, TUEBINGEN]
    assert e["relation_types"] == ("reltype:partnership", "reltype:twinning")
    assert e["n_sources"] == 3 and len(e["relations"]) == 2
    assert e["years"] == (1984, 2000)
    assert G.edges[PERUGIA, AIX]["years"] == (1991,)  # from an xsd:date
    assert G.edges[ASSISI, KOYA]["statuses"] == ("relstatus:active",)
    # node attributes; the English label wins, and HTML-looking labels are kept as text
    assert G.nodes[KOYA] == {
        "label": "Kōya", "kind": "municipality", "country": "JP", "qid": None,
        "lat": 34.213, "lon": 135.622, "population": 2902,
    }  # fmt: skip
    assert G.nodes[ASSISI]["qid"] == "Q20103"
    assert G.nodes[TUEBINGEN]["label"] == "Tübingen"  # only a @de label
    assert G.nodes[AIX]["label"].startswith("Aix <script>")
    assert G.nodes[AIX]["population"] is None and G.nodes[PARIS]["lat"] is None


@pytest.mark.parametrize(
    ("filters", "edges"),
    [
        ({"relation_types": ["twinning"]}, {pair(PERUGIA, TUEBINGEN), pair(PERUGIA, AIX), pair(TUEBINGEN, AIX)}),
        (
            {"relation_types": ["reltype:sister-city", "memorandum-of-understanding"]},
            {pair(ROME, PARIS), pair(ASSISI, KOYA)},
        ),
        ({"statuses": ["active"]}, {pair(ASSISI, KOYA), pair(ROME, PARIS)}),
        ({"countries": ["jp"]}, {pair(ASSISI, KOYA), pair(KOYA, KYOTO), pair(KYOTO, ROME)}),
        ({"region": "gkid:place/Q1280"}, {pair(ASSISI, KOYA), pair(PERUGIA, TUEBINGEN), pair(PERUGIA, AIX)}),
        ({"countries": ["FR"], "relation_types": ["twinning"]}, {pair(PERUGIA, AIX), pair(TUEBINGEN, AIX)}),
    ],
)
def test_filters(data, filters, edges):
    assert {pair(*e) for e in municipality_graph(data, **filters).edges()} == edges


def test_areas_only_when_asked(data):
    G = municipality_graph(data, include_areas=True)
    assert G.has_edge(p("Q1280"), p("Q131314"))
    assert G.nodes[p("Q1280")]["kind"] == "area"
    assert G.number_of_nodes() == 10


def test_listing_graph_and_reciprocity(data, G):
    D = listing_graph(data)
    assert set(D) == set(G)
    assert set(D.edges()) == {
        (ASSISI, KOYA), (KOYA, ASSISI),  # listed by both
        (PERUGIA, TUEBINGEN),  # one-sided: only Perugia lists it (both relations)
        (PERUGIA, AIX), (AIX, PERUGIA),
        (TUEBINGEN, AIX),  # one-sided
        (ROME, PARIS), (PARIS, ROME),
        (KYOTO, KOYA),  # one-sided
    }  # fmt: skip
    r = reciprocity.reciprocity(D, G)
    assert (r.arcs, r.reciprocated_arcs) == (9, 6)
    assert r.reciprocity == pytest.approx(6 / 9)
    assert (r.pairs_both, r.pairs_one_sided, r.pairs_unlisted) == (3, 3, 1)  # Rome–Kyoto lists nothing
    assert r.reciprocity == pytest.approx(nx.reciprocity(D))


def test_country_graph(G):
    C = country_graph(G)
    weights = {pair(a, b) if a != b else frozenset((a,)): d["weight"] for a, b, d in C.edges(data=True)}
    assert weights == {
        pair("IT", "JP"): 2,
        pair("IT", "DE"): 1,
        pair("IT", "FR"): 2,
        pair("DE", "FR"): 1,
        frozenset(("JP",)): 1,
    }
    assert {c: d["municipalities"] for c, d in C.nodes(data=True)} == {"IT": 3, "JP": 2, "DE": 1, "FR": 2}


def test_country_homophily_and_pairs(G):
    h = geography.country_homophily(G)
    assert (h.domestic_pairs, h.international_pairs, h.unknown_pairs) == (1, 6, 0)
    assert h.domestic_share == pytest.approx(1 / 7)
    assert h.country_assortativity == pytest.approx(nx.attribute_assortativity_coefficient(G, "country"))
    assert geography.top_country_pairs(G, 3) == [("FR", "IT", 2), ("IT", "JP", 2), ("DE", "FR", 1)]
    m = geography.country_pair_matrix(G, ["IT", "JP", "FR"])
    assert m.loc["IT", "JP"] == m.loc["JP", "IT"] == 2 and m.loc["JP", "JP"] == 1 and m.loc["FR", "FR"] == 0


def test_partner_distances(G):
    ds = geography.partner_distances(G)
    assert len(ds) == 6  # Rome–Paris lacks Paris's coordinates
    summary = geography.distance_summary(G, ds)
    assert summary.missing == 1
    # Perugia–Aix by the spherical law of cosines, an independent formula for the same great circle
    la1, lo1, la2, lo2 = map(math.radians, (43.1122, 12.3888, 43.5283, 5.4497))
    cosines = 6371.0088 * math.acos(math.sin(la1) * math.sin(la2) + math.cos(la1) * math.cos(la2) * math.cos(lo2 - lo1))
    assert geography.haversine_km(43.1122, 12.3888, 43.5283, 5.4497) == pytest.approx(cosines, rel=1e-9)
    assert 550 < cosines < 575
    assert summary.median == pytest.approx(statistics.median(ds))
    assert geography.haversine_km(0, 0, 0, 180) == pytest.approx(math.pi * 6371.0088)


def test_population_assortativity(G):
    pop = geography.population_assortativity(G)
    known = [(u, v) for u, v in G.edges() if G.nodes[u]["population"] and G.nodes[v]["population"]]
    assert pop.edges == len(known) == 5
    xs = [G.nodes[u]["population"] for u, v in known] + [G.nodes[v]["population"] for u, v in known]
    ys = [G.nodes[v]["population"] for u, v in known] + [G.nodes[u]["population"] for u, v in known]
    assert pop.raw == pytest.approx(statistics.correlation(xs, ys))
    assert pop.log10 == pytest.approx(statistics.correlation([math.log10(x) for x in xs], [math.log10(y) for y in ys]))


def test_pipeline_and_write_back_queryable_in_sparql():
    store = open_graph([KG])
    result = run_analysis(store, top=3, filters=Filters())
    # the path Assisi–Kōya–Kyoto–Rome–Paris: Kyoto lies on 4 of the C(7,2)=21 pairs of other nodes
    assert result.scores["betweenness"][KYOTO] == pytest.approx(4 / 21)
    assert [r["label"] for r in result.centrality["betweenness"]] == ["Kyoto", "Kōya", "Rome"]
    assert write_back(store, result) == 2 + 3 * 8
    rows = store.query(
        "SELECT ?label ?degree ?betweenness ?community WHERE { GRAPH ?g { ?m gk:degree ?degree ; "
        "gk:betweenness ?betweenness ; gk:community ?community } ?m rdfs:label ?label FILTER(LANG(?label) = 'en') } "
        "ORDER BY DESC(?betweenness) ?label",
        bindings={"g": ANALYSIS_GRAPH},
    ).records()
    assert [(r["label"], r["degree"]) for r in rows[:3]] == [("Kyoto", 2), ("Kōya", 2), ("Rome", 2)]
    assert rows[0]["betweenness"] == pytest.approx(4 / 21)
    by_label = {r["label"]: r["community"] for r in rows}
    triangle = {by_label["Perugia"], by_label['Aix <script>alert(1)</script> & "Provence"']}
    assert len(triangle) == 1  # the Perugia–Tübingen–Aix triangle is one community
    # the catalogue query over the written-back results
    top = run_named_query(store, "network-centrality", {"country": "JP"}).records()
    assert [(r["label"], r["degree"], r["community"]) for r in top][:1] == [("Kyoto", 2, by_label["Kyoto"])]
    assert {r["countryCode"] for r in top} == {"JP"} and len(top) == 2
    # writing again replaces the graph instead of adding to it
    assert write_back(store, result) == 26
    count = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", bindings={"g": ANALYSIS_GRAPH})
    assert count.records() == [{"n": 26}]
