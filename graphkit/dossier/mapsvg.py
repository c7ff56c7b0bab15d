"""The dossier's map: the municipality, its partners and the great-circle arcs to them over the
countries' outlines, as SVG-ready geometry (pixels), offline (:mod:`graphkit.viz.basemap`).

The map is centred on the municipality's longitude (a partner across the 180th meridian is drawn on
the near side, the outlines repeated where needed), fitted to the places and arcs in Miller's
projection, at least :data:`MIN_SPAN` degrees wide. Labels are placed greedily, the municipality
first, then partners by number of partners, each where it overlaps no label already placed.

>>> from graphkit.dossier.model import PlaceRef
>>> assisi = PlaceRef("a", "Assisi", "IT", lat=43.07, lon=12.6175)
>>> koya = PlaceRef("k", "Kōya", "JP", lat=34.213, lon=135.622)
>>> m = dossier_map(assisi, [koya])
>>> [(c.code, c.role) for c in m.countries if c.role]
[('JP', 'partner'), ('IT', 'home')]
>>> len(m.arcs), [p.label for p in m.points], all(0 <= p.x <= m.width and 0 <= p.y <= m.height for p in m.points)
(1, ['Assisi', 'Kōya'], True)
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence

from graphkit.dossier.model import DossierMap, MapCountry, MapPoint, PlaceRef
from graphkit.viz.layout import Frame, miller_y

WIDTH, HEIGHT = 960, 540
#: The smallest extent of the map, in projected degrees (a town with only nearby partners still shows its region).
MIN_SPAN = 8.0
ARC_POINTS = 48
MAX_LABELS = 60
FONT_PX = 12.0


def dossier_map(
    centre: PlaceRef, partners: Sequence[PlaceRef], *, width: int = WIDTH, height: int = HEIGHT
) -> DossierMap:
    """The map of ``centre`` and its ``partners`` (those without coordinates are listed in ``off_map``)."""
    from graphkit.viz.basemap import country_paths

    located = [(p, p.lat, p.lon) for p in partners if p.lat is not None and p.lon is not None and p.iri != centre.iri]
    off_map = tuple(sorted({p.label for p in partners if p.lat is None or p.lon is None}))
    if centre.lat is None or centre.lon is None:
        return DossierMap(width, height, off_map=off_map)
    lon0 = centre.lon
    arcs_ll = [great_circle((centre.lat, lon0), (lat, lon), ARC_POINTS) for _, lat, lon in located]
    pts = [(centre.lat, lon0)] + [(lat, _near(lon, lon0)) for _, lat, lon in located]
    xs = [lon for _, lon in pts] + [lon for arc in arcs_ll for _, lon in arc]
    ys = [-miller_y(lat) for lat, _ in pts] + [-miller_y(lat) for arc in arcs_ll for lat, _ in arc]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w = max(x1 - x0, MIN_SPAN * width / height) / 2
    half_h = max(y1 - y0, MIN_SPAN) / 2
    frame = Frame.fit((cx - half_w, cy - half_h, cx + half_w, cy + half_h), width, height, margin=0.07)

    home = centre.country
    partner_countries = {p.country for p in partners if p.country}
    countries = []
    for shift in (-360.0, 0.0, 360.0):
        f = Frame(k=frame.k, dx=frame.dx + shift * frame.k, dy=frame.dy)
        for c in country_paths(f, tolerance=0.8, clip=(0.0, 0.0, float(width), float(height))):
            role = "home" if c.code and c.code == home else "partner" if c.code in partner_countries else ""
            countries.append(MapCountry(c.code, c.name, c.d, role))
    arcs = tuple(_path([frame.apply(lon, -miller_y(lat)) for lat, lon in arc]) for arc in arcs_ll)
    points = _labelled(
        [(centre.label, frame.apply(lon0, -miller_y(centre.lat)), True, 1 << 30)]
        + [(p.label, frame.apply(_near(lon, lon0), -miller_y(lat)), False, p.degree) for p, lat, lon in located],
        width,
        height,
    )
    countries.sort(key=lambda c: ({"": 0, "partner": 1, "home": 2}[c.role], c.code, c.name))
    return DossierMap(width, height, tuple(countries), arcs, points, off_map)


#: Partners within this distance are "nearby": the dossier adds a map of them when the main map is far wider.
NEARBY_KM = 800.0


def nearby_map(centre: PlaceRef, partners: Sequence[PlaceRef], main: DossierMap) -> DossierMap | None:
    """A second, closer map of the partners within :data:`NEARBY_KM` of ``centre``, when there are at least
    two and others further away (so the main map is wide and the nearby ones crowd around the centre);
    None otherwise.

    >>> c = PlaceRef("c", "Assisi", "IT", lat=43.07, lon=12.6175)
    >>> near = [PlaceRef("r", "Rome", "IT", lat=41.9, lon=12.5), PlaceRef("f", "Florence", "IT", lat=43.77, lon=11.26)]
    >>> far = [PlaceRef("k", "Kōya", "JP", lat=34.2, lon=135.6)]
    >>> [p.label for p in nearby_map(c, near + far, dossier_map(c, near + far)).points]
    ['Assisi', 'Rome', 'Florence']
    >>> nearby_map(c, near, dossier_map(c, near)) is None   # the main map is close already
    True
    """
    from graphkit.places.geodesy import haversine_km

    if centre.lat is None or centre.lon is None or len(main.points) < 2:
        return None
    close = [
        p
        for p in partners
        if p.lat is not None and p.lon is not None and haversine_km(centre.lat, centre.lon, p.lat, p.lon) <= NEARBY_KM
    ]
    if len(close) < 2 or len(close) == len([p for p in partners if p.lat is not None]):
        return None
    return dossier_map(centre, close, width=main.width, height=int(main.height * 0.8))


def _near(lon: float, lon0: float) -> float:
    """``lon`` shifted by 360° to within 180° of ``lon0``.

    >>> _near(-170.0, 170.0), _near(135.0, 12.0)
    (190.0, 135.0)
    """
    return lon0 + ((lon - lon0 + 540.0) % 360.0 - 180.0)


def great_circle(a: tuple[float, float], b: tuple[float, float], n: int) -> list[tuple[float, float]]:
    """``n`` + 1 points ``(lat, lon)`` along the shortest path on the sphere from ``a`` to ``b``,
    longitudes continuous from ``a``'s (they may leave -180..180).

    >>> [(round(la, 2), round(lo, 2)) for la, lo in great_circle((0.0, 0.0), (0.0, 90.0), 2)]
    [(0.0, 0.0), (0.0, 45.0), (0.0, 90.0)]
    >>> great_circle((10.0, 170.0), (10.0, -170.0), 2)[-1][1]  # across the 180th meridian: continuous
    190.0
    """
    (la1, lo1), (la2, lo2) = (math.radians(a[0]), math.radians(a[1])), (math.radians(b[0]), math.radians(b[1]))
    p = (math.cos(la1) * math.cos(lo1), math.cos(la1) * math.sin(lo1), math.sin(la1))
    q = (math.cos(la2) * math.cos(lo2), math.cos(la2) * math.sin(lo2), math.sin(la2))
    omega = math.acos(max(-1.0, min(1.0, sum(x * y for x, y in zip(p, q, strict=True)))))
    out: list[tuple[float, float]] = []
    prev = a[1]
    for i in range(n + 1):
        t = i / n
        if omega < 1e-9:
            v = p
        else:
            s1, s2 = math.sin((1 - t) * omega) / math.sin(omega), math.sin(t * omega) / math.sin(omega)
            v = (s1 * p[0] + s2 * q[0], s1 * p[1] + s2 * q[1], s1 * p[2] + s2 * q[2])
        lat = math.degrees(math.atan2(v[2], math.hypot(v[0], v[1])))
        lon = _near(math.degrees(math.atan2(v[1], v[0])), prev) if i else a[1]
        prev = lon
        out.append((round(lat, 6), round(lon, 6)))
    return out


def _path(points: list[tuple[float, float]]) -> str:
    head, *rest = points
    return f"M{head[0]:.1f} {head[1]:.1f}" + "".join(f"L{x:.1f} {y:.1f}" for x, y in rest)


def text_width(text: str, px: float = FONT_PX) -> float:
    """An estimate of the width of ``text`` in pixels (wide East Asian characters count double).

    >>> text_width("Assisi"), text_width("高野町")
    (43.2, 36.0)
    """
    units = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)
    return round(units * px, 1)


def _labelled(items: list[tuple[str, tuple[float, float], bool, int]], width: int, height: int) -> tuple[MapPoint, ...]:
    """Points with labels placed greedily where they overlap no other label (at most MAX_LABELS)."""
    order = sorted(range(len(items)), key=lambda i: (-items[i][3], items[i][0]))
    placed: list[tuple[float, float, float, float]] = []
    out: list[MapPoint | None] = [None] * len(items)
    for rank, i in enumerate(order):
        label, (x, y), centre, _ = items[i]
        w, h = text_width(label, FONT_PX + (2 if centre else 0)), FONT_PX + 3
        spot = None
        if rank < MAX_LABELS:
            spots = ((x + 7, y + 4, "start"), (x - 7, y + 4, "end"), (x, y - 8, "middle"), (x, y + 16, "middle"))
            for lx, ly, anchor in spots:
                left = lx if anchor == "start" else lx - w if anchor == "end" else lx - w / 2
                box = (left, ly - h + 2, left + w, ly + 2)
                inside = box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height
                if inside and not any(_hits(box, b) for b in placed):
                    spot = (lx, ly, anchor, box)
                    break
            if spot is None and centre:
                lx, ly = min(max(x + 7, 0), width - w), y + 4
                spot = (lx, ly, "start", (lx, ly - h + 2, lx + w, ly + 2))
        if spot is not None:
            placed.append(spot[3])
            out[i] = MapPoint(label, round(x, 1), round(y, 1), centre, round(spot[0], 1), round(spot[1], 1), spot[2])
        else:
            out[i] = MapPoint(label, round(x, 1), round(y, 1), centre)
    return tuple(p for p in out if p is not None)


def _hits(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
