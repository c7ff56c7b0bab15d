"""The on-disk index (graphkit.store.index, `graphkit index`): same answers as the in-memory store,
freshness against the snapshot, atomic builds, read-only, and the CLI using it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from graphkit.build.pipeline import assemble
from graphkit.errors import ParseError, ReadOnlyStoreError, StoreError
from graphkit.rdf.namespaces import ID, graph_iri, place_iri
from graphkit.sparql.catalogue import run_named_query
from graphkit.sparql.results import AskResult, GraphResult, SelectResult
from graphkit.store.embedded import open_snapshot
from graphkit.store.index import (
    MARKER_NAME,
    build_index,
    default_index_dir,
    index_is_fresh,
    index_status,
    open_fresh_index,
    open_index,
)
from graphkit.store.open import open_graph

from .conftest import REPO, run_cli

FIXTURE = Path(__file__).parent / "fixtures" / "cq-world.ttl"
SOURCE = str(ID["source/"])
AGGREGATE = """SELECT ?city (COUNT(DISTINCT ?partner) AS ?partners)
WHERE { ?city a gk:Municipality ; gk:partnerOf ?partner }
GROUP BY ?city ORDER BY DESC(?partners) STR(?city)"""


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ontology + seed + the small catalogue fixture world, written as a build snapshot."""
    out = tmp_path_factory.mktemp("index-out")
    store, _ = assemble(REPO / "data", out, steps=())
    store.load_file(FIXTURE, graph=graph_iri("test/cq-world.ttl"))
    return store.dump(out / "graph.nq", fmt="nq")


@pytest.fixture(scope="module")
def pair(snapshot: Path):  # type: ignore[no-untyped-def]
    """(the snapshot loaded in memory, the same snapshot through its index)."""
    build_index(snapshot)
    return open_snapshot(snapshot), open_index(snapshot)


def _cell(v: object) -> object:
    # GROUP_CONCAT order is unspecified in SPARQL: compare the concatenated parts as a set
    return tuple(sorted(v.split())) if isinstance(v, str) and " " in v else v


def _rows(result: SelectResult) -> list[tuple[object, ...]]:
    return sorted((tuple(_cell(r[v]) for v in result.variables) for r in result.records()), key=repr)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("active-relations-between-countries", {}),
        ("one-sided-relations", {}),
        ("relation-sources", {}),
        ("conflicting-sources", {}),
        ("municipality-degree", {"country": "IT"}),
        ("mous", {}),
        ("representatives", {"municipality": "gkid:place/Q20103"}),
        ("agreements-per-year", {}),
    ],
)
def test_catalogue_queries_through_the_index_equal_the_in_memory_store(pair, name, params):
    memory, indexed = pair
    expected = run_named_query(memory, name, params)
    got = run_named_query(indexed, name, params)
    assert isinstance(got, SelectResult) and got.variables == expected.variables
    assert _rows(got) == _rows(expected)
    assert got.rows, f"{name}: the fixture should give rows, or the comparison proves nothing"


def test_specific_answers_through_the_index(pair):
    _, indexed = pair
    sources = {
        r["relation"]: (r["sourceCount"], set(r["sources"].split()))
        for r in run_named_query(indexed, "relation-sources", {}).records()
    }
    assert sources[str(ID["relation/florence-kyoto"])] == (
        3,
        {SOURCE + s for s in ("hekman-twincities", "yuboski-itwiki-gemellaggi", "l3viathan-wikidata-p190")},
    )
    assert sources[str(ID["relation/assisi-koya"])] == (1, {SOURCE + "seed-article"})
    top = indexed.query(AGGREGATE).records()
    memory_top = pair[0].query(AGGREGATE).records()
    assert top == memory_top and top[0]["partners"] >= 2


def test_store_api_on_the_index(pair, tmp_path):
    memory, indexed = pair
    assert len(indexed) == len(memory) > 1000
    assert indexed.graphs() == memory.graphs()
    assert graph_iri("test/cq-world.ttl") in indexed.graphs()
    ask = "ASK { ?r gk:party ?p }"
    assert isinstance(indexed.query(ask), AskResult) and bool(indexed.query(ask)) is True
    construct = "CONSTRUCT { ?r gk:party ?p } WHERE { ?r gk:party ?p }"
    got = indexed.query(construct)
    assert isinstance(got, GraphResult) and set(got.triples) == set(memory.query(construct).triples)
    # bound parameters work the same (no text substitution)
    q = "SELECT ?p WHERE { ?r gk:party ?p } ORDER BY ?p"
    b = {"r": ID["relation/assisi-koya"]}
    assert indexed.query(q, bindings=b).records() == memory.query(q, bindings=b).records()

    # dump/serialize: quads keep their graphs (blank node labels differ between loads); triple formats merge them
    def ground(nq: bytes) -> set[bytes]:
        return {line for line in nq.splitlines() if b"_:" not in line}

    nq = indexed.serialize("nq")
    assert len(nq.splitlines()) == len(memory) and ground(nq) == ground(memory.serialize("nq"))
    ttl = indexed.dump(tmp_path / "all.ttl")
    assert isomorphic(Graph().parse(ttl, format="turtle"), memory.to_rdflib())


def test_writes_on_the_index_are_clear_errors(pair):
    _, indexed = pair
    assert indexed.read_only
    n = len(indexed)
    with pytest.raises(ReadOnlyStoreError, match=r"the index .*graph\.oxigraph is read-only"):
        indexed.load_data('<https://x.org/a> <https://x.org/p> "1" .', "nt")
    with pytest.raises(ReadOnlyStoreError, match="read-only"):
        indexed.add_quads([(URIRef("https://x.org/a"), URIRef("https://x.org/p"), Literal(1), graph_iri("x"))])
    g = Graph()
    g.add((URIRef("https://x.org/a"), URIRef("https://x.org/p"), Literal(1)))
    with pytest.raises(ReadOnlyStoreError, match="read-only"):
        indexed.add_graph(g, graph_iri("x"))
    with pytest.raises(ReadOnlyStoreError, match="read-only"):
        indexed.load_file(FIXTURE)
    assert len(indexed) == n


def _copy_snapshot(snapshot: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    return Path(shutil.copy2(snapshot, out / "graph.nq"))


def test_marker_and_staleness_after_the_snapshot_changes(snapshot, tmp_path):
    snap = _copy_snapshot(snapshot, tmp_path)
    info = build_index(snap)
    assert info.path == tmp_path / "out" / "graph.oxigraph" == default_index_dir(snap)
    import json

    marker = json.loads((info.path / MARKER_NAME).read_text(encoding="utf-8"))
    assert marker["snapshot"]["size"] == snap.stat().st_size
    assert marker["snapshot"]["mtime_ns"] == snap.stat().st_mtime_ns
    assert marker["quads"] == info.quads == len(open_snapshot(snap))
    assert index_is_fresh(snap)
    assert open_graph(out_dir=snap.parent, use_index=True).read_only

    with snap.open("a", encoding="utf-8") as f:  # what a rebuild or analyze --write-back does: new content
        f.write('<https://x.org/new> <https://x.org/p> "new" <https://x.org/g> .\n')
    status = index_status(snap)
    assert (status.state, status.reason) == ("stale", f"{snap} changed since the index was built")
    notes: list[str] = []
    assert open_fresh_index(snap, notify=notes.append) is None
    assert len(notes) == 1 and "stale" in notes[0] and "`graphkit index`" in notes[0]
    store = open_graph(out_dir=snap.parent, use_index=True, notify=notes.append)
    assert not store.read_only and len(store) == info.quads + 1  # the snapshot, loaded in memory

    rebuilt = build_index(snap)  # replaces the old index in place
    assert rebuilt.quads == info.quads + 1 and index_is_fresh(snap)
    assert sorted(p.name for p in snap.parent.iterdir()) == ["graph.nq", "graph.oxigraph"]


def test_writers_get_an_in_memory_store_even_with_a_fresh_index(snapshot, tmp_path):
    snap = _copy_snapshot(snapshot, tmp_path)
    build_index(snap)
    store = open_graph(out_dir=snap.parent)  # the default: what analyze --write-back and the builders use
    assert not store.read_only
    store.load_data('<https://x.org/a> <https://x.org/p> "1" .', "nt", graph=graph_iri("x"))
    assert len(store) == len(open_snapshot(snap)) + 1


def test_failed_build_leaves_no_index(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    snap = out / "graph.nq"
    snap.write_text('<https://x.org/a> <https://x.org/p> "1" <https://x.org/g> .\n<https://x.org/b> broken\n')
    with pytest.raises(ParseError, match="not valid N-Quads"):
        build_index(snap)
    assert sorted(p.name for p in out.iterdir()) == ["graph.nq"]  # no index, no temporary directory


def test_interrupted_build_keeps_the_old_index(snapshot, tmp_path, monkeypatch):
    snap = _copy_snapshot(snapshot, tmp_path)
    old = build_index(snap)
    before = (old.path / MARKER_NAME).read_text(encoding="utf-8")
    snap.touch()

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("graphkit.rdf.files.write_text_atomic", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_index(snap)
    assert sorted(p.name for p in snap.parent.iterdir()) == ["graph.nq", "graph.oxigraph"]
    assert (old.path / MARKER_NAME).read_text(encoding="utf-8") == before  # the old one, untouched
    assert index_status(snap).state == "stale"


def test_orphans_of_a_killed_build_are_removed(snapshot, tmp_path):
    snap = _copy_snapshot(snapshot, tmp_path)
    dead = snap.parent / ".graph.oxigraph.tmp-999999999-abcd"  # no such process
    (dead / "store").mkdir(parents=True)
    build_index(snap)
    assert not dead.exists()


def test_refuses_to_replace_a_directory_that_is_not_an_index(snapshot, tmp_path):
    snap = _copy_snapshot(snapshot, tmp_path)
    precious = snap.parent / "graph.oxigraph" / "thesis.txt"
    precious.parent.mkdir()
    precious.write_text("keep me")
    with pytest.raises(StoreError, match="is not a graphkit index"):
        build_index(snap)
    assert precious.read_text() == "keep me"


def test_no_snapshot_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match=r"no built graph at .*graph\.nq; run `graphkit build` first"):
        build_index(tmp_path / "graph.nq")
    proc = run_cli("index", "--out", str(tmp_path))
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1].startswith("error: no built graph at")
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "graph.oxigraph").exists()


def test_cli_index_then_query_uses_it(snapshot, tmp_path):
    snap = _copy_snapshot(snapshot, tmp_path)
    out = str(snap.parent)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?r a gk:MunicipalRelation }"
    assisi = place_iri(qid="Q20103")
    label = f'SELECT ?l WHERE {{ <{assisi}> rdfs:label ?l FILTER(LANG(?l) = "en") }}'

    proc = run_cli("index", "--out", out, check=True)
    assert "indexed" in proc.stdout and "graph.oxigraph" in proc.stdout
    assert run_cli("index", "--check", "--out", out).returncode == 0
    n = run_cli("query", count, "--out", out, "-f", "csv", check=True).stdout
    assert n == run_cli("query", count, "--out", out, "-f", "csv", "--no-index", check=True).stdout
    assert int(n.split()[-1]) >= 10

    # Evidence that `graphkit query` reads the index: change a label in the snapshot keeping its size
    # and modification time (the freshness marker cannot see that); the index still has the old one.
    stat = snap.stat()
    text = snap.read_bytes()
    assert text.count(b'"Assisi"@en') == 1
    snap.write_bytes(text.replace(b'"Assisi"@en', b'"Assisx"@en'))
    os.utime(snap, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert run_cli("query", label, "--out", out, "-f", "csv", check=True).stdout.split() == ["l", "Assisi"]
    assert run_cli("query", label, "--out", out, "-f", "csv", "--no-index", check=True).stdout.split() == [
        "l",
        "Assisx",
    ]

    # a real change (new mtime) makes it stale: ignored with a one-line note, the snapshot is loaded
    snap.touch()
    proc = run_cli("query", label, "--out", out, "-f", "csv", check=True)
    assert proc.stdout.split() == ["l", "Assisx"]
    assert proc.stderr.count("\n") == 1 and "stale index" in proc.stderr and "`graphkit index`" in proc.stderr
    check = run_cli("index", "--check", "--out", out)
    assert check.returncode == 1 and check.stdout == ""
    assert check.stderr.startswith(
        f"error: {default_index_dir(snap)}: stale ({snap} changed since the index was built)"
    )

    assert run_cli("index", "--out", out, check=True).returncode == 0
    assert run_cli("query", label, "--out", out, "-f", "csv", check=True).stdout.split() == ["l", "Assisx"]
    assert run_cli("index", "--remove", "--out", out, check=True).stdout.startswith("removed")
    assert not default_index_dir(snap).exists()


def test_analyze_write_back_with_a_fresh_index_gets_a_writable_store(tmp_path):
    """analyze --write-back adds triples: it must work while an index exists, and leave it stale."""
    out = tmp_path / "out"
    out.mkdir()
    open_graph([Path(__file__).parent / "fixtures" / "analyze" / "small-kg.ttl"]).dump(out / "graph.nq")
    run_cli("index", "--out", str(out), check=True)
    proc = run_cli("analyze", "--out", str(out), "--write-back", "--no-report", "--top", "3", check=True)
    assert "graph/analysis/network" in proc.stderr
    assert index_status(out / "graph.nq").state == "stale"
    q = "SELECT ?degree WHERE { ?m gk:degree ?degree ; gk:wikidata wd:Q3437 }"
    res = run_cli("query", q, "--format", "csv", "--out", str(out), check=True)
    assert res.stdout.split() == ["degree", "2"] and "stale index" in res.stderr


def test_failed_swap_puts_the_old_index_back(snapshot, tmp_path, monkeypatch):
    snap = _copy_snapshot(snapshot, tmp_path)
    old = build_index(snap)
    before = (old.path / MARKER_NAME).read_text(encoding="utf-8")
    real_rename = os.rename

    def rename(src, dst):  # type: ignore[no-untyped-def]
        if Path(src).name.startswith(".graph.oxigraph.tmp-"):
            raise OSError(16, "Device or resource busy")
        real_rename(src, dst)

    monkeypatch.setattr("graphkit.store.index.os.rename", rename)
    with pytest.raises(
        StoreError, match=r"could not move the new index into .*graph\.oxigraph \(Device or resource busy\)"
    ):
        build_index(snap)
    assert sorted(p.name for p in snap.parent.iterdir()) == ["graph.nq", "graph.oxigraph"]
    assert (old.path / MARKER_NAME).read_text(encoding="utf-8") == before and index_is_fresh(snap)
