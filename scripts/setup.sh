#!/usr/bin/env bash
# Set up (or update) the project's virtual environment in .venv from pyproject.toml + uv.lock.
# Usage: scripts/setup.sh [--browser]   (--browser also installs Debian's Chromium for browser tests)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v uv >/dev/null 2>&1 && ! python3 -m uv --version >/dev/null 2>&1; then
  echo "setup: installing uv (Python package manager) with pip" >&2
  python3 -m pip install --quiet --disable-pip-version-check uv
fi
UV="uv"; command -v uv >/dev/null 2>&1 || UV="python3 -m uv"

# uv sync creates .venv with the locked versions, installs graphkit in editable mode.
# Bytecode is compiled up front (dependencies and graphkit itself): where PYTHONDONTWRITEBYTECODE is set,
# Python would otherwise recompile every module at each start, which doubles the start-up of a command.
$UV sync --quiet --extra dev --compile-bytecode
.venv/bin/python -m compileall -q graphkit >/dev/null

if [ "${1:-}" = "--browser" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "setup: installing Debian's chromium for the browser tests" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
# A Japanese font, so that names such as 高野町 show as glyphs (not boxes) in the views' screenshots.
if [ "${1:-}" = "--browser" ] && command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=ja 2>/dev/null)" ]; then
  echo "setup: installing a Japanese font (fonts-ipafont-gothic) for the browser screenshots" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-ipafont-gothic >/dev/null \
    || { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-ipafont-gothic >/dev/null; }
fi
