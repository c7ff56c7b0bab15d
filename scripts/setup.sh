#!/usr/bin/env bash
# Set up (or update) the project's virtual environment in .venv from pyproject.toml + uv.lock.
# Usage: scripts/setup.sh [--browser]   (--browser also installs Debian's Chromium for browser tests)
#
# Never installs anything into the system Python (Debian/Ubuntu mark it "externally managed", PEP 668):
#   - uv on PATH (or importable by the chosen Python): `uv sync` makes .venv with the locked versions;
#   - otherwise .venv is made with `python3 -m venv`, uv is installed inside it with the venv's pip, and
#     that uv syncs .venv (keeping itself: --inexact); where no uv wheel installs, the venv's pip installs
#     the project and its dev extras (unpinned: a warning says so).
# GRAPHKIT_PYTHON picks the interpreter (default: python3 on PATH); it must be Python >= 3.11.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${GRAPHKIT_PYTHON:-python3}"
say() { echo "setup: $*" >&2; }

python_ok() {  # the interpreter exists and is >= 3.11
  command -v "$PY" >/dev/null 2>&1 && "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
}

need_python() {
  if ! command -v "$PY" >/dev/null 2>&1; then
    say "no Python found ('$PY' is not on PATH). graphkit needs Python >= 3.11;"
    say "on Debian/Ubuntu: sudo apt-get install python3 python3-venv (or set GRAPHKIT_PYTHON to an interpreter)"
    exit 1
  fi
  if ! python_ok; then
    say "$("$PY" -c 'import sys; print(sys.executable, sys.version.split()[0])' 2>/dev/null || echo "$PY") is too old:"
    say "graphkit needs Python >= 3.11 (set GRAPHKIT_PYTHON to a newer interpreter, or install uv, which finds one)"
    exit 1
  fi
}

venv_python_works() { [ -x .venv/bin/python ] && .venv/bin/python -c 'import sys' >/dev/null 2>&1; }

make_venv() {  # .venv with the standard library's venv module (and pip, from ensurepip)
  if venv_python_works && .venv/bin/python -m pip --version >/dev/null 2>&1; then
    return
  fi
  if ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    local ver
    ver="$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
    say "$PY cannot create a virtual environment: its venv/ensurepip modules are missing."
    say "On Debian/Ubuntu add the package python3-venv (or python${ver}-venv):"
    say "  sudo apt-get install python3-venv"
    say "then run this script again (or install uv: https://docs.astral.sh/uv/)."
    exit 1
  fi
  [ -e .venv ] && { say "replacing the broken .venv"; rm -rf .venv; }
  say "creating .venv with $PY -m venv"
  "$PY" -m venv .venv
}

SYNC_FLAGS=(--quiet --extra dev --compile-bytecode)
UV=()
if command -v uv >/dev/null 2>&1; then
  UV=(uv)
elif [ -x .venv/bin/uv ] && .venv/bin/uv --version >/dev/null 2>&1; then
  UV=(.venv/bin/uv); SYNC_FLAGS+=(--inexact)  # uv lives in .venv itself: do not let the sync remove it
elif command -v "$PY" >/dev/null 2>&1 && "$PY" -m uv --version >/dev/null 2>&1; then
  UV=("$PY" -m uv)
else
  need_python
  make_venv
  say "installing uv into .venv (not into the system Python)"
  if .venv/bin/python -m pip install --quiet --disable-pip-version-check uv; then
    UV=(.venv/bin/uv); SYNC_FLAGS+=(--inexact)
  fi
fi

if [ ${#UV[@]} -gt 0 ]; then
  # uv sync creates .venv (or reuses the one above) with the locked versions, graphkit in editable mode.
  # Bytecode is compiled up front (dependencies and graphkit itself): where PYTHONDONTWRITEBYTECODE is set,
  # Python would otherwise recompile every module at each start, which doubles the start-up of a command.
  "${UV[@]}" sync "${SYNC_FLAGS[@]}"
else
  say "warning: uv could not be installed; installing with the venv's pip instead (versions NOT pinned by uv.lock)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
fi
.venv/bin/python -m compileall -q graphkit >/dev/null

if [ "${1:-}" = "--browser" ] && ! command -v chromium >/dev/null 2>&1; then
  say "installing Debian's chromium for the browser tests"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
# A Japanese font, so that names such as 高野町 show as glyphs (not boxes) in the views' screenshots.
if [ "${1:-}" = "--browser" ] && command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=ja 2>/dev/null)" ]; then
  say "installing a Japanese font (fonts-ipafont-gothic) for the browser screenshots"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-ipafont-gothic >/dev/null \
    || { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-ipafont-gothic >/dev/null; }
fi
