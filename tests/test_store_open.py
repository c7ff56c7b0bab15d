"""open_graph() from anywhere (issue 17, item 5): GRAPHKIT_OUT, or out/graph.nq found upward from the
working directory the way git finds .git; when there is none, the error says where it looked."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.errors import StoreError
from graphkit.store.embedded import EmbeddedStore
from graphkit.store.open import OUT_ENV, find_snapshot, open_graph

from .conftest import REPO

SEED = REPO / "data" / "seed" / "assisi-koya.ttl"


def _build(out: Path, source: Path = SEED) -> int:
    """A snapshot as `graphkit build` leaves it (N-Quads in out/graph.nq); its number of quads."""
    store = EmbeddedStore()
    store.load_file(source)
    out.mkdir(parents=True, exist_ok=True)
    store.dump(out / "graph.nq")
    return len(store)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv(OUT_ENV, raising=False)
    return monkeypatch


def test_a_notebook_deep_inside_the_project_finds_the_last_build(tmp_path, clean_env):
    n = _build(tmp_path / "project" / "out")
    notebooks = tmp_path / "project" / "notebooks" / "2026" / "week-48"
    notebooks.mkdir(parents=True)
    clean_env.chdir(notebooks)
    assert find_snapshot() == tmp_path / "project" / "out" / "graph.nq"
    store = open_graph()
    assert len(store) == n
    assert store.query("ASK { ?p gk:wikidata wd:Q20103 }").value  # Assisi, from the seed


def test_the_nearest_build_wins(tmp_path, clean_env):
    _build(tmp_path / "out")
    inner = _build(tmp_path / "sub" / "out", REPO / "tests" / "fixtures" / "viz-small.ttl")
    clean_env.chdir(tmp_path / "sub")
    assert find_snapshot() == tmp_path / "sub" / "out" / "graph.nq"
    assert len(open_graph()) == inner


def test_graphkit_out_opens_a_build_anywhere(tmp_path, clean_env):
    n = _build(tmp_path / "builds" / "monday")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _build(elsewhere / "out", REPO / "tests" / "fixtures" / "viz-small.ttl")  # GRAPHKIT_OUT beats the upward search
    clean_env.chdir(elsewhere)
    clean_env.setenv(OUT_ENV, str(tmp_path / "builds" / "monday"))
    assert len(open_graph()) == n
    clean_env.setenv(OUT_ENV, str(tmp_path / "builds" / "monday" / "graph.nq"))  # the file itself also works
    assert len(open_graph()) == n


def test_an_explicit_out_dir_beats_both(tmp_path, clean_env):
    n = _build(tmp_path / "mine")
    _build(tmp_path / "out", REPO / "tests" / "fixtures" / "viz-small.ttl")
    clean_env.chdir(tmp_path)
    clean_env.setenv(OUT_ENV, str(tmp_path / "nowhere"))
    assert len(open_graph(out_dir=tmp_path / "mine")) == n
    with pytest.raises(StoreError, match="no built graph at"):
        open_graph(out_dir=tmp_path / "absent")


def test_a_wrong_graphkit_out_is_named_in_the_error(tmp_path, clean_env):
    clean_env.setenv(OUT_ENV, str(tmp_path / "typo"))
    with pytest.raises(StoreError) as e:
        open_graph()
    assert str(e.value).startswith(f"{OUT_ENV}={tmp_path / 'typo'}, but there is no built graph at ")
    assert str(tmp_path / "typo" / "graph.nq") in str(e.value)


def test_no_build_anywhere_says_where_it_looked(tmp_path, clean_env):
    start = (tmp_path / "a" / "b").resolve()
    start.mkdir(parents=True)
    above = [start, *start.parents]
    if any((d / "out" / "graph.nq").is_file() for d in above):
        pytest.skip("a folder above the temporary directory holds out/graph.nq")
    clean_env.chdir(start)
    with pytest.raises(StoreError) as e:
        open_graph()
    msg = str(e.value)
    head = f"no built graph found: {OUT_ENV} is not set, and none of these folders has out/graph.nq: "
    assert msg.startswith(head)
    assert msg.removeprefix(head).split("; ")[0] == ", ".join(str(d) for d in above)  # from here up to /
    assert msg.endswith("run `graphkit build` in the project folder, set GRAPHKIT_OUT to the build's output folder, "
                        "or pass the files to open")


def test_files_given_never_look_for_a_build(tmp_path, clean_env):
    clean_env.chdir(tmp_path)
    assert len(open_graph([SEED])) > 100


def test_cli_keeps_its_out_folder(tmp_path):
    from .conftest import run_cli

    proc = run_cli("info", "--no-index", cwd=tmp_path)
    assert proc.returncode == 1
    expected = "error: no built graph at out/graph.nq; run `graphkit build` first (or pass --graph FILE)"
    assert proc.stderr.strip() == expected
