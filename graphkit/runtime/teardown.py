"""Leave a finished command's big in-memory objects to the operating system.

Freeing a built world object by object costs Python a noticeable part of a second: the store of
the world graph (~0.2 s), the merged world's millions of small objects (~0.2 s), then the
interpreter's own shutdown. A notebook wants that memory back as soon as an object is no longer
needed, so by default nothing changes: :func:`keep_until_exit` does nothing and the caller's
object is freed as usual.

The ``graphkit`` command, whose process ends right after the command, runs inside
:func:`parking`: there :func:`keep_until_exit` holds the object (and moves every tracked object out
of the cyclic collector's sight with :func:`gc.freeze`, since none of it will be garbage before the
end), and the command ends with :func:`exit_now`, which flushes the standard streams and ends the
process without freeing anything; the operating system takes the memory back at once. Every output
file has been written and closed (atomically renamed) before that point.

>>> keep_until_exit([1, 2, 3])   # not parking: nothing is kept
False
>>> with parking() as parked:
...     keep_until_exit([1, 2, 3])
True
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

_PARKED: list[object] | None = None


@contextmanager
def parking() -> Iterator[list[object]]:
    """Within the block, :func:`keep_until_exit` keeps objects alive (yields the list of them).

    Leaving the block lets them go as usual; to skip freeing them, call :func:`exit_now` inside it.
    """
    global _PARKED
    outer = _PARKED
    _PARKED = [] if outer is None else outer
    try:
        yield _PARKED
    finally:
        if outer is None:
            _PARKED.clear()
            gc.unfreeze()
        _PARKED = outer


def keep_until_exit(obj: object) -> bool:
    """Keep ``obj`` alive until the process ends, when inside :func:`parking`; True if kept.

    Outside :func:`parking` (a notebook, a test) this does nothing and returns False: the caller's
    last reference goes and the object is freed at once, as usual.
    """
    if _PARKED is None:
        return False
    _PARKED.append(obj)
    gc.freeze()  # nothing parked is garbage: later collections need not walk it again
    return True


def exit_now(code: int) -> NoReturn:
    """End the process with ``code`` at once: flush stdout and stderr, skip freeing memory.

    Only for the command-line entry point, after every file has been written and closed: exit
    handlers and finalizers do not run. Threads that would keep a normal exit waiting are waited for
    first: the process pools of :mod:`graphkit.runtime.forks` shut down without waiting, and their
    manager thread must still tell the forked workers to stop (else they wait forever as orphans,
    holding the caller's stdout pipe open).
    """
    me = threading.current_thread()
    for thread in threading.enumerate():
        if thread is not me and not thread.daemon:
            thread.join()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed or broken pipe: nothing more can be said on it
            pass
    os._exit(code)
