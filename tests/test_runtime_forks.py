"""graphkit.runtime.forks: serial by default (library calls), forked workers inside parallelism()
(the command line), results and errors handed back, children that die with their parent."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time

import pyoxigraph as ox
import pytest

from graphkit.errors import InputError
from graphkit.runtime.forks import ForkedWorker, fork_available, in_forked_process, in_thread, parallelism
from graphkit.store.embedded import EmbeddedStore

from .conftest import REPO

needs_fork = pytest.mark.skipif(not fork_available(), reason="no fork on this platform")


def _pid() -> int:
    return os.getpid()


def _fail(message: str) -> None:
    raise InputError(message)


def _count_quads(store: EmbeddedStore) -> int:
    return len(store)


def test_library_calls_run_in_this_process_and_leave_the_collector_as_it_was() -> None:
    frozen = gc.get_freeze_count()
    assert in_forked_process(_pid).result() == os.getpid()
    with ForkedWorker([("pid", _pid, ())]) as worker:
        assert worker.get("pid") == os.getpid() and not worker.parallel
    assert gc.get_freeze_count() == frozen


@needs_fork
def test_forked_child_runs_elsewhere_and_sees_the_parents_store(seed_store: EmbeddedStore) -> None:
    frozen = gc.get_freeze_count()
    with parallelism():
        assert in_forked_process(_pid).result() != os.getpid()
        # the child inherits the store without pickling (a pyoxigraph store cannot be pickled)
        assert in_forked_process(_count_quads, seed_store).result() == len(seed_store) > 1000
    assert gc.get_freeze_count() == frozen


@pytest.mark.parametrize("parallel", [False, True])
def test_errors_come_back_as_the_same_exception(parallel: bool) -> None:
    with parallelism(parallel):
        with pytest.raises(InputError, match="bad row 7"):
            in_forked_process(_fail, "bad row 7").result()
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


def _gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


@needs_fork
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_worker_dies_when_its_parent_is_killed() -> None:
    """SIGKILL of a command (no handler runs) must not leave its forked worker running."""
    program = (
        "import os, sys, time\n"
        "from graphkit.runtime.forks import ForkedWorker, parallelism\n"
        "def report():\n"
        "    print(os.getpid(), flush=True)\n"
        "    time.sleep(120)\n"
        "with parallelism():\n"
        "    ForkedWorker([('slow', report, ())]).start()\n"
        "    time.sleep(120)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE, cwd=REPO, text=True)
    try:
        child = int(parent.stdout.readline())  # type: ignore[union-attr]
        assert child != parent.pid and not _gone(child, 0.2)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        assert _gone(child, 5.0), f"worker {child} outlived its killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()
