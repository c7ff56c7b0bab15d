"""Reciprocity and triads: does each side list the partnership, and how do triples close?

From the directed "who lists whom" graph (:func:`graphkit.analyze.projections.listing_graph`):

- ``reciprocity``: share of arcs ``u → v`` whose reverse ``v → u`` exists (networkx's overall
  reciprocity; 1 when every listed partnership is listed by both sides);
- per pair of partners in the undirected graph: listed by both sides, by one side only
  (one-sided), or by neither (no ``gk:listedBy`` information);
- the triad census (the 16 isomorphism classes of directed triples, Holland & Leinhardt notation)
  of the listing graph, and for the undirected graph the open and closed triads (wedges whose ends
  are / are not linked).

>>> import networkx as nx
>>> D = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c")])
>>> G = nx.Graph([("a", "b"), ("a", "c"), ("b", "c")])
>>> r = reciprocity(D, G)
>>> round(r.reciprocity, 3), r.pairs_both, r.pairs_one_sided, r.pairs_unlisted
(0.667, 1, 1, 1)
>>> undirected_triads(G)
{'closed': 1, 'open': 0}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx

from graphkit.analyze.backend import resolve, to_igraph

#: The 16 triad types in the standard order (networkx and igraph use the same).
TRIAD_TYPES: tuple[str, ...] = (
    "003", "012", "102", "021D", "021U", "021C", "111D", "111U",
    "030T", "030C", "201", "120D", "120U", "120C", "210", "300",
)  # fmt: skip


@dataclass(frozen=True)
class Reciprocity:
    """How many listed partnerships are listed back."""

    arcs: int
    reciprocated_arcs: int
    reciprocity: float | None
    pairs_both: int
    pairs_one_sided: int
    pairs_unlisted: int


def reciprocity(D: nx.DiGraph, G: nx.Graph | None = None) -> Reciprocity:
    """Arc reciprocity of ``D`` and, over the pairs of ``G`` (default: ``D``'s pairs), who lists them."""
    arcs = D.number_of_edges()
    back = sum(1 for u, v in D.edges() if D.has_edge(v, u))
    pairs = G.edges() if G is not None else {frozenset(e) for e in D.edges()}
    both = one = none = 0
    for pair in pairs:
        u, v = tuple(pair)
        listed = D.has_edge(u, v) + D.has_edge(v, u)
        both += listed == 2
        one += listed == 1
        none += listed == 0
    return Reciprocity(arcs, back, back / arcs if arcs else None, both, one, none)


def triad_census(D: nx.DiGraph, *, backend: str = "auto") -> dict[str, int]:
    """Counts of the 16 directed triad types of ``D`` (all triples of nodes, including ``003``)."""
    if resolve(backend) == "networkx":
        census = nx.triadic_census(D)
        return {t: int(census[t]) for t in TRIAD_TYPES}
    g, _ = to_igraph(D)
    return {t: int(c) for t, c in zip(TRIAD_TYPES, list(g.triad_census()), strict=True)}


def undirected_triads(G: nx.Graph, *, backend: str = "auto") -> dict[str, Any]:
    """Closed triads (triangles) and open triads (wedges that are not part of a triangle's closure)."""
    from graphkit.analyze.stats import triangle_count, wedges

    t = triangle_count(G, backend=backend)
    return {"closed": t, "open": wedges(G) - 3 * t}
