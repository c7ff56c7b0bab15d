"""Distances on the Earth's surface (one definition for the whole package).

>>> round(haversine_km(43.07, 12.62, 41.89, 12.48))  # Assisi to Rome
132
"""

from __future__ import annotations

import math

#: Mean Earth radius (IUGG), km.
EARTH_RADIUS_KM = 6371.0088
#: Length of one degree of latitude on that sphere, km: two points whose latitudes differ by d
#: degrees are at least d times this apart (a cheap test before :func:`haversine_km`).
KM_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_KM / 180


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two WGS84 points (haversine formula, spherical Earth).

    >>> haversine_km(0, 0, 0, 0)
    0.0
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
