"""Write the merged world as RDF: N-Triples text, built directly (no rdflib Graph for 400k triples).

Places follow the data model contract: ``gkid:place/<QID>`` when the QID is known, else
``gkid:place/<cc>/<slug>``; relations are ``gkid:relation/<place>--<place>`` with both parties,
``reltype:partnership`` (the sources do not say which kind), one ``prov:wasDerivedFrom`` per
supporting source, ``gk:listedBy`` for each party whose list names the relation, and the
materialised ``gk:partnerOf`` in both directions. Nodes already in the graph (the seed's Assisi,
Kōya, Rome, Italy, Japan; the seed's Assisi–Kōya relation) are joined, not redefined: they only
gain sources and listings, so their single-valued properties never get a second value.

>>> nt_literal('say "ciao"\\n', "it")
'"say \\\\"ciao\\\\"\\\\n"@it'
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib import namespace as rdfns
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from graphkit.ingest.clean import choose_label
from graphkit.ingest.merge import Place, World
from graphkit.ingest.sources import SOURCES, source_iri
from graphkit.namespaces import GK, ID, LICENSES, RELTYPE, SCHEMA, WD, WGS84, place_iri

KIND_CLASS: dict[str, URIRef] = {
    "municipality": GK.Municipality,
    "district": GK.District,
    "province": GK.Province,
    "region": GK.Region,
    "prefecture": GK.Prefecture,
    "area": GK.AdministrativeArea,
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
    """What the graph already holds: places by IRI, and relation IRIs by their pair of parties."""

    places: set[str] = field(default_factory=set)
    relations: dict[frozenset[str], str] = field(default_factory=dict)


@dataclass
class Emitted:
    """The N-Triples text and what it contains."""

    text: str
    triples: int
    place_iris: dict[int, str]
    relation_iris: list[str]
    countries: int


def place_iris(world: World) -> dict[int, str]:
    """A unique IRI per place (QID-based when known; a numbered slug when two names collide)."""
    out: dict[int, str] = {}
    used: set[str] = set()
    qid_base = str(place_iri(qid="Q1"))[:-2]  # …/id/place/
    for pid in sorted(world.places):
        p = world.places[pid]
        if p.qid:
            iri = qid_base + p.qid
        else:
            base = str(place_iri(country=p.iso or "xx", name=p.key_name))
            iri, n = base, 2
            while iri in used:
                iri, n = f"{base}-{n}", n + 1
        used.add(iri)
        out[pid] = iri
    return out


_DECIMAL = f"^^<{rdfns.XSD.decimal}>"


def _decimal(x: float) -> str:
    """An xsd:decimal literal with at most 6 decimals (``43.77``, never ``4.3e1``)."""
    return '"' + f"{x:.6f}".rstrip("0").rstrip(".") + '"' + _DECIMAL


def emit_world(world: World, existing: Existing, *, country_it_names: dict[str, str] | None = None) -> Emitted:
    """All the world's triples as one N-Triples document."""
    lines: list[str] = []
    out = lines.append
    a, label, alt = nt_iri(str(RDF.type)), nt_iri(str(RDFS.label)), nt_iri(str(SKOS.altLabel))
    derived = nt_iri(str(PROV.wasDerivedFrom))
    src = {k: nt_iri(str(source_iri(k))) for k in SOURCES}
    # sources
    for s in SOURCES.values():
        node = src[s.id]
        out(f"{node} {a} {nt_iri(str(GK.SourceDocument))} .")
        out(f"{node} {a} {nt_iri(str(PROV.Entity))} .")
        out(f"{node} {nt_iri(str(DCTERMS.title))} {nt_literal(s.title, 'en')} .")
        out(f"{node} {nt_iri(str(RDFS.comment))} {nt_literal('Licence: ' + s.licence, 'en')} .")
        out(f"{node} {nt_iri(str(SCHEMA.url))} {nt_iri(s.url)} .")
        for spdx in s.spdx:
            out(f"{node} {nt_iri(str(DCTERMS.license))} {nt_iri(str(LICENSES[spdx]))} .")
    # countries
    country_iri: dict[str, str] = {}
    used_isos = sorted({p.iso for p in world.places.values() if p.iso})
    it_names = country_it_names or {}
    for iso in used_isos:
        c = world.table[iso]
        iri = str(place_iri(qid=c.qid)) if c.qid else str(ID[f"country/{iso.lower()}"])
        country_iri[iso] = iri
        if iri in existing.places:
            continue
        node = nt_iri(iri)
        out(f"{node} {a} {nt_iri(str(GK.Country))} .")
        out(f"{node} {label} {nt_literal(c.name, 'en')} .")
        if iso in it_names:
            out(f"{node} {label} {nt_literal(it_names[iso], 'it')} .")
        out(f"{node} {nt_iri(str(GK.countryCode))} {nt_literal(iso)} .")
        if c.qid:
            out(f"{node} {nt_iri(str(GK.wikidata))} {nt_iri(str(WD[c.qid]))} .")
        out(f"{node} {derived} {src['dr5hn-csc-wikidata']} .")
    # places
    iris = place_iris(world)
    p_country, p_lat, p_long = nt_iri(str(GK.country)), nt_iri(str(WGS84.lat)), nt_iri(str(WGS84.long))
    p_wd, p_pop, p_in = nt_iri(str(GK.wikidata)), nt_iri(str(GK.population)), nt_iri(str(GK.locatedIn))
    wd_base = str(WD)
    for pid, p in world.places.items():
        iri = iris[pid]
        node = nt_iri(iri)
        for sid in sorted(p.sources):
            if sid in src:
                out(f"{node} {derived} {src[sid]} .")
        if iri in existing.places:
            continue
        out(f"{node} {a} {nt_iri(str(KIND_CLASS[p.kind]))} .")
        lines.extend(_labels(node, p, label, alt))
        if p.iso:
            out(f"{node} {p_country} {nt_iri(country_iri[p.iso])} .")
        xy = p.best_coords()
        if xy:
            out(f"{node} {p_lat} {_decimal(xy[0])} .")
            out(f"{node} {p_long} {_decimal(xy[1])} .")
        if p.qid:
            out(f"{node} {p_wd} <{wd_base}{p.qid}> .")
        if p.population:
            out(f"{node} {p_pop} {nt_literal(str(p.population), datatype=str(rdfns.XSD.integer))} .")
        if p.parent is not None and p.parent in iris:
            out(f"{node} {p_in} {nt_iri(iris[p.parent])} .")
    # relations
    r_class, r_party, r_type = nt_iri(str(GK.MunicipalRelation)), nt_iri(str(GK.party)), nt_iri(str(GK.relationType))
    r_listed, r_partner = nt_iri(str(GK.listedBy)), nt_iri(str(GK.partnerOf))
    partnership = nt_iri(str(RELTYPE.partnership))
    rel_iris = []
    rel_base = str(ID["relation/"])
    local = {pid: _local(iri) for pid, iri in iris.items()}
    for r in world.relations:
        ia, ib = iris[r.a], iris[r.b]
        known = existing.relations.get(frozenset((ia, ib))) if existing.relations else None
        la, lb = local[r.a], local[r.b]
        iri = known or (rel_base + (f"{la}--{lb}" if ia < ib else f"{lb}--{la}"))
        rel_iris.append(iri)
        node, na, nb = nt_iri(iri), nt_iri(ia), nt_iri(ib)
        if not known:
            out(f"{node} {a} {r_class} .")
            out(f"{node} {r_party} {na} .")
            out(f"{node} {r_party} {nb} .")
            out(f"{node} {r_type} {partnership} .")
            out(f"{na} {r_partner} {nb} .")
            out(f"{nb} {r_partner} {na} .")
        for sid in sorted(r.sources):
            out(f"{node} {derived} {src[sid]} .")
        for lister in sorted(r.listed_by):
            out(f"{node} {r_listed} {nt_iri(iris[lister])} .")
    return Emitted("\n".join(lines) + "\n", len(lines), iris, rel_iris, len(used_isos))


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
