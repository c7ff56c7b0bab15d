"""The municipality in the network: partners, rank in its country, the analysis written back, and
the places it shares partners with.

Degree and rank come from the read model (every municipality of the country ranked by its number
of partners; ties share a rank). Community and betweenness are what ``graphkit analyze
--write-back`` stored in the named graph ``graph/analysis/network`` (none when it was not run).

>>> from graphkit.relations.model import Place, Relation, RelationData
>>> ps = {i: Place(i, i.upper(), "municipality", "IT") for i in "abcd"}
>>> rels = tuple(Relation(f"r{x}{y}", (x, y)) for x, y in ("ab", "ac", "db", "dc", "da"))
>>> net = NetworkIndex.of(RelationData(ps, rels, countries={"IT": "Italy"}))
>>> net.rank_in_country("a"), net.rank_in_country("b"), sorted(net.partners("a"))
((1, 4), (3, 4), ['b', 'c', 'd'])
>>> [(s.place.label, s.shared, s.is_partner) for s in shared_partners(net, "a")]
[('D', ('B', 'C'), True)]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import Literal, URIRef

from graphkit.dossier.model import NetworkFigures, PlaceRef, SharedPartners
from graphkit.relations.model import Relation, RelationData
from graphkit.store.embedded import Store

_Q_ANALYSIS = """
SELECT ?betweenness ?community WHERE {
  OPTIONAL { ?place gk:betweenness ?betweenness }
  OPTIONAL { ?place gk:community ?community }
}"""
_Q_COMMUNITY_SIZE = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p gk:community ?community }"
#: How many places sharing partners the dossier lists.
SHARED_LIMIT = 15


@dataclass(frozen=True)
class NetworkIndex:
    """The read model with what dossiers look up many times, built once: each place's relations and
    partners (plain dicts: no networkx graph of the whole world for one page), and the number of
    partners of every municipality of each country, sorted (for ranks)."""

    data: RelationData
    relations: Mapping[str, list[Relation]]
    adjacency: Mapping[str, set[str]]
    country_degrees: Mapping[tuple[str, str], list[int]]  # (country, kind) -> degrees

    @classmethod
    def of(cls, data: RelationData) -> NetworkIndex:
        adj = data.adjacency()  # from the parties alone: no relation decoded from the read model's cache
        degrees: dict[tuple[str, str], list[int]] = defaultdict(list)
        countries, kinds = data.place_column("country"), data.place_column("kind")
        for iri, country, kind in zip(data.places, countries, kinds, strict=True):
            if country:
                degrees[(country, kind)].append(len(adj.get(iri, ())))
        return cls(data, data.relations_by_place(), adj, dict(degrees))

    def partners(self, iri: str) -> set[str]:
        """The distinct partners of a place (do not modify the set)."""
        return self.adjacency.get(iri, set())

    def degree(self, iri: str) -> int:
        """Number of distinct partners of a place."""
        return len(self.adjacency.get(iri, ()))

    def rank_in_country(self, iri: str) -> tuple[int | None, int]:
        """``(rank, places)``: the place's rank by number of partners among its country's places of the
        same kind (1 = most partners; ties share the better rank), and how many there are."""
        place = self.data.places[iri]
        if not place.country:
            return None, 0
        degrees = self.country_degrees.get((place.country, place.kind), ())
        mine = self.degree(iri)
        return 1 + sum(1 for d in degrees if d > mine), len(degrees)


def place_ref(net: NetworkIndex, iri: str) -> PlaceRef:
    """A place of the read model as the dossier names it."""
    data = net.data
    p = data.places[iri]
    return PlaceRef(
        iri=iri,
        label=p.label,
        country=p.country,
        country_name=data.country_name(p.country) if p.country else "",
        lat=p.lat,
        lon=p.lon,
        degree=net.degree(iri),
        kind=p.kind,
    )


def figures(net: NetworkIndex, iri: str, store: Store | None = None) -> NetworkFigures:
    """Degree, rank in the country, partners by country, and the written-back analysis when present."""
    data = net.data
    rank, total = net.rank_in_country(iri)
    countries = Counter(data.country_name(data.places[p].country) for p in net.partners(iri))
    community = community_size = None
    betweenness = None
    analysed = False
    if store is not None:
        rows = store.select(_Q_ANALYSIS, bindings={"place": URIRef(iri)}).rows
        for b, c in rows:
            if b is not None:
                betweenness = float(str(b))
                analysed = True
            if c is not None:
                community = int(str(c))
                analysed = True
        if community is not None:
            n = store.select(_Q_COMMUNITY_SIZE, bindings={"community": Literal(community)}).rows
            community_size = int(str(n[0][0])) if n and n[0][0] is not None else None
    return NetworkFigures(
        degree=net.degree(iri),
        rank_in_country=rank,
        places_in_country=total,
        partner_countries=tuple(sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))),
        community=community,
        community_size=community_size,
        betweenness=betweenness,
        analysed=analysed,
    )


def shared_partners(net: NetworkIndex, iri: str, *, limit: int = SHARED_LIMIT) -> tuple[SharedPartners, ...]:
    """Places that share at least two partners with ``iri`` (partners' partners in common), most
    shared first; ``is_partner`` marks those that are partners themselves (a closed triangle)."""
    data = net.data
    mine = net.partners(iri)
    counts: Counter[str] = Counter()
    for p in mine:
        for q in net.partners(p):
            if q != iri:
                counts[q] += 1
    out = []
    for q, n in counts.items():
        if n < 2:
            continue
        shared = tuple(sorted(data.places[p].label for p in mine & net.partners(q)))
        out.append(SharedPartners(place_ref(net, q), shared, q in mine))
    out.sort(key=lambda s: (-len(s.shared), s.place.label, s.place.iri))
    return tuple(out[:limit])
