"""Shared fixtures: the repository paths, the seed article, a store built from the seed.

The seed article is third-party prose that the project must not copy: it sits beside the checkout
(``../shared/seed``, or ``$GRAPHKIT_SHARED/seed``) on the maintainers' machines and in CI. Where it is
absent, the tests that need it are skipped with one reason (:data:`NO_ARTICLE`), and the line before
pytest's summary says how many were skipped and why; every other test runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Generator
from pathlib import Path

import pytest

from graphkit.build.pipeline import assemble
from graphkit.store.embedded import EmbeddedStore

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GRAPHKIT_SHARED", REPO.parent / "shared"))
SEED_ARTICLE = SHARED / "seed" / "assisi-japan-rome-meeting.it.txt"


#: The one reason every test that needs the seed article gives when it is skipped.
NO_ARTICLE = (
    "the seed article is not beside this checkout: set GRAPHKIT_SHARED to check the evidence offsets against it"
)


@pytest.fixture(scope="session")
def article_text() -> str:
    """The seed article (read from ../shared, never copied into the project); absent: the test is skipped.

    When GRAPHKIT_SHARED is set, the article must be there: a wrong path fails instead of skipping.
    """
    if SEED_ARTICLE.is_file():
        return SEED_ARTICLE.read_text(encoding="utf-8")
    if os.environ.get("GRAPHKIT_SHARED"):
        pytest.fail(f"GRAPHKIT_SHARED is set, but the seed article is not at {SEED_ARTICLE}")
    pytest.skip(NO_ARTICLE)


@pytest.fixture(scope="session")
def article_path(article_text: str) -> Path:
    """Where the seed article is (skipped like :func:`article_text` when absent)."""
    return SEED_ARTICLE


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> Generator[None]:
    """Just above pytest's closing line: how many tests were skipped, and why, one line per reason
    (a wrapper run first, so its lines come after pytest's own summary sections)."""
    yield
    reasons: Counter[str] = Counter()
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = getattr(report, "longrepr", None)
        text = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
        reasons[text.removeprefix("Skipped: ")] += 1
    for reason, n in reasons.most_common():
        terminalreporter.write_line(f"{n} skipped: {reason}", yellow=True, bold=True)


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
    from graphkit.store.display_labels import materialise_display_labels

    store, _ = assemble(REPO / "data", REPO / "out", steps=())
    out = tmp_path_factory.mktemp("world-out")
    merged, emitted, _report = run_world_step(REPO / "data", out, store)
    materialise_display_labels(store)  # as the build does after its steps
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
