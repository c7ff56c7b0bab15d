"""Time `graphkit extract`: start-up in a fresh process, then articles per second.

Start-up is what a new process pays before its first article: importing the extractor, reading the
cached place index of the last build (``out/`` by default; the first run after a build reads the
graph and writes the cache, so it is run once untimed), loading spaCy's blank pipeline and building
the lexicon matcher of the article's language. Throughput is measured on the test articles
(tests/fixtures/articles/, plus the seed article when it is here), each extracted ``--rounds``
times, and reported with the ratio to spaCy tokenizing the same texts in the same run (the floor
any spaCy-based extractor pays).

    .venv/bin/python bench/bench_extract.py                  # against out/ (run `graphkit build` first)
    .venv/bin/python bench/bench_extract.py --out /tmp/build --rounds 50
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_SPACY_ONLY = """
import json, time
t0 = time.perf_counter()
import spacy
spacy.blank("it")
print(json.dumps({"startup": time.perf_counter() - t0}))
"""
_STARTUP = """
import json, sys, time
t0 = time.perf_counter()
from graphkit.extract.pipeline import Extractor
from graphkit.extract.run import make_resolver
resolver = make_resolver((), sys.argv[1])
extractor = Extractor(resolver)
extractor.matcher("it")
t1 = time.perf_counter()
extractor.extract("Il sindaco di Assisi ha firmato il protocollo d'intesa con Koya nel 2009.")
print(json.dumps({"startup": t1 - t0, "first": time.perf_counter() - t1, "places": len(resolver.index)}))
"""


def articles() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "fixtures" / "articles").glob("*.txt"))]
    seed = Path(os.environ.get("GRAPHKIT_SHARED", ROOT.parent / "shared")) / "seed" / "assisi-japan-rome-meeting.it.txt"
    if seed.is_file():
        texts.append(seed.read_text(encoding="utf-8"))
    return texts


def startup(out_dir: str, repeat: int, code: str = _STARTUP) -> list[dict[str, float]]:
    runs = []
    for _ in range(repeat + 1):  # the first run may (re)build the place-index cache: not counted
        done = subprocess.run([sys.executable, "-c", code, out_dir], capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            raise SystemExit(f"start-up run failed: {done.stderr.strip().splitlines()[-1]}")
        runs.append(json.loads(done.stdout))
    return runs[1:]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="out", help="build output directory whose graph resolves places (default out)")
    ap.add_argument("--rounds", type=int, default=20, help="times each article is extracted (default 20)")
    ap.add_argument("--startups", type=int, default=3, help="fresh processes timed for start-up (default 3)")
    args = ap.parse_args()

    runs = startup(args.out, args.startups)
    start = statistics.median(r["startup"] for r in runs)
    bare = statistics.median(r["startup"] for r in startup(args.out, args.startups, _SPACY_ONLY))
    print(f"start-up: {start:.2f} s median of {len(runs)} fresh processes "
          f"(place index: {int(runs[0]['places'])} places; first article then {runs[0]['first']:.3f} s)")  # fmt: skip
    print(f"  importing spaCy and its blank pipeline alone, same run: {bare:.2f} s "
          f"(start-up / that = {start / bare:.2f}x)")  # fmt: skip

    from graphkit.extract.pipeline import Extractor
    from graphkit.extract.run import make_resolver

    extractor = Extractor(make_resolver((), args.out))
    texts = articles()
    for t in texts:  # warm: matchers built, gazetteer loaded if a name needs it
        extractor.extract(t)
    chars = sum(len(t) for t in texts)
    t0 = time.perf_counter()
    for _ in range(args.rounds):
        for t in texts:
            extractor.extract(t)
    took = time.perf_counter() - t0
    n = args.rounds * len(texts)
    nlp = {lang: extractor.matcher(lang).nlp for lang in ("it", "en")}
    t1 = time.perf_counter()
    for _ in range(args.rounds):
        for t in texts:
            nlp["it"].make_doc(t)
    tokenize = time.perf_counter() - t1
    print(f"throughput: {n / took:.0f} articles/s ({n} extractions of {len(texts)} articles, "
          f"{chars / len(texts):.0f} characters on average; {1000 * took / n:.1f} ms each)")  # fmt: skip
    print(f"ratio to spaCy tokenizing the same texts: {took / tokenize:.1f}x")
    ok = start <= 2.0 and n / took >= 20
    print("targets (start-up <= 2 s, >= 20 articles/s):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
