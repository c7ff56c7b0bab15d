"""The raw datasets the world ingest reads, with what an analyst needs to cite them.

Each dataset lives in ``data/sources/<id>/`` with its ``LICENSE.md`` (our attribution notes) and
``SOURCE.md`` (how it was made, what is wrong with it). In the graph each becomes one
``gk:SourceDocument`` node, ``gkid:source/<id>``, that relations and places point to with
``prov:wasDerivedFrom``.

>>> SOURCES["hekman-twincities"].licence
'MIT (scraper and tables, © 2026 Erik Hekman); facts from English Wikipedia, CC BY-SA 4.0'
>>> source_iri("hekman-twincities").endswith("/id/source/hekman-twincities")
True
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from graphkit.rdf.namespaces import ID


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
            "eurocities-wikidata",
            "Eurocities network members enriched from Wikidata (c-riq/city-vote)",
            "Wikidata data, CC0 1.0 (the repository has no licence file)",
            "https://github.com/c-riq/city-vote",
            False,
            ("CC0-1.0",),
        ),
    )
}


def source_iri(source_id: str) -> URIRef:
    """The IRI of a source dataset node, ``gkid:source/<id>``."""
    return ID[f"source/{source_id}"]
