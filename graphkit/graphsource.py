"""Open the graph a command works on: the last build's snapshot, or any RDF file(s) the user names.

>>> store = open_graph(["data/seed/assisi-koya.ttl"])
>>> len(store) > 100
True
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from graphkit.fileio import rdf_format_for
from graphkit.namespaces import graph_iri
from graphkit.paths import default_snapshot
from graphkit.store import EmbeddedStore, open_snapshot


def open_graph(paths: Sequence[str | Path] | None = None, *, out_dir: str | Path = "out") -> EmbeddedStore:
    """A store holding ``paths`` (each file its own named graph), or the build snapshot when none."""
    if not paths:
        return open_snapshot(default_snapshot(out_dir))
    store = EmbeddedStore()
    for p in paths:
        path = Path(p)
        rdf_format_for(path)
        store.load_file(path, graph=graph_iri("file/" + path.name))
    return store
