"""The world build step: read, clean and merge ``data/sources/``, load the result into the store as
the named graph ``graph/world``, and write the data-quality report.

Registered in :data:`graphkit.build.BUILD_STEPS`. Places and relations already in the store (the
seed story) are joined by their IRIs and QIDs, never duplicated.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graphkit.build import StepReport
from graphkit.ingest.merge import World, build_world
from graphkit.ingest.rdf import Emitted, Existing, emit_world
from graphkit.ingest.report import write_quality
from graphkit.namespaces import graph_iri
from graphkit.results import SelectResult
from graphkit.store import EmbeddedStore

WORLD_GRAPH = "world"

_SEED_PLACES = """
SELECT ?place ?wd ?cc ?label ?lat ?long WHERE {
  ?place gk:wikidata ?wd .
  VALUES ?class { gk:Municipality gk:AdministrativeArea gk:Region gk:Province gk:Prefecture gk:District }
  ?place a ?class .
  OPTIONAL { ?place gk:country/gk:countryCode ?cc }
  OPTIONAL { ?place rdfs:label ?label }
  OPTIONAL { ?place wgs84:lat ?lat ; wgs84:long ?long }
}"""
_EXISTING_PLACES = """
SELECT DISTINCT ?place WHERE {
  VALUES ?class { gk:Municipality gk:AdministrativeArea gk:Region gk:Province gk:Prefecture gk:District gk:Country }
  ?place a ?class .
}"""
_EXISTING_RELATIONS = "SELECT ?relation ?party WHERE { ?relation a gk:MunicipalRelation ; gk:party ?party }"


def existing_in_store(store: EmbeddedStore) -> tuple[Existing, dict[str, dict[str, Any]]]:
    """What the store already holds: places and relations (to join), and places with QIDs (to match)."""
    existing = Existing()
    r = store.query(_EXISTING_PLACES)
    assert isinstance(r, SelectResult)
    existing.places = {str(row[0]) for row in r.rows}
    r = store.query(_EXISTING_RELATIONS)
    assert isinstance(r, SelectResult)
    parties: dict[str, set[str]] = {}
    for rel, party in r.rows:
        parties.setdefault(str(rel), set()).add(str(party))
    existing.relations = {frozenset(p): rel for rel, p in parties.items() if len(p) == 2}
    r = store.query(_SEED_PLACES)
    assert isinstance(r, SelectResult)
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


def load_world(data_dir: Path, store: EmbeddedStore) -> tuple[World, Emitted, dict[str, float]]:
    """Build the world from ``data_dir/sources`` and load it into ``store`` (graph ``graph/world``)."""
    timings: dict[str, float] = {}
    t = time.process_time()
    existing, seed = existing_in_store(store)
    world = build_world(Path(data_dir) / "sources", seed)
    timings.update(world.ledger.facts.get("timings", {}))  # type: ignore[call-overload]
    t = time.process_time()
    it_names = world.ledger.facts.get("italian-country-label", {})
    emitted = emit_world(world, existing, country_it_names=it_names)  # type: ignore[arg-type]
    timings["rdf text"] = round(time.process_time() - t, 3)
    t = time.process_time()
    before = len(store)
    # our own escaped N-Triples: parse leniently (no IRI re-validation), which is faster
    store.oxigraph.load(
        emitted.text.encode(),
        format=ox.RdfFormat.N_TRIPLES,
        to_graph=ox.NamedNode(str(graph_iri(WORLD_GRAPH))),
        lenient=True,
    )
    timings["load into store"] = round(time.process_time() - t, 3)
    emitted.triples = len(store) - before  # distinct triples (the text may repeat one)
    return world, emitted, timings


def world_step(data_dir: Path, out_dir: Path, store: EmbeddedStore) -> StepReport:
    """The build step: load the world and write ``out/quality.{md,json}`` and ``out/rejects.csv``.

    A data directory without ``sources/`` (a custom graph of RDF files only) has no world to build:
    the step says so in its name and adds nothing. A ``sources/`` folder with a missing or broken file
    is an error.
    """
    if not (Path(data_dir) / "sources").is_dir():
        return StepReport("world dataset: skipped, no sources/ folder", 0.0, {})
    return run_world_step(data_dir, out_dir, store)[2]


def run_world_step(data_dir: Path, out_dir: Path, store: EmbeddedStore) -> tuple[World, Emitted, StepReport]:
    """:func:`world_step`, also returning the merged world and the emitted RDF (for tests and benchmarks)."""
    t0 = time.perf_counter()
    world, emitted, timings = load_world(data_dir, store)
    write_quality(world, Path(out_dir), triples=emitted.triples, graph=str(graph_iri(WORLD_GRAPH)), timings=timings)
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
