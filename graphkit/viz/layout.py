"""Deterministic node positions: from coordinates (world, country pair) or computed in Python
(knowledge view, ego network) with networkx and a fixed seed, so the page draws with physics off.

>>> geo_xy(0.0, 0.0), geo_xy(43.07, 12.6175)
((0.0, -0.0), (504.7, -1722.8))
>>> pos = graph_layout(["a", "b", "c"], [("a", "b"), ("b", "c")])
>>> pos == graph_layout(["a", "b", "c"], [("a", "b"), ("b", "c")])
True
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence

#: Canvas units per degree of longitude/latitude in geographic layouts.
GEO_SCALE = 40.0
LAYOUT_SEED = 7


def geo_xy(lat: float, long: float, *, scale: float = GEO_SCALE) -> tuple[float, float]:
    """Equirectangular projection (y grows southwards, as on screen)."""
    return round(long * scale, 1), round(-lat * scale, 1)


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
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from(edges)
    if len(g) == 0:
        return {}
    if len(g) == 1:
        return {next(iter(g)): (0.0, 0.0)}
    if len(g) <= 80 and nx.is_connected(g):
        pos = nx.kamada_kawai_layout(g)
    else:
        pos = nx.spring_layout(g, seed=LAYOUT_SEED, iterations=100)
    scale = spacing * math.sqrt(len(g))
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
