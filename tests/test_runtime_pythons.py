"""A library call leaves the interpreter as it found it, on every supported Python (3.11-3.13).

After ``build_graph()`` in a process that runs an extra thread (as a Jupyter kernel does): no warning
is printed (Python 3.12 warns when a multi-threaded process forks), no object stays frozen by the
collector (3.12 starts with objects already frozen, which an earlier version never unfroze), and
reference cycles made afterwards are collected. Each interpreter gets a small venv (uv, cached
between runs) with graphkit installed in editable mode from this checkout.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

VERSIONS = ("3.11", "3.12", "3.13")

PROGRAM = r"""
import gc, sys, tempfile, threading, time, warnings, weakref
warnings.simplefilter("default")          # show DeprecationWarnings, as a notebook does
threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
frozen = gc.get_freeze_count()
import graphkit
report = graphkit.build_graph("data/seed", tempfile.mkdtemp())
assert report.conforms
class Node: pass
refs = []
for _ in range(1000):
    a, b = Node(), Node()
    a.b, b.a = b, a
    refs.append(weakref.ref(a))
del a, b
gc.collect()
print(sys.version_info[:2], frozen, gc.get_freeze_count(), sum(r() is not None for r in refs))
"""


def _uv() -> str | None:
    """uv on PATH, or the one scripts/setup.sh installed into this venv (setups on a system Python)."""
    beside = Path(sys.executable).parent / "uv"
    return shutil.which("uv") or (str(beside) if beside.is_file() else None)


def _interpreter(version: str) -> str | None:
    """A python{version} on this machine: this one, uv's, one on PATH, or pyenv's."""
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        return sys.executable
    uv = _uv()
    if uv:
        found = subprocess.run([uv, "python", "find", "--no-python-downloads", version], capture_output=True, text=True)
        if found.returncode == 0 and found.stdout.strip():
            return found.stdout.strip()
    candidates = [shutil.which(f"python{version}") or ""]
    pyenv_root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    candidates += sorted(glob.glob(f"{pyenv_root}/versions/{version}.*/bin/python"), reverse=True)
    for path in candidates:
        if path and subprocess.run([path, "-c", "import sys"], capture_output=True).returncode == 0:
            return path
    return None


def _venv_for(python: str) -> Path:
    """A venv with graphkit (editable, this checkout) for ``python``; made once per interpreter and lock file."""
    uv = _uv() or pytest.skip("uv is not installed (scripts/setup.sh installs it)")
    key = hashlib.sha256(f"{python}|{(REPO / 'uv.lock').read_bytes().hex()[:4096]}|{REPO}".encode()).hexdigest()[:12]
    venv = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "graphkit-test-venvs" / key
    marker = venv / ".ready"
    if not marker.exists():
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([uv, "venv", "-q", "--python", python, str(venv)], check=True, timeout=300)
        env = {**os.environ, "VIRTUAL_ENV": str(venv)}
        subprocess.run([uv, "pip", "install", "-q", "-e", str(REPO)], check=True, env=env, timeout=600)
        marker.touch()
    return venv


@pytest.mark.parametrize("version", VERSIONS)
def test_build_graph_leaves_the_interpreter_as_it_found_it(version: str) -> None:
    python = _interpreter(version)
    if python is None:
        pytest.skip(f"no Python {version} on this machine (uv or pyenv can install it)")
    venv = _venv_for(python)
    proc = subprocess.run(
        [str(venv / "bin" / "python"), "-c", PROGRAM], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "", f"Python {version} printed: {proc.stderr}"
    _, frozen_before, frozen_after, alive = proc.stdout.strip().rsplit(" ", 3)
    assert proc.stdout.startswith(f"({version.replace('.', ', ')})")
    assert frozen_after == frozen_before  # the collector's frozen generation as it was
    assert alive == "0"  # cycles made after the build are collected


def test_the_public_api_is_all_and_only_all() -> None:
    import graphkit

    assert sorted(graphkit.__all__) == sorted(["__version__", *graphkit._EXPORTS])
    for name in graphkit._EXPORTS:
        assert getattr(graphkit, name).__name__ == name
