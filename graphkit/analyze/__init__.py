"""Network analysis of the knowledge graph: networkx projections, the standard statistics, and what
analysts of twinning study (hubs, communities, reciprocity, partner distances, country mixing).

One module per job:

- :mod:`~graphkit.analyze.projections`: the read model (:mod:`graphkit.relations.read`) → networkx
  (municipality graph, "who lists whom" graph, country graph) with filters by relation type,
  country, status and region;
- :mod:`~graphkit.analyze.stats`: the statistics table network repositories publish (KONECT's definitions);
- :mod:`~graphkit.analyze.centrality`, :mod:`~graphkit.analyze.communities`,
  :mod:`~graphkit.analyze.geography`, :mod:`~graphkit.analyze.reciprocity`;
- :mod:`~graphkit.analyze.backend`: igraph behind the same functions where networkx is too slow;
- :mod:`~graphkit.analyze.edgelist`: any network given as a plain edge list, into the same KG model;
- :mod:`~graphkit.analyze.pipeline` runs everything with timings, :mod:`~graphkit.analyze.report`
  writes the Markdown/HTML report with plots, :mod:`~graphkit.analyze.writeback` puts degree,
  betweenness and community back into the KG as a named graph;
- :mod:`~graphkit.synthetic.network`: a world-sized synthetic KG for benchmarks.

networkx graphs are what users get back; every function takes the graph first.

>>> from graphkit.analyze import municipality_graph, network_stats
>>> from graphkit.store.open import open_graph
>>> G = municipality_graph(open_graph(["data/seed/assisi-koya.ttl"]))
>>> network_stats(G).as_dict()["edges"]
1
"""

from __future__ import annotations

from graphkit.analyze.projections import RelationData, country_graph, listing_graph, municipality_graph
from graphkit.analyze.stats import STAT_KEYS, NetworkStats, network_stats
from graphkit.relations.read import read_relations

__all__ = [
    "STAT_KEYS",
    "NetworkStats",
    "RelationData",
    "country_graph",
    "listing_graph",
    "municipality_graph",
    "network_stats",
    "read_relations",
]
