"""Debian's headless Chromium, driven by Playwright: where it is and how it starts, for the browser
tests and ``bench/bench_viz.py`` (never ``playwright install``: it downloads from the internet)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

#: Headless, no sandbox (root in CI), and none of the background traffic Chromium makes on its own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """``$GRAPHKIT_CHROMIUM``, else ``chromium`` (or ``chromium-browser``) on the PATH.

    Raises FileNotFoundError saying how to install it.
    """
    wanted = os.environ.get("GRAPHKIT_CHROMIUM")
    found = (
        (shutil.which(wanted) or (wanted if Path(wanted).is_file() else None))
        if wanted
        else shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if not found:
        raise FileNotFoundError(
            f"Chromium not found ({wanted or 'chromium on the PATH'}): the browser tests need Debian's chromium "
            "(run `bash scripts/setup.sh --browser`, or set GRAPHKIT_CHROMIUM)"
        )
    return found


def launch(playwright: Any) -> Any:
    """A headless Chromium browser from a ``sync_playwright()`` context."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
