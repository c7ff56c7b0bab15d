"""Which library computes a step: networkx (the interface) or igraph (C, for the heavy steps).

Functions of :mod:`graphkit.analyze` take ``backend="auto" | "networkx" | "igraph"`` and always
return plain Python data keyed by the networkx node ids; ``"auto"`` means igraph for the steps where
networkx is too slow on the world graph (betweenness, Louvain, triangles/transitivity, distances,
triad census) and networkx elsewhere. Tests check that both backends agree.

>>> import networkx as nx
>>> g, nodes = to_igraph(nx.path_graph(["a", "b", "c"]))
>>> g.vcount(), g.ecount(), nodes
(3, 2, ['a', 'b', 'c'])
>>> resolve("auto")
'igraph'
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import networkx as nx

from graphkit.errors import InputError

BACKENDS: tuple[str, ...] = ("auto", "igraph", "networkx")


def resolve(backend: str) -> str:
    """The concrete backend for ``backend`` (``auto`` → ``igraph``); unknown names raise InputError."""
    if backend not in BACKENDS:
        raise InputError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    return "igraph" if backend == "auto" else backend


def to_igraph(G: nx.Graph | nx.DiGraph, *, weight: str | None = None) -> tuple[Any, list[Any]]:
    """An igraph copy of ``G`` (structure only, plus ``weight`` if named) and the node order.

    Vertex ``i`` of the igraph graph is ``nodes[i]``. Self-loops and edge multiplicity are kept as
    they are in ``G``.
    """
    import igraph as ig

    nodes = list(G.nodes())
    index = {n: i for i, n in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in G.edges()]
    g = ig.Graph(n=len(nodes), edges=edges, directed=G.is_directed())
    if weight is not None:
        g.es["weight"] = [float(d.get(weight, 1.0)) for _, _, d in G.edges(data=True)]
    return g, nodes


@contextmanager
def seeded_igraph(seed: int) -> Iterator[None]:
    """Make igraph's random choices reproducible inside the block (igraph draws from Python's RNG)."""
    import igraph as ig

    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)
