"""Compare the whole ``graphkit build`` of this checkout with another revision's, in the same run.

Builds alternate (baseline, this, baseline, this, ...) in new processes with the same venv, so a
busy machine slows both alike; the result is the ratio of the medians (this / baseline: below 1.0
is faster). The baseline revision is checked out into a temporary git worktree, removed at the end.

    .venv/bin/python bench/bench_build_compare.py --baseline e63fac5 --runs 5
    .venv/bin/python bench/bench_build_compare.py --baseline e63fac5 --this 64cb844   # two revisions
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def timed_build(checkout: Path, out: Path) -> float:
    """Wall seconds of ``graphkit build`` run from ``checkout`` (its own code first on the path)."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "graphkit.cli", "build", "--out", str(out)],
        cwd=checkout,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", required=True, help="git revision to compare with (e.g. a commit before a change)")
    ap.add_argument("--this", dest="this", default=None, help="git revision to measure instead of this checkout")
    ap.add_argument("--runs", type=int, default=5, help="builds of each; the medians count")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-compare-"))
    base = tmp / "baseline"
    subprocess.run(["git", "worktree", "add", "-q", "--detach", str(base), args.baseline], cwd=REPO, check=True)
    this = REPO
    if args.this:
        this = tmp / "this"
        subprocess.run(["git", "worktree", "add", "-q", "--detach", str(this), args.this], cwd=REPO, check=True)
    try:
        times: dict[str, list[float]] = {"baseline": [], "this": []}
        for i in range(args.runs):
            for name, checkout in (("baseline", base), ("this", this)):
                seconds = timed_build(checkout, tmp / f"out-{name}")
                times[name].append(seconds)
                print(f"  run {i + 1} {name:<8} {seconds:6.2f} s", flush=True)
        medians = {k: statistics.median(v) for k, v in times.items()}
        print(
            f"graphkit build, median of {args.runs}: baseline {args.baseline} {medians['baseline']:.2f} s, "
            f"{args.this or 'this checkout'} {medians['this']:.2f} s, ratio {medians['this'] / medians['baseline']:.2f}"
        )
    finally:
        for checkout in {base, this} - {REPO}:
            subprocess.run(["git", "worktree", "remove", "--force", str(checkout)], cwd=REPO, check=False)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
