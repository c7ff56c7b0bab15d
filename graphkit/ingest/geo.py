"""Distances on the globe and a rough "where is this country" table built from the gazetteer.

The table is the centroids of every country and of every first-level division in the dr5hn
gazetteer (about 5,500 points). A coordinate far from every point of its claimed country
contradicts the country; the nearest point overall suggests where it really is.

>>> round(haversine_km(41.9, 12.5, 43.77, 11.25))
232
>>> loc = CountryLocator([("IT", 41.9, 12.5), ("IT", 45.46, 9.19), ("JP", 35.68, 139.69)])
>>> loc.nearest_country(43.77, 11.25)[0]
'IT'
>>> [round(d) if d is not None else d for d in loc.distances_to_country([(34.2, 135.6), (43.8, 11.3)], ["JP", "XX"])]
[407, None]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from graphkit.places.geodesy import EARTH_RADIUS_KM, haversine_km  # noqa: F401 - re-exported


def _unit_vectors(lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lats), np.radians(lons)
    return np.column_stack((np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)))


def _chord_to_km(chord: np.ndarray) -> np.ndarray:
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.clip(chord / 2, 0, 1))


class CountryLocator:
    """Nearest-country lookups over ``(iso, lat, lon)`` reference points."""

    def __init__(self, points: Sequence[tuple[str, float, float]]) -> None:
        self._iso = [p[0] for p in points]
        xyz = _unit_vectors(np.array([p[1] for p in points]), np.array([p[2] for p in points]))
        self._xyz = xyz
        by_iso: dict[str, list[int]] = defaultdict(list)
        for i, iso in enumerate(self._iso):
            by_iso[iso].append(i)
        self._by_iso = {iso: xyz[idx] for iso, idx in by_iso.items()}

    def nearest_country(self, lat: float, lon: float) -> tuple[str, float]:
        """The country of the nearest reference point, and its distance in km."""
        return self.nearest_countries([(lat, lon)])[0]

    def nearest_countries(self, coords: Sequence[tuple[float, float]]) -> list[tuple[str, float]]:
        """:meth:`nearest_country` for many coordinates at once."""
        out: list[tuple[str, float]] = []
        for start in range(0, len(coords), 512):
            chunk = coords[start : start + 512]
            pts = _unit_vectors(np.array([c[0] for c in chunk]), np.array([c[1] for c in chunk]))
            dot = pts @ self._xyz.T
            idx = dot.argmax(axis=1)
            km = _chord_to_km(np.sqrt(np.clip(2 - 2 * dot[np.arange(len(chunk)), idx], 0, 4)))
            out += [(self._iso[int(i)], float(k)) for i, k in zip(idx, km, strict=True)]
        return out

    def distances_to_country(self, coords: Sequence[tuple[float, float]], isos: Sequence[str]) -> list[float | None]:
        """For each coordinate, the km to the nearest point of its own country (None: country unknown)."""
        out: list[float | None] = [None] * len(coords)
        groups: dict[str, list[int]] = defaultdict(list)
        for i, iso in enumerate(isos):
            if iso in self._by_iso:
                groups[iso].append(i)
        for iso, idx in groups.items():
            pts = _unit_vectors(np.array([coords[i][0] for i in idx]), np.array([coords[i][1] for i in idx]))
            ref = self._by_iso[iso]
            chord = np.sqrt(np.clip(2 - 2 * (pts @ ref.T).max(axis=1), 0, 4))
            for i, d in zip(idx, _chord_to_km(chord), strict=True):
                out[i] = float(d)
        return out
