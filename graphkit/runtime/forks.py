"""Run work beside the main thread: in a thread (for calls that release the GIL, such as
pyoxigraph's load and dump) or in a forked child process (for Python-heavy work such as SPARQL
queries, which hold the GIL), so that a build uses both cores of the machine.

The forked child inherits its arguments (an in-memory store included) without pickling; only the
result travels back. Python's collector is frozen across the fork, so a child's collections do not
walk (and copy page by page) the millions of objects it shares with the parent. Where ``fork`` is
not available (Windows, macOS defaults) the call runs inline, so the result is the same everywhere,
only slower.

>>> in_thread(sum, [1, 2, 3]).result()
6
>>> in_forked_process(max, 4, 9).result()
9
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

#: The call a forked child runs; set just before the fork, read by the child (never pickled).
_INHERITED: tuple[tuple[Callable[..., Any], tuple[Any, ...]], ...] | None = None


def in_thread(fn: Callable[..., T], *args: Any) -> Future[T]:
    """Start ``fn(*args)`` in a new thread; ``.result()`` waits and re-raises its exception."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="graphkit")
    future = executor.submit(fn, *args)
    executor.shutdown(wait=False)
    return future


def in_forked_process(fn: Callable[..., T], *args: Any) -> Future[T]:
    """Start ``fn(*args)`` in a forked child process; ``.result()`` waits and re-raises its exception.

    Start it before any other thread of this process (a fork copies only the calling thread).
    The result and any exception must be picklable.
    """
    return in_forked_processes([(fn, args)])[0]


def in_forked_processes(calls: Sequence[tuple[Callable[..., Any], tuple[Any, ...]]]) -> list[Future[Any]]:
    """Start each ``fn(*args)`` of ``calls`` in its own forked child, all forked at once (before
    any helper thread exists); one future per call, in order.

    >>> [f.result() for f in in_forked_processes([(min, (3, 1)), (max, (3, 1))])]
    [1, 3]
    """
    global _INHERITED
    if not calls:
        return []
    if "fork" not in multiprocessing.get_all_start_methods():
        return [_run_inline(fn, *args) for fn, args in calls]
    _INHERITED = tuple(calls)
    frozen_before = gc.get_freeze_count()
    gc.freeze()  # children see every inherited object as permanent: never scanned, never copied by gc
    try:
        # with the fork context every worker is forked during the first submit, before the
        # executor starts its manager thread
        executor = ProcessPoolExecutor(max_workers=len(calls), mp_context=multiprocessing.get_context("fork"))
        futures: list[Future[Any]] = [executor.submit(_run_inherited, i) for i in range(len(calls))]
        executor.shutdown(wait=False)
    finally:
        _INHERITED = None
        if not frozen_before:  # leave a freeze made by someone else (graphkit.runtime.teardown) in place
            gc.unfreeze()
    return futures


def _run_inherited(index: int) -> Any:
    if _INHERITED is None:  # pragma: no cover - only when a child was not forked from in_forked_processes
        raise RuntimeError("in_forked_processes: nothing to run in this child")
    fn, args = _INHERITED[index]
    return fn(*args)


def _run_inline(fn: Callable[..., T], *args: Any) -> Future[T]:
    future: Future[T] = Future()
    try:
        future.set_result(fn(*args))
    except BaseException as e:  # noqa: BLE001 - handed to the caller through the future
        future.set_exception(e)
    return future
