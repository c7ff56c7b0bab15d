"""The world build step: read, clean and merge ``data/sources/``, load the result into the store as
the named graph ``graph/world``, and write the data-quality report.

Registered in :data:`graphkit.build.pipeline.BUILD_STEPS`. Places and relations already in the store (the
seed story) are joined by their IRIs and QIDs, never duplicated.

How the work is spread over two cores (the result is the same as doing it in order): a forked
worker reads most source files while the main process cleans the first one
(:mod:`~graphkit.runtime.forks`); as soon as the places are final their N-Triples go to a
background thread that loads them into the store (pyoxigraph parses and indexes without Python's
lock) while the relations are merged, written and loaded in turn, and the quality report is
computed (:mod:`~graphkit.ingest.loader`). Python's cyclic garbage collector is paused meanwhile.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox

from graphkit.build.report import StepReport
from graphkit.build.snapshot import SnapshotSink
from graphkit.ingest.accepted_links import read_accepted_links, retarget_links
from graphkit.ingest.loader import BackgroundLoader
from graphkit.ingest.merge import World, build_world
from graphkit.ingest.rdf import Emitted, Existing, WorldWriter
from graphkit.ingest.report import quality_data, write_quality_data
from graphkit.rdf.namespaces import GK, graph_iri
from graphkit.relations.model import place_class_values
from graphkit.runtime.teardown import keep_until_exit
from graphkit.store.embedded import EmbeddedStore

WORLD_GRAPH = "world"
T = TypeVar("T")

_SEED_PLACES = (
    "SELECT ?place ?wd ?cc ?label ?lat ?long WHERE { ?place gk:wikidata ?wd . "
    + place_class_values(exclude=("Country",))
    + """ ?place a ?class .
  OPTIONAL { ?place gk:country/gk:countryCode ?cc }
  OPTIONAL { ?place rdfs:label ?label }
  OPTIONAL { ?place wgs84:lat ?lat ; wgs84:long ?long }
}"""
)
_EXISTING_PLACES = "SELECT DISTINCT ?place WHERE { " + place_class_values() + " ?place a ?class . }"
_LOCATED_PLACES = "SELECT DISTINCT ?place WHERE { ?place wgs84:lat ?lat ; wgs84:long ?long }"
_PLACE_FACTS = (
    "SELECT DISTINCT ?place ?fact WHERE { VALUES ?fact { gk:population gk:geonamesId gk:admin1Code } ?place ?fact ?v }"
)
_EXISTING_RELATIONS = "SELECT ?relation ?party WHERE { ?relation a gk:MunicipalRelation ; gk:party ?party }"


def existing_in_store(store: EmbeddedStore) -> tuple[Existing, dict[str, dict[str, Any]]]:
    """What the store already holds: places and relations (to join), and places with QIDs (to match)."""
    existing = Existing()
    r = store.select(_EXISTING_PLACES)
    existing.places = {str(row[0]) for row in r.rows}
    existing.located = {str(row[0]) for row in store.select(_LOCATED_PLACES).rows}
    holding: dict[str, set[str]] = {str(GK.population): set(), str(GK.geonamesId): set(), str(GK.admin1Code): set()}
    for place, fact in store.select(_PLACE_FACTS).rows:
        holding[str(fact)].add(str(place))
    existing.populated = holding[str(GK.population)]
    existing.with_geonames = holding[str(GK.geonamesId)]
    existing.with_admin1 = holding[str(GK.admin1Code)]
    r = store.select(_EXISTING_RELATIONS)
    parties: dict[str, set[str]] = {}
    for rel, party in r.rows:
        parties.setdefault(str(rel), set()).add(str(party))
    existing.relations = {frozenset(p): rel for rel, p in parties.items() if len(p) == 2}
    r = store.select(_SEED_PLACES)
    seed: dict[str, dict[str, Any]] = {}
    for _place, wd, cc, label, lat, long in r.rows:
        qid = str(wd).rsplit("/", 1)[-1]
        info = seed.setdefault(qid, {"iso": "", "labels": set(), "coords": None})
        if cc is not None:
            info["iso"] = str(cc)
        if label is not None:
            info["labels"].add(str(label))
        if lat is not None and long is not None:
            info["coords"] = (float(lat), float(long))  # type: ignore[arg-type]  # lat/long are xsd literals
    return existing, seed


def _build_and_load(
    data_dir: Path,
    store: EmbeddedStore,
    while_loading: Callable[[World], T],
    snapshot: SnapshotSink | None = None,
) -> tuple[World, Emitted, dict[str, float], T]:
    """Build the world and load it into the store from a background thread, chunk by chunk: the
    places as soon as they are final (while the relations are merged), then the relations; then run
    ``while_loading(world)`` while the last chunks load (its result is returned last), and copy
    every chunk into ``snapshot``, if given, while the store indexes the last ones (the main thread
    has nothing else to do then)."""
    existing, seed = existing_in_store(store)
    links = read_accepted_links(store)
    before = len(store)
    writing = 0.0
    writer: WorldWriter | None = None
    graph = str(graph_iri(WORLD_GRAPH))
    chunks: list[str] = []  # for the snapshot
    # our own escaped N-Triples: parse leniently (no IRI re-validation), which is faster
    with BackgroundLoader(store.oxigraph, ox.NamedNode(graph), lenient=True) as loader:

        def put(chunk: str) -> None:
            loader.put(chunk)
            if snapshot is not None:
                chunks.append(chunk)

        def load_places(partial: World) -> None:  # partial: the world itself, its relations to come
            nonlocal writing, writer
            t = time.thread_time()
            it_names = partial.ledger.facts.get("italian-country-label", {})
            writer = WorldWriter(partial, existing, country_it_names=it_names)  # type: ignore[arg-type]
            for chunk in writer.place_chunks():
                put(chunk)
            writing += time.thread_time() - t

        world = build_world(Path(data_dir) / "sources", seed, places_ready=load_places, links=links)
        t = time.thread_time()
        assert writer is not None and writer.world is world
        for chunk in writer.relation_chunks():
            put(chunk)
        timings: dict[str, float] = dict(world.ledger.facts.get("timings", {}))  # type: ignore[call-overload]
        timings["rdf text"] = round(writing + time.thread_time() - t, 3)
        timings["load into store"] = 0.0
        linked: dict[str, int] = world.ledger.facts.get("accepted-links", {})  # type: ignore[assignment]
        retarget_links(store, {iri: writer.iris[pid] for iri, pid in linked.items()})
        extra = while_loading(world)
        if snapshot is not None:
            for chunk in chunks:
                snapshot.add_ntriples(chunk, graph)
            chunks.clear()
    timings["load into store"] = round(loader.seconds, 3)  # CPU seconds of the loading thread
    emitted = writer.emitted()
    emitted.triples = len(store) - before  # distinct triples (the text may repeat one)
    return world, emitted, timings, extra


def world_step(
    data_dir: Path, out_dir: Path, store: EmbeddedStore, *, snapshot: SnapshotSink | None = None
) -> StepReport:
    """The build step: load the world and write ``out/quality.{md,json}`` and ``out/rejects.csv``
    (and the world graph into ``snapshot``, if given).

    A data directory without ``sources/`` (a custom graph of RDF files only) has no world to build:
    the step says so in its name and adds nothing. A ``sources/`` folder with a missing or broken file
    is an error.
    """
    if not (Path(data_dir) / "sources").is_dir():
        return StepReport("world dataset: skipped, no sources/ folder", 0.0, {})
    with paused_gc():  # the world is let go (or parked) before the collector runs again
        world, emitted, report = run_world_step(data_dir, out_dir, store, snapshot=snapshot)
        keep_until_exit((world, emitted))
        del world, emitted
    return report


def run_world_step(
    data_dir: Path, out_dir: Path, store: EmbeddedStore, *, snapshot: SnapshotSink | None = None
) -> tuple[World, Emitted, StepReport]:
    """:func:`world_step`, also returning the merged world and the emitted RDF (for tests and benchmarks)."""
    t0 = time.perf_counter()
    graph = str(graph_iri(WORLD_GRAPH))
    with paused_gc():
        # the report is computed while the store loads the last chunks; its triple count comes after
        world, emitted, timings, q = _build_and_load(
            data_dir, store, lambda w: quality_data(w, triples=0, graph=graph, timings={}), snapshot
        )
        q["triples"] = emitted.triples
        q["timings_cpu_seconds"] = timings
        write_quality_data(q, world, Path(out_dir))
    per_n: dict[int, int] = {}
    for r in world.relations:
        per_n[len(r.sources)] = per_n.get(len(r.sources), 0) + 1
    counts = {
        "places": len(world.places),
        "relations": len(world.relations),
        "countries": emitted.countries,
        **{f"relations_{n}_sources": per_n[n] for n in sorted(per_n)},
        "rejects": len(world.ledger.rejects),
        "triples": emitted.triples,
    }
    counts.update({f"rows_{k}": v for k, v in world.ledger.rows_read.items()})
    return world, emitted, StepReport("world dataset", time.perf_counter() - t0, counts)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a block (restored after it, as it was).

    The world step creates a few million small, long-lived objects (places, labels, relations,
    index sets) and no reference cycles worth collecting: each automatic collection would walk
    all of them again, for nothing. Reference counting still frees everything as usual.

    >>> import gc
    >>> with paused_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
