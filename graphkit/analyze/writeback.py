"""Write analysis results back into the knowledge graph, as a named graph queryable in SPARQL.

For every node of the analysed municipality graph: ``gk:degree`` (xsd:integer), ``gk:betweenness``
(xsd:double, exact, normalised) and ``gk:community`` (xsd:integer, the Louvain community number,
0 = largest) in the named graph ``graph/analysis/network``. Writing again replaces that graph, so
results never pile up across runs. The graph IRI itself is described (``dct:description``) with the
method and seed.

>>> from graphkit.store.open import open_graph
>>> from graphkit.analyze.pipeline import run_analysis
>>> store = open_graph(["data/seed/assisi-koya.ttl"])
>>> write_back(store, run_analysis(store))
8
>>> store.query("SELECT ?d ?c WHERE { ?p gk:wikidata wd:Q20103 ; gk:degree ?d ; gk:community ?c }").records()
[{'d': 1, 'c': 0}]
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib import namespace as rdfns
from rdflib.namespace import DCTERMS, PROV, RDF

from graphkit.analyze.pipeline import AnalysisResult
from graphkit.errors import StoreError
from graphkit.rdf.namespaces import GK, graph_iri
from graphkit.store.embedded import EmbeddedStore

ANALYSIS_GRAPH = graph_iri("analysis/network")


def analysis_quads(result: AnalysisResult, graph: URIRef = ANALYSIS_GRAPH) -> list[tuple]:
    """The quads of the results graph (see the module docstring)."""
    G = result.graph
    membership = result.partition.membership
    btw = result.scores["betweenness"]
    quads: list[tuple] = [
        (graph, RDF.type, PROV.Entity, graph),
        (
            graph,
            DCTERMS.description,
            Literal(
                f"Network analysis of the municipality graph ({G.number_of_nodes()} nodes, {G.number_of_edges()} "
                f"edges; filters: {result.filters.describe()}): degree, exact normalised betweenness, Louvain "
                f"community (resolution 1, seed {result.seed}, {result.partition.backend}).",
                lang="en",
            ),
            graph,
        ),
    ]
    for node in sorted(G.nodes(), key=str):
        iri = URIRef(str(node))
        quads.append((iri, GK.degree, Literal(G.degree(node), datatype=rdfns.XSD.integer), graph))
        quads.append((iri, GK.betweenness, Literal(float(btw[node]), datatype=rdfns.XSD.double), graph))
        quads.append((iri, GK.community, Literal(membership[node], datatype=rdfns.XSD.integer), graph))
    return quads


def write_back(store: EmbeddedStore, result: AnalysisResult, graph: URIRef = ANALYSIS_GRAPH) -> int:
    """Replace the named graph ``graph`` in ``store`` with the results; return the number of triples."""
    import pyoxigraph as ox

    ox_store = getattr(store, "oxigraph", None)
    if ox_store is None:
        raise StoreError("writing results back needs the embedded store (graphkit.store.embedded.EmbeddedStore)")
    name = ox.NamedNode(str(graph))
    if name in set(ox_store.named_graphs()):
        ox_store.remove_graph(name)
    quads = analysis_quads(result, graph)
    store.add_quads(quads)
    return len(quads)
