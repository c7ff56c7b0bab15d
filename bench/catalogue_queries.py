"""Time every catalogue query on a world-sized graph, to choose the headline queries.

The graph is the ontology + the seed + graphkit.synthetic.world (17,000 municipalities, 25,000
relations: the shape and size of the world dataset), or a built snapshot with --snapshot out/graph.nq.
Each query runs with its default parameters; the time is the best of --repeat runs, printed next to
the time of a baseline whole-graph aggregate (COUNT of relations per type) in the same run, as a ratio.

    .venv/bin/python bench/catalogue_queries.py [--snapshot out/graph.nq] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphkit.build.pipeline import assemble  # noqa: E402
from graphkit.rdf.namespaces import graph_iri  # noqa: E402
from graphkit.sparql.catalogue import list_queries, run_named_query  # noqa: E402
from graphkit.store.embedded import EmbeddedStore, open_snapshot  # noqa: E402
from graphkit.synthetic.world import world_ntriples  # noqa: E402

BASELINE = "SELECT ?t (COUNT(?r) AS ?n) WHERE { ?r a gk:MunicipalRelation ; gk:relationType ?t } GROUP BY ?t"


def best_of(repeat: int, fn) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot", type=Path, help="a built graph (N-Quads) instead of the synthetic world")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.snapshot:
        store: EmbeddedStore = open_snapshot(args.snapshot)
    else:
        repo = Path(__file__).resolve().parents[1]
        store, _ = assemble(repo / "data", repo / "out", steps=())
        store.load_data(world_ntriples(seed=1), "nt", graph=graph_iri("bench/synthetic-world"))
    print(f"graph: {len(store)} quads")
    base, _ = best_of(args.repeat, lambda: store.query(BASELINE))
    print(f"{'baseline aggregate':<38} {base * 1000:9.1f} ms   1.0x")
    for q in list_queries():
        seconds, result = best_of(args.repeat, lambda q=q: run_named_query(store, q.name))
        mark = "headline" if q.headline else ""
        print(f"{q.name:<38} {seconds * 1000:9.1f} ms {seconds / base:6.1f}x  {len(result):>6} rows  {mark}")


if __name__ == "__main__":
    main()
