"""Places located and enriched by the world gazetteer (GeoNames, :mod:`graphkit.places.gazetteer`).

* :func:`locate_places`: a municipality is a GeoNames place when one of its names (any language)
  names it and the evidence is enough: its coordinates lie within :data:`MATCH_KM` of it, or (without
  coordinates) it is the only place of that name in the place's country, or in the whole world
  with at least :data:`MIN_BARE_POPULATION` inhabitants. A name several places share with no
  evidence to choose (Frankfurt, Córdoba, Naples US/IT) is left unresolved and listed with its
  candidates (reject ``ambiguous-place-name``). The match gives a missing country and coordinates,
  the GeoNames id, the admin1 region, and a population where no source gave one.
* :func:`merge_same_place`: municipalities that are the same GeoNames place, and municipalities
  with the same name a few km apart across a border (Kufstein AT/DE), are one place.
* :func:`different_places`: the gazetteer's veto on merging two names (Bruxelles and Ixelles).

Same precision bar as linking: a wrong country is worse than none.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from graphkit.ingest import dr5hn
from graphkit.ingest.clean import split_disambiguator
from graphkit.ingest.countries import fold
from graphkit.ingest.gazetteers import GazetteerEntry
from graphkit.ingest.ledger import Ledger
from graphkit.ingest.model import Place, UnionFind, fold_unions
from graphkit.ingest.place_evidence import Evidence, admin_names, by_partner_lists, by_qualifier, near_partner
from graphkit.ingest.sources import GEONAMES
from graphkit.places.gazetteer import Gazetteer, GazetteerPlace
from graphkit.places.geodesy import KM_PER_DEGREE_LAT, haversine_km
from graphkit.places.transliteration import TRANSCRIBED_COUNTRIES, english_spellings

#: A GeoNames place with one of the place's names this near its coordinates is the place.
MATCH_KM = 15.0
#: Candidates of one name in one country this near each other are one site (GeoNames lists a town
#: and its centre, or a city and its seat, as two entries).
SITE_KM = 10.0
#: A name unique in the whole gazetteer, with no other evidence, is trusted only for a place this big.
MIN_BARE_POPULATION = 1000
#: Two GeoNames places farther apart than this are different places (Bruxelles and Ixelles: 2.5 km).
DIFFERENT_KM = 1.0
#: Kinds the gazetteer (populated places) can locate.
LOCATABLE = frozenset({"municipality"})


def place_names(p: Place) -> list[str]:
    """Every label of a place, without a bracketed disambiguator ("Kusatsu (Gunma)" → "Kusatsu")."""
    out: dict[str, None] = {}
    for variants in p.labels.values():
        for text in variants:
            out.setdefault(split_disambiguator(text)[0] or text)
    return list(out)


def candidates(gazetteer: Gazetteer, names: Iterable[str], country: str = "") -> list[GazetteerPlace]:
    """GeoNames places named by any of ``names`` (in ``country`` if given), each once."""
    seen: dict[int, GazetteerPlace] = {}
    for name in names:
        for c in gazetteer.candidates(name, country or None):
            seen.setdefault(c.geonames_id, c)
    return sorted(seen.values(), key=lambda c: (-c.population, c.geonames_id))


def sites(cands: list[GazetteerPlace]) -> list[list[GazetteerPlace]]:
    """Candidates grouped into sites: same country, within :data:`SITE_KM` of the site's largest.

    >>> a = GazetteerPlace(1, "A", "IT", 40.0, 14.0, 900, "04"); b = GazetteerPlace(2, "A", "IT", 40.01, 14.0, 50, "04")
    >>> c = GazetteerPlace(3, "A", "US", 26.1, -81.8, 20, "FL")
    >>> [[p.geonames_id for p in s] for s in sites([a, b, c])]
    [[1, 2], [3]]
    """
    out: list[list[GazetteerPlace]] = []
    max_dlat = SITE_KM / KM_PER_DEGREE_LAT
    for c in cands:  # largest first
        for s in out:
            if (
                s[0].country == c.country
                and abs(s[0].lat - c.lat) <= max_dlat  # no site farther north or south can be this near
                and haversine_km(s[0].lat, s[0].lon, c.lat, c.lon) <= SITE_KM
            ):
                s.append(c)
                break
        else:
            out.append([c])
    return out


def match(
    p: Place, cands: list[GazetteerPlace], gazetteer: Gazetteer | None = None, evidence: Evidence | None = None
) -> tuple[GazetteerPlace | None, str]:
    """The GeoNames place ``p`` is, and the evidence (or None and why not).

    Several candidate sites are narrowed by the labels' disambiguators and, given ``evidence``, by
    the partners' lists (:mod:`graphkit.ingest.place_evidence`)."""
    if p.iso:
        cands = [c for c in cands if c.country == p.iso]
    if not cands:
        return None, "no-candidate"
    xy = p.best_coords()
    if xy is not None:
        near = [c for c in cands if haversine_km(xy[0], xy[1], c.lat, c.lon) <= MATCH_KM]
        return (near[0], "name-and-coordinates") if near else (None, "no-candidate-near")
    found = sites(cands)
    if len(found) > 1 and gazetteer is not None and evidence is not None:
        narrowed = by_qualifier(p, found, gazetteer, evidence)
        if len(narrowed) == 1:
            return narrowed[0][0], "name-and-disambiguator"
        gp, why = by_partner_lists(p, narrowed, evidence)
        if gp is not None:
            return gp, why
    if len(found) > 1:
        return None, "ambiguous"
    best = found[0][0]
    if p.iso:
        return best, "name-unique-in-country"
    if best.population >= MIN_BARE_POPULATION:
        return best, "name-unique-in-world"
    if evidence is not None and near_partner(p, best, evidence):
        return best, "name-unique-small-near-partner"
    return None, "unique-but-small"


def one_country(cands: list[GazetteerPlace]) -> str:
    """The country of every candidate site when they share one and the largest has at least
    :data:`MIN_BARE_POPULATION` inhabitants (Nienburg: two in DE), else "" (the country is then as
    sure as a name unique in the world; which of the sites is not).

    >>> a = GazetteerPlace(1, "A", "DE", 52.6, 9.2, 32629, "06")
    >>> b = GazetteerPlace(2, "A", "DE", 51.8, 11.7, 4527, "14")
    >>> one_country([a, b]), one_country([a, GazetteerPlace(3, "A", "US", 26.1, -81.8, 20, "FL")])
    ('DE', '')
    """
    countries = {c.country for c in cands}
    if len(countries) != 1 or max(c.population for c in cands) < MIN_BARE_POPULATION:
        return ""
    return countries.pop()


def _candidates_of(gazetteer: Gazetteer, p: Place) -> list[GazetteerPlace]:
    """GeoNames places named by ``p``'s names; when none, by the seat names inside its administrative
    names ("Gmina Skawina" → Skawina, in PL), in the countries their words allow; when still none,
    by the English spellings of a German transcription from another script ("Charzysk" →
    Khartsyzk), in the countries that write one (:mod:`graphkit.places.transliteration`)."""
    names = place_names(p)
    cands = candidates(gazetteer, names)
    if cands:
        return cands
    seats, countries = admin_names(names)
    cands = candidates(gazetteer, seats)
    cands = [c for c in cands if c.country in countries] if countries else cands
    if cands or (p.iso and p.iso not in TRANSCRIBED_COUNTRIES):
        return cands
    spelt = candidates(gazetteer, (s for n in names for s in english_spellings(n)))
    return [c for c in spelt if c.country in TRANSCRIBED_COUNTRIES]


def locate_places(
    places: dict[int, Place], gazetteer: Gazetteer, ledger: Ledger, evidence: Evidence | None = None
) -> None:
    """Match every municipality with the gazetteer (:func:`match`); fill in what the match gives.

    Names several places share are decided in a second pass, with ``evidence`` (the partners' lists
    name places the first pass located); a name whose sites all lie in one country gives that
    country (:func:`one_country`) and stays listed as ambiguous.

    The shares of municipalities with a country and coordinates before it are kept in the ledger's
    facts (``municipalities-before-geonames``) for the report's before/after."""
    ms = [p for p in places.values() if p.kind == "municipality"]
    ledger.facts["municipalities-before-geonames"] = {
        "total": len(ms),
        "with_country": sum(1 for p in ms if p.iso),
        "with_coordinates": sum(1 for p in ms if p.best_coords() is not None),
    }
    undecided: list[tuple[Place, list[GazetteerPlace], bool, bool]] = []
    for p in places.values():
        if p.kind not in LOCATABLE:
            continue
        xy = p.best_coords()
        had_country, had_coords = bool(p.iso), xy is not None
        if xy is not None:  # the fast path of match() for a located place named in the gazetteer
            near = gazetteer.near(place_names(p), xy[0], xy[1], MATCH_KM, p.iso or None)
            if near is not False:
                if near is not None:
                    _located(p, near, "name-and-coordinates", had_country, had_coords, ledger)
                continue
        cands = _candidates_of(gazetteer, p)
        gp, why = match(p, cands)
        if gp is None:
            if why in ("ambiguous", "unique-but-small") and not (had_country and had_coords):
                undecided.append((p, cands, had_country, had_coords))
            continue
        _located(p, gp, why, had_country, had_coords, ledger)
    for p, cands, had_country, had_coords in undecided:
        gp, why = match(p, cands, gazetteer, evidence) if evidence is not None else (None, "no-evidence")
        if gp is not None:
            _located(p, gp, why, had_country, had_coords, ledger)
            continue
        if len(sites(cands)) == 1 and cands[0].population < MIN_BARE_POPULATION:
            ledger.count("small-namesake-without-near-partner", p.main_label(), cands[0].country)
            continue
        if not had_country and (iso := one_country(cands)):
            p.iso = iso
            ledger.count("country-from-geonames-one-country", p.main_label(), f"{iso} ({len(cands)} places)")
        shown = "; ".join(f"{c.name} ({c.country}, {c.geonames_id}, pop. {c.population:,})" for c in cands[:8])
        ledger.reject(
            "geonames",
            "place",
            f"{p.main_label()} ({p.iso or '?'}{', ' + p.qid if p.qid else ''})",
            "ambiguous-place-name",
            f"{len(cands)} GeoNames places share the name: {shown}",
        )
        ledger.count("ambiguous-name-left-unresolved", p.main_label(), f"{len(cands)} candidates")


def _located(p: Place, gp: GazetteerPlace, evidence: str, had_country: bool, had_coords: bool, ledger: Ledger) -> None:
    """Record that ``p`` is ``gp`` and fill in what it lacks (country, coordinates, population)."""
    p.geonames = gp
    p.sources.add(GEONAMES)
    ledger.count_lazy(f"geonames-match-{evidence}", lambda: (f"{p.main_label()} ({p.iso or '?'})", gp.geonames_id))
    if not had_country:
        p.iso = gp.country
        ledger.count_lazy("country-from-geonames", lambda: (p.main_label(), f"{gp.country} ({evidence})"))
    if not had_coords:
        p.coords.append((4, (gp.lat, gp.lon), "geonames"))
        ledger.count_lazy("coordinates-from-geonames", lambda: (p.main_label(), f"{gp.lat},{gp.lon}"))
    if not p.population and gp.population:
        p.population, p.population_source = gp.population, GEONAMES
        ledger.count("population-from-geonames")


def merge_same_place(places: dict[int, Place], uf: UnionFind, ledger: Ledger, keep_qids: Iterable[str] = ()) -> None:
    """One node per place: municipalities matched to the same GeoNames place (a Swedish kommun and its
    town are two Wikidata items: the node keeps one QID, preferring ``keep_qids`` (the seed's) and the
    one the lists matched, and lists the others), and an unmatched municipality with the same name
    within :data:`NEAR_KM` of a matched one, in any country (Kufstein put in DE by a source is the
    Austrian Kufstein 1 km away). Two different GeoNames places of one name stay two (Bristol TN/VA)."""
    keep = set(keep_qids)
    by_gid: dict[int, list[Place]] = defaultdict(list)
    for p in places.values():
        if p.geonames is not None and p.kind in LOCATABLE:
            by_gid[p.geonames.geonames_id].append(p)
    primary: dict[int, str] = {}  # a member's id → the QID the merged node keeps
    for gid, group in by_gid.items():
        if len(group) < 2:
            continue
        qids = sorted(
            {p.qid for p in group if p.qid},
            key=lambda q: (q not in keep, not any(p.qid == q and len(p.sources) > 1 for p in group), int(q[1:])),
        )
        for other in group[1:]:
            into = f"{group[0].main_label()} ({gid})"
            what = f"{other.main_label()} ({other.iso}, {other.qid or 'no QID'})"
            ledger.count("same-geonames-place-merged", what, into)
            _merges(ledger).append(f"{what} → {into}: same GeoNames place")
            uf.union(group[0].id, other.id)
        if qids:
            primary[group[0].id] = qids[0]
    _merge_nearby_same_name(places, uf, ledger)
    fold_unions(places, uf)
    for pid, q in primary.items():
        p = places[uf.find(pid)]
        if p.qid != q:
            p.other_qids = (p.other_qids | {p.qid}) - {q, ""}
            p.qid = q


def _merges(ledger: Ledger) -> list[str]:
    """The list of merges for the report (``ledger.facts["place-merges"]``)."""
    return ledger.facts.setdefault("place-merges", [])  # type: ignore[return-value]


#: An unmatched municipality this near a GeoNames-matched one with the same name is that place.
NEAR_KM = 15.0


def _merge_nearby_same_name(places: dict[int, Place], uf: UnionFind, ledger: Ledger) -> None:
    by_name: dict[str, list[Place]] = defaultdict(list)
    for p in places.values():
        if p.kind in LOCATABLE and p.best_coords() is not None:
            for f in p.folds():
                by_name[f].append(p)
    for group in by_name.values():
        anchors = [p for p in group if p.geonames is not None]
        for p in group:
            if p.geonames is not None or uf.find(p.id) != p.id:
                continue
            xy = p.best_coords()
            assert xy is not None
            near = {
                a.geonames.geonames_id: a  # type: ignore[union-attr]
                for a in anchors
                if haversine_km(*xy, a.geonames.lat, a.geonames.lon) <= NEAR_KM  # type: ignore[union-attr]
                and not (p.qid and a.qid and p.qid != a.qid and a.iso == p.iso)
            }
            if len(near) == 1:
                a = next(iter(near.values()))
                rule = "same-name-nearby-merged" if a.iso == p.iso else "same-name-across-border-merged"
                ledger.count(rule, f"{p.main_label()} ({p.iso})", f"{a.main_label()} ({a.iso})")
                _merges(ledger).append(f"{p.main_label()} ({p.iso}) → {a.main_label()} ({a.iso}): {rule}")
                uf.union(a.id, p.id)
                p.iso = a.iso  # folded into a; its country is the gazetteer's


def different_places(gazetteer: Gazetteer, a: Place, b: Place) -> tuple[GazetteerPlace, GazetteerPlace] | None:
    """The two GeoNames places, when ``a`` and ``b`` (same country, located) are named after different
    places more than :data:`DIFFERENT_KM` apart (Bruxelles and Ixelles); else None."""
    ga, _ = match(a, candidates(gazetteer, place_names(a), a.iso))
    gb, _ = match(b, candidates(gazetteer, place_names(b), b.iso))
    if ga is None or gb is None or ga.geonames_id == gb.geonames_id:
        return None
    if haversine_km(ga.lat, ga.lon, gb.lat, gb.lon) <= DIFFERENT_KM:
        return None
    return ga, gb


#: Words that name something other than a town, in the sources' languages (Italian, English and
#: the Wikidata crawl's German): a heritage site or old town, a park, a port, a school, a church or
#: temple, a language, a party.
_NOT_A_PLACE = re.compile(
    r"\b(?:villaggi storici|villaggio storico|historic villages?|historische[sn]? d[öo]rf(?:er)?|patrimonio|"
    r"heritage site|world heritage|welterbe|unesco|altstadt von|centro storico di|hafen von|"
    r"parco nazionale|national park|nationalpark|universit[àa]|university|universität|scuola|school|museo|museum|"
    r"cattedrale|cathedral|abbazia|abbey|santuario|sanctuary|monastero|monastery|kloster|temple|tempel|"
    r"sprache|language|lingua|congress|kongress)\b",
    re.IGNORECASE,
)


def is_not_a_place(name: str) -> bool:
    """True when a name says it is a site, park, school, church, language or party rather than a town.

    >>> is_not_a_place("Villaggi storici di Shirakawa-gō e Gokayama"), is_not_a_place("Park City")
    (True, False)
    >>> is_not_a_place("Tuwinische Sprache"), is_not_a_place("Altstadt von Florenz"), is_not_a_place("Altstadt")
    (True, True, False)
    """
    return _NOT_A_PLACE.search(name) is not None


def drop_non_places(
    places: dict[int, Place], gazetteer: Gazetteer, ledger: Ledger, keep_qids: Iterable[str] = ()
) -> None:
    """Municipalities whose name says they are a site, park, school, church, language or party, and
    that the gazetteer does not know as a town (Temple, Texas; Tempio Pausania stay), are not places:
    removed, with or without a QID (the Wikidata crawl's "Tuwinische Sprache"); their relations are
    rejects (``relation-dropped``). Places of the curated graph (``keep_qids``) are never dropped."""
    keep = set(keep_qids)
    for pid in sorted(places):
        p = places[pid]
        if p.kind not in LOCATABLE or (p.qid and p.qid in keep):
            continue
        names = place_names(p)
        if any(is_not_a_place(n) for n in names) and not candidates(gazetteer, names):
            del places[pid]
            item = f"{p.main_label()} ({p.iso or '?'}{', ' + p.qid if p.qid else ''})"
            ledger.count("not-a-place-removed", item, "not a town")
            ledger.reject("merge", "place", item, "not-a-place", "its name says it is not a town (a site, a language)")


#: Names of a body above the municipality: a French canton or intercommunal community, an Indian
#: reservation ("Kanton Villé", "Communauté urbaine d'Arras", "Blackfeet Indian Reservation").
_AREA_NAME = re.compile(
    r"^(?:kanton|canton of)\s|\bcommunaut[ée] (?:urbaine|de communes|d[’']agglom[ée]ration)\b|\bindian reservation\b",
    re.IGNORECASE,
)


def areas_by_name(places: dict[int, Place], gazetteer: Gazetteer, ledger: Ledger) -> None:
    """A municipality named as a canton, an intercommunal community or a reservation
    (:data:`_AREA_NAME`), that no GeoNames populated place bears, is an administrative area.

    >>> from graphkit.places.gazetteer import Gazetteer
    >>> places = {i: Place(i, "", "municipality", n) for i, n in enumerate(["Kanton Villé", "Arras"])}
    >>> for p in places.values(): p.add_label("de", p.key_name)
    >>> areas_by_name(places, Gazetteer.from_records([]), Ledger())
    >>> [p.kind for p in places.values()]
    ['area', 'municipality']
    """
    for p in places.values():
        if p.kind != "municipality":
            continue
        names = place_names(p)
        if any(_AREA_NAME.search(n) for n in names) and not candidates(gazetteer, names):
            ledger.count("area-by-name", f"{p.main_label()} ({p.iso or '?'})", "an area, not a municipality")
            p.kind = "area"


#: A prefecture, region or province the lists call by a city's name is that city when GeoNames has a
#: populated place of the name this big in its country (Tokyo: a metropolis and a city).
CITY_AREA_MIN_POPULATION = 100_000
_AREA_WORDS = re.compile(
    r"\b(?:prefecture|province|provincia|region|regione|state|county|metropolis|präfektur)\b", re.I
)


def cities_not_areas(places: dict[int, Place], gazetteer: Gazetteer, ledger: Ledger) -> None:
    """A place typed prefecture/region/province only because of an area's label (the Wikidata crawl's
    "Präfektur Tokio"), which the lists name like a city ("Tokyo"), is a party as a municipality."""
    for p in places.values():
        if p.kind not in ("prefecture", "region", "province") or not p.iso:
            continue
        listed = [t for lang in ("en", "it") for t in p.labels.get(lang, ())]
        if not listed or any(_AREA_WORDS.search(t) for t in listed):
            continue
        big = [c for c in candidates(gazetteer, listed, p.iso) if c.population >= CITY_AREA_MIN_POPULATION]
        xy = p.best_coords()
        if big and (xy is None or haversine_km(*xy, big[0].lat, big[0].lon) <= 50):
            ledger.count("city-that-is-also-an-area", f"{p.main_label()} ({p.iso})", f"{p.kind} → municipality")
            p.kind = "municipality"


#: Kinds of the dr5hn divisions that are never a municipality.
_DIVISION_KINDS = frozenset({"prefecture", "province", "region", "district"})
#: Division types that are the local (municipal) tier: England's metropolitan boroughs (Kirklees, Wirral).
_MUNICIPAL_DIVISIONS = frozenset({"metropolitan district"})


def areas_named_like_divisions(
    places: dict[int, Place], entries: Iterable[GazetteerEntry], gazetteer: Gazetteer, ledger: Ledger
) -> None:
    """A municipality every name of which is the full name of a division of dr5hn's ``states.csv``
    (a county, province, region: "Derbyshire", "Lancashire", "Rhode Island"), in its country or, without
    one, in one country, and that no GeoNames populated place bears, is that division: typed so, and
    given the division's country when it had none.

    A town named like its province (Perugia, Salzburg) is a GeoNames place and stays a municipality;
    so does a node matched to GeoNames, "Durham" (the county is "County Durham"), and a metropolitan
    borough (Kirklees: a local authority).

    >>> from graphkit.places.gazetteer import Gazetteer
    >>> from graphkit.ingest.dr5hn import SOURCE_ID as SOURCE
    >>> gz = Gazetteer.from_records([{"geonameid": 1, "name": "Durham", "latitude": 54.8, "longitude": -1.6,
    ...     "countrycode": "GB", "population": 48000, "admin1code": "ENG", "alternatenames": []}])
    >>> divisions = [GazetteerEntry("Q23098", "GB", {"en": "Derbyshire"}, None, None, "district", SOURCE, set()),
    ...              GazetteerEntry("Q1", "GB", {"en": "Durham"}, None, None, "district", SOURCE, set())]
    >>> places = {i: Place(i, "", "municipality", n) for i, n in enumerate(["Derbyshire", "Durham"])}
    >>> for p in places.values(): p.add_label("", p.key_name)
    >>> areas_named_like_divisions(places, divisions, gz, Ledger())
    >>> [(p.kind, p.iso) for p in places.values()]
    [('district', 'GB'), ('municipality', '')]
    """
    divisions: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for e in entries:
        if e.source != dr5hn.SOURCE_ID or e.kind not in _DIVISION_KINDS or e.division_type in _MUNICIPAL_DIVISIONS:
            continue
        for name in e.names.values():
            divisions[fold(name)].add((e.iso, e.kind))
    for p in places.values():
        if p.kind != "municipality" or p.geonames is not None or not p.labels:
            continue
        names = place_names(p)
        found = [{d for d in divisions.get(fold(n), ()) if not p.iso or d[0] == p.iso} for n in names]
        if not all(found):
            continue
        common = set.intersection(*found)
        if len({iso for iso, _ in common}) != 1 or len({k for _, k in common}) != 1:
            continue
        if candidates(gazetteer, names, p.iso):
            continue
        iso, kind = next(iter(common))
        ledger.count("area-named-like-a-division", f"{p.main_label()} ({p.iso or '?'})", f"{kind} in {iso}")
        p.kind, p.iso = kind, p.iso or iso
