#!/usr/bin/env bash
# Set up everything the tests need (venv, Chromium, Debian's Virtuoso) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
# The shared-endpoint tests run against Debian's Virtuoso; where it cannot be installed they are skipped
# with that reason (the rest of the suite does not need it).
scripts/virtuoso.sh install >&2 || echo "test: Debian's virtuoso-opensource could not be installed; its tests will be skipped" >&2
exec .venv/bin/python -m pytest "$@"
