#!/usr/bin/env bash
# The main job on the embedded store: build + validate the graph from data/, run the headline
# queries, and write every output under out/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/graphkit build
echo "World dataset: what the cleaning did is in out/quality.md (and .json); dropped or unresolved items in out/rejects.csv."
# Interactive, offline HTML views (out/views/): the seed's knowledge view, Assisi's partners to
# depth 2, Italy–Japan, and the whole world placed by coordinates.
.venv/bin/graphkit view entity Assisi -o out/views/entity-assisi.html
.venv/bin/graphkit view ego Assisi --depth 2 -o out/views/ego-assisi-k2.html
.venv/bin/graphkit view countries IT JP -o out/views/countries-IT-JP.html
.venv/bin/graphkit view world -o out/views/world.html
# Link municipalities to Wikidata QIDs offline (gazetteers in data/sources/): out/linking/review.csv,
# links.ttl, report.md (prints the share of municipalities with a QID).
.venv/bin/graphkit link
# Network analysis of the built graph: statistics table (printed), report with plots in out/analysis/,
# degree/betweenness/community written back into out/graph.nq as the named graph graph/analysis/network.
.venv/bin/graphkit analyze --report-dir out/analysis --write-back
# On-disk index of the final out/graph.nq (out/graph.oxigraph/): cold `graphkit query` runs open it
# instead of loading the snapshot. Last, because --write-back above rewrites the snapshot.
.venv/bin/graphkit index
# Dossiers (out/dossiers/): everything the graph knows about Assisi and about Kōya (by its QID), with
# the network figures written back above.
.venv/bin/graphkit dossier Assisi
.venv/bin/graphkit dossier Q1346907
echo "Done: outputs are in out/ (graph.nq, graph.oxigraph/ index, build.json, quality.md, queries/, views/, linking/, analysis/, dossiers/)."
