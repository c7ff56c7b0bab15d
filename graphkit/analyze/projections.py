"""From the knowledge graph to networkx graphs, built on the read model (:mod:`graphkit.relations.read`).

:func:`graphkit.relations.read.read_relations` reads every ``gk:MunicipalRelation`` with its parties,
types, sources, years, status and ``gk:listedBy``, and the attributes of every party. The
projections are then built in Python:

- :func:`municipality_graph`: undirected, one node per municipality that is party to a relation,
  one edge per pair of partners however many relations and sources link them. Node attributes:
  ``label``, ``country`` (ISO code), ``qid``, ``lat``, ``lon``, ``population``, ``kind``. Edge
  attributes: ``relations``, ``relation_types`` (CURIEs), ``sources``, ``n_sources``, ``years``
  (start years), ``statuses``.
- :func:`listing_graph`: directed, ``u → v`` when ``u``'s own partner list (``gk:listedBy``) names
  a relation with ``v``; a pair listed by one side only has one arc (reciprocity).
- :func:`country_graph`: undirected and weighted, one node per country; ``weight`` is the number of
  municipality pairs between two countries (a self-loop holds the domestic pairs).

Filters (all optional, combined with AND): ``relation_types`` (any of), ``statuses`` (any of;
relations without a status are dropped when given), ``countries`` (at least one party in one of
them), ``region`` (at least one party located, transitively through ``gk:locatedIn``, in that
place). Parties that are not municipalities (regions, prefectures, ...) are left out unless
``include_areas=True``. A relation with more than two parties links every pair of them.
:func:`graphkit.analyze.filters.check_filters` tells which filter matches nothing, and why.

>>> from graphkit.store.open import open_graph
>>> data = read_relations(open_graph(["data/seed/assisi-koya.ttl"]))
>>> G = municipality_graph(data)
>>> sorted(d["label"] for _, d in G.nodes(data=True))
['Assisi', 'Kōya']
>>> [d["relation_types"] for _, _, d in G.edges(data=True)]
[('reltype:memorandum-of-understanding',)]
>>> municipality_graph(data, relation_types=["twinning"]).number_of_edges()
0
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

import networkx as nx
from rdflib import URIRef
from rdflib.namespace import Namespace

from graphkit.rdf.namespaces import RELSTATUS, RELTYPE, curie, expand
from graphkit.relations.read import Place, Relation, RelationData, read_relations
from graphkit.store.embedded import Store

__all__ = [
    "UNKNOWN_COUNTRY",
    "RelationData",
    "analysis_kind",
    "concept_iris",
    "country_graph",
    "listing_graph",
    "municipality_graph",
    "place_ref",
    "selected_relations",
]


@functools.lru_cache(maxsize=4096)
def _curie(iri: str) -> str:
    return curie(URIRef(iri))


def analysis_kind(place: Place) -> str:
    """``municipality``, ``area`` (region, province, prefecture, ...) or ``other``: how analyses group parties."""
    return "municipality" if place.kind == "municipality" else "area" if place.is_area else "other"


def _as_data(source: Store | RelationData) -> RelationData:
    return source if isinstance(source, RelationData) else read_relations(source)


def concept_iris(values: Iterable[str] | None, namespace: Namespace) -> frozenset[str] | None:
    """User-given concepts (``twinning``, ``reltype:twinning`` or a full IRI) as IRIs; None stays None.

    >>> sorted(concept_iris(["twinning", "reltype:sister-city"], RELTYPE))
    ['https://w3id.org/graphkit/vocab/relation-type/sister-city', 'https://w3id.org/graphkit/vocab/relation-type/twinning']
    """
    if values is None:
        return None
    out = set()
    for v in values:
        v = v.strip()
        if v.startswith(("http://", "https://")):
            out.add(v)
        elif ":" in v:
            out.add(str(expand(v)))
        else:
            out.add(str(namespace[v]))
    return frozenset(out)


def place_ref(value: str) -> str:
    """A place given as an IRI or a CURIE (``gkid:place/Q1280``), as an IRI."""
    v = value.strip()
    return v if v.startswith(("http://", "https://")) else str(expand(v))


def selected_relations(
    data: RelationData,
    *,
    relation_types: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    countries: Iterable[str] | None = None,
    region: str | None = None,
    include_areas: bool = False,
) -> list[tuple[Relation, tuple[str, ...]]]:
    """The relations passing the filters, each with the parties kept as nodes (at least two)."""
    types = concept_iris(relation_types, RELTYPE)
    stats = concept_iris(statuses, RELSTATUS)
    codes = None if countries is None else {c.strip().upper() for c in countries}
    area = None if region is None else place_ref(region)
    kinds = {"municipality", "area"} if include_areas else {"municipality"}
    places = data.places
    kind_of = {iri: analysis_kind(p) for iri, p in places.items()}
    out = []
    for rel in data.relations:
        if types is not None and types.isdisjoint(rel.types):
            continue
        if stats is not None and stats.isdisjoint(rel.statuses):
            continue
        kept = tuple(p for p in rel.parties if kind_of[p] in kinds)
        if len(kept) < 2:
            continue
        if codes is not None and not any(places[p].country in codes for p in kept):
            continue
        if area is not None and not any(p == area or area in data.within(p) for p in kept):
            continue
        out.append((rel, kept))
    return out


def _add_node(G: nx.Graph, place: Place) -> None:
    if place.iri not in G:
        G.add_node(
            place.iri,
            label=place.label,
            kind=analysis_kind(place),
            country=place.country or None,
            qid=place.qid or None,
            lat=place.lat,
            lon=place.lon,
            population=place.population,
        )


def municipality_graph(
    source: Store | RelationData,
    *,
    relation_types: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    countries: Iterable[str] | None = None,
    region: str | None = None,
    include_areas: bool = False,
) -> nx.Graph:
    """The undirected municipality graph (see the module docstring for attributes and filters)."""
    data = _as_data(source)
    G = nx.Graph(name=data.description)
    acc: dict[tuple[str, str], dict[str, set]] = {}
    for rel, kept in selected_relations(
        data,
        relation_types=relation_types,
        statuses=statuses,
        countries=countries,
        region=region,
        include_areas=include_areas,
    ):
        for p in kept:
            _add_node(G, data.places[p])
        for u, v in combinations(kept, 2):
            a = acc.setdefault((u, v), defaultdict(set))
            a["relations"].add(rel.iri)
            a["relation_types"].update(map(_curie, rel.types))
            a["sources"].update(rel.sources)
            a["years"].update(rel.years)
            a["statuses"].update(map(_curie, rel.statuses))
    for (u, v), a in acc.items():
        G.add_edge(
            u,
            v,
            relations=tuple(sorted(a["relations"])),
            relation_types=tuple(sorted(a["relation_types"])),
            sources=tuple(sorted(a["sources"])),
            n_sources=len(a["sources"]),
            years=tuple(sorted(a["years"])),
            statuses=tuple(sorted(a["statuses"])),
        )
    return G


def listing_graph(
    source: Store | RelationData,
    *,
    relation_types: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    countries: Iterable[str] | None = None,
    region: str | None = None,
    include_areas: bool = False,
) -> nx.DiGraph:
    """The directed "who lists whom" graph: ``u → v`` when ``u`` lists a relation with ``v``.

    Nodes are the same as :func:`municipality_graph` with the same filters; a relation that no party
    lists adds its nodes but no arc. Arc attribute ``relations``: the relations behind the arc.
    """
    data = _as_data(source)
    D = nx.DiGraph(name=data.description)
    for rel, kept in selected_relations(
        data,
        relation_types=relation_types,
        statuses=statuses,
        countries=countries,
        region=region,
        include_areas=include_areas,
    ):
        for p in kept:
            _add_node(D, data.places[p])
        for u in kept:
            if u not in rel.listed_by:
                continue
            for v in kept:
                if v != u:
                    rels = D.edges[u, v]["relations"] if D.has_edge(u, v) else ()
                    D.add_edge(u, v, relations=tuple(sorted({*rels, rel.iri})))
    return D


UNKNOWN_COUNTRY = "??"


def country_graph(G: nx.Graph) -> nx.Graph:
    """The weighted country graph of a municipality graph.

    Nodes are ISO codes (``"??"`` for municipalities without a country) with attribute
    ``municipalities``; ``weight`` counts municipality pairs, a self-loop the domestic pairs.

    >>> G = nx.Graph()
    >>> G.add_nodes_from([("a", {"country": "IT"}), ("b", {"country": "JP"}), ("c", {"country": "IT"})])
    >>> G.add_edges_from([("a", "b"), ("c", "b"), ("a", "c")])
    >>> C = country_graph(G)
    >>> C["IT"]["JP"]["weight"], C["IT"]["IT"]["weight"], C.nodes["IT"]["municipalities"]
    (2, 1, 2)
    """
    C = nx.Graph(name=f"countries of {G.graph.get('name', 'graph')}")
    for _, data in G.nodes(data=True):
        code = data.get("country") or UNKNOWN_COUNTRY
        if code not in C:
            C.add_node(code, municipalities=0)
        C.nodes[code]["municipalities"] += 1
    for u, v in G.edges():
        a = G.nodes[u].get("country") or UNKNOWN_COUNTRY
        b = G.nodes[v].get("country") or UNKNOWN_COUNTRY
        if C.has_edge(a, b):
            C[a][b]["weight"] += 1
        else:
            C.add_edge(a, b, weight=1)
    return C
