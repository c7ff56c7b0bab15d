"""Merge the sources: mentions become places, assertions become relations, QIDs tie it together.

:func:`build_world` reads as the list of its steps, each a function of its own module:

* :mod:`~graphkit.ingest.mentions`: rows → cleaned mentions and assertions;
  :mod:`~graphkit.ingest.coordinates`: coordinates that contradict their country are dropped;
* :mod:`~graphkit.ingest.grouping`: mentions with the same country, folded name and kind are one
  place unless their coordinates are far apart ("Kusatsu, Gunma" and "Kusatsu, Shiga");
  :mod:`~graphkit.ingest.crosslang`: an Italian-only and an English-only name at the same spot are
  one place (Firenze = Florence);
* :mod:`~graphkit.ingest.gazetteers`: QIDs from Eurocities, dr5hn and the seed;
  :mod:`~graphkit.ingest.wikidata_match`: QIDs from the shape of the Wikidata P190 graph;
  :mod:`~graphkit.ingest.qid_merge`: places with the same QID are one place, the crawl's own places;
* :mod:`~graphkit.ingest.city_parts`, :mod:`~graphkit.ingest.relation_merge`: the same relation
  from different sources is one :class:`~graphkit.ingest.model.Relation` that keeps every source
  and which party's list named it (``listed_by``).

Every merge, split, flag and drop is counted in the :class:`~graphkit.ingest.ledger.Ledger`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path

from graphkit.ingest import dr5hn, hekman, l3viathan, yuboski
from graphkit.ingest.accepted_links import apply_accepted_links
from graphkit.ingest.city_parts import link_city_parts
from graphkit.ingest.coordinates import flag_contradicting_coordinates
from graphkit.ingest.countries import CountryTable
from graphkit.ingest.crosslang import merge_cross_language
from graphkit.ingest.gazetteers import GazetteerEntry, attach_gazetteers, gazetteer_job
from graphkit.ingest.geonames import (
    areas_by_name,
    areas_named_like_divisions,
    cities_not_areas,
    drop_non_places,
    locate_places,
    merge_same_place,
)
from graphkit.ingest.grouping import places_from_mentions, resolve_unplaced
from graphkit.ingest.ledger import Ledger
from graphkit.ingest.mentions import Assertion, Mention, MentionFactory, hekman_assertions, yuboski_assertions
from graphkit.ingest.model import Place, Relation, UnionFind, World, fold_unions
from graphkit.ingest.place_evidence import Evidence, partner_graph
from graphkit.ingest.place_pairs import merge_crawl_and_list_nodes
from graphkit.ingest.qid_merge import (
    add_crawl_only_places,
    kinds_from_crawl_labels,
    merge_same_qid,
    type_whole_countries,
)
from graphkit.ingest.readutil import ReadingWorker, collecting, record
from graphkit.ingest.relation_merge import merge_relations
from graphkit.ingest.wikidata_match import crawl_graph, match_crawl
from graphkit.places.gazetteer import Gazetteer, shared_gazetteer
from graphkit.runtime.forks import ForkedWorker, Job

__all__ = ["Place", "Relation", "World", "build_world", "reading_jobs"]


def build_world(
    sources_dir: Path,
    seed: dict[str, dict[str, object]] | None = None,
    *,
    places_ready: Callable[[World], None] | None = None,
    links: Mapping[str, str] | None = None,
) -> World:
    """Read, clean and merge every source under ``sources_dir`` (``data/sources``).

    ``seed`` describes places already in the graph by QID (``{"Q20103": {"iso": "IT", "labels": [...],
    "coords": (lat, lon)}}``) so the world joins them instead of duplicating them.

    The files of :func:`reading_jobs` are read by a forked worker process meanwhile (see
    :mod:`graphkit.runtime.forks`); the result is the same as reading them here.

    ``places_ready(world)``, if given, is called as soon as the places are final, with the world
    still without relations (the build step starts loading the places into the store then).

    ``links`` are accepted review decisions, place IRI → QID (:mod:`~graphkit.ingest.accepted_links`):
    each linked place gets its QID, or is merged into the node that has it; where each link's place
    went is in ``world.ledger.facts["accepted-links"]`` (IRI → place id).
    """
    t = time.thread_time()
    gazetteer = shared_gazetteer()  # before the worker forks: its gazetteer job shares this one
    loading = round(time.thread_time() - t, 3)
    with collecting() as read_log, ReadingWorker(reading_jobs(sources_dir, seed)) as raw:
        world = _build_world(sources_dir, seed or {}, raw, places_ready, links or {}, (gazetteer, loading))
    record(read_log, world.ledger)  # rows the readers skipped: rejects.csv, with their lines
    if raw.worker_seconds:  # the stages above do not include what the worker read for them
        world.ledger.facts["timings"]["reading (worker process)"] = round(raw.worker_seconds, 3)  # type: ignore[index]
    return world


#: Names of the :func:`reading_jobs`.
HEKMAN_COORDINATES, YUBOSKI_ROWS = "hekman coordinates", "yuboski rows"
L3_STATEMENTS = "l3viathan statements"
GAZETTEERS = "gazetteer entries"


def reading_jobs(sources_dir: Path, seed: dict[str, dict[str, object]] | None = None) -> list[Job]:
    """What a worker reads while the main process cleans the English Wikipedia pairs, in the order
    it is needed (the main process reads the countries and the pairs themselves: it needs them at once).

    The last job also prepares the gazetteer entries (:func:`~graphkit.ingest.gazetteers.gazetteer_job`):
    they depend on no other source, and what their rules did is added to the ledger at their turn;
    it returns the Wikidata crawl's labels it used too (read once, for both)."""
    return [
        (HEKMAN_COORDINATES, hekman.read_coordinates, (sources_dir / hekman.SOURCE_ID,)),
        (YUBOSKI_ROWS, yuboski.read_rows, (sources_dir / yuboski.SOURCE_ID,)),
        (L3_STATEMENTS, l3viathan.read_statements, (sources_dir / l3viathan.SOURCE_ID,)),
        (GAZETTEERS, gazetteer_job, (sources_dir, seed or {})),
    ]


def _build_world(
    sources_dir: Path,
    seed: dict[str, dict[str, object]],
    raw: ForkedWorker,
    places_ready: Callable[[World], None] | None,
    links: Mapping[str, str],
    loaded: tuple[Gazetteer, float],
) -> World:
    """:func:`build_world`, with the files of :func:`reading_jobs` coming from ``raw`` and the
    GeoNames gazetteer loaded (with the CPU seconds that took)."""
    ledger = Ledger()
    lap = _Laps(ledger)
    gazetteer, lap.times["geonames gazetteer"] = loaded
    table = CountryTable.from_folder(sources_dir / dr5hn.SOURCE_ID)
    factory = MentionFactory(table, ledger)
    lap("countries")
    assertions = _hekman_assertions(sources_dir, factory, raw)
    lap("read+clean hekman")
    assertions += yuboski_assertions(sources_dir / yuboski.SOURCE_ID, factory, rows=raw.get(YUBOSKI_ROWS))
    lap("read+clean yuboski")
    mentions = _mentions(assertions)
    flag_contradicting_coordinates(mentions, table, ledger)
    lap("coordinates check")
    places, owner, unresolved = places_from_mentions(mentions, ledger)
    resolve_unplaced(unresolved, places, owner, ledger)
    uf = UnionFind()
    merge_cross_language(places, uf, ledger, gazetteer)
    fold_unions(places, uf)
    lap("places")
    statements = _crawl_statements(raw, ledger)
    entries, labels = _gazetteer_entries(raw, ledger)
    fixed = attach_gazetteers(places, uf, entries, ledger)
    lap("gazetteers")
    crawl = crawl_graph(statements, labels, entries)
    qid_of = {**fixed, **match_crawl(places, uf, assertions, owner, crawl, fixed, ledger, gazetteer)}
    lap("wikidata matching")
    merge_same_qid(places, uf, qid_of, ledger)
    kinds_from_crawl_labels(places, labels, ledger)
    p_of_qid = add_crawl_only_places(places, crawl, entries, seed, ledger)
    type_whole_countries(places, table, ledger)
    lap("qid merge + wikidata-only places")
    cities_not_areas(places, gazetteer, ledger)
    areas_named_like_divisions(places, entries, gazetteer, ledger)
    drop_non_places(places, gazetteer, ledger, keep_qids=seed)
    areas_by_name(places, gazetteer, ledger)
    evidence = _evidence(places, uf, assertions, owner, statements, p_of_qid, table)
    locate_places(places, gazetteer, ledger, evidence)
    merge_same_place(places, uf, ledger, keep_qids=seed)
    linked = apply_accepted_links(places, uf, links, ledger)
    merge_crawl_and_list_nodes(places, uf, evidence.partners, gazetteer, ledger)
    ledger.facts["accepted-links"] = {iri: uf.find(pid) for iri, pid in linked.items()}
    p_of_qid = {q: uf.find(pid) for q, pid in p_of_qid.items()}
    lap("geonames: locate, enrich, one node per place")
    # city parts are typed before the relations are merged (neither depends on the other), so that the
    # places are final early; what the rule did is recorded after the relations', as it always was
    parts_ledger = Ledger()
    link_city_parts(places, parts_ledger)
    world = World(places, [], table, ledger, seed)
    if places_ready is not None:
        places_ready(world)
        lap.restart()  # its time is not the relations'
    world.relations = merge_relations(assertions, statements, owner, uf, p_of_qid, places, ledger)
    ledger.absorb(parts_ledger)
    lap("relations")
    ledger.facts["countries"] = len({p.iso for p in places.values() if p.iso})
    return world


def _evidence(
    places: dict[int, Place],
    uf: UnionFind,
    assertions: list[Assertion],
    owner: dict[int, int],
    statements: list[tuple[str, str, int]],
    p_of_qid: dict[str, int],
    table: CountryTable,
) -> Evidence:
    """What the gazetteer matching may use besides names: the partners of every place (the lists'
    pairs and the crawl's statements) and the country names of the table."""
    pairs = [(owner.get(id(a.lister)), owner.get(id(a.partner))) for a in assertions]
    pairs += [(p_of_qid.get(s), p_of_qid.get(d)) for s, d, _ in statements]
    return Evidence(
        partner_graph(pairs, uf, places),
        places,
        lambda name: table.lookup(name) or table.alias(name) or table.cldr(name),
    )


def _hekman_assertions(sources_dir: Path, factory: MentionFactory, raw: ForkedWorker) -> list[Assertion]:
    """The English Wikipedia pairs (read here: they are needed at once), geocoded by the worker's file."""
    folder = sources_dir / hekman.SOURCE_ID
    return hekman_assertions(folder, factory, pairs=hekman.read_pairs(folder), coords=raw.get(HEKMAN_COORDINATES))


def _mentions(assertions: list[Assertion]) -> list[Mention]:
    """Every distinct mention of the assertions, in order."""
    return list({id(m): m for a in assertions for m in (a.lister, a.partner)}.values())


def _crawl_statements(raw: ForkedWorker, ledger: Ledger) -> list[tuple[str, str, int]]:
    """The Wikidata crawl's P190 statements ``(QID, QID, line)``, counted (rows, repeated rows)."""
    statements: list[tuple[str, str, int]] = raw.get(L3_STATEMENTS)
    ledger.rows_read[l3viathan.SOURCE_ID] = len(statements)
    repeated = len(statements) - len({(a, b) for a, b, _ in statements})
    if repeated:
        ledger.count(f"same-row-repeated-{l3viathan.SOURCE_ID}", n=repeated)
    return statements


def _gazetteer_entries(raw: ForkedWorker, ledger: Ledger) -> tuple[list[GazetteerEntry], dict[str, str]]:
    """The QID gazetteers' entries and the crawl's labels, prepared by the worker (its ledger absorbed)."""
    entries, gazetteer_ledger, labels = raw.get(GAZETTEERS)
    ledger.absorb(gazetteer_ledger)
    return entries, labels


class _Laps:
    """CPU seconds (of this thread) per stage of the merge, kept in ``ledger.facts["timings"]``."""

    def __init__(self, ledger: Ledger) -> None:
        self.times: dict[str, float] = {}
        ledger.facts["timings"] = self.times
        self.t = time.thread_time()

    def __call__(self, name: str) -> None:
        now = time.thread_time()
        self.times[name] = round(now - self.t, 3)
        self.t = now

    def restart(self) -> None:
        """Leave the time since the last lap out of the next one."""
        self.t = time.thread_time()
