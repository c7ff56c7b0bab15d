"""scripts/setup.sh on a system Python it must not touch (issue 17, item 0): the messages a user gets
when Python is missing, too old, or lacks venv/ensurepip (Debian's python3-venv), and that nothing is
installed then. (The full path, Debian's Python making .venv with uv inside, runs in CI: .ci/run step 3.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

BASH = shutil.which("bash") or "/bin/bash"


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "checkout"
    (project / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "scripts" / "setup.sh", project / "scripts" / "setup.sh")
    return project


def _shim(tmp_path: Path, python_body: str | None) -> Path:
    """A PATH folder with dirname, and a `python3` that runs this interpreter with a fake stdlib part."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "dirname").symlink_to(shutil.which("dirname") or "/usr/bin/dirname")
    if python_body is not None:
        fake = tmp_path / "fake-stdlib"
        fake.mkdir()
        (fake / "uv.py").write_text("raise ImportError('no uv here')\n")  # `python3 -m uv` fails
        (fake / "sitecustomize.py").write_text(python_body)
        py = bin_dir / "python3"
        py.write_text(f'#!/bin/sh\nPYTHONPATH="{fake}" exec "{sys.executable}" "$@"\n')
        py.chmod(0o755)
    return bin_dir


def _run(project: Path, bin_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "GRAPHKIT_PYTHON")}
    env["PATH"] = str(bin_dir)
    return subprocess.run([BASH, "scripts/setup.sh"], cwd=project, env=env, capture_output=True, text=True,
                          timeout=120)  # fmt: skip


def test_missing_venv_module_names_the_debian_package(tmp_path):
    project = _project(tmp_path)
    body = "import sys\nsys.modules['ensurepip'] = None  # as on Debian without python3-venv\n"
    proc = _run(project, _shim(tmp_path, body))
    assert proc.returncode == 1
    assert "venv/ensurepip modules are missing" in proc.stderr
    assert "sudo apt-get install python3-venv" in proc.stderr
    v = sys.version_info
    assert f"python{v[0]}.{v[1]}-venv" in proc.stderr
    assert not (project / ".venv").exists()  # nothing created, nothing installed


def test_too_old_python_is_refused(tmp_path):
    project = _project(tmp_path)
    body = "import sys\nsys.version_info = (3, 10, 12, 'final', 0)\n"
    proc = _run(project, _shim(tmp_path, body))
    assert proc.returncode == 1
    assert "is too old" in proc.stderr and "graphkit needs Python >= 3.11" in proc.stderr
    assert not (project / ".venv").exists()


def test_no_python_at_all(tmp_path):
    project = _project(tmp_path)
    proc = _run(project, _shim(tmp_path, None))
    assert proc.returncode == 1
    assert "no Python found ('python3' is not on PATH)" in proc.stderr
    assert "sudo apt-get install python3 python3-venv" in proc.stderr


def test_setup_never_pip_installs_into_the_system_python():
    text = (REPO / "scripts" / "setup.sh").read_text("utf-8")
    pip_lines = [ln.strip() for ln in text.splitlines() if "pip install" in ln and not ln.lstrip().startswith("#")]
    venv_pip = ("if .venv/bin/python -m pip", ".venv/bin/python -m pip")
    assert pip_lines and all(ln.startswith(venv_pip) for ln in pip_lines), pip_lines


@pytest.mark.skipif(not Path("/usr/bin/python3").exists(), reason="no Debian python3 on this machine")
def test_debian_python_is_externally_managed_here():
    """Why the above matters: pip refuses the system interpreter (PEP 668) where Debian marks it so."""
    marker = subprocess.run(["/usr/bin/python3", "-c", "import sysconfig; print(sysconfig.get_path('stdlib'))"],
                            capture_output=True, text=True, timeout=60).stdout.strip()  # fmt: skip
    if not (Path(marker) / "EXTERNALLY-MANAGED").exists():
        pytest.skip("this system Python is not marked externally managed")
    proc = subprocess.run(["/usr/bin/python3", "-m", "pip", "install", "--dry-run", "uv"], capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert proc.returncode != 0 and "externally-managed-environment" in proc.stderr + proc.stdout
