"""Where graphkit finds its ontology, data and outputs.

The ontology and shapes ship in ``ontology/`` next to the package; data and outputs default to
``data/`` and ``out/`` in the current directory (the repository root when run as documented).

>>> ontology_files()[0].name
'graphkit.ttl'
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_ROOT.parent
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
QUERIES_DIR = PROJECT_ROOT / "queries"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
DEFAULT_DATA_DIR = Path("data")
DEFAULT_OUT_DIR = Path("out")
SNAPSHOT_NAME = "graph.nq"


def ontology_files() -> list[Path]:
    """The ontology and vocabulary files (not the shapes), in load order."""
    return [ONTOLOGY_DIR / "graphkit.ttl", ONTOLOGY_DIR / "vocab.ttl"]


def default_snapshot(out_dir: str | Path = DEFAULT_OUT_DIR) -> Path:
    """The N-Quads snapshot ``graphkit build`` writes, ``out/graph.nq`` by default."""
    return Path(out_dir) / SNAPSHOT_NAME
