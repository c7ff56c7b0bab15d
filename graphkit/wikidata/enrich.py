"""Enrich linked municipalities from Wikidata: coordinates, population, administrative parents, labels
(it/en/ja), official website, ISTAT code (P635), Japanese local-government code (P429).

One batched ``VALUES`` query per chunk of items (never one request per city). Every fact added is
sourced: besides the triple itself, a reified ``rdf:Statement`` carries ``prov:wasDerivedFrom``
``gkid:source/wikidata`` and ``gk:retrieved`` (the date the Query Service answered, kept in the cache).
A value the graph already has is not overwritten (single-valued properties stay single): a different
value is reported as a difference instead.

>>> parse_wkt_point("Point(12.6175 43.07)")
(43.07, 12.6175)
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rdfns
from rdflib.namespace import FOAF, PROV, RDF, RDFS
from rdflib.term import Node

from graphkit.rdf.namespaces import GK, ID, PREFIXES, WGS84, place_iri, wikidata_iri
from graphkit.store.embedded import Store
from graphkit.wikidata.client import SparqlResponse, WikidataClient
from graphkit.wikidata.graphplaces import read_graph_places

#: Facts about the items, one row per value (the statement's rank and P585 date where they apply).
ENRICH_QUERY = """
SELECT ?item ?prop ?value ?lang ?rank ?when WHERE {
  {
    ?item p:P625 ?st . ?st ps:P625 ?value . BIND("P625" AS ?prop)
    OPTIONAL { ?st wikibase:rank ?rank }
  } UNION {
    ?item p:P1082 ?st . ?st ps:P1082 ?value . BIND("P1082" AS ?prop)
    OPTIONAL { ?st wikibase:rank ?rank } OPTIONAL { ?st pq:P585 ?when }
  } UNION {
    ?item p:P131 ?st . ?st ps:P131 ?value . BIND("P131" AS ?prop)
    FILTER NOT EXISTS { ?st pq:P582 ?ended }
    OPTIONAL { ?st wikibase:rank ?rank }
  } UNION {
    ?item p:P856 ?st . ?st ps:P856 ?value . BIND("P856" AS ?prop)
    OPTIONAL { ?st wikibase:rank ?rank }
  } UNION {
    ?item p:P635 ?st . ?st ps:P635 ?value . BIND("P635" AS ?prop)
    OPTIONAL { ?st wikibase:rank ?rank }
  } UNION {
    ?item p:P429 ?st . ?st ps:P429 ?value . BIND("P429" AS ?prop)
    OPTIONAL { ?st wikibase:rank ?rank }
  } UNION {
    ?item rdfs:label ?value . BIND(LANG(?value) AS ?lang) FILTER(?lang IN ("it", "en", "ja"))
    BIND("label" AS ?prop)
  }
  FILTER(!BOUND(?rank) || ?rank != wikibase:DeprecatedRank)
}
"""
#: Labels (it/en/ja) of administrative parents.
LABELS_QUERY = """
SELECT ?item ?value ?lang WHERE {
  ?item rdfs:label ?value . BIND(LANG(?value) AS ?lang) FILTER(?lang IN ("it", "en", "ja"))
}
"""
_WKT = re.compile(r"^\s*(?:<[^>]*>\s*)?Point\s*\(\s*([-+0-9.eE]+)\s+([-+0-9.eE]+)\s*\)\s*$", re.IGNORECASE)
_PREFERRED = "PreferredRank"


def parse_wkt_point(wkt: str) -> tuple[float, float] | None:
    """(lat, long) of a WKT ``Point(long lat)`` (the order WDQS uses), or None."""
    m = _WKT.match(wkt or "")
    if not m:
        return None
    lon, lat = float(m.group(1)), float(m.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


@dataclass
class EnrichmentResult:
    """The enrichment graph and what happened."""

    graph: Graph
    items: int = 0
    added: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    kept_existing: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    differences: list[str] = field(default_factory=list)
    retrieved: date | None = None

    def summary(self) -> str:
        lines = [f"Enriched {self.items} linked municipalities from Wikidata (retrieved {self.retrieved})."]
        lines += [f"  added {k}: {v}" for k, v in sorted(self.added.items())]
        lines += [f"  kept our existing {k}: {v}" for k, v in sorted(self.kept_existing.items())]
        if self.differences:
            lines.append(f"  {len(self.differences)} value(s) differ from Wikidata, e.g. {self.differences[0]}")
        return "\n".join(lines) + "\n"


def enrich_graph(store: Store, client: WikidataClient, *, chunk_size: int = 150) -> EnrichmentResult:
    """Fetch facts for every linked municipality of ``store`` and return them as a sourced graph."""
    places = [p for p in read_graph_places(store) if p.kind == "municipality" and p.qid]
    by_qid: dict[str, list[str]] = defaultdict(list)
    for p in places:
        by_qid[p.qid].append(p.iri)  # type: ignore[index]
    existing = _existing_values(store)
    responses = client.select_values(ENRICH_QUERY, "item", [wikidata_iri(q) for q in by_qid], chunk_size=chunk_size)
    facts: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    retrieved = _retrieved(responses)
    when: dict[str, date] = {}  # each item's facts carry the date of the response that gave them (cache-aware)
    for r in responses:
        for row in r.rows():
            facts[_qid(row["item"])][row["prop"]].append(row)
            when[_qid(row["item"])] = r.retrieved.date()
    result = EnrichmentResult(_new_graph(), items=len(by_qid), retrieved=retrieved)
    parents: set[str] = set()
    for qid in sorted(facts):
        for place in by_qid.get(qid, []):
            _add_place_facts(result, URIRef(place), facts[qid], existing.get(place, {}), parents, when[qid])
    new_parents = sorted(q for q in parents if not existing.get(str(place_iri(qid=q))))
    if new_parents:
        label_responses = client.select_values(
            LABELS_QUERY, "item", [wikidata_iri(q) for q in new_parents], chunk_size=chunk_size
        )
        label_rows = [row for r in label_responses for row in r.rows()]
        _add_parents(result, new_parents, label_rows, _retrieved(label_responses))
    return result


def _retrieved(responses: Iterable[SparqlResponse]) -> date:
    dates = [r.retrieved.date() for r in responses]
    return min(dates) if dates else date.today()


def _add_place_facts(
    result: EnrichmentResult,
    place: URIRef,
    facts: dict[str, list[dict[str, str]]],
    existing: dict[str, set[str]],
    parents: set[str],
    retrieved: date,
) -> None:
    def add(kind: str, pred: URIRef, obj: Node, single: bool = True) -> None:
        have = existing.get(str(pred), set())
        if single and have:
            result.kept_existing[kind] += 1
            if not any(_same_value(v, str(obj), kind) for v in have):
                result.differences.append(f"{place} {kind}: ours {sorted(have)[0]}, Wikidata {obj}")
            return
        if str(obj) in have:
            return
        _sourced(result.graph, place, pred, obj, retrieved)
        result.added[kind] += 1

    coords = [c for c in (parse_wkt_point(r["value"]) for r in _best(facts.get("P625", []))) if c is not None]
    if coords:
        lat, lon = coords[0]
        add("coordinates", WGS84.lat, Literal(Decimal(f"{lat:.6f}"), datatype=rdfns.XSD.decimal))
        add("coordinates", WGS84.long, Literal(Decimal(f"{lon:.6f}"), datatype=rdfns.XSD.decimal))
    pop = _population(facts.get("P1082", []))
    if pop is not None:
        add("population", GK.population, Literal(pop, datatype=rdfns.XSD.integer))
    for r in _best(facts.get("P131", [])):
        q = _qid(r["value"])
        parents.add(q)
        add("administrative parent", GK.locatedIn, place_iri(qid=q), single=False)
    for r in _best(facts.get("P856", []))[:1]:
        if re.match(r"^https?://[^\s<>\"{}|\\^`]+$", r["value"]):
            add("official website", FOAF.homepage, URIRef(r["value"]))
    for r in _best(facts.get("P635", []))[:1]:
        add("ISTAT code", GK.istatCode, Literal(r["value"]))
    for r in _best(facts.get("P429", []))[:1]:
        add("Japanese local government code", GK.japaneseLocalGovernmentCode, Literal(r["value"]))
    have_langs = existing.get("label-langs", set())
    for r in sorted(facts.get("label", []), key=lambda r: (r.get("lang", ""), r["value"])):
        lang = r.get("lang") or ""
        if lang and lang not in have_langs:
            _sourced(result.graph, place, RDFS.label, Literal(r["value"], lang=lang), retrieved)
            result.added[f"label @{lang}"] += 1
            have_langs = have_langs | {lang}


def _same_value(ours: str, theirs: str, kind: str) -> bool:
    """Equal, or for coordinates within 0.01° (about 1 km: sources round differently)."""
    if kind == "coordinates":
        try:
            return abs(float(ours) - float(theirs)) <= 0.01
        except ValueError:
            return False
    return ours == theirs


def _best(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Preferred-rank values if any, else all (sorted for a stable output)."""
    preferred = [r for r in rows if (r.get("rank") or "").endswith(_PREFERRED)]
    return sorted(preferred or rows, key=lambda r: r["value"])


def _population(rows: list[dict[str, str]]) -> int | None:
    """The preferred value, else the most recent (P585), else the largest."""
    values = []
    for r in rows:
        try:
            n = int(Decimal(r["value"]))
        except (InvalidOperation, ValueError):
            continue
        values.append(((r.get("rank") or "").endswith(_PREFERRED), r.get("when") or "", n))
    return max(values)[2] if values else None


def _add_parents(result: EnrichmentResult, qids: list[str], rows: list[dict[str, str]], retrieved: date) -> None:
    """Parents not yet in the graph: an administrative area with its QID and labels (sourced)."""
    labelled: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in rows:
        labelled[_qid(row["item"])].append((row["value"], row.get("lang") or ""))
    for q in qids:
        node = place_iri(qid=q)
        g = result.graph
        g.add((node, RDF.type, GK.AdministrativeArea))
        g.add((node, GK.wikidata, wikidata_iri(q)))
        g.add((node, PROV.wasDerivedFrom, ID["source/wikidata"]))
        for value, lang in sorted(set(labelled.get(q, []))) or [(q, "")]:
            _sourced(g, node, RDFS.label, Literal(value, lang=lang or None), retrieved)
        result.added["administrative area"] += 1


def _sourced(g: Graph, s: URIRef, p: URIRef, o: Node, retrieved: date) -> None:
    g.add((s, p, o))
    digest = hashlib.sha1(f"{s}|{p}|{o!r}".encode()).hexdigest()[:16]
    st = ID[f"statement/wikidata/{digest}"]
    g.add((st, RDF.type, RDF.Statement))
    g.add((st, RDF.subject, s))
    g.add((st, RDF.predicate, p))
    g.add((st, RDF.object, o))
    g.add((st, PROV.wasDerivedFrom, ID["source/wikidata"]))
    g.add((st, GK.retrieved, Literal(retrieved.isoformat(), datatype=rdfns.XSD.date)))


def _existing_values(store: Store) -> dict[str, dict[str, set[str]]]:
    """For each place: predicate → values it already has (and the languages of its labels)."""
    from graphkit.relations.model import place_class_values

    q = f"""SELECT ?place ?p ?o WHERE {{
      ?place a ?class . {place_class_values(exclude=("Country", "District"))}
      ?place ?p ?o .
      VALUES ?p {{ wgs84:lat wgs84:long gk:population gk:locatedIn foaf:homepage gk:istatCode
                  gk:japaneseLocalGovernmentCode rdfs:label gk:wikidata }}
    }}"""
    r = store.select(q)
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for place, p, o in r.rows:
        d = out[str(place)]
        d[str(p)].add(str(o))
        lang = getattr(o, "language", None)
        if p == RDFS.label and lang:
            d["label-langs"].add(str(lang))
    return out


def _new_graph() -> Graph:
    g = Graph()
    for prefix in ("gk", "gkid", "wd", "prov", "rdfs", "xsd", "wgs84", "foaf"):
        g.bind(prefix, PREFIXES[prefix])
    return g


def _qid(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def run_enrichment(store: Store, client: WikidataClient, output: str | Path) -> EnrichmentResult:
    """Enrich and write the sourced facts as Turtle to ``output`` (``graphkit wikidata enrich``)."""
    from graphkit.rdf.files import write_text_atomic

    result = enrich_graph(store, client)
    write_text_atomic(output, result.graph.serialize(format="turtle"))
    return result
