"""The municipal network read from the graph: places (municipalities and other parties) and relations.

One pass of small SPARQL queries (one per attribute, joined here) reads everything the
municipal views need; :class:`MunicipalNetwork` then answers ego, country-pair and whole-world
questions in memory. Works unchanged on the seed and on the world graph (~17k places).

>>> from graphkit.store.open import open_graph
>>> net = read_network(open_graph(["data/seed/assisi-koya.ttl", "ontology/vocab.ttl"]))
>>> net.places[str(place_iri(qid="Q20103"))].label, net.places[str(place_iri(qid="Q20103"))].country
('Assisi', 'IT')
>>> [r.type_labels for r in net.relations]
[('memorandum of understanding',)]
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

import pyoxigraph as ox
from rdflib import Literal

from graphkit.rdf.namespaces import PREFIXES, place_iri  # noqa: F401  (place_iri is used in the doctest)
from graphkit.sparql.results import as_select
from graphkit.store.embedded import EmbeddedStore, Store
from graphkit.viz.safejson import clean_text, fold

# Kinds of place, most specific first (the first class a place has wins).
PLACE_KINDS: tuple[tuple[str, str], ...] = (
    ("Municipality", "municipality"),
    ("Prefecture", "prefecture"),
    ("Province", "province"),
    ("Region", "region"),
    ("District", "district"),
    ("AdministrativeArea", "administrative area"),
    ("Country", "country"),
)

_Q_PLACES = """
SELECT DISTINCT ?place WHERE {
  { ?place a gk:Municipality } UNION { ?rel a gk:MunicipalRelation ; gk:party ?place }
}"""
_Q_PLACE_TYPES = """
SELECT ?place ?t WHERE {
  VALUES ?t { gk:Municipality gk:Prefecture gk:Province gk:Region gk:District gk:AdministrativeArea gk:Country }
  ?place a ?t .
}"""
_Q_PLACE_LABELS = """
SELECT ?place ?label WHERE {
  VALUES ?t { gk:Municipality gk:Prefecture gk:Province gk:Region gk:District gk:AdministrativeArea gk:Country }
  ?place a ?t ; rdfs:label ?label .
}"""
_Q_PLACE_ALT = """
SELECT ?place ?label WHERE { ?place a gk:Municipality ; skos:altLabel ?label . }"""
_Q_PLACE_COUNTRY = "SELECT ?place ?cc WHERE { ?place gk:country ?c . ?c gk:countryCode ?cc . }"
_Q_PLACE_COORDS = "SELECT ?place ?lat ?long WHERE { ?place wgs84:lat ?lat ; wgs84:long ?long . }"
_Q_PLACE_POP = "SELECT ?place ?pop WHERE { ?place a gk:Municipality ; gk:population ?pop . }"
_Q_PLACE_SOURCES = "SELECT ?place ?src WHERE { ?place a gk:Municipality ; prov:wasDerivedFrom ?src . }"
_Q_COUNTRIES = "SELECT ?cc ?label WHERE { ?c a gk:Country ; gk:countryCode ?cc ; rdfs:label ?label . }"
_Q_SOURCE_TITLES = "SELECT ?src ?title WHERE { ?src a gk:SourceDocument ; dct:title ?title . }"
_Q_CONCEPT_LABELS = "SELECT ?c ?label WHERE { ?c a skos:Concept ; skos:prefLabel ?label . }"
_Q_REL_PARTIES = "SELECT ?rel ?party WHERE { ?rel a gk:MunicipalRelation ; gk:party ?party . }"
_Q_REL_ATTRS = """
SELECT ?rel ?what ?value WHERE {
  VALUES (?p ?what) {
    (gk:relationType "type") (gk:status "status") (gk:startDate "start") (gk:endDate "end")
    (prov:wasDerivedFrom "source") (gk:listedBy "listedBy") (rdfs:label "label")
  }
  ?rel a gk:MunicipalRelation ; ?p ?value .
}"""


class Text(tuple):
    """A term as ``(text, language)``: the lexical form (or IRI) and the language tag ('' when none)."""

    __slots__ = ()

    def __new__(cls, text: str, lang: str = "") -> Text:
        return tuple.__new__(cls, (text, lang))

    def __str__(self) -> str:
        return self[0]


def select(store: Store, sparql: str) -> list[tuple[str | Text | None, ...]]:
    """Rows of a SELECT as plain cells: a ``str`` for an IRI or an untagged literal, a :class:`Text`
    for a language-tagged literal. On the embedded store this skips building rdflib terms (the
    world graph has ~500k cells to read, and rdflib's term constructors would dominate)."""
    if isinstance(store, EmbeddedStore):
        named = ox.NamedNode
        result = store.oxigraph.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES)
        return [
            tuple(
                None if t is None else t.value if type(t) is named or not t.language else Text(t.value, t.language)
                for t in sol
            )
            for sol in cast(ox.QuerySolutions, result)
        ]
    return [
        tuple(None if t is None else Text(str(t), t.language) if getattr(t, "language", None) else str(t) for t in row)  # type: ignore[attr-defined]
        for row in as_select(store.query(sparql)).rows
    ]


@dataclass(frozen=True)
class Place:
    """A municipality (or another party of a relation: a region, a prefecture, ...)."""

    iri: str
    label: str
    kind: str
    country: str = ""
    lat: float | None = None
    long: float | None = None
    population: int | None = None
    names: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # short names (local part of the source IRI)


@dataclass(frozen=True)
class Relation:
    """A municipal relation between ``parties`` (sorted IRIs), with its type, status, dates and sources."""

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

    @functools.cached_property
    def type_key(self) -> str:
        """The relation type shown and filtered on: the most specific known type (not the generic one)."""
        specific = [t for t in self.types if not t.endswith("/partnership")]
        return sorted(specific)[0] if specific else (sorted(self.types)[0] if self.types else "")

    def pairs(self) -> list[tuple[str, str]]:
        """The party pairs this relation links (one pair for the usual two parties)."""
        ps = self.parties
        return [(ps[i], ps[j]) for i in range(len(ps)) for j in range(i + 1, len(ps))]


@dataclass
class MunicipalNetwork:
    """Places and relations, with in-memory adjacency for ego and country views."""

    places: dict[str, Place]
    relations: list[Relation]
    countries: dict[str, str]
    concept_labels: dict[str, str] = field(default_factory=dict)
    #: Full titles of the sources, by the short name tooltips cite them with (``hekman-twincities``).
    source_titles: dict[str, str] = field(default_factory=dict)
    _adjacency: dict[str, set[str]] | None = field(default=None, repr=False)

    def adjacency(self) -> dict[str, set[str]]:
        """Partners of each place (through any relation)."""
        if self._adjacency is None:
            adj: dict[str, set[str]] = defaultdict(set)
            for r in self.relations:
                for a, b in r.pairs():
                    adj[a].add(b)
                    adj[b].add(a)
            self._adjacency = adj
        return self._adjacency

    def degree(self, iri: str) -> int:
        """Number of distinct partners of a place."""
        return len(self.adjacency().get(iri, ()))

    def country_name(self, cc: str) -> str:
        """``Italy`` for ``IT`` (the code itself when the graph has no label)."""
        return self.countries.get(cc, cc) if cc else "unknown country"

    def ego(self, center: str, depth: int) -> tuple[set[str], list[Relation]]:
        """Places within ``depth`` hops of ``center`` and the relations among them."""
        adj = self.adjacency()
        seen = {center}
        frontier = [center]
        for _ in range(depth):
            nxt = []
            for p in frontier:
                for q in sorted(adj.get(p, ())):
                    if q not in seen:
                        seen.add(q)
                        nxt.append(q)
            frontier = nxt
        return seen, [r for r in self.relations if all(p in seen for p in r.parties)]

    def between_countries(self, a: str, b: str) -> list[Relation]:
        """Relations with a party in country ``a`` and another in country ``b``."""
        out = []
        for r in self.relations:
            for x, y in r.pairs():
                cx, cy = self.places[x].country, self.places[y].country
                if {cx, cy} == {a, b} and (a != b or cx == cy == a):
                    out.append(r)
                    break
        return out


def read_network(store: Store) -> MunicipalNetwork:
    """Read every municipality, relation party and relation (with labels, countries, coordinates)."""
    places = {str(r[0]) for r in select(store, _Q_PLACES)}
    kinds = _place_kinds(store, places)
    labels: dict[str, list[str | Text | None]] = defaultdict(list)
    for p, label in select(store, _Q_PLACE_LABELS):
        labels[str(p)].append(label)
    alts: dict[str, list[str]] = defaultdict(list)
    for p, label in select(store, _Q_PLACE_ALT):
        alts[str(p)].append(str(label))
    country = _first_values(select(store, _Q_PLACE_COUNTRY))
    coords: dict[str, tuple[float, float]] = {}
    for p, lat, long in select(store, _Q_PLACE_COORDS):
        try:
            coords.setdefault(str(p), (float(str(lat)), float(str(long))))
        except ValueError:
            continue
    population = _first_values(select(store, _Q_PLACE_POP))
    source_titles = source_title_map(store)
    place_sources: dict[str, set[str]] = defaultdict(set)
    for p, src in select(store, _Q_PLACE_SOURCES):
        place_sources[str(p)].add(_local_name(str(src)))

    out: dict[str, Place] = {}
    for iri in sorted(places):
        lat_long = coords.get(iri)
        names = sorted({clean_text(str(x)) for x in labels.get(iri, [])} | {clean_text(x) for x in alts.get(iri, [])})
        pop = population.get(iri)
        out[iri] = Place(
            iri=iri,
            label=best_label(labels.get(iri, []), fallback=iri),
            kind=kinds.get(iri, "place"),
            country=str(country.get(iri, "")).upper(),
            lat=lat_long[0] if lat_long else None,
            long=lat_long[1] if lat_long else None,
            population=_as_int(pop),
            names=tuple(names),
            sources=tuple(sorted(place_sources.get(iri, ()))),
        )
    countries = _country_names(store)
    concepts = concept_label_map(store)
    net = MunicipalNetwork(out, _read_relations(store, out, concepts), countries, concepts)
    net.source_titles = {_local_name(s): t for s, t in source_titles.items()}
    return net


def _read_relations(store: Store, places: dict[str, Place], concepts: dict[str, str]) -> list[Relation]:
    parties: dict[str, set[str]] = defaultdict(set)
    for rel, party in select(store, _Q_REL_PARTIES):
        parties[str(rel)].add(str(party))
    attrs: dict[str, dict[str, list[object]]] = defaultdict(lambda: defaultdict(list))
    for rel, what, value in select(store, _Q_REL_ATTRS):
        attrs[str(rel)][str(what)].append(value)
    out = []
    for iri in sorted(parties):
        ps = tuple(sorted(p for p in parties[iri] if p in places))
        if len(ps) < 2:
            continue
        a = attrs.get(iri, {})
        types = tuple(sorted({str(t) for t in a.get("type", [])}))
        status = min((str(s) for s in a.get("status", [])), default="")
        out.append(
            Relation(
                iri=iri,
                parties=ps,
                types=types,
                type_labels=tuple(concepts.get(t, _local_name(t)) for t in types),
                status=status,
                status_label=concepts.get(status, _local_name(status)) if status else "",
                start=min((str(v) for v in a.get("start", [])), default=""),
                end=min((str(v) for v in a.get("end", [])), default=""),
                sources=tuple(sorted({_local_name(str(s)) for s in a.get("source", [])})),
                listed_by=tuple(sorted(str(x) for x in a.get("listedBy", []))),
                label=best_label(a.get("label", []), fallback=""),
            )
        )
    return out


def _place_kinds(store: Store, places: Iterable[str]) -> dict[str, str]:
    wanted = set(places)
    rank = {name: i for i, (name, _) in enumerate(PLACE_KINDS)}
    found: dict[str, tuple[int, str]] = {}
    for p, t in select(store, _Q_PLACE_TYPES):
        key = str(p)
        if key not in wanted:
            continue
        local = str(t).rsplit("#", 1)[-1]
        cand = (rank[local], PLACE_KINDS[rank[local]][1])
        if key not in found or cand < found[key]:
            found[key] = cand
    return {k: v[1] for k, v in found.items()}


def _country_names(store: Store) -> dict[str, str]:
    by_code: dict[str, list[str | Text | None]] = defaultdict(list)
    for cc, label in select(store, _Q_COUNTRIES):
        by_code[str(cc).upper()].append(label)
    return {cc: best_label(labels, fallback=cc) for cc, labels in by_code.items()}


def source_title_map(store: Store) -> dict[str, str]:
    """Titles of the source documents, by IRI (English title preferred)."""
    by_src: dict[str, list[str | Text | None]] = defaultdict(list)
    for src, title in select(store, _Q_SOURCE_TITLES):
        by_src[str(src)].append(title)
    return {s: best_label(titles, fallback=_local_name(s)) for s, titles in by_src.items()}


def concept_label_map(store: Store) -> dict[str, str]:
    """English preferred labels of the SKOS concepts (relation types, statuses, sectors, ...)."""
    by_concept: dict[str, list[str | Text | None]] = defaultdict(list)
    for c, label in select(store, _Q_CONCEPT_LABELS):
        by_concept[str(c)].append(label)
    return {c: best_label(labels, fallback=_local_name(c)) for c, labels in by_concept.items()}


def best_label(labels: Iterable[object], *, fallback: str) -> str:
    """The English label, else an untagged one, else the first by language then text; cleaned as text.

    Takes rdflib literals or :class:`Text` cells.

    >>> best_label([Literal("Koya", lang="it"), Literal("Kōya", lang="en")], fallback="x")
    'Kōya'
    >>> best_label([Text("Roma", "it"), Text("Rome", "")], fallback="x")
    'Rome'
    >>> best_label([], fallback="https://w3id.org/graphkit/id/place/jp/koya")
    'koya'
    """
    items = [_text_lang(x) for x in labels if x is not None]
    if not items:
        return clean_text(_local_name(fallback)) if fallback else ""

    def rank(item: tuple[str, str]) -> tuple[int, str, str]:
        text, lang = item
        lang = lang.lower()
        return (0 if lang in ("en", "en-gb", "en-us") else 1 if not lang else 2, lang, text)

    return clean_text(min(items, key=rank)[0])


def _text_lang(x: object) -> tuple[str, str]:
    if isinstance(x, Text):
        return x[0], x[1]
    if isinstance(x, Literal):
        return str(x), x.language or ""
    return str(x), ""


_fold = functools.lru_cache(maxsize=1 << 16)(fold)


def search_key(place: Place) -> str:
    """Folded names of a place, separated by ``|``, for the page's search box."""
    keys = dict.fromkeys(_fold(n) for n in (place.label, *place.names) if n)
    return "|".join(keys)


def _first_values(rows: Iterable[tuple[object, ...]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for p, v in rows:
        key = str(p)
        if key not in out or str(v) < str(out[key]):
            out[key] = v
    return out


def _as_int(value: object) -> int | None:
    if value is None:
        return None
    try:
        return int(str(value))
    except ValueError:
        return None


def _local_name(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
