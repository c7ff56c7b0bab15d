"""Places in our graph, from the read model (:mod:`graphkit.relations.read`), as reconciliation
queries and as index entries.

>>> from graphkit.store.open import open_graph
>>> places = read_graph_places(open_graph(["data/seed/assisi-koya.ttl"]))
>>> koya = next(p for p in places if p.iri.endswith("/Q1346907"))
>>> koya.kind, koya.country, koya.qid, sorted(koya.partner_qids)
('municipality', 'JP', 'Q1346907', ['Q20103'])
"""

from __future__ import annotations

from dataclasses import dataclass

from graphkit.relations.model import OTHER_KIND
from graphkit.relations.read import Place, RelationData, read_relations
from graphkit.store.embedded import Store
from graphkit.wikidata.gazetteer import ADMIN, COUNTRY, MUNICIPALITY, PlaceEntry
from graphkit.wikidata.reconcile import PlaceQuery


@dataclass(frozen=True)
class GraphPlace:
    """A place node of our graph with what reconciliation needs."""

    iri: str
    kind: str
    names: tuple[tuple[str, str], ...]
    country: str | None
    lat: float | None
    lon: float | None
    qid: str | None
    partner_qids: frozenset[str]
    partner_names: frozenset[str]

    @property
    def label(self) -> str:
        for lang in ("en", "it", ""):
            for n, lg in self.names:
                if lg == lang:
                    return n
        return self.names[0][0] if self.names else self.iri

    def as_query(self) -> PlaceQuery:
        return PlaceQuery(
            names=tuple(n for n, _ in self.names),
            country=self.country,
            kind=self.kind,
            lat=self.lat,
            lon=self.lon,
            partner_qids=self.partner_qids,
            partner_names=self.partner_names,
        )

    def as_entry(self) -> PlaceEntry:
        return PlaceEntry(
            key=self.iri,
            names=self.names,
            country=self.country,
            kinds=frozenset({self.kind}),
            lat=self.lat,
            lon=self.lon,
            partners=self.partner_qids,
            qid=self.qid,
        )


def _kind(place: Place) -> str:
    return MUNICIPALITY if place.kind == "municipality" else COUNTRY if place.kind == "country" else ADMIN


def graph_places(data: RelationData) -> list[GraphPlace]:
    """The places of a read model that have a place class (:func:`graphkit.relations.read.read_relations`
    with ``every_place=True`` for every area and country), with their partners' QIDs and labels."""
    out = []
    for iri in sorted(data.places):
        place = data.places[iri]
        if place.kind == OTHER_KIND:
            continue
        partners = [data.places[p] for p in data.partners(iri)]
        out.append(
            GraphPlace(
                iri=iri,
                kind=_kind(place),
                names=tuple(sorted({*place.labels, *place.alt_labels}, key=lambda x: (x[1] != "en", x[1], x[0]))),
                country=place.country or None,
                lat=place.lat,
                lon=place.lon,
                qid=place.qid or None,
                partner_qids=frozenset(p.qid for p in partners if p.qid),
                partner_names=frozenset(text for p in partners for text, _ in p.labels),
            )
        )
    return out


def read_graph_places(store: Store) -> list[GraphPlace]:
    """Every municipality, administrative area and country in the graph, sorted by IRI."""
    return graph_places(read_relations(store, every_place=True))
