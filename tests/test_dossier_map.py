"""The offline basemap and the maps drawn on it: TopoJSON decoding (checked against values that
topojson-client 3.1.0 gives for the vendored file), projection, country paths, the 180th meridian,
places without coordinates at their country, the dossier's map and its labels."""

from __future__ import annotations

import json
import re

import pytest

from graphkit.dossier.mapsvg import dossier_map, great_circle
from graphkit.dossier.model import PlaceRef
from graphkit.viz.basemap import ATLAS_FILE, country_anchors, country_paths, load_atlas
from graphkit.viz.layout import Frame, geo_positions, miller_lat, miller_y
from graphkit.viz.maps import pair_map, world_map
from graphkit.viz.topojson import features


@pytest.fixture(scope="module")
def topology():
    return json.loads(ATLAS_FILE.read_text(encoding="utf-8"))


def test_decoder_matches_topojson_client_on_the_vendored_atlas(topology):
    by_id = {f.id: f for f in features(topology, "countries")}
    italy, japan = by_id["380"], by_id["392"]
    # topojson-client: feature(topo, topo.objects.countries) → Italy: MultiPolygon of 8 polygons, the first
    # ring 383 positions starting [7.02187021870219, 45.92659842442177]; Japan: 34 polygons.
    assert (italy.name, len(italy.polygons), len(italy.polygons[0][0])) == ("Italy", 8, 383)
    assert italy.polygons[0][0][0] == (7.02187021870219, 45.92659842442177)
    assert italy.polygons[0][0][1] == (7.054270542705439, 45.90403037952257)
    assert len(japan.polygons) == 34 and japan.polygons[0][0][0] == (133.36873368733688, 36.203243079774566)
    assert all(r[0] == r[-1] for f in by_id.values() for poly in f.polygons for r in poly)  # rings close


def test_miller_projection_spreads_high_latitudes_and_inverts():
    assert miller_y(0.0) == 0.0 and miller_y(-45.0) == -miller_y(45.0)
    assert miller_y(60.0) - miller_y(45.0) > 15.0  # Europe gets more room than on a plate carrée
    for lat in (-80.0, -33.9, 0.0, 43.07, 71.0):
        assert abs(miller_lat(miller_y(lat)) - lat) < 1e-9


def test_country_codes_paths_and_clip():
    atlas = load_atlas()
    codes = {c.code for c in atlas.countries}
    assert {"IT", "JP", "FR", "US", "RU", "XK"} <= codes and "AQ" not in codes  # Antarctica left out
    paths = country_paths(Frame(k=40.0), tolerance=6.0)
    assert all(re.fullmatch(r"(M-?\d+ -?\d+l(-?\d+ -?\d+ ?)+z)+", p.d) for p in paths)
    italy_box = Frame(k=40.0).box(atlas.country("IT").bbox)
    near_italy = {p.code for p in country_paths(Frame(k=40.0), tolerance=6.0, clip=italy_box)}
    assert {"IT", "FR", "CH", "AT", "SI"} <= near_italy and "JP" not in near_italy


def test_rings_across_the_180th_meridian_are_cut_not_drawn_across_the_map():
    frame = Frame(k=1.0)
    for code in ("FJ", "RU"):
        (path,) = [p for p in country_paths(frame, tolerance=0.05, codes={code})]
        xs, x = [], 0
        for ring in re.findall(r"M(-?\d+) -?\d+l([^z]*)z", path.d):
            x = int(ring[0])
            xs.append(x)
            steps = [int(v) for v in ring[1].split()[0::2]]
            for dx in steps:
                assert abs(dx) < 180, f"{code}: a segment jumps {dx} degrees"
                x += dx
                xs.append(x)
        assert min(xs) >= -180 and max(xs) <= 180


def test_places_without_coordinates_sit_at_their_country_never_in_a_block():
    places = {"a": (43.07, 12.6175, "IT"), "p": (None, None, "FR"), "q": (None, None, "FR"), "x": (None, None, "")}
    geo = world_map(places)
    assert geo.approximate == {"p", "q"} and "x" not in geo.positions
    fr = country_anchors(Frame(k=40.0), codes={"FR"})["FR"]
    for key in ("p", "q"):
        x, y = geo.positions[key]
        assert abs(x - fr[0]) < 40 and abs(y - fr[1]) < 40  # within a degree of France's middle
    pos, approx = geo_positions({"a": (10.0, 10.0, "IT"), "b": (None, None, "IT")})
    assert approx == {"b"} and abs(pos["b"][0] - pos["a"][0]) < 20


def test_country_pair_panels_have_their_own_clipped_outline():
    geo = pair_map({"a": (43.07, 12.62, "IT"), "b": (45.46, 9.19, "IT"), "k": (34.21, 135.62, "JP")}, "IT", "JP")
    left, right = geo.layers
    assert left.highlight == (("IT", "#e9e2cc"),) and right.highlight == (("JP", "#e9e2cc"),)
    assert left.clip[2] < right.clip[0]  # the panels do not overlap
    assert geo.positions["a"][0] < 0 < geo.positions["k"][0]
    assert any(code == "IT" for code, _, _ in left.paths) and not any(code == "IT" for code, _, _ in right.paths)


def test_great_circle_goes_north_between_italy_and_japan():
    arc = great_circle((43.07, 12.6175), (34.213, 135.622), 48)
    assert arc[0] == (43.07, 12.6175) and arc[-1] == (34.213, 135.622)
    assert max(lat for lat, _ in arc) > 55.0  # the shortest path passes over Russia


def test_dossier_map_centres_on_the_place_and_labels_without_overlap():
    centre = PlaceRef("c", "Kōya", "JP", lat=34.213, lon=135.622)
    partners = [
        PlaceRef("a", "Assisi", "IT", lat=43.07, lon=12.6175, degree=3),
        PlaceRef("h", "Honolulu", "US", lat=21.3, lon=-157.85, degree=9),  # across the 180th meridian
        PlaceRef("n", "Nowhere", "US"),
    ]
    m = dossier_map(centre, partners)
    assert m.off_map == ("Nowhere",)
    xs = {p.label: p.x for p in m.points}
    assert xs["Assisi"] < xs["Kōya"] < xs["Honolulu"]  # Honolulu east of Kōya, not wrapped to the far west
    roles = {c.code: c.role for c in m.countries if c.role}
    assert roles == {"JP": "home", "IT": "partner", "US": "partner"}
    boxes = []
    for p in m.points:
        assert p.label_x is not None  # three labels: room for all
        w = len(p.label) * 7.2
        left = p.label_x if p.anchor == "start" else p.label_x - w if p.anchor == "end" else p.label_x - w / 2
        boxes.append((left, p.label_y - 14, left + w, p.label_y))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
