"""Precision and recall of reconciliation on labelled samples: places whose QID the shipped data gives.

Two samples, each reconciled against an index that leaves its own source out (so a hit is not an
exact lookup of the answer):

- **eurocities** — the 209 Eurocities members (name as on the network's website, country, coordinates,
  and their partners' names from the English-Wikipedia pair list), against the index without Eurocities;
- **japan** — the Japanese municipalities of dr5hn whose QID is not disputed inside the file (name,
  kanji name, coordinates, partners), against the index without ``cities_JP.json``.

Precision = correct automatic matches / automatic matches; recall = correct automatic matches / sample
size; "reachable" recall divides by the places whose QID is in the index at all. ``top1`` is how often
the right QID is the first candidate (what a reviewer sees first).
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graphkit.errors import InputError
from graphkit.wikidata.gazetteer import (
    DR5HN_SOURCE,
    EUROCITIES_SOURCE,
    MUNICIPALITY,
    PlaceIndex,
    build_gazetteer_index,
    read_countries,
    read_japanese_cities,
)
from graphkit.wikidata.names import normalise, split_name
from graphkit.wikidata.reconcile import PlaceQuery, reconcile

HEKMAN = "hekman-twincities"
_COUNTRY_ALIASES = {
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "republic of ireland": "IE",
    "georgia country": "GE",
    "palestine": "PS",
    "gambia": "GM",
    "czechia": "CZ",
    "czech republic": "CZ",
    "russia": "RU",
    "south korea": "KR",
    "north korea": "KP",
    "united states": "US",
    "vietnam": "VN",
    "moldavia": "MD",
    "japa": "JP",
    "grece": "GR",
    "turkey": "TR",
    "turkiye": "TR",
}


@dataclass(frozen=True)
class LabelledPlace:
    """A query with its known QID."""

    query: PlaceQuery
    truth: str
    label: str


@dataclass
class EvaluationResult:
    """Counts and rates for one sample."""

    sample: str
    size: int
    reachable: int
    matched: int
    correct: int
    top1: int
    wrong: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.matched if self.matched else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.size if self.size else 0.0

    @property
    def reachable_recall(self) -> float:
        return self.correct / self.reachable if self.reachable else 0.0

    def summary(self) -> str:
        return (
            f"{self.sample}: n={self.size} (QID in index: {self.reachable}); automatic matches {self.matched}, "
            f"correct {self.correct}: precision {self.precision:.1%}, recall {self.recall:.1%} "
            f"(of reachable {self.reachable_recall:.1%}); right QID ranked first {self.top1}/{self.size}"
        )


def country_resolver(sources: Path) -> dict[str, str]:
    """Normalised country name (English or native, plus common variants) → ISO code."""
    with (sources / DR5HN_SOURCE / "countries.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out = {normalise(r["name"]): r["iso2"] for r in rows if r.get("iso2")}
    out |= {normalise(r["native"]): r["iso2"] for r in rows if r.get("native") and r.get("iso2")}
    return out | _COUNTRY_ALIASES


def resolve_country(text: str, table: dict[str, str]) -> str | None:
    """ISO code of a country string such as ``England, United Kingdom`` or ``Georgia (country)``."""
    key = normalise(text)
    if key in table:
        return table[key]
    if "," in text:
        return resolve_country(text.rsplit(",", 1)[1], table) or resolve_country(text.split(",", 1)[0], table)
    return None


def hekman_partners(sources: Path) -> dict[tuple[str, str], set[str]]:
    """(name base, ISO country) → partner names, from the English-Wikipedia pair list."""
    table = country_resolver(sources)
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    path = sources / HEKMAN / "twin_cities_raw.csv"
    if not path.is_file():
        return out
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            c1, c2 = resolve_country(row["country1"], table), resolve_country(row["country2"], table)
            if c1:
                out[(split_name(row["city1"]).base, c1)].add(row["city2"])
            if c2:
                out[(split_name(row["city2"]).base, c2)].add(row["city1"])
    return out


def eurocities_sample(sources: str | Path = "data/sources") -> list[LabelledPlace]:
    """The Eurocities members as labelled queries (website name only, not the Wikidata label)."""
    root = Path(sources)
    _, qid_to_iso = read_countries(root)
    partners = hekman_partners(root)
    try:
        members = json.loads((root / EUROCITIES_SOURCE / "members-wikidata-enriched.json").read_text("utf-8"))
    except (OSError, ValueError) as e:
        raise InputError(f"cannot read the Eurocities members: {e}") from None
    out, seen = [], set()
    for m in members["members"]:
        qid, name = m.get("wikidata_id"), (m.get("name_on_website") or "").strip()
        if not qid or not name or qid in seen:
            continue
        seen.add(qid)
        iso = qid_to_iso.get(str(m.get("country")))
        q = PlaceQuery(
            (name,),
            country=iso,
            kind=MUNICIPALITY,
            lat=m.get("latitude"),
            lon=m.get("longitude"),
            partner_names=frozenset(partners.get((split_name(name).base, iso or ""), set())),
        )
        out.append(LabelledPlace(q, qid, name))
    return out


def japan_sample(sources: str | Path = "data/sources") -> list[LabelledPlace]:
    """Japanese municipalities whose QID is undisputed in dr5hn (English and kanji names, coordinates)."""
    root = Path(sources)
    entries, _ = read_japanese_cities(root, confirmed_names=None, undisputed_only=True)
    partners = hekman_partners(root)
    out = []
    for e in entries:
        if MUNICIPALITY not in e.kinds:
            continue
        en = [n for n, lg in e.names if lg == "en"]
        ja = [n for n, lg in e.names if lg == "ja"]
        names = tuple(dict.fromkeys(en[:1] + ja[:1]))
        pn: set[str] = set()
        for n in en:
            pn |= partners.get((split_name(n).base, "JP"), set())
        q = PlaceQuery(names, country="JP", kind=MUNICIPALITY, lat=e.lat, lon=e.lon, partner_names=frozenset(pn))
        out.append(LabelledPlace(q, e.key, names[0]))
    return out


def evaluate(sample: Sequence[LabelledPlace], index: PlaceIndex, name: str) -> EvaluationResult:
    """Reconcile every labelled place and count."""
    res = EvaluationResult(name, len(sample), 0, 0, 0, 0)
    for lp in sample:
        if index.get(lp.truth) is not None:
            res.reachable += 1
        cands = reconcile(lp.query, index)
        if cands and cands[0].key == lp.truth:
            res.top1 += 1
        if cands and cands[0].match:
            res.matched += 1
            if cands[0].key == lp.truth:
                res.correct += 1
            else:
                res.wrong.append((lp.label, lp.truth, f"{cands[0].key} {cands[0].label}"))
    return res


def evaluate_shipped(sources: str | Path = "data/sources") -> list[EvaluationResult]:
    """Both samples, each against the index without its own source."""
    root = Path(sources)
    euro_index = build_gazetteer_index(root, exclude=[EUROCITIES_SOURCE])
    jp_index = build_gazetteer_index(root, exclude=["cities_JP"])
    return [
        evaluate(eurocities_sample(root), euro_index, "eurocities (held out)"),
        evaluate(japan_sample(root), jp_index, "dr5hn Japan (held out)"),
    ]
