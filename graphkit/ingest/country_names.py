"""Country names in many languages, from the Unicode CLDR (via Babel): what ISO 3166-1 code a name
such as "Bosnia ed Erzegovina", "Giappone" or "Vereinigte Staaten" means, without learning it from
coordinates (which put a partner near a border into the neighbour: Sarajevo is not in Croatia).

A name two countries share in different languages is left out; historic states ("Austria-Ungheria",
"Sacro Romano Impero") are no CLDR names, so their places get their country from their own
evidence (the GeoNames place at their coordinates).

>>> names = cldr_country_names(["BA", "HR", "JP", "US"])
>>> names["bosnia-ed-erzegovina"], names["croazia"], names["giappone"], names["vereinigte-staaten"]
('BA', 'HR', 'JP', 'US')
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from graphkit.ingest.fold import fold

#: The languages of the sources (and a few more that twinning lists are written in).
LANGUAGES: tuple[str, ...] = ("en", "it", "de", "fr", "es", "pt", "nl", "pl", "ja")


@functools.lru_cache(maxsize=8)
def _territories(lang: str) -> tuple[tuple[str, str], ...]:
    from babel import Locale

    return tuple(Locale.parse(lang).territories.items())


def cldr_country_names(isos: Iterable[str], languages: Iterable[str] = LANGUAGES) -> dict[str, str]:
    """Folded CLDR name → ISO code, for the countries ``isos``, in ``languages``; names that
    would mean two countries are dropped."""
    wanted = set(isos)
    out: dict[str, str] = {}
    clash: set[str] = set()
    for lang in languages:
        for code, name in _territories(lang):
            if code not in wanted:
                continue
            for variant in {name, name.replace(" - ", " "), name.split(" (")[0]}:
                key = fold(variant)
                if not key:
                    continue
                if out.get(key, code) != code:
                    clash.add(key)
                out.setdefault(key, code)
    return {k: v for k, v in out.items() if k not in clash}


def cldr_name(iso: str, lang: str) -> str:
    """The CLDR name of a country in a language ("" if none).

    >>> cldr_name("BA", "it"), cldr_name("JP", "ja")
    ('Bosnia ed Erzegovina', '日本')
    """
    return dict(_territories(lang)).get(iso, "")
