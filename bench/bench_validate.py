"""Time SHACL validation on a world-sized synthetic graph: the SPARQL engine against pySHACL.

Generates a graph shaped like the world twinning data (default: 25,000 relations, 17,000
municipalities with labels, coordinates and countries, 200 countries; ~360k triples with the
ontology), loads it into the embedded store as the build does, then validates it with both engines
and prints the times, the ratio, and whether the two reports agree.

    .venv/bin/python bench/bench_validate.py                 # full size (pySHACL takes minutes)
    .venv/bin/python bench/bench_validate.py --scale 0.25    # a quarter of the size
    .venv/bin/python bench/bench_validate.py --no-pyshacl    # the SPARQL engine alone
"""

from __future__ import annotations

import argparse
import logging
import time
from collections import Counter

from rdflib import Graph

from graphkit.rdf.namespaces import graph_iri
from graphkit.store.embedded import EmbeddedStore
from graphkit.synthetic.world import world_ntriples
from graphkit.validate.validator import ValidationReport, ensure_ontology, load_shapes, validate_graph, validate_store


def _key(report: ValidationReport) -> Counter[tuple[str, str, str, str | None, str]]:
    return Counter((v.focus_node, v.path_label, v.component, v.value, v.message) for v in report.violations)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of the world size (default 1.0)")
    ap.add_argument("--broken", type=float, default=0.002, help="fraction of nodes given a defect (default 0.002)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of the SPARQL engine; the best counts (default 3)")
    ap.add_argument("--no-pyshacl", action="store_true", help="skip the (slow) pySHACL run")
    args = ap.parse_args()
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)  # rdflib logs each ill-typed literal it meets

    relations, places = int(25_000 * args.scale), int(17_000 * args.scale)
    t0 = time.perf_counter()
    text = world_ntriples(places=places, relations=relations, countries=200, seed=42, broken=args.broken)
    store = EmbeddedStore()
    store.load_data(text, "nt", graph=graph_iri("synthetic/world"))
    ensure_ontology(store)
    print(f"graph: {relations} relations, {places} municipalities, {len(store)} triples "
          f"(generated and loaded in {time.perf_counter() - t0:.1f} s)")  # fmt: skip

    shapes = load_shapes()
    runs = []
    for _ in range(max(1, args.repeat)):
        wall, cpu = time.perf_counter(), time.process_time()
        sparql = validate_store(store, shapes=shapes, engine="sparql")
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    best_wall, best_cpu = min(w for w, _ in runs), min(c for _, c in runs)
    print(
        f"sparql engine : {best_wall:8.2f} s wall, {best_cpu:6.2f} s CPU (best of {len(runs)})"
        f"  {len(sparql.violations)} violations"
    )
    if args.no_pyshacl:
        return

    wall, cpu = time.perf_counter(), time.process_time()
    data = store.to_rdflib()
    copy_wall, copy_cpu = time.perf_counter() - wall, time.process_time() - cpu
    reference = validate_graph(data, shapes=shapes, ontology=Graph(), engine="pyshacl")
    total_wall, total_cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"pySHACL       : {total_wall:8.2f} s wall, {total_cpu:6.2f} s CPU (of which copying the store into "
        f"rdflib {copy_wall:.2f} s wall, {copy_cpu:.2f} s CPU)  {len(reference.violations)} violations"
    )
    agree = _key(sparql) == _key(reference)
    print(f"reports agree : {'yes' if agree else 'NO'}")
    print(
        f"speed-up      : {total_wall / best_wall:8.1f} x wall, {total_cpu / best_cpu:.1f} x CPU "
        "(pySHACL / SPARQL engine; CPU time is the steadier figure on a shared machine)"
    )
    if not agree:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
