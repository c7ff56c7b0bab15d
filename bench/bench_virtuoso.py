"""Virtuoso as the team's endpoint against the embedded store, measured in the same run.

Starts a Virtuoso of its own with scripts/virtuoso.sh (temp data dir, free loopback ports), then times
on the same build (default: out/graph.nq; `graphkit build` first):

- loading: the embedded store's load of the snapshot (the baseline), the script's bulk loader
  (`scripts/virtuoso.sh push`) and `graphkit push` over HTTP, as ratios to the baseline;
- the headline catalogue queries: best of --repeat runs on each store, Virtuoso's time as a ratio to
  the embedded store's, and whether the rows are the same (GROUP_CONCAT parts compared as sets).

    .venv/bin/python bench/bench_virtuoso.py [--snapshot out/graph.nq] [--repeat 3]
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphkit.sparql.catalogue import list_queries, run_named_query  # noqa: E402
from graphkit.sparql.results import SelectResult  # noqa: E402
from graphkit.store.embedded import EmbeddedStore  # noqa: E402
from graphkit.store.remote import RemoteStore, push_snapshot  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "virtuoso.sh"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def timed(fn):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def best_of(repeat: int, fn):  # type: ignore[no-untyped-def]
    runs = [timed(fn) for _ in range(max(1, repeat))]
    return min(t for t, _ in runs), runs[-1][1]


def rows(result: SelectResult, text: str) -> Counter[tuple[object, ...]]:
    import re

    seps = dict(
        (v, s)
        for s, v in re.findall(
            r'GROUP_CONCAT\s*\((?:[^;()]|\([^()]*\))*;\s*separator\s*=\s*"([^"]*)"\s*\)\s*AS\s*\?(\w+)', text, re.I
        )
    )
    at = {i: seps[v] for i, v in enumerate(result.variables) if v in seps}
    return Counter(
        tuple(tuple(sorted(str(c).split(at[i]))) if i in at and c is not None else c for i, c in enumerate(r))
        for r in result.rows
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--snapshot", type=Path, default=REPO / "out" / "graph.nq", help="the build to load")
    ap.add_argument("--repeat", type=int, default=3, help="runs per query; the best counts (default 3)")
    args = ap.parse_args()
    if not args.snapshot.is_file():
        sys.exit(f"no build at {args.snapshot}: run `graphkit build` first (or pass --snapshot)")

    with tempfile.TemporaryDirectory(prefix="bench-virtuoso-") as tmp:
        port = free_port()
        env = {
            "VIRTUOSO_DIR": str(Path(tmp) / "virtuoso"),
            "VIRTUOSO_PORT": str(port),
            "VIRTUOSO_ISQL_PORT": str(free_port()),
            "PYTHON": sys.executable,
        }
        import os

        env = {**os.environ, **env}

        def script(*a: str) -> str:
            return subprocess.run(["bash", str(SCRIPT), *a], env=env, check=True, capture_output=True, text=True).stdout

        script("start")
        try:
            base = f"http://127.0.0.1:{port}"
            password = (Path(env["VIRTUOSO_DIR"]) / "dba.password").read_text().strip()
            local = EmbeddedStore()
            t_embedded, _ = timed(lambda: local.load_file(args.snapshot))
            t_bulk, _ = timed(lambda: script("push", str(args.snapshot)))
            remote = RemoteStore(
                base + "/sparql", update_endpoint=base + "/sparql-auth", user="dba", password=password, timeout=600
            )
            t_http, report = timed(lambda: push_snapshot(args.snapshot, remote))
            n = len(local)
            assert len(remote) == n, f"Virtuoso holds {len(remote)} triples, the build {n}"
            print(f"build: {args.snapshot} ({n} triples in {len(local.graphs())} named graphs)")
            print(f"load  embedded store (baseline)   {t_embedded:7.1f} s   1.00")
            print(f"load  virtuoso.sh push (bulk)     {t_bulk:7.1f} s   {t_bulk / t_embedded:5.2f}x")
            ratio_http = t_http / t_embedded
            print(
                f"load  graphkit push (HTTP, GSP)   {t_http:7.1f} s   {ratio_http:5.2f}x  ({report.requests} requests)"
            )

            query_remote = RemoteStore(base + "/sparql", timeout=600)
            print(f"\nheadline queries, best of {args.repeat}:      embedded   virtuoso   ratio  same rows")
            ratios = []
            for q in [q for q in list_queries() if q.headline]:
                t_l, a = best_of(args.repeat, lambda q=q: run_named_query(local, q.name))
                t_r, b = best_of(args.repeat, lambda q=q: run_named_query(query_remote, q.name))
                same = rows(a, q.text) == rows(b, q.text)
                ratios.append(t_r / max(t_l, 1e-4))
                print(
                    f"  {q.name:36s} {t_l:8.3f} s {t_r:8.3f} s {t_r / max(t_l, 1e-4):6.2f}x  {'yes' if same else 'NO'}"
                )
            total_l = sum(1 for _ in ratios)
            geo = 1.0
            for r in ratios:
                geo *= r
            print(f"  geometric mean of the {total_l} ratios: {geo ** (1 / max(1, total_l)):.2f}x")
        finally:
            script("stop")


if __name__ == "__main__":
    main()
