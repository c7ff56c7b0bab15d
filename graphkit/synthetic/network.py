"""A synthetic knowledge graph shaped like the world twinning network, for benchmarks and tests.

:func:`network_store` draws a heavy-tailed random graph (Chung–Lu with power-law expected
degrees, exponent ≈ 2.6, plus closed wedges for clustering) and writes it in the data model
contract: municipalities with country, coordinates and (mostly) population, relations with type,
source, start year, status and ``gk:listedBy``. Defaults match the world graph's size (~17.7k
municipalities, ~25.9k pairs). The same seed always gives the same graph.

>>> from graphkit.analyze.projections import municipality_graph
>>> G = municipality_graph(network_store(nodes=300, edges=450, seed=1))
>>> 250 < G.number_of_nodes() <= 300 and 380 < G.number_of_edges() < 520
True
"""

from __future__ import annotations

import random

import networkx as nx
from rdflib import Literal
from rdflib import namespace as rdfns
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from graphkit.rdf.namespaces import GK, ID, RELSTATUS, RELTYPE, WGS84, graph_iri, place_iri
from graphkit.store.embedded import EmbeddedStore

_TYPES = (RELTYPE.twinning, RELTYPE["sister-city"], RELTYPE.partnership, RELTYPE["friendship-city"])


def synthetic_graph(nodes: int = 17_700, edges: int = 25_900, *, seed: int = 42) -> nx.Graph:
    """A heavy-tailed simple graph with about ``nodes`` non-isolated nodes and ``edges`` edges."""
    rng = random.Random(seed)
    gamma, n_draw = 2.6, int(nodes * 1.25)
    weights = [min(150.0, (1 - rng.random()) ** (-1 / (gamma - 1))) for _ in range(n_draw)]
    scale = 2 * edges * 0.9 / sum(weights)
    G = nx.expected_degree_graph([w * scale for w in weights], seed=seed, selfloops=False)
    G.remove_nodes_from([u for u, d in list(G.degree()) if d == 0])
    G = nx.convert_node_labels_to_integers(G)
    order = list(G.nodes())
    count, tries = G.number_of_edges(), 0
    while count < edges and tries < 20 * edges:  # close wedges: clustering
        tries += 1
        nbrs = list(G[rng.choice(order)])
        if len(nbrs) >= 2:
            a, b = rng.sample(nbrs, 2)
            if not G.has_edge(a, b):
                G.add_edge(a, b)
                count += 1
    return G


def network_store(
    nodes: int = 17_700,
    edges: int = 25_900,
    *,
    seed: int = 42,
    countries: int = 150,
    store: EmbeddedStore | None = None,
) -> EmbeddedStore:
    """A store holding the synthetic network in the named graph ``graph/synthetic/world``."""
    rng = random.Random(seed)
    G = synthetic_graph(nodes, edges, seed=seed)
    store = store or EmbeddedStore()
    graph = graph_iri("synthetic/world")
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    codes = [letters[i // 26 % 26] + letters[i % 26] for i in range(countries)]
    weights = [1 / (k + 1) ** 1.1 for k in range(countries)]
    centres = {c: (rng.uniform(-45, 65), rng.uniform(-170, 175)) for c in codes}
    sources = [ID[f"source/synthetic-{k}"] for k in range(3)]
    home = {u: rng.choices(codes, weights)[0] for u in G}
    # Homophily: a third of the pairs are domestic.
    for u, v in G.edges():
        if rng.random() < 0.33:
            home[v] = home[u]

    def quads():
        for s in sources:
            yield s, RDF.type, GK.SourceDocument, graph
            yield s, RDF.type, PROV.Entity, graph
            yield s, DCTERMS.title, Literal(f"synthetic source {s.rsplit('-', 1)[-1]}"), graph
        for c in codes:
            node = place_iri(country="zz", name=f"country {c}")
            yield node, RDF.type, GK.Country, graph
            yield node, GK.countryCode, Literal(c), graph
            yield node, RDFS.label, Literal(f"Country {c}", lang="en"), graph
        places = {}
        for u in G:
            c = home[u]
            node = place_iri(country=c, name=f"town {u}")
            places[u] = node
            lat, lon = centres[c]
            yield node, RDF.type, GK.Municipality, graph
            yield node, RDFS.label, Literal(f"Town {u}", lang="en"), graph
            yield node, GK.country, place_iri(country="zz", name=f"country {c}"), graph
            yield (
                node,
                WGS84.lat,
                Literal(f"{max(-89.9, min(89.9, lat + rng.gauss(0, 3))):.4f}", datatype=rdfns.XSD.decimal),
                graph,
            )
            yield (
                node,
                WGS84.long,
                Literal(f"{(lon + rng.gauss(0, 4) + 180) % 360 - 180:.4f}", datatype=rdfns.XSD.decimal),
                graph,
            )
            if rng.random() < 0.7:
                yield node, GK.population, Literal(int(rng.lognormvariate(10.3, 1.5)) + 100), graph
        for i, (u, v) in enumerate(sorted(G.edges())):
            rel = ID[f"relation/synthetic/{i}"]
            a, b = places[u], places[v]
            yield rel, RDF.type, GK.MunicipalRelation, graph
            yield rel, GK.party, a, graph
            yield rel, GK.party, b, graph
            yield rel, GK.relationType, rng.choice(_TYPES), graph
            yield rel, PROV.wasDerivedFrom, rng.choice(sources), graph
            if rng.random() < 0.2:
                yield rel, PROV.wasDerivedFrom, rng.choice(sources), graph
            if rng.random() < 0.6:
                yield rel, GK.startDate, Literal(str(rng.randint(1950, 2020)), datatype=rdfns.XSD.gYear), graph
            if rng.random() < 0.3:
                yield rel, GK.status, RELSTATUS.active, graph
            listed = rng.random()
            if listed < 0.95:
                yield rel, GK.listedBy, a if listed < 0.75 else b, graph
            if listed < 0.55:
                yield rel, GK.listedBy, b, graph
            yield a, GK.partnerOf, b, graph
            yield b, GK.partnerOf, a, graph

    store.add_quads(quads())
    return store
