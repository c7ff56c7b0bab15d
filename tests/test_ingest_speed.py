"""The machinery that makes the world ingest fast must not change what it produces.

* the background loader puts every chunk into the named graph, and a chunk that does not parse
  is an error in the caller's thread (with no half-loaded graph left behind);
* the forked reader returns exactly what reading in this process returns, and raises the
  readers' own errors;
* the fast keyword test of the cleaning rules answers like the regular expression it replaces,
  on every name of the sources;
* the N-Triples streamed into the store chunk by chunk are the whole document.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from graphkit.errors import GraphkitError, ParseError
from graphkit.ingest import hekman, l3viathan, yuboski
from graphkit.ingest.clean import _ANY_KIND_WORD, _MUNICIPAL_HINT_WORD, classify_kind
from graphkit.ingest.loader import BackgroundLoader
from graphkit.ingest.merge import reading_jobs
from graphkit.ingest.rdf import Existing, WorldWriter, emit_world
from graphkit.runtime.forks import ForkedWorker, fork_available

SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources"
GRAPH = ox.NamedNode("https://example.org/graph/world")
needs_fork = pytest.mark.skipif(not fork_available(), reason="no fork on this platform")


def _line(i: int) -> str:
    return f'<https://example.org/place/{i}> <http://www.w3.org/2000/01/rdf-schema#label> "Place {i}"@en .\n'


def test_background_loader_loads_every_chunk_into_the_named_graph() -> None:
    store = ox.Store()
    with BackgroundLoader(store, GRAPH) as loader:
        for start in range(0, 300, 100):
            loader.put("".join(_line(i) for i in range(start, start + 100)))
    assert loader.loaded == 3
    assert len(store) == 300
    assert {q.graph_name for q in store} == {GRAPH}
    labels = {q.object.value for q in store.quads_for_pattern(ox.NamedNode("https://example.org/place/42"), None, None)}
    assert labels == {"Place 42"}


def test_a_chunk_that_does_not_parse_is_a_parse_error_and_leaves_no_half_graph() -> None:
    store = ox.Store()
    with pytest.raises(ParseError, match="did not load"):
        with BackgroundLoader(store, GRAPH) as loader:
            loader.put(_line(1))
            loader.put('<https://example.org/broken> <https://example.org/p> "no end\n')
            loader.put(_line(2))
    assert len(store) == 0  # the first chunk, already loaded, is removed again


def test_the_callers_own_error_wins_over_loading() -> None:
    store = ox.Store()
    with pytest.raises(KeyError, match="while writing"):
        with BackgroundLoader(store, GRAPH) as loader:
            loader.put(_line(1))
            raise KeyError("while writing")
    assert len(store) == 0


def test_an_error_before_the_first_chunk_leaves_what_the_graph_had() -> None:
    store = ox.Store()
    store.load(_line(7), format=ox.RdfFormat.N_TRIPLES, to_graph=GRAPH)
    with pytest.raises(KeyError):
        with BackgroundLoader(store, GRAPH):
            raise KeyError("before any chunk")
    assert len(store) == 1


@needs_fork
def test_forked_reader_returns_what_reading_here_returns() -> None:
    jobs = reading_jobs(SOURCES)
    with ForkedWorker(jobs, parallel=True) as forked:
        assert forked.parallel
        got = {name: forked.get(name) for name, _, _ in reversed(jobs)}  # any order of asking
    assert forked.worker_seconds > 0.1  # the reading was done there
    with ForkedWorker(jobs, parallel=False) as serial:
        assert not serial.parallel
        expected = {name: serial.get(name) for name, _, _ in jobs}
    assert got == expected
    entries, ledger, names = got["gazetteer entries"]
    assert list(names.items())[:3] == list(expected["gazetteer entries"][2].items())[:3]  # same order
    assert got["yuboski rows"] == yuboski.read_rows(SOURCES / yuboski.SOURCE_ID)
    assert any(e.qid == "Q1346907" and e.iso == "JP" for e in entries)  # Kōya, from the dr5hn Japan file
    assert ledger.rules["japan-duplicate-qid-dropped"].count > 0


def _fail(message: str) -> None:
    raise ParseError(message)


def _die() -> None:
    os._exit(3)


@pytest.mark.parametrize("parallel", [True, False])
def test_a_reader_error_is_raised_where_its_result_is_asked_for(parallel: bool) -> None:
    if parallel and not fork_available():
        pytest.skip("no fork on this platform")
    jobs = [("ok", str.upper, ("a",)), ("broken", _fail, ("x.csv, line 3: bad row",)), ("later", str.upper, ("b",))]
    with ForkedWorker(jobs, parallel=parallel) as pre:
        assert pre.get("ok") == "A"
        with pytest.raises(ParseError, match="x.csv, line 3: bad row"):
            pre.get("broken")
        if parallel:  # the worker stopped at the error: what comes after it is that error too
            with pytest.raises(ParseError, match="bad row"):
                pre.get("later")


@needs_fork
def test_a_worker_that_dies_is_an_error_not_a_hang() -> None:
    with ForkedWorker([("dies", _die, ())], parallel=True) as pre:
        with pytest.raises(GraphkitError, match="exit code 3"):
            pre.get("dies")


def test_fast_kind_words_answer_like_the_regular_expression_on_every_source_name() -> None:
    names = {c for p in hekman.read_pairs(SOURCES / hekman.SOURCE_ID) for c in (p.city1, p.city2)}
    names |= {r.end_name for r in yuboski.read_rows(SOURCES / yuboski.SOURCE_ID)}
    names |= set(l3viathan.read_names(SOURCES / l3viathan.SOURCE_ID).values())
    names |= {"Präfektur Tokio", "Comunidad Autónoma de Madrid", "RÉGION Grand Est", "WARD 7", "Tarnów (rural gmina)"}
    assert len(names) > 15_000
    for name in names:
        assert _ANY_KIND_WORD.search(name) == bool(_ANY_KIND_WORD.any.search(name)), name
        assert _MUNICIPAL_HINT_WORD.search(name) == bool(_MUNICIPAL_HINT_WORD.any.search(name)), name
    assert classify_kind("Präfektur Tokio") == "prefecture"
    assert classify_kind("Shirak PROVINCE") == "province"


def test_the_streamed_chunks_are_the_whole_document(world) -> None:  # type: ignore[no-untyped-def]
    store, merged, emitted, out = world
    assert emitted.text == ""  # streamed into the store, not kept
    it_names = merged.ledger.facts.get("italian-country-label")
    whole = emit_world(merged, Existing(), country_it_names=it_names)
    writer = WorldWriter(merged, Existing(), country_it_names=it_names)
    chunks = list(writer.chunks(chunk_lines=50_000))
    assert len(chunks) > 5
    assert all(c.endswith(" .\n") for c in chunks)  # whole lines only
    assert "".join(chunks) == whole.text
    assert writer.lines == whole.triples == whole.text.count("\n") > 400_000
    assert writer.emitted().place_iris == emitted.place_iris
