"""The read model of the graph: frozen places and relations, and the one list of place classes.

:class:`RelationData` holds every municipality, every other party of a relation (regions,
prefectures, countries, ...) and every ``gk:MunicipalRelation`` with at least two parties. It is
what views, analyses, exports and Wikidata linking read; :mod:`graphkit.relations.read` fills it
from a store. Ego networks come from ``networkx.ego_graph`` on :meth:`RelationData.graph`.

>>> a = Place("https://x.org/a", "A", "municipality", "IT")
>>> b = Place("https://x.org/b", "B", "municipality", "JP")
>>> c = Place("https://x.org/c", "C", "municipality", "JP")
>>> rels = (Relation("https://x.org/r1", (a.iri, b.iri)), Relation("https://x.org/r2", (b.iri, c.iri)))
>>> data = RelationData({p.iri: p for p in (a, b, c)}, rels, countries={"IT": "Italy"})
>>> sorted(data.partners(b.iri)), data.degree(a.iri)
(['https://x.org/a', 'https://x.org/c'], 1)
>>> members, relations = data.ego(a.iri, 1)
>>> sorted(members), [r.iri for r in relations]
(['https://x.org/a', 'https://x.org/b'], ['https://x.org/r1'])
>>> [r.iri for r in data.between_countries("IT", "JP")], data.country_name("IT")
(['https://x.org/r1'], 'Italy')
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graphkit.rdf.namespaces import GK

if TYPE_CHECKING:  # networkx loads with the first graph asked for
    import networkx as nx

#: The place classes of the ontology as ``(gk class local name, kind)``, most specific first: a
#: place's kind is that of the first class it has. The ONE list: every query that needs place
#: classes is generated from it (:func:`place_class_values`).
PLACE_CLASSES: tuple[tuple[str, str], ...] = (
    ("Municipality", "municipality"),
    ("Prefecture", "prefecture"),
    ("Province", "province"),
    ("Region", "region"),
    ("District", "district"),
    ("AdministrativeArea", "administrative area"),
    ("Country", "country"),
)
#: Kinds of the administrative areas between a municipality and its country.
AREA_KINDS: frozenset[str] = frozenset(kind for name, kind in PLACE_CLASSES if name not in ("Municipality", "Country"))
#: The kind of a party that has none of the place classes.
OTHER_KIND = "place"
GENERIC_TYPE_SUFFIX = "/partnership"


def place_class_values(var: str = "class", *, exclude: tuple[str, ...] = ()) -> str:
    """A SPARQL ``VALUES`` block binding ``?var`` to the place classes (full IRIs, no prefix needed).

    ``exclude``: local names left out (e.g. ``("Country",)``). Each name goes through the ``GK``
    namespace, which refuses a misspelt class.

    >>> place_class_values("t", exclude=("Country", "District", "AdministrativeArea", "Region", "Province"))
    'VALUES ?t { <https://w3id.org/graphkit/ontology#Municipality> <https://w3id.org/graphkit/ontology#Prefecture> }'
    """
    if not var.isidentifier():
        raise ValueError(f"not a SPARQL variable name: {var!r}")
    classes = " ".join(GK[name].n3() for name, _ in PLACE_CLASSES if name not in exclude)
    return f"VALUES ?{var} {{ {classes} }}"


def class_kinds() -> dict[str, tuple[int, str]]:
    """Each place class IRI with its rank (0 = most specific) and kind.

    >>> class_kinds()["https://w3id.org/graphkit/ontology#Region"]
    (3, 'region')
    """
    return {str(GK[name]): (rank, kind) for rank, (name, kind) in enumerate(PLACE_CLASSES)}


@dataclass(frozen=True)
class Place:
    """A municipality, or another party of a relation (a region, a prefecture, a country, ...).

    ``label`` is the display label (:func:`graphkit.relations.labels.best_label`); ``names`` every
    label (and, for a municipality, alternative name) cleaned as text, for search; ``labels`` and
    ``alt_labels`` the ``rdfs:label`` and ``skos:altLabel`` values as given, ``(text, language)``,
    English first; ``sources`` the IRIs of the source documents it was read from; ``region`` the
    label of the administrative area it lies in directly ('' when not known).
    """

    iri: str
    label: str
    kind: str
    country: str = ""
    lat: float | None = None
    lon: float | None = None
    population: int | None = None
    qid: str = ""
    names: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    geonames_id: int | None = None
    region: str = ""
    labels: tuple[tuple[str, str], ...] = ()
    alt_labels: tuple[tuple[str, str], ...] = ()
    #: Written back by ``graphkit analyze --write-back`` (None when the graph has no analysis results).
    betweenness: float | None = None
    community: int | None = None

    @property
    def is_area(self) -> bool:
        """True for a region, province, prefecture, district or other administrative area."""
        return self.kind in AREA_KINDS


@dataclass(frozen=True)
class Relation:
    """A municipal relation between ``parties`` (sorted IRIs), with its type, status, dates and sources.

    ``types`` and ``statuses`` are concept IRIs (``status`` is the first of ``statuses``); ``start``
    and ``end`` the earliest lexical dates; ``years`` every distinct start year; ``listed_by`` the
    parties whose own partner list names the relation.

    >>> r = Relation("https://x.org/r", ("a", "b", "c"), types=("https://x.org/t/partnership",), years=(1984, 2000))
    >>> r.pairs(), r.type_key, r.first_year
    ([('a', 'b'), ('a', 'c'), ('b', 'c')], 'https://x.org/t/partnership', 1984)
    """

    iri: str
    parties: tuple[str, ...]
    types: tuple[str, ...] = ()
    type_labels: tuple[str, ...] = ()
    status: str = ""
    status_label: str = ""
    start: str = ""
    end: str = ""
    sources: tuple[str, ...] = ()
    listed_by: tuple[str, ...] = ()
    label: str = ""
    statuses: tuple[str, ...] = ()
    years: tuple[int, ...] = ()

    @property
    def type_key(self) -> str:
        """The relation type shown and filtered on: the most specific known type (not the generic one)."""
        specific = [t for t in self.types if not t.endswith(GENERIC_TYPE_SUFFIX)]
        return min(specific) if specific else (min(self.types) if self.types else "")

    @property
    def first_year(self) -> int | None:
        """The earliest start year, None when not known."""
        return self.years[0] if self.years else None

    def pairs(self) -> list[tuple[str, str]]:
        """The party pairs this relation links (one pair for the usual two parties)."""
        ps = self.parties
        return [(ps[i], ps[j]) for i in range(len(ps)) for j in range(i + 1, len(ps))]


@dataclass(frozen=True)
class RelationData:
    """Places (by IRI), relations (sorted by IRI) and the labels views and exports show with them.

    ``countries``: ISO code → English name; ``concept_labels``: concept IRI → English label;
    ``source_titles``: source document IRI → title; ``located_in``: place IRI → the IRIs of the
    places it lies in directly (``gk:locatedIn``).
    """

    places: Mapping[str, Place]
    relations: tuple[Relation, ...]
    countries: Mapping[str, str] = field(default_factory=dict)
    concept_labels: Mapping[str, str] = field(default_factory=dict)
    source_titles: Mapping[str, str] = field(default_factory=dict)
    located_in: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    description: str = field(default="knowledge graph", compare=False)

    @functools.cached_property
    def _graph(self) -> nx.Graph:
        import networkx as nx

        G = nx.Graph()
        G.add_nodes_from(self.places)
        G.add_edges_from(pair for r in self.relations for pair in r.pairs())
        return G

    def graph(self) -> nx.Graph:
        """Every place as a node, an edge between any two partners (built once, then cached: do not modify)."""
        return self._graph

    def partners(self, iri: str) -> set[str]:
        """The distinct partners of a place (through any relation)."""
        G = self.graph()
        return set(G.adj[iri]) if iri in G else set()

    def degree(self, iri: str) -> int:
        """Number of distinct partners of a place."""
        G = self.graph()
        return len(G.adj[iri]) if iri in G else 0

    def country_name(self, cc: str) -> str:
        """``Italy`` for ``IT`` (the code itself when the graph has no label)."""
        return self.countries.get(cc, cc) if cc else "unknown country"

    def source_name(self, iri: str) -> str:
        """The short name a source is cited by (``hekman-twincities``)."""
        return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def ego(self, center: str, depth: int) -> tuple[set[str], list[Relation]]:
        """Places within ``depth`` hops of ``center`` (``networkx.ego_graph``) and the relations among them."""
        import networkx as nx

        members = set(nx.ego_graph(self.graph(), center, radius=depth))
        return members, [r for r in self.relations if all(p in members for p in r.parties)]

    def between_countries(self, a: str, b: str) -> list[Relation]:
        """Relations with a party in country ``a`` and another in country ``b`` (ISO codes)."""
        out = []
        for r in self.relations:
            for x, y in r.pairs():
                cx, cy = self.places[x].country, self.places[y].country
                if {cx, cy} == {a, b} and (a != b or cx == cy == a):
                    out.append(r)
                    break
        return out

    def within(self, iri: str) -> frozenset[str]:
        """Every place ``iri`` lies in, transitively through ``gk:locatedIn``."""
        seen: set[str] = set()
        todo = list(self.located_in.get(iri, ()))
        while todo:
            area = todo.pop()
            if area not in seen:
                seen.add(area)
                todo.extend(self.located_in.get(area, ()))
        return frozenset(seen)

    def relation_types(self) -> dict[str, int]:
        """How many relations have each relation type (concept IRI), most frequent first."""
        counts: dict[str, int] = {}
        for r in self.relations:
            for t in r.types:
                counts[t] = counts.get(t, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
