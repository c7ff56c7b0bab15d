"""Time the world build step by step, and compare our store with rdflib's in-memory Graph.

1. The build, stage by stage (wall and CPU seconds): ontology + seed, each stage of the world
   ingest (read + clean, places, gazetteers, Wikidata matching, relations, RDF text, load into the
   store), SHACL validation, writing the N-Quads snapshot.
2. The same snapshot loaded by pyoxigraph (what ``graphkit query`` does) and parsed by rdflib's
   in-memory Dataset: times and the ratio.
3. Three typical queries on both, rdflib warm (best of ``--repeat`` after a warm-up run), ours cold
   (first run on a fresh store) and warm: a partners-per-city aggregate over the whole graph, the
   Italy–Japan lookup, and one selective query (the partners of Assisi).
4. A cold ``graphkit query`` of the aggregate in a new process (load the snapshot + query), against
   rdflib's warm aggregate time; and the same cold query on an on-disk pyoxigraph store (already
   bulk-loaded), to see whether a persistent store would serve cold queries better.

    .venv/bin/python bench/bench_build.py                # everything (rdflib parse takes a while)
    .venv/bin/python bench/bench_build.py --no-rdflib    # build stages and our store only

The machine is shared: compare ratios measured in the same run, not absolute times across runs.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

AGGREGATE = """SELECT ?city (COUNT(DISTINCT ?partner) AS ?partners)
WHERE { ?city a gk:Municipality ; gk:partnerOf ?partner }
GROUP BY ?city ORDER BY DESC(?partners) LIMIT 10"""
ITALY_JAPAN = """SELECT ?relation ?a ?b
WHERE { ?ca gk:countryCode "IT" . ?cb gk:countryCode "JP" .
        ?a gk:country ?ca . ?relation gk:party ?a . ?relation gk:party ?b . ?b gk:country ?cb }"""
SELECTIVE = """SELECT ?partner ?label
WHERE { VALUES ?assisi { <ASSISI> } ?assisi gk:partnerOf ?partner .
        OPTIONAL { ?partner rdfs:label ?label FILTER(LANG(?label) = "en") } }"""
# rdflib runs the Italy–Japan join in textual order and takes many minutes on it: it runs last
QUERIES = {"partners-per-city aggregate": AGGREGATE, "selective (Assisi)": SELECTIVE, "Italy–Japan lookup": ITALY_JAPAN}


class Clock:
    """Wall and CPU seconds of a block."""

    def __enter__(self) -> Clock:
        self.w, self.c = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.w, time.process_time() - self.c


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def build_stages(tmp: Path) -> tuple[Path, list[tuple[str, float, float]]]:
    from graphkit.build import assemble
    from graphkit.ingest.step import run_world_step
    from graphkit.validate import validate_store

    rows: list[tuple[str, float, float]] = []
    with Clock() as c:
        store, _ = assemble(REPO / "data", tmp, steps=())
    rows.append(("ontology + seed RDF", c.wall, c.cpu))
    with Clock() as c:
        world, emitted, _ = run_world_step(REPO / "data", tmp, store)
    import json

    quality = json.loads((tmp / "quality.json").read_text(encoding="utf-8"))
    stages = quality["timings_cpu_seconds"]  # CPU seconds per stage, incl. RDF text and loading
    rows.append((f"world step ({emitted.triples:,} triples, incl. quality report)", c.wall, c.cpu))
    rows += [(f"  {k}", float("nan"), float(v)) for k, v in stages.items()]
    with Clock() as c:
        report = validate_store(store)
    rows.append((f"validate (SHACL, conforms={report.conforms})", c.wall, c.cpu))
    snapshot = tmp / "graph.nq"
    with Clock() as c:
        store.dump(snapshot, fmt="nq")
    rows.append(("write out/graph.nq", c.wall, c.cpu))
    total_wall = sum(r[1] for r in rows if not r[0].startswith("  "))
    total_cpu = sum(r[2] for r in rows if not r[0].startswith("  "))
    rows.append(("TOTAL build", total_wall, total_cpu))
    return snapshot, rows


def best(fn: Callable[[], Any], repeat: int) -> float:
    fn()
    return min(timed(fn)[0] for _ in range(repeat))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-rdflib", action="store_true", help="skip rdflib (its parse takes a minute or more)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each warm query; the best counts")
    ap.add_argument(
        "--rdflib-queries",
        default="partners-per-city aggregate,selective (Assisi)",
        help="comma-separated queries to run on rdflib too (add 'Italy–Japan lookup': rdflib needs many minutes)",
    )
    args = ap.parse_args()
    from graphkit.namespaces import place_iri, sparql_prefixes
    from graphkit.store import open_snapshot

    global SELECTIVE
    SELECTIVE = SELECTIVE.replace("ASSISI", str(place_iri(qid="Q20103")))  # the seed's Assisi
    QUERIES["selective (Assisi)"] = SELECTIVE
    tmp = Path(tempfile.mkdtemp(prefix="graphkit-bench-"))
    snapshot, rows = build_stages(tmp)
    print("== build, step by step (seconds; CPU is what this process used, wall includes waiting)")
    for name, wall, cpu in rows:
        print(
            f"  {name:<58} wall {wall:7.2f}  cpu {cpu:6.2f}" if wall == wall else f"  {name:<58} {'':12} cpu {cpu:6.2f}"
        )

    print("\n== load the snapshot")
    t_ox, store = timed(lambda: open_snapshot(snapshot))
    print(f"  pyoxigraph (graphkit.store.open_snapshot): {t_ox:6.2f} s  ({len(store):,} quads)")
    t_rdf = None
    if not args.no_rdflib:
        from rdflib import Dataset

        def parse() -> Any:
            ds = Dataset(default_union=True)
            ds.parse(snapshot, format="nquads")
            return ds

        t_rdf, ds = timed(parse)
        print(
            f"  rdflib Dataset.parse:                      {t_rdf:6.2f} s  → pyoxigraph is {t_rdf / t_ox:5.1f}× faster"
        )

    print("\n== queries (rdflib warm = best of runs after a warm-up; ours cold = first run on a fresh store)")
    fresh = open_snapshot(snapshot)
    agg_rdflib = None
    for name, q in QUERIES.items():
        cold, result = timed(lambda q=q: fresh.query(q))
        warm = best(lambda q=q: store.query(q), args.repeat)
        line = f"  {name:<28} ours cold {cold * 1000:8.1f} ms  warm {warm * 1000:8.1f} ms  ({len(result.rows)} rows)"
        if t_rdf is not None and name in args.rdflib_queries.split(","):
            text = sparql_prefixes() + q
            r_warm = best(lambda text=text: list(ds.query(text)), args.repeat)
            line += f"  | rdflib warm {r_warm * 1000:9.1f} ms → ratio rdflib/ours-cold {r_warm / cold:6.1f}×"
            if q is AGGREGATE:
                agg_rdflib = r_warm
        print(line)

    print("\n== cold `graphkit query` of the aggregate (new process: start, load out/graph.nq, query)")
    cmd = [sys.executable, "-m", "graphkit.cli", "query", AGGREGATE, "--out", str(tmp), "--format", "csv"]
    t_cli, proc = timed(lambda: subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, check=True))
    start_cmd = [sys.executable, "-m", "graphkit.cli", "queries"]
    t_start, _ = timed(lambda: subprocess.run(start_cmd, capture_output=True, text=True, cwd=REPO, check=True))
    line = f"  graphkit query (cold): {t_cli:6.2f} s (of which process start + imports ≈ {t_start:4.2f} s)"
    if agg_rdflib is not None:
        line += f"; rdflib warm aggregate {agg_rdflib:6.2f} s → cold CLI / rdflib warm = {t_cli / agg_rdflib:4.2f}"
    print(line)

    disk = tmp / "oxigraph-disk"
    import pyoxigraph as ox

    with Clock() as c:
        ds_disk = ox.Store(str(disk))
        ds_disk.bulk_load(path=str(snapshot), format=ox.RdfFormat.N_QUADS)
        ds_disk.flush()
        del ds_disk
    code = (
        "import time,sys; t=time.perf_counter(); import pyoxigraph as ox; "
        f"s=ox.Store.read_only({str(disk)!r}); "
        "from graphkit.namespaces import PREFIXES; "
        f"r=list(s.query({AGGREGATE!r}, use_default_graph_as_union=True, prefixes=PREFIXES)); "
        "print(time.perf_counter()-t)"
    )
    t_disk, proc = timed(
        lambda: subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    )
    print(
        f"  on-disk pyoxigraph (bulk-loaded once in {c.wall:.1f} s): cold process + aggregate {t_disk:6.2f} s "
        f"(in-process part {float(proc.stdout.strip()):.2f} s) vs in-memory cold CLI {t_cli:6.2f} s"
    )


if __name__ == "__main__":
    main()
