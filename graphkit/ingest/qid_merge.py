"""Once QIDs are known: places with the same QID are one place; the crawl's label says the kind
("Präfektur Tokio"); the crawl's places that no list names become places of their own; a partner
whose QID is a country's is that country."""

from __future__ import annotations

from collections import Counter, defaultdict

from graphkit.ingest import l3viathan
from graphkit.ingest.clean import classify_kind
from graphkit.ingest.countries import CountryTable
from graphkit.ingest.gazetteers import GazetteerEntry
from graphkit.ingest.ledger import Ledger
from graphkit.ingest.model import Place, UnionFind, fold_unions
from graphkit.ingest.wikidata_match import Crawl


def merge_same_qid(places: dict[int, Place], uf: UnionFind, qid_of: dict[int, str], ledger: Ledger) -> None:
    """Places with the same QID are one place (if their countries agree; the others lose the QID)."""
    by_qid: dict[str, list[int]] = defaultdict(list)
    for pid, q in qid_of.items():
        by_qid[q].append(uf.find(pid))
    for q, pids in by_qid.items():
        pids = sorted(set(pids))
        isos = Counter(places[p].iso for p in pids)
        main_iso = isos.most_common(1)[0][0]
        keep = [p for p in pids if places[p].iso == main_iso]
        for pi in pids:
            if places[pi].iso != main_iso:
                ledger.reject(
                    "merge",
                    q,
                    f"{places[pi].main_label()} ({places[pi].iso})",
                    "qid-country-conflict",
                    f"{q} also matched a place in {main_iso}; QID not given to this one",
                )
        root = keep[0]
        for pi in keep[1:]:
            root = uf.union(root, pi)
            ledger.count("same-qid-merged", f"{places[pi].main_label()} ({places[pi].iso})", q)
        places[root].qid = q
    fold_unions(places, uf)


def kinds_from_crawl_labels(places: dict[int, Place], labels: dict[str, str], ledger: Ledger) -> None:
    """A municipality whose crawl label names another kind ("Präfektur Tokio") is of that kind."""
    for p in places.values():
        wd_kind = classify_kind(labels.get(p.qid, "")) if p.qid else "municipality"
        if p.kind == "municipality" and wd_kind != "municipality":
            p.kind = wd_kind
            ledger.count("kind-from-wikidata-label", f"{p.main_label()} ({p.iso})", f"{labels[p.qid]}: {wd_kind}")


def add_crawl_only_places(
    places: dict[int, Place],
    crawl: Crawl,
    entries: list[GazetteerEntry],
    seed: dict[str, dict[str, object]],
    ledger: Ledger,
) -> dict[str, int]:
    """A place for every QID of the crawl that no place holds yet (with what a gazetteer or the seed
    knows of it); returns QID → place id for every place with a QID."""
    labels = crawl.labels
    p_of_qid = {p.qid: p.id for p in places.values() if p.qid}
    entry_of: dict[str, GazetteerEntry] = {}
    for entry in entries:
        entry_of.setdefault(entry.qid, entry)
    next_id = max(places) + 1 if places else 0
    for s, d, _ in crawl.statements:
        for q in (s, d):
            if q in p_of_qid:
                continue
            e = entry_of.get(q)
            label = labels.get(q, "")
            kind = e.kind if e else classify_kind(label)
            p = Place(next_id, e.iso if e else (str(seed[q].get("iso") or "") if q in seed else ""), kind, q, qid=q)
            p.add_label("", label)
            if e:
                for lang, name in e.names.items():
                    p.add_label(lang, name)
                if e.coords:
                    p.coords.append((0, e.coords, "gazetteer"))
                p.population, p.population_source = e.population, e.source if e.population else ""
                if e.source != "seed":
                    p.sources.add(e.source)
            if not p.labels:
                p.add_label("", q)
                ledger.count("label-missing-qid-used", q, q)
            p.sources.add(l3viathan.SOURCE_ID)
            places[next_id] = p
            p_of_qid[q] = next_id
            next_id += 1
            if not p.iso:
                ledger.count("wikidata-only-place-without-country", f"{label} {q}", "no country in any source")
    for q, pid in p_of_qid.items():
        if labels.get(q) and "" not in places[pid].labels:
            places[pid].add_label("", labels[q])
        if q in crawl.adj:
            places[pid].sources.add(l3viathan.SOURCE_ID)
    return p_of_qid


#: Countries that are a single city (Monaco, Singapore, Vatican City, Gibraltar, Macau, Hong Kong): a
#: partner with such a country's QID is the city, and stays a municipality.
CITY_STATE_QIDS = frozenset({"Q235", "Q334", "Q237", "Q1410", "Q14773", "Q8646"})


def type_whole_countries(places: dict[int, Place], table: CountryTable, ledger: Ledger) -> None:
    """A partner whose QID is a country's (Morocco Q1028, Kenya Q114 in the Wikidata crawl) is that
    whole country, not a municipality: kind ``country``, typed gk:Country (it is the very node of the
    country, same IRI) with the country's ISO code, also where a source put it in another country
    (Guam, Q16635, listed in the US, is ISO GU). City-states (:data:`CITY_STATE_QIDS`) stay
    municipalities.

    >>> from graphkit.ingest.countries import Country
    >>> table = CountryTable([Country("MA", "Morocco", "", "Q1028", None), Country("MC", "Monaco", "", "Q235", None),
    ...                       Country("GU", "Guam", "", "Q16635", None)], [])
    >>> rows = [("MA", "Q1028"), ("MC", "Q235"), ("US", "Q16635"), ("", "Q1028")]
    >>> places = {i: Place(i, iso, "municipality", q, qid=q) for i, (iso, q) in enumerate(rows)}
    >>> type_whole_countries(places, table, Ledger())
    >>> [(p.kind, p.iso) for p in places.values()]
    [('country', 'MA'), ('municipality', 'MC'), ('country', 'GU'), ('country', 'MA')]
    """
    iso_of_qid = {c.qid: c.iso2 for c in table.countries.values() if c.qid and c.qid not in CITY_STATE_QIDS}
    for p in places.values():
        iso = iso_of_qid.get(p.qid)
        if iso is None or p.kind == "country":
            continue
        was = f"{p.iso}, " if p.iso and p.iso != iso else ""
        p.kind, p.iso = "country", iso
        ledger.count("partner-is-a-whole-country", f"{p.main_label()} ({was}{p.qid})", f"gk:Country {iso}")
