"""The projector in the background of a server process, and the lock that makes one of them lead.

A command answers once its events are stored (ADR 0130); the read models are brought up by a
projector that runs beside the requests: `Follower`, a thread that catches up whenever it is woken
(a command of this process stored events, a read waits for a position not reached) and at least
every `poll_seconds` (events other processes stored: SQLite cannot subscribe, and one indexed
query per poll costs little on either store; ADR 0023).

Several server processes on one PostgreSQL run one projector between them (ADR 0131): each
process's follower tries a session-level advisory lock, and only the holder projects. The others
keep trying, so when the leader stops (its connection closes and the lock goes with it) another
takes over within a poll. `greenledger project --follow` contends for the same lock. The projector
is safe without the lock (its tracking row orders projectors, ADR 0020): the lock saves the work
of projectors that would only wait on that row and yield their pages.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Protocol

import psycopg

log = logging.getLogger("greenledger.projector")

#: The advisory lock a projector holds while it leads ("GLProjct" in ASCII).
PROJECTOR_LOCK = 0x474C50726F6A6374
#: A process that does not lead tries the lock again at most this often.
RETRY_LEADERSHIP_SECONDS = 1.0
#: The leader checks at most this often that its lock's connection is alive.
CHECK_LEADERSHIP_SECONDS = 5.0


class Leadership(Protocol):
    """Whether this process may project now."""

    def holds(self) -> bool: ...

    def release(self) -> None: ...


class SoleProjector:
    """One store, one process that projects (SQLite, a single server): always leads."""

    def holds(self) -> bool:
        return True

    def release(self) -> None:
        return None


class AdvisoryLeadership:
    """The PostgreSQL advisory lock `PROJECTOR_LOCK`, held on a connection of its own."""

    def __init__(self, libpq_url: str, *, connect_timeout: int = 10) -> None:
        self.libpq_url = libpq_url
        self.connect_timeout = connect_timeout
        self._connection: psycopg.Connection[tuple[object, ...]] | None = None
        self._leading = False
        self._checked = 0.0

    def holds(self) -> bool:
        """True while this process holds the lock (taking it when free)."""
        now = time.monotonic()
        if self._leading and now - self._checked < CHECK_LEADERSHIP_SECONDS:
            return True
        if not self._leading and now - self._checked < RETRY_LEADERSHIP_SECONDS:
            return False
        self._checked = now
        try:
            if self._leading:
                self._alive()
            else:
                self._leading = self._try()
        except psycopg.Error:
            log.warning("the projector's leader lock was lost (its connection failed)")
            self.release()
        return self._leading

    def _alive(self) -> None:
        assert self._connection is not None
        self._connection.execute("SELECT 1")

    def _try(self) -> bool:
        if self._connection is None or self._connection.closed:
            self._connection = psycopg.connect(
                self.libpq_url, autocommit=True, connect_timeout=self.connect_timeout
            )
        row = self._connection.execute(
            "SELECT pg_try_advisory_lock(%s)", (PROJECTOR_LOCK,)
        ).fetchone()
        return bool(row and row[0])

    def release(self) -> None:
        """Give the lock up (closing its connection releases it)."""
        self._leading = False
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(psycopg.Error):  # broken already: the lock went with it
                connection.close()


class Follower:
    """A daemon thread that runs `catch_up` when woken and every `poll_seconds`, while it leads.

    Woken by a read that waits (`urgent`), it catches up at once; woken by a stored command, it
    first lets `settle_seconds` pass (unless a read then waits), so that the commands of a burst
    are projected in one catch-up instead of each queueing behind the catch-up of the one before
    (ADR 0133). `reached` is told every position a catch-up reaches. A failed catch-up is logged
    and tried again after a pause; it never stops the thread.
    """

    def __init__(
        self,
        catch_up: Callable[[], int],
        leadership: Leadership,
        *,
        poll_seconds: float,
        settle_seconds: float = 0.0,
        reached: Callable[[int], None] | None = None,
        name: str = "greenledger-projector",
    ) -> None:
        self.catch_up = catch_up
        self.leadership = leadership
        self.poll_seconds = poll_seconds
        self.settle_seconds = settle_seconds
        self.reached = reached
        self._wake = threading.Event()
        self._urgent = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        #: Whether this process projected at its last round (it led).
        self.leading = False

    def start(self) -> None:
        self._thread.start()

    def wake(self, *, urgent: bool = True) -> None:
        """Catch up rather than wait for the next poll: at once when `urgent` (a read waits),
        after `settle_seconds` otherwise (a command was stored)."""
        if urgent:
            self._urgent.set()
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._urgent.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        self.leadership.release()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.round()
            woken = self._wake.wait(self.poll_seconds)
            if woken and self.settle_seconds > 0 and not self._urgent.is_set():
                self._urgent.wait(self.settle_seconds)  # the rest of a burst of commands
            self._wake.clear()
            self._urgent.clear()

    def round(self) -> None:
        """One catch-up, if this process leads."""
        try:
            self.leading = self.leadership.holds()
            if not self.leading:
                return
            position = self.catch_up()
        except Exception:
            log.exception("the background projector failed; it tries again")
            self._stop.wait(1.0)
            return
        if self.reached is not None:
            self.reached(position)


#: The channel on which server processes on PostgreSQL tell the leading projector that events were
#: stored, or that a read waits (`NOTIFY`): it catches up at once instead of at its next poll.
CHANNEL = "greenledger_stored"
#: The payload of a NOTIFY for stored events (the projector may let a burst settle); any other
#: payload (a read that waits) wakes it at once.
STORED = "stored"


class Listener:
    """In the process that leads on PostgreSQL: a daemon thread that LISTENs on `CHANNEL` on a
    connection of its own and wakes `follower` for every notification."""

    def __init__(self, libpq_url: str, follower: Follower, *, connect_timeout: int = 10) -> None:
        self.libpq_url = libpq_url
        self.follower = follower
        self.connect_timeout = connect_timeout
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="greenledger-listener", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except psycopg.Error:
                log.warning("the projector's listener lost its connection; it listens again")
                self._stop.wait(1.0)

    def _listen(self) -> None:
        with psycopg.connect(
            self.libpq_url, autocommit=True, connect_timeout=self.connect_timeout
        ) as connection:
            connection.execute(f"LISTEN {CHANNEL}")
            while not self._stop.is_set():
                for notification in connection.notifies(timeout=0.5, stop_after=1):
                    self.follower.wake(urgent=notification.payload != STORED)
