"""Peak memory of reading a big source CSV, as a ratio to the file's size.

Generates a ``twin_cities_raw.csv`` of --mb megabytes (the real file's rows repeated; with
--distinct every city name is made distinct per repetition, so only the countries repeat: the hard
case for memory, and a graph of millions of places if built), then
reads it in a fresh process with ``graphkit.ingest.hekman.read_pairs`` and reports that process's
peak RSS (``ru_maxrss``) minus its RSS before reading, divided by the file size. The baseline, in the
same run, is the interpreter with graphkit imported and nothing read.

--reader FILE measures another version of ``graphkit/ingest/readutil.py`` instead (e.g. one taken
with ``git show REV:graphkit/ingest/readutil.py > old.py``), read the way that version's
``read_pairs`` did, to compare before/after:

    .venv/bin/python bench/bench_big_csv.py --mb 200 [--distinct]
    .venv/bin/python bench/bench_big_csv.py --mb 200 [--distinct] --reader /tmp/old_readutil.py
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_MEASURE = r"""
import resource, sys, importlib.util
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from graphkit.ingest import hekman
def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
before = rss_mb()
folder = Path(sys.argv[2])
if len(sys.argv) > 3:  # another readutil: read the pairs the way the old read_pairs did
    spec = importlib.util.spec_from_file_location("old_readutil", sys.argv[3])
    old = importlib.util.module_from_spec(spec); spec.loader.exec_module(old)
    rows = old.read_csv_tuples(folder / "twin_cities_raw.csv", ("city1", "country1", "city2", "country2"))
    pairs = [hekman.HekmanPair(*r, i) for i, r in enumerate(rows, 2)]
else:
    pairs = hekman.read_pairs(folder)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(len(pairs), before, peak)
"""


def generate(folder: Path, megabytes: float, *, distinct: bool = False) -> Path:
    """A twin_cities_raw.csv of about ``megabytes`` MB in ``folder`` (the real rows repeated as they
    are, or with ``distinct`` city names per repetition)."""
    with (REPO / "data/sources/hekman-twincities/twin_cities_raw.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))[1:]
    target = folder / "twin_cities_raw.csv"
    limit = int(megabytes * 1_000_000)
    with target.open("w", encoding="utf-8", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["city1", "country1", "city2", "country2"])
        rep = 0
        while out.tell() < limit:
            for c1, k1, c2, k2 in rows:
                w.writerow([f"{c1} {rep}", k1, f"{c2} {rep}", k2] if distinct else [c1, k1, c2, k2])
            rep += 1
    return target


def measure(folder: Path, reader: str | None) -> tuple[int, float, float]:
    """(pairs read, RSS MB before reading, peak RSS MB) in a fresh process."""
    args = [sys.executable, "-c", _MEASURE, str(REPO), str(folder)] + ([reader] if reader else [])
    n, before, peak = subprocess.run(args, capture_output=True, text=True, check=True).stdout.split()
    return int(n), float(before), float(peak)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=200.0, help="size of the generated CSV in MB")
    ap.add_argument("--reader", help="another readutil.py to measure (before/after comparisons)")
    ap.add_argument("--distinct", action="store_true", help="make every city name distinct per repetition")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        csv_path = generate(Path(d), a.mb, distinct=a.distinct)
        size_mb = csv_path.stat().st_size / 1_000_000
        n, before, peak = measure(Path(d), a.reader)
    grew = peak - before
    print(f"file {size_mb:.0f} MB, {n:,} rows; RSS before reading {before:.0f} MB, peak {peak:.0f} MB")
    which = "given reader" if a.reader else "this tree"
    print(f"reading took {grew:.0f} MB = {grew / size_mb:.2f}x the file ({which})")


if __name__ == "__main__":
    main()
