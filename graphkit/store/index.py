"""The on-disk index: a persistent pyoxigraph store of the build snapshot, for fast cold queries.

``graphkit build`` writes ``out/graph.nq``; every command then loads it into memory (~1.5 s for the
world graph) before it can answer. :func:`build_index` bulk-loads the snapshot once into an on-disk
store next to it (``out/graph.oxigraph/``); a new process opens that read-only in a few
milliseconds, so a cold ``graphkit query`` pays only for the query. Building it takes several
seconds, which is why it is an explicit step (``graphkit index``) and not part of the build.
Queries that scan much of the graph or return many rows run 1.5-3x slower on disk than in memory,
so only commands that run a few queries use it (:func:`graphkit.store.open.open_graph` with
``use_index=True``).

The index directory holds the store (``store/``) and a freshness marker (``index.json``: the
snapshot's size, modification time in nanoseconds and quad count, graphkit's index format and the
pyoxigraph version). The index is used only while the marker matches the snapshot: rebuilding
the graph or ``graphkit analyze --write-back`` rewrites the snapshot and so makes the index stale.
An index is built in a temporary directory and renamed into place, so there is never a
half-built one.

>>> import tempfile
>>> from pathlib import Path
>>> d = Path(tempfile.mkdtemp())
>>> _ = (d / "graph.nq").write_text('<https://x.org/a> <https://x.org/p> "1" <https://x.org/g> .\\n')
>>> info = build_index(d / "graph.nq")
>>> info.quads, info.path.name, index_is_fresh(d / "graph.nq")
(1, 'graph.oxigraph', True)
>>> store = open_index(d / "graph.nq")
>>> store.read_only, store.query("SELECT ?o WHERE { ?s ?p ?o }").records()
(True, [{'o': '1'}])
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphkit.errors import ParseError, StoreError, one_line
from graphkit.store.embedded import EmbeddedStore

#: Bump when the layout of the index directory or the marker changes: older indexes become stale.
INDEX_FORMAT = 1
INDEX_SUFFIX = ".oxigraph"
MARKER_NAME = "index.json"
STORE_DIR_NAME = "store"


@dataclass(frozen=True)
class IndexInfo:
    """What :func:`build_index` made."""

    path: Path
    snapshot: Path
    quads: int
    seconds: float
    size_bytes: int

    def summary(self) -> str:
        """One line for the terminal."""
        return (
            f"indexed {self.quads:,} quads of {self.snapshot} into {self.path} in {self.seconds:.1f} s"
            f" ({self.size_bytes / 1e6:.0f} MB); `graphkit query` and `graphkit info` now read it\n"
        )


@dataclass(frozen=True)
class IndexStatus:
    """Whether an index exists next to a snapshot and still matches it."""

    path: Path
    state: str  # "fresh", "stale" or "missing"
    reason: str = ""
    quads: int | None = None

    @property
    def fresh(self) -> bool:
        """True when the index may stand in for the snapshot."""
        return self.state == "fresh"

    def summary(self) -> str:
        """One line for the terminal."""
        if self.state == "fresh":
            return f"{self.path}: fresh ({self.quads:,} quads)\n"
        if self.state == "stale":
            return f"{self.path}: stale ({self.reason}); run `graphkit index` to rebuild it\n"
        return f"{self.path}: no index; run `graphkit index` to create one\n"


def default_index_dir(snapshot: str | Path) -> Path:
    """Where the index of ``snapshot`` lives: next to it, ``out/graph.nq`` → ``out/graph.oxigraph``.

    >>> default_index_dir("out/graph.nq").as_posix()
    'out/graph.oxigraph'
    """
    return Path(snapshot).with_suffix(INDEX_SUFFIX)


def build_index(snapshot: str | Path, index_dir: str | Path | None = None, show_progress: bool = False) -> IndexInfo:
    """Bulk-load the N-Quads ``snapshot`` into an on-disk store at ``index_dir`` (default: next to it).

    The store is built in a temporary directory beside the target and renamed into place; an old
    index there is replaced only once the new one is complete. If anything fails (or the build is
    interrupted) the temporary directory is removed and the old index, if any, is left as it was.
    Raises :class:`StoreError` when there is no snapshot, or when the snapshot changed meanwhile.
    """
    import pyoxigraph as ox

    snap = Path(snapshot)
    target = Path(index_dir) if index_dir is not None else default_index_dir(snap)
    if not snap.is_file():
        raise StoreError(f"no built graph at {snap}; run `graphkit build` first")
    _check_replaceable(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_orphans(target)
    started = time.perf_counter()
    before = snap.stat()
    tmp = _sibling(target, "tmp")
    try:
        tmp.mkdir()
        try:
            store = ox.Store(str(tmp / STORE_DIR_NAME))
        except OSError as e:
            raise StoreError(f"cannot create the index in {tmp}: {one_line(e)}") from None
        try:
            with _source(snap, show_progress) as source:
                store.bulk_load(format=ox.RdfFormat.N_QUADS, lenient=True, **source)  # our own escaped N-Quads
            store.flush()
            store.optimize()
            quads = len(store)
        except SyntaxError as e:
            raise ParseError(f"{snap}: not valid N-Quads: {one_line(e)}") from None
        except (OSError, ValueError) as e:
            raise StoreError(f"could not build the index in {tmp}: {one_line(e)}") from None
        finally:
            del store  # closes the database (and releases its lock) before the directory is renamed
        if _stamp(snap.stat()) != _stamp(before):
            raise StoreError(f"{snap} changed while it was being indexed; run `graphkit index` again")
        marker = {
            "format": INDEX_FORMAT,
            "graphkit_version": _graphkit_version(),
            "pyoxigraph_version": ox.__version__,
            "snapshot": {"path": str(snap.resolve()), **_stamp(before)},
            "quads": quads,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        from graphkit.rdf.files import write_text_atomic

        write_text_atomic(tmp / MARKER_NAME, json.dumps(marker, indent=2) + "\n")
        size = sum(f.stat().st_size for f in tmp.rglob("*") if f.is_file())
        _swap_into_place(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return IndexInfo(target, snap, quads, time.perf_counter() - started, size)


def index_status(snapshot: str | Path, index_dir: str | Path | None = None) -> IndexStatus:
    """Whether the index of ``snapshot`` exists and matches it (a stat and a small JSON read: cheap).

    An index is stale when the snapshot's size or modification time differ from those recorded
    when it was built, or when it was built by another index format or pyoxigraph version.
    """
    snap = Path(snapshot)
    path = Path(index_dir) if index_dir is not None else default_index_dir(snap)
    marker_file = path / MARKER_NAME
    if not path.exists():
        return IndexStatus(path, "missing")
    try:
        marker = json.loads(marker_file.read_text(encoding="utf-8"))
        recorded = {k: int(marker["snapshot"][k]) for k in ("size", "mtime_ns")}
        fmt, ox_version, quads = int(marker["format"]), str(marker["pyoxigraph_version"]), int(marker["quads"])
    except (OSError, ValueError, KeyError, TypeError):
        return IndexStatus(path, "stale", f"no readable {MARKER_NAME}")
    try:
        current = _stamp(snap.stat())
    except OSError:
        return IndexStatus(path, "stale", f"{snap} does not exist")
    if fmt != INDEX_FORMAT:
        return IndexStatus(path, "stale", f"index format {fmt}, this graphkit reads {INDEX_FORMAT}")
    import pyoxigraph as ox

    if ox_version != ox.__version__:
        return IndexStatus(path, "stale", f"built with pyoxigraph {ox_version}, this is {ox.__version__}")
    if current != recorded:
        return IndexStatus(path, "stale", f"{snap} changed since the index was built")
    return IndexStatus(path, "fresh", quads=quads)


def index_is_fresh(snapshot: str | Path, index_dir: str | Path | None = None) -> bool:
    """True when an index of ``snapshot`` exists and still matches it (see :func:`index_status`)."""
    return index_status(snapshot, index_dir).fresh


def open_index(snapshot: str | Path, index_dir: str | Path | None = None, *, check: bool = True) -> EmbeddedStore:
    """The index of ``snapshot`` as a read-only :class:`EmbeddedStore`.

    With ``check`` (the default) a missing or stale index raises :class:`StoreError`.
    """
    status = index_status(snapshot, index_dir)
    if check and not status.fresh:
        raise StoreError(status.summary().strip())
    return _open(status)


def _open(status: IndexStatus) -> EmbeddedStore:
    import pyoxigraph as ox

    try:
        store = ox.Store.read_only(str(status.path / STORE_DIR_NAME))
    except OSError as e:
        raise StoreError(
            f"{status.path}: cannot open the index ({one_line(e)}); run `graphkit index` to rebuild it"
        ) from None
    return EmbeddedStore.from_oxigraph(store, read_only=True, name=f"the index {status.path}")


def open_fresh_index(snapshot: str | Path, *, notify: Callable[[str], None] | None = None) -> EmbeddedStore | None:
    """The index of ``snapshot`` when it is fresh, else None (the caller loads the snapshot).

    ``notify`` gets one line when an index exists but cannot be used (stale or unreadable).
    """
    status = index_status(snapshot)
    if status.state == "missing":
        return None
    if status.state == "stale":
        if notify is not None:
            notify(f"note: ignoring the stale index {status.path} ({status.reason}); `graphkit index` refreshes it")
        return None
    try:
        return _open(status)
    except StoreError as e:
        if notify is not None:
            notify(f"note: {e}; loading the snapshot instead")
        return None


def remove_index(snapshot: str | Path, index_dir: str | Path | None = None) -> bool:
    """Delete the index of ``snapshot`` if there is one; True when something was removed."""
    target = Path(index_dir) if index_dir is not None else default_index_dir(snapshot)
    if not target.exists():
        return False
    _check_replaceable(target)
    trash = _sibling(target, "old")
    os.rename(target, trash)
    shutil.rmtree(trash, ignore_errors=True)
    return True


def _stamp(st: os.stat_result) -> dict[str, int]:
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _graphkit_version() -> str:
    from graphkit.version import VERSION

    return VERSION


def _check_replaceable(target: Path) -> None:
    """Refuse to replace a directory that is not an index (a wrong ``--out`` must not delete data)."""
    if not target.exists():
        return
    if not target.is_dir():
        raise StoreError(f"{target} exists and is not a directory; not replacing it")
    names = {p.name for p in target.iterdir()}
    if names and not names <= {MARKER_NAME, STORE_DIR_NAME}:
        raise StoreError(f"{target} exists and is not a graphkit index; not replacing it")


def _swap_into_place(tmp: Path, target: Path) -> None:
    """Rename ``tmp`` to ``target``; an existing index is moved aside first and deleted after."""
    old = _sibling(target, "old")
    moved = False
    try:
        if target.exists():
            os.rename(target, old)
            moved = True
        os.rename(tmp, target)
    except BaseException as e:
        if moved and not target.exists():
            with contextlib.suppress(OSError):
                os.rename(old, target)  # put the old index back
        if not isinstance(e, OSError):
            raise
        raise StoreError(
            f"could not move the new index into {target} ({e.strerror}); is another `graphkit index` running?"
        ) from None
    if moved:
        shutil.rmtree(old, ignore_errors=True)


def _sibling(target: Path, kind: str) -> Path:
    """A hidden work directory beside ``target`` (``kind`` "tmp": being built, "old": being deleted),
    named with this process id so that :func:`_remove_orphans` can tell a dead build's leftovers."""
    return target.parent / f".{target.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}"


def _remove_orphans(target: Path) -> None:
    """Delete temporary directories left by index builds whose process no longer exists (e.g. killed)."""
    for p in target.parent.glob(f".{target.name}.*-*-*"):
        kind, _, rest = p.name[len(target.name) + 2 :].partition("-")
        pid = rest.split("-", 1)[0]
        if kind in ("tmp", "old") and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(p, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def _source(snapshot: Path, show_progress: bool) -> Iterator[dict[str, Any]]:
    """What ``bulk_load`` reads: the file path, or on a terminal the open file behind a byte progress bar."""
    if not show_progress or not sys.stderr.isatty():
        yield {"path": str(snapshot)}
        return
    from tqdm import tqdm

    total = snapshot.stat().st_size
    with (
        snapshot.open("rb") as f,
        tqdm.wrapattr(
            f, "read", total=total, desc="indexing", unit="B", unit_scale=True, leave=False, file=sys.stderr
        ) as wrapped,
    ):
        yield {"input": wrapped}


def manage_index(snapshot: str | Path, action: str = "build", *, show_progress: bool = False) -> str:
    """What ``graphkit index`` does: ``build`` (bulk-load the snapshot), ``check`` (a
    :class:`~graphkit.errors.StoreError` unless a fresh index exists) or ``remove``; returns the text to show.

    >>> manage_index("/nonexistent/graph.nq", "remove")
    'no index to remove'
    """
    if action == "check":
        status = index_status(snapshot)
        if not status.fresh:
            raise StoreError(status.summary().strip())
        return status.summary()
    if action == "remove":
        return f"removed {default_index_dir(snapshot)}\n" if remove_index(snapshot) else "no index to remove"
    if action != "build":
        raise ValueError(f"unknown index action {action!r}")
    return build_index(snapshot, show_progress=show_progress).summary()
