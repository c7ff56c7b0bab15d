"""Mentions become places: one place per country, folded name and kind, split where coordinates are
far apart ("Kusatsu, Gunma" and "Kusatsu, Shiga"); a mention without a country joins the one place
with its name (:func:`resolve_unplaced`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from graphkit.ingest.countries import fold
from graphkit.ingest.ledger import Ledger
from graphkit.ingest.mentions import Mention
from graphkit.ingest.model import Place
from graphkit.places.geodesy import haversine_km

#: Same name, same country: mentions farther apart than this are different places.
SAME_PLACE_KM = 40.0
#: Priorities of coordinates (lower wins): gazetteer, seed, Italian Wikipedia, English Wikipedia geocoder.
COORD_PRIORITY = {"gazetteer": 0, "seed": 0, "yuboski-itwiki-gemellaggi": 1, "hekman-twincities": 2}


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
