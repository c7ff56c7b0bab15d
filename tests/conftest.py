"""Shared fixtures: the repository paths, the seed article, a store built from the seed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from graphkit.build.pipeline import assemble
from graphkit.store.embedded import EmbeddedStore

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GRAPHKIT_SHARED", REPO.parent / "shared"))
SEED_ARTICLE = SHARED / "seed" / "assisi-japan-rome-meeting.it.txt"


@pytest.fixture(scope="session")
def article_text() -> str:
    """The seed article (read from ../shared, never copied into the project)."""
    if not SEED_ARTICLE.is_file():
        pytest.fail(f"seed article not found at {SEED_ARTICLE}; set GRAPHKIT_SHARED to the shared/ folder")
    return SEED_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_store() -> EmbeddedStore:
    """Ontology + the curated seed Turtle (no world dataset), as the build assembles them."""
    store, _ = assemble(REPO / "data", REPO / "out", steps=())
    return store


def run_cli(*args: str, cwd: Path | None = None, check: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the real `graphkit` entry point in a subprocess."""
    proc = subprocess.run(
        [sys.executable, "-m", "graphkit.cli", *args],
        cwd=cwd or REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"graphkit {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Seed + the world dataset built once per session from data/sources (graphkit.ingest):
    ``(store, world, emitted, out_dir)``; out_dir holds quality.json/md and rejects.csv."""
    from graphkit.build.world_step import run_world_step

    store, _ = assemble(REPO / "data", REPO / "out", steps=())
    out = tmp_path_factory.mktemp("world-out")
    merged, emitted, _report = run_world_step(REPO / "data", out, store)
    return store, merged, emitted, out


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """One headless Chromium (Debian's, through Playwright) for the whole session; missing is a failure."""
    from playwright.sync_api import sync_playwright

    from .headless import chromium_path, launch

    try:
        chromium_path()
    except FileNotFoundError as e:
        pytest.fail(str(e))
    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()
