"""The projections as files for Gephi and other graph tools: GraphML, GEXF 1.3, CSV.

:func:`tool_graph` turns a projection (:mod:`graphkit.analyze.projections`) into a graph whose
attributes are only strings and numbers (GraphML and GEXF accept nothing else; a missing value is
left out, never written as ``None``):

- nodes of the municipality and listing projections: ``label``, ``kind``, ``country``, ``lat``,
  ``lon``, ``population``, ``qid``, ``degree`` and, when ``graphkit analyze --write-back`` stored
  them, ``community`` and ``betweenness``; in GEXF also ``viz:position`` (x = longitude,
  y = latitude) for places with coordinates;
- edges: ``relation_types`` (``;``-separated prefixed names), ``sources`` (``;``-separated short
  names), ``first_year``, ``weight`` (the number of relations behind the edge), ``n_sources``;
- the country projection: nodes are ISO codes with ``label`` (the country's name) and
  ``municipalities``, positioned at the mean coordinates of their municipalities; ``weight`` counts
  municipality pairs.

:func:`export_network` writes one of :data:`FORMATS`; CSV is an edge table
(``source,target,source_label,target_label,weight,...``; the country projection's ``weight`` counts municipality pairs).

>>> from graphkit.store.open import open_graph
>>> from graphkit.relations.read import read_relations
>>> data = read_relations(open_graph(["data/seed/assisi-koya.ttl"]))
>>> G = tool_graph(data)
>>> sorted(G.nodes[n]["label"] for n in G), list(G.edges(data="relation_types"))[0][2]
(['Assisi', 'Kōya'], 'reltype:memorandum-of-understanding')
>>> print(export_network(data, "csv").splitlines()[1])
gkid:place/Q1346907,gkid:place/Q20103,Kōya,Assisi,1,reltype:memorandum-of-understanding,seed-article,2009,1,relstatus:active
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import networkx as nx
from rdflib import URIRef

from graphkit.analyze.projections import UNKNOWN_COUNTRY, country_graph, listing_graph, municipality_graph
from graphkit.errors import InputError
from graphkit.rdf.namespaces import curie
from graphkit.relations.read import RelationData

FORMATS: tuple[str, ...] = ("graphml", "gexf", "csv")
PROJECTIONS: tuple[str, ...] = ("municipality", "country", "listing")
CSV_COLUMNS: tuple[str, ...] = (
    "source",
    "target",
    "source_label",
    "target_label",
    "weight",
    "relation_types",
    "sources",
    "first_year",
    "n_sources",
    "statuses",
)
_XSI_WRONG = 'xmlns:xsi="http://w3.org/2001/XMLSchema-instance"'
_XSI_RIGHT = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'


def tool_graph(
    data: RelationData,
    *,
    projection: str = "municipality",
    relation_types: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    countries: Iterable[str] | None = None,
    region: str | None = None,
    include_areas: bool = False,
) -> nx.Graph:
    """The projection named ``projection`` with plain attributes (see the module docstring)."""
    if projection not in PROJECTIONS:
        raise InputError(f"unknown projection {projection!r}; choose one of {', '.join(PROJECTIONS)}")
    filters: dict[str, Any] = {
        "relation_types": relation_types,
        "statuses": statuses,
        "countries": countries,
        "region": region,
        "include_areas": include_areas,
    }
    G = municipality_graph(data, **filters)
    if projection == "country":
        return _plain_countries(data, G)
    source = listing_graph(data, **filters) if projection == "listing" else G
    out = nx.DiGraph() if source.is_directed() else nx.Graph()
    out.graph["name"] = f"{projection} graph of {data.description}"
    for node in source:
        out.add_node(node, **_node_attrs(data, node, G.degree(node)))
    for u, v, d in source.edges(data=True):
        out.add_edge(u, v, **_edge_attrs(data, d))
    return out


def _node_attrs(data: RelationData, iri: str, degree: int) -> dict[str, Any]:
    p = data.places[iri]
    attrs: dict[str, Any] = {"label": p.label, "kind": p.kind, "degree": degree}
    for key, value in (
        ("country", p.country),
        ("qid", p.qid),
        ("lat", p.lat),
        ("lon", p.lon),
        ("population", p.population),
        ("community", p.community),
        ("betweenness", p.betweenness),
    ):
        if value not in (None, ""):
            attrs[key] = value
    return attrs


def _edge_attrs(data: RelationData, d: dict[str, Any]) -> dict[str, Any]:
    relations = d.get("relations", ())
    attrs: dict[str, Any] = {"weight": len(relations)}
    if "relation_types" in d:  # the municipality projection (the listing one has relations only)
        attrs["relation_types"] = ";".join(d["relation_types"])
        attrs["sources"] = ";".join(sorted({data.source_name(s) for s in d["sources"]}))
        attrs["n_sources"] = d["n_sources"]
        if d["years"]:
            attrs["first_year"] = d["years"][0]
        if d["statuses"]:
            attrs["statuses"] = ";".join(d["statuses"])
    return attrs


def _plain_countries(data: RelationData, G: nx.Graph) -> nx.Graph:
    C = country_graph(G)
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for _, d in G.nodes(data=True):
        if d.get("lat") is not None and d.get("lon") is not None:
            s = sums[d.get("country") or UNKNOWN_COUNTRY]
            s[0], s[1], s[2] = s[0] + d["lat"], s[1] + d["lon"], s[2] + 1
    for code, d in C.nodes(data=True):
        d["label"] = data.country_name(code) if code != UNKNOWN_COUNTRY else "unknown country"
        if code in sums:
            lat, lon, n = sums[code]
            d["lat"], d["lon"] = round(lat / n, 4), round(lon / n, 4)
    C.graph["name"] = f"country graph of {data.description}"
    return C


def export_network(
    data: RelationData,
    fmt: str = "graphml",
    *,
    projection: str = "municipality",
    relation_types: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    countries: Iterable[str] | None = None,
    region: str | None = None,
    include_areas: bool = False,
    raw_csv: bool = False,
) -> str:
    """The projection as GraphML, GEXF 1.3 or a CSV edge table (text, UTF-8 when written)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown network format {fmt!r}; choose one of {', '.join(FORMATS)}")
    G = tool_graph(
        data,
        projection=projection,
        relation_types=relation_types,
        statuses=statuses,
        countries=countries,
        region=region,
        include_areas=include_areas,
    )
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(G, encoding="utf-8", prettyprint=True)) + "\n"
    if fmt == "gexf":
        return gexf_text(G)
    return edge_table(G, raw=raw_csv)


def gexf_text(G: nx.Graph) -> str:
    """GEXF 1.3 (networkx's writer; places with coordinates get ``viz:position`` x = lon, y = lat)."""
    H = G.copy()
    for _, d in H.nodes(data=True):
        if d.get("lat") is not None and d.get("lon") is not None:
            d["viz"] = {"position": {"x": float(d["lon"]), "y": float(d["lat"]), "z": 0.0}}
    text = "\n".join(nx.generate_gexf(H, encoding="utf-8", prettyprint=True, version="1.3")) + "\n"
    return text.replace(_XSI_WRONG, _XSI_RIGHT)  # networkx 3.6 misspells the XML Schema instance namespace


def edge_table(G: nx.Graph, *, raw: bool = False) -> str:
    """One CSV row per edge (:data:`CSV_COLUMNS`, then any other edge attribute), place nodes as
    CURIEs; text cells that a spreadsheet would run as a formula are neutralised unless ``raw``
    (:func:`graphkit.rdf.files.csv_text`).

    >>> G = nx.Graph()
    >>> G.add_node("IT", label="Italy"); G.add_node("JP", label="=Japan")
    >>> G.add_edge("IT", "JP", weight=2)
    >>> print(edge_table(G), end="")
    source,target,source_label,target_label,weight,relation_types,sources,first_year,n_sources,statuses
    IT,JP,Italy,'=Japan,2,,,,,
    """
    from graphkit.rdf.files import csv_text

    extra = sorted({k for _, _, d in G.edges(data=True) for k in d} - set(CSV_COLUMNS))
    rows: list[list[object]] = [[*CSV_COLUMNS, *extra]]
    for u, v, d in sorted(G.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        rows.append(
            [_short(u), _short(v), G.nodes[u].get("label"), G.nodes[v].get("label")]
            + [d.get(c) for c in CSV_COLUMNS[4:]]
            + [d.get(k) for k in extra]
        )
    return csv_text(rows, raw=raw)


def _short(node: object) -> str:
    text = str(node)
    return curie(URIRef(text)) if text.startswith(("http://", "https://")) else text
