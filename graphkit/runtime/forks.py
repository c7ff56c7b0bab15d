"""Work beside the main thread, for the command line only: a thread (for calls that release the GIL,
such as pyoxigraph's load and dump) or a forked worker process (for Python-heavy work such as
SPARQL queries and reading source files, which hold the GIL), so that a build uses both cores.

**Library calls stay serial.** Nothing here forks unless the caller is inside :func:`parallelism`
(the ``graphkit`` command enters it; ``build_graph(parallel=True)`` does too). Outside it every
"forked" call runs inline, in order, with the same results: a notebook's interpreter is left as it
was (no fork from a multi-threaded kernel, no frozen garbage collector, no child process).

One helper forks: :class:`ForkedWorker` runs named jobs, in order, in one child forked from this
process (it inherits the code and data, an in-memory store included: nothing is pickled on the way
in); each result is sent back pickled as soon as it is ready and taken off the pipe by a thread
here, so the worker never waits for this process to ask. :func:`in_forked_processes` starts one
worker per call, all forked before any of their threads exists.

The parent's garbage collector is never touched (a forked child freezes what it inherited, itself).
Children die with their parent: on Linux each worker asks the kernel for SIGKILL when its parent
goes (``PR_SET_PDEATHSIG``) and checks that the parent still exists after the fork; elsewhere a
worker stops at its next result when the pipe to the parent is gone.

>>> in_thread(sum, [1, 2, 3]).result()
6
>>> with ForkedWorker([("sum", sum, ([1, 2, 3],)), ("text", str.upper, ("kōya",))]) as w:
...     w.get("text"), w.get("sum")
('KŌYA', 6)
>>> with parallelism():
...     [f.result() for f in in_forked_processes([(min, (3, 1)), (max, (3, 1))])]
[1, 3]
"""

from __future__ import annotations

import contextvars
import ctypes
import gc
import multiprocessing
import os
import pickle
import queue
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any, TypeVar

from graphkit.errors import GraphkitError

T = TypeVar("T")
Job = tuple[str, Callable[..., Any], tuple[Any, ...]]

_PARALLEL: contextvars.ContextVar[bool] = contextvars.ContextVar("graphkit_parallel", default=False)
_PR_SET_PDEATHSIG = 1


def fork_available() -> bool:
    """True where a worker can be forked from this process (Linux and the BSDs; macOS lists ``fork``
    too, but its system libraries are not fork-safe, so graphkit does not fork there)."""
    return hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"


@contextmanager
def parallelism(enabled: bool = True) -> Iterator[bool]:
    """Within the block, graphkit's work may fork workers (where the platform can); yields whether it will.

    >>> with parallelism() as on:
    ...     parallel_enabled() == on
    True
    >>> parallel_enabled()
    False
    """
    token = _PARALLEL.set(enabled and fork_available())
    try:
        yield _PARALLEL.get()
    finally:
        _PARALLEL.reset(token)


def parallel_enabled() -> bool:
    """Whether the current caller asked for forked workers (see :func:`parallelism`)."""
    return _PARALLEL.get()


def in_thread(fn: Callable[..., T], *args: Any) -> Future[T]:
    """Start ``fn(*args)`` in a new thread; ``.result()`` waits and re-raises its exception."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="graphkit")
    future = executor.submit(fn, *args)
    executor.shutdown(wait=False)
    return future


class ForkedWorker:
    """Named jobs run in a forked worker (or, outside :func:`parallelism`, here on demand); results by name.

    ``parallel`` forces the mode (``False``: serial, as without ``fork``); by default the worker forks
    only inside :func:`parallelism`. :meth:`get` waits for one result and raises the job's own error.
    """

    def __init__(self, jobs: Sequence[Job], *, parallel: bool | None = None) -> None:
        names = [name for name, _, _ in jobs]
        if len(set(names)) != len(names):
            raise ValueError(f"job names must be unique: {names}")
        self.jobs = {name: (fn, args) for name, fn, args in jobs}
        wanted = parallel_enabled() if parallel is None else parallel
        self.parallel = wanted and fork_available()
        self._results: dict[str, tuple[bool, Any]] = {}
        self._arrived: queue.Queue[tuple[str, bytes] | None] = queue.Queue()
        self._conn: Connection | None = None
        self._process: Any = None
        self._pump: threading.Thread | None = None
        self.worker_seconds = 0.0

    def fork(self) -> ForkedWorker:
        """Fork the worker (no thread is started here: fork every worker first, then :meth:`listen`)."""
        if self.parallel and self._process is None:
            ctx = multiprocessing.get_context("fork")
            for stream in (sys.stdout, sys.stderr):
                stream.flush()  # or the child would write what is still buffered a second time
            receive, send = ctx.Pipe(duplex=False)
            self._process = ctx.Process(target=_work, args=(list(self.jobs.items()), send, os.getpid()), daemon=True)
            self._process.start()
            send.close()  # the child holds the sending end: EOF here when it is gone
            self._conn = receive
        return self

    def listen(self) -> ForkedWorker:
        """Start taking the worker's results off the pipe as they come (a no-op in serial mode)."""
        if self._conn is not None and self._pump is None:
            self._pump = threading.Thread(target=self._take_results, name="graphkit-worker", daemon=True)
            self._pump.start()
        return self

    def start(self) -> ForkedWorker:
        """:meth:`fork` then :meth:`listen`."""
        return self.fork().listen()

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
            if self._process is None:
                fn, args = self.jobs[name]
                try:
                    self._results[name] = (True, fn(*args))
                except Exception as e:  # noqa: BLE001 - kept, and raised below like the worker's errors
                    self._results[name] = (False, e)
            else:
                self.listen()
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
            raise GraphkitError(f"a forked worker process stopped unexpectedly (exit code {code})")
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

    def __enter__(self) -> ForkedWorker:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


class ForkedResult:
    """The result of one call run by :func:`in_forked_processes` (``.result()`` waits, then closes the worker)."""

    def __init__(self, worker: ForkedWorker) -> None:
        self._worker = worker

    def result(self, timeout: float | None = None) -> Any:
        """Wait for the call's result (``timeout`` is accepted for API compatibility with futures)."""
        try:
            return self._worker.get("call")
        finally:
            self._worker.close()


def in_forked_processes(calls: Sequence[tuple[Callable[..., Any], tuple[Any, ...]]]) -> list[ForkedResult]:
    """Each ``fn(*args)`` of ``calls`` in its own forked worker (inside :func:`parallelism`), all forked
    before any of their threads starts; outside it, each runs inline when its result is asked for.

    >>> [r.result() for r in in_forked_processes([(min, (3, 1)), (max, (3, 1))])]   # serial here
    [1, 3]
    """
    workers = [ForkedWorker([("call", fn, args)]).fork() for fn, args in calls]
    return [ForkedResult(w.listen()) for w in workers]


def in_forked_process(fn: Callable[..., T], *args: Any) -> ForkedResult:
    """:func:`in_forked_processes` for one call."""
    return in_forked_processes([(fn, args)])[0]


def die_with_parent(parent: int) -> None:
    """(in a forked child) Be killed when ``parent`` ends (Linux: ``PR_SET_PDEATHSIG``); end now if it already has.

    Every process graphkit forks calls it first (these workers and the endpoint's query processes).
    """
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):  # pragma: no cover - a libc without prctl
            pass
    if os.getppid() != parent:
        os._exit(1)


def _work(jobs: list[tuple[str, tuple[Callable[..., Any], tuple[Any, ...]]]], conn: Connection, parent: int) -> None:
    """The worker: run each job, send its name and pickled ``(ok, result or error)``; stop after an error."""
    die_with_parent(parent)
    # every inherited object is permanent here: the child's collections never walk (and so never copy,
    # page by page) what it shares with the parent; freezing splices the collector's lists, O(1)
    gc.freeze()
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
