"""From the knowledge graph to networkx graphs.

:func:`load_relations` reads every ``gk:MunicipalRelation`` with its parties, types, sources, years,
status and ``gk:listedBy``, and the attributes of every party, with a handful of fixed SPARQL queries
(no text from the user goes into them). The projections are then built in Python:

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

>>> from graphkit.store.open import open_graph
>>> data = load_relations(open_graph(["data/seed/assisi-koya.ttl"]))
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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx
from rdflib import URIRef
from rdflib.namespace import PROV

from graphkit.errors import InputError
from graphkit.rdf.namespaces import GK, RELSTATUS, RELTYPE, WGS84, curie, expand
from graphkit.sparql.results import SelectResult
from graphkit.store.embedded import Store


@dataclass(frozen=True)
class Place:
    """A party of a relation, with what the analyses need."""

    iri: str
    label: str
    kind: str  # "municipality", "area" or "other"
    country: str | None = None
    qid: str | None = None
    lat: float | None = None
    lon: float | None = None
    population: int | None = None
    within: frozenset[str] = frozenset()  # every place it is located in, transitively


@dataclass(frozen=True)
class Relation:
    """A ``gk:MunicipalRelation`` reduced to what the projections need."""

    iri: str
    parties: tuple[str, ...]
    types: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    years: tuple[int, ...] = ()
    statuses: frozenset[str] = frozenset()
    listed_by: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RelationData:
    """Every relation and every party of one, as read from a store by :func:`load_relations`."""

    places: Mapping[str, Place]
    relations: tuple[Relation, ...]
    description: str = field(default="knowledge graph", compare=False)


_Q_PARTIES = "SELECT ?rel ?party WHERE { ?rel a gk:MunicipalRelation ; gk:party ?party }"
_Q_REL_PROPERTY = "SELECT ?rel ?value WHERE { ?rel a gk:MunicipalRelation ; ?p ?value }"
_Q_KIND = """SELECT DISTINCT ?place ?class WHERE {
  ?rel a gk:MunicipalRelation ; gk:party ?place . ?place a ?class .
  VALUES ?class { gk:Municipality gk:AdministrativeArea gk:Region gk:Province gk:Prefecture gk:District }
}"""
_Q_PLACE_PROPERTY = """SELECT DISTINCT ?place ?value WHERE {
  ?rel a gk:MunicipalRelation ; gk:party ?place . ?place ?p ?value }"""
_Q_COUNTRY = """SELECT DISTINCT ?place ?code WHERE {
  ?rel a gk:MunicipalRelation ; gk:party ?place . ?place gk:country/gk:countryCode ?code }"""
_Q_WITHIN = """SELECT DISTINCT ?place ?area WHERE {
  ?rel a gk:MunicipalRelation ; gk:party ?place . ?place gk:locatedIn+ ?area }"""
_Q_LABEL = """SELECT ?place ?label (LANG(?label) AS ?lang) WHERE {
  { SELECT DISTINCT ?place WHERE { ?rel a gk:MunicipalRelation ; gk:party ?place } }
  ?place rdfs:label ?label }"""

_AREA_CLASSES = {str(GK[c]) for c in ("AdministrativeArea", "Region", "Province", "Prefecture", "District")}
_LABEL_PREFERENCE = ("en", "", "it")


def _rows(store: Store, text: str, **bindings: URIRef) -> list[tuple[str, ...]]:
    """Rows of a SELECT as plain strings (IRIs and literal values; unbound → "").

    On the embedded store the query runs on pyoxigraph directly, skipping the conversion of ~10⁵
    cells to rdflib terms (5× faster on the world graph); any other store goes through ``query``.
    """
    ox_store = getattr(store, "oxigraph", None)
    if ox_store is not None:
        from graphkit.rdf.namespaces import PREFIXES
        from graphkit.sparql.binding import bind_values

        solutions = ox_store.query(
            bind_values(text, bindings) if bindings else text, use_default_graph_as_union=True, prefixes=PREFIXES
        )
        width = len(solutions.variables)
        return [tuple("" if sol[i] is None else sol[i].value for i in range(width)) for sol in solutions]
    result = store.query(text, bindings=bindings or None)
    if not isinstance(result, SelectResult):  # pragma: no cover - fixed SELECT text
        raise InputError("expected a SELECT result")
    return [tuple("" if t is None else str(t) for t in row) for row in result.rows]


def _pick_label(labels: list[tuple[str, str]]) -> str | None:
    by_lang: dict[str, str] = {}
    for text, lang in labels:
        by_lang.setdefault(lang.lower(), text)
    for lang in _LABEL_PREFERENCE:
        if lang in by_lang:
            return by_lang[lang]
    return by_lang[sorted(by_lang)[0]] if by_lang else None


def _year(value: object) -> int | None:
    text = str(value).strip()
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("-")[:4]
    return sign * int(digits) if len(digits) == 4 and digits.isdigit() else None


def _number(value: object, kind: type) -> float | int | None:
    try:
        return kind(float(str(value))) if kind is int else float(str(value))
    except (TypeError, ValueError):
        return None


def load_relations(store: Store, *, description: str = "knowledge graph") -> RelationData:
    """Read every relation and every party's attributes from ``store`` (see the module docstring)."""
    short = functools.lru_cache(maxsize=None)(lambda iri: curie(URIRef(iri)))
    parties: dict[str, list[str]] = defaultdict(list)
    for rel, party in _rows(store, _Q_PARTIES):
        if str(party) not in parties[str(rel)]:
            parties[str(rel)].append(str(party))
    rel_values: dict[str, dict[str, set[str]]] = {}
    for key, prop in (
        ("types", GK.relationType),
        ("sources", PROV.wasDerivedFrom),
        ("years", GK.startDate),
        ("statuses", GK.status),
        ("listed_by", GK.listedBy),
    ):
        values: dict[str, set[str]] = defaultdict(set)
        for rel, value in _rows(store, _Q_REL_PROPERTY, p=prop):
            values[rel].add(short(value) if key in ("types", "statuses") else value)
        rel_values[key] = values

    relations = []
    for rel in sorted(parties):
        years = sorted({y for v in rel_values["years"].get(rel, ()) if (y := _year(v)) is not None})
        relations.append(
            Relation(
                iri=rel,
                parties=tuple(sorted(parties[rel])),
                types=frozenset(rel_values["types"].get(rel, ())),
                sources=frozenset(rel_values["sources"].get(rel, ())),
                years=tuple(years),
                statuses=frozenset(rel_values["statuses"].get(rel, ())),
                listed_by=frozenset(rel_values["listed_by"].get(rel, ())),
            )
        )

    kinds: dict[str, str] = {}
    for place, cls in _rows(store, _Q_KIND):
        kind = "municipality" if str(cls) == str(GK.Municipality) else "area" if str(cls) in _AREA_CLASSES else None
        if kind == "municipality" or (kind and str(place) not in kinds):
            kinds[str(place)] = kind
    labels: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for place, label, lang in _rows(store, _Q_LABEL):
        labels[place].append((label, lang))
    countries = {str(p): str(c).upper() for p, c in _rows(store, _Q_COUNTRY)}
    within: dict[str, set[str]] = defaultdict(set)
    for place, area in _rows(store, _Q_WITHIN):
        within[str(place)].add(str(area))
    simple: dict[str, dict[str, object]] = {}
    for key, prop in (
        ("qid", GK.wikidata),
        ("lat", WGS84.lat),
        ("lon", WGS84.long),
        ("population", GK.population),
    ):
        simple[key] = {str(p): v for p, v in _rows(store, _Q_PLACE_PROPERTY, p=prop)}

    places = {}
    for iri in sorted({p for r in relations for p in r.parties}):
        qid = simple["qid"].get(iri)
        places[iri] = Place(
            iri=iri,
            label=_pick_label(labels.get(iri, [])) or curie(URIRef(iri)),
            kind=kinds.get(iri, "other"),
            country=countries.get(iri),
            qid=str(qid).rsplit("/", 1)[-1] if qid is not None else None,
            lat=_number(simple["lat"].get(iri), float),
            lon=_number(simple["lon"].get(iri), float),
            population=_number(simple["population"].get(iri), int),  # type: ignore[arg-type]
            within=frozenset(within.get(iri, ())),
        )
    return RelationData(places, tuple(relations), description)


def _as_data(source: Store | RelationData) -> RelationData:
    return source if isinstance(source, RelationData) else load_relations(source)


def _concepts(values: Iterable[str] | None, namespace: object) -> frozenset[str] | None:
    """Normalise user-given concepts (``twinning``, ``reltype:twinning`` or a full IRI) to CURIEs."""
    if values is None:
        return None
    out = set()
    for v in values:
        v = v.strip()
        if v.startswith(("http://", "https://")):
            out.add(curie(URIRef(v)))
        elif ":" in v:
            out.add(curie(expand(v)))
        else:
            out.add(curie(namespace[v]))  # type: ignore[index]
    return frozenset(out)


def _place_ref(value: str) -> str:
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
    types = _concepts(relation_types, RELTYPE)
    stats = _concepts(statuses, RELSTATUS)
    codes = None if countries is None else {c.strip().upper() for c in countries}
    area = None if region is None else _place_ref(region)
    kinds = {"municipality", "area"} if include_areas else {"municipality"}
    out = []
    for rel in data.relations:
        if types is not None and not (rel.types & types):
            continue
        if stats is not None and not (rel.statuses & stats):
            continue
        kept = tuple(p for p in rel.parties if data.places[p].kind in kinds)
        if len(kept) < 2:
            continue
        if codes is not None and not any(data.places[p].country in codes for p in kept):
            continue
        if area is not None and not any(area in data.places[p].within or p == area for p in kept):
            continue
        out.append((rel, kept))
    return out


def _add_node(G: nx.Graph, place: Place) -> None:
    if place.iri not in G:
        G.add_node(
            place.iri,
            label=place.label,
            kind=place.kind,
            country=place.country,
            qid=place.qid,
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
            a["relation_types"] |= rel.types
            a["sources"] |= rel.sources
            a["years"] |= set(rel.years)
            a["statuses"] |= rel.statuses
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
