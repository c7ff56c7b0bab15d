"""Publish the outputs of one build together: readers never see files of two builds side by side.

A build writes every output (snapshot, quality report, rejects, headline query results, build.json)
into a private staging folder ``out/.build-<pid>/``. Only when the graph conforms are they
published: a journal ``out/.publish.json`` naming the staged files is written atomically, the files
are renamed into ``out/`` (``build.json`` last), then the journal and the staging folder go. A
process killed in the middle leaves the journal, and whoever opens ``out/`` next (a build, or a
command reading the last build, through :func:`settle_outputs`) completes the renames first: the
outputs of that build appear whole, never mixed with the previous one's.

A failed or interrupted build publishes nothing (its staging folder is removed, or found and removed
by the next build); the previous outputs stay as they were. One build at a time writes to an output
folder: :func:`build_lock` holds an advisory lock on the folder itself.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> with build_lock(out), staging_dir(out) as stage:
...     _ = (stage / "build.json").write_text("{}")
...     _ = (stage / "queries").mkdir()
...     _ = (stage / "queries" / "mous.csv").write_text("a\\n")
...     publish(stage, out)
['queries/mous.csv', 'build.json']
>>> sorted(p.name for p in out.iterdir())
['build.json', 'queries']
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graphkit.errors import StoreError
from graphkit.rdf.files import write_text_atomic

JOURNAL = ".publish.json"
STAGING_PREFIX = ".build-"
#: Published last: its presence says the build's other outputs are all in place.
LAST = "build.json"


@contextmanager
def build_lock(out_dir: str | Path) -> Iterator[Path]:
    """Hold the output folder for one build (created if missing); another build meanwhile is an error."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out, os.O_RDONLY)
    except OSError as e:
        raise StoreError(f"{out}: cannot create or open the output folder ({e.strerror})") from e
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise StoreError(f"{out}: another graphkit build is writing there; wait for it to finish") from e
            raise
        finish_interrupted_publication(out)
        remove_stale_staging(out)
        yield out
    finally:
        os.close(fd)  # releases the lock


@contextmanager
def staging_dir(out_dir: str | Path) -> Iterator[Path]:
    """A private folder under ``out_dir`` for one build's outputs; removed on the way out (published or not)."""
    stage = Path(out_dir) / f"{STAGING_PREFIX}{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def publish(stage: Path, out_dir: str | Path) -> list[str]:
    """Move every file staged in ``stage`` into ``out_dir`` (``build.json`` last); return their relative names."""
    out = Path(out_dir)
    names = sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*") if p.is_file())
    names = [n for n in names if n != LAST] + ([LAST] if LAST in names else [])
    write_text_atomic(out / JOURNAL, json.dumps({"staging": stage.name, "files": names}, ensure_ascii=False))
    _complete(out, stage, names)
    return names


def finish_interrupted_publication(out_dir: str | Path) -> list[str]:
    """Complete a publication that a killed process left half done (see the module's docstring)."""
    out = Path(out_dir)
    journal = out / JOURNAL
    if not journal.is_file():
        return []
    try:
        entry = json.loads(journal.read_text(encoding="utf-8"))
        stage, names = out / str(entry["staging"]), [str(n) for n in entry["files"]]
    except (ValueError, KeyError, TypeError, OSError):
        journal.unlink(missing_ok=True)  # not ours, or unreadable: nothing can be completed
        return []
    if not stage.name.startswith(STAGING_PREFIX) or any(".." in Path(n).parts for n in names):
        journal.unlink(missing_ok=True)
        return []
    _complete(out, stage, names)
    return names


def settle_outputs(out_dir: str | Path, *, wait: float = 10.0) -> list[str]:
    """For readers of ``out_dir``: complete a publication a killed build left half done, or wait (up to
    ``wait`` seconds) while a running build publishes; return the files completed here.

    >>> import tempfile
    >>> settle_outputs(tempfile.mkdtemp())
    []
    """
    out = Path(out_dir)
    deadline = time.monotonic() + wait
    while (out / JOURNAL).is_file():
        try:
            fd = os.open(out, os.O_RDONLY)
        except OSError:
            return []
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # a build holds the folder: it is publishing right now (milliseconds)
                if time.monotonic() > deadline:
                    raise StoreError(
                        f"{out}: a build has been publishing its outputs for {wait:.0f} s; try again"
                    ) from None
                time.sleep(0.05)
                continue
            return finish_interrupted_publication(out)
        finally:
            os.close(fd)
    return []


def remove_stale_staging(out_dir: str | Path) -> list[Path]:
    """Remove staging folders and temporary files that killed builds left in ``out_dir``.

    Only call it while holding :func:`build_lock` (no other build can be using them).
    """
    out = Path(out_dir)
    stale = [p for p in out.glob(f"{STAGING_PREFIX}*") if p.is_dir()]
    stale += [p for folder in (out, out / "queries") for p in folder.glob(".*.tmp") if p.is_file()]
    for p in stale:
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
    return stale


def _complete(out: Path, stage: Path, names: list[str]) -> None:
    for name in names:
        src, dst = stage / name, out / name
        if src.is_file():  # already moved when completing an interrupted publication
            dst.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(src, dst)
            except FileNotFoundError:  # moved meanwhile by the process that staged it
                pass
    (out / JOURNAL).unlink(missing_ok=True)
    shutil.rmtree(stage, ignore_errors=True)
