"""Countries: the ISO 3166-1 table from the gazetteer, and every way the sources write a country.

:class:`CountryTable` knows each country's ISO code, English and native name, Wikidata QID and
reference points (its centroid and its divisions' centroids). Country *strings* from the sources
are resolved by the cleaning rules in :mod:`graphkit.ingest.clean`; the aliases below are the
variants those rules cannot derive from the gazetteer (constituent countries of the UK, historic
or local names, German "Island" for Iceland).

>>> from graphkit.paths import PROJECT_ROOT
>>> table = CountryTable.from_folder(PROJECT_ROOT / "data/sources/dr5hn-csc-wikidata")
>>> table.lookup("Japan"), table.lookup("The Bahamas"), table.lookup("Fiji"), table["IT"].qid
('JP', 'BS', 'FJ', 'Q38')
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graphkit.ingest.dr5hn import CountryRow, StateRow, read_countries, read_states
from graphkit.ingest.fold import fold
from graphkit.ingest.geo import CountryLocator

#: Country names in the sources that are not (folded) names of the gazetteer, with their ISO code.
COUNTRY_ALIASES: dict[str, str] = {
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "Northern Ireland": "GB",
    "Great Britain": "GB",
    "Republic of Ireland": "IE",
    "Georgia (country)": "GE",
    "Palestine": "PS",
    "State of Palestine": "PS",
    "West Bank": "PS",
    "Gaza Strip": "PS",
    "East Timor": "TL",
    "Moldavia": "MD",
    "Island": "IS",
    "Federated States of Micronesia": "FM",
    "Northern Cyprus": "CY",
    "Czechia": "CZ",
    "Macedonia": "MK",
    "Republic of Macedonia": "MK",
    "Swaziland": "SZ",
    "Burma": "MM",
    "Cape Verde": "CV",
    "Cabo Verde": "CV",
    "Vatican City": "VA",
    "Holy See": "VA",
    "Republic of the Congo": "CG",
    "Congo-Brazzaville": "CG",
    "Congo-Kinshasa": "CD",
    "DR Congo": "CD",
    "Côte d'Ivoire": "CI",
    "People's Republic of China": "CN",
    "Republic of China": "TW",
    "Korea": "KR",
    "USA": "US",
    "United States of America": "US",
    "UK": "GB",
}


@dataclass(frozen=True)
class Country:
    """One country of the gazetteer."""

    iso2: str
    name: str
    native: str
    qid: str
    coords: tuple[float, float] | None


class CountryTable:
    """ISO codes, names, QIDs and reference points of every country."""

    def __init__(self, countries: list[Country], points: list[tuple[str, float, float]]) -> None:
        self.countries = {c.iso2: c for c in countries}
        self._names: dict[str, str] = {}
        for c in countries:
            for n in (c.name, c.native, c.name.removeprefix("The "), _bracketless(c.name)):
                if n:
                    self._names.setdefault(fold(n), c.iso2)
        self._aliases = {fold(k): v for k, v in COUNTRY_ALIASES.items() if v in self.countries}
        self._cldr: dict[str, str] | None = None
        self.locator = CountryLocator(points)

    @classmethod
    def from_folder(cls, folder: Path) -> CountryTable:
        """Build the table from the dr5hn gazetteer folder."""
        return cls.from_rows(read_countries(folder), read_states(folder))

    @classmethod
    def from_rows(cls, rows: list[CountryRow], states: list[StateRow]) -> CountryTable:
        """Build the table from the dr5hn country and division rows (already read)."""
        countries = [Country(r.iso2, r.name, r.native, r.qid, r.coords) for r in rows]
        points = [(r.iso2, r.coords[0], r.coords[1]) for r in rows if r.coords]
        points += [(s.country, s.coords[0], s.coords[1]) for s in states if s.coords]
        known = {c.iso2 for c in countries}
        return cls(countries, [p for p in points if p[0] in known])

    def __getitem__(self, iso2: str) -> Country:
        return self.countries[iso2]

    def __contains__(self, iso2: object) -> bool:
        return iso2 in self.countries

    def lookup(self, name: str) -> str | None:
        """The ISO code of an exact (folded) gazetteer name, else None."""
        return self._names.get(fold(name))

    def alias(self, name: str) -> str | None:
        """The ISO code of a known variant name (:data:`COUNTRY_ALIASES`), else None."""
        return self._aliases.get(fold(name))

    def cldr(self, name: str) -> str | None:
        """The ISO code of a country name in one of the CLDR languages (Italian "Bosnia ed Erzegovina",
        German "Vereinigte Staaten"; :mod:`graphkit.ingest.country_names`), else None."""
        if self._cldr is None:
            from graphkit.ingest.country_names import cldr_country_names

            self._cldr = cldr_country_names(self.countries)
        return self._cldr.get(fold(name))

    def names(self) -> dict[str, str]:
        """Folded gazetteer name → ISO code (for fuzzy matching)."""
        return dict(self._names)


def _bracketless(name: str) -> str:
    """ "Man (Isle of)" → "Isle of Man"; other names unchanged."""
    if name.endswith(")") and " (" in name:
        head, _, tail = name[:-1].partition(" (")
        return f"{tail} {head}"
    return name
