"""The query pool of ``graphkit serve``: every query in a process of its own, killed at the time limit.

One worker process holds the graph (:mod:`graphkit.server.worker`) and forks a process per query;
this module asks it for one, sends the query over a socket of its own and waits for the answer
under the time limit. A query past the limit is killed (its work really stops: pyoxigraph cannot
cancel a query) and the client gets 504; nothing needs reloading. Admission goes through
:class:`~graphkit.server.lanes.Lanes`: a query still running after ``fast_limit`` seconds moves
to the slow lane at the kernel's idle CPU priority (``SCHED_IDLE``), so queries that finish fast
keep getting a core while runaways run.

If the worker itself dies (killed from outside), it is restarted in the background and queries
wait for it (up to the queue bound).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.reduction import send_handle
from pathlib import Path
from typing import Any

from graphkit.errors import QueryError, StoreError
from graphkit.paths import PACKAGE_ROOT
from graphkit.rdf.namespaces import PREFIXES
from graphkit.server.lanes import LaneRefused, Lanes, Ticket
from graphkit.server.routing import QueryTimeout, RefusedRequest

#: HTTP status for each kind of refusal a query process reports (anything else: 400).
REFUSAL_STATUS = {"update": 403, "media": 406}


@dataclass
class _QueryProcess:
    """Our end of one query process: its socket and a handle to kill it by."""

    conn: Connection
    pid: int
    pidfd: int | None

    def signal(self, signum: int) -> None:
        try:
            if self.pidfd is not None:
                signal.pidfd_send_signal(self.pidfd, signum)
            else:
                os.kill(self.pid, signum)
        except (ProcessLookupError, OSError):
            pass

    def demote(self) -> None:
        """Lowest CPU priority: the idle scheduling class where there is one, else nice 19."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.pid, 19)
            if hasattr(os, "SCHED_IDLE"):
                os.sched_setscheduler(self.pid, os.SCHED_IDLE, os.sched_param(0))
        except OSError:
            pass

    def close(self) -> None:
        self.conn.close()
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None


class WorkerPool:
    """Queries run in processes forked from one worker that holds ``snapshot``.

    ``size`` queries run at full priority at once (more wait up to ``queue_timeout`` seconds);
    each may run ``timeout`` seconds; one still running after ``fast_limit`` seconds is demoted
    (see :mod:`graphkit.server.lanes`), and one client may have ``2 * size`` demoted queries.
    ``guard`` False skips the query guard in the worker (only for tests of the network seal).
    """

    def __init__(
        self,
        snapshot: str | Path,
        *,
        size: int = 2,
        timeout: float = 10.0,
        start_timeout: float = 300.0,
        queue_timeout: float | None = None,
        memory_limit_mb: int | None = 4096,
        fast_limit: float = 0.5,
        guard: bool = True,
    ) -> None:
        self.snapshot = str(snapshot)
        self.memory_limit_mb = memory_limit_mb
        self.size = max(1, size)
        self.timeout = timeout
        self.start_timeout = start_timeout
        self.queue_timeout = queue_timeout if queue_timeout is not None else max(30.0, 3 * timeout)
        self.fast_limit = min(fast_limit, timeout)
        self.guard = guard
        self.lanes = Lanes(self.size, 2 * self.size, 4 * self.size)
        self.graphs: frozenset[str] = frozenset()
        self.sealed = False
        self._process: subprocess.Popen[bytes] | None = None
        self._control: Connection | None = None
        self._control_lock = threading.Lock()
        self._ready = threading.Event()
        self._closed = False
        self.stats = {"queries": 0, "timeouts": 0, "restarts": 0, "crashes": 0, "demoted": 0}

    # -- the worker -----------------------------------------------------------------------------

    def start(self) -> WorkerPool:
        """Start the worker and wait until it has loaded the graph."""
        self._start_worker()
        return self

    def _start_worker(self) -> None:
        ours, theirs = socket.socketpair()
        limit = self.memory_limit_mb * 2**20 if self.memory_limit_mb else 0
        args = [str(theirs.fileno()), self.snapshot, str(limit), json.dumps(PREFIXES), "1" if self.guard else "0"]
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "graphkit.server.worker", *args],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=str(PACKAGE_ROOT.parent),
            )
        finally:
            theirs.close()
        control = Connection(ours.detach())
        try:
            reply: tuple[Any, ...] = ("error", f"not ready within {self.start_timeout:g} s")
            if control.poll(self.start_timeout):
                reply = control.recv()
        except (EOFError, OSError):
            reply = ("error", "the worker exited while loading the graph")
        if reply[0] != "ready":
            control.close()
            _stop(process)
            raise StoreError(f"query worker failed to start: {reply[1]}")
        self.graphs = frozenset(reply[2])
        self.sealed = bool(reply[3])
        self._process, self._control = process, control
        self._ready.set()

    def _restart_in_background(self) -> None:
        def run() -> None:
            try:
                if not self._closed:
                    self._start_worker()
                    self.stats["restarts"] += 1
            except StoreError:
                pass

        threading.Thread(target=run, name="graphkit-worker-restart", daemon=True).start()

    def _fork(self) -> _QueryProcess:
        """A new query process and our socket to it."""
        if not self._ready.wait(self.queue_timeout):
            raise RefusedRequest(503, "the query worker is restarting; try again", {"Retry-After": "5"})
        ours, theirs = socket.socketpair()
        with self._control_lock:
            control, process = self._control, self._process
            try:
                if control is None or process is None:
                    raise EOFError
                control.send("fork")
                send_handle(control, theirs.fileno(), process.pid)
                pid = control.recv()
            except (EOFError, OSError):
                ours.close()
                if self._ready.is_set() and not self._closed:
                    self._ready.clear()
                    if control is not None:
                        control.close()
                    if process is not None:
                        _stop(process)
                    self._restart_in_background()
                raise RefusedRequest(
                    503, "the query worker stopped and is being restarted; try again", {"Retry-After": "5"}
                ) from None
            finally:
                theirs.close()
        try:
            pidfd: int | None = os.pidfd_open(pid)  # the process waits for our query: it is alive
        except (AttributeError, OSError):
            pidfd = None
        return _QueryProcess(Connection(ours.detach()), pid, pidfd)

    # -- queries --------------------------------------------------------------------------------

    def execute(
        self,
        query: str,
        accept: str | None,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        *,
        client: str = "local",
    ) -> tuple[str, bytes]:
        """Check and run ``query`` in a process of its own; ``(media type, body)`` in the format
        negotiated from ``accept``. Refusals raise RefusedRequest (with the HTTP status), the time
        limit QueryTimeout."""
        if self._closed:
            raise StoreError("the query workers are shut down")
        try:
            ticket = self.lanes.admit(client, self.queue_timeout)
        except LaneRefused as e:
            raise RefusedRequest(503, str(e), {"Retry-After": "2"}) from None
        try:
            self.stats["queries"] += 1
            proc = self._fork()
            try:
                reply = self._wait(proc, ticket, (query, accept, list(default_graphs), list(named_graphs)))
            finally:
                proc.close()
        finally:
            self.lanes.release(ticket)
        status = reply[0]
        if status == "refused":
            raise RefusedRequest(REFUSAL_STATUS.get(reply[1], 400), reply[2])
        if status == "syntax":
            raise RefusedRequest(400, f"malformed SPARQL query: {reply[1]}")
        if status != "ok":
            raise QueryError(f"query failed: {reply[1]}")
        return reply[1], reply[2]

    def _wait(self, proc: _QueryProcess, ticket: Ticket, request: tuple[object, ...]) -> tuple[Any, ...]:
        started = time.monotonic()
        try:
            proc.conn.send(request)
            if not proc.conn.poll(self.fast_limit):
                try:
                    if self.lanes.demote(ticket) == "slow":
                        self.stats["demoted"] += 1
                except LaneRefused as e:
                    proc.signal(signal.SIGKILL)
                    raise RefusedRequest(503, str(e), {"Retry-After": "5"}) from None
                proc.demote()
                if not proc.conn.poll(max(0.0, self.timeout - (time.monotonic() - started))):
                    proc.signal(signal.SIGKILL)
                    self.stats["timeouts"] += 1
                    raise QueryTimeout(
                        f"the query ran longer than the time limit of {self.timeout:g} s and was stopped"
                    )
            reply: tuple[Any, ...] = proc.conn.recv()
            return reply
        except (EOFError, OSError):
            self.stats["crashes"] += 1
            limit = f" (over its memory limit of {self.memory_limit_mb} MB?)" if self.memory_limit_mb else ""
            raise QueryError(f"the query process stopped{limit}; the query was not answered") from None

    def close(self) -> None:
        """Stop the worker (its query processes die with it)."""
        self._closed = True
        self._ready.clear()
        with self._control_lock:
            control, process = self._control, self._process
            self._control = self._process = None
        if control is not None:
            try:
                control.send(None)
            except OSError:
                pass
            control.close()
        if process is not None:
            _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        pass
