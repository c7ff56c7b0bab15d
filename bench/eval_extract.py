"""Accuracy of `graphkit extract` against hand-written answer keys (tests/fixtures/articles/*.key).

Each key sits next to its article: ``NAME.key`` answers ``NAME.<lang>.txt`` (or ``NAME.txt``).
Key format (UTF-8, one statement per line; ``#`` starts a comment; other lines are notes):

    published: 2024-05-04              optional: passed as --published
    relations: A|B|type|status ; C|D|type|status(1975) ; ...
    officials: Person|Body ; Person|Body ; Person|- ; ...

* relations: the two parties as the text names them (order free), the relation-type concept
  (``twinning``, ``sister-city``, ``friendship-city``, ``pact-of-friendship``,
  ``memorandum-of-understanding``, ``cooperation-agreement``, ``letter-of-intent``) and the status;
  ``approved/proposed`` accepts either (so does ``type1/type2``; ``ended`` is ``terminated``); a year
  in parentheses is the year the relation was signed or started (the rest is a note). Several
  ``relations:`` lines add up.
* officials: the person and the body they act for (a town, or a country for a diplomat); ``-``: the
  text names no body.

A name in the key matches an extracted name, or any label (every language) of the place it was
resolved to; case, accents and punctuation are ignored.

Measures, summed over every article:
* relation pairs: unordered pairs of parties, precision and recall (each pair counted once per article);
* type right: of the key relations whose pair was found, the share with an extracted relation of that
  pair and type; status right likewise (a note on how good the status reading is); year right: of the
  key relations with a year in brackets (``active(1975)``, ``renewed(1996 start)``), the share whose
  extracted relation of that pair and type has that year (a renewal's: the renewed agreement's or its own);
* officials: (person, body) pairs, precision and recall.

    .venv/bin/python bench/eval_extract.py                 # every key, against the build in out/
    .venv/bin/python bench/eval_extract.py --out /tmp/build -v a1 a3
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphkit.extract.pipeline import Extractor  # noqa: E402
from graphkit.extract.run import make_resolver  # noqa: E402
from graphkit.places.gazetteer import normalise_name  # noqa: E402

ARTICLES = ROOT / "tests" / "fixtures" / "articles"

#: Status words a key may use for the relation-status concept the extractor gives ("ended" is the
#: ontology's ``terminated``).
STATUS_SYNONYMS = {"ended": "terminated", "cancelled": "terminated", "canceled": "terminated"}


@dataclass
class Key:
    """One answer key."""

    name: str
    text: Path
    published: str | None = None
    relations: list[tuple[str, str, str, set[str]]] = field(default_factory=list)
    years: dict[tuple[str, str, str], int] = field(default_factory=dict)
    officials: list[tuple[str, str | None]] = field(default_factory=list)


def parse_key(path: Path) -> Key:
    """The key in ``path`` and the article it answers."""
    stem = path.name[: -len(".key")]
    texts = sorted(path.parent.glob(f"{stem}.*txt"))
    texts = [t for t in texts if t.name == f"{stem}.txt" or t.name.count(".") == stem.count(".") + 2]
    if len(texts) != 1:
        raise SystemExit(f"{path}: expected one article named {stem}.<lang>.txt, found {len(texts)}")
    key = Key(stem, texts[0])
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        head, _, rest = line.partition(":")
        head = head.strip().lower()
        items = [i.strip() for i in rest.split(";") if i.strip()]
        if head == "published":
            key.published = rest.strip()
        elif head == "relations":
            for item in items:
                a, b, rtype, status = ([*item.split("|"), "", ""])[:4]
                statuses = {
                    STATUS_SYNONYMS.get(s.strip(), s.strip()) for s in status.split("(", 1)[0].split("/") if s.strip()
                }
                key.relations.append((a.strip(), b.strip(), rtype.strip(), statuses))
                year = re.search(r"\((\d{4})", status)
                if year:
                    key.years[(a.strip(), b.strip(), rtype.strip())] = int(year.group(1))
        elif head == "officials":
            for item in items:
                person, _, body = item.partition("|")
                body = body.strip()
                key.officials.append((person.strip(), None if body in {"", "-"} else body))
    return key


def _names(place: dict | None, labels: dict[str, set[str]]) -> set[str]:  # type: ignore[type-arg]
    if not place:
        return set()
    out = {normalise_name(place.get("name") or "")}
    if place.get("label"):
        out.add(normalise_name(place["label"]))
    out |= labels.get(place.get("iri") or "", set())
    return out


@dataclass
class Score:
    """Counts summed over articles."""

    pair_tp: int = 0
    pair_fp: int = 0
    pair_fn: int = 0
    typed: int = 0
    type_right: int = 0
    status_right: int = 0
    dated: int = 0
    year_right: int = 0
    off_tp: int = 0
    off_fp: int = 0
    off_fn: int = 0
    seconds: float = 0.0
    articles: int = 0

    def add(self, other: Score) -> None:
        for k in self.__dataclass_fields__:
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def summary(self) -> dict[str, float]:
        def ratio(a: int, b: int) -> float:
            return round(a / b, 3) if b else 1.0

        return {
            "pair_precision": ratio(self.pair_tp, self.pair_tp + self.pair_fp),
            "pair_recall": ratio(self.pair_tp, self.pair_tp + self.pair_fn),
            "type_right": ratio(self.type_right, self.typed),
            "status_right": ratio(self.status_right, self.typed),
            "year_right": ratio(self.year_right, self.dated),
            "official_precision": ratio(self.off_tp, self.off_tp + self.off_fp),
            "official_recall": ratio(self.off_tp, self.off_tp + self.off_fn),
            "ms_per_article": round(1000 * self.seconds / self.articles, 1) if self.articles else 0.0,
        }


def score(key: Key, result: dict, labels: dict[str, set[str]], verbose: bool = False) -> Score:  # type: ignore[type-arg]
    """Compare one extraction (its JSON form) with its key."""
    s = Score(articles=1)
    got = []
    for r in result["relations"]:
        got.append(([_names(p, labels) for p in r["places"]], r["type"], r["status"], r))
    # a renewal has two years: the relation's start ("year") and the renewal's own date; a key may mean either
    got_years = [
        {r["year"], int(r["date"][:4])} if r.get("status") == "renewed" and r.get("date") else {r["year"]}
        for r in result["relations"]
    ]
    found_pairs: list[tuple[set[str], set[str]]] = []
    for names, _, _, _ in got:
        if len(names) == 2:
            found_pairs.append((names[0], names[1]))

    def same_pair(names: list[set[str]], a: str, b: str) -> bool:
        ka, kb = normalise_name(a), normalise_name(b)
        return len(names) == 2 and ((ka in names[0] and kb in names[1]) or (ka in names[1] and kb in names[0]))

    key_pairs = {frozenset((normalise_name(a), normalise_name(b))) for a, b, _, _ in key.relations}
    matched_got: set[int] = set()
    for pair in key_pairs:
        a, b = sorted(pair) if len(pair) == 2 else (next(iter(pair)),) * 2
        hits = [k for k, (names, _, _, _) in enumerate(got) if same_pair(names, a, b)]
        if hits:
            s.pair_tp += 1
            matched_got.update(hits)
        else:
            s.pair_fn += 1
            if verbose:
                print(f"  MISSED pair {a} | {b}")
    extra: set[frozenset[str]] = set()
    for k, (_, _, _, r) in enumerate(got):
        if k not in matched_got:
            extra.add(frozenset(r["parties"]))
    s.pair_fp += len(extra)
    if verbose:
        for e in extra:
            print(f"  EXTRA pair {' | '.join(sorted(e))}")
    for a, b, rtype, statuses in key.relations:
        hits = [(t, st) for names, t, st, _ in got if same_pair(names, a, b)]
        if not hits:
            continue
        s.typed += 1
        types = [t for t, _ in hits]
        if set(rtype.split("/")) & set(types):
            s.type_right += 1
        elif verbose:
            print(f"  TYPE {a} | {b}: key {rtype}, got {types}")
        st = [st for t, st in hits if t in rtype.split("/")] or [st for _, st in hits]
        if (a, b, rtype) in key.years:
            s.dated += 1
            years = [
                y
                for k, (names, t, _, _) in enumerate(got)
                if same_pair(names, a, b) and t in rtype.split("/")
                for y in sorted(got_years[k], key=lambda v: (v is None, v))
            ]
            if key.years[(a, b, rtype)] in years:
                s.year_right += 1
            elif verbose:
                print(f"  YEAR {a} | {b} {rtype}: key {key.years[(a, b, rtype)]}, got {years}")
        if not statuses or statuses & set(st):
            s.status_right += 1
        elif verbose:
            print(f"  STATUS {a} | {b} {rtype}: key {sorted(statuses)}, got {st}")
    offices = [(normalise_name(o["person"]), _names(o.get("body_place"), labels)) for o in result["offices"]]
    used: set[int] = set()
    for person, body in key.officials:
        hit = next(
            (
                k
                for k, (p, b) in enumerate(offices)
                if k not in used and p == normalise_name(person) and (normalise_name(body) in b if body else not b)
            ),
            None,
        )
        if hit is None:
            s.off_fn += 1
            if verbose:
                got_body = [sorted(b)[:2] for p, b in offices if p == normalise_name(person)]
                print(f"  MISSED official {person} | {body} (got bodies {got_body})")
        else:
            used.add(hit)
            s.off_tp += 1
    for k, o in enumerate(result["offices"]):
        if k in used:
            continue
        dup = any(offices[j][0] == offices[k][0] and offices[j][1] == offices[k][1] for j in used)
        if dup:  # the same person and body under another office: not a second pair
            continue
        s.off_fp += 1
        if verbose:
            print(f"  EXTRA official {o['person']} | {o['body']}")
    return s


def place_labels(resolver: object) -> dict[str, set[str]]:
    index = resolver.index  # type: ignore[attr-defined]
    return {iri: {normalise_name(n) for n, _, _ in p.names} for iri, p in index.places.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("names", nargs="*", help="keys to run (eval-a1 or a1); default every key")
    ap.add_argument("--out", default="out", help="build output directory whose graph resolves places (default out)")
    ap.add_argument("--dir", default=str(ARTICLES), help="folder of articles and keys")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss and extra")
    ap.add_argument("--json", action="store_true", help="print the totals as JSON")
    args = ap.parse_args()

    resolver = make_resolver((), args.out)
    labels = place_labels(resolver)
    extractor = Extractor(resolver)
    keys = [parse_key(p) for p in sorted(Path(args.dir).glob("*.key"))]
    if args.names:  # "a1" or "eval-a1"
        wanted = {n.removesuffix(".key") for n in args.names}
        keys = [k for k in keys if k.name in wanted or k.name.removeprefix("eval-") in wanted]
        if not keys:
            raise SystemExit(f"no key named {', '.join(sorted(wanted))} in {args.dir}")
    total = Score()
    for key in keys:
        text = key.text.read_text(encoding="utf-8")
        t0 = time.perf_counter()
        result = extractor.extract(text, file=key.text.name, published=key.published).to_dict()
        took = time.perf_counter() - t0
        if args.verbose:
            print(f"{key.text.name}")
        s = score(key, result, labels, args.verbose)
        s.seconds = took
        total.add(s)
        if not args.json:
            line = s.summary()
            print(f"{key.name:28s} pairs {s.pair_tp}/{s.pair_tp + s.pair_fp}/{s.pair_tp + s.pair_fn} "
                  f"type {s.type_right}/{s.typed} status {s.status_right}/{s.typed} year {s.year_right}/{s.dated} "
                  f"officials {s.off_tp}/{s.off_tp + s.off_fp}/{s.off_tp + s.off_fn} "
                  f"({line['ms_per_article']} ms)")  # fmt: skip
    summary = total.summary()
    if args.json:
        print(json.dumps(summary))
        return
    print(f"\n{len(keys)} articles: "
          + ", ".join(f"{k} {v}" for k, v in summary.items()))  # fmt: skip
    print("(pairs right/extracted/in key; officials right/extracted/in key)")


if __name__ == "__main__":
    main()
