"""The QID gazetteers: Eurocities members, dr5hn's Japanese municipalities and divisions, and the
seed's places: entries with a QID, names, country and coordinates, given to the places with the same
name and country (:func:`attach_gazetteers`).

(The world gazetteer of GeoNames places, without QIDs, is :mod:`graphkit.places.gazetteer`.)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from graphkit.ingest import dr5hn, eurocities, l3viathan
from graphkit.ingest.clean import (
    JP_SUFFIX_KANJI,
    classify_kind,
    dedupe_qid_claims,
    garbled_japanese_name,
    japan_base_name,
    normalize_unicode,
)
from graphkit.ingest.countries import CountryTable, fold
from graphkit.ingest.ledger import Ledger
from graphkit.ingest.model import Place, UnionFind
from graphkit.places.gazetteer import Gazetteer, shared_gazetteer
from graphkit.places.geodesy import haversine_km

#: A gazetteer entry this close to a place with the same name is that place.
GAZETTEER_KM = 30.0

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
    #: the division type a dr5hn division row states ("two-tier county", "metropolitan district")
    division_type: str = ""


def gazetteer_entries(
    folder: Path,
    table: CountryTable,
    l3_names: dict[str, str],
    ledger: Ledger,
    seed: dict[str, dict[str, object]],
    *,
    states: list[dr5hn.StateRow] | None = None,
    geonames: Gazetteer | None = None,
) -> list[GazetteerEntry]:
    """Eurocities members, deduplicated dr5hn Japanese municipalities and divisions, and seed places.

    ``states`` are the dr5hn divisions, if already read. ``geonames`` confirms Japanese native names
    that the garbled rows put in doubt (:func:`_trusted_native`); without it they are not used.
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
    garbled = _flag_garbled_natives(jp, ledger)
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
        native = _trusted_native(rows, garbled, geonames)
        it = next((r.translations.get("it", "") for r in rows if r.translations.get("it")), "")
        coords = next((r.coords for r in rows if r.coords and r.type == "adm2"), None) or next(
            (r.coords for r in rows if r.coords), None
        )
        pop = max((r.population for r in rows if r.population), default=None)
        names = {"ja": native} if native else {}
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
                s.type.lower(),
            )
        )
    for qid, info in seed.items():
        iso = str(info.get("iso") or "")
        if iso:
            labels = {fold(str(x)) for x in info.get("labels", ())}  # type: ignore[attr-defined]  # seed values are untyped JSON
            out.append(GazetteerEntry(qid, iso, {}, info.get("coords"), None, "municipality", "seed", labels))  # type: ignore[arg-type]
    return out


def _flag_garbled_natives(rows: list[dr5hn.JapanCityRow], ledger: Ledger) -> set[int]:
    """The rows (their ``id()``) whose native name contradicts the romanised one
    (:func:`~graphkit.ingest.clean.garbled_japanese_name`): counted and listed in the rejects."""
    out = set()
    for r in rows:
        if garbled_japanese_name(r.name, r.native):
            out.add(id(r))
            ledger.count("garbled-label", f"{r.name} / {r.native}", "native name not used")
            ledger.reject(
                dr5hn.SOURCE_ID,
                f"cities_JP.json {r.qid or r.name}",
                f"{r.name} / {r.native}",
                "garbled-label",
                f"the native name does not end with the suffix {r.name.rsplit(maxsplit=1)[-1]!r} says: not used",
            )
    return out


def _trusted_native(rows: list[dr5hn.JapanCityRow], garbled: set[int], geonames: Gazetteer | None = None) -> str:
    """The longest native name of one QID's rows that is not garbled; "" when none is left.

    The other rows of a QID with a garbled row often carry the same transliteration without the
    suffix ("Itō" → 伊藤 beside "Itō Shi" → 伊藤史; the city is 伊東市; "Shiki" → 子規, the city is
    志木市): their native names are used only when GeoNames names a Japanese place within
    :data:`GAZETTEER_KM` of the rows by them, with or without the right suffix (浜田 → 浜田市, Hamada).

    >>> from graphkit.ingest.dr5hn import JapanCityRow
    >>> ito = [JapanCityRow("Itō", "伊藤", "adm2", "Q721163", (34.97, 139.08), None, "22", {}),
    ...        JapanCityRow("Itō Shi", "伊藤史", "adm2", "Q721163", (34.94, 139.09), None, "22", {})]
    >>> kama = [JapanCityRow("Kama", "嘉麻", "adm2", "Q376901", None, None, "40", {}),
    ...         JapanCityRow("Kama Shi", "カマ・シ", "city", "Q376901", None, None, "40", {})]
    >>> _trusted_native(ito, {id(ito[1])}), _trusted_native(kama, {id(kama[1])}), _trusted_native(kama[:1], set())
    ('', '', '嘉麻')
    """
    bad = [r for r in rows if id(r) in garbled]
    coords = [r.coords for r in rows if r.coords]

    def trusted(r: dr5hn.JapanCityRow) -> bool:
        if id(r) in garbled:
            return False
        if not bad:
            return True
        if geonames is None or not coords:
            return False
        suffix = _kanji_suffix(bad[0].name)
        return any(
            haversine_km(p.lat, p.lon, *c) <= GAZETTEER_KM
            for name in {r.native, r.native + suffix}
            for p in geonames.candidates(name, "JP")
            for c in coords
        )

    return max((r.native for r in rows if r.native and trusted(r)), key=len, default="")


def _kanji_suffix(romanised: str) -> str:
    """The kanji of a romanised type suffix: ``"Itō Shi"`` → ``"市"`` ("" without one)."""
    word = romanised.replace("-", " ").rsplit(maxsplit=1)[-1].lower()
    return JP_SUFFIX_KANJI.get(word, "")


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
            p.population, p.population_source = e.population, e.source
        ledger.count(
            f"qid-from-{e.source if e.source != dr5hn.SOURCE_ID else 'dr5hn'}", f"{p.main_label()} ({p.iso})", e.qid
        )
    return assigned


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
    entries = gazetteer_entries(sources_dir, table, l3_names, ledger, seed, states=states, geonames=shared_gazetteer())
    return entries, ledger, l3_names


def _l3_names(raw_names: dict[str, str]) -> dict[str, str]:
    """The Wikidata crawl's labels, Unicode-normalised."""
    return {q: normalize_unicode(n) for q, n in raw_names.items()}
