"""Benchmark the HTML views: the world view and an ego view of a few hundred nodes.

For each view: file size, time to build the page and write it, and time until the page is
interactive in headless Chromium (Debian's, network blocked): the page sets ``data-gk-ready``
after vis-network's first drawing (pan, zoom, search and tooltips work from then on); the figure
is that moment since navigation start (median of --runs loads). The world view draws its nodes
first and streams the links in; "all links" is when the last of them is drawn
(``data-gk-complete``). The baseline, in the same run, is the naive pyvis path: ``add_node`` /
``add_edge`` one by one, then pyvis's own ``generate_html`` (``cdn_resources="in_line"``, physics
on, as pyvis does by default); in the browser, its time until vis-network reports the layout
stabilised (capped at --cap seconds).

Uses the built graph (out/graph.nq) when it holds a world-sized network (>= --min-places
municipalities), else a synthetic one (graphkit.synthetic.views: 17,700 municipalities, 25,000
relations). Targets: world written < 2 s and interactive < 5 s; ego (few hundred nodes) < 3 s.

    .venv/bin/python bench/bench_viz.py               # out/graph.nq if it has the world, else synthetic
    .venv/bin/python bench/bench_viz.py --synthetic   # always synthetic
    .venv/bin/python bench/bench_viz.py --no-baseline # skip the (slow) naive pyvis path
    .venv/bin/python bench/bench_viz.py --cold-only --out out   # only the cold `view ego` and `dossier`

Cold ego (issue 13): ``graphkit view ego Assisi --depth 2`` in a new process, on the build in --out,
reading the network from the read model's cache beside the snapshot (graphkit.relations.cache);
baseline in the same run: a new process that loads the snapshot and reads the network from the
store (what every view command did before the cache), then draws the same view. Also timed: the
first run after a build (no cache yet: reads the snapshot and writes the cache). Target: <= 1.5 s
wall on an idle machine, <= 1.0 s CPU (what a shared machine inflates least).

Cold dossier (issue 15), same run: ``graphkit dossier Assisi`` in a new process (read-model cache +
on-disk index) vs a new process loading the snapshot (bench/bench_dossier.py, :func:`cold_dossier`);
with ``--dossier-country IT`` also the seconds per page of ``graphkit dossier --all --country IT``.
Target: <= 1.5 s wall, <= 1.0 s CPU. ``--cold-only`` times the cold ego view and the cold dossier
alone. The world view's figures include its basemap (country outlines) and page labels.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def load_graph(args: argparse.Namespace):  # noqa: ANN201
    from graphkit.store.embedded import open_snapshot
    from graphkit.synthetic.views import views_store

    if not args.synthetic and args.graph.is_file():
        t0 = time.perf_counter()
        store = open_snapshot(args.graph)
        n = int(store.query("SELECT (COUNT(?m) AS ?n) WHERE { ?m a gk:Municipality }").rows[0][0])
        if n >= args.min_places:
            return store, f"{args.graph} ({n} municipalities, loaded in {time.perf_counter() - t0:.2f} s)"
        print(f"{args.graph} has {n} municipalities (< {args.min_places}): using the synthetic world", file=sys.stderr)
    return views_store(17_700, 25_000, seed=42, special_names=True), "synthetic (17,700 places, 25,000 relations)"


def pick_ego(net, target: int = 300):  # noqa: ANN001, ANN201
    """The municipality whose depth-2 (else depth-1) ego network is closest to ``target`` nodes."""
    G = net.graph()
    best = None
    for iri in sorted(G, key=lambda i: (-G.degree(i), i))[:400]:
        for depth in (1, 2):
            size = len(net.ego(iri, depth)[0])
            if best is None or abs(size - target) < abs(best[2] - target):
                best = (iri, depth, size)
    return best


_BASELINE_EGO = """
import sys
from graphkit.relations.read import read_relations
from graphkit.store.embedded import open_snapshot
from graphkit.viz import ego_view
out, name, depth, html = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
ego_view(read_relations(open_snapshot(out + "/graph.nq")), name, depth=depth).write(html)
"""


def cold_ego(out: Path, name: str, depth: int, runs: int) -> dict:
    """Median seconds of a new process drawing the ego view: with the cache, without (baseline), first run."""
    import subprocess

    from graphkit.relations.cache import cache_path

    html = Path(tempfile.mkdtemp(prefix="bench-ego-")) / "ego.html"
    cli = [sys.executable, "-m", "graphkit.cli", "view", "ego", name, "--depth", str(depth), "--out", str(out)]

    cpu: dict[str, list[float]] = {"cached": [], "baseline": []}

    def timed(cmd: list[str], kind: str = "") -> float:
        """Wall seconds; the child's CPU seconds go to ``cpu[kind]`` (what a busy machine inflates least)."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=REPO)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if kind:
            cpu[kind].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        return wall

    cache_path(out / "graph.nq").unlink(missing_ok=True)
    first = timed([*cli, "-o", str(html)])
    cached = [timed([*cli, "-o", str(html)], "cached") for _ in range(runs)]
    baseline = [
        timed([sys.executable, "-c", _BASELINE_EGO, str(out), name, str(depth), str(html)], "baseline")
        for _ in range(runs)
    ]
    r = {
        "center": name,
        "depth": depth,
        "cached_s": round(statistics.median(cached), 3),
        "baseline_s": round(statistics.median(baseline), 3),
        "first_run_s": round(first, 3),
        "cached_cpu_s": round(statistics.median(cpu["cached"]), 3),
        "baseline_cpu_s": round(statistics.median(cpu["baseline"]), 3),
        "runs": runs,
        "load_average": os.getloadavg()[0],
    }
    r["speedup"] = round(r["baseline_s"] / r["cached_s"], 1)
    print(
        f"cold `graphkit view ego {name} --depth {depth}`: {r['cached_s']:.2f} s with the read-model cache, "
        f"{r['baseline_s']:.2f} s reading the snapshot (baseline, same run): {r['speedup']}x; "
        f"first run after a build (writes the cache): {r['first_run_s']:.2f} s; CPU {r['cached_cpu_s']:.2f} s "
        f"vs {r['baseline_cpu_s']:.2f} s (load average {r['load_average']:.1f})",
        flush=True,
    )
    return r


def dossier_figures(args: argparse.Namespace) -> dict[str, dict]:
    """The cold dossier (and, with --dossier-country, the time per page of --all) in this run."""
    from bench.bench_dossier import cold_dossier, country_pages

    out = {"cold_dossier": cold_dossier(args.out, args.dossier_name, args.runs)}
    if args.dossier_country:
        out["dossier_all"] = country_pages(args.out, args.dossier_country)
    return out


def naive_pyvis_html(data) -> str:  # noqa: ANN001
    """The way pyvis is usually used: one add_node / add_edge per item, pyvis's own template."""
    from pyvis.network import Network

    net = Network(height="750px", width="100%", cdn_resources="in_line")
    for n in data.nodes:
        extra = {"x": n.x, "y": n.y} if n.x is not None else {}
        net.add_node(n.id, label=n.label, title=n.title, color=n.color, size=n.size, **extra)
    for e in data.edges:
        net.add_edge(e.source, e.target, title=e.title, color=e.color, width=e.width)
    return net.generate_html()


completes: list[float] = []  # ms until every link is drawn (ours), filled by browser_times


def browser_times(launch, path: Path, runs: int, *, ours: bool, cap: float) -> list[float | None]:  # noqa: ANN001
    """ms from navigation start until interactive (ours: data-gk-ready; pyvis: physics stabilised).

    Every load gets a fresh browser, closed afterwards: a page busy with physics can block its own
    tab, and only closing the browser reliably ends it.
    """
    out: list[float | None] = []
    completes.clear()
    for _ in range(runs):
        browser = launch()
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
            page.goto(path.as_uri(), wait_until="commit")
            if ours:
                page.wait_for_selector("html[data-gk-ready='1']", state="attached", timeout=cap * 1000)
                page.wait_for_selector("html[data-gk-complete='1']", state="attached", timeout=cap * 1000)
                ready, complete = page.evaluate("[gkView.readyMs, gkView.completeMs]")
                out.append(ready)
                completes.append(complete)
            else:
                page.wait_for_function(
                    "() => typeof network !== 'undefined' && network.physics && network.physics.stabilized === true",
                    timeout=cap * 1000,
                    polling=100,
                )
                out.append(page.evaluate("performance.now()"))
        except Exception:  # noqa: BLE001 - a timeout is a result (not interactive within the cap)
            out.append(None)
        finally:
            browser.close()
    return out


def median_ms(values: list[float | None]) -> str:
    done = [v for v in values if v is not None]
    if len(done) < len(values):
        return "not within cap"
    return f"{statistics.median(done) / 1000:.2f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--graph", type=Path, default=REPO / "out" / "graph.nq")
    parser.add_argument("--synthetic", action="store_true", help="use the synthetic world even if a build exists")
    parser.add_argument("--min-places", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3, help="browser loads per page (median)")
    parser.add_argument("--cap", type=float, default=30.0, help="seconds to wait for a page in the browser")
    parser.add_argument("--no-baseline", action="store_true", help="skip the naive pyvis path")
    parser.add_argument(
        "--naive-world-browser",
        action="store_true",
        help="also load the naive world page in the browser (physics on 17k nodes: it does not settle; capped)",
    )
    parser.add_argument("--json", type=Path, default=REPO / "out" / "bench" / "viz.json")
    parser.add_argument("--out", type=Path, default=REPO / "out", help="build whose cold ego view is timed")
    parser.add_argument("--ego-name", default="Assisi", help="centre of the cold ego view")
    parser.add_argument(
        "--cold-ego-only",
        "--cold-only",
        dest="cold_ego_only",
        action="store_true",
        help="only time the cold commands: `graphkit view ego` and `graphkit dossier` (no browser)",
    )
    parser.add_argument("--dossier-name", default="Assisi", help="municipality of the cold dossier")
    parser.add_argument("--dossier-country", default="", help="also time `graphkit dossier --all --country CC`")
    args = parser.parse_args()
    if args.cold_ego_only:
        from bench.bench_dossier import cold_dossier
        from graphkit.rdf.files import write_text_atomic

        result = {"cold_ego": cold_ego(args.out, args.ego_name, 2, args.runs)}
        result["cold_dossier"] = cold_dossier(args.out, args.dossier_name, args.runs)
        args.json.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(args.json.with_name("viz-cold-ego.json"), json.dumps(result, indent=2) + "\n")
        return 0

    from graphkit.rdf.files import write_text_atomic
    from graphkit.relations.read import read_relations
    from graphkit.viz.municipal import ego_data, world_data
    from graphkit.viz.render import render_html

    t0 = time.perf_counter()
    import pyvis.network  # noqa: F401 - import cost reported separately (pyvis imports IPython)

    import_s = time.perf_counter() - t0
    store, source = load_graph(args)
    print(f"graph: {source}")
    t0 = time.perf_counter()
    net = read_relations(store)
    read_s = time.perf_counter() - t0
    print(f"read network: {len(net.places)} places, {len(net.relations)} relations in {read_s:.2f} s")
    iri, depth, size = pick_ego(net)

    results: dict[str, dict] = {"source": {"graph": source, "read_network_s": round(read_s, 3)}}
    if (args.out / "graph.nq").is_file() and not args.synthetic:
        results["cold_ego"] = cold_ego(args.out, args.ego_name, 2, args.runs)
        results.update(dossier_figures(args))
    tmp = Path(tempfile.mkdtemp(prefix="bench-viz-"))
    pages: dict[str, dict[str, Path]] = {}
    for name, build in (("world", lambda: world_data(net)), ("ego", lambda: ego_data(net, iri, depth))):
        t0 = time.perf_counter()
        data = build()
        data_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        html = render_html(data)
        render_s = time.perf_counter() - t0
        path = tmp / f"{name}.html"
        t0 = time.perf_counter()
        write_text_atomic(path, html)
        write_s = time.perf_counter() - t0
        r = {
            "nodes": len(data.nodes),
            "edges": len(data.edges),
            "view_data_s": round(data_s, 3),
            "render_s": round(render_s, 3),
            "write_s": round(write_s, 3),
            "written_s": round(data_s + render_s + write_s, 3),
            "file_mb": round(path.stat().st_size / 1e6, 2),
        }
        pages[name] = {"ours": path}
        if not args.no_baseline:
            t0 = time.perf_counter()
            naive = naive_pyvis_html(data)
            naive_path = tmp / f"{name}-naive.html"
            naive_path.write_text(naive, encoding="utf-8")
            naive_s = time.perf_counter() - t0
            r["naive_written_s"] = round(data_s + naive_s, 3)
            r["naive_file_mb"] = round(naive_path.stat().st_size / 1e6, 2)
            # the ratio compares what differs: pyvis filled in bulk + our template vs add_node/add_edge + pyvis's
            r["pyvis_part_s"] = round(render_s + write_s, 3)
            r["naive_pyvis_part_s"] = round(naive_s, 3)
            r["write_ratio"] = round(naive_s / (render_s + write_s), 1)
            pages[name]["naive"] = naive_path
        results[name] = r
        print(f"{name}: {r}", flush=True)
    results["ego"]["center"] = iri
    results["ego"]["depth"] = depth
    results["pyvis_import_s"] = round(import_s, 3)

    from playwright.sync_api import sync_playwright

    from tests.headless import launch as launch_chromium

    with sync_playwright() as p:

        def launch():  # noqa: ANN202
            return launch_chromium(p)

        for name in ("world", "ego"):
            ours = browser_times(launch, pages[name]["ours"], args.runs, ours=True, cap=args.cap)
            results[name]["interactive_ms"] = ours
            results[name]["interactive"] = median_ms(ours)
            results[name]["complete_ms"] = list(completes)
            results[name]["complete"] = median_ms(list(completes)) if completes else "-"
            print(f"{name}: interactive after {ours} ms, every link drawn after {completes} ms", flush=True)
            if "naive" in pages[name] and (name != "world" or args.naive_world_browser):
                naive = browser_times(launch, pages[name]["naive"], 1, ours=False, cap=args.cap)
                print(f"{name} (naive pyvis, physics on): {naive} ms", flush=True)
                results[name]["naive_interactive_ms"] = naive
                results[name]["naive_interactive"] = median_ms(naive)

    args.json.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(args.json, json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print()
    print(f"{'view':<6} {'nodes':>6} {'edges':>6} {'MB':>5} {'written':>8} {'naive':>8} {'ratio*':>6} "
          f"{'interactive':>12} {'all links':>10} {'naive interactive':>18}")  # fmt: skip
    for name in ("world", "ego"):
        r = results[name]
        print(
            f"{name:<6} {r['nodes']:>6} {r['edges']:>6} {r['file_mb']:>5} {r['written_s']:>7.2f}s "
            f"{r.get('naive_written_s', float('nan')):>7.2f}s {r.get('write_ratio', float('nan')):>5}x "
            f"{r['interactive']:>12} {r['complete']:>10} {r.get('naive_interactive', '-'):>18}"
        )
    print("written = view data + render + write; naive = view data + add_node/add_edge + pyvis generate_html + write;")
    print("ratio* = naive pyvis part / our render + write (the view data step is the same in both)")
    print(f"(reading the network from the store: {read_s:.2f} s; importing pyvis: {import_s:.2f} s; json: {args.json})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
