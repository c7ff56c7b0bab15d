"""One call for the whole ``graphkit analyze`` job: open the graph (or read an edge list into the
model), run the analysis, write the report, and optionally write the results back into the KG.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> outcome = analyze_and_report(AnalyzeRequest(graph_files=("data/seed/assisi-koya.ttl",), report_dir=out))
>>> outcome.result.stats.nodes, (out / "report.html").is_file()
(2, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphkit.analyze.pipeline import AnalysisResult, Filters, run_analysis


@dataclass(frozen=True)
class AnalyzeRequest:
    """What to analyse and where to write (``None``: do not write that output)."""

    edges_file: Path | None = None
    graph_files: Sequence[str | Path] = ()
    out_dir: Path = Path("out")
    report_dir: Path | None = None
    write_back_to: Path | None = None
    top: int = 10
    backend: str = "auto"
    seed: int = 42
    relation_types: Sequence[str] = ()
    statuses: Sequence[str] = ()
    countries: Sequence[str] = ()
    region: str | None = None
    include_areas: bool = False

    @classmethod
    def from_options(
        cls,
        *,
        edges_file: Path | None = None,
        graph_files: Sequence[str | Path] = (),
        out_dir: Path = Path("out"),
        report_dir: Path | None = None,
        no_report: bool = False,
        write_back: bool = False,
        **rest: Any,
    ) -> AnalyzeRequest:
        """The request ``graphkit analyze`` makes from its options: the report goes to ``report_dir``
        (default ``out/analysis``) unless ``no_report``; ``write_back`` updates the build's own snapshot,
        or, for other inputs (an edge list, given files), a new snapshot beside the report.

        >>> AnalyzeRequest.from_options(write_back=True).write_back_to
        PosixPath('out/graph.nq')
        >>> AnalyzeRequest.from_options(edges_file=Path("x.tsv"), write_back=True).write_back_to
        PosixPath('out/analysis/graph.nq')
        """
        reports = report_dir or out_dir / "analysis"
        snapshot = (reports if edges_file or graph_files else out_dir) / "graph.nq"
        return cls(
            edges_file=edges_file,
            graph_files=graph_files,
            out_dir=out_dir,
            report_dir=None if no_report else reports,
            write_back_to=snapshot if write_back else None,
            **rest,
        )

    def filters(self) -> Filters:
        """The projection filters of this request."""
        return Filters(
            relation_types=tuple(self.relation_types) or None,
            statuses=tuple(self.statuses) or None,
            countries=tuple(self.countries) or None,
            region=self.region,
            include_areas=self.include_areas,
        )


@dataclass
class AnalyzeOutcome:
    """The analysis and what was written (as lines for the terminal)."""

    result: AnalysisResult
    written: list[Path] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def analyze_and_report(request: AnalyzeRequest, *, show_progress: bool = False) -> AnalyzeOutcome:
    """Run the job described by ``request``."""
    from graphkit.store.open import open_graph

    messages = []
    if request.edges_file is not None:
        from graphkit.analyze.edgelist import edge_list_to_store, read_edge_list

        edges = read_edge_list(request.edges_file)
        store = edge_list_to_store(edges)
        description = f"edge list {edges.path.name}"
        messages.append(
            f"read {edges.path}: {len(edges.pairs)} edges, {len(edges.nodes)} nodes"
            f" ({edges.duplicates} repeated pairs and {edges.self_loops} self-loops skipped)"
        )
    else:
        store = open_graph(list(request.graph_files), out_dir=request.out_dir)
        names = ", ".join(str(p) for p in request.graph_files) or str(request.out_dir / "graph.nq")
        description = f"knowledge graph {names}"
    result = run_analysis(
        store,
        top=request.top,
        backend=request.backend,
        seed=request.seed,
        filters=request.filters(),
        description=description,
        show_progress=show_progress,
    )
    messages += [f"note: {line}" for line in result.notes]
    outcome = AnalyzeOutcome(result, messages=messages)
    if request.report_dir is not None:
        from graphkit.analyze.report import write_report

        outcome.written += write_report(result, request.report_dir)
        messages.append(f"wrote the report to {request.report_dir / 'report.html'} (and report.md, plots, JSON)")
    if request.write_back_to is not None:
        from graphkit.analyze.writeback import ANALYSIS_GRAPH, write_back

        n = write_back(store, result)
        store.dump(request.write_back_to, fmt="nq")
        outcome.written.append(request.write_back_to)
        messages.append(f"wrote {n} result triples as the named graph <{ANALYSIS_GRAPH}> into {request.write_back_to}")
    messages.append(f"analysis took {result.total_seconds:.1f} s ({result.backend} for the heavy steps)")
    return outcome
