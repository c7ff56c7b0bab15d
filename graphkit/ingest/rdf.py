"""Write the merged world as RDF: N-Triples text, built directly (no rdflib Graph for 400k triples).

Places follow the data model contract: ``gkid:place/<QID>`` when the QID is known, else
``gkid:place/<cc>/<slug>``; relations are ``gkid:relation/<place>--<place>`` with both parties,
the type its sources state (:func:`relation_type`: a *gemellaggio* of Italian Wikipedia and a
Wikidata P190 statement are ``reltype:twinning``, the English list's pair a ``reltype:partnership``),
one ``prov:wasDerivedFrom`` per supporting source, ``gk:listedBy`` for each party whose list names the relation,
``gk:sourceRecord`` with the first row of each source that states it (``hekman-twincities/twin_cities_raw.csv:1234``,
a path under ``data/sources``), and the
materialised ``gk:partnerOf`` in both directions. Nodes already in the graph (the seed's Assisi,
Kōya, Rome, Italy, Japan; the seed's Assisi–Kōya relation) are joined, not redefined: they gain
sources and listings, and only the single-valued facts they lack (coordinates, population, GeoNames
id, admin1 region), so none gets a second value.

>>> nt_literal('say "ciao"\\n', "it")
'"say \\\\"ciao\\\\"\\\\n"@it'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib import namespace as rdfns
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from graphkit.ingest.clean import choose_label
from graphkit.ingest.countries import fold
from graphkit.ingest.model import Place, World
from graphkit.ingest.sources import GEONAMES, GEONAMES_YEAR, RELATION_TYPE_OF_SOURCE, SOURCES, source_iri
from graphkit.rdf.namespaces import GK, ID, LICENSES, RELTYPE, SCHEMA, WD, WGS84, place_iri, slugify

KIND_CLASS: dict[str, URIRef] = {
    "municipality": GK.Municipality,
    "district": GK.District,
    "province": GK.Province,
    "region": GK.Region,
    "prefecture": GK.Prefecture,
    "area": GK.AdministrativeArea,
    "country": GK.Country,
}


def nt_iri(iri: str) -> str:
    """An IRI in N-Triples syntax."""
    return f"<{iri}>"


def nt_literal(text: str, lang: str = "", datatype: str = "") -> str:
    """A literal in N-Triples syntax, escaped."""
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if lang:
        return f'"{body}"@{lang}'
    if datatype:
        return f'"{body}"^^<{datatype}>'
    return f'"{body}"'


@dataclass
class Existing:
    """What the graph already holds: places by IRI (and which of them have coordinates), and relation
    IRIs by their pair of parties."""

    places: set[str] = field(default_factory=set)
    relations: dict[frozenset[str], str] = field(default_factory=dict)
    located: set[str] = field(default_factory=set)
    #: places that have a population / a GeoNames id already (the seed's Kōya has its census figure)
    populated: set[str] = field(default_factory=set)
    with_geonames: set[str] = field(default_factory=set)
    with_admin1: set[str] = field(default_factory=set)


@dataclass
class Emitted:
    """The N-Triples text and what it contains.

    ``text`` is the whole document from :func:`emit_world`; it is empty when the text went
    straight into the store chunk by chunk (:class:`WorldWriter`, as the build step does).
    ``triples`` counts the lines written (the build step replaces it by the distinct triples loaded).
    """

    text: str
    triples: int
    place_iris: dict[int, str]
    relation_iris: list[str]
    countries: int


def place_iris(world: World) -> dict[int, str]:
    """A unique IRI per place (QID-based when known; a numbered slug when two names collide)."""
    return iris_of_places(world.places)


def iris_of_places(places: Mapping[int, Place]) -> dict[int, str]:
    """:func:`place_iris` of a set of places (what the world's IRIs will be, if they are final)."""
    out: dict[int, str] = {}
    used: set[str] = set()
    place_base = str(ID["place/"])
    for pid in sorted(places):
        p = places[pid]
        if p.qid:
            iri = place_base + p.qid
        else:
            base = f"{place_base}{(p.iso or 'xx').lower()}/{_slug(p.key_name)}"
            iri, n = base, 2
            while iri in used:
                iri, n = f"{base}-{n}", n + 1
        used.add(iri)
        out[pid] = iri
    return out


def _slug(name: str) -> str:
    """:func:`~graphkit.rdf.namespaces.slugify` (what :func:`~graphkit.rdf.namespaces.place_iri` uses), through
    the cached :func:`~graphkit.ingest.countries.fold`, which is the same slug for any name that has one.

    >>> _slug("Kōya") == slugify("Kōya") == "koya"
    True
    """
    return fold(name) or slugify(name)  # slugify raises the InputError of a name without a slug


_DECIMAL = f"^^<{rdfns.XSD.decimal}>"


def _decimal(x: float) -> str:
    """An xsd:decimal literal with at most 6 decimals (``43.77``, never ``4.3e1``)."""
    return '"' + f"{x:.6f}".rstrip("0").rstrip(".") + '"' + _DECIMAL


_ADMIN1 = re.compile(r"^[A-Z]{2}\.[A-Za-z0-9]+$")

#: Lines of N-Triples per chunk handed to the store by :class:`WorldWriter`.
CHUNK_LINES = 40_000


def emit_world(world: World, existing: Existing, *, country_it_names: dict[str, str] | None = None) -> Emitted:
    """All the world's triples as one N-Triples document."""
    writer = WorldWriter(world, existing, country_it_names=country_it_names)
    text = "".join(writer.chunks())
    return writer.emitted(text)


class WorldWriter:
    """Writes the world's triples as N-Triples, in chunks of whole lines (:meth:`chunks`).

    :meth:`place_chunks` (sources, countries, places) needs only the final places, so the build
    step loads them while the relations are still being merged; :meth:`relation_chunks` follows.
    After the chunks are consumed, :meth:`emitted` tells what was written.
    """

    def __init__(self, world: World, existing: Existing, *, country_it_names: dict[str, str] | None = None) -> None:
        self.world = world
        self.existing = existing
        self.it_names = country_it_names or {}
        self.lines = 0
        self.iris: dict[int, str] = {}
        self.relation_iris: list[str] = []
        self.countries = 0

    def emitted(self, text: str = "") -> Emitted:
        """What was written (``text``: the document, when the caller kept it)."""
        return Emitted(text, self.lines, self.iris, self.relation_iris, self.countries)

    def chunks(self, chunk_lines: int = CHUNK_LINES) -> Iterator[str]:
        """The document in pieces of about ``chunk_lines`` lines, each ending with a newline."""
        yield from self.place_chunks(chunk_lines)
        yield from self.relation_chunks(chunk_lines)

    def place_chunks(self, chunk_lines: int = CHUNK_LINES) -> Iterator[str]:
        """The first part of :meth:`chunks`: sources, countries and places (it needs no relations)."""
        yield from self._chunked(self._pieces(), chunk_lines)

    def relation_chunks(self, chunk_lines: int = CHUNK_LINES) -> Iterator[str]:
        """The rest of :meth:`chunks`: the relations (after :meth:`place_chunks`, which names the places)."""
        if not self.iris and self.world.places:
            raise RuntimeError("relation_chunks() needs the place IRIs of place_chunks()")
        src = {k: nt_iri(str(source_iri(k))) for k in SOURCES}
        pieces = self._relations(self.iris, src, nt_iri(str(RDF.type)), nt_iri(str(PROV.wasDerivedFrom)))
        yield from self._chunked(pieces, chunk_lines)

    def _chunked(self, pieces: Iterator[str], chunk_lines: int) -> Iterator[str]:
        """Join pieces (a few lines each: one place, one relation) into chunks of about ``chunk_lines`` lines."""
        buf: list[str] = []
        for piece in pieces:
            buf.append(piece)
            if len(buf) >= chunk_lines // 8:
                text = "".join(buf)
                self.lines += text.count("\n")
                yield text
                buf = []
        if buf:
            text = "".join(buf)
            self.lines += text.count("\n")
            yield text

    def _pieces(self) -> Iterator[str]:
        """Pieces of the document, each one or more whole lines: sources, countries, places."""
        world, existing = self.world, self.existing
        a, label, alt = nt_iri(str(RDF.type)), nt_iri(str(RDFS.label)), nt_iri(str(SKOS.altLabel))
        derived = nt_iri(str(PROV.wasDerivedFrom))
        src = {k: nt_iri(str(source_iri(k))) for k in SOURCES}
        # sources
        for s in SOURCES.values():
            node = src[s.id]
            lines = [
                f"{node} {a} {nt_iri(str(GK.SourceDocument))} .",
                f"{node} {a} {nt_iri(str(PROV.Entity))} .",
                f"{node} {nt_iri(str(DCTERMS.title))} {nt_literal(s.title, 'en')} .",
                f"{node} {nt_iri(str(RDFS.comment))} {nt_literal('Licence: ' + s.licence, 'en')} .",
                f"{node} {nt_iri(str(SCHEMA.url))} {nt_iri(s.url)} .",
            ]
            lines += [f"{node} {nt_iri(str(DCTERMS.license))} {nt_iri(str(LICENSES[spdx]))} ." for spdx in s.spdx]
            yield "\n".join(lines) + "\n"
        # countries
        country_iri: dict[str, str] = {}
        country_lines: dict[str, set[str]] = {}  # a place that is a country (Monaco) repeats none of them
        used_isos = sorted({p.iso for p in world.places.values() if p.iso})
        self.countries = len(used_isos)
        for iso in used_isos:
            c = world.table[iso]
            iri = str(place_iri(qid=c.qid)) if c.qid else str(ID[f"country/{iso.lower()}"])
            country_iri[iso] = iri
            if iri in existing.places:
                continue
            node = nt_iri(iri)
            lines = [f"{node} {a} {nt_iri(str(GK.Country))} .", f"{node} {label} {nt_literal(c.name, 'en')} ."]
            if iso in self.it_names:
                lines.append(f"{node} {label} {nt_literal(self.it_names[iso], 'it')} .")
            lines.append(f"{node} {nt_iri(str(GK.countryCode))} {nt_literal(iso)} .")
            if c.qid:
                lines.append(f"{node} {nt_iri(str(GK.wikidata))} {nt_iri(str(WD[c.qid]))} .")
            lines.append(f"{node} {derived} {src['dr5hn-csc-wikidata']} .")
            country_lines[iri] = set(lines)
            yield "\n".join(lines) + "\n"
        # places
        iris = self.iris = place_iris(world)
        yield from self._places(iris, country_iri, src, a, label, alt, derived, country_lines)

    def _places(
        self,
        iris: dict[int, str],
        country_iri: dict[str, str],
        src: dict[str, str],
        a: str,
        label: str,
        alt: str,
        derived: str,
        country_lines: dict[str, set[str]],
    ) -> Iterator[str]:
        """One piece per place: its sources, and (unless the graph has it already) its description;
        a place that is a country node written before (``country_lines``) gets only what is new."""
        p_country, p_lat, p_long = nt_iri(str(GK.country)), nt_iri(str(WGS84.lat)), nt_iri(str(WGS84.long))
        p_wd, p_pop, p_in = nt_iri(str(GK.wikidata)), nt_iri(str(GK.population)), nt_iri(str(GK.locatedIn))
        kind_class = {k: nt_iri(str(v)) for k, v in KIND_CLASS.items()}
        country_node = {iso: nt_iri(iri) for iso, iri in country_iri.items()}
        integer, gyear = str(rdfns.XSD.integer), str(rdfns.XSD.gYear)
        p_pop_src, p_pop_year = nt_iri(str(GK.populationSource)), nt_iri(str(GK.populationYear))
        p_gid, p_admin1, p_close = nt_iri(str(GK.geonamesId)), nt_iri(str(GK.admin1Code)), nt_iri(str(SKOS.closeMatch))
        wd_base = str(WD)
        known = self.existing.places
        for pid, p in self.world.places.items():
            iri = iris[pid]
            node = f"<{iri}>"
            lines = [f"{node} {derived} {src[sid]} ." for sid in sorted(p.sources) if sid in src]
            if iri in known and iri not in self.existing.located and p.kind != "country":
                # a curated place without coordinates (the seed's Rome) gets the sources' coordinates
                xy = p.best_coords()
                if xy:
                    lines.append(f"{node} {p_lat} {_decimal(xy[0])} .")
                    lines.append(f"{node} {p_long} {_decimal(xy[1])} .")
            # a curated place keeps its own population and GeoNames id; what it lacks, the gazetteer gives
            # (the seed's Assisi gets its GeoNames id, Umbria and population; Kōya keeps its census figure)
            new_place = iri not in known
            if (new_place or iri not in self.existing.populated) and p.population:
                lines.append(f"{node} {p_pop} {nt_literal(str(p.population), datatype=integer)} .")
                if p.population_source in src:
                    lines.append(f"{node} {p_pop_src} {src[p.population_source]} .")
                if p.population_source == GEONAMES:
                    lines.append(f"{node} {p_pop_year} {nt_literal(str(GEONAMES_YEAR), datatype=gyear)} .")
            if (new_place or iri not in self.existing.with_geonames) and p.geonames is not None:
                lines.append(f"{node} {p_gid} {nt_literal(str(p.geonames.geonames_id))} .")
            region = f"{p.geonames.country}.{p.geonames.admin1}" if p.geonames is not None else ""
            if (new_place or iri not in self.existing.with_admin1) and _ADMIN1.match(region):
                lines.append(f"{node} {p_admin1} {nt_literal(region)} .")
            if new_place:
                lines.append(f"{node} {a} {kind_class[p.kind]} .")
                lines.extend(_labels(node, p, label, alt))
                if p.iso:  # a country partner (Morocco) is its own gk:country: found by country code too
                    lines.append(f"{node} {p_country} {country_node[p.iso]} .")
                xy = p.best_coords()
                if xy:
                    lines.append(f"{node} {p_lat} {_decimal(xy[0])} .")
                    lines.append(f"{node} {p_long} {_decimal(xy[1])} .")
                if p.qid:
                    lines.append(f"{node} {p_wd} <{wd_base}{p.qid}> .")
                for q in sorted(p.other_qids):
                    lines.append(f"{node} {p_close} <{wd_base}{q}> .")
                if p.parent is not None and p.parent in iris:
                    lines.append(f"{node} {p_in} <{iris[p.parent]}> .")
            if iri in country_lines:
                lines = [line for line in lines if line not in country_lines[iri]]
            if lines:
                lines.append("")
                yield "\n".join(lines)

    def _relations(self, iris: dict[int, str], src: dict[str, str], a: str, derived: str) -> Iterator[str]:
        """One piece per relation: its type and parties (unless the graph has it), sources and listings."""
        r_class, r_party = nt_iri(str(GK.MunicipalRelation)), nt_iri(str(GK.party))
        r_type, r_listed, r_partner = nt_iri(str(GK.relationType)), nt_iri(str(GK.listedBy)), nt_iri(str(GK.partnerOf))
        r_row = nt_iri(str(GK.sourceRecord))
        type_iri = {t: nt_iri(str(RELTYPE[t])) for t in {*RELATION_TYPE_OF_SOURCE.values(), "partnership"}}
        rel_iris = self.relation_iris
        rel_base = str(ID["relation/"])
        local = {pid: _local(iri) for pid, iri in iris.items()}
        known_rels = self.existing.relations
        for r in self.world.relations:
            ia, ib = iris[r.a], iris[r.b]
            main, disagreeing = relation_type(r.sources)
            known = known_rels.get(frozenset((ia, ib))) if known_rels else None
            la, lb = local[r.a], local[r.b]
            iri = known or (rel_base + (f"{la}--{lb}" if ia < ib else f"{lb}--{la}"))
            rel_iris.append(iri)
            node, na, nb = f"<{iri}>", f"<{ia}>", f"<{ib}>"
            head = (
                ""
                if known
                else (
                    f"{node} {a} {r_class} .\n{node} {r_party} {na} .\n{node} {r_party} {nb} .\n"
                    f"{node} {r_type} {type_iri[main]} .\n{na} {r_partner} {nb} .\n{nb} {r_partner} {na} .\n"
                )
            )
            if disagreeing and not known:
                head += _type_statements(iri, disagreeing, src, type_iri)
            sources = (
                f"{node} {derived} {src[next(iter(r.sources))]} .\n"
                if len(r.sources) == 1
                else "".join(f"{node} {derived} {src[sid]} .\n" for sid in sorted(r.sources))
            )
            listed = "".join(f"{node} {r_listed} <{iris[lister]}> .\n" for lister in sorted(r.listed_by))
            rows = "".join(
                f"{node} {r_row} {nt_literal(f'{sid}/{where}')} .\n" for sid, where in sorted(r.rows.items())
            )
            yield head + sources + listed + rows


def relation_type(sources: set[str]) -> tuple[str, dict[str, str]]:
    """The type of a relation from what its sources say (:data:`~graphkit.ingest.sources.RELATION_TYPE_OF_SOURCE`):
    the one specific type they state ("partnership" says nothing more), else ``partnership`` with
    each source's own type (when two sources state different specific types).

    >>> relation_type({"hekman-twincities", "yuboski-itwiki-gemellaggi"})
    ('twinning', {})
    >>> relation_type({"hekman-twincities"})
    ('partnership', {})
    """
    stated = {s: RELATION_TYPE_OF_SOURCE.get(s, "partnership") for s in sources}
    specific = set(stated.values()) - {"partnership"}
    if len(specific) == 1:
        return next(iter(specific)), {}
    if not specific:
        return "partnership", {}
    return "partnership", {s: t for s, t in sorted(stated.items()) if t != "partnership"}


def _type_statements(iri: str, per_source: dict[str, str], src: dict[str, str], type_iri: dict[str, str]) -> str:
    """One rdf:Statement per source that states its own type for the relation ``iri``."""
    out = []
    for source, t in per_source.items():
        node = f"<{iri}/type/{source}>"
        out += [
            f"{node} {nt_iri(str(RDF.type))} {nt_iri(str(RDF.Statement))} .",
            f"{node} {nt_iri(str(RDF.subject))} <{iri}> .",
            f"{node} {nt_iri(str(RDF.predicate))} {nt_iri(str(GK.relationType))} .",
            f"{node} {nt_iri(str(RDF.object))} {type_iri[t]} .",
            f"{node} {nt_iri(str(PROV.wasDerivedFrom))} {src[source]} .",
        ]
    return "\n".join(out) + "\n"


def _local(iri: str) -> str:
    """``…/place/jp/koya`` → ``jp-koya``; ``…/place/Q20103`` → ``Q20103``."""
    return iri.rsplit("/place/", 1)[-1].replace("/", "-")


def _labels(node: str, p: Place, label: str, alt: str) -> Iterator[str]:
    """One rdfs:label per language (the preferred spelling), other spellings as skos:altLabel.

    A label whose language the source does not say (the Wikidata crawl's) is a plain literal: an
    rdfs:label only when there is no other, else an altLabel.
    """
    known = [lang for lang in p.labels if lang]
    for lang, variants in p.labels.items():
        best = next(iter(variants)) if len(variants) == 1 else choose_label(variants)
        if lang or not known:
            yield f"{node} {label} {nt_literal(best, lang)} ."
        else:
            yield f"{node} {alt} {nt_literal(best)} ."
        for v in variants:
            if v != best:
                yield f"{node} {alt} {nt_literal(v, lang)} ."
