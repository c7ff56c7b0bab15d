"""A synthetic world graph that follows the data model contract, for tests and benchmarks of views.

Until (and besides) the real world dataset, views are exercised on a reproducible random graph
with the same shape: municipalities with labels, country, coordinates and sources; relations
with two parties, a type, sometimes a status and a start year, their sources and ``gk:partnerOf``.
Hubs emerge from a skewed choice of parties. Optional special names (Łódź, 高野町, São Paulo) and
hostile labels (HTML/script) check that views show any text as text.

>>> store = views_store(50, 60, seed=1, special_names=True)
>>> from graphkit.relations.read import read_relations
>>> net = read_relations(store)
>>> len(net.places), len(net.relations), "Łódź" in {p.label for p in net.places.values()}
(50, 60, True)
"""

from __future__ import annotations

import random
from itertools import accumulate
from typing import cast

import pyoxigraph as ox
from rdflib.namespace import DCTERMS

from graphkit.build.pipeline import load_ontology_into
from graphkit.rdf.namespaces import GK, ID, PROV, RDF, RDFS, RELSTATUS, RELTYPE, WGS84, XSD, graph_iri, place_iri
from graphkit.store.embedded import EmbeddedStore

#: Countries with a rough centre (lat, long), used to scatter synthetic municipalities.
COUNTRY_CENTRES: dict[str, tuple[float, float]] = {
    "IT": (42.8, 12.5), "JP": (36.2, 138.2), "PL": (52.0, 19.1), "BR": (-14.2, -51.9), "FR": (46.6, 2.2),
    "DE": (51.1, 10.4), "US": (39.8, -98.6), "CN": (35.0, 103.0), "ES": (40.4, -3.7), "GB": (54.0, -2.0),
    "RU": (56.0, 38.0), "UA": (49.0, 31.0), "TR": (39.0, 35.0), "IN": (22.0, 79.0), "MX": (23.6, -102.5),
    "AR": (-34.0, -64.0), "CA": (50.0, -100.0), "AU": (-25.0, 133.0), "NL": (52.1, 5.3), "BE": (50.5, 4.5),
    "SE": (62.0, 15.0), "NO": (61.0, 9.0), "FI": (63.0, 26.0), "CZ": (49.8, 15.5), "HU": (47.2, 19.5),
    "RO": (45.9, 24.9), "GR": (39.1, 22.0), "PT": (39.6, -8.0), "KR": (36.4, 127.9), "EG": (26.8, 30.8),
    "ZA": (-30.6, 22.9), "NG": (9.1, 8.7), "CL": (-35.7, -71.5), "PE": (-9.2, -75.0), "CO": (4.6, -74.3),
    "AT": (47.5, 14.5), "CH": (46.8, 8.2), "DK": (56.3, 9.5), "IE": (53.4, -8.2), "IL": (31.0, 34.9),
}  # fmt: skip
_TYPES = (("partnership", 60), ("twinning", 20), ("sister-city", 10), ("friendship-city", 5),
          ("memorandum-of-understanding", 3), ("cooperation-agreement", 2))  # fmt: skip
_STATUSES = ((None, 90), ("active", 5), ("terminated", 3), ("suspended", 2))
SPECIAL_NAMES: tuple[tuple[str, str], ...] = (("PL", "Łódź"), ("JP", "高野町"), ("BR", "São Paulo"))
HOSTILE_NAMES: tuple[tuple[str, str], ...] = (
    ("FR", "<img src=x onerror=alert(1)>"),
    ("DE", "</script><script>alert(2)</script>"),
    ("ES", 'Tom & Jerry\'s "<b>bold</b>" town\u2028next'),
)


def views_store(
    n_places: int,
    n_relations: int,
    *,
    seed: int = 42,
    special_names: bool = False,
    hostile_names: bool = False,
    with_ontology: bool = True,
) -> EmbeddedStore:
    """An embedded store with ``n_places`` municipalities and ``n_relations`` relations (reproducible)."""
    rng = random.Random(seed)
    store = EmbeddedStore()
    if with_ontology:
        load_ontology_into(store)
    g = ox.NamedNode(str(graph_iri("synthetic/world.nt")))
    quads: list[ox.Quad] = []

    def add(s: ox.NamedNode, p: object, o: ox.NamedNode | ox.BlankNode | ox.Literal) -> None:
        quads.append(ox.Quad(s, ox.NamedNode(str(p)), o, g))

    codes = list(COUNTRY_CENTRES)
    sources = []
    for i, title in enumerate(("Synthetic list A", "Synthetic list B", "Synthetic gazetteer")):
        src = ox.NamedNode(str(ID[f"source/synthetic-{i}"]))
        add(src, RDF.type, ox.NamedNode(str(GK.SourceDocument)))
        add(src, RDF.type, ox.NamedNode(str(PROV.Entity)))
        add(src, DCTERMS.title, ox.Literal(title, language="en"))
        sources.append(src)
    country_nodes = {}
    for cc in codes:
        node = ox.NamedNode(str(ID[f"place/country-{cc.lower()}"]))
        country_nodes[cc] = node
        add(node, RDF.type, ox.NamedNode(str(GK.Country)))
        add(node, RDFS.label, ox.Literal(f"Country {cc}", language="en"))
        add(node, GK.countryCode, ox.Literal(cc))

    fixed = (list(SPECIAL_NAMES) if special_names else []) + (list(HOSTILE_NAMES) if hostile_names else [])
    country_cum = list(accumulate(1.0 / (i + 1) ** 0.7 for i in range(len(codes))))
    places: list[ox.NamedNode] = []
    for i in range(n_places):
        if i < len(fixed):
            cc, name = fixed[i]
        else:
            cc = rng.choices(codes, cum_weights=country_cum)[0]
            name = f"{_syllables(rng)} {i}"
        node = ox.NamedNode(str(place_iri(country=cc, name=f"{name}-{i}")))
        places.append(node)
        add(node, RDF.type, ox.NamedNode(str(GK.Municipality)))
        add(node, RDFS.label, ox.Literal(name, language="en"))
        add(node, GK.country, country_nodes[cc])
        add(node, PROV.wasDerivedFrom, sources[2])
        if rng.random() > 0.02 or i < len(fixed):
            lat0, long0 = COUNTRY_CENTRES[cc]
            lat = max(-89.0, min(89.0, lat0 + rng.gauss(0, 2.5)))
            long = max(-179.0, min(179.0, long0 + rng.gauss(0, 3.5)))
            add(node, WGS84.lat, ox.Literal(f"{lat:.4f}", datatype=ox.NamedNode(str(XSD.decimal))))
            add(node, WGS84.long, ox.Literal(f"{long:.4f}", datatype=ox.NamedNode(str(XSD.decimal))))

    place_cum = list(accumulate(1.0 / (i + 1) ** 0.55 for i in range(n_places)))
    indices = range(n_places)
    seen: set[tuple[int, int]] = set()
    made = 0
    while made < n_relations and n_places > 1:
        a, b = rng.choices(indices, cum_weights=place_cum, k=2)
        key = (min(a, b), max(a, b))
        if a == b or key in seen:
            continue
        seen.add(key)
        rel = ox.NamedNode(str(ID[f"relation/synthetic-{made}"]))
        add(rel, RDF.type, ox.NamedNode(str(GK.MunicipalRelation)))
        add(rel, GK.party, places[a])
        add(rel, GK.party, places[b])
        add(places[a], GK.partnerOf, places[b])
        add(places[b], GK.partnerOf, places[a])
        kind = _weighted(rng, _TYPES)
        add(rel, GK.relationType, ox.NamedNode(str(RELTYPE[cast(str, kind)])))
        status = _weighted(rng, _STATUSES)
        if status:
            add(rel, GK.status, ox.NamedNode(str(RELSTATUS[cast(str, status)])))
        if rng.random() < 0.4:
            add(rel, GK.startDate, ox.Literal(str(rng.randint(1950, 2024)), datatype=ox.NamedNode(str(XSD.gYear))))
        add(rel, PROV.wasDerivedFrom, sources[made % 2])
        if rng.random() < 0.3:
            add(rel, PROV.wasDerivedFrom, sources[1 - made % 2])
        made += 1
    store.oxigraph.extend(quads)
    return store


def _weighted(rng: random.Random, choices: tuple[tuple, ...]) -> object:
    return rng.choices([c for c, _ in choices], [w for _, w in choices])[0]


def _syllables(rng: random.Random) -> str:
    parts = ("ka", "lo", "ri", "san", "to", "ve", "mar", "bel", "no", "gra", "du", "ost", "lin", "sa", "mi")
    return "".join(rng.choice(parts) for _ in range(rng.randint(2, 3))).capitalize()
