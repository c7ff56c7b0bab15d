"""Places in our graph, read with SPARQL, as reconciliation queries and as index entries.

>>> from graphkit.store.open import open_graph
>>> places = read_graph_places(open_graph(["data/seed/assisi-koya.ttl"]))
>>> koya = next(p for p in places if p.iri.endswith("/Q1346907"))
>>> koya.kind, koya.country, koya.qid, sorted(koya.partner_qids)
('municipality', 'JP', 'Q1346907', ['Q20103'])
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from graphkit.rdf.namespaces import GK
from graphkit.sparql.results import SelectResult
from graphkit.store.embedded import Store
from graphkit.wikidata.gazetteer import ADMIN, COUNTRY, MUNICIPALITY, PlaceEntry
from graphkit.wikidata.reconcile import PlaceQuery

_PLACES = """
SELECT ?place ?class ?cc ?lat ?long ?wd WHERE {
  ?place a ?class .
  VALUES ?class { gk:Municipality gk:AdministrativeArea gk:Region gk:Province gk:Prefecture gk:District gk:Country }
  OPTIONAL { ?place gk:country/gk:countryCode ?cc1 }
  OPTIONAL { ?place gk:countryCode ?cc2 }
  BIND(COALESCE(?cc1, ?cc2) AS ?cc)
  OPTIONAL { ?place wgs84:lat ?lat ; wgs84:long ?long }
  OPTIONAL { ?place gk:wikidata ?wd }
}
"""
_NAMES = """
SELECT ?place ?name WHERE {
  ?place a ?class .
  VALUES ?class { gk:Municipality gk:AdministrativeArea gk:Region gk:Province gk:Prefecture gk:District gk:Country }
  { ?place rdfs:label ?name } UNION { ?place skos:altLabel ?name }
}
"""
_PARTNERS = """
SELECT ?place ?partner ?name ?wd WHERE {
  ?place gk:partnerOf ?partner .
  OPTIONAL { ?partner rdfs:label ?name }
  OPTIONAL { ?partner gk:wikidata ?wd }
}
"""

_KIND = {
    str(GK.Municipality): MUNICIPALITY,
    str(GK.Country): COUNTRY,
    str(GK.AdministrativeArea): ADMIN,
    str(GK.Region): ADMIN,
    str(GK.Province): ADMIN,
    str(GK.Prefecture): ADMIN,
    str(GK.District): ADMIN,
}


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


def read_graph_places(store: Store) -> list[GraphPlace]:
    """Every municipality, administrative area and country in the graph, sorted by IRI."""
    info: dict[str, dict] = {}
    for r in _rows(store, _PLACES):
        d = info.setdefault(r["place"], {"kinds": set(), "cc": None, "lat": None, "long": None, "wd": None})
        d["kinds"].add(_KIND[r["class"]])
        for k in ("cc", "lat", "long", "wd"):
            if d[k] is None and r.get(k) is not None:
                d[k] = r[k]
    names: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in _rows(store, _NAMES, literal_lang="name"):
        names[r["place"]].append((r["name"], r.get("name@lang") or ""))
    pq: dict[str, set[str]] = defaultdict(set)
    pn: dict[str, set[str]] = defaultdict(set)
    for r in _rows(store, _PARTNERS):
        if r.get("wd"):
            pq[r["place"]].add(_qid(r["wd"]))
        if r.get("name"):
            pn[r["place"]].add(r["name"])
    out = []
    for iri in sorted(info):
        d = info[iri]
        kind = next(k for k in (MUNICIPALITY, ADMIN, COUNTRY) if k in d["kinds"])
        out.append(
            GraphPlace(
                iri=iri,
                kind=kind,
                names=tuple(sorted(set(names.get(iri, [])), key=lambda x: (x[1] != "en", x[1], x[0]))),
                country=d["cc"],
                lat=_float(d["lat"]),
                lon=_float(d["long"]),
                qid=_qid(d["wd"]) if d["wd"] else None,
                partner_qids=frozenset(pq.get(iri, ())),
                partner_names=frozenset(pn.get(iri, ())),
            )
        )
    return out


def _rows(store: Store, sparql: str, literal_lang: str | None = None) -> list[dict[str, str]]:
    result = store.query(sparql)
    assert isinstance(result, SelectResult)
    rows = []
    for row in result.rows:
        d: dict[str, str] = {}
        for var, term in zip(result.variables, row, strict=False):
            if term is None:
                continue
            d[str(var)] = str(term)
            lang = getattr(term, "language", None)
            if var == literal_lang and lang:
                d[f"{var}@lang"] = str(lang)
        rows.append(d)
    return rows


def _qid(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _float(v: str | None) -> float | None:
    try:
        return float(v) if v is not None else None
    except ValueError:
        return None
