"""A build that is killed, interrupted or rejected leaves the previous outputs as they were, no orphan
process and no mixed files (graphkit.store.publication, graphkit.runtime.forks)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graphkit.store.open import open_graph
from graphkit.store.publication import JOURNAL, publish, remove_stale_staging, staging_dir

from .conftest import REPO

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for child processes")


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            kids.append(int(stat.parent.name))
    return kids


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _build(out: Path, data: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "graphkit.cli", "build", "--data", str(data), "--out", str(out)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_children(proc: subprocess.Popen[str], timeout: float = 240) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        kids = _children(proc.pid)
        if kids:
            return kids
        time.sleep(0.02)
    pytest.fail("the build forked no worker before it ended")


def _snapshot_of(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def seed_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the seed story and the world's sources (a real build, forked workers and all)."""
    data = tmp_path_factory.mktemp("data")
    shutil.copytree(REPO / "data" / "seed", data / "seed")
    shutil.copytree(REPO / "data" / "sources", data / "sources")
    return data


def test_sigkill_mid_build_leaves_no_orphan_and_the_old_outputs(tmp_path: Path, seed_data: Path) -> None:
    out = tmp_path / "out"
    first = subprocess.run(
        [sys.executable, "-m", "graphkit.cli", "build", "--data", str(REPO / "data" / "seed"), "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert first.returncode == 0, first.stderr
    before = _snapshot_of(out)
    proc = _build(out, seed_data)
    workers = _wait_for_children(proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    assert [w for w in workers if _alive(w)] == []  # children die with their parent
    assert {k: v for k, v in _snapshot_of(out).items() if not k.startswith(".build-")} == before
    # the next build removes what the killed one left (its staging folder)
    assert remove_stale_staging(out) != [] and not list(out.glob(".build-*"))


def test_sigint_publishes_nothing_of_the_aborted_build(tmp_path: Path, seed_data: Path) -> None:
    out = tmp_path / "out"
    proc = _build(out, seed_data)
    _wait_for_children(proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and err.strip().splitlines()[-1] in ("aborted", "interrupted")
    assert not (out / "graph.nq").exists() and not (out / "quality.json").exists()
    assert not (out / "rejects.csv").exists() and not list(out.glob(".build-*"))


def test_a_rejected_build_replaces_no_report(tmp_path: Path, seed_data: Path) -> None:
    out = tmp_path / "out"
    (out).mkdir()
    (out / "quality.json").write_text('{"from": "the last good build"}\n')
    (out / "rejects.csv").write_text("kept\n")
    broken = seed_data.parent / "broken-data"
    shutil.copytree(seed_data, broken)
    (broken / "seed" / "bad.ttl").write_text(
        "@prefix gk: <https://w3id.org/graphkit/ontology#> .\n<https://x.org/r> a gk:MunicipalRelation .\n"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "graphkit.cli", "build", "--data", str(broken), "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1 and "does not conform" in proc.stderr
    assert (out / "quality.json").read_text() == '{"from": "the last good build"}\n'
    assert (out / "rejects.csv").read_text() == "kept\n" and (out / "validation.txt").is_file()
    assert not (out / "graph.nq").exists() and not list(out.glob(".build-*"))


def test_a_publication_killed_half_way_is_completed_by_the_next_reader(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.nq").write_text("<https://x.org/old> <https://x.org/p> <https://x.org/o> .\n")
    (out / "build.json").write_text('{"build": "old"}\n')
    with staging_dir(out) as stage:
        (stage / "graph.nq").write_text("<https://x.org/new> <https://x.org/p> <https://x.org/o> .\n")
        (stage / "build.json").write_text('{"build": "new"}\n')
        # as if killed right after the snapshot's rename: the journal is there, build.json not yet moved
        (out / JOURNAL).write_text(json.dumps({"staging": stage.name, "files": ["graph.nq", "build.json"]}))
        os.replace(stage / "graph.nq", out / "graph.nq")
        store = open_graph(out_dir=out)
        assert json.loads((out / "build.json").read_text()) == {"build": "new"}  # never old beside new
        assert len(store) == 1 and not (out / JOURNAL).exists()


def test_publish_moves_everything_build_json_last(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with staging_dir(out) as stage:
        for name in ("build.json", "graph.nq", "quality.md", "queries/mous.csv"):
            (stage / name).parent.mkdir(parents=True, exist_ok=True)
            (stage / name).write_text(name)
        assert publish(stage, out)[-1] == "build.json"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "build.json",
        "graph.nq",
        "quality.md",
        "queries/mous.csv",
    ]
