#!/usr/bin/env bash
# The main job on the embedded store: build + validate the graph from data/, run the headline
# queries, and write every output under out/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/graphkit build
echo "Done: outputs are in out/ (graph.nq, build.json, queries/*.csv)."
