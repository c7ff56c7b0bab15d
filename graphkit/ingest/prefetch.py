"""Read source files in a forked worker process while the main process cleans what it has.

Reading and parsing the raw files (CSV, JSON, TSV) does not depend on the cleaning, so a
:class:`Prefetch` runs a list of named reading jobs, in order, in a child process forked from
this one (it inherits the code and data: nothing to import again) and sends each result back as
soon as it is ready. :meth:`Prefetch.get` waits for one result; an error in a job is raised
there, as if the job had run in this process. Where ``fork`` is not available (Windows, macOS
by default) the jobs run in this process, one by one, when asked for: same results.

Results travel pickled, so jobs should return plain data (lists, dicts, tuples, frozen
dataclasses), whose order survives pickling.

>>> with Prefetch([("sum", sum, ([1, 2, 3],)), ("text", str.upper, ("kōya",))]) as pre:
...     pre.get("text"), pre.get("sum")
('KŌYA', 6)
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any

from graphkit.errors import GraphkitError

Job = tuple[str, Callable[..., Any], tuple[Any, ...]]


def fork_available() -> bool:
    """True where a worker can be forked from this process (Linux, and the BSDs)."""
    return hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()


class Prefetch:
    """Named jobs run in a forked worker (or, without ``fork``, here on demand); results by name.

    ``parallel=False`` forces the serial mode (what happens without ``fork``). In parallel mode a
    thread here takes each result off the pipe as soon as it is sent (so the worker never waits
    for this process to ask), and :meth:`get` unpickles it when it is asked for.
    """

    def __init__(self, jobs: Sequence[Job], *, parallel: bool | None = None) -> None:
        names = [name for name, _, _ in jobs]
        if len(set(names)) != len(names):
            raise ValueError(f"job names must be unique: {names}")
        self.jobs = {name: (fn, args) for name, fn, args in jobs}
        self.parallel = fork_available() if parallel is None else parallel and fork_available()
        self._results: dict[str, tuple[bool, Any]] = {}
        self._arrived: queue.Queue[tuple[str, bytes] | None] = queue.Queue()
        self._conn: Connection | None = None
        self._process: Any = None
        self._pump: threading.Thread | None = None
        self.worker_seconds = 0.0

    def start(self) -> Prefetch:
        """Fork the worker and start taking its results (a no-op in serial mode)."""
        if self.parallel:
            ctx = multiprocessing.get_context("fork")
            for stream in (sys.stdout, sys.stderr):
                stream.flush()  # or the child would write what is still buffered a second time
            receive, send = ctx.Pipe(duplex=False)
            self._process = ctx.Process(target=_work, args=(list(self.jobs.items()), send), daemon=True)
            self._process.start()
            send.close()  # the child holds the sending end: EOF here when it is gone
            self._conn = receive
            self._pump = threading.Thread(target=self._take_results, name="graphkit-prefetch", daemon=True)
            self._pump.start()
        return self

    def _take_results(self) -> None:
        """(thread) Move every ``(name, pickled result)`` off the pipe; ``None`` once the worker is gone."""
        assert self._conn is not None
        try:
            while True:
                name = self._conn.recv_bytes().decode()
                self._arrived.put((name, self._conn.recv_bytes()))
        except (EOFError, OSError):
            self._arrived.put(None)

    def get(self, name: str) -> Any:
        """The result of job ``name`` (waiting for it); the job's own error if it failed."""
        if name not in self.jobs:
            raise KeyError(name)
        while name not in self._results:
            if self._pump is None:
                fn, args = self.jobs[name]
                try:
                    self._results[name] = (True, fn(*args))
                except Exception as e:  # noqa: BLE001 - kept, and raised below like the worker's errors
                    self._results[name] = (False, e)
            else:
                self._receive()
        ok, value = self._results[name]
        if not ok:
            raise value
        return value

    def _receive(self) -> None:
        message = self._arrived.get()
        if message is None:
            self._arrived.put(None)  # for the next caller too
            failed = [value for ok, value in self._results.values() if not ok]
            if failed:
                raise failed[0]  # the worker stopped after that error
            self._process.join(timeout=5)
            code = self._process.exitcode if self._process is not None else None
            raise GraphkitError(f"the source-reading worker process stopped unexpectedly (exit code {code})")
        got, payload = message
        self._results[got] = pickle.loads(payload)

    def close(self) -> None:
        """Stop the worker (if it still runs) and release the pipe; ``worker_seconds`` is then its CPU time."""
        if self._process is not None:
            before = _children_cpu()
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self.worker_seconds = max(0.0, _children_cpu() - before)
            self._process = None
        if self._pump is not None:
            self._pump.join()  # it stops at the end of the pipe, now that the worker is gone
            self._pump = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Prefetch:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _work(jobs: list[tuple[str, tuple[Callable[..., Any], tuple[Any, ...]]]], conn: Connection) -> None:
    """The worker: run each job, send its name and pickled ``(ok, result or error)``; stop after an error."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the worker
    try:
        for name, (fn, args) in jobs:
            failed = False
            try:
                payload = pickle.dumps((True, fn(*args)), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as e:  # noqa: BLE001 - handed to the parent, which raises it
                payload = pickle.dumps((False, _picklable(e)), protocol=pickle.HIGHEST_PROTOCOL)
                failed = True
            conn.send_bytes(name.encode())
            conn.send_bytes(payload)
            if failed:
                return
    finally:
        conn.close()


def _children_cpu() -> float:
    """CPU seconds of the child processes waited for so far (0 where the platform does not say)."""
    try:
        import resource
    except ImportError:  # not on Windows; but there is no fork there either
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _picklable(error: Exception) -> Exception:
    """``error`` if it survives pickling, else a GraphkitError with its message."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # noqa: BLE001 - any pickling problem
        return GraphkitError(f"{type(error).__name__}: {error}")
    return error
