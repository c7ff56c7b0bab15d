"""Reader for eurocities-wikidata: Eurocities members with Wikidata QIDs, English names, coordinates.

>>> from graphkit.paths import PROJECT_ROOT
>>> m = {x.qid: x for x in read_members(PROJECT_ROOT / "data/sources/eurocities-wikidata")}
>>> m["Q2044"].names, m["Q2044"].country_qid
(('Florence',), 'Q38')
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graphkit.errors import ParseError
from graphkit.ingest.readutil import parse_coordinates, read_json, source_file
from graphkit.rdf.namespaces import is_qid

SOURCE_ID = "eurocities-wikidata"


@dataclass(frozen=True)
class EurocitiesMember:
    """One member city: QID, its names (website name, Wikidata label), country QID, coordinates."""

    qid: str
    names: tuple[str, ...]
    country_qid: str
    coords: tuple[float, float] | None
    population: int | None


def read_members(folder: Path) -> list[EurocitiesMember]:
    """The members with a valid QID."""
    path = source_file(folder, "members-wikidata-enriched.json")
    data = read_json(path)
    members = data.get("members") if isinstance(data, dict) else None
    if not isinstance(members, list):
        raise ParseError(f"{path}: expected an object with a 'members' list")
    out = []
    for m in members:
        if not isinstance(m, dict) or not is_qid(str(m.get("wikidata_id", ""))):
            continue
        names = tuple(dict.fromkeys(str(m[k]) for k in ("name_on_website", "wikidata_name") if m.get(k)))
        pop = m.get("population")
        out.append(
            EurocitiesMember(
                str(m["wikidata_id"]),
                names,
                str(m.get("country") or ""),
                parse_coordinates(m.get("latitude"), m.get("longitude")),
                int(pop) if isinstance(pop, (int, float)) and pop > 0 else None,
            )
        )
    return out
