"""QIDs for the places of the Wikipedia lists from the Wikidata P190 crawl: the two graphs of the same
relations are matched by their shape (:mod:`graphkit.ingest.qids`) in three passes, each counted in
the ledger: anchors and propagation; Italian-only duplicates of matched places; names unique on
both sides whose partners share a country."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from graphkit.ingest.countries import fold
from graphkit.ingest.gazetteers import GazetteerEntry
from graphkit.ingest.geonames import candidates, place_names
from graphkit.ingest.ledger import Ledger
from graphkit.ingest.mentions import Assertion
from graphkit.ingest.model import Place, UnionFind
from graphkit.ingest.qids import match_by_structure, match_by_unique_name
from graphkit.places.gazetteer import Gazetteer
from graphkit.places.geodesy import KM_PER_DEGREE_LAT, haversine_km


@dataclass
class Crawl:
    """The Wikidata P190 crawl as a graph: neighbours, folded names and known countries per QID.

    ``labels`` are the crawl's own labels (mostly German); ``names`` add the QID gazetteers' names.
    """

    statements: list[tuple[str, str, int]]
    adj: dict[str, set[str]]
    names: dict[str, set[str]]
    iso: dict[str, str]
    labels: dict[str, str]


def crawl_graph(statements: list[tuple[str, str, int]], labels: dict[str, str], entries: list[GazetteerEntry]) -> Crawl:
    """The P190 graph of ``statements`` ``(QID, QID, line)``, named by ``labels`` and the gazetteers."""
    adj: dict[str, set[str]] = defaultdict(set)
    for s, d, _ in statements:
        adj[s].add(d)
        adj[d].add(s)
    names: dict[str, set[str]] = defaultdict(set)
    for q, n in labels.items():
        if fold(n):
            names[q].add(fold(n))
    iso: dict[str, str] = {}
    for e in entries:
        names[e.qid] |= e.match_names
        iso.setdefault(e.qid, e.iso)
    return Crawl(statements, adj, names, iso, labels)


def match_crawl(
    places: dict[int, Place],
    uf: UnionFind,
    assertions: list[Assertion],
    owner: dict[int, int],
    crawl: Crawl,
    fixed: dict[int, str],
    ledger: Ledger,
    gazetteer: Gazetteer | None = None,
) -> dict[int, str]:
    """Place id → QID for the places the crawl identifies (besides the ``fixed`` ones); with a
    ``gazetteer``, no match whose names it knows as places far apart (:func:`named_apart`)."""
    adjacency: dict[int, set[int]] = defaultdict(set)
    for a in assertions:
        pa, pb = owner.get(id(a.lister)), owner.get(id(a.partner))
        if pa is not None and pb is not None:
            ra, rb = uf.find(pa), uf.find(pb)
            if ra != rb:
                adjacency[ra].add(rb)
                adjacency[rb].add(ra)
    roots = [p for p in places.values() if uf.find(p.id) == p.id]
    names_of = {p.id: p.folds() for p in roots}
    iso_of = {p.id: p.iso for p in roots}
    apart = None
    if gazetteer is not None:
        labels_of = {p.id: place_names(p) for p in roots}
        decided: dict[tuple[int, str], bool] = {}  # a pair may come up again in a later round

        def apart(pid: int, qid: str) -> bool:
            if (pid, qid) not in decided:
                vetoed = named_apart(gazetteer, labels_of.get(pid, ()), iso_of.get(pid, ""), crawl.names.get(qid, ()))
                if vetoed:
                    ledger.count("crawl-match-vetoed-names-apart", f"{places[pid].main_label()} ({iso_of[pid]})", qid)
                decided[pid, qid] = vetoed
            return decided[pid, qid]

    found = match_by_structure(adjacency, names_of, iso_of, crawl.adj, crawl.names, crawl.iso, fixed, apart=apart)
    _count(ledger, "qid-from-wikidata-p190-graph", found, places, crawl)
    # Italian-only places may be duplicates of places that already hold the QID: a second, shared pass
    anchors = {**fixed, **found}
    italian_only = {p.id for p in roots if p.id not in anchors and p.sources == {"yuboski-itwiki-gemellaggi"}}
    shared = match_by_structure(
        {p: adjacency[p] for p in italian_only if p in adjacency}
        | {p: adjacency[p] for p in anchors if p in adjacency},
        names_of,
        iso_of,
        crawl.adj,
        crawl.names,
        crawl.iso,
        anchors,
        exclusive=False,
        apart=apart,
    )
    _count(ledger, "qid-from-wikidata-p190-graph-italian-names", shared, places, crawl)
    found.update(shared)
    by_name = _match_unique_names({**fixed, **found}, adjacency, roots, names_of, iso_of, crawl)
    for pid, q in by_name.items():
        if crawl.iso.get(q) and crawl.iso[q] != iso_of[pid]:
            continue
        found[pid] = q
        _count(ledger, "qid-from-unique-name", {pid: q}, places, crawl)
    return found


def _match_unique_names(
    anchors: dict[int, str],
    adjacency: dict[int, set[int]],
    roots: list[Place],
    names_of: dict[int, set[str]],
    iso_of: dict[int, str],
    crawl: Crawl,
) -> dict[int, str]:
    """What is left: names unique on both sides, with a partner country in common."""
    held = set(anchors.values())
    place_of_q = {q: p for p, q in anchors.items()}

    def partner_isos_of_place(pid: int) -> set[str]:
        return {iso_of[n] for n in adjacency.get(pid, ()) if iso_of.get(n)}

    def partner_isos_of_qid(q: str) -> set[str]:
        out = set()
        for n in crawl.adj.get(q, ()):
            iso = iso_of.get(place_of_q[n], "") if n in place_of_q else crawl.iso.get(n, "")
            if iso:
                out.add(iso)
        return out

    left_places = {p.id: names_of[p.id] for p in roots if p.id not in anchors}
    left_qids = {q: crawl.names.get(q, set()) for q in crawl.adj if q not in held}
    return match_by_unique_name(
        left_places, left_qids, lambda pid, q: bool(partner_isos_of_place(pid) & partner_isos_of_qid(q))
    )


def _count(ledger: Ledger, rule: str, matches: dict[int, str], places: dict[int, Place], crawl: Crawl) -> None:
    """Count each match under ``rule`` (the example text made only while the rule collects examples)."""
    for pid, q in matches.items():
        p = places[pid]
        ledger.count_lazy(rule, lambda: (f"{p.main_label()} ({p.iso})", f"{q} {crawl.labels.get(q, '')}"))  # noqa: B023 - called at once


#: Two names whose gazetteer places are all farther apart than this name different places.
APART_KM = 50.0


def named_apart(gazetteer: Gazetteer, names: Iterable[str], iso: str, other_names: Iterable[str]) -> bool:
    """True when the gazetteer knows both ``names`` (in ``iso``, if given) and ``other_names``, and no
    place of the one lies within :data:`APART_KM` of a place of the other ("Samarkand" and "Kairo");
    False when either is unknown to it (nothing is known against the match).

    >>> from graphkit.places.gazetteer import Gazetteer
    >>> gz = Gazetteer.from_records([
    ...     {"geonameid": 1, "name": "Cairo", "latitude": 30.06, "longitude": 31.25, "countrycode": "EG",
    ...      "population": 7734614, "admin1code": "11", "alternatenames": ["Kairo"]},
    ...     {"geonameid": 2, "name": "Samarkand", "latitude": 39.65, "longitude": 66.96, "countrycode": "UZ",
    ...      "population": 319366, "admin1code": "10", "alternatenames": ["Samarqand"]}])
    >>> named_apart(gz, ["Samarkand"], "UZ", ["kairo"]), named_apart(gz, ["Samarkand"], "UZ", ["samarqand"])
    (True, False)
    >>> named_apart(gz, ["Samarkand"], "UZ", ["somewhere else"])
    False
    """
    mine = candidates(gazetteer, names, iso)
    if not mine:
        return False
    theirs = candidates(gazetteer, other_names)
    if not theirs:
        return False
    max_dlat = APART_KM / KM_PER_DEGREE_LAT
    return not any(
        abs(a.lat - b.lat) <= max_dlat and haversine_km(a.lat, a.lon, b.lat, b.lon) <= APART_KM
        for a in mine
        for b in theirs
    )
