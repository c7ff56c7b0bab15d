"""The data-quality report of the world build: ``out/quality.json``, ``out/quality.md``, ``out/rejects.csv``.

It says what was read (rows per source), what each cleaning rule changed (with examples), what the
merge produced (places, relations, countries, relations per number of supporting sources, one-sided
relations), and what could not be resolved (every reject, with its reason, is in ``rejects.csv``).
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path
from typing import Any

from graphkit.ingest.model import World
from graphkit.ingest.rdf import relation_type
from graphkit.ingest.sources import GEONAMES, SOURCES
from graphkit.rdf.files import csv_text, write_text_atomic

#: What each rule does, for the report (rules named ``<prefix>-<source>`` use the prefix).
RULE_DESCRIPTIONS: dict[str, str] = {
    "unicode-normalised": "name normalised to Unicode NFC / single spaces (decomposed accents, stray spaces)",
    "wiki-markup-removed": "wiki-link markup removed ({{!}}, [[…|…]]): the link target is kept",
    "empty-brackets-removed": 'empty brackets removed from a name ("Marino ()")',
    "disambiguator-split": 'Wikipedia disambiguator split from the name ("Shibuya (Tokyo)", "Kusatsu, Gunma")',
    "disambiguator-is-country": 'disambiguator that only repeats the country dropped ("Aprilia (Italia)")',
    "country-alias": "country variant mapped by our alias table (England, Republic of Ireland, Georgia (country))",
    "country-typo": "misspelt country matched to the closest gazetteer name (Grece, Japa, Kazakhstah)",
    "country-subnational": 'sub-national country string reduced to its country ("Ohio, United States")',
    "country-noise": 'stray word before a country removed ("in Italy")',
    "country-from-name": 'empty country taken from the name ("Varna, Bulgaria")',
    "country-territory": "the place itself is a country or territory (Falkland Islands): typed gk:AdministrativeArea",
    "country-from-coordinates": "no usable country: taken from the nearest gazetteer point of the coordinates",
    "country-italian-name-learned": "Italian country name mapped to ISO by where its located rows lie",
    "country-from-unique-name": "no country given: the only place with that name supplies it",
    "coordinates-contradict-country": "coordinates far from the stated country and near another: not used",
    "diacritic-variants-merged": "spellings differing only in diacritics are one place (Ploiești/Ploieşti)",
    "same-name-split-by-coordinates": "same name and country but coordinates far apart: separate places",
    "ambiguous-name-joined-largest": "name shared by several places, no coordinates: joined the largest",
    "italian-english-same-place": "Italian-only and English-only names at the same spot are one place",
    "japan-duplicate-qid-dropped": "dr5hn Japan: a QID given to two different names, dropped from the wrong one",
    "garbled-label": "dr5hn Japan: native name contradicts the romanised suffix (Itō Shi → 伊藤史, not 市): not used",
    "japan-paired-entries-merged": 'dr5hn Japan: paired entries ("Kanoya" + "Kanoya Shi") merged by QID',
    "qid-from-eurocities-wikidata": "QID from the Eurocities gazetteer (same name and country)",
    "qid-from-dr5hn": "QID from the dr5hn gazetteer (Japanese municipalities, divisions)",
    "qid-from-seed": "QID from a place already in the seed graph",
    "qid-from-wikidata-p190-graph": "QID from the Wikidata P190 graph: relations agree on both names / partners",
    "qid-from-wikidata-p190-graph-italian-names": "QID for an Italian-only name through its matched partners",
    "qid-from-unique-name": "QID from a name unique on both sides, partners sharing a country",
    "kind-from-wikidata-label": 'the Wikidata label says prefecture/district/region ("Präfektur Tokio"): typed so',
    "same-qid-merged": "places given the same QID merged into one",
    "partner-is-a-whole-country": "a partner with a country's QID (Morocco, Kenya, Guam) is that country: gk:Country",
    "wikidata-only-place-without-country": "place known only from the Wikidata crawl: no country in any source",
    "label-missing-qid-used": "place without any label: its QID is used as label",
    "self-pair-dropped": "both parties turned out to be the same place: relation dropped",
    "city-part-typed-district": '"X (City)" is a part of City: typed gk:District, gk:locatedIn City',
    "duplicate-pair-merged": "the same pair again in the same source (variants, both directions): merged",
    "same-row-repeated": "the very same row repeated in a source: merged",
    "country-cldr-name": "country name in another language mapped by the CLDR names (Giappone, Vereinigte Staaten)",
    "country-name-not-a-country": "a historic state as country (Austria-Ungheria): the place's own evidence decides",
    "geonames-match": "matched to a GeoNames place (evidence after the prefix: name and coordinates, unique"
    " name, a village's unique name with a partner within 800 km, ...)",
    "country-from-geonames": "no country in any source: the GeoNames place the name unambiguously names gives it",
    "coordinates-from-geonames": "no coordinates in any source: the matched GeoNames place's",
    "population-from-geonames": "no population in any source: the matched GeoNames place's",
    "small-namesake-without-near-partner": "the only GeoNames place of the name is a village (< 1,000) and no"
    " partner lies within 800 km: left unresolved",
    "ambiguous-name-left-unresolved": "several GeoNames places share the name, nothing chooses: left unresolved",
    "same-geonames-place-merged": "nodes matched to one GeoNames place merged (a kommun and its town: one node)",
    "same-name-nearby-merged": "an unmatched node with the name of a matched one a few km away merged into it",
    "same-name-across-border-merged": "same name a few km apart across a border (Kufstein AT/DE): one node",
    "geonames-two-places-not-merged": "Italian/English names GeoNames knows as two places (Bruxelles, Ixelles): apart",
    "not-a-place-removed": "a heritage site, park, school, language or party named as a partner (or a Wikidata"
    " P190 item): not a place, relations rejected",
    "area-by-name": "named as a canton, intercommunal community or reservation (Kanton Villé) that no GeoNames"
    " place bears: an administrative area, not a municipality",
    "area-named-like-a-division": "named only like a dr5hn division (Derbyshire) that no GeoNames place bears:"
    " typed as that division, not a municipality",
    "city-that-is-also-an-area": "a prefecture/metropolis the lists name as a city (Tokyo): a municipality",
}


def rule_description(rule: str) -> str:
    """The description of a rule (``duplicate-pair-merged-hekman-twincities`` → its prefix's)."""
    if rule in RULE_DESCRIPTIONS:
        return RULE_DESCRIPTIONS[rule]
    for prefix, text in RULE_DESCRIPTIONS.items():
        if rule.startswith(prefix + "-"):
            return f"{text} ({rule[len(prefix) + 1 :]})"
    return rule


def quality_data(world: World, *, triples: int, graph: str, timings: dict[str, float]) -> dict[str, Any]:
    """Everything the report says, as JSON-ready data."""
    places = world.places.values()
    rels = world.relations
    per_n = Counter(len(r.sources) for r in rels)
    per_combo = Counter(" + ".join(sorted(r.sources)) for r in rels)
    per_source = Counter(s for r in rels for s in r.sources)
    listed = Counter("both parties" if len(r.listed_by) == 2 else "one party" for r in rels)
    one_sided_multi = sum(1 for r in rels if len(r.listed_by) == 1 and len(r.sources) > 1)
    domestic = sum(1 for r in rels if world.places[r.a].iso and world.places[r.a].iso == world.places[r.b].iso)
    led = world.ledger
    rejects = led.reject_counts()
    return {
        "graph": graph,
        "triples": triples,
        "rows_read": dict(led.rows_read),
        "places": {
            "total": len(world.places),
            "by_kind": dict(Counter(p.kind for p in places).most_common()),
            "with_qid": sum(1 for p in places if p.qid),
            "with_coordinates": sum(1 for p in places if p.best_coords()),
            "without_country": sum(1 for p in places if not p.iso),
        },
        "countries": len({p.iso for p in places if p.iso}),
        "relations": {
            "total": len(rels),
            "by_number_of_sources": {str(k): per_n[k] for k in sorted(per_n)},
            "by_source": dict(per_source.most_common()),
            "by_source_combination": dict(per_combo.most_common()),
            "listed_by": dict(listed),
            "one_sided_although_several_sources": one_sided_multi,
            "same_country": domestic,
            "by_type": dict(Counter(relation_type(r.sources)[0] for r in rels).most_common()),
            "sources_disagreeing_on_type": sum(1 for r in rels if relation_type(r.sources)[1]),
        },
        "rules": {
            name: {"count": st.count, "description": rule_description(name), "examples": st.examples}
            for name, st in led.rules.items()
        },
        "rejects": {"total": len(led.rejects), "by_reason": dict(rejects.most_common())},
        "unresolved_names": [f"{r.item} ({r.where})" for r in led.rejects if r.reason == "unresolved-country"][:50],
        "suspicious_coordinates": [
            f"{r.item}: {r.detail}" for r in led.rejects if r.reason == "suspicious-coordinates"
        ][:50],
        "gazetteer": _gazetteer_data(world),
        "facts": {k: v for k, v in led.facts.items() if k not in ("timings", "place-merges")},
        "timings_cpu_seconds": timings,
    }


def _gazetteer_data(world: World) -> dict[str, Any]:
    """What the GeoNames gazetteer did: shares before/after, matches, merges, ambiguous names."""
    ms = [p for p in world.places.values() if p.kind == "municipality"]
    before = world.ledger.facts.get("municipalities-before-geonames", {})
    after = {
        "total": len(ms),
        "with_country": sum(1 for p in ms if p.iso),
        "with_coordinates": sum(1 for p in ms if p.best_coords() is not None),
    }

    def shares(d: Any) -> dict[str, float]:
        n = d.get("total") or 1
        return {
            "country": round(d.get("with_country", 0) / n, 4),
            "coordinates": round(d.get("with_coordinates", 0) / n, 4),
        }

    return {
        "source": SOURCES[GEONAMES].title,
        "licence": SOURCES[GEONAMES].licence,
        "municipalities_before": {**before, "shares": shares(before)} if isinstance(before, dict) and before else {},
        "municipalities_after": {**after, "shares": shares(after)},
        "matched": sum(1 for p in ms if p.geonames is not None),
        "with_population": sum(1 for p in world.places.values() if p.population),
        "population_sources": dict(Counter(p.population_source or "?" for p in world.places.values() if p.population)),
        "merges": list(world.ledger.facts.get("place-merges", [])),  # type: ignore[call-overload]
        "ambiguous": [f"{r.item}: {r.detail}" for r in world.ledger.rejects if r.reason == "ambiguous-place-name"],
    }


def render_markdown(q: dict[str, Any]) -> str:
    """The report as Markdown."""
    out = ["# World dataset: data-quality report", ""]
    out.append(f"Named graph `{q['graph']}`: {q['triples']:,} triples.")
    out += ["", "## Rows read per source", "", "| source | rows |", "|---|---:|"]
    out += [f"| {k} | {v:,} |" for k, v in q["rows_read"].items()]
    p, r = q["places"], q["relations"]
    out += ["", "## After cleaning and merging", ""]
    out.append(f"- places: **{p['total']:,}** ({', '.join(f'{k} {v:,}' for k, v in p['by_kind'].items())})")
    out.append(
        f"- with a Wikidata QID: {p['with_qid']:,}; with coordinates: {p['with_coordinates']:,}; "
        f"without a country: {p['without_country']:,}"
    )
    out.append(f"- countries: **{q['countries']}**")
    out.append(f"- relations: **{r['total']:,}**; between places of the same country: {r['same_country']:,}")
    out.append(
        f"- listed by: {', '.join(f'{k} {v:,}' for k, v in r['listed_by'].items())} "
        f"(one-sided although asserted by several sources: {r['one_sided_although_several_sources']:,})"
    )
    out += ["", "### Relations per number of supporting sources", "", "| sources | relations |", "|---:|---:|"]
    out += [f"| {k} | {v:,} |" for k, v in r["by_number_of_sources"].items()]
    out += ["", "### Relations per source combination", "", "| sources | relations |", "|---|---:|"]
    out += [f"| {k} | {v:,} |" for k, v in r["by_source_combination"].items()]
    out += ["", "## What each rule did", "", "| rule | count | what | examples |", "|---|---:|---|---|"]
    for name, st in q["rules"].items():
        ex = "; ".join(f"{_md(a)} → {_md(b)}" for a, b in st["examples"][:3])
        out.append(f"| `{name}` | {st['count']:,} | {_md(st['description'])} | {ex} |")
    out += [
        "",
        "## Rejects",
        "",
        f"{q['rejects']['total']:,} rows or items, every one in `rejects.csv` with its reason:",
        "",
    ]
    out += [f"- {k}: {v:,}" for k, v in q["rejects"]["by_reason"].items()]
    out += ["", "### Unresolved names (first 50)", ""]
    out += [f"- {_md(x)}" for x in q["unresolved_names"]] or ["- none"]
    out += ["", "### Suspicious coordinates (first 50)", ""]
    out += [f"- {_md(x)}" for x in q["suspicious_coordinates"]] or ["- none"]
    out += ["", "### Relations per type (what the sources state)", "", "| type | relations |", "|---|---:|"]
    out += [f"| `reltype:{k}` | {v:,} |" for k, v in r.get("by_type", {}).items()]
    out.append(f"\nRelations whose sources state different specific types: {r.get('sources_disagreeing_on_type', 0):,}")
    out += _gazetteer_markdown(q.get("gazetteer", {}))
    out += ["", "## Known limits", ""]
    out += [
        "- English Wikipedia pairs were deduplicated by the scraper, so a relation listed by both cities there "
        "records only the first as lister: `gk:listedBy` under-counts, and one-sided relations from that source "
        "alone are not proof that the partner does not list it.",
        "- Places known only from the 2016 Wikidata crawl have German (or other) labels of unknown language "
        "and, unless a gazetteer knows them, no country.",
        "- Relation types: Italian Wikipedia's gemellaggi and Wikidata's P190 are twinnings; English Wikipedia's "
        "list does not say, so its pairs alone are `reltype:partnership`.",
        "- Names that several GeoNames places share, with no country or coordinates to choose, stay without a "
        "country (listed above with their candidates); places under 500 inhabitants are not in the gazetteer.",
    ]
    out += ["", "## CPU seconds per stage", ""]
    out += [f"- {k}: {v}" for k, v in q["timings_cpu_seconds"].items()]
    return "\n".join(out) + "\n"


def _gazetteer_markdown(g: dict[str, Any]) -> list[str]:
    """The GeoNames section of the report."""
    if not g:
        return []
    out = ["", "## World gazetteer (GeoNames)", "", f"Source: {g['source']}. Licence: {g['licence']}.", ""]
    b, a = g.get("municipalities_before", {}), g["municipalities_after"]
    out += ["| municipalities | total | with a country | with coordinates |", "|---|---:|---:|---:|"]
    for name, d in (("before the gazetteer", b), ("after", a)):
        if d:
            sh = d["shares"]
            out.append(
                f"| {name} | {d['total']:,} | {d['with_country']:,} ({sh['country']:.1%}) | "
                f"{d['with_coordinates']:,} ({sh['coordinates']:.1%}) |"
            )
    out += [
        "",
        f"- matched to a GeoNames place: {g['matched']:,} municipalities; places with a population: "
        f"{g['with_population']:,} (by source: {', '.join(f'{k} {v:,}' for k, v in g['population_sources'].items())})",
        "",
        f"### Places merged into one node ({len(g['merges']):,}; all in quality.json, first 100 here)",
        "",
    ]
    out += [f"- {_md(x)}" for x in g["merges"][:100]] or ["- none"]
    out += [
        "",
        f"### Names left unresolved: several GeoNames places share them ({len(g['ambiguous']):,}; first 50)",
        "",
    ]
    out += [f"- {_md(x)}" for x in g["ambiguous"][:50]] or ["- none"]
    return out


def _md(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def rejects_csv(world: World) -> str:
    """Every reject as CSV: source, where, item, reason, detail (spreadsheet-safe: an item such as
    ``=HYPERLINK(...)`` from a source file gets a leading ``'``, see :func:`~graphkit.rdf.files.csv_text`)."""
    header = [("source", "where", "item", "reason", "detail")]
    rows = ((r.source, r.where, r.item, r.reason, r.detail) for r in world.ledger.rejects)
    return csv_text(itertools.chain(header, rows))


def write_quality_data(q: dict[str, Any], world: World, out_dir: Path) -> list[Path]:
    """Write the report ``q`` (from :func:`quality_data`) and the world's rejects into ``out_dir``."""
    return [
        write_text_atomic(out_dir / "quality.json", json.dumps(q, indent=2, ensure_ascii=False) + "\n"),
        write_text_atomic(out_dir / "quality.md", render_markdown(q)),
        write_text_atomic(out_dir / "rejects.csv", rejects_csv(world)),
    ]
