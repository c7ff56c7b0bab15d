"""One place, two nodes: the Wikidata crawl's node (the QID and a German label, no country) and the
lists' node of the same name (country and coordinates, no QID) are merged when the evidence says
they are one place (used by :func:`graphkit.ingest.merge.build_world` once the places are located).

The bare name is never enough (Dieppe, Falkenstein, Melle: towns of one name twin each other).
Two kinds of evidence count, and only for a pair that is each node's only such pair:

* **a shared partner** (:func:`shared_partners`): a place both nodes are partners of, among whose
  partners no third place bears the name: Lübben is a partner of the crawl's Neunkirchen (Q6880)
  and of the list's Neunkirchen (DE); Trujillo (Spain) lists the Trujillos of Peru, Venezuela and
  Honduras, so it is no evidence for any of them. Merging a pair can make two partners one node,
  so the rule runs again until nothing changes (partners that are the same place).
* **a name no other place bears, agreed by the gazetteer and the partners** (:func:`unique_name`):
  no other node of the graph bears the name, the two nodes are not partners of each other and
  neither has a partner of that name, and GeoNames either has no place of that name, or has all of
  them in the list node's country, or the list node is the largest of them by
  :data:`DOMINANT_RATIO` (Salta, AR: 520,683 inhabitants; the next "Salta" is Salto, UY, 114,084;
  Tula, RU). A crawl item named like a town no list names stays apart.

The merged node keeps both nodes' labels, coordinates, sources and so every relation; it takes the
QID of the crawl's node and the country of the list's node. Every merge is listed in the quality
report with its evidence (``place-merges``; rules ``crawl-and-list-node-merged-*``).

>>> from graphkit.places.gazetteer import Gazetteer
>>> crawl = Place(0, "", "municipality", "Q6880", qid="Q6880"); crawl.add_label("", "Neunkirchen")
>>> listed = Place(1, "DE", "municipality", "neunkirchen"); listed.add_label("en", "Neunkirchen")
>>> listed.sources.add(hekman.SOURCE_ID)
>>> other = Place(2, "AT", "municipality", "neunkirchen"); other.add_label("en", "Neunkirchen")
>>> lubben = Place(3, "DE", "municipality", "lubben"); lubben.add_label("en", "Lübben")
>>> places = {p.id: p for p in (crawl, listed, other, lubben)}
>>> partners = {0: {3}, 1: {3}, 3: {0, 1}, 2: set()}
>>> led = Ledger()
>>> merge_crawl_and_list_nodes(places, UnionFind(), partners, Gazetteer.from_records([]), led)
1
>>> sorted(places), places[0].qid, places[0].iso, led.facts["place-merges"]
([0, 2, 3], 'Q6880', 'DE', ['Neunkirchen (Q6880) + Neunkirchen (DE) → one node: shared partner Lübben (DE)'])
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from graphkit.ingest import hekman, yuboski
from graphkit.ingest.fold import fold
from graphkit.ingest.geonames import candidates, place_names, sites
from graphkit.ingest.ledger import Ledger
from graphkit.ingest.model import Place, UnionFind, fold_unions
from graphkit.ingest.place_evidence import hints
from graphkit.places.gazetteer import Gazetteer

#: The list node's GeoNames place is "the" place of its name when it has this many times the
#: inhabitants of any other site of that name (Salta AR 520,683 vs Salto UY 114,084).
DOMINANT_RATIO = 4.0
#: Sources whose nodes are "the lists'" (country and coordinates, names in English or Italian).
LIST_SOURCES = frozenset({hekman.SOURCE_ID, yuboski.SOURCE_ID})
#: Rounds of merging at most (a merge can make two partners one node, giving new shared partners).
MAX_ROUNDS = 4


def name_keys(p: Place) -> set[str]:
    """Folded names of a place, with and without their disambiguator ("Belmont (Kalifornien)").

    >>> p = Place(0, "", "municipality", "x"); p.add_label("", "Belmont (Kalifornien)")
    >>> sorted(name_keys(p))
    ['belmont', 'belmont-kalifornien']
    """
    return (p.folds() | {fold(n) for n in place_names(p)}) - {""}


def is_crawl_node(p: Place) -> bool:
    """A municipality of the Wikidata crawl still without a country (QID, no GeoNames match)."""
    return p.kind == "municipality" and bool(p.qid) and not p.iso and p.geonames is None


def is_list_node(p: Place) -> bool:
    """A municipality of the lists with a country and no QID."""
    return p.kind == "municipality" and not p.qid and bool(p.iso) and bool(p.sources & LIST_SOURCES)


def shared_partners(
    c: int, ln: int, keys: set[str], partners: Mapping[int, set[int]], named: Mapping[str, set[int]]
) -> list[int]:
    """The partners ``c`` and ``ln`` share among whose own partners no third place bears one of
    ``keys`` (a partner listing several towns of the name is no evidence for any of them).

    >>> named = {"trujillo": {0, 1, 2}}
    >>> shared_partners(0, 1, {"trujillo"}, {0: {5}, 1: {5}, 5: {0, 1, 2}}, named)
    []
    >>> shared_partners(0, 1, {"trujillo"}, {0: {5}, 1: {5}, 5: {0, 1}}, named)
    [5]
    """
    bearers = set().union(*(named.get(k, set()) for k in keys))
    return sorted(
        y for y in partners.get(c, set()) & partners.get(ln, set()) if partners.get(y, set()) & bearers <= {c, ln}
    )


def unique_name(
    c: Place,
    ln: Place,
    keys: set[str],
    partners: Mapping[int, set[int]],
    named: Mapping[str, set[int]],
    gz: Gazetteer,
    places: Mapping[int, Place],
) -> str:
    """Why ``c`` and ``ln`` are the one place of their name (see the module docstring), or ""."""
    bearers = set().union(*(named.get(k, set()) for k in keys))
    if bearers != {c.id, ln.id} or ln.id in partners.get(c.id, set()):
        return ""
    for pid in (c.id, ln.id):
        if any(q in bearers for q in partners.get(pid, set())):
            return ""
    found = sites(candidates(gz, place_names(c)))
    if not found:
        return "name unique in the graph, in no GeoNames place"
    if all(s[0].country == ln.iso for s in found):
        return f"name unique in the graph, every GeoNames place of it in {ln.iso}"
    if ln.geonames is None:
        return ""
    mine = [s for s in found if any(g.geonames_id == ln.geonames.geonames_id for g in s)]
    others = [s[0].population for s in found if s not in mine]
    if (
        mine
        and mine[0][0].population >= DOMINANT_RATIO * max(others, default=0)
        and _countries_agree(c, ln, partners, places)
    ):
        return f"name unique in the graph, the largest GeoNames place of it ({mine[0][0].population:,} inhabitants)"
    return ""


def merge_crawl_and_list_nodes(
    places: dict[int, Place],
    uf: UnionFind,
    partners: Mapping[int, Iterable[int]],
    gazetteer: Gazetteer,
    ledger: Ledger,
) -> int:
    """Merge each crawl node with the list node of its name when the evidence says they are one
    place (module docstring); ``partners`` are by place id (folded through ``uf`` here). Returns
    how many pairs were merged."""
    merged = 0
    keys_of, named = name_index(places.values())
    for _ in range(MAX_ROUNDS):
        graph = _refolded(partners, uf, places)
        pairs = _decide(places, graph, gazetteer, keys_of, named)
        if not pairs:
            break
        for c, ln, why in pairs:
            rule = "crawl-and-list-node-merged-" + ("shared-partner" if why.startswith("shared") else "unique-name")
            what = f"{c.main_label()} ({c.qid}) + {ln.main_label()} ({ln.iso})"
            ledger.count(rule, what, why)
            ledger.facts.setdefault("place-merges", []).append(f"{what} → one node: {why}")  # type: ignore[attr-defined]
            c.iso = ln.iso
            uf.union(c.id, ln.id)
        fold_unions(places, uf)
        _reindex({i for c, ln, _ in pairs for i in (c.id, ln.id)}, places, keys_of, named)
        merged += len(pairs)
    return merged


def _reindex(
    ids: set[int], places: Mapping[int, Place], keys_of: dict[int, set[str]], named: dict[str, set[int]]
) -> None:
    """Bring :func:`name_index`'s maps up to date for the places ``ids`` (merged: one is gone, the
    other has the names of both)."""
    for i in ids:
        for k in keys_of.pop(i, ()):
            named[k].discard(i)
    for i in ids:
        if i in places:
            keys_of[i] = name_keys(places[i])
            for k in keys_of[i]:
                named[k].add(i)


def _refolded(partners: Mapping[int, Iterable[int]], uf: UnionFind, places: Mapping[int, Place]) -> dict[int, set[int]]:
    """``partners`` with every id replaced by its set's representative (removed places left out)."""
    out: dict[int, set[int]] = defaultdict(set)
    for a, bs in partners.items():
        ra = uf.find(a)
        if ra not in places:
            continue
        for b in bs:
            rb = uf.find(b)
            if rb != ra and rb in places:
                out[ra].add(rb)
    return out


def pair_evidence(
    c: Place,
    ln: Place,
    keys_of: Mapping[int, set[str]],
    partners: Mapping[int, set[int]],
    named: Mapping[str, set[int]],
    gz: Gazetteer,
    places: Mapping[int, Place],
) -> str:
    """Why crawl node ``c`` and list node ``ln`` (sharing a name) are one place, or "" (see the module
    docstring); ``keys_of`` are the places' :func:`name_keys`, ``named`` the places by key."""
    if ln.id in partners.get(c.id, set()):
        return ""
    shared = shared_partners(c.id, ln.id, keys_of[c.id] & keys_of[ln.id], partners, named)
    if shared and (ln.geonames is not None or not candidates(gz, place_names(ln))):
        # (a list node GeoNames knows by name but not in its country has a doubtful country: Mende, LR)
        y = places[shared[0]]
        return f"shared partner {y.main_label()} ({y.iso or y.qid or '?'})"
    if hints(c):  # "Zug, Western Sahara": the label says which one; the lists' Zug may be another
        return ""
    return unique_name(c, ln, keys_of[c.id] | keys_of[ln.id], partners, named, gz, places)


def _countries_agree(c: Place, ln: Place, partners: Mapping[int, set[int]], places: Mapping[int, Place]) -> bool:
    """A partner of ``c`` lies in ``ln``'s country or in the country of one of ``ln``'s partners, or a
    partner's partner lies in ``ln``'s country (Salta: the crawl twins it with Tarija, whose partners
    are Argentine)."""
    theirs = {places[q].iso for q in partners.get(ln.id, set()) if q in places} | {ln.iso}
    mine = partners.get(c.id, set())
    if any(places[q].iso in theirs for q in mine if q in places and places[q].iso):
        return True
    return any(places[z].iso == ln.iso for y in mine for z in partners.get(y, set()) if z in places and z != c.id)


def name_index(places: Iterable[Place]) -> tuple[dict[int, set[str]], dict[str, set[int]]]:
    """Each place's :func:`name_keys`, and the places bearing each key."""
    named: dict[str, set[int]] = defaultdict(set)
    keys_of: dict[int, set[str]] = {}
    for p in places:
        keys_of[p.id] = name_keys(p)
        for k in keys_of[p.id]:
            named[k].add(p.id)
    return keys_of, named


def _decide(
    places: Mapping[int, Place],
    partners: Mapping[int, set[int]],
    gz: Gazetteer,
    keys_of: Mapping[int, set[str]],
    named: Mapping[str, set[int]],
) -> list[tuple[Place, Place, str]]:
    """The pairs to merge in one round: each crawl node with its one list node of evidence, when
    that list node has no other crawl node of evidence (``keys_of``, ``named``: :func:`name_index`)."""
    found: dict[int, list[tuple[Place, str]]] = defaultdict(list)  # list node → (crawl node, evidence)
    for c in places.values():
        if not is_crawl_node(c):
            continue
        lists = sorted({q for k in keys_of[c.id] for q in named[k] if is_list_node(places[q])})
        decided = [
            (places[q], why)
            for q in lists
            if (why := pair_evidence(c, places[q], keys_of, partners, named, gz, places))
        ]
        if len(decided) == 1:
            ln, why = decided[0]
            found[ln.id].append((c, why))
    return [(c, places[lid], why) for lid, cs in sorted(found.items()) if len(cs) == 1 for c, why in cs]
