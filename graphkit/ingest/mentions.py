"""Turn the rows of the relation sources into cleaned *mentions* of places and *assertions* of relations.

A mention is one place as one source writes it (name, country, coordinates, language), after the
name and country rules of :mod:`graphkit.ingest.clean`. An assertion is "source S says A and B are
partners, as listed by A". Merging (:mod:`graphkit.ingest.merge`) turns mentions into nodes and
assertions into relations.

>>> m = Mention("hekman-twincities", "Shibuya (Tokyo)", "Shibuya", "Tokyo", True, "municipality", "JP", None, "en")
>>> m.key
('JP', 'shibuya', '')
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from graphkit.ingest import hekman, yuboski
from graphkit.ingest.clean import (
    CountryResolution,
    classify_kind,
    country_from_name,
    is_type_hint,
    normalize_unicode,
    resolve_country,
    split_disambiguator,
    strip_wiki_markup,
)
from graphkit.ingest.countries import CountryTable, fold
from graphkit.ingest.ledger import Ledger


@dataclass(slots=True)
class Mention:
    """One place as one source writes it, cleaned."""

    source: str
    raw: str
    base: str
    hint: str
    hint_in_brackets: bool
    kind: str
    iso: str
    coords: tuple[float, float] | None
    lang: str
    key: tuple[str, str, str] = ("", "", "")

    def __post_init__(self) -> None:
        # (country, folded base name, kind qualifier): mentions with one key are one place
        # unless their coordinates say otherwise
        qualifier = self.hint.lower() if self.hint and is_type_hint(self.hint) else ""
        self.key = (self.iso, fold(self.base), qualifier)


@dataclass(slots=True)
class Assertion:
    """A relation as one source row states it: ``lister`` names ``partner`` in its list."""

    source: str
    lister: Mention
    partner: Mention
    line: int
    file: str = "twin_cities_raw.csv"

    @property
    def where(self) -> str:
        """``file:line`` of the row."""
        return f"{self.file}:{self.line}"


def clean_name(raw: str, ledger: Ledger) -> tuple[str, str, bool]:
    """Apply the name rules; returns ``(base name, disambiguator, disambiguator in brackets)``."""
    name = normalize_unicode(raw)
    if name != raw:
        ledger.count("unicode-normalised", raw, name)
    stripped = strip_wiki_markup(name)
    if stripped != name:
        ledger.count("wiki-markup-removed", name, stripped)
        name = stripped
    if name.endswith("()"):
        ledger.count("empty-brackets-removed", name, name[:-2].strip())
        name = name[:-2].strip()
    base, hint = split_disambiguator(name)
    if hint:
        ledger.count("disambiguator-split", name, f"{base} | {hint}")
    return base, hint, bool(hint) and name.endswith(")")


class MentionFactory:
    """Builds mentions, resolving each distinct (name, country string) once."""

    def __init__(self, table: CountryTable, ledger: Ledger) -> None:
        self.table = table
        self.ledger = ledger
        self._countries: dict[str, CountryResolution | None] = {}
        self._names: dict[str, tuple[str, str, bool]] = {}
        self._cache: dict[tuple[str, str, str, str, tuple[float, float] | None], Mention | None] = {}

    def country(self, text: str) -> CountryResolution | None:
        """Resolve a country string (cached; each distinct string is counted once per rule)."""
        if text not in self._countries:
            r = resolve_country(text, self.table)
            self._countries[text] = r
            if r is not None and r.rule != "exact":
                self.ledger.count(f"country-{r.rule}", text, r.iso2)
        return self._countries[text]

    def mention(
        self,
        source: str,
        raw: str,
        country: str | CountryResolution | None,
        coords: tuple[float, float] | None,
        lang: str,
        where: str,
    ) -> Mention | None:
        """A cleaned mention, or None (recorded as a reject) when no name is left.

        A mention whose country cannot be resolved has ``iso == ""``; merging tries to find it
        by its name among the other places, and rejects it if that fails."""
        ckey = country if isinstance(country, str) else (country.iso2 if country else "")
        key = (source, raw, ckey, lang, coords)
        if key in self._cache:
            return self._cache[key]
        if raw not in self._names:
            self._names[raw] = clean_name(raw, self.ledger)
        base, hint, brackets = self._names[raw]
        res = self.country(country) if isinstance(country, str) else country
        if res is None:
            found = country_from_name(base if not hint else f"{base}, {hint}", self.table)
            if found is None and coords is not None:
                iso, km = self.table.locator.nearest_country(*coords)
                if km < 300:
                    found = (base, CountryResolution(iso, "from-coordinates"))
            if found is not None:
                new_base, res = found
                self.ledger.count(f"country-{res.rule}", f"{raw} / {ckey or '(empty)'}", res.iso2)
                if new_base != base and res.rule == "from-name":
                    base, hint = new_base, ""
        if res is not None and hint and (self.table.lookup(hint) or self.table.alias(hint)) == res.iso2:
            self.ledger.count("disambiguator-is-country", f"{base} ({hint})", base)
            hint, brackets = "", False
        m = None
        if not fold(base):
            self.ledger.reject(source, where, raw, "empty-name", "no name left after cleaning")
        else:
            kind = "area" if res is not None and res.rule == "territory" else classify_kind(base, hint)
            m = Mention(source, raw, base, hint, brackets, kind, res.iso2 if res else "", coords, lang)
        self._cache[key] = m
        return m


def hekman_assertions(
    folder: Path,
    factory: MentionFactory,
    *,
    pairs: list[hekman.HekmanPair] | None = None,
    coords: dict[tuple[str, str], tuple[float, float]] | None = None,
) -> list[Assertion]:
    """Assertions from the English Wikipedia pair list (city1 is the city whose entry listed city2).

    ``pairs`` and ``coords`` are the source's files already read (else they are read from ``folder``).
    """
    pairs = hekman.read_pairs(folder) if pairs is None else pairs
    coords = hekman.read_coordinates(folder) if coords is None else coords
    factory.ledger.rows_read[hekman.SOURCE_ID] = len(pairs)
    facts = factory.ledger.facts
    facts["hekman-rows-with-coordinates"] = 0  # counted below, in the one pass over the rows
    located = 0
    ends: dict[tuple[str, str], Mention | None] = {}
    for p in pairs:
        end1, end2 = (p.city1, p.country1), (p.city2, p.country2)
        xy1, xy2 = coords.get(end1), coords.get(end2)
        if xy1 is not None and xy2 is not None:
            located += 1
        for end, xy in ((end1, xy1), (end2, xy2)):
            if end not in ends:
                where = f"twin_cities_raw.csv:{p.line}"
                ends[end] = factory.mention(hekman.SOURCE_ID, end[0], end[1], xy, "en", where)
    facts["hekman-rows-with-coordinates"] = located
    repeated = len(pairs) - len({p[:4] for p in pairs})  # (city1, country1, city2, country2)
    if repeated:
        factory.ledger.count(f"same-row-repeated-{hekman.SOURCE_ID}", n=repeated)
    out = []
    for p in pairs:
        a, b = ends[(p.city1, p.country1)], ends[(p.city2, p.country2)]
        if a is not None and b is not None:
            out.append(Assertion(hekman.SOURCE_ID, a, b, p.line))
        else:
            factory.ledger.reject(
                hekman.SOURCE_ID,
                f"twin_cities_raw.csv:{p.line}",
                f"{p.city1} – {p.city2}",
                "relation-dropped",
                "a party could not be resolved",
            )
    return out


def yuboski_assertions(
    folder: Path, factory: MentionFactory, *, rows: list[yuboski.YuboskiRow] | None = None
) -> list[Assertion]:
    """Assertions from the Italian Wikipedia gemellaggi (the start comune lists the partner).

    ``rows`` are the source's rows already read (else they are read from ``folder``).
    """
    rows = yuboski.read_rows(folder) if rows is None else rows
    ledger = factory.ledger
    ledger.rows_read[yuboski.SOURCE_ID] = len(rows)
    table = factory.table
    named = {r.end_country for r in rows if r.end_country}
    italian: dict[str, str] = {}
    for name in sorted(named):
        iso = table.lookup(name) or table.alias(name) or table.cldr(name)
        if iso:
            italian[name] = iso
        else:  # a historic state ("Austria-Ungheria"): the place's own evidence decides
            ledger.count("country-name-not-a-country", name, "country from the place itself")
    ledger.facts["italian-country-names"] = dict(sorted(italian.items()))
    rows_per_name = Counter(r.end_country for r in rows if r.end_country in italian)
    best: dict[str, tuple[int, str]] = {}
    for name, n in rows_per_name.items():
        iso = italian[name]
        if n > best.get(iso, (0, ""))[0]:
            best[iso] = (n, name)
    ledger.facts["italian-country-label"] = {iso: name for iso, (_, name) in sorted(best.items())}
    italy = CountryResolution("IT", "exact")
    out = []
    for r in rows:
        where = f"{r.file}:{r.line}"
        a = factory.mention(yuboski.SOURCE_ID, r.start_name, italy, r.start_coords, "it", where)
        country: str | CountryResolution | None = None
        if r.end_country in italian:
            country = CountryResolution(italian[r.end_country], "italian-name")
        b = factory.mention(yuboski.SOURCE_ID, r.end_name, country, r.end_coords, "it", where)
        if a and b:
            out.append(Assertion(yuboski.SOURCE_ID, a, b, r.line, r.file))
        else:
            ledger.reject(
                yuboski.SOURCE_ID,
                where,
                f"{r.start_name} – {r.end_name}",
                "relation-dropped",
                "a party could not be resolved",
            )
    return out
