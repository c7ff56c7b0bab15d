"""Reader for yuboski-itwiki-gemellaggi: the gemellaggi (twinnings) of Italian comuni on it.wikipedia.

Each row is one partner in the list of a comune (the "start" side, always in Italy). The partner
("end") has coordinates and an Italian country name in ``twinings.csv``; ``twinings_fails.csv``
holds the partners the scraper could not resolve (often no country, wiki markup in the name).

>>> from graphkit.paths import PROJECT_ROOT
>>> rows = read_rows(PROJECT_ROOT / "data/sources/yuboski-itwiki-gemellaggi")
>>> r = next(r for r in rows if r.start_name == "Firenze" and r.end_name == "Kyoto")
>>> r.end_country, r.start_province
('Giappone', 'provincia di Firenze')
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graphkit.ingest.readutil import checked_coordinates, numbered_rows, source_file

SOURCE_ID = "yuboski-itwiki-gemellaggi"
_COLUMNS = (
    "comune_start_name",
    "comune_start_lat",
    "comune_start_log",
    "comune_start_regione",
    "comune_end_name",
    "comune_end_lat",
    "comune_end_log",
    "comune_end_stato",
)


@dataclass(frozen=True)
class YuboskiRow:
    """One partner of one Italian comune, as written."""

    start_name: str
    start_coords: tuple[float, float] | None
    start_province: str
    end_name: str
    end_coords: tuple[float, float] | None
    end_country: str
    file: str
    line: int


def read_rows(folder: Path) -> list[YuboskiRow]:
    """The rows of ``twinings.csv`` (``|``-separated) then ``twinings_fails.csv`` (comma-separated)."""
    out: list[YuboskiRow] = []
    for name, delimiter in (("twinings.csv", "|"), ("twinings_fails.csv", ",")):
        path = source_file(folder, name)
        for i, r in numbered_rows(path, delimiter=delimiter, required=_COLUMNS):
            start, end = r["comune_start_name"], r["comune_end_name"]
            out.append(
                YuboskiRow(
                    start,
                    checked_coordinates(r["comune_start_lat"], r["comune_start_log"], path=path, line=i, what=start),
                    r["comune_start_regione"],
                    end,
                    checked_coordinates(r["comune_end_lat"], r["comune_end_log"], path=path, line=i, what=end),
                    r["comune_end_stato"],
                    name,
                    i,
                )
            )
    return out
