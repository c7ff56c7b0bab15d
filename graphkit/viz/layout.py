"""Deterministic node positions: from coordinates (world, country pair) or computed in Python
(knowledge view, ego network) with networkx and a fixed seed, so the page draws with physics off.

Geographic views use Miller's cylindrical projection (:func:`miller_y`): north stays up and
meridians straight like the familiar equirectangular map, but latitudes are spread out towards
the poles (60° N sits 68.6 "degrees" up), so Europe, where most municipalities with partners
are, gets a third more height than on a plate carrée, and the poles stay finite (unlike Mercator).
The basemap (:mod:`graphkit.viz.basemap`) is projected by the same function.

>>> geo_xy(0.0, 0.0), geo_xy(43.07, 12.6175)
((0.0, 0.0), (504.7, -1837.1))
>>> pos = graph_layout(["a", "b", "c"], [("a", "b"), ("b", "c")])
>>> pos == graph_layout(["a", "b", "c"], [("a", "b"), ("b", "c")])
True
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

#: Canvas units per degree of longitude/latitude in geographic layouts.
GEO_SCALE = 40.0
LAYOUT_SEED = 7


#: Latitudes are clamped to this range before projecting (Miller's y is finite, but nothing lives nearer the poles).
MAX_LAT = 89.5


def miller_y(lat: float) -> float:
    """Miller's cylindrical y of a latitude, in degree-like units (equal to ``lat`` near the equator).

    >>> miller_y(0.0), round(miller_y(30.0), 2), round(miller_y(60.0), 2), round(miller_y(-60.0), 2)
    (0.0, 30.92, 68.57, -68.57)
    """
    phi = math.radians(max(-MAX_LAT, min(MAX_LAT, lat)))
    return math.degrees(1.25 * math.asinh(math.tan(0.8 * phi)))  # = 1.25 ln tan(pi/4 + 0.4 phi), odd and exact at 0


def miller_lat(y: float) -> float:
    """The latitude whose :func:`miller_y` is ``y`` (the inverse).

    >>> round(miller_lat(miller_y(43.07)), 6)
    43.07
    """
    return math.degrees(math.atan(math.sinh(0.8 * math.radians(y))) / 0.8)


def geo_xy(lat: float, long: float, *, scale: float = GEO_SCALE) -> tuple[float, float]:
    """Miller cylindrical projection in canvas units (``scale`` per degree; y grows southwards, as on screen)."""
    return round(long * scale, 1), round(-miller_y(lat) * scale, 1) + 0.0  # + 0.0: no -0.0


def grid_positions(n: int, *, x0: float, y0: float, step: float = 30.0, columns: int | None = None) -> list[tuple]:
    """``n`` positions in rows starting at ``(x0, y0)``: where nodes without coordinates go.

    >>> grid_positions(3, x0=0, y0=0, step=10, columns=2)
    [(0.0, 0.0), (10.0, 0.0), (0.0, 10.0)]
    """
    cols = columns or max(1, math.ceil(math.sqrt(n)))
    return [(float(x0 + (i % cols) * step), float(y0 + (i // cols) * step)) for i in range(n)]


def graph_layout(
    nodes: Sequence[Hashable],
    edges: Sequence[tuple[Hashable, Hashable]],
    *,
    center: Hashable | None = None,
    spacing: float = 110.0,
) -> dict[Hashable, tuple[float, float]]:
    """Positions for a small graph: Kamada–Kawai up to 80 nodes, else a seeded spring layout.

    Node order is fixed by the caller (pass sorted nodes) so the result is reproducible. The
    ``center`` node, when given, is moved to the origin. Coordinates scale with the graph's size.
    """
    size = len(dict.fromkeys([*nodes, *(n for e in edges for n in e)]))
    if size > 80:  # networkx's spring layout, computed without importing networkx (the same numbers)
        from graphkit.viz.spring import spring_layout

        pos = spring_layout(nodes, edges, seed=LAYOUT_SEED, iterations=100)
    else:
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(nodes)
        g.add_edges_from(edges)
        if len(g) == 0:
            return {}
        if len(g) == 1:
            return {next(iter(g)): (0.0, 0.0)}
        if nx.is_connected(g):
            pos = nx.kamada_kawai_layout(g)
        else:
            pos = nx.spring_layout(g, seed=LAYOUT_SEED, iterations=100)
    scale = spacing * math.sqrt(size)
    cx, cy = pos[center] if center is not None and center in pos else (0.0, 0.0)
    return {n: (round(float(x - cx) * scale, 1), round(float(y - cy) * scale, 1)) for n, (x, y) in pos.items()}


def radial_layout(
    center: Hashable, rings: Sequence[Sequence[Hashable]], parent: dict[Hashable, Hashable], *, gap: float = 28.0
) -> dict[Hashable, tuple[float, float]]:
    """``center`` at the origin, ``rings[k]`` (the nodes k+1 hops away) on circles around it.

    The first ring keeps the given order (e.g. by country, then name); a node on an outer ring
    sits near its ``parent`` (the node it was reached from), so branches stay together. O(n),
    for ego networks too big for a force layout.

    >>> pos = radial_layout("c", [["a", "b"], ["x"]], {"x": "a"})
    >>> pos["c"], pos["a"], pos["b"][0] < 0
    ((0.0, 0.0), (240.0, 0.0), True)
    """
    pos: dict[Hashable, tuple[float, float]] = {center: (0.0, 0.0)}
    angle: dict[Hashable, float] = {center: 0.0}
    radius = 0.0
    for k, ring in enumerate(rings):
        if not ring:
            continue
        ordered = list(ring) if k == 0 else sorted(ring, key=lambda n: angle.get(parent.get(n), 0.0))
        radius = max(radius + 240.0, len(ordered) * gap / (2 * math.pi))
        for i, node in enumerate(ordered):
            a = 2 * math.pi * i / len(ordered)
            angle[node] = a
            pos[node] = (round(radius * math.cos(a), 1), round(radius * math.sin(a), 1))
    return pos


def spiral_positions(n: int, *, x0: float, y0: float, step: float = 10.0) -> list[tuple[float, float]]:
    """``n`` positions on a sunflower spiral around ``(x0, y0)``, ``step`` apart on average: a round,
    even cluster whatever ``n`` is (where places without coordinates go, at their country).

    >>> spiral_positions(3, x0=100.0, y0=0.0, step=10.0)
    [(105.7, 0.0), (92.8, 6.6), (101.1, -12.6)]
    """
    golden = math.pi * (3 - math.sqrt(5))
    out = []
    for i in range(n):
        r = step * math.sqrt(i + 0.5) * 0.8
        a = i * golden
        out.append((round(x0 + r * math.cos(a), 1), round(y0 + r * math.sin(a), 1)))
    return out


@dataclass(frozen=True)
class Frame:
    """Projected degrees (x = longitude, y = -:func:`miller_y`) to map units: ``(x * k + dx, y * k + dy)``.
    The world views use ``Frame(k=GEO_SCALE)``; a country panel or an SVG map fits its own.

    >>> Frame(k=2.0, dx=10.0).apply(1.5, -3.0)
    (13.0, -6.0)
    >>> Frame.fit((0.0, 0.0, 10.0, 5.0), 200, 200, margin=0).apply(5.0, 2.5)  # centred, 10 wide -> 200 units
    (100.0, 100.0)
    """

    k: float = GEO_SCALE
    dx: float = 0.0
    dy: float = 0.0

    def apply(self, x: float, y: float) -> tuple[float, float]:
        return x * self.k + self.dx, y * self.k + self.dy

    def point(self, lat: float, long: float) -> tuple[float, float]:
        """A place's position in this frame, rounded to 0.1 unit."""
        x, y = self.apply(long, -miller_y(lat))
        return round(x, 1) + 0.0, round(y, 1) + 0.0

    def box(self, b: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """A box of projected degrees ``(x0, y0, x1, y1)`` in this frame's units."""
        x0, y0 = self.apply(b[0], b[1])
        x1, y1 = self.apply(b[2], b[3])
        return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)

    @classmethod
    def fit(
        cls, bbox: tuple[float, float, float, float], width: float, height: float, *, margin: float = 0.08
    ) -> Frame:
        """The frame that shows ``bbox`` (projected degrees) centred in a ``width`` x ``height`` area
        whose centre is at ``(width / 2, height / 2)``, with ``margin`` (a fraction of the size) around it."""
        x0, y0, x1, y1 = bbox
        w, h = max(x1 - x0, 1e-6), max(y1 - y0, 1e-6)
        k = min(width / (w * (1 + 2 * margin)), height / (h * (1 + 2 * margin)))
        return cls(k=k, dx=width / 2 - (x0 + x1) / 2 * k, dy=height / 2 - (y0 + y1) / 2 * k)


def projected_box(points: Sequence[tuple[float, float]]) -> tuple[float, float, float, float]:
    """The box ``(x0, y0, x1, y1)`` in projected degrees of ``(lat, long)`` points.

    >>> [round(v, 2) for v in projected_box([(0.0, 10.0), (30.0, 20.0)])]
    [10.0, -30.92, 20.0, 0.0]
    """
    xs = [lon for _, lon in points]
    ys = [-miller_y(lat) + 0.0 for lat, _ in points]
    return min(xs), min(ys), max(xs), max(ys)


def panel_frame(points: Sequence[tuple[float, float]], *, x_offset: float, size: float, min_span: float = 2.0) -> Frame:
    """The frame that scales ``(lat, long)`` points so their larger extent (at least ``min_span``
    projected degrees) is ``size`` units, centred at ``(x_offset, 0)``: one country's panel in a
    two-country view.

    >>> f = panel_frame([(40.0, 10.0), (45.0, 15.0)], x_offset=-700.0, size=1000.0)
    >>> [round(v) for v in f.point(40.0, 10.0)], [round(v) for v in f.point(45.0, 15.0)]
    ([-1114, 500], [-286, -500])
    """
    if not points:
        return Frame(k=1.0, dx=x_offset)
    x0, y0, x1, y1 = projected_box(points)
    k = size / max(x1 - x0, y1 - y0, min_span, 0.01)
    return Frame(k=k, dx=x_offset - (x0 + x1) / 2 * k, dy=-(y0 + y1) / 2 * k)


def geo_positions(
    places: Mapping[str, tuple[float | None, float | None, str]],
    *,
    frame: Frame | None = None,
    anchors: Mapping[str, tuple[float, float]] | None = None,
    step: float = 12.0,
) -> tuple[dict[str, tuple[float, float]], set[str]]:
    """Positions of places ``{key: (lat, long, country)}`` in ``frame`` (default: the world's
    ``Frame(k=GEO_SCALE)``, the same as :func:`geo_xy`); a place without
    coordinates goes on a small spiral at its country (the mean position of the country's located
    places, else ``anchors[country]`` in canvas units). Returns the positions and the keys placed that
    way (approximately); places with neither coordinates nor a known country get no position.

    >>> pos, approx = geo_positions({"a": (10.0, 20.0, "IT"), "b": (12.0, 22.0, "IT"), "c": (None, None, "IT"),
    ...                              "d": (None, None, "")})
    >>> pos["a"], pos["c"], sorted(approx), "d" in pos
    ((800.0, -401.3), (846.8, -441.8), ['c'], False)
    """
    fr = frame or Frame()
    pos: dict[str, tuple[float, float]] = {}
    sums: dict[str, list[float]] = {}
    missing: dict[str, list[str]] = {}
    for key in sorted(places):
        lat, long, cc = places[key]
        if lat is not None and long is not None:
            pos[key] = fr.point(lat, long)
            if cc:
                s = sums.setdefault(cc, [0.0, 0.0, 0.0])
                s[0] += pos[key][0]
                s[1] += pos[key][1]
                s[2] += 1
        elif cc:
            missing.setdefault(cc, []).append(key)
    approx: set[str] = set()
    for cc, keys in sorted(missing.items()):
        if cc in sums:
            x0, y0 = sums[cc][0] / sums[cc][2], sums[cc][1] / sums[cc][2]
        elif anchors and cc in anchors:
            x0, y0 = anchors[cc]
        else:
            continue
        pos.update(zip(keys, spiral_positions(len(keys), x0=x0, y0=y0, step=step), strict=True))
        approx.update(keys)
    return pos, approx
