"""Reader for hekman-twincities: English Wikipedia's lists of twin towns and sister cities.

``twin_cities_raw.csv`` has every scraped pair (city1 is the city whose list entry was parsed,
on the page of country1); ``twin_cities_geocoded.csv`` adds coordinates for most of them and
``geocode_cache.json`` holds the geocoder's answers by ``"City, Country"``.

>>> from graphkit.paths import PROJECT_ROOT
>>> pairs = read_pairs(PROJECT_ROOT / "data/sources/hekman-twincities")
>>> pairs[0]
HekmanPair(city1='Berat', country1='Albania', city2='Amasya', country2='Turkey', line=2)
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from graphkit.ingest.readutil import checked_coordinates, numbered_tuples, parse_coordinates, read_json, source_file

SOURCE_ID = "hekman-twincities"


class HekmanPair(NamedTuple):
    """One row of the raw pair list, as written (``line`` is the CSV line number).

    A named tuple rather than a dataclass: there are 26,000 of them, made faster this way.
    """

    city1: str
    country1: str
    city2: str
    country2: str
    line: int


def read_pairs(folder: Path) -> list[HekmanPair]:
    """Every well-formed row of ``twin_cities_raw.csv`` (malformed ones are reported, see readutil)."""
    path = source_file(folder, "twin_cities_raw.csv")
    rows = numbered_tuples(path, ("city1", "country1", "city2", "country2"))
    return [HekmanPair(*r) for r in rows]


def read_coordinates(folder: Path) -> dict[tuple[str, str], tuple[float, float]]:
    """Coordinates by raw ``(city, country)``: the geocoded pair list first, then the geocoder cache."""
    coords: dict[tuple[str, str], tuple[float, float]] = {}
    path = source_file(folder, "twin_cities_geocoded.csv")
    columns = ("city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2")
    for r in numbered_tuples(path, columns):
        for city, country, lat, lng in (r[0:4], r[4:8]):
            if (city, country) not in coords:
                c = checked_coordinates(lat, lng, path=path, line=r[8], what=f"{city}, {country}")
                if c is not None:
                    coords[(city, country)] = c
    cache = folder / "geocode_cache.json"
    if cache.is_file():
        data = read_json(cache)
        if isinstance(data, dict):
            for key, value in data.items():
                city, sep, country = str(key).rpartition(", ")
                if sep and isinstance(value, dict):
                    c = parse_coordinates(value.get("lat"), value.get("lng"))
                    if c is not None:
                        coords.setdefault((city, country), c)
    return coords
