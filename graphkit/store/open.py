"""Open the graph a command works on: the last build's snapshot, or any RDF file(s) the user names.

With ``use_index=True`` the snapshot is opened from its on-disk index (``graphkit index``,
:mod:`graphkit.store.index`) when a fresh one exists: read-only, but ready in milliseconds. Otherwise it is
loaded into memory (writable, and faster for work that reads the whole graph many times).

>>> store = open_graph(["data/seed/assisi-koya.ttl"])
>>> len(store) > 100
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from graphkit.paths import default_snapshot
from graphkit.rdf.files import rdf_format_for
from graphkit.rdf.namespaces import graph_iri
from graphkit.store.embedded import EmbeddedStore, open_snapshot


def open_graph(
    paths: Sequence[str | Path] | None = None,
    *,
    out_dir: str | Path = "out",
    use_index: bool = False,
    notify: Callable[[str], None] | None = None,
) -> EmbeddedStore:
    """A store holding ``paths`` (each file its own named graph), or the build snapshot when none.

    ``use_index``: for the snapshot, open its fresh on-disk index read-only instead of loading the
    file (for a few queries in a new process; never for callers that add triples). ``notify`` gets a
    one-line note when an index exists but is stale. Stores of ``paths`` are in memory and writable.
    """
    if not paths:
        snapshot = default_snapshot(out_dir)
        if use_index:
            from graphkit.store.index import open_fresh_index

            indexed = open_fresh_index(snapshot, notify=notify)
            if indexed is not None:
                return indexed
        return open_snapshot(snapshot)
    store = EmbeddedStore()
    for p in paths:
        path = Path(p)
        rdf_format_for(path)
        store.load_file(path, graph=graph_iri("file/" + path.name))
    return store
