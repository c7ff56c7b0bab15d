"""Time every step of the network analysis in both backends (networkx vs igraph) and print the ratios.

Uses the built graph (out/graph.nq) when it holds at least --min-relations relations, else a
synthetic world-sized graph (graphkit.synthetic.network, ~17.7k municipalities, ~25.9k pairs).
networkx is the baseline of each ratio, measured in the same run, in CPU seconds of the process
(``time.process_time``) so that other jobs sharing the machine do not skew the ratios. Where exact networkx would take
minutes, the baseline is what a networkx user would run instead, and the table says so:
betweenness with k=500 sampled sources, and all-pairs distances extrapolated from BFS out of
--bfs-sample sources.

    .venv/bin/python bench/bench_analyze.py              # out/graph.nq if built, else synthetic
    .venv/bin/python bench/bench_analyze.py --synthetic  # always the synthetic graph
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def clock(fn: Callable[[], object], repeat: int) -> float:
    """Best CPU seconds of ``repeat`` runs (process time: robust when other jobs share the cores)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--graph", type=Path, default=REPO / "out" / "graph.nq")
    parser.add_argument("--synthetic", action="store_true", help="use the synthetic graph even if a build exists")
    parser.add_argument("--min-relations", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1, help="take the best of N runs of each step")
    parser.add_argument("--bfs-sample", type=int, default=100)
    args = parser.parse_args()

    import igraph  # noqa: F401  (import once, outside the timings)
    import networkx as nx

    from graphkit.analyze import centrality, communities, reciprocity, stats
    from graphkit.analyze.projections import listing_graph, load_relations, municipality_graph
    from graphkit.store.embedded import EmbeddedStore
    from graphkit.synthetic.network import network_store

    t0 = time.perf_counter()
    store = None
    if not args.synthetic and args.graph.is_file():
        store = EmbeddedStore()
        store.load_file(args.graph)
        data = load_relations(store)
        if len(data.relations) < args.min_relations:
            print(f"{args.graph} has only {len(data.relations)} relations; using the synthetic graph")
            store = None
        else:
            source = f"{args.graph} ({len(store):,} quads)"
    if store is None:
        store = network_store()
        source = "synthetic world graph (graphkit.synthetic.network, seed 42)"
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    data = load_relations(store)
    read_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    G = municipality_graph(data)
    D = listing_graph(data)
    proj_s = time.perf_counter() - t0
    H = stats.largest_component(G)
    print(f"Source: {source}")
    print(
        f"Municipality graph: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges, LCC {H.number_of_nodes():,}"
    )
    print(f"Load {load_s:.2f} s, read relations (SPARQL) {read_s:.2f} s, projections {proj_s:.2f} s\n")

    def nx_distances_extrapolated() -> float:
        nodes = list(H)
        chosen = random.Random(1).sample(nodes, min(args.bfs_sample, len(nodes)))
        t = clock(lambda: [nx.single_source_shortest_path_length(H, u) for u in chosen], 1)
        return t * len(nodes) / len(chosen)

    rows: list[tuple[str, float, float, str]] = []

    def both(step: str, nx_fn: Callable[[], object], ig_fn: Callable[[], object], note: str = "") -> None:
        rows.append((step, clock(nx_fn, args.repeat), clock(ig_fn, args.repeat), note))
        print(f"  done: {step}", file=sys.stderr)

    both(
        "triangles",
        lambda: stats.triangle_count(G, backend="networkx"),
        lambda: stats.triangle_count(G, backend="igraph"),
    )
    both(
        "transitivity",
        lambda: stats.transitivity(G, backend="networkx"),
        lambda: stats.transitivity(G, backend="igraph"),
    )
    both(
        "degree assortativity",
        lambda: stats.degree_assortativity(G, backend="networkx"),
        lambda: stats.degree_assortativity(G, backend="igraph"),
    )
    both(
        "Louvain (seed 42)",
        lambda: communities.louvain(G, backend="networkx"),
        lambda: communities.louvain(G, backend="igraph"),
    )
    both(
        "eigenvector (LCC)",
        lambda: centrality.eigenvector(G, backend="networkx"),
        lambda: centrality.eigenvector(G, backend="igraph"),
    )
    both(
        "triad census (listing)",
        lambda: reciprocity.triad_census(D, backend="networkx"),
        lambda: reciprocity.triad_census(D, backend="igraph"),
    )
    nx_dist = nx_distances_extrapolated()
    ig_dist = clock(lambda: stats.distances(H, backend="igraph"), args.repeat)
    rows.append(
        ("diameter + mean distance (LCC)", nx_dist, ig_dist, f"networkx extrapolated from {args.bfs_sample} BFS")
    )
    print("  done: distances", file=sys.stderr)
    both(
        "betweenness",
        lambda: nx.betweenness_centrality(G, k=min(500, G.number_of_nodes()), seed=42),
        lambda: centrality.betweenness(G, backend="igraph"),
        "networkx k=500 sampled vs igraph exact",
    )

    print("CPU seconds of this process (time.process_time), best of --repeat runs")
    print(f"{'step':<32} {'networkx s':>11} {'igraph s':>10} {'nx/igraph':>10}  note")
    for step, a, b, note in rows:
        ratio = a / b if b > 0 else float("inf")
        print(f"{step:<32} {a:>11.3f} {b:>10.3f} {ratio:>9.1f}×  {note}")
    total_nx = sum(r[1] for r in rows)
    total_ig = sum(r[2] for r in rows)
    print(f"{'total':<32} {total_nx:>11.2f} {total_ig:>10.2f} {total_nx / total_ig:>9.1f}×")

    t0, c0 = time.perf_counter(), time.process_time()
    s = stats.network_stats(G)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"\nStatistics table (igraph backend, {wall:.2f} s wall, {cpu:.2f} s CPU):")
    for k, v in s.as_dict().items():
        print(f"  {k:<20} {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
