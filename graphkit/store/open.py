"""Open the graph a command works on: the last build's snapshot, or any RDF file(s) the user names.

The last build is found the way git finds ``.git``, so a notebook works from any folder: an explicit
``out_dir``; else the folder named by the environment variable ``GRAPHKIT_OUT``; else ``out/graph.nq``
in the working directory or the nearest folder above it that has one (:func:`find_snapshot`). When
none is found, the error says where it looked.

With ``use_index=True`` the snapshot is opened from its on-disk index (``graphkit index``,
:mod:`graphkit.store.index`) when a fresh one exists: read-only, but ready in milliseconds. Otherwise it is
loaded into memory (writable, and faster for work that reads the whole graph many times).

>>> store = open_graph(["data/seed/assisi-koya.ttl"])
>>> len(store) > 100
True
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from graphkit.errors import StoreError
from graphkit.paths import DEFAULT_OUT_DIR, default_snapshot
from graphkit.rdf.files import rdf_format_for
from graphkit.rdf.namespaces import graph_iri
from graphkit.store.display_labels import materialise_display_labels
from graphkit.store.embedded import EmbeddedStore, open_snapshot
from graphkit.store.publication import settle_outputs

#: The environment variable naming the output folder of the build to open (the folder holding graph.nq).
OUT_ENV = "GRAPHKIT_OUT"


def find_snapshot(out_dir: str | Path | None = None, *, start: str | Path | None = None) -> Path:
    """The snapshot of the last build: ``out_dir/graph.nq`` when ``out_dir`` is given; else
    ``$GRAPHKIT_OUT/graph.nq``; else ``out/graph.nq`` in ``start`` (the working directory) or the
    nearest folder above it that has one.

    Raises :class:`~graphkit.errors.StoreError` naming the folders it looked in when there is none
    (with ``out_dir``, the path is returned as is: :func:`open_graph` reports a missing file).

    >>> find_snapshot("build")
    PosixPath('build/graph.nq')
    """
    if out_dir is not None:
        return default_snapshot(out_dir)
    named = os.environ.get(OUT_ENV)
    if named:
        base = Path(named).expanduser()
        snapshot = base if base.suffix == ".nq" else default_snapshot(base)
        if not snapshot.is_file():
            raise StoreError(
                f"{OUT_ENV}={named}, but there is no built graph at {snapshot.absolute()}; point {OUT_ENV} at "
                "the output folder of a build (the one holding graph.nq), or run `graphkit build --out` there"
            )
        return snapshot
    here = Path(start if start is not None else Path.cwd()).resolve()
    looked = [here, *here.parents]
    for folder in looked:
        snapshot = default_snapshot(folder / DEFAULT_OUT_DIR)
        if snapshot.is_file():
            return snapshot
    raise StoreError(
        f"no built graph found: {OUT_ENV} is not set, and none of these folders has out/graph.nq: "
        f"{', '.join(str(f) for f in looked)}; run `graphkit build` in the project folder, "
        f"set {OUT_ENV} to the build's output folder, or pass the files to open"
    )


def open_graph(
    paths: Sequence[str | Path] | None = None,
    *,
    out_dir: str | Path | None = None,
    use_index: bool = False,
    notify: Callable[[str], None] | None = None,
) -> EmbeddedStore:
    """A store holding ``paths`` (each file its own named graph), or the build snapshot when none:
    the one in ``out_dir``, else the one :func:`find_snapshot` finds from the working directory.

    ``use_index``: for the snapshot, open its fresh on-disk index read-only instead of loading the
    file (for a few queries in a new process; never for callers that add triples). ``notify`` gets a
    one-line note when an index exists but is stale. Stores of ``paths`` are in memory and writable.
    """
    if not paths:
        snapshot = find_snapshot(out_dir)
        settle_outputs(snapshot.parent)  # a build killed while publishing: its outputs completed first
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
    materialise_display_labels(store)
    return store
