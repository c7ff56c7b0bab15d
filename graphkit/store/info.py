"""Summary facts about a graph: triples, named graphs, classes with instance counts.

>>> from graphkit.store.embedded import EmbeddedStore
>>> s = EmbeddedStore()
>>> s.load_data('<https://x.org/a> a <https://x.org/C> .', "ttl")
>>> info = graph_info(s)
>>> info.triples, info.classes
(1, (('https://x.org/C', 1),))
"""

from __future__ import annotations

from dataclasses import dataclass

from graphkit.rdf.namespaces import curie
from graphkit.store.embedded import Store

_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
_CLASSES = "SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?c } GROUP BY ?c ORDER BY DESC(?n) STR(?c)"


@dataclass(frozen=True)
class GraphInfo:
    """Triple count, quads per named graph, and instances per class."""

    triples: int
    graphs: tuple[tuple[str, int], ...]
    classes: tuple[tuple[str, int], ...]

    def summary(self) -> str:
        """Readable text."""
        lines = [f"triples: {self.triples}", f"named graphs: {len(self.graphs)}"]
        lines += [f"  {n:>8}  {g}" for g, n in self.graphs]
        lines.append(f"classes: {len(self.classes)}")
        from rdflib import URIRef

        lines += [f"  {n:>8}  {curie(URIRef(c))}" for c, n in self.classes]
        return "\n".join(lines) + "\n"


def graph_info(store: Store) -> GraphInfo:
    """Count triples, quads per named graph, and instances of each class."""
    graphs = store.select(_GRAPHS)
    classes = store.select(_CLASSES)
    total = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return GraphInfo(
        triples=int(total.column("n")[0]),
        graphs=tuple((r["g"], int(r["n"])) for r in graphs.records()),
        classes=tuple((r["c"], int(r["n"])) for r in classes.records()),
    )
