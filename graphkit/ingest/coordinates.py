"""Coordinates that contradict their country: a geocoder's wrong guess ("Rome, United States" put in
Italy) is dropped and reported, never used to place or merge anything."""

from __future__ import annotations

import statistics
from collections import defaultdict

from graphkit.ingest.clean import coordinates_contradict
from graphkit.ingest.countries import CountryTable
from graphkit.ingest.ledger import Ledger
from graphkit.ingest.mentions import Mention

#: Coordinates nearer than this to their country's reference points are never flagged.
MIN_CONTRADICTION_KM = 650.0


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
