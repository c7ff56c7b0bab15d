"""Reader for dr5hn-csc-wikidata: countries, first-level divisions and Japanese municipalities.

>>> from graphkit.paths import PROJECT_ROOT
>>> folder = PROJECT_ROOT / "data/sources/dr5hn-csc-wikidata"
>>> it = next(c for c in read_countries(folder) if c.iso2 == "IT")
>>> it.name, it.qid
('Italy', 'Q38')
>>> next(s for s in read_states(folder) if s.qid == "Q131314").name
'Wakayama'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from graphkit.errors import ParseError
from graphkit.ingest.readutil import checked_coordinates, numbered_rows, parse_coordinates, read_json, source_file
from graphkit.rdf.namespaces import is_qid

SOURCE_ID = "dr5hn-csc-wikidata"


@dataclass(frozen=True)
class CountryRow:
    """A country: ISO 3166-1 alpha-2 and alpha-3, English and native name, QID, centroid."""

    iso2: str
    iso3: str
    name: str
    native: str
    qid: str
    coords: tuple[float, float] | None


@dataclass(frozen=True)
class StateRow:
    """A first-level (sometimes second-level) division: name, country, type word, QID, centroid."""

    name: str
    country: str
    type: str
    qid: str
    coords: tuple[float, float] | None
    native: str


@dataclass(frozen=True)
class JapanCityRow:
    """One entry of ``cities_JP.json`` (entries come in pairs and some QIDs are wrong: see clean)."""

    name: str
    native: str
    type: str
    qid: str
    coords: tuple[float, float] | None
    population: int | None
    state_code: str
    translations: dict[str, str] = field(default_factory=dict)


def read_countries(folder: Path) -> list[CountryRow]:
    """Every country row with an ISO code."""
    path = source_file(folder, "countries.csv")
    out = []
    for i, r in numbered_rows(path, required=("name", "iso2", "iso3", "native", "latitude", "longitude", "wikiDataId")):
        if len(r["iso2"]) == 2:
            qid = r["wikiDataId"] if is_qid(r["wikiDataId"]) else ""
            out.append(
                CountryRow(
                    r["iso2"].upper(),
                    r["iso3"],
                    r["name"],
                    r["native"],
                    qid,
                    checked_coordinates(r["latitude"], r["longitude"], path=path, line=i, what=r["name"]),
                )
            )
    return out


def read_states(folder: Path) -> list[StateRow]:
    """Every division row."""
    path = source_file(folder, "states.csv")
    required = ("name", "country_code", "type", "latitude", "longitude", "wikiDataId", "native")
    return [
        StateRow(
            r["name"],
            r["country_code"].upper(),
            r["type"],
            r["wikiDataId"] if is_qid(r["wikiDataId"]) else "",
            checked_coordinates(r["latitude"], r["longitude"], path=path, line=i, what=r["name"]),
            r["native"],
        )
        for i, r in numbered_rows(path, required=required)
    ]


def read_japan_cities(folder: Path) -> list[JapanCityRow]:
    """Every entry of ``cities_JP.json``."""
    path = source_file(folder, "cities_JP.json")
    data = read_json(path)
    if not isinstance(data, list):
        raise ParseError(f"{path}: expected a JSON list")
    out = []
    for x in data:
        if not isinstance(x, dict) or not x.get("name"):
            continue
        pop = x.get("population")
        tr = x.get("translations") if isinstance(x.get("translations"), dict) else {}
        assert isinstance(tr, dict)
        out.append(
            JapanCityRow(
                str(x["name"]),
                str(x.get("native") or ""),
                str(x.get("type") or ""),
                str(x.get("wikiDataId") or "") if is_qid(str(x.get("wikiDataId") or "")) else "",
                parse_coordinates(x.get("latitude"), x.get("longitude")),
                int(pop) if isinstance(pop, int) and pop > 0 else None,
                str(x.get("state_code") or ""),
                {str(k): str(v) for k, v in tr.items() if v},
            )
        )
    return out
