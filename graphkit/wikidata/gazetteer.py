"""The offline index of places: from the QID gazetteers shipped in ``data/sources/``, or from our own graph.

Gazetteer sources (each entry keeps which sources gave it):

- ``l3viathan-wikidata-p190``: ``names.tsv`` (QID, one label, mostly German) and ``relations.tsv``
  (P190 edges, used as partner evidence); no country or coordinates;
- ``dr5hn-csc-wikidata``: ``countries.csv`` (ISO codes, QIDs), ``states.csv`` (regions, provinces,
  prefectures, some municipalities; country, coordinates) and ``cities_JP.json`` (Japanese municipalities
  with ja/it/en names, coordinates, population);
- ``eurocities-wikidata``: members with QID, names, coordinates, country QID, population.

``cities_JP.json`` gives the same QID to different places (Machida carries Kōya's Q1346907; about 380
QIDs are shared by entries with different names). Entries that share a QID are grouped by name and
distance; when the groups disagree, the group whose name another source confirms for that QID wins,
and with no such evidence the QID is left out of the Japanese part — see :attr:`PlaceIndex.conflicts`.

>>> idx = PlaceIndex.from_entries([PlaceEntry("Q1", names=(("Assisi", "it"),), country="IT", kind="municipality")])
>>> [e.key for e in idx.lookup(split_name("Assisi"))]
['Q1']
"""

from __future__ import annotations

import csv
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from graphkit.errors import InputError
from graphkit.places.geodesy import haversine_km
from graphkit.wikidata.names import NameKey, name_variants, split_name

#: Source identifiers (the local part of ``gkid:source/...``).
P190_SOURCE = "l3viathan-wikidata-p190"
DR5HN_SOURCE = "dr5hn-csc-wikidata"
EUROCITIES_SOURCE = "eurocities-wikidata"
ALL_SOURCES = (P190_SOURCE, DR5HN_SOURCE, EUROCITIES_SOURCE)

#: Place kinds the scorer compares.
MUNICIPALITY, ADMIN, COUNTRY, UNKNOWN = "municipality", "admin", "country", "unknown"

_MUNICIPAL_STATE_TYPES = {
    "municipality",
    "city",
    "commune",
    "village",
    "town",
    "urban municipality",
    "rural municipality",
    "city with county rights",
    "district municipality",
    "city municipality",
    "municipal corporation",
}
_JP_MUNICIPAL_TYPES = {"city", "adm2", "adm3", "capital", "locality", "section"}


@dataclass(frozen=True)
class PlaceEntry:
    """One place in the index: a key (a QID, or a graph IRI), names with languages, and evidence."""

    key: str
    names: tuple[tuple[str, str], ...] = ()
    country: str | None = None
    kinds: frozenset[str] = frozenset()
    lat: float | None = None
    lon: float | None = None
    population: int | None = None
    partners: frozenset[str] = frozenset()
    partner_keys: frozenset[str] = frozenset()
    qid: str | None = None
    sources: frozenset[str] = frozenset()
    kind: str | None = None  # convenience for constructors; folded into ``kinds``

    def __post_init__(self) -> None:
        if self.kind:
            object.__setattr__(self, "kinds", self.kinds | {self.kind})
            object.__setattr__(self, "kind", None)
        if self.qid is None and self.key.startswith("Q") and self.key[1:].isdigit():
            object.__setattr__(self, "qid", self.key)

    @property
    def label(self) -> str:
        """A display name: English first, then Italian, then any."""
        for lang in ("en", "it", "", "de", "ja"):
            for n, lg in self.names:
                if lg == lang:
                    return n
        return self.names[0][0] if self.names else self.key

    def name_keys(self) -> list[NameKey]:
        return list(dict.fromkeys(split_name(v) for n, _ in self.names for v in name_variants(n)))

    def main_kind(self) -> str:
        """``municipality`` if any source says so, else ``admin``/``country``, else ``unknown``."""
        for k in (MUNICIPALITY, ADMIN, COUNTRY):
            if k in self.kinds:
                return k
        return UNKNOWN


@dataclass
class PlaceIndex:
    """Places by key, with lookups by normalised name."""

    entries: dict[str, PlaceEntry] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_base: dict[str, set[str]] = defaultdict(set)
        self._by_first: dict[str, set[str]] = defaultdict(set)
        self._by_block: dict[str, set[str]] = defaultdict(set)
        self._by_qid: dict[str, set[str]] = defaultdict(set)
        for e in self.entries.values():
            self._index(e)

    @classmethod
    def from_entries(cls, entries: Iterable[PlaceEntry]) -> PlaceIndex:
        """An index of ``entries``; entries with the same key are merged."""
        merged: dict[str, PlaceEntry] = {}
        for e in entries:
            merged[e.key] = merge_entries(merged[e.key], e) if e.key in merged else e
        return cls(merged)

    def _index(self, e: PlaceEntry) -> None:
        for nk in e.name_keys():
            self._by_base[nk.base].add(e.key)
            first = nk.base.split(" ", 1)[0]
            if first != nk.base:
                self._by_first[first].add(e.key)
            self._by_block[_block(nk.base)].add(nk.base)
        if e.qid:
            self._by_qid[e.qid].add(e.key)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, key: str) -> PlaceEntry | None:
        return self.entries.get(key)

    def by_qid(self, qid: str) -> list[PlaceEntry]:
        """Entries carrying ``qid`` (graph indexes can have several nodes per QID)."""
        return [self.entries[k] for k in sorted(self._by_qid.get(qid, ()))]

    def lookup(self, name: NameKey, *, fuzzy: bool = True) -> list[PlaceEntry]:
        """Entries whose names could match ``name``: same base, first word, or a near spelling."""
        keys: set[str] = set(self._by_base.get(name.base, ()))
        first = name.base.split(" ", 1)[0]
        keys |= self._by_first.get(name.base, set())
        if first != name.base:
            keys |= self._by_base.get(first, set())
        if fuzzy and len(name.base) >= 4:
            from graphkit.wikidata.names import name_similarity

            for base in self._by_block.get(_block(name.base), ()):
                if base != name.base and name_similarity(name, NameKey(base, base, "")) > 0:
                    keys |= self._by_base[base]
        return [self.entries[k] for k in sorted(keys)]


def _block(base: str) -> str:
    return base[:3]


def merge_entries(a: PlaceEntry, b: PlaceEntry) -> PlaceEntry:
    """Two descriptions of the same key: names and evidence combined (the first non-empty value wins)."""
    return replace(
        a,
        names=tuple(dict.fromkeys(a.names + b.names)),
        country=a.country or b.country,
        kinds=a.kinds | b.kinds,
        lat=a.lat if a.lat is not None else b.lat,
        lon=a.lon if a.lon is not None else b.lon,
        population=a.population if a.population is not None else b.population,
        partners=a.partners | b.partners,
        partner_keys=a.partner_keys | b.partner_keys,
        qid=a.qid or b.qid,
        sources=a.sources | b.sources,
    )


# --------------------------------------------------------------------------------------------
# Readers for the shipped gazetteers


def read_countries(sources: Path) -> tuple[list[PlaceEntry], dict[str, str]]:
    """Countries from dr5hn ``countries.csv``, and a map country QID → ISO 3166-1 alpha-2."""
    path = sources / DR5HN_SOURCE / "countries.csv"
    entries, qid_to_iso = [], {}
    for row in _csv_rows(path):
        qid, iso = (row.get("wikiDataId") or "").strip(), (row.get("iso2") or "").strip().upper()
        if not _is_qid(qid) or len(iso) != 2:
            continue
        qid_to_iso[qid] = iso
        names = [(row["name"], "en")] + ([(row["native"], "")] if row.get("native") else [])
        entries.append(
            PlaceEntry(
                qid,
                tuple(names),
                iso,
                frozenset({COUNTRY}),
                _float(row.get("latitude")),
                _float(row.get("longitude")),
                sources=frozenset({DR5HN_SOURCE}),
            )
        )
    return entries, qid_to_iso


def read_states(sources: Path) -> list[PlaceEntry]:
    """Regions, provinces, prefectures (and some municipalities) from dr5hn ``states.csv``."""
    out = []
    for row in _csv_rows(sources / DR5HN_SOURCE / "states.csv"):
        qid = (row.get("wikiDataId") or "").strip()
        if not _is_qid(qid):
            continue
        kind = MUNICIPALITY if (row.get("type") or "").strip().lower() in _MUNICIPAL_STATE_TYPES else ADMIN
        names = [(row["name"], "en")] + ([(row["native"], "")] if row.get("native") else [])
        out.append(
            PlaceEntry(
                qid,
                tuple(names),
                (row.get("country_code") or "").upper() or None,
                frozenset({kind}),
                _float(row.get("latitude")),
                _float(row.get("longitude")),
                _int(row.get("population")),
                sources=frozenset({DR5HN_SOURCE}),
            )
        )
    return out


def read_japanese_cities(
    sources: Path, confirmed_names: dict[str, set[str]] | None = None, *, undisputed_only: bool = False
) -> tuple[list[PlaceEntry], list[str]]:
    """Japanese municipalities from dr5hn ``cities_JP.json``, one entry per QID, conflicts resolved.

    ``confirmed_names`` maps a QID to name bases another source gives it (to pick the right group when
    entries with different names share a QID); else a group whose names have a QID of their own elsewhere
    in the file is the stray one, and an adm2+city pair beats single strays. ``undisputed_only`` keeps
    only QIDs whose entries all name one place. Returns the entries and a line per dropped conflict.
    """
    path = sources / DR5HN_SOURCE / "cities_JP.json"
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise InputError(f"{path}: cannot read the Japanese municipalities: {e}") from None
    by_qid: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        if _is_qid(str(r.get("wikiDataId") or "")):
            by_qid[r["wikiDataId"]].append(r)
    qids_of_base: dict[str, set[str]] = defaultdict(set)
    for qid, group in by_qid.items():
        for r in group:
            qids_of_base[split_name(r["name"]).base].add(qid)
    entries, conflicts = [], []
    for qid, group in sorted(by_qid.items()):
        clusters = _cluster_same_place(group)
        chosen = clusters[0] if len(clusters) == 1 else None
        if chosen is None and undisputed_only:
            continue
        if chosen is None and confirmed_names and qid in confirmed_names:
            agreeing = [c for c in clusters if {split_name(r["name"]).base for r in c} & confirmed_names[qid]]
            if len(agreeing) == 1:
                chosen = agreeing[0]
        if chosen is None:
            # a group whose name also has its own QID elsewhere in the file was misassigned here
            # (Machida, whose own entry is Machida-shi Q210628, also carries Kōya's Q1346907)
            homeless = [c for c in clusters if not all(qids_of_base[split_name(r["name"]).base] - {qid} for r in c)]
            if len(homeless) == 1:
                chosen = homeless[0]
            else:
                # the usual pattern is a pair (adm2 "Kamakura" + "Kamakura Shi") plus strays from neighbours
                pool = sorted(homeless or clusters, key=len, reverse=True)
                if len(pool[0]) >= 2 and (len(pool) == 1 or len(pool[0]) > len(pool[1])):
                    chosen = pool[0]
        if chosen is None:
            names = " / ".join(sorted({r["name"] for r in group}))
            conflicts.append(f"{qid}: {names} (cities_JP.json gives one QID to different places; left out)")
            continue
        entries.append(_jp_entry(qid, chosen))
    return entries, conflicts


def _cluster_same_place(group: Sequence[dict]) -> list[list[dict]]:
    """Group rows that name the same place: same name base (``Abashiri`` = ``Abashiri Shi``) or ≤ 15 km."""
    clusters: list[list[dict]] = []
    for r in group:
        base = split_name(r["name"]).base
        native = split_name(r.get("native") or "").base
        lat, lon = _float(r.get("latitude")), _float(r.get("longitude"))
        for c in clusters:
            c0 = c[0]
            same_name = base == split_name(c0["name"]).base or (
                native and native == split_name(c0.get("native") or "").base
            )
            la, lo = _float(c0.get("latitude")), _float(c0.get("longitude"))
            close = None not in (lat, lon, la, lo) and haversine_km(lat, lon, la, lo) <= 15  # type: ignore[arg-type]
            if same_name and (close or None in (lat, lon, la, lo)):
                c.append(r)
                break
        else:
            clusters.append([r])
    return clusters


def _jp_entry(qid: str, rows: list[dict]) -> PlaceEntry:
    names: list[tuple[str, str]] = []
    pop = None
    lat = lon = None
    for r in sorted(rows, key=lambda r: (r.get("type") != "city", r["name"])):
        names.append((r["name"], "en"))
        if r.get("native"):
            names.append((r["native"], "ja"))
        for lang in ("it", "ja", "de", "fr", "es"):
            t = (r.get("translations") or {}).get(lang)
            if t:
                names.append((t, lang))
        pop = pop if pop is not None else _int(r.get("population"))
        if lat is None:
            lat, lon = _float(r.get("latitude")), _float(r.get("longitude"))
    kinds = {MUNICIPALITY if r.get("type") in _JP_MUNICIPAL_TYPES else ADMIN for r in rows}
    return PlaceEntry(
        qid, tuple(dict.fromkeys(names)), "JP", frozenset(kinds), lat, lon, pop, sources=frozenset({DR5HN_SOURCE})
    )


def read_eurocities(sources: Path, qid_to_iso: dict[str, str]) -> list[PlaceEntry]:
    """Eurocities members (QID, names, coordinates, country, population)."""
    path = sources / EUROCITIES_SOURCE / "members-wikidata-enriched.json"
    try:
        members = json.loads(path.read_text(encoding="utf-8"))["members"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise InputError(f"{path}: cannot read the Eurocities members: {e}") from None
    out = []
    for m in members:
        qid = str(m.get("wikidata_id") or "")
        if not _is_qid(qid):
            continue
        names = tuple(dict.fromkeys([(m.get("wikidata_name") or "", "en"), (m.get("name_on_website") or "", "en")]))
        out.append(
            PlaceEntry(
                qid,
                tuple(n for n in names if n[0]),
                qid_to_iso.get(str(m.get("country"))),
                frozenset({MUNICIPALITY}),
                _float(m.get("latitude")),
                _float(m.get("longitude")),
                _int(m.get("population")),
                sources=frozenset({EUROCITIES_SOURCE}),
            )
        )
    return out


def read_p190(sources: Path) -> tuple[list[PlaceEntry], dict[str, set[str]]]:
    """Labels from ``names.tsv`` (language unknown) and the P190 edges (as an undirected partner map)."""
    folder = sources / P190_SOURCE
    partners: dict[str, set[str]] = defaultdict(set)
    try:
        with (folder / "relations.tsv").open(encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2 and _is_qid(parts[0]) and _is_qid(parts[1]) and parts[0] != parts[1]:
                    partners[parts[0]].add(parts[1])
                    partners[parts[1]].add(parts[0])
        entries = []
        with (folder / "names.tsv").open(encoding="utf-8") as f:
            for line in f:
                qid, _, label = line.rstrip("\n").partition("\t")
                if _is_qid(qid) and label.strip():
                    entries.append(PlaceEntry(qid, ((label.strip(), ""),), sources=frozenset({P190_SOURCE})))
    except OSError as e:
        raise InputError(f"{folder}: cannot read the Wikidata P190 crawl: {e}") from None
    return entries, partners


def build_gazetteer_index(
    sources: str | Path = "data/sources", *, exclude: Sequence[str] = (), exclude_qids: Iterable[str] = ()
) -> PlaceIndex:
    """The offline index from the shipped gazetteers.

    ``exclude`` leaves out whole sources (``eurocities-wikidata``, or ``cities_JP`` for the Japanese
    cities file alone) and ``exclude_qids`` single items — to measure reconciliation on held-out data.
    """
    root = Path(sources)
    if not root.is_dir():
        raise InputError(f"{root}: no such directory (the gazetteers ship in data/sources/)")
    countries, qid_to_iso = read_countries(root)
    entries: list[PlaceEntry] = list(countries)
    partners: dict[str, set[str]] = {}
    confirmed: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = {"countries": len(countries)}
    if P190_SOURCE not in exclude:
        p190, partners = read_p190(root)
        entries += p190
        counts["p190 labels"] = len(p190)
        for e in p190:
            confirmed[e.key] |= {k.base for k in e.name_keys()}
    if DR5HN_SOURCE not in exclude:
        states = read_states(root)
        entries += states
        counts["states"] = len(states)
    euro: list[PlaceEntry] = []
    if EUROCITIES_SOURCE not in exclude:
        euro = read_eurocities(root, qid_to_iso)
        entries += euro
        counts["eurocities"] = len(euro)
        for e in euro:
            confirmed[e.key] |= {k.base for k in e.name_keys()}
    conflicts: list[str] = []
    if DR5HN_SOURCE not in exclude and "cities_JP" not in exclude:
        jp, conflicts = read_japanese_cities(root, confirmed)
        entries += jp
        counts["japanese municipalities"] = len(jp)
        counts["japanese QID conflicts left out"] = len(conflicts)
    skip = set(exclude_qids)
    entries = [e for e in entries if e.key not in skip]
    index = PlaceIndex.from_entries(entries)
    # partner evidence: the P190 neighbours' QIDs and their name bases (in every language we know)
    if partners:
        base_of = {k: frozenset(nk.base for nk in e.name_keys()) for k, e in index.entries.items()}
        for key, e in list(index.entries.items()):
            ps = partners.get(key)
            if ps:
                pk = frozenset().union(*(base_of.get(p, frozenset()) for p in ps))
                index.entries[key] = replace(e, partners=frozenset(ps), partner_keys=pk)
    index.conflicts = conflicts
    index.counts = counts | {"entries": len(index)}
    return index


def _csv_rows(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e}") from None


def _is_qid(s: str) -> bool:
    return len(s) > 1 and s[0] == "Q" and s[1:].isdigit() and s[1] != "0"


def _float(v: object) -> float | None:
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _int(v: object) -> int | None:
    f = _float(v)
    return int(f) if f is not None else None


__all__ = [
    "PlaceEntry",
    "PlaceIndex",
    "build_gazetteer_index",
    "split_name",
]
split_name = split_name  # re-exported for the doctest above
