"""Geographic layouts of the network views: node positions and the country outlines under them.

- :func:`world_map`: every place at its coordinates (Miller projection, ``Frame(k=GEO_SCALE)``) over
  every country; a place without coordinates sits on a small spiral at its country (drawn as a
  ring, listed in the page's side panel); one whose country is unknown too gets no position (the
  page lists it, and does not draw it).
- :func:`pair_map`: two countries side by side, each scaled into a panel of its own with its
  outline (clipped to the panel), so both stay readable whatever their size.

Places are given as ``{key: (lat, long, country)}`` so these functions do not depend on how the
graph was read.

>>> pm = pair_map({"a": (43.07, 12.62, "IT"), "b": (45.0, 9.0, "IT"), "k": (34.2, 135.6, "JP")}, "IT", "JP")
>>> pm.positions["k"], [layer.highlight for layer in pm.layers]
((700.0, 0.0), [(('IT', '#e9e2cc'),), (('JP', '#e9e2cc'),)])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from graphkit.viz.layout import GEO_SCALE, Frame, geo_positions, panel_frame
from graphkit.viz.model import MapLayer

#: Fill of the countries a view is about (the pair of a country-pair view).
HIGHLIGHT = "#e9e2cc"
#: Outline simplification of the world view, in canvas units (GEO_SCALE per degree): 0.15 degree.
WORLD_TOLERANCE = 6.0
#: Size of a country panel in a two-country view, and the distance of its centre from the middle.
PANEL_SIZE = 1000.0
PANEL_OFFSET = 700.0

PlaceXY = tuple[float | None, float | None, str]


@dataclass
class GeoLayout:
    """Positions by key, the keys placed at their country (no coordinates), and the map layers."""

    positions: dict[str, tuple[float, float]]
    approximate: set[str] = field(default_factory=set)
    layers: list[MapLayer] = field(default_factory=list)


def world_map(places: Mapping[str, PlaceXY], *, highlight: Mapping[str, str] | None = None) -> GeoLayout:
    """Every place by its coordinates over the world's countries (see the module docstring)."""
    from graphkit.viz.basemap import country_anchors, map_layer

    frame = Frame(k=GEO_SCALE)
    positions, approx = geo_positions(places, frame=frame, anchors=country_anchors(frame))
    layer = map_layer(frame, tolerance=WORLD_TOLERANCE, highlight=dict(highlight or {}))
    return GeoLayout(positions, approx, [layer])


def pair_map(places: Mapping[str, PlaceXY], a: str, b: str) -> GeoLayout:
    """Country ``a`` in a panel on the left, ``b`` on the right (one panel when ``a == b``); places of
    neither country (parties of multi-party relations) go below, in a row."""
    from graphkit.viz.basemap import country_anchors, map_layer

    out = GeoLayout({})
    panels = ((a, -PANEL_OFFSET), (b, PANEL_OFFSET)) if a != b else ((a, 0.0),)
    for cc, x_offset in panels:
        mine = {k: v for k, v in places.items() if v[2] == cc}
        located = [(v[0], v[1]) for v in mine.values() if v[0] is not None and v[1] is not None]
        outline = _country_points(cc)
        frame = panel_frame(located or outline, x_offset=x_offset, size=PANEL_SIZE, min_span=_min_span(outline))
        positions, approx = geo_positions(mine, frame=frame, anchors=country_anchors(frame, codes={cc}))
        out.positions.update(positions)
        out.approximate |= approx
        half = PANEL_SIZE / 2 + 90
        clip = (x_offset - half, -half, x_offset + half, half)
        out.layers.append(map_layer(frame, tolerance=PANEL_SIZE / 500, clip=clip, highlight={cc: HIGHLIGHT}))
    others = sorted(k for k, v in places.items() if v[2] not in (a, b))
    for i, key in enumerate(others):
        out.positions[key] = (round(-PANEL_SIZE / 2 + 60.0 * i, 1), PANEL_SIZE / 2 + 140.0)
    return out


def _min_span(outline: list[tuple[float, float]]) -> float:
    """A panel shows at least a third of its country (a single town does not fill it), and 2 degrees."""
    if len(outline) < 2:
        return 2.0
    (lat0, lon0), (lat1, lon1) = outline
    from graphkit.viz.layout import miller_y

    return max(2.0, max(abs(lon1 - lon0), abs(miller_y(lat1) - miller_y(lat0))) / 3)


def _country_points(cc: str) -> list[tuple[float, float]]:
    """Two corners of a country's outline as ``(lat, long)`` (a panel with no located place still frames it)."""
    from graphkit.viz.basemap import load_atlas
    from graphkit.viz.layout import miller_lat

    try:
        x0, y0, x1, y1 = load_atlas().country(cc).bbox
    except KeyError:
        return []
    return [(miller_lat(-y0), x0), (miller_lat(-y1), x1)]
