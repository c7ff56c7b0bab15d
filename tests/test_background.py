"""graphkit.runtime.forks: work in a thread or a forked child, results and errors handed back."""

from __future__ import annotations

import os

import pyoxigraph as ox
import pytest

from graphkit.errors import InputError
from graphkit.runtime.forks import in_forked_process, in_thread
from graphkit.store.embedded import EmbeddedStore


def _pid() -> int:
    return os.getpid()


def _fail(message: str) -> None:
    raise InputError(message)


def _count_quads(store: EmbeddedStore) -> int:
    return len(store)


def test_forked_child_runs_elsewhere_and_sees_the_parents_store(seed_store: EmbeddedStore) -> None:
    assert in_forked_process(_pid).result(timeout=60) != os.getpid()
    # the child inherits the store without pickling (a pyoxigraph store cannot be pickled)
    assert in_forked_process(_count_quads, seed_store).result(timeout=60) == len(seed_store) > 1000


def test_errors_come_back_as_the_same_exception() -> None:
    with pytest.raises(InputError, match="bad row 7"):
        in_forked_process(_fail, "bad row 7").result(timeout=60)
    with pytest.raises(InputError, match="bad row 8"):
        in_thread(_fail, "bad row 8").result(timeout=60)


def test_snapshot_written_from_a_thread_equals_a_plain_dump(seed_store: EmbeddedStore, tmp_path) -> None:
    in_thread(seed_store.write_file, tmp_path / "threaded.nq", "nq").result(timeout=60)
    seed_store.dump(tmp_path / "plain.nq")
    threaded = sorted((tmp_path / "threaded.nq").read_text(encoding="utf-8").splitlines())
    plain = sorted((tmp_path / "plain.nq").read_text(encoding="utf-8").splitlines())
    assert len(threaded) == len(seed_store) and threaded == plain
    # and it holds the store's quads: reloaded, the same (blank-node labels aside)
    reloaded = ox.Store()
    reloaded.load(path=str(tmp_path / "threaded.nq"), format=ox.RdfFormat.N_QUADS)

    def named(store: ox.Store) -> set[str]:
        blank = ox.BlankNode
        return {str(q) for q in store if not isinstance(q.subject, blank) and not isinstance(q.object, blank)}

    assert named(reloaded) == named(seed_store.oxigraph) != set()
