"""Real local servers for the tests: `oxigraph serve` and `graphkit serve`, on free loopback ports.

Every server is started by a fixture and stopped by its finaliser; every wait is bounded.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, proc: subprocess.Popen[bytes] | None = None, timeout: float = 30.0) -> None:
    """Wait until ``url`` answers (any HTTP status), failing if ``proc`` exits or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    raise RuntimeError(f"no answer from {url} within {timeout} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate a server process (kill it if it does not stop within 10 s)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def oxigraph_binary() -> str:
    """The `oxigraph` CLI from the `oxigraph` PyPI package (a dev dependency)."""
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).is_file():
        pytest.fail("the oxigraph server binary is missing: run scripts/setup.sh (dev dependencies)")
    return found


@contextlib.contextmanager
def running_oxigraph() -> Iterator[str]:
    """An in-memory `oxigraph serve` (union default graph) on a free port; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/", proc)
        yield base
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def oxigraph_url() -> Iterator[str]:
    """Base URL of a session-wide oxigraph server (tests empty it with DROP ALL before use)."""
    with running_oxigraph() as base:
        yield base
