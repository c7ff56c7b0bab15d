"""Centralities of the municipality graph (degree, betweenness, eigenvector) and top-N tables.

Values follow networkx's conventions whatever the backend: degree centrality is d(u)/(n−1);
betweenness is exact and normalised by (n−1)(n−2)/2 (the share of pairs of other nodes whose
shortest paths run through u); eigenvector centrality is the leading eigenvector of the adjacency
matrix with unit Euclidean norm and non-negative entries.

>>> import networkx as nx
>>> b = betweenness(nx.star_graph(3))
>>> b[0], b[1]
(1.0, 0.0)
>>> [row["node"] for row in top_n(nx.star_graph(3), b, 2)]
[0, 1]
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import networkx as nx

from graphkit.analyze.backend import resolve, to_igraph


def degree_centrality(G: nx.Graph) -> dict[Any, float]:
    """d(u)/(n−1) for every node (networkx's definition)."""
    return dict(nx.degree_centrality(G))


def betweenness(G: nx.Graph, *, backend: str = "auto", normalized: bool = True) -> dict[Any, float]:
    """Exact shortest-path betweenness of every node (igraph by default: ~10 s on the world graph).

    Unnormalised values count each unordered pair of other nodes once, as networkx does.
    """
    n = G.number_of_nodes()
    if resolve(backend) == "networkx":
        return dict(nx.betweenness_centrality(G, normalized=normalized))
    g, nodes = to_igraph(G)
    raw = g.betweenness(directed=G.is_directed())
    if G.is_directed():
        scale = 1 / ((n - 1) * (n - 2)) if normalized and n > 2 else 1.0
    else:
        scale = 2 / ((n - 1) * (n - 2)) if normalized and n > 2 else 1.0
    return {node: float(v) * scale for node, v in zip(nodes, raw, strict=True)}


def eigenvector(G: nx.Graph, *, backend: str = "auto") -> dict[Any, float]:
    """Eigenvector centrality with unit Euclidean norm (networkx's scaling) on either backend.

    It is only defined for a connected graph, so it is computed on the largest connected component;
    nodes outside it get 0.
    """
    from graphkit.analyze.stats import largest_component

    out = dict.fromkeys(G, 0.0)
    H = largest_component(G)
    if H.number_of_edges() == 0:
        return out
    if resolve(backend) == "networkx":
        values = dict(nx.eigenvector_centrality_numpy(H))
    else:
        import warnings

        h, nodes = to_igraph(H)
        with warnings.catch_warnings():  # igraph warns when peripheral values are ~0, even on a connected graph
            warnings.simplefilter("ignore", RuntimeWarning)
            values = dict(zip(nodes, h.eigenvector_centrality(), strict=True))
    norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
    out.update({k: abs(v) / norm for k, v in values.items()})
    return out


def top_n(G: nx.Graph, scores: Mapping[Any, float], n: int = 10) -> list[dict[str, Any]]:
    """The ``n`` best-scoring nodes as table rows: rank, node, label, country, degree, score.

    Ties are broken by label then node id, so the table is the same on every run.
    """
    order = sorted(scores, key=lambda u: (-scores[u], str(G.nodes[u].get("label", u)), str(u)))
    return [
        {
            "rank": i,
            "node": u,
            "label": G.nodes[u].get("label", str(u)),
            "country": G.nodes[u].get("country"),
            "degree": G.degree(u),
            "score": scores[u],
        }
        for i, u in enumerate(order[:n], start=1)
    ]
