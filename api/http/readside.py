"""The read side as the API process holds it: the read models and the projector that keeps them up
with the ledger.

design.md: the projector runs in-process after each command, so a client reads its own writes.
It is incremental (it applies only the events after its tracked position), and one catch-up at a
time runs in a process (the projector's page memory is not shared between threads; other
processes are kept apart by the projector's own lock on its tracking row). Catch-ups coalesce:
a command whose position an earlier catch-up already reached does not run one, so commands
finishing together pay for one catch-up. On SQLite the catch-up takes the process's command gate
(it writes to the same file; ADR 0053). The read side needs a SQL store: on `memory://` (tests
only) the API serves commands, and reads answer 503.
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager

from api.http.errors import ApiError
from domain.ledger import Ledger
from readside.engine.database import Views
from readside.engine.projector import Projector, SealCheck
from readside.engine.quarantine import QuarantinedEvent

#: Rows the API process's projector keeps in memory between catch-ups (the read side's choice).
API_PROJECTOR_MEMORY = 5_000


class ReadSideUnavailableError(ApiError):
    """Raised when a query needs the read models and this process has none (memory://)."""

    status = 503
    slug = "read-side-unavailable"
    title = "读模型不可用 Read models unavailable"


class ReadSide:
    """The read models of one ledger and their projector, shared by the threads of a process."""

    def __init__(
        self, views: Views, projector: Projector, lock: AbstractContextManager[object]
    ) -> None:
        self.views = views
        self.projector = projector
        self._catching_up = lock
        #: The position the last catch-up of this process reached.
        self.reached = 0

    @classmethod
    def open(
        cls,
        ledger: Ledger,
        database_url: str,
        gate: AbstractContextManager[object],
        check: SealCheck | None = None,
        busy_timeout_seconds: float = 30,
    ) -> ReadSide:
        """The read side of `ledger`; on SQLite its catch-ups pass through `gate`; `check`: the
        seal's check of each event before it is applied (ADR 0105); `busy_timeout_seconds`: how
        long a statement waits for SQLite's lock before the request answers 503 (ADR 0106)."""
        views = Views.open(database_url, busy_timeout_seconds=busy_timeout_seconds)
        lock = gate if views.is_sqlite else threading.Lock()
        # A few pages' worth of rows in memory: a worker (`greenledger project`) remembers more.
        projector = Projector(ledger, views, memory_capacity=API_PROJECTOR_MEMORY, check=check)
        return cls(views, projector, lock)

    def catch_up(self, position: int | None = None) -> int:
        """Apply the events recorded since the last catch-up, unless one already reached
        `position`; the position reached."""
        if position is not None and self.reached >= position:
            return self.reached
        with self._catching_up:
            if position is None or self.reached < position:
                self.reached = self.projector.catch_up()
            return self.reached

    @property
    def position(self) -> int:
        """The notification id of the last event the read models reflect."""
        return self.views.position()

    def quarantined(self) -> list[QuarantinedEvent]:
        """The events the projector set aside (ADR 0105)."""
        return self.views.quarantined()

    def close(self) -> None:
        self.views.close()
