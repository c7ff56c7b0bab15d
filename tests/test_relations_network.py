"""`graphkit export network`: GraphML, GEXF 1.3 and CSV that networkx (and Gephi) read back, and
filters that say when they match nothing (issue 17, items 1 and 2)."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from graphkit.analyze.export import export_network, tool_graph
from graphkit.analyze.filters import check_filters
from graphkit.analyze.pipeline import run_analysis
from graphkit.analyze.writeback import write_back
from graphkit.errors import InputError
from graphkit.rdf.namespaces import ID
from graphkit.relations.read import read_relations
from graphkit.store.open import open_graph

from .conftest import REPO, run_cli

KG = REPO / "tests" / "fixtures" / "analyze" / "small-kg.ttl"
VOCAB = REPO / "ontology" / "vocab.ttl"
GEXF = "{http://gexf.net/1.3}"
VIZ = "{http://gexf.net/1.3/viz}"
ASSISI, KOYA, PERUGIA, TUEBINGEN = (str(ID["place/" + q]) for q in ("Q20103", "Q1346907", "Q3437", "Q3806"))


@pytest.fixture(scope="module")
def data():
    return read_relations(open_graph([KG, VOCAB]))


@pytest.mark.parametrize("projection", ["municipality", "listing", "country"])
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_networkx_reads_each_file_back_with_the_same_counts(tmp_path, data, projection, fmt):
    G = tool_graph(data, projection=projection)
    path = tmp_path / f"net.{fmt}"
    path.write_text(export_network(data, fmt, projection=projection), encoding="utf-8")
    H = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path, version="1.3")
    assert (H.number_of_nodes(), H.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())
    assert H.is_directed() == (projection == "listing")
    expected = {"municipality": (8, 7), "listing": (8, 9), "country": (4, 5)}[projection]
    assert (G.number_of_nodes(), G.number_of_edges()) == expected


def test_graphml_attributes_are_plain_values(tmp_path, data):
    path = tmp_path / "net.graphml"
    path.write_text(export_network(data, "graphml"), encoding="utf-8")
    H = nx.read_graphml(path)
    koya = H.nodes[KOYA]
    assert (koya["label"], koya["country"], koya["lat"], koya["lon"], koya["population"], koya["degree"]) == (
        "Kōya", "JP", 34.213, 135.622, 2902, 2,
    )  # fmt: skip
    assert H.nodes[ASSISI]["qid"] == "Q20103" and "qid" not in koya  # missing values are left out, not "None"
    edge = H.edges[PERUGIA, TUEBINGEN]
    assert edge["relation_types"] == "reltype:partnership;reltype:twinning"
    assert edge["weight"] == 2 and edge["first_year"] == 1984 and edge["n_sources"] == 3
    assert all(isinstance(v, str | int | float) for _, d in H.nodes(data=True) for v in d.values())


def test_gexf_is_1_3_with_declared_attributes_and_positions_from_coordinates(data):
    root = ET.fromstring(export_network(data, "gexf").encode("utf-8"))
    assert root.tag == f"{GEXF}gexf" and root.get("version") == "1.3"
    schema = root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation")
    assert schema == "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"
    declared = {
        (group.get("class"), a.get("title"), a.get("type"))
        for group in root.iter(f"{GEXF}attributes")
        for a in group.iter(f"{GEXF}attribute")
    }
    assert {("node", "country", "string"), ("node", "lat", "double"), ("node", "lon", "double")} <= declared
    assert {("node", "degree", "long"), ("node", "population", "long"), ("node", "qid", "string")} <= declared
    assert {
        ("edge", "relation_types", "string"),
        ("edge", "sources", "string"),
        ("edge", "first_year", "long"),
    } <= declared
    koya = next(n for n in root.iter(f"{GEXF}node") if n.get("id") == KOYA)
    position = koya.find(f"{VIZ}position")
    assert position is not None and (float(position.get("x")), float(position.get("y"))) == (135.622, 34.213)
    paris = next(n for n in root.iter(f"{GEXF}node") if n.get("label") == "Paris")
    assert paris.find(f"{VIZ}position") is None  # no coordinates, no made-up position
    assert next(root.iter(f"{GEXF}graph")).get("defaultedgetype") == "undirected"


def test_country_graph_as_a_csv_edge_table(data):
    rows = list(csv.DictReader(io.StringIO(export_network(data, "csv", projection="country"))))
    weights = {frozenset((r["source"], r["target"])): int(r["weight"]) for r in rows}
    assert weights == {
        frozenset(("IT", "JP")): 2, frozenset(("DE", "IT")): 1, frozenset(("FR", "IT")): 2,
        frozenset(("DE", "FR")): 1, frozenset(("JP",)): 1,
    }  # fmt: skip
    assert {r["source_label"] for r in rows} >= {"Italy", "Japan"}


def test_hostile_labels_stay_text_in_every_format(data):
    gexf = export_network(data, "gexf")
    assert "<script>" not in gexf and "&lt;script&gt;" in gexf
    ET.fromstring(export_network(data, "graphml").encode("utf-8"))  # well-formed whatever the labels


def test_written_back_community_and_betweenness_are_node_attributes():
    store = open_graph([KG, VOCAB])
    write_back(store, run_analysis(store, top=3))
    G = tool_graph(read_relations(store))
    kyoto = G.nodes[str(ID["place/Q34600"])]
    assert kyoto["betweenness"] == pytest.approx(4 / 21) and isinstance(kyoto["community"], int)


def test_filters_that_match_nothing_say_what_would(data):
    notes = check_filters(data, relation_types=["pact-of-friendship"])
    assert notes == [  # the region–prefecture partnership is left out: areas are not kept by default
        "no relation of type pact-of-friendship; relation types present: twinning (3), partnership (2), "
        "friendship-city (1), memorandum-of-understanding (1), sister-city (1)"
    ]
    assert check_filters(data, countries=["CN"])[0].startswith("no relation with a party in CN; countries present")
    assert check_filters(data, relation_types=["twinning"], countries=["JP"]) == [
        "each filter matches some relations, but no relation matches all of them together"
    ]
    assert check_filters(data, relation_types=["twinning"], countries=["FR"]) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"relation_types": ["twining"]}, "unknown relation type 'twining'"),
        ({"statuses": ["alive"]}, "unknown status 'alive'"),
        ({"countries": ["Italy"]}, "'ITALY' is not an ISO 3166-1 alpha-2 country code"),
        ({"region": "gkid:place/Q999999999"}, "gkid:place/Q999999999 is not a place of the graph"),
    ],
)
def test_unknown_filter_values_are_errors(data, kwargs, message):
    with pytest.raises(InputError, match=message):
        check_filters(data, **kwargs)


def test_cli_export_network_reports_empty_filters_and_refuses_unknown_values(tmp_path):
    out = tmp_path / "n.graphml"
    ok = run_cli("export", "network", "--graph", str(KG), "--relation-type", "pact-of-friendship", "-o", str(out))
    assert ok.returncode == 0
    assert (
        "note: no relation of type pact-of-friendship; relation types present: twinning (3), partnership (2)"
        in ok.stderr
    )
    assert nx.read_graphml(out).number_of_nodes() == 0
    bad = run_cli("export", "network", "--graph", str(KG), "--relation-type", "twining")
    assert bad.returncode == 1 and bad.stderr.startswith("error: unknown relation type 'twining'")
    assert len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr
    gexf = run_cli("export", "network", "--graph", str(KG), "--format", "gexf", "--projection", "country", check=True)
    assert nx.read_gexf(io.BytesIO(gexf.stdout.encode("utf-8")), version="1.3").number_of_nodes() == 4


def test_cli_analyze_says_when_its_filters_match_nothing():
    r = run_cli("analyze", "--graph", str(KG), "--no-report", "--relation-type", "twinning", "--country", "JP")
    assert r.returncode == 0
    assert "note: each filter matches some relations, but no relation matches all of them together" in r.stderr
    bad = run_cli("analyze", "--graph", str(KG), "--no-report", "--country", "XX1")
    assert bad.returncode == 1 and "error: 'XX1' is not an ISO 3166-1 alpha-2 country code" in bad.stderr


def test_cli_view_countries_names_the_partner_countries_when_a_pair_has_no_relation(tmp_path):
    r = run_cli("view", "countries", "JP", "DE", "--graph", str(KG), "-o", str(tmp_path / "p.html"))
    assert r.returncode == 0
    assert "note: no relation between JP and DE; countries JP has relations with: IT (3), JP (1)" in r.stderr
