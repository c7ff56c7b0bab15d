"""Reconciliation: candidates with a score for a place, and ``match`` only when the evidence is unambiguous.

Evidence for a candidate (each shown in the review file):

- **name** — the best agreement between any of the query's names and any of the candidate's labels or
  aliases, in any language (:func:`graphkit.wikidata.names.name_similarity`);
- **country** — same ISO code (+), different (a contradiction), or unknown;
- **type** — municipality vs administrative area (region, province, prefecture): different is a
  contradiction;
- **distance** — within 10 km (strong), 30 km (some), over 60 km (a contradiction);
- **shared partners** — the candidate's P190 partners that are also our partners (by QID or by name).

The score (0–100) ranks candidates; the decision does not rest on the score alone (a name-only 100 is
the classic reconciliation complaint). A candidate is a **match** only when its name agrees fully (or
partly, ``Frankfurt`` for ``Frankfurt am Main``, with coordinates within 10 km), it has no
contradiction, at least one independent piece of evidence supports it (country, distance, or a shared
partner), and no other candidate remains plausible with support of its own, or within 10 points.
So *Frankfurt* alone matches neither Frankfurt am Main nor Frankfurt (Oder), and *Córdoba* does not match
the Argentinian city when the query says Spain.

>>> from graphkit.wikidata.gazetteer import PlaceEntry, PlaceIndex
>>> idx = PlaceIndex.from_entries([
...     PlaceEntry("Q1794", (("Frankfurt am Main", ""),), "DE", kind="municipality", lat=50.11, lon=8.68),
...     PlaceEntry("Q4024", (("Frankfurt (Oder)", ""),), "DE", kind="municipality", lat=52.34, lon=14.55)])
>>> [c.key for c in reconcile(PlaceQuery(("Frankfurt",), country="DE"), idx) if c.match]
[]
>>> [c.key for c in reconcile(PlaceQuery(("Frankfurt",), country="DE", lat=50.1, lon=8.7), idx) if c.match]
['Q1794']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from graphkit.places.geodesy import haversine_km
from graphkit.wikidata.gazetteer import ADMIN, COUNTRY, MUNICIPALITY, UNKNOWN, PlaceEntry, PlaceIndex
from graphkit.wikidata.names import NameKey, name_similarity, name_variants, split_name

#: Weights of the score (0-100).
NAME_WEIGHT = 50.0
COUNTRY_AGREE, COUNTRY_DISAGREE = 15.0, -40.0
TYPE_AGREE, TYPE_DISAGREE = 5.0, -25.0
NEAR_KM, CLOSE_KM, FAR_KM = 10.0, 30.0, 60.0
PARTNER_POINTS, PARTNER_CAP = 8.0, 3
#: Below this name agreement a candidate is not listed.
MIN_NAME = 0.5
#: A match needs this much name agreement, and this lead over any other plausible candidate.
MATCH_NAME, MATCH_MARGIN = 0.95, 10.0


@dataclass(frozen=True)
class PlaceQuery:
    """What we know about a place to reconcile: names (any language), country, kind, coordinates, partners."""

    names: tuple[str, ...]
    country: str | None = None
    kind: str | None = None
    lat: float | None = None
    lon: float | None = None
    partner_qids: frozenset[str] = frozenset()
    partner_names: frozenset[str] = frozenset()
    identifier: str | None = None

    def name_keys(self) -> list[NameKey]:
        return list(dict.fromkeys(split_name(v) for n in self.names if n and n.strip() for v in name_variants(n)))

    def partner_keys(self) -> frozenset[str]:
        return frozenset(split_name(n).base for n in self.partner_names if n and n.strip())


@dataclass(frozen=True)
class Candidate:
    """A scored candidate with its evidence and the decision."""

    key: str
    label: str
    score: float
    name: float
    matched_name: str
    country: str | None
    country_agrees: bool | None
    kind: str
    kind_agrees: bool | None
    distance_km: float | None
    shared_partners: int
    contradictions: tuple[str, ...]
    supported: bool
    qid: str | None = None
    match: bool = False
    sources: tuple[str, ...] = field(default=())

    @property
    def plausible(self) -> bool:
        """Full-enough name and nothing against it."""
        return self.name >= 0.8 and not self.contradictions


def score_candidate(query: PlaceQuery, entry: PlaceEntry, qkeys: Sequence[NameKey] | None = None) -> Candidate:
    """Score one candidate (see the module docstring for the evidence)."""
    qkeys = qkeys if qkeys is not None else query.name_keys()
    best, best_name = 0.0, ""
    for ck_name in (v for n, _ in entry.names for v in name_variants(n)):
        ck = split_name(ck_name)
        for qk in qkeys:
            s = name_similarity(qk, ck)
            if s > best:
                best, best_name = s, ck_name
    contradictions: list[str] = []
    score = NAME_WEIGHT * best
    country_agrees = None
    if query.country and entry.country:
        country_agrees = query.country.upper() == entry.country.upper()
        score += COUNTRY_AGREE if country_agrees else COUNTRY_DISAGREE
        if not country_agrees:
            contradictions.append(f"country {entry.country} ≠ {query.country.upper()}")
    kind = entry.main_kind()
    kind_agrees = None
    if query.kind and kind != UNKNOWN:
        kind_agrees = _kinds_agree(query.kind, entry)
        score += TYPE_AGREE if kind_agrees else TYPE_DISAGREE
        if not kind_agrees:
            contradictions.append(f"type {kind} ≠ {query.kind}")
    distance = None
    near = False
    if None not in (query.lat, query.lon, entry.lat, entry.lon):
        distance = haversine_km(query.lat, query.lon, entry.lat, entry.lon)  # type: ignore[arg-type]
        if distance <= NEAR_KM:
            score += 20.0
            near = True
        elif distance <= CLOSE_KM:
            score += 12.0
            near = True
        elif distance > FAR_KM:
            score -= 30.0
            contradictions.append(f"{distance:.0f} km apart")
    shared_qids = len(query.partner_qids & entry.partners)
    shared_names = len(query.partner_keys() & entry.partner_keys) if entry.partner_keys else 0
    shared = max(shared_qids, shared_names)
    score += PARTNER_POINTS * min(shared, PARTNER_CAP)
    supported = bool(country_agrees) or near or shared > 0
    return Candidate(
        key=entry.key,
        label=entry.label,
        score=round(max(0.0, min(100.0, score)), 1),
        name=round(best, 3),
        matched_name=best_name,
        country=entry.country,
        country_agrees=country_agrees,
        kind=kind,
        kind_agrees=kind_agrees,
        distance_km=round(distance, 1) if distance is not None else None,
        shared_partners=shared,
        contradictions=tuple(contradictions),
        supported=supported,
        qid=entry.qid,
        sources=tuple(sorted(entry.sources)),
    )


def _kinds_agree(query_kind: str, entry: PlaceEntry) -> bool:
    wanted = MUNICIPALITY if query_kind == MUNICIPALITY else query_kind
    if wanted == ADMIN:
        return ADMIN in entry.kinds or COUNTRY in entry.kinds
    return wanted in entry.kinds


def reconcile(query: PlaceQuery, index: PlaceIndex, *, limit: int = 3) -> list[Candidate]:
    """Candidates for ``query``, best first, at most ``limit``; the first has ``match=True`` if unambiguous."""
    qkeys = query.name_keys()
    seen: dict[str, PlaceEntry] = {}
    for qk in qkeys:
        for e in index.lookup(qk):
            seen.setdefault(e.key, e)
    if query.identifier:
        for e in index.by_qid(query.identifier):
            seen.setdefault(e.key, e)
    cands = [score_candidate(query, e, qkeys) for e in seen.values()]
    if query.identifier:
        cands = [_identifier_boost(c, query.identifier) for c in cands]
    cands = [c for c in cands if c.name >= MIN_NAME or c.qid == query.identifier]
    # candidates with evidence against them rank after those without, whatever their score
    cands.sort(key=lambda c: (bool(c.contradictions), -c.score, -c.name, c.key))
    if cands and is_unambiguous(cands):
        cands[0] = _with_match(cands[0])
    return cands[:limit]


def _identifier_boost(c: Candidate, qid: str) -> Candidate:
    from dataclasses import replace

    if c.qid == qid:
        return replace(c, score=100.0, supported=True, name=max(c.name, MATCH_NAME))
    if c.qid:
        return replace(c, contradictions=c.contradictions + (f"identifier {c.qid} ≠ {qid}",))
    return c


def is_unambiguous(cands: Sequence[Candidate]) -> bool:
    """The match rule, on candidates sorted best first."""
    top = cands[0]
    near = top.distance_km is not None and top.distance_km <= NEAR_KM
    if not (top.name >= MATCH_NAME or (top.name >= 0.8 and near)) or top.contradictions or not top.supported:
        return False
    country_only = not near and top.shared_partners == 0
    for other in cands[1:]:
        if not other.plausible:
            continue
        if other.supported or top.score - other.score < MATCH_MARGIN:
            return False
        # a same-named place whose country nobody knows could be in the same country: agreeing on the
        # country alone does not tell the two apart (Frankfurt in Germany: am Main, or (Oder)?)
        if country_only and other.country is None and other.name >= 0.8:
            return False
    return True


def _with_match(c: Candidate) -> Candidate:
    from dataclasses import replace

    return replace(c, match=True)
