"""Admission of queries: a fast lane that long queries leave, so two runaways cannot block everyone.

Every query starts in one of ``fast`` slots (the server's ``--workers``); when all are taken, a new
query waits (up to a bound) for one. A query still running after a short time (the pool's
``fast_limit``) is *demoted*: it leaves its fast slot for the slow lane, and the pool lowers its
CPU priority to the kernel's idle class. The slow lane takes at most ``slow_per_client`` queries
of one client and ``slow_total`` in all; a long query over its client's share is stopped
(:class:`LaneRefused`), one over the total keeps its fast slot until it ends.

So a client that sends runaway queries holds at most ``slow_per_client`` of them, at idle
priority, and the fast slots stay free for queries that finish quickly.

>>> lanes = Lanes(fast=1, slow_per_client=1, slow_total=4)
>>> a = lanes.admit("10.0.0.1", timeout=1)
>>> lanes.demote(a)
'slow'
>>> b = lanes.admit("10.0.0.1", timeout=1)  # the fast slot is free again
>>> lanes.demote(b)
Traceback (most recent call last):
...
graphkit.server.lanes.LaneRefused: 1 long-running query of this client is already running; wait for it to finish
>>> lanes.release(a); lanes.release(b); lanes.busy()
(0, 0)
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass

from graphkit.errors import QueryError


class LaneRefused(QueryError):
    """No room for this query: the fast lane stayed full, or its client has too many long queries."""


@dataclass
class Ticket:
    """One admitted query: its client and the lane it is in."""

    client: str
    lane: str = "fast"


class Lanes:
    """The fast slots and the slow lane, shared by the threads that serve requests."""

    def __init__(self, fast: int, slow_per_client: int, slow_total: int) -> None:
        self.fast = max(1, fast)
        self.slow_per_client = max(1, slow_per_client)
        self.slow_total = max(self.slow_per_client, slow_total)
        self._cond = threading.Condition()
        self._fast_used = 0
        self._slow: Counter[str] = Counter()

    def admit(self, client: str, timeout: float) -> Ticket:
        """A fast slot for a query of ``client``, waiting up to ``timeout`` seconds for one."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._fast_used < self.fast, timeout):
                raise LaneRefused("all query slots are busy; try again")
            self._fast_used += 1
        return Ticket(client)

    def demote(self, ticket: Ticket) -> str:
        """Move a long-running query to the slow lane (``"slow"``), or leave it in its fast slot when
        the slow lane is full (``"fast"``); LaneRefused when its client has its share of long queries."""
        with self._cond:
            if ticket.lane != "fast":
                return ticket.lane
            if self._slow[ticket.client] >= self.slow_per_client:
                n = self._slow[ticket.client]
                raise LaneRefused(
                    f"{n} long-running {'query' if n == 1 else 'queries'} of this client "
                    f"{'is' if n == 1 else 'are'} already running; wait for "
                    f"{'it' if n == 1 else 'one'} to finish"
                )
            if sum(self._slow.values()) >= self.slow_total:
                return "fast"
            self._slow[ticket.client] += 1
            self._fast_used -= 1
            ticket.lane = "slow"
            self._cond.notify()
            return "slow"

    def release(self, ticket: Ticket) -> None:
        """The query ended (answered, failed or stopped)."""
        with self._cond:
            if ticket.lane == "fast":
                self._fast_used -= 1
            elif ticket.lane == "slow":
                self._slow[ticket.client] -= 1
                if self._slow[ticket.client] <= 0:
                    del self._slow[ticket.client]
            ticket.lane = "done"
            self._cond.notify()

    def busy(self) -> tuple[int, int]:
        """``(fast slots taken, slow queries running)``."""
        with self._cond:
            return self._fast_used, sum(self._slow.values())
