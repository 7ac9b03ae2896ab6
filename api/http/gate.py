"""The process's command gate (ADR 0053): one writer at a time, served in the order they asked.

`threading.Lock` is not fair: a thread that lets it go and asks again at once — the seal between
two pages, an import between two chunks — usually takes it back before a waiting thread has woken,
so a command could wait for a whole first seal of a large ledger although the seal let the gate go
a thousand times (ADR 0154: the filings' p99 stayed at 17 s). `FairGate` hands the gate over to the
longest waiter when it is let go.
"""

from __future__ import annotations

import threading
from collections import deque
from types import TracebackType


class FairGate:
    """A lock granted in the order it was asked for (first come, first served)."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiters: deque[threading.Lock] = deque()
        self._held = False

    @property
    def waiting(self) -> int:
        """Threads waiting for the gate."""
        with self._mutex:
            return len(self._waiters)

    def __enter__(self) -> FairGate:
        with self._mutex:
            if not self._held:
                self._held = True
                return self
            turn = threading.Lock()
            turn.acquire()
            self._waiters.append(turn)
        turn.acquire()  # let go by the holder, who hands the gate over to this thread
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        with self._mutex:
            if self._waiters:
                self._waiters.popleft().release()  # still held: now by the next in line
            else:
                self._held = False
