"""Run the whole analysis on a knowledge graph (or an edge list read into one), timing every step.

:func:`run_analysis` is what ``graphkit analyze`` calls: projections, the statistics table,
centralities with top-N tables, Louvain communities, reciprocity and triads, partner distances,
country homophily and mixing, population assortativity. The result keeps the networkx graphs and
the per-node scores (for :mod:`graphkit.analyze.writeback`) and renders as JSON.

>>> from graphkit.store.open import open_graph
>>> result = run_analysis(open_graph(["data/seed/assisi-koya.ttl"]), top=3)
>>> result.stats.edges, [row["label"] for row in result.centrality["degree"]]
(1, ['Assisi', 'Kōya'])
>>> round(result.distance_summary.mean)
9658
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

import networkx as nx

from graphkit.analyze import centrality, communities, geography, reciprocity
from graphkit.analyze.backend import resolve
from graphkit.analyze.filters import check_filters
from graphkit.analyze.projections import RelationData, country_graph, listing_graph, municipality_graph
from graphkit.analyze.stats import NetworkStats, PowerLawFit, degree_histogram, network_stats, tail_power_law
from graphkit.relations.read import read_relations
from graphkit.runtime.progress import progress
from graphkit.store.embedded import Store

T = TypeVar("T")
#: Number of progress ticks of :func:`run_analysis` (one per timed step).
_STEPS = 17


@dataclass(frozen=True)
class Timing:
    """Seconds one step took, and the library that computed it."""

    step: str
    seconds: float
    backend: str
    #: CPU seconds of this process (differs from ``seconds`` when other jobs share the machine).
    cpu_seconds: float = 0.0


@dataclass(frozen=True)
class Filters:
    """The projection filters an analysis ran with (``None``: no filter)."""

    relation_types: tuple[str, ...] | None = None
    statuses: tuple[str, ...] | None = None
    countries: tuple[str, ...] | None = None
    region: str | None = None
    include_areas: bool = False

    def kwargs(self) -> dict[str, Any]:
        """As keyword arguments of the projection functions."""
        return asdict(self)

    def describe(self) -> str:
        """One line for the report, e.g. ``relation types: twinning; countries: IT``.

        >>> Filters(relation_types=("twinning",), countries=("IT", "JP")).describe()
        'relation types: twinning; countries: IT, JP'
        >>> Filters().describe()
        'none'
        """
        shown = []
        for key, value in asdict(self).items():
            if value in (None, False):
                continue
            text = ", ".join(value) if isinstance(value, tuple) else "yes" if value is True else str(value)
            shown.append(f"{key.replace('_', ' ')}: {text}")
        return "; ".join(shown) or "none"


@dataclass
class AnalysisResult:
    """Everything one analysis computed."""

    description: str
    filters: Filters
    backend: str
    seed: int
    top: int
    graph: nx.Graph
    listing: nx.DiGraph
    countries: nx.Graph
    stats: NetworkStats
    tail: PowerLawFit | None
    degree_histogram: dict[int, int]
    scores: dict[str, dict[Any, float]]
    centrality: dict[str, list[dict[str, Any]]]
    partition: communities.Partition
    community_summary: list[dict[str, Any]]
    reciprocity: reciprocity.Reciprocity
    triad_census: dict[str, int]
    undirected_triads: dict[str, int]
    distances: list[float]
    distance_summary: geography.DistanceSummary
    homophily: geography.Homophily
    top_country_pairs: list[tuple[str, str, int]]
    heatmap_countries: list[str]
    country_matrix: Any
    population: geography.PopulationAssortativity
    timings: list[Timing] = field(default_factory=list)
    #: Filters that match nothing, with what would match (:func:`graphkit.analyze.filters.check_filters`).
    notes: list[str] = field(default_factory=list)

    @property
    def total_seconds(self) -> float:
        """Sum of the step timings."""
        return sum(t.seconds for t in self.timings)

    def to_json(self) -> dict[str, Any]:
        """Everything but the graphs and per-node scores, as JSON-ready data."""
        return {
            "description": self.description,
            "filters": asdict(self.filters),
            "backend": self.backend,
            "seed": self.seed,
            "statistics": self.stats.as_dict(),
            "estimated": list(self.stats.estimated),
            "tail_power_law": asdict(self.tail) if self.tail else None,
            "degree_histogram": {str(k): v for k, v in self.degree_histogram.items()},
            "centrality": self.centrality,
            "communities": {
                "count": len(self.partition.communities),
                "modularity": self.partition.modularity,
                "largest": self.community_summary,
            },
            "reciprocity": asdict(self.reciprocity),
            "triad_census": self.triad_census,
            "undirected_triads": self.undirected_triads,
            "partner_distance_km": asdict(self.distance_summary),
            "country_homophily": asdict(self.homophily),
            "top_country_pairs": [list(p) for p in self.top_country_pairs],
            "population_assortativity": asdict(self.population),
            "timings": [asdict(t) for t in self.timings],
        }


def _import_heavy(backend: str) -> None:
    """Import the compiled libraries up front, so step timings measure work rather than imports."""
    import scipy.optimize  # noqa: F401
    import scipy.special  # noqa: F401

    if backend == "igraph":
        import igraph  # noqa: F401


def run_analysis(
    source: Store | RelationData,
    *,
    top: int = 10,
    backend: str = "auto",
    seed: int = 42,
    filters: Filters | None = None,
    description: str | None = None,
    show_progress: bool = False,
    heatmap_size: int = 20,
) -> AnalysisResult:
    """Run every analysis on ``source`` (a store or already loaded relations) with timings."""
    chosen = resolve(backend)
    filters = filters or Filters()
    timings: list[Timing] = []
    steps = iter(progress(range(_STEPS), desc="analysing", enabled=show_progress, total=_STEPS))

    def timed(step: str, lib: str, fn: Callable[[], T]) -> T:
        next(steps, None)
        t0, c0 = time.perf_counter(), time.process_time()
        value = fn()
        timings.append(Timing(step, time.perf_counter() - t0, lib, time.process_time() - c0))
        return value

    timed("import libraries (igraph, scipy)", "python", lambda: _import_heavy(chosen))
    data = (
        source
        if isinstance(source, RelationData)
        else timed("read relations (SPARQL)", "pyoxigraph", lambda: read_relations(source))
    )
    notes = check_filters(data, **filters.kwargs())  # an unknown value raises before any work
    G = timed("project municipality graph", "networkx", lambda: municipality_graph(data, **filters.kwargs()))
    D = timed("project listing graph", "networkx", lambda: listing_graph(data, **filters.kwargs()))
    C = timed("project country graph", "networkx", lambda: country_graph(G))

    next(steps, None)
    sub: dict[str, tuple[float, float]] = {}
    stats = network_stats(G, backend=chosen, timings=sub)
    for name, (wall, cpu) in sub.items():
        timings.append(Timing(name, wall, "python" if name.startswith("degrees") else chosen, cpu))
    tail = timed("tail power law (discrete MLE, KS xmin)", "scipy", lambda: tail_power_law(d for _, d in G.degree()))

    deg = timed("degree centrality", "networkx", lambda: centrality.degree_centrality(G))
    btw = timed("betweenness (exact)", chosen, lambda: centrality.betweenness(G, backend=chosen))
    eig = timed("eigenvector centrality (LCC)", chosen, lambda: centrality.eigenvector(G, backend=chosen))
    part = timed("Louvain communities", chosen, lambda: communities.louvain(G, seed=seed, backend=chosen))
    rec = timed("reciprocity", "networkx", lambda: reciprocity.reciprocity(D, G))
    census = timed("triad census (listing graph)", chosen, lambda: reciprocity.triad_census(D, backend=chosen))
    dists = timed("partner distances (haversine)", "python", lambda: geography.partner_distances(G))
    homo = timed("country homophily", "networkx", lambda: geography.country_homophily(G))
    pop = timed("population assortativity", "python", lambda: geography.population_assortativity(G))
    busiest = geography.busiest_countries(G, heatmap_size)
    next(steps, None)
    return AnalysisResult(
        description=description or str(G.graph.get("name", "graph")),
        filters=filters,
        backend=chosen,
        seed=seed,
        top=top,
        graph=G,
        listing=D,
        countries=C,
        stats=stats,
        tail=tail,
        degree_histogram=degree_histogram(G),
        scores={"degree": deg, "betweenness": btw, "eigenvector": eig},
        centrality={
            "degree": centrality.top_n(G, deg, top),
            "betweenness": centrality.top_n(G, btw, top),
            "eigenvector": centrality.top_n(G, eig, top),
        },
        partition=part,
        community_summary=communities.community_summary(G, part, top=top),
        reciprocity=rec,
        triad_census=census,
        undirected_triads=reciprocity.undirected_triads(G, backend=chosen),
        distances=dists,
        distance_summary=geography.distance_summary(G, dists),
        homophily=homo,
        top_country_pairs=geography.top_country_pairs(G, top),
        heatmap_countries=busiest,
        country_matrix=geography.country_pair_matrix(G, busiest),
        population=pop,
        timings=timings,
        notes=notes,
    )
