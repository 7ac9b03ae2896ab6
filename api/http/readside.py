"""The read side as the API process holds it: the read models, the projector that keeps them up
with the ledger, and the wait of a read for a position (`min_position`).

A command answers once its events are stored (ADR 0130): it does not bring the read models up.
The projector runs beside the requests, in the background (`start_following`: a thread that
catches up when a command of this process stored events, when a read waits, and every poll), or
in another process (`greenledger project --follow`, or the server process that leads on
PostgreSQL, ADR 0131). A read that must see a write passes the write's position as
`min_position` and waits, bounded by `GREENLEDGER_READ_WAIT_SECONDS`, until the read models reflect
it; past that it answers 503 with `Retry-After`.

One catch-up at a time runs in a process (the projector's page memory is not shared between
threads; other processes are kept apart by the projector's own lock on its tracking row). On
SQLite the catch-up takes the process's command gate (it writes to the same file; ADR 0053). The
read side needs a SQL store: on `memory://` (tests only) the API serves commands, and reads
answer 503.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import AbstractContextManager

from sqlalchemy.exc import SQLAlchemyError

from api.http.errors import ApiError
from domain.ledger import Ledger
from domain.persistence.storage import Storage
from readside.engine.database import Views
from readside.engine.following import CHANNEL, STORED, Follower, Leadership, Listener
from readside.engine.projector import Projector, SealCheck
from readside.engine.quarantine import QuarantinedEvent

log = logging.getLogger("greenledger.projector")

#: Rows the API process's projector keeps in memory between catch-ups (the read side's choice).
API_PROJECTOR_MEMORY = 5_000
#: A read waiting for a position looks at the read models' position this often (when this
#: process does not project, or reads a replica).
WAIT_POLL_SECONDS = 0.01


class ReadSideUnavailableError(ApiError):
    """Raised when a query needs the read models and this process has none (memory://)."""

    status = 503
    slug = "read-side-unavailable"
    title = "读模型不可用 Read models unavailable"


class ReadSideBehindError(ApiError):
    """Raised when the read models did not reach a read's `min_position` in the time allowed."""

    status = 503
    slug = "read-side-behind"
    title = "读模型尚未更新 Read models behind"
    headers = {"Retry-After": "1"}  # noqa: RUF012

    def __init__(self, wanted: int, waited: float) -> None:
        super().__init__(
            f"the read models have not reached ledger position {wanted} after {waited:g} s; "
            "retry in a moment",
            f"读模型在 {waited:g} 秒内未更新到台账位置 {wanted}，请稍后重试",
        )


class ReadSide:
    """The read models of one ledger and their projector, shared by the threads of a process."""

    def __init__(
        self,
        views: Views,
        projector: Projector,
        lock: AbstractContextManager[object],
        *,
        wait_seconds: float = 5.0,
    ) -> None:
        self.views = views
        self.projector = projector
        self._catching_up = lock
        self.wait_seconds = wait_seconds
        #: The highest position this process knows the read models reflect, as the queries read
        #: them (on a read replica, the replica's).
        self.reached = 0
        #: The highest position this process's projector reached (on the primary).
        self.projected = 0
        self._moved = threading.Condition()
        self.follower: Follower | None = None
        self.listener: Listener | None = None

    @classmethod
    def open(
        cls,
        ledger: Ledger,
        database_url: str,
        gate: AbstractContextManager[object],
        *,
        wait_seconds: float = 5.0,
        replica: Storage | None = None,
        check: SealCheck | None = None,
        busy_timeout_seconds: float = 30,
    ) -> ReadSide:
        """The read side of `ledger`; on SQLite its catch-ups pass through `gate`; with
        `replica`, the queries read a streaming replica (ADR 0132); `check`: the seal's check of
        each event before it is applied (ADR 0105); `busy_timeout_seconds`: how long a statement
        waits for SQLite's lock before the request answers 503 (ADR 0106)."""
        views = Views.open(database_url, busy_timeout_seconds=busy_timeout_seconds)
        if replica is not None:
            views.read_from_replica(replica)
        lock = gate if views.is_sqlite else threading.Lock()
        # A few pages' worth of rows in memory: a worker (`greenledger project`) remembers more.
        projector = Projector(ledger, views, memory_capacity=API_PROJECTOR_MEMORY, check=check)
        return cls(views, projector, lock, wait_seconds=wait_seconds)

    def catch_up(self, position: int | None = None) -> int:
        """Apply the events recorded since the last catch-up, unless one already reached
        `position`; the position reached."""
        if position is not None and self.projected >= position:
            return self.projected
        with self._catching_up:
            if position is None or self.projected < position:
                self.note(self.projector.catch_up())
            return self.projected

    def note(self, position: int) -> None:
        """The projector reached `position`: without a replica, the reads waiting for it see it."""
        self.projected = max(self.projected, position)
        if not self.views.has_replica:
            self.seen(position)

    def seen(self, position: int) -> None:
        """The queries' read models reflect `position`: wake the reads waiting for it."""
        with self._moved:
            if position > self.reached:
                self.reached = position
                self._moved.notify_all()

    # -- in the background -------------------------------------------------------------------------

    def start_following(
        self,
        leadership: Leadership,
        poll_seconds: float,
        *,
        settle_seconds: float = 0.0,
        listen_url: str | None = None,
    ) -> None:
        """Run the projector in a background thread of this process, while `leadership` holds;
        the first catch-up runs here, before the server answers, when this process leads.
        `settle_seconds`: how long a burst of commands may settle before its catch-up (a read
        that waits does not wait for it, ADR 0133). `listen_url` (PostgreSQL): the thread also
        wakes on the other processes' NOTIFY."""
        self.follower = Follower(
            lambda: self.catch_up(),
            leadership,
            poll_seconds=poll_seconds,
            settle_seconds=settle_seconds,
            reached=self.note,
        )
        self.follower.round()
        self.follower.start()
        if listen_url is not None:
            self.listener = Listener(listen_url, self.follower)
            self.listener.start()

    def stored(self, *, read_waits: bool = False) -> None:
        """A command of this process stored events, or a read waits (`read_waits`): project
        soon (a command: once its burst settled) or now (a read), not at the next poll — here,
        or, on PostgreSQL, in the process that leads (NOTIFY)."""
        if self.follower is not None:
            self.follower.wake(urgent=read_waits)
        if self.follower is not None and self.follower.leading:
            return
        if not self.views.is_sqlite:
            payload = "read" if read_waits else STORED
            try:
                with self.views.writer.connect() as connection:
                    connection.exec_driver_sql(f"NOTIFY {CHANNEL}, '{payload}'")
                    connection.commit()
            except SQLAlchemyError:  # the poll makes up for it
                log.warning("could not notify the projector", exc_info=True)

    @property
    def sees_its_projector(self) -> bool:
        """Whether this process's projector tells the reads its positions (it leads, and the
        queries read the database it writes)."""
        leads = self.follower is not None and self.follower.leading
        return leads and not self.views.has_replica

    def wait_for(self, wanted: int, timeout: float | None = None) -> bool:
        """Block until the read models reflect `wanted` or `timeout` (default: the configured
        wait) has passed; whether they do."""
        if self.reached >= wanted:
            return True
        deadline = time.monotonic() + (self.wait_seconds if timeout is None else timeout)
        self.stored(read_waits=True)
        while True:
            if not self.sees_its_projector:
                self.seen(self.views.position())
            remaining = deadline - time.monotonic()
            with self._moved:
                if self.reached >= wanted:
                    return True
                if remaining <= 0:
                    return False
                self._moved.wait(min(remaining, WAIT_POLL_SECONDS))

    def ensure(self, wanted: int | None) -> None:
        """Return once the read models reflect `wanted`; `ReadSideBehindError` past the wait."""
        if wanted is not None and not self.wait_for(wanted):
            raise ReadSideBehindError(wanted, self.wait_seconds)

    @property
    def position(self) -> int:
        """The notification id of the last event the read models reflect."""
        return self.views.position()

    def quarantined(self) -> list[QuarantinedEvent]:
        """The events the projector set aside (ADR 0105)."""
        return self.views.quarantined()

    def close(self) -> None:
        if self.listener is not None:
            self.listener.stop()
        if self.follower is not None:
            self.follower.stop()
        self.views.close()
