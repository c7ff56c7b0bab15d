"""graphkit.runtime.teardown: parked objects live until the process ends; exit_now loses no output."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import weakref

from graphkit.runtime.teardown import keep_until_exit, parking

from .conftest import REPO, run_cli


class Big:
    """Stands for a built world: something with a weak reference to watch it go."""


def test_outside_parking_an_object_is_freed_as_usual() -> None:
    obj = Big()
    ref = weakref.ref(obj)
    assert keep_until_exit(obj) is False
    del obj
    assert ref() is None


def test_parked_object_lives_until_the_block_ends_and_the_collector_is_restored() -> None:
    with parking() as parked:
        obj = Big()
        ref = weakref.ref(obj)
        assert keep_until_exit(obj) is True
        del obj
        assert ref() is not None and parked == [ref()]
        assert gc.get_freeze_count() > 0
    assert ref() is None
    assert gc.get_freeze_count() == 0


def test_exit_now_flushes_unterminated_output_and_keeps_the_exit_code() -> None:
    program = (
        "import sys\n"
        "from graphkit.runtime.teardown import exit_now, keep_until_exit, parking\n"
        "with parking():\n"
        "    keep_until_exit(list(range(100000)))\n"
        "    sys.stdout.write('Built 3 triples; no newline')\n"
        "    sys.stderr.write('note on stderr')\n"
        "    exit_now(3)\n"
        "print('not reached')\n"
    )
    proc = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert proc.returncode == 3
    assert proc.stdout == "Built 3 triples; no newline"
    assert proc.stderr == "note on stderr"


def test_build_command_ends_fast_and_complete(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The real command parks the store: every file is in place and the summary fully printed."""
    proc = run_cli("build", "--data", str(REPO / "data" / "seed"), "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"Built {tmp_path / 'graph.nq'}:")
    assert proc.stdout.rstrip().endswith(f"wrote {tmp_path / 'build.json'}")
    assert (tmp_path / "build.json").read_text(encoding="utf-8").rstrip().endswith("}")
    assert not list(tmp_path.glob("*.tmp*")) and not list(tmp_path.glob(".*"))


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is gone, only not yet reaped
    except FileNotFoundError:
        return False


def test_exit_now_leaves_no_forked_worker_behind(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A command that ends while a forked worker (graphkit.runtime.forks) still runs, or before the pool
    has told its workers to stop, leaves no worker behind (waiting forever, holding the output pipe)."""
    program = (
        "import multiprocessing, os, time\n"
        "from graphkit.runtime.forks import in_forked_processes, parallelism\n"
        "from graphkit.runtime.teardown import exit_now, keep_until_exit, parking\n"
        "def slow():\n"
        "    time.sleep(0.5)\n"
        "with parking(), parallelism():\n"
        "    keep_until_exit([1])\n"
        "    done, running = in_forked_processes([(os.getpid, ()), (slow, ())])\n"
        "    done.result()\n"
        "    print(*[p.pid for p in multiprocessing.active_children()])\n"
        "    exit_now(0)\n"
    )
    out = tmp_path / "stdout"
    with out.open("w") as f:  # not a pipe: a leftover worker must not hang this test
        subprocess.run([sys.executable, "-c", program], stdout=f, cwd=REPO, timeout=60, check=True)
    workers = [int(pid) for pid in out.read_text().split()]
    assert workers  # the slow worker at least (the finished one may be reaped already)
    leftover = [pid for pid in workers if _alive(pid)]
    for pid in leftover:
        os.kill(pid, signal.SIGKILL)
    assert leftover == []
