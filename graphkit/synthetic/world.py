"""A synthetic graph shaped like the world twinning dataset, for benchmarks and engine comparisons.

Municipalities with labels (@en, some @it/@ja), a country, coordinates, a Wikidata IRI and a source;
countries with ISO codes; relations with two parties, a type, one to three sources, ``gk:listedBy``,
some start dates; ``gk:partnerOf`` both ways. With ``broken`` > 0, that fraction of relations and
municipalities gets a typical defect (a missing source, one party, a malformed date, a type outside
the scheme, coordinates out of range, a bad Wikidata IRI, a lower-case country code), so a validator
has something to find. Deterministic for a given ``seed``.

>>> text = world_ntriples(places=50, relations=80, countries=5, seed=1)
>>> text.count("\\n") > 800
True
"""

from __future__ import annotations

import random

from rdflib import Literal, URIRef
from rdflib import namespace as rdfns
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from graphkit.rdf.namespaces import GK, ID, RELTYPE, SECTOR, WD, WGS84
from graphkit.sparql.binding import term_to_sparql

_TYPES = ("partnership", "twinning", "sister-city", "friendship-city", "memorandum-of-understanding")
_DEFECTS = ("no-source", "one-party", "bad-date", "bad-type", "bad-lat", "bad-wikidata", "bad-code")


def world_ntriples(
    *, places: int = 17_000, relations: int = 25_000, countries: int = 200, seed: int = 0, broken: float = 0.0
) -> str:
    """N-Triples text of a world-shaped graph (~12 triples per relation and per place)."""
    rnd = random.Random(seed)
    t = term_to_sparql
    a, label, country_p = t(RDF.type), t(RDFS.label), t(GK.country)
    lat_p, long_p, wikidata_p = t(WGS84.lat), t(WGS84.long), t(GK.wikidata)
    derived, party, listed, partner = t(PROV.wasDerivedFrom), t(GK.party), t(GK.listedBy), t(GK.partnerOf)
    rel_type, start = t(GK.relationType), t(GK.startDate)
    lines: list[str] = []
    add = lines.append

    sources = [ID[f"source/synthetic-{i}"] for i in range(4)]
    for i, s in enumerate(sources):
        add(f"{t(s)} {a} {t(GK.SourceDocument)} .")
        add(f"{t(s)} {a} {t(PROV.Entity)} .")
        add(f"{t(s)} {t(DCTERMS.title)} {t(Literal(f'Synthetic source {i}'))} .")
    source_terms = [t(s) for s in sources]

    country_terms = []
    for i in range(countries):
        code = chr(65 + i // 26 % 26) + chr(65 + i % 26)
        c = t(ID[f"country/{code.lower()}"])
        country_terms.append(c)
        add(f"{c} {a} {t(GK.Country)} .")
        add(f"{c} {label} {t(Literal(f'Country {code}', lang='en'))} .")
        add(f"{c} {t(GK.countryCode)} {t(Literal(code))} .")
        add(f"{c} {wikidata_p} {t(WD[f'Q{1000 + i}'])} .")

    place_terms = []
    for i in range(places):
        p = t(ID[f"place/Q{100_000 + i}"])
        place_terms.append(p)
        defect = rnd.choice(_DEFECTS) if rnd.random() < broken else ""
        add(f"{p} {a} {t(GK.Municipality)} .")
        add(f"{p} {label} {t(Literal(f'Town {i}', lang='en'))} .")
        if i % 3 == 0:
            add(f"{p} {label} {t(Literal(f'Città {i}', lang='it'))} .")
        if i % 7 == 0:
            add(f"{p} {label} {t(Literal(f'町 {i}', lang='ja'))} .")
        add(f"{p} {country_p} {rnd.choice(country_terms)} .")
        lat = rnd.uniform(-89.9, 89.9) if defect != "bad-lat" else 91.5
        add(f"{p} {lat_p} {t(Literal(f'{lat:.5f}', datatype=rdfns.XSD.decimal))} .")
        add(f"{p} {long_p} {t(Literal(f'{rnd.uniform(-179.9, 179.9):.5f}', datatype=rdfns.XSD.decimal))} .")
        if defect == "bad-wikidata":
            add(f"{p} {wikidata_p} {t(URIRef(str(WD) + f'P{i}'))} .")
        elif i % 5:
            add(f"{p} {wikidata_p} {t(WD[f'Q{100_000 + i}'])} .")
        add(f"{p} {derived} {rnd.choice(source_terms)} .")

    for i in range(relations):
        r = t(ID[f"relation/synthetic-{i}"])
        defect = rnd.choice(_DEFECTS) if rnd.random() < broken else ""
        x, y = rnd.sample(place_terms, 2)
        add(f"{r} {a} {t(GK.MunicipalRelation)} .")
        add(f"{r} {party} {x} .")
        if defect != "one-party":
            add(f"{r} {party} {y} .")
            add(f"{x} {partner} {y} .")
            add(f"{y} {partner} {x} .")
        kind = t(SECTOR.culture) if defect == "bad-type" else t(RELTYPE[rnd.choice(_TYPES)])
        add(f"{r} {rel_type} {kind} .")
        if defect != "no-source":
            for st in rnd.sample(source_terms, rnd.choice((1, 1, 1, 2, 3))):
                add(f"{r} {derived} {st} .")
        add(f"{r} {listed} {x} .")
        if i % 3:
            add(f"{r} {listed} {y} .")
        if defect == "bad-date":
            add(f'{r} {start} "2009-13-45"^^{t(rdfns.XSD.date)} .')  # built as text: rdflib would log the bad date
        elif i % 4 == 0:
            add(f"{r} {start} {t(Literal(str(1950 + i % 70), datatype=rdfns.XSD.gYear))} .")
    if broken:
        add(f"{country_terms[0]} {t(GK.countryCode)} {t(Literal('aa'))} .")
    return "\n".join(lines) + "\n"
