"""Merge the sources: mentions become places, assertions become relations, QIDs tie it together.

* The same place from different sources is one :class:`Place`: mentions with the same country,
  folded name and kind are one place unless their coordinates are far apart ("Kusatsu, Gunma" and
  "Kusatsu, Shiga"); an Italian-only name and an English-only name in the same country at the same
  spot are one place (Firenze = Florence); places given the same QID (gazetteers, the seed, the
  Wikidata P190 graph: see :mod:`graphkit.ingest.qids`) are one place.
* The same relation from different sources is one :class:`Relation` that keeps every source and
  which party's list named it (``listed_by``).

Every merge, split, flag and drop is counted in the :class:`~graphkit.ingest.ledger.Ledger`.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from graphkit.ingest import dr5hn, eurocities, hekman, l3viathan, yuboski
from graphkit.ingest.clean import (
    classify_kind,
    coordinates_contradict,
    dedupe_qid_claims,
    japan_base_name,
    name_similarity,
    normalize_unicode,
)
from graphkit.ingest.countries import CountryTable, fold
from graphkit.ingest.ledger import Ledger
from graphkit.ingest.mentions import Assertion, Mention, MentionFactory, hekman_assertions, yuboski_assertions
from graphkit.ingest.prefetch import Job, Prefetch
from graphkit.ingest.qids import match_by_structure, match_by_unique_name
from graphkit.places.geodesy import haversine_km

#: Coordinates nearer than this to their country's reference points are never flagged.
MIN_CONTRADICTION_KM = 650.0
#: Same name, same country: mentions farther apart than this are different places.
SAME_PLACE_KM = 40.0
#: An Italian-only and an English-only name this close, in the same country and alike, are one place.
CROSS_LANGUAGE_KM = 7.0
CROSS_LANGUAGE_SIMILARITY = 0.6
#: ... but beyond this distance the names must be nearly the same (Lisbona ~ Lisbon at 4 km, not
#: Rofrano ~ Alfano, two comuni 4 km apart, or Menaggio ~ Bellagio across Lake Como).
CROSS_LANGUAGE_NEAR_KM = 2.5
CROSS_LANGUAGE_FAR_SIMILARITY = 0.82
#: A gazetteer entry this close to a place with the same name is that place.
GAZETTEER_KM = 30.0
#: Priorities of coordinates (lower wins): gazetteer, seed, Italian Wikipedia, English Wikipedia geocoder.
COORD_PRIORITY = {"gazetteer": 0, "seed": 0, "yuboski-itwiki-gemellaggi": 1, "hekman-twincities": 2}

_STATE_KINDS = {
    "prefecture": "prefecture",
    "province": "province",
    "oblast": "province",
    "governorate": "province",
    "voivodship": "province",
    "region": "region",
    "state": "region",
    "autonomous community": "region",
    "autonomous region": "region",
    "administrative region": "region",
    "land": "region",
    "republic": "region",
    "district": "district",
    "county": "district",
    "two-tier county": "district",
    "metropolitan district": "district",
}


@dataclass(slots=True)
class Place:
    """One merged place."""

    id: int
    iso: str
    kind: str
    key_name: str
    labels: dict[str, dict[str, int]] = field(default_factory=dict)
    coords: list[tuple[int, tuple[float, float], str]] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    qid: str = ""
    population: int | None = None
    parent_hint: str = ""
    parent: int | None = None

    _folds: set[str] | None = None

    def add_label(self, lang: str, text: str, n: int = 1) -> None:
        """Count one spelling of the name in a language (``""`` = language unknown)."""
        if text:
            d = self.labels.get(lang)
            if d is None:
                d = self.labels[lang] = {}
            d[text] = d.get(text, 0) + n
            self._folds = None

    def folds(self) -> set[str]:
        """Folded spellings of every label."""
        if self._folds is None:
            self._folds = {fold(t) for c in self.labels.values() for t in c} - {""}
        return self._folds

    def best_coords(self) -> tuple[float, float] | None:
        """The coordinates from the most trusted source."""
        if not self.coords:
            return None
        if len(self.coords) == 1:
            return self.coords[0][1]
        return min(self.coords)[1]


@dataclass(slots=True)
class Relation:
    """One merged relation between two places."""

    a: int
    b: int
    sources: set[str] = field(default_factory=set)
    listed_by: set[int] = field(default_factory=set)


@dataclass
class World:
    """The merged world: places (by id), relations, the country table and the ledger."""

    places: dict[int, Place]
    relations: list[Relation]
    table: CountryTable
    ledger: Ledger
    existing: dict[str, dict[str, object]] = field(default_factory=dict)


class UnionFind:
    """Disjoint sets over place ids (the smaller id represents the set)."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while self.parent.get(x, x) != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            ra, rb = min(ra, rb), max(ra, rb)
            self.parent[rb] = ra
        return ra


# ---------------------------------------------------------------- coordinates check


def flag_contradicting_coordinates(mentions: list[Mention], table: CountryTable, ledger: Ledger) -> None:
    """Drop (and report) coordinates far from every reference point of the mention's country whose
    nearest reference point is in another country ("Rome, United States" geocoded to Italy).

    The distance allowed grows with the country: 3 × the median distance of that country's
    mentions to its reference points, at least :data:`MIN_CONTRADICTION_KM`; and the other
    country must be at least twice as near (a town near a border is not flagged).
    """
    located = [m for m in mentions if m.coords and m.iso]
    dists = table.locator.distances_to_country([m.coords for m in located], [m.iso for m in located])  # type: ignore[misc]
    per_country: dict[str, list[float]] = defaultdict(list)
    for m, d in zip(located, dists, strict=True):
        if d is not None:
            per_country[m.iso].append(d)
    limit = {iso: max(MIN_CONTRADICTION_KM, 3 * statistics.median(ds)) for iso, ds in per_country.items()}
    seen = set()
    for m, d in zip(located, dists, strict=True):
        if not coordinates_contradict(d, limit.get(m.iso, MIN_CONTRADICTION_KM)):
            continue
        assert m.coords is not None and d is not None
        near_iso, near_km = table.locator.nearest_country(*m.coords)
        if near_iso == m.iso or near_km * 2 > d:
            continue
        key = (m.source, m.raw, m.iso)
        if key not in seen:
            seen.add(key)
            ledger.count("coordinates-contradict-country", f"{m.raw} ({m.iso}) at {m.coords}", f"looks like {near_iso}")
            ledger.reject(
                m.source,
                "coordinates",
                f"{m.raw} / {m.iso}",
                "suspicious-coordinates",
                f"{m.coords[0]:.4f},{m.coords[1]:.4f} is {d:.0f} km from {m.iso} but {near_km:.0f} km from {near_iso}; "
                "coordinates not used",
            )
        m.coords = None


# ---------------------------------------------------------------- mentions → places


def places_from_mentions(
    mentions: Iterable[Mention], ledger: Ledger
) -> tuple[dict[int, Place], dict[int, int], list[Mention]]:
    """Group mentions into places. Returns places, ``id(mention) → place id`` and the mentions
    with no country (resolved later by name)."""
    groups: dict[tuple[str, str, str], list[Mention]] = defaultdict(list)
    unresolved: list[Mention] = []
    for m in mentions:
        (groups[m.key] if m.iso else unresolved).append(m)
    places: dict[int, Place] = {}
    owner: dict[int, int] = {}
    for key, ms in groups.items():
        clusters: list[list[Mention]] = []
        for m in ms:
            if m.coords is None:
                continue
            for c in clusters:
                if any(x.coords and haversine_km(*x.coords, *m.coords) <= SAME_PLACE_KM for x in c):
                    c.append(m)
                    break
            else:
                clusters.append([m])
        if not clusters:
            clusters = [[]]
        if len(clusters) > 1:
            ledger.count("same-name-split-by-coordinates", f"{ms[0].base} ({key[0]})", f"{len(clusters)} places")
        clusters.sort(key=len, reverse=True)
        for m in ms:
            if m.coords is None:
                same = [c for c in clusters if any(x.raw == m.raw for x in c)]
                (same[0] if same else clusters[0]).append(m)
                if not same and len(clusters) > 1:
                    ledger.count("ambiguous-name-joined-largest", f"{m.raw} ({m.iso})", "no coordinates")
        for i, c in enumerate(clusters):
            pid = len(places)
            first = c[0]
            hinted = next((x for x in c if x.hint and not x.key[2]), None)
            key_name = first.base + (f" {key[2]}" if key[2] else "")
            if i > 0:
                key_name += f" {hinted.hint}" if hinted else f" {i + 1}"
            kind = (
                first.kind if all(x.kind == first.kind for x in c) else Counter(x.kind for x in c).most_common(1)[0][0]
            )
            p = Place(pid, key[0], kind, key_name)
            for x in c:
                p.add_label(x.lang, x.base if not key[2] else f"{x.base} ({x.hint})")
                p.sources.add(x.source)
                if x.coords:
                    p.coords.append((COORD_PRIORITY.get(x.source, 3), x.coords, x.source))
                if x.hint_in_brackets and not x.key[2] and not p.parent_hint:
                    p.parent_hint = x.hint
                owner[id(x)] = pid
            for c2 in p.labels.values():
                if len(c2) > 1 and len({fold(t) for t in c2}) < len(c2):
                    ledger.count("diacritic-variants-merged", " / ".join(sorted(c2)), key_name)
            places[pid] = p
    return places, owner, unresolved


def resolve_unplaced(
    unresolved: list[Mention], places: dict[int, Place], owner: dict[int, int], ledger: Ledger
) -> None:
    """Mentions without a country join the one place with the same folded name, if there is exactly one."""
    by_name: dict[str, list[int]] = defaultdict(list)
    for p in places.values():
        for f in p.folds():
            by_name[f].append(p.id)
    for m in unresolved:
        cands = sorted(set(by_name.get(fold(m.base), [])))
        if len(cands) == 1:
            p = places[cands[0]]
            p.add_label(m.lang, m.base)
            p.sources.add(m.source)
            owner[id(m)] = p.id
            ledger.count("country-from-unique-name", m.raw, p.iso)
        else:
            why = "no place with this name" if not cands else f"{len(cands)} places with this name"
            ledger.reject(m.source, "mention", m.raw, "unresolved-country", f"no country given; {why}")


_ITALIAN_ONLY = {yuboski.SOURCE_ID}


def cross_language_alike(similarity: float, km: float) -> bool:
    """Are an Italian and an English name this similar, this far apart, one place?

    >>> cross_language_alike(0.62, 0.4), cross_language_alike(0.62, 4.0)  # Venezia/Venice; Rofrano/Alfano
    (True, False)
    >>> cross_language_alike(0.92, 4.0)  # Lisbona/Lisbon
    True
    """
    if similarity < CROSS_LANGUAGE_SIMILARITY or km > CROSS_LANGUAGE_KM:
        return False
    return km <= CROSS_LANGUAGE_NEAR_KM or similarity >= CROSS_LANGUAGE_FAR_SIMILARITY


def merge_cross_language(places: dict[int, Place], uf: UnionFind, ledger: Ledger) -> None:
    """An Italian-only place and an English-only place of the same kind and country within
    :data:`CROSS_LANGUAGE_KM` whose names are alike (Firenze ~ Florence, Milano ~ Milan: similarity
    at least :data:`CROSS_LANGUAGE_SIMILARITY`, and nearly equal beyond :data:`CROSS_LANGUAGE_NEAR_KM`;
    see :func:`cross_language_alike`), each the other's best, are one place."""
    italian = [p for p in places.values() if p.sources == _ITALIAN_ONLY and p.best_coords() and not p.parent_hint]
    english = [
        p
        for p in places.values()
        if "hekman-twincities" in p.sources and "it" not in p.labels and p.best_coords() and not p.parent_hint
    ]
    e_grid, i_grid = _Grid(english), _Grid(italian)

    def best(p: Place, grid: _Grid) -> tuple[Place, float] | None:
        cands = []
        for q, km in grid.within(p.best_coords(), CROSS_LANGUAGE_KM):  # type: ignore[arg-type]
            if q.iso != p.iso or q.kind != p.kind:
                continue
            sim = max(name_similarity(a, b) for a in p.folds() for b in q.folds())
            if cross_language_alike(sim, km):
                cands.append((sim, -km, q.id, q))
        if not cands:
            return None
        top = max(cands)
        return top[3], -top[1]

    for p in italian:
        found = best(p, e_grid)
        if found is None:
            continue
        q, km = found
        back = best(q, i_grid)
        if back is None or back[0] is not p:
            continue
        uf.union(p.id, q.id)
        it_name = next(iter(p.labels["it"]))
        en_name = next(iter(q.labels.get("en", {"?": 1})))
        ledger.count("italian-english-same-place", f"{it_name} = {en_name} ({p.iso})", f"{km:.1f} km")


class _Grid:
    """Places bucketed by 0.1° cells, for nearest-neighbour lookups within a few km."""

    def __init__(self, places: list[Place]) -> None:
        self.cells: dict[tuple[int, int], list[Place]] = defaultdict(list)
        for p in places:
            c = p.best_coords()
            assert c is not None
            self.cells[(int(c[0] * 10 // 1), int(c[1] * 10 // 1))].append(p)

    def within(self, c: tuple[float, float], max_km: float) -> list[tuple[Place, float]]:
        """Places within ``max_km`` (at most about 7 km: the cell neighbourhood)."""
        ci, cj = int(c[0] * 10 // 1), int(c[1] * 10 // 1)
        out = []
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for p in self.cells.get((ci + di, cj + dj), ()):
                    km = haversine_km(*c, *p.best_coords())  # type: ignore[misc]
                    if km <= max_km:
                        out.append((p, km))
        return out


# ---------------------------------------------------------------- gazetteers


@dataclass(slots=True)
class GazetteerEntry:
    """A place with a QID from a gazetteer (or the seed): names, country, coordinates."""

    qid: str
    iso: str
    names: dict[str, str]
    coords: tuple[float, float] | None
    population: int | None
    kind: str
    source: str
    match_names: set[str] = field(default_factory=set)


def gazetteer_entries(
    folder: Path,
    table: CountryTable,
    l3_names: dict[str, str],
    ledger: Ledger,
    seed: dict[str, dict[str, object]],
    *,
    states: list[dr5hn.StateRow] | None = None,
) -> list[GazetteerEntry]:
    """Eurocities members, deduplicated dr5hn Japanese municipalities and divisions, and seed places.

    ``states`` are the dr5hn divisions, if already read.
    """
    out: list[GazetteerEntry] = []
    by_country_qid = {c.qid: c.iso2 for c in table.countries.values() if c.qid}
    members = eurocities.read_members(folder / eurocities.SOURCE_ID)
    ledger.rows_read[eurocities.SOURCE_ID] = len(members)
    for m in members:
        iso = by_country_qid.get(m.country_qid, "")
        if not iso:
            ledger.reject(eurocities.SOURCE_ID, m.qid, " / ".join(m.names), "unresolved-country", m.country_qid)
            continue
        out.append(
            GazetteerEntry(
                m.qid,
                iso,
                {"en": m.names[0]},
                m.coords,
                m.population,
                classify_kind(m.names[0]),
                eurocities.SOURCE_ID,
                {fold(n) for n in m.names},
            )
        )
    gz = folder / dr5hn.SOURCE_ID
    jp = dr5hn.read_japan_cities(gz)
    states = dr5hn.read_states(gz) if states is None else states
    ledger.rows_read[dr5hn.SOURCE_ID] = len(jp) + len(states) + len(table.countries)
    evidence: dict[str, set[str]] = defaultdict(set)
    for q, label in l3_names.items():
        evidence[q].add(japan_base_name(label))
    for q, info in seed.items():
        for label in info.get("labels", ()):  # type: ignore[attr-defined]  # seed values are untyped JSON
            evidence[q].add(japan_base_name(str(label)))
    owners = dedupe_qid_claims(((r.qid, japan_base_name(r.name)) for r in jp if r.qid), evidence)
    grouped: dict[str, list[dr5hn.JapanCityRow]] = defaultdict(list)
    for r in jp:
        if not r.qid:
            continue
        if owners.get(r.qid) == japan_base_name(r.name):
            grouped[r.qid].append(r)
        else:
            who = owners.get(r.qid) or "nobody (conflict unresolved)"
            ledger.count("japan-duplicate-qid-dropped", f"{r.name} {r.qid}", f"QID belongs to {who}")
            ledger.reject(
                dr5hn.SOURCE_ID,
                f"cities_JP.json {r.qid}",
                r.name,
                "conflicting-qid",
                f"{r.qid} is claimed by several names; kept for {who}",
            )
    for qid, rows in grouped.items():
        if len(rows) > 1:
            ledger.count("japan-paired-entries-merged", " + ".join(r.name for r in rows), qid)
        plain = min(rows, key=lambda r: (len(r.name), r.name))
        native = max((r.native for r in rows), key=len)
        it = next((r.translations.get("it", "") for r in rows if r.translations.get("it")), "")
        coords = next((r.coords for r in rows if r.coords and r.type == "adm2"), None) or next(
            (r.coords for r in rows if r.coords), None
        )
        pop = max((r.population for r in rows if r.population), default=None)
        names = {"ja": native}
        if it and fold(it) == japan_base_name(plain.name):
            names["it"] = it
        out.append(
            GazetteerEntry(
                qid, "JP", names, coords, pop, "municipality", dr5hn.SOURCE_ID, {japan_base_name(r.name) for r in rows}
            )
        )
    for s in states:
        if not s.qid or s.country not in table:
            continue
        kind = _STATE_KINDS.get(s.type.lower(), "area")
        names = {"en": s.name}
        out.append(
            GazetteerEntry(
                s.qid,
                s.country,
                names,
                s.coords,
                None,
                kind,
                dr5hn.SOURCE_ID,
                {fold(s.name), fold(_strip_kind_words(s.name))} - {""},
            )
        )
    for qid, info in seed.items():
        iso = str(info.get("iso") or "")
        if iso:
            labels = {fold(str(x)) for x in info.get("labels", ())}  # type: ignore[attr-defined]  # seed values are untyped JSON
            out.append(GazetteerEntry(qid, iso, {}, info.get("coords"), None, "municipality", "seed", labels))  # type: ignore[arg-type]
    return out


def _strip_kind_words(name: str) -> str:
    words = {"prefecture", "province", "region", "district", "county", "oblast", "governorate", "state", "municipality"}
    return " ".join(w for w in name.split() if w.lower() not in words)


def attach_gazetteers(
    places: dict[int, Place], uf: UnionFind, entries: list[GazetteerEntry], ledger: Ledger
) -> dict[int, str]:
    """Give places the QIDs of gazetteer entries with the same name and country (and, when both are
    located, within :data:`GAZETTEER_KM`). Administrative areas match divisions only, municipalities
    match cities only: a city named like its province, region or state (Perugia, Salzburg) stays a city."""
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for p in places.values():
        if uf.find(p.id) != p.id:
            continue
        keys = set(p.folds())
        if p.kind != "municipality":
            keys |= {fold(_strip_kind_words(t)) for c in p.labels.values() for t in c}
        if p.iso == "JP":
            keys |= {japan_base_name(t) for c in p.labels.values() for t in c}
        for f in keys:
            index[(p.iso, f)].append(p.id)
    assigned: dict[int, str] = {}
    for e in entries:
        cands = sorted({uf.find(pid) for n in e.match_names for pid in index.get((e.iso, n), [])})
        is_area = e.kind not in ("municipality",)
        good = []
        for pid in cands:
            p = places[pid]
            c = p.best_coords()
            near = c is None or e.coords is None or haversine_km(*c, *e.coords) <= GAZETTEER_KM
            if not near:
                continue
            if is_area and p.kind == "municipality":
                continue  # a city named like its province, region or state (Salzburg, Perugia) is a city
            if not is_area and p.kind != "municipality":
                continue
            good.append(pid)
        if len(good) != 1:
            continue
        p = places[good[0]]
        if p.id in assigned and assigned[p.id] != e.qid:
            continue
        assigned[p.id] = e.qid
        if e.source != "seed":
            p.sources.add(e.source)
        if is_area and e.source == dr5hn.SOURCE_ID:
            p.kind = e.kind
        for lang, name in e.names.items():
            if name and (lang not in p.labels or lang == "ja"):
                p.add_label(lang, name)
        if e.coords:
            p.coords.append((0 if e.source != dr5hn.SOURCE_ID or not is_area else 3, e.coords, "gazetteer"))
        if e.population:
            p.population = e.population
        ledger.count(
            f"qid-from-{e.source if e.source != dr5hn.SOURCE_ID else 'dr5hn'}", f"{_label(p)} ({p.iso})", e.qid
        )
    return assigned


def _label(p: Place) -> str:
    for lang in ("en", "it", "", "ja"):
        if p.labels.get(lang):
            d = p.labels[lang]
            return max(d, key=d.__getitem__)
    return p.key_name


# ---------------------------------------------------------------- the whole merge


def build_world(
    sources_dir: Path,
    seed: dict[str, dict[str, object]] | None = None,
    *,
    places_ready: Callable[[World], None] | None = None,
) -> World:
    """Read, clean and merge every source under ``sources_dir`` (``data/sources``).

    ``seed`` describes places already in the graph by QID (``{"Q20103": {"iso": "IT", "labels": [...],
    "coords": (lat, lon)}}``) so the world joins them instead of duplicating them.

    The files of :func:`reading_jobs` are read by a forked worker process meanwhile (see
    :mod:`graphkit.ingest.prefetch`); the result is the same as reading them here.

    ``places_ready(world)``, if given, is called as soon as the places are final, with the world
    still without relations (the build step starts loading the places into the store then).
    """
    with Prefetch(reading_jobs(sources_dir, seed)) as raw:
        world = _build_world(sources_dir, seed or {}, raw, places_ready)
    if raw.worker_seconds:  # the stages above do not include what the worker read for them
        world.ledger.facts["timings"]["reading (worker process)"] = round(raw.worker_seconds, 3)  # type: ignore[index]
    return world


#: Names of the :func:`reading_jobs`.
HEKMAN_COORDINATES, YUBOSKI_ROWS = "hekman coordinates", "yuboski rows"
L3_STATEMENTS = "l3viathan statements"
GAZETTEERS = "gazetteer entries"


def reading_jobs(sources_dir: Path, seed: dict[str, dict[str, object]] | None = None) -> list[Job]:
    """What a worker reads while the main process cleans the English Wikipedia pairs, in the order
    it is needed (the main process reads the countries and the pairs themselves: it needs them at once).

    The last job also prepares the gazetteer entries (:func:`gazetteer_job`): they depend on no
    other source, and what their rules did is added to the ledger at their turn; it returns the
    Wikidata crawl's labels it used too (read once, for both)."""
    return [
        (HEKMAN_COORDINATES, hekman.read_coordinates, (sources_dir / hekman.SOURCE_ID,)),
        (YUBOSKI_ROWS, yuboski.read_rows, (sources_dir / yuboski.SOURCE_ID,)),
        (L3_STATEMENTS, l3viathan.read_statements, (sources_dir / l3viathan.SOURCE_ID,)),
        (GAZETTEERS, gazetteer_job, (sources_dir, seed or {})),
    ]


def gazetteer_job(
    sources_dir: Path, seed: dict[str, dict[str, object]]
) -> tuple[list[GazetteerEntry], Ledger, dict[str, str]]:
    """:func:`gazetteer_entries` from the files alone, with its own ledger (to :meth:`~Ledger.absorb`),
    and the Wikidata crawl's labels (Unicode-normalised) it matched them with."""
    gz = sources_dir / dr5hn.SOURCE_ID
    states = dr5hn.read_states(gz)
    table = CountryTable.from_rows(dr5hn.read_countries(gz), states)
    l3_names = _l3_names(l3viathan.read_names(sources_dir / l3viathan.SOURCE_ID))
    ledger = Ledger()
    return gazetteer_entries(sources_dir, table, l3_names, ledger, seed, states=states), ledger, l3_names


def _l3_names(raw_names: dict[str, str]) -> dict[str, str]:
    """The Wikidata crawl's labels, Unicode-normalised."""
    return {q: normalize_unicode(n) for q, n in raw_names.items()}


def _build_world(
    sources_dir: Path,
    seed: dict[str, dict[str, object]],
    raw: Prefetch,
    places_ready: Callable[[World], None] | None,
) -> World:
    """:func:`build_world`, with the files of :func:`reading_jobs` coming from ``raw``."""
    ledger = Ledger()
    lap = _Laps(ledger)
    gz = sources_dir / dr5hn.SOURCE_ID
    countries = dr5hn.read_countries(gz)
    states = dr5hn.read_states(gz)
    table = CountryTable.from_rows(countries, states)
    factory = MentionFactory(table, ledger)
    lap("countries")
    hekman_dir = sources_dir / hekman.SOURCE_ID
    pairs = hekman.read_pairs(hekman_dir)
    assertions: list[Assertion] = hekman_assertions(
        hekman_dir, factory, pairs=pairs, coords=raw.get(HEKMAN_COORDINATES)
    )
    lap("read+clean hekman")
    yuboski_dir = sources_dir / yuboski.SOURCE_ID
    assertions += yuboski_assertions(yuboski_dir, factory, rows=raw.get(YUBOSKI_ROWS))
    lap("read+clean yuboski")
    mentions = list({id(m): m for a in assertions for m in (a.lister, a.partner)}.values())
    flag_contradicting_coordinates(mentions, table, ledger)
    lap("coordinates check")
    places, owner, unresolved = places_from_mentions(mentions, ledger)
    resolve_unplaced(unresolved, places, owner, ledger)
    uf = UnionFind()
    merge_cross_language(places, uf, ledger)
    _fold_unions(places, uf)
    lap("places")

    statements: list[tuple[str, str, int]] = raw.get(L3_STATEMENTS)
    ledger.rows_read[l3viathan.SOURCE_ID] = len(statements)
    repeated = len(statements) - len({(a, b) for a, b, _ in statements})
    if repeated:
        ledger.count(f"same-row-repeated-{l3viathan.SOURCE_ID}", n=repeated)
    entries, gazetteer_ledger, l3_names = raw.get(GAZETTEERS)
    ledger.absorb(gazetteer_ledger)
    fixed = attach_gazetteers(places, uf, entries, ledger)
    lap("gazetteers")

    # the P190 graph and the lists' graph
    wd_adj: dict[str, set[str]] = defaultdict(set)
    for s, d, _ in statements:
        wd_adj[s].add(d)
        wd_adj[d].add(s)
    wd_names: dict[str, set[str]] = defaultdict(set)
    for q, n in l3_names.items():
        if fold(n):
            wd_names[q].add(fold(n))
    wd_iso: dict[str, str] = {}
    e: GazetteerEntry | None
    for e in entries:
        wd_names[e.qid] |= e.match_names
        wd_iso.setdefault(e.qid, e.iso)
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
    found = match_by_structure(adjacency, names_of, iso_of, wd_adj, wd_names, wd_iso, fixed)
    for pid, q in found.items():
        ledger.count_lazy(
            "qid-from-wikidata-p190-graph",
            lambda pid=pid, q=q: (f"{_label(places[pid])} ({places[pid].iso})", f"{q} {l3_names.get(q, '')}"),  # type: ignore[misc]  # default-arg capture
        )
    # Italian-only places may be duplicates of places that already hold the QID: a second, shared pass
    anchors = {**fixed, **found}
    italian_only = {p.id for p in roots if p.id not in anchors and p.sources == {"yuboski-itwiki-gemellaggi"}}
    shared = match_by_structure(
        {p: adjacency[p] for p in italian_only if p in adjacency}
        | {p: adjacency[p] for p in anchors if p in adjacency},
        names_of,
        iso_of,
        wd_adj,
        wd_names,
        wd_iso,
        anchors,
        exclusive=False,
    )
    for pid, q in shared.items():
        ledger.count_lazy(
            "qid-from-wikidata-p190-graph-italian-names",
            lambda pid=pid, q=q: (f"{_label(places[pid])} ({places[pid].iso})", f"{q} {l3_names.get(q, '')}"),  # type: ignore[misc]  # default-arg capture
        )
    found.update(shared)
    # what is left: unique names on both sides, with a partner country in common
    anchors = {**fixed, **found}
    held = set(anchors.values())
    place_of_q = {q: p for p, q in anchors.items()}

    def partner_isos_of_place(pid: int) -> set[str]:
        return {iso_of[n] for n in adjacency.get(pid, ()) if iso_of.get(n)}

    def partner_isos_of_qid(q: str) -> set[str]:
        out = set()
        for n in wd_adj.get(q, ()):
            iso = iso_of.get(place_of_q[n], "") if n in place_of_q else wd_iso.get(n, "")
            if iso:
                out.add(iso)
        return out

    left_places = {p.id: names_of[p.id] for p in roots if p.id not in anchors}
    left_qids = {q: wd_names.get(q, set()) for q in wd_adj if q not in held}
    by_name = match_by_unique_name(
        left_places, left_qids, lambda pid, q: bool(partner_isos_of_place(pid) & partner_isos_of_qid(q))
    )
    for pid, q in by_name.items():
        if wd_iso.get(q) and wd_iso[q] != iso_of[pid]:
            continue
        found[pid] = q
        ledger.count_lazy(
            "qid-from-unique-name",
            lambda pid=pid, q=q: (f"{_label(places[pid])} ({places[pid].iso})", f"{q} {l3_names.get(q, '')}"),  # type: ignore[misc]  # default-arg capture
        )
    lap("wikidata matching")
    qid_of = {**fixed, **found}
    # places with the same QID are one place (if their countries agree)
    by_qid: dict[str, list[int]] = defaultdict(list)
    for pid, q in qid_of.items():
        by_qid[q].append(uf.find(pid))
    for q, pids in by_qid.items():
        pids = sorted(set(pids))
        isos = Counter(places[p].iso for p in pids)
        main_iso = isos.most_common(1)[0][0]
        keep = [p for p in pids if places[p].iso == main_iso]
        for pi in pids:
            if places[pi].iso != main_iso:
                ledger.reject(
                    "merge",
                    q,
                    f"{_label(places[pi])} ({places[pi].iso})",
                    "qid-country-conflict",
                    f"{q} also matched a place in {main_iso}; QID not given to this one",
                )
        root = keep[0]
        for pi in keep[1:]:
            root = uf.union(root, pi)
            ledger.count("same-qid-merged", f"{_label(places[pi])} ({places[pi].iso})", q)
        places[root].qid = q
    _fold_unions(places, uf)
    for p in places.values():
        wd_kind = classify_kind(l3_names.get(p.qid, "")) if p.qid else "municipality"
        if p.kind == "municipality" and wd_kind != "municipality":
            p.kind = wd_kind
            ledger.count("kind-from-wikidata-label", f"{_label(p)} ({p.iso})", f"{l3_names[p.qid]}: {wd_kind}")
    # P190-only places
    p_of_qid = {p.qid: p.id for p in places.values() if p.qid}
    entry_of: dict[str, GazetteerEntry] = {}
    for e in entries:
        entry_of.setdefault(e.qid, e)
    next_id = max(places) + 1 if places else 0
    for s, d, _ in statements:
        for q in (s, d):
            if q in p_of_qid:
                continue
            e = entry_of.get(q)
            label = l3_names.get(q, "")
            kind = e.kind if e else classify_kind(label)
            p = Place(next_id, e.iso if e else (str(seed[q].get("iso") or "") if q in seed else ""), kind, q, qid=q)
            p.add_label("", label)
            if e:
                for lang, name in e.names.items():
                    p.add_label(lang, name)
                if e.coords:
                    p.coords.append((0, e.coords, "gazetteer"))
                p.population = e.population
                if e.source != "seed":
                    p.sources.add(e.source)
            if not p.labels:
                p.add_label("", q)
                ledger.count("label-missing-qid-used", q, q)
            p.sources.add(l3viathan.SOURCE_ID)
            places[next_id] = p
            p_of_qid[q] = next_id
            next_id += 1
            if not p.iso:
                ledger.count("wikidata-only-place-without-country", f"{label} {q}", "no country in any source")
    for q, pid in p_of_qid.items():
        if l3_names.get(q) and "" not in places[pid].labels:
            places[pid].add_label("", l3_names[q])
        if q in wd_adj:
            places[pid].sources.add(l3viathan.SOURCE_ID)
    type_whole_countries(places, table, ledger)
    lap("qid merge + wikidata-only places")
    # city parts are typed before the relations are merged (neither depends on the other), so that the
    # places are final early; what the rule did is recorded after the relations', as it always was
    parts_ledger = Ledger()
    _link_city_parts(places, parts_ledger)
    world = World(places, [], table, ledger, seed)
    if places_ready is not None:
        places_ready(world)
        lap.restart()  # its time is not the relations'
    world.relations = _relations(assertions, statements, owner, uf, p_of_qid, places, ledger)
    ledger.absorb(parts_ledger)
    lap("relations")
    ledger.facts["countries"] = len({p.iso for p in places.values() if p.iso})
    return world


class _Laps:
    """CPU seconds (of this thread) per stage of the merge, kept in ``ledger.facts["timings"]``."""

    def __init__(self, ledger: Ledger) -> None:
        self.times: dict[str, float] = {}
        ledger.facts["timings"] = self.times
        self.t = time.thread_time()

    def __call__(self, name: str) -> None:
        now = time.thread_time()
        self.times[name] = round(now - self.t, 3)
        self.t = now

    def restart(self) -> None:
        """Leave the time since the last lap out of the next one."""
        self.t = time.thread_time()


def _fold_unions(places: dict[int, Place], uf: UnionFind) -> None:
    """Fold merged places into their set's representative (labels, coordinates, sources)."""
    for pid in sorted(places):
        root = uf.find(pid)
        if root == pid or pid not in places:
            continue
        src, dst = places.pop(pid), places[root]
        for lang, c in src.labels.items():
            for t, n in c.items():
                dst.add_label(lang, t, n)
        dst.coords += src.coords
        dst.sources |= src.sources
        dst.qid = dst.qid or src.qid
        dst.population = dst.population or src.population
        dst.parent_hint = dst.parent_hint or src.parent_hint
        if dst.kind == "municipality" and src.kind != "municipality":
            dst.kind = src.kind


def _relations(
    assertions: list[Assertion],
    statements: list[tuple[str, str, int]],
    owner: dict[int, int],
    uf: UnionFind,
    p_of_qid: dict[str, int],
    places: dict[int, Place],
    ledger: Ledger,
) -> list[Relation]:
    """One relation per pair of places, with every source and every listing party."""
    rels: dict[tuple[int, int], Relation] = {}
    repeats: Counter[str] = Counter()

    def add(source: str, a: int, b: int, where: object, row: Assertion | tuple[str, str]) -> None:
        """Add the pair as ``source`` states it (``row``, at ``where``: shown only for a self-pair or a repeat)."""
        key = (a, b) if a < b else (b, a)
        r = rels.get(key)
        if r is None and a != b:
            rels[key] = Relation(key[0], key[1], {source}, {a})
            return
        if r is None:
            item = _row_text(row)
            ledger.count("self-pair-dropped", item, _label(places[a]))
            ledger.reject(source, str(where), item, "self-pair", f"both names are the same place ({_label(places[a])})")
            return
        if source in r.sources:
            if repeats[source] < 6:
                ledger.count(
                    f"duplicate-pair-merged-{source}",
                    _row_text(row),
                    f"{_label(places[key[0]])} – {_label(places[key[1]])}",
                )
            repeats[source] += 1
        r.sources.add(source)
        r.listed_by.add(a)

    find = uf.find
    for asr in assertions:
        pa, pb = owner.get(id(asr.lister)), owner.get(id(asr.partner))
        if pa is None or pb is None:
            ledger.reject(asr.source, asr.where, _row_text(asr), "relation-dropped", "a party could not be placed")
            continue
        add(asr.source, find(pa), find(pb), asr.where, asr)
    l3 = l3viathan.SOURCE_ID
    for s, d, line in statements:
        add(l3, p_of_qid[s], p_of_qid[d], line, (s, d))
    for source, n in repeats.items():
        if n > 6:
            ledger.count(f"duplicate-pair-merged-{source}", n=n - 6)
    return list(rels.values())


def _row_text(row: Assertion | tuple[str, str]) -> str:
    """A source row for the report: "Lister – Partner" as written, or the (QID, QID) of a P190 statement."""
    return f"{row.lister.raw} – {row.partner.raw}" if isinstance(row, Assertion) else str(row)


#: Countries that are a single city (Monaco, Singapore, Vatican City, Gibraltar, Macau, Hong Kong): a
#: partner with such a country's QID is the city, and stays a municipality.
CITY_STATE_QIDS = frozenset({"Q235", "Q334", "Q237", "Q1410", "Q14773", "Q8646"})


def type_whole_countries(places: dict[int, Place], table: CountryTable, ledger: Ledger) -> None:
    """A partner whose QID is a country's (Morocco Q1028, Kenya Q114 in the Wikidata crawl) is that
    whole country, not a municipality: kind ``country``, typed gk:Country (it is the very node of the
    country, same IRI) with the country's ISO code, also where a source put it in another country
    (Guam, Q16635, listed in the US, is ISO GU). City-states (:data:`CITY_STATE_QIDS`) stay
    municipalities.

    >>> from graphkit.ingest.countries import Country
    >>> table = CountryTable([Country("MA", "Morocco", "", "Q1028", None), Country("MC", "Monaco", "", "Q235", None),
    ...                       Country("GU", "Guam", "", "Q16635", None)], [])
    >>> rows = [("MA", "Q1028"), ("MC", "Q235"), ("US", "Q16635"), ("", "Q1028")]
    >>> places = {i: Place(i, iso, "municipality", q, qid=q) for i, (iso, q) in enumerate(rows)}
    >>> type_whole_countries(places, table, Ledger())
    >>> [(p.kind, p.iso) for p in places.values()]
    [('country', 'MA'), ('municipality', 'MC'), ('country', 'GU'), ('country', 'MA')]
    """
    iso_of_qid = {c.qid: c.iso2 for c in table.countries.values() if c.qid and c.qid not in CITY_STATE_QIDS}
    for p in places.values():
        iso = iso_of_qid.get(p.qid)
        if iso is None or p.kind == "country":
            continue
        was = f"{p.iso}, " if p.iso and p.iso != iso else ""
        p.kind, p.iso = "country", iso
        ledger.count("partner-is-a-whole-country", f"{_label(p)} ({was}{p.qid})", f"gk:Country {iso}")


def _link_city_parts(places: dict[int, Place], ledger: Ledger) -> None:
    """A place written "Neukölln (Berlin)" is a part of the city in brackets: a gk:District located in it."""
    by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
    for p in places.values():
        if p.kind == "municipality" and not p.parent_hint:
            for f in p.folds():
                by_name[(p.iso, f)].append(p.id)
    for p in places.values():
        if not p.parent_hint or p.kind == "country":
            continue
        cands = sorted(set(by_name.get((p.iso, fold(p.parent_hint)), [])))
        if len(cands) == 1 and cands[0] != p.id:
            p.parent = cands[0]
            if p.kind == "municipality":
                p.kind = "district"
            ledger.count("city-part-typed-district", f"{_label(p)} ({p.parent_hint})", "gk:District")
