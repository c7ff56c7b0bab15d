"""Benchmark ``graphkit dossier``: a cold dossier, and the time per page of ``--all --country``.

Cold dossier (issue 15): ``graphkit dossier Assisi`` in a new process on the build in --out, reading
the read model from its cache beside the snapshot and the seed-depth facts from the on-disk index
(``graphkit index``). Baseline in the same run: a new process that loads the snapshot into memory,
reads the read model from that store and writes the same dossier (what a command does without the
cache and the index). Wall and CPU seconds (CPU is what a shared machine inflates least). Target:
<= 1.5 s.

``--all --country IT``: every Italian municipality's dossier plus the index page, in one process
(read model, indexes, sources and property labels shared); the figure is seconds per page. Baseline
in the same run: a few single ``write_dossier`` calls in the same process (each opens the build and
builds its indexes again), per page.

bench/bench_viz.py runs both in its own run (beside the world view figures); standalone:

    .venv/bin/python bench/bench_dossier.py --out out            # needs `graphkit build` + `graphkit index`
    .venv/bin/python bench/bench_dossier.py --out out --country JP --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

_BASELINE_DOSSIER = """
import sys
from pathlib import Path
from graphkit.dossier.gather import gather_dossier, resolve_municipality
from graphkit.dossier.htmlpage import dossier_html
from graphkit.rdf.files import write_text_atomic
from graphkit.relations.read import read_relations
from graphkit.store.embedded import open_snapshot
out, name, html = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
store = open_snapshot(out / "graph.nq")
data = read_relations(store)
write_text_atomic(html, dossier_html(gather_dossier(data, store, resolve_municipality(data, name), out_dir=out)))
"""


def _timed(cmd: list[str], cpu: list[float]) -> float:
    """Wall seconds of a child process; its CPU seconds are appended to ``cpu``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=REPO)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


def cold_dossier(out: Path, name: str, runs: int) -> dict:
    """Median seconds of a new process writing ``name``'s dossier: cache + index vs snapshot (baseline)."""
    html = Path(tempfile.mkdtemp(prefix="bench-dossier-")) / "dossier.html"
    cli = [sys.executable, "-m", "graphkit.cli", "dossier", name, "--out", str(out), "-o", str(html)]
    _timed(cli, [])  # the first run writes the read-model cache if the build has none yet
    cpu: list[float] = []
    ours = [_timed(cli, cpu) for _ in range(runs)]
    base_cpu: list[float] = []
    base = [_timed([sys.executable, "-c", _BASELINE_DOSSIER, str(out), name, str(html)], base_cpu) for _ in range(runs)]
    r = {
        "name": name,
        "cold_s": round(statistics.median(ours), 3),
        "cold_cpu_s": round(statistics.median(cpu), 3),
        "baseline_s": round(statistics.median(base), 3),
        "baseline_cpu_s": round(statistics.median(base_cpu), 3),
        "page_kb": round(html.stat().st_size / 1000, 1),
        "runs": runs,
        "load_average": round(os.getloadavg()[0], 1),
    }
    r["speedup"] = round(r["baseline_s"] / r["cold_s"], 1)
    print(
        f"cold `graphkit dossier {name}`: {r['cold_s']:.2f} s (CPU {r['cold_cpu_s']:.2f} s) with the cache and "
        f"the index; {r['baseline_s']:.2f} s (CPU {r['baseline_cpu_s']:.2f} s) loading the snapshot (baseline, "
        f"same run): {r['speedup']}x; {r['page_kb']} kB (load average {r['load_average']})",
        flush=True,
    )
    return r


def country_pages(out: Path, country: str, *, singles: int = 3) -> dict:
    """Seconds per page of ``write_country_dossiers`` vs single ``write_dossier`` calls (same process)."""
    from graphkit.dossier import write_country_dossiers, write_dossier

    target = Path(tempfile.mkdtemp(prefix=f"bench-dossiers-{country}-"))
    t0 = time.perf_counter()
    report = write_country_dossiers(country, directory=target, out_dir=out)
    total = time.perf_counter() - t0
    chosen = list(report.files.items())[:: max(1, len(report.files) // singles)][:singles]
    t0 = time.perf_counter()
    for iri, page in chosen:
        write_dossier(iri, output=target / "single" / page.name, out_dir=out)
    single = (time.perf_counter() - t0) / max(1, len(chosen))
    size = sum(p.stat().st_size for p in report.pages)
    r = {
        "country": country,
        "pages": len(report.pages),
        "total_s": round(total, 2),
        "setup_s": round(report.setup_seconds, 2),
        "per_page_ms": round(report.seconds_per_page * 1000, 1),
        "single_page_ms": round(single * 1000, 1),
        "mean_page_kb": round(size / len(report.pages) / 1000, 1),
    }
    r["speedup"] = round(r["single_page_ms"] / r["per_page_ms"], 1)
    print(
        f"`graphkit dossier --all --country {country}`: {r['pages']} pages + index in {r['total_s']:.1f} s, "
        f"{r['per_page_ms']:.0f} ms per page (reading the build {r['setup_s']:.1f} s); a single write_dossier "
        f"call per page: {r['single_page_ms']:.0f} ms ({r['speedup']}x); {r['mean_page_kb']} kB per page",
        flush=True,
    )
    return r


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "out", help="build to read (graphkit build + index)")
    parser.add_argument("--name", default="Assisi", help="municipality of the cold dossier")
    parser.add_argument("--country", default="IT", help="country of --all")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, default=REPO / "out" / "bench" / "dossier.json")
    args = parser.parse_args()
    result = {
        "cold_dossier": cold_dossier(args.out, args.name, args.runs),
        "all": country_pages(args.out, args.country),
    }
    from graphkit.rdf.files import write_text_atomic

    write_text_atomic(args.json, json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
