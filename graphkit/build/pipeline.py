"""Build the knowledge graph: ontology + every RDF file in ``data/`` (+ registered build steps),
validate it, write the snapshot and the headline query results.

Each RDF file becomes one named graph (``graph/<path relative to data/>``), so every triple keeps
the file it came from. Extra steps (such as the world dataset ingest) register in
:data:`BUILD_STEPS` and add their own named graphs.

Nothing is written unless everything succeeded: a parse error or a SHACL violation leaves the
previous ``out/graph.nq`` in place.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> report = build_graph("data", out, steps=())
>>> report.conforms, (out / "graph.nq").is_file()
(True, True)
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from rdflib import URIRef

from graphkit.build.report import BuildReport, StepReport
from graphkit.build.snapshot import SnapshotSink
from graphkit.build.world_step import world_step
from graphkit.errors import InputError, ValidationError
from graphkit.paths import ONTOLOGY_DIR, SNAPSHOT_NAME, ontology_files
from graphkit.rdf.files import RDF_EXTENSIONS, warn_if_outside, write_text_atomic, writing_into
from graphkit.rdf.namespaces import graph_iri
from graphkit.runtime.forks import in_forked_processes, in_thread, parallel_enabled, parallelism
from graphkit.runtime.progress import progress
from graphkit.runtime.teardown import keep_until_exit
from graphkit.sparql.catalogue import list_queries, run_named_query
from graphkit.sparql.results import SelectResult, render
from graphkit.store.display_labels import materialise_display_labels
from graphkit.store.embedded import EmbeddedStore
from graphkit.store.publication import build_lock, publish, staging_dir
from graphkit.validate.validator import ValidationReport, validate_store

__all__ = ["BuildReport", "BuildStep", "StepReport", "build_graph", "assemble", "graph_sizes", "rdf_files"]


class BuildStep(Protocol):
    """A build step: given the data directory, the output directory and the store, add to the store.

    Every step takes the keyword ``snapshot`` (the snapshot file being written, see
    :mod:`graphkit.build.snapshot`, or None): a step that loads N-Triples text it wrote itself may
    copy it there; graphs it does not copy are written from the store at the end.
    """

    def __call__(
        self, data_dir: Path, out_dir: Path, store: EmbeddedStore, *, snapshot: SnapshotSink | None = None
    ) -> StepReport: ...


#: Steps run after the RDF files are loaded (the world dataset ingest registers here).
BUILD_STEPS: list[BuildStep] = [world_step]


def rdf_files(data_dir: str | Path) -> list[Path]:
    """Every RDF file under ``data_dir`` (by extension), sorted; ``sources/`` holds raw inputs, not RDF.
    A file that is a symbolic link out of ``data_dir`` is kept, with a warning."""
    root = Path(data_dir)
    if not root.is_dir():
        raise InputError(f"{root}: no such data directory")
    files = sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix.lower() in RDF_EXTENSIONS
        and not p.name.startswith(".")
        and "sources" not in p.relative_to(root).parts[:1]
    )
    for p in files:
        warn_if_outside(p, root)
    return files


def load_ontology_into(store: EmbeddedStore) -> None:
    """Load the ontology and vocabularies, each into its own named graph."""
    for f in ontology_files():
        store.load_file(f, graph=graph_iri("ontology/" + f.relative_to(ONTOLOGY_DIR).as_posix()))


def assemble(
    data_dir: str | Path = "data",
    out_dir: str | Path = "out",
    *,
    steps: Sequence[BuildStep] | None = None,
    show_progress: bool = False,
    snapshot: SnapshotSink | None = None,
) -> tuple[EmbeddedStore, list[StepReport]]:
    """Load ontology, RDF files and build steps into a fresh store (nothing is written but what the
    steps copy into ``snapshot``)."""
    store = EmbeddedStore()
    reports: list[StepReport] = []
    t0 = time.perf_counter()
    load_ontology_into(store)
    files = rdf_files(data_dir)
    for f in progress(files, desc="loading RDF", enabled=show_progress):
        store.load_file(f, graph=graph_iri(f.relative_to(data_dir).as_posix()))
    reports.append(StepReport("load RDF files", time.perf_counter() - t0, {"files": len(files), "quads": len(store)}))
    for step in BUILD_STEPS if steps is None else steps:
        reports.append(step(Path(data_dir), Path(out_dir), store, snapshot=snapshot))
    t0 = time.perf_counter()
    labelled = materialise_display_labels(store)
    reports.append(StepReport("display labels", time.perf_counter() - t0, {"nodes": labelled}))
    return store, reports


def build_graph(
    data_dir: str | Path = "data",
    out_dir: str | Path = "out",
    *,
    validate: bool = True,
    steps: Sequence[BuildStep] | None = None,
    show_progress: bool = False,
    parallel: bool = False,
) -> BuildReport:
    """Build, validate and write ``out/graph.nq``, ``out/build.json``, the headline query CSVs (and what
    the steps write, e.g. the world's ``quality.*`` and ``rejects.csv``).

    Raises :class:`~graphkit.errors.ValidationError` (with the report) on SHACL violations, and
    :class:`~graphkit.errors.ParseError` on a broken RDF file; in both cases nothing is written
    except ``out/validation.txt`` for violations. Every output is staged, then published together
    (:mod:`graphkit.store.publication`): an interrupted build leaves the previous outputs as they were.

    ``parallel=True`` (what ``graphkit build`` passes) spreads the work over the machine's cores: a
    forked worker reads the source files, and once the graph is assembled SHACL validation and the
    headline queries each run in a forked child beside the snapshot writer (:mod:`graphkit.runtime.forks`).
    By default everything runs in this process, one step after the other, with the same outputs.
    """
    out = Path(out_dir)
    # disk full, read-only: one line naming out/ (the previous outputs stay: nothing was published)
    with writing_into(out), build_lock(out), staging_dir(out) as stage, parallelism(parallel):
        report = _build_into(Path(data_dir), out, stage, validate=validate, steps=steps, show_progress=show_progress)
        publish(stage, out)
        (out / "validation.txt").unlink(missing_ok=True)  # the last build's violations, now fixed
    return report


def _build_into(
    data_dir: Path,
    out: Path,
    stage: Path,
    *,
    validate: bool,
    steps: Sequence[BuildStep] | None,
    show_progress: bool,
) -> BuildReport:
    """The build, every output written under ``stage`` (named as it will be under ``out``)."""
    with (stage / SNAPSHOT_NAME).open("wb") as file:
        sink = SnapshotSink(file)
        store, reports = assemble(data_dir, stage, steps=steps, show_progress=show_progress, snapshot=sink)
        t0 = time.perf_counter()
        if sink.streamed:
            sink.finish(store)  # before a fork: nothing left in the file's buffer to inherit
    jobs: list[tuple[Callable[..., object], tuple[EmbeddedStore]]] = [(headline_results, (store,))]
    if validate:
        jobs.append((timed_validation, (store,)))
    children = in_forked_processes(jobs)
    graphs = graph_sizes(store)
    complete = bool(sink.streamed) and sink.quads == sum(graphs.values())
    # no step streamed its graph, or a streamed chunk held a triple twice: the store is the truth
    dumping = None
    if not complete:
        dumping = in_thread(store.write_file, stage / SNAPSHOT_NAME, "nq") if parallel_enabled() else None
        if dumping is None:
            store.write_file(stage / SNAPSHOT_NAME, "nq")
    report, seconds = children[1].result() if validate else (None, 0.0)
    headline = children[0].result()
    if dumping is not None:
        dumping.result()
    if report is not None:
        reports.append(StepReport("validate (SHACL)", seconds, {"violations": len(report.violations)}))
        if not report.conforms:
            write_text_atomic(out / "validation.txt", report.full_text())
            raise ValidationError(
                f"the graph does not conform to the shapes: {len(report.violations)} violation(s); "
                f"see {out / 'validation.txt'} (nothing else was written)",
                report,
            )
    for name, text in headline.items():
        write_text_atomic(stage / "queries" / f"{name}.csv", text)
    published = sorted(p.relative_to(stage) for p in stage.rglob("*") if p.is_file())
    outputs = [out / SNAPSHOT_NAME] + [out / p for p in published if p.as_posix() != SNAPSHOT_NAME]
    reports.append(StepReport("SHACL + queries", time.perf_counter() - t0, {"files": len(outputs)}))
    # every quad is in one named graph: their sum is len(store), without a second count of the store
    result = BuildReport(out / SNAPSHOT_NAME, sum(graphs.values()), graphs, reports, True, 0, outputs)
    result.outputs.append(out / "build.json")
    write_text_atomic(stage / "build.json", json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n")
    keep_until_exit(store)  # only inside the command line's parking(): it ends without freeing it quad by quad
    return result


def timed_validation(store: EmbeddedStore) -> tuple[ValidationReport, float]:
    """:func:`~graphkit.validate.validator.validate_store` and the seconds it took."""
    t0 = time.perf_counter()
    report = validate_store(store)
    return report, time.perf_counter() - t0


def headline_results(store: EmbeddedStore) -> dict[str, str]:
    """The rows of every catalogue query marked ``# headline: yes``, as CSV text by query name."""
    results = {}
    for q in list_queries():
        if not q.headline:
            continue
        result = run_named_query(store, q.name)
        if isinstance(result, SelectResult):
            results[q.name] = render(result, "csv")
    return results


def graph_sizes(store: EmbeddedStore) -> dict[str, int]:
    """Quads per named graph. The world graph (when built) is counted as the rest of ``len(store)``:
    every quad is in exactly one named graph, and this spares a scan of ~470k quads."""
    world = graph_iri("world")
    graphs = store.graphs()
    sizes = {str(g): _count(store, g) for g in graphs if g != world}
    if world in graphs:
        sizes[str(world)] = len(store) - sum(sizes.values())
    return dict(sorted(sizes.items()))


def _count(store: EmbeddedStore, graph: URIRef) -> int:
    r = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", bindings={"g": graph})
    return int(r.column("n")[0])
