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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

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


@functools.lru_cache(maxsize=4096)  # a graph cites a few hundred sources, each many times
def _source_name(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


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

    @functools.cached_property  # a frozen dataclass with a __dict__: computed once, on first use
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
        return _pairs(self.parties)


class _RelationsByPlace(Mapping[str, list[Relation]]):
    def __init__(self, data: RelationData) -> None:
        self._data = data

    def __getitem__(self, iri: str) -> list[Relation]:
        if iri not in self._data._incidence:
            raise KeyError(iri)
        return self._data.relations_of(iri)

    def __iter__(self) -> Iterator[str]:
        return iter(self._data._incidence)

    def __len__(self) -> int:
        return len(self._data._incidence)


def _pairs(ps: Sequence[str]) -> list[tuple[str, str]]:
    return [(ps[i], ps[j]) for i in range(len(ps)) for j in range(i + 1, len(ps))]


def folded_name_index(places: Iterable[Place]) -> dict[str, list[str]]:
    """Each folded name (:func:`graphkit.relations.labels.fold` of a label or other name) → the IRIs of
    the places that have it, in the given order.

    >>> folded_name_index([Place("https://x.org/l", "Łódź", "municipality", names=("Lodz", "Łódź"))])
    {'lodz': ['https://x.org/l']}
    """
    from graphkit.relations.labels import fold

    index: dict[str, list[str]] = {}
    for p in places:
        for key in dict.fromkeys(fold(n) for n in (p.label, *p.names)):
            index.setdefault(key, []).append(p.iri)
    return index


@dataclass(frozen=True)
class RelationData:
    """Places (by IRI), relations (sorted by IRI) and the labels views and exports show with them.

    ``countries``: ISO code → English name; ``concept_labels``: concept IRI → English label;
    ``source_titles``: source document IRI → title; ``located_in``: place IRI → the IRIs of the
    places it lies in directly (``gk:locatedIn``).
    """

    places: Mapping[str, Place]
    relations: Sequence[Relation]
    countries: Mapping[str, str] = field(default_factory=dict)
    concept_labels: Mapping[str, str] = field(default_factory=dict)
    source_titles: Mapping[str, str] = field(default_factory=dict)
    located_in: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    description: str = field(default="knowledge graph", compare=False)

    @functools.cached_property
    def _party_lists(self) -> Sequence[tuple[str, ...]]:
        column = getattr(self.relations, "party_lists", None)  # a lazy table has them without decoding relations
        return column() if column is not None else [r.parties for r in self.relations]

    @functools.cached_property
    def _adjacency(self) -> dict[str, set[str]]:
        adj: dict[str, set[str]] = {}
        for ps in self._party_lists:
            if len(ps) == 2:  # nearly every relation
                a, b = ps
                adj.setdefault(a, set()).add(b)
                adj.setdefault(b, set()).add(a)
                continue
            for i, a in enumerate(ps):
                for b in ps[i + 1 :]:
                    adj.setdefault(a, set()).add(b)
                    adj.setdefault(b, set()).add(a)
        return adj

    @functools.cached_property
    def _incidence(self) -> dict[str, list[int]]:
        rels: dict[str, list[int]] = {}
        for n, ps in enumerate(self._party_lists):
            for p in dict.fromkeys(ps):
                rels.setdefault(p, []).append(n)
        return rels

    @functools.cached_property
    def _graph(self) -> nx.Graph:
        import networkx as nx

        G = nx.Graph()
        G.add_nodes_from(self.places)
        G.add_edges_from(pair for ps in self._party_lists for pair in _pairs(ps))
        return G

    @functools.cached_property
    def _names(self) -> Mapping[str, Sequence[str]]:
        index = getattr(self.places, "folded_names", None)  # a lazy table stores them
        return index() if index is not None else folded_name_index(self.places.values())

    def graph(self) -> nx.Graph:
        """Every place as a node, an edge between any two partners (built once, then cached: do not modify)."""
        return self._graph

    def partners(self, iri: str) -> set[str]:
        """The distinct partners of a place (through any relation)."""
        return set(self._adjacency.get(iri, ()))

    def degree(self, iri: str) -> int:
        """Number of distinct partners of a place."""
        return len(self._adjacency.get(iri, ()))

    def adjacency(self) -> Mapping[str, set[str]]:
        """Each place's distinct partners (places without any are absent): built once, do not modify."""
        return self._adjacency

    def relations_by_place(self) -> Mapping[str, list[Relation]]:
        """Each place's relations (:meth:`relations_of`), looked up when asked for (places without any are absent)."""
        return _RelationsByPlace(self)

    def relations_of(self, iri: str) -> list[Relation]:
        """The relations ``iri`` is a party of, in the order of :attr:`relations`."""
        return [self.relations[n] for n in self._incidence.get(iri, ())]

    def named(self, key: str) -> list[str]:
        """The places one of whose names (label or other names) folds to ``key``
        (:func:`graphkit.relations.labels.fold`), in the order of :attr:`places`."""
        return list(self._names.get(key, ()))

    def name_keys(self) -> Iterable[str]:
        """Every folded name (the keys :meth:`named` knows)."""
        return self._names.keys()

    def place_column(self, name: str) -> list[Any]:
        """The ``name`` attribute of every place (``"country"``, ``"kind"``, ``"label"``, ``"qid"``, ...), in
        the order of :attr:`places`: read without building every :class:`Place` where the model is lazy."""
        column = getattr(self.places, "column", None)
        values = column(name) if column is not None else None
        return values if values is not None else [getattr(p, name) for p in self.places.values()]

    def country_name(self, cc: str) -> str:
        """``Italy`` for ``IT`` (the code itself when the graph has no label)."""
        return self.countries.get(cc, cc) if cc else "unknown country"

    def source_name(self, iri: str) -> str:
        """The short name a source is cited by (``hekman-twincities``)."""
        return _source_name(iri)

    def ego(self, center: str, depth: int) -> tuple[set[str], list[Relation]]:
        """Places within ``depth`` hops of ``center`` and the relations among them: what
        ``networkx.ego_graph(self.graph(), center, radius=depth)`` holds, found breadth-first on the
        partners of each place (the whole graph is not built for it)."""
        adj = self._adjacency
        if center not in adj and center not in self.places:
            import networkx as nx

            raise nx.NodeNotFound(f"Source {center} is not in G")
        members = {center}
        frontier = [center]
        for _ in range(depth):
            nxt = [q for p in frontier for q in adj.get(p, ()) if q not in members]
            members.update(nxt)
            frontier = nxt
            if not frontier:
                break
        lists = self._party_lists
        found = sorted({n for m in members for n in self._incidence.get(m, ())})
        return members, [self.relations[n] for n in found if all(p in members for p in lists[n])]

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
