"""The snapshot written while the graph loads (graphkit.build.snapshot) holds exactly the store."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from graphkit.build.pipeline import StepReport, build_graph
from graphkit.build.snapshot import SnapshotSink
from graphkit.store.embedded import EmbeddedStore

from .conftest import REPO

STREAMED = "https://example.org/graph/streamed"
LINES = [
    '<https://example.org/a> <https://example.org/p> "x . y" .',
    '<https://example.org/a> <https://example.org/p> "multi\\nline"@en .',
    "<https://example.org/a> <https://example.org/q> <https://example.org/b> .",
]


def streaming_step(text: str, *, stream: bool = True):  # type: ignore[no-untyped-def]
    """A build step that loads ``text`` into the STREAMED graph, copying it into the snapshot (if ``stream``)."""

    def step(
        data_dir: Path, out_dir: Path, store: EmbeddedStore, *, snapshot: SnapshotSink | None = None
    ) -> StepReport:
        store.load_data(text, "nt", graph=URIRef(STREAMED))
        if snapshot is not None and stream:
            snapshot.add_ntriples(text, STREAMED)
        return StepReport("streamed", 0.0, {})

    return step


def snapshot_lines(out: Path) -> list[str]:
    return (out / "graph.nq").read_text(encoding="utf-8").splitlines()


def reloaded(out: Path) -> set[str]:
    store = ox.Store()
    store.load(path=str(out / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    return {str(q) for q in store if not isinstance(q.subject, ox.BlankNode)}


def test_streamed_graph_first_then_every_other_graph_from_the_store(tmp_path: Path) -> None:
    report = build_graph(REPO / "data" / "seed", tmp_path, steps=[streaming_step("\n".join(LINES) + "\n")])
    lines = snapshot_lines(tmp_path)
    assert lines[:3] == [line[: -len(" .")] + f" <{STREAMED}> ." for line in LINES]
    assert len(lines) == len(set(lines)) == report.quads
    assert report.graphs[STREAMED] == 3
    assert json.loads((tmp_path / "build.json").read_text(encoding="utf-8"))["quads"] == len(lines)
    # the same content as pyoxigraph's own dump of the store (what a step that streams nothing gets)
    dumped = tmp_path / "dumped"
    build_graph(REPO / "data" / "seed", dumped, steps=[streaming_step("\n".join(LINES) + "\n", stream=False)])
    assert snapshot_lines(dumped)[:3] != lines[:3]
    assert reloaded(tmp_path) == reloaded(dumped)
    assert len(reloaded(tmp_path)) > 300


def test_a_triple_streamed_twice_falls_back_to_a_dump_of_the_store(tmp_path: Path) -> None:
    text = "\n".join([*LINES, LINES[0]]) + "\n"
    report = build_graph(REPO / "data" / "seed", tmp_path, steps=[streaming_step(text)])
    lines = snapshot_lines(tmp_path)
    assert len(lines) == len(set(lines)) == report.quads
    assert report.graphs[STREAMED] == 3


def test_a_chunk_must_be_whole_lines() -> None:
    import io

    sink = SnapshotSink(io.BytesIO())
    with pytest.raises(ValueError, match="whole N-Triples lines"):
        sink.add_ntriples(LINES[0], STREAMED)  # no final newline
