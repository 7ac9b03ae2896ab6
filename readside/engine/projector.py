"""The projector: catches the read models up with the ledger's notification log, exactly once.

It reads the log after its tracked position a page at a time, decodes the page, and then, in one
transaction of the read models' database, locks its tracking row, checks that the position is
still the one it read after, applies the page to every read model, and moves the position on
(ADR 0020). Another projector that got there first has moved the position: this one then writes
nothing, rolls back and reads on from where the other one stopped. A failure anywhere in the
transaction leaves the rows and the position as they were, so a restart resumes cleanly.

A page that fails because of one of its events (not because the database is away) is split in
halves until the event is found; that event is quarantined — recorded with its error in the
transaction that moves the position past it — and the rest goes on, in order (ADR 0105). When
the composer gives the projector a `check` (the seal's, `seal/checking.py`), each page's stored
events are compared with their sealed leaves first, and one that differs is quarantined too.

It runs in the background of a server process (`readside.engine.following`, ADR 0130) and on its
own as `greenledger project --follow` (`follow`, a polling loop on both stores; ADR 0023).
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from domain.ledger import Ledger
from readside.engine import quarantine, tables
from readside.engine.database import DEFAULT_PROJECTION, Views
from readside.engine.memory import DEFAULT_CAPACITY, Memory
from readside.engine.page import Page, PositionedEvent
from readside.engine.quarantine import (
    ProjectionConflictError,
    QuarantinedEvent,
    RejectedEvent,
    RejectedEventError,
)

__all__ = ["ProjectionConflictError", "Projector", "SealCheck"]

log = logging.getLogger("greenledger.readside")

#: Notifications per transaction: large enough to amortise the statements, small enough to keep
#: the write lock (SQLite) or the row lock (PostgreSQL) short.
DEFAULT_PAGE_SIZE = 1000
#: A rebuild has the database to itself: larger pages, fewer transactions.
REBUILD_PAGE_SIZE = 5000

Progress = Callable[[int], None]
#: The stored notifications of a page → the positions whose bytes differ from their sealed leaf,
#: each with the reason (the seal's check, injected: the read side knows nothing of the seal).
SealCheck = Callable[[Sequence[Any]], Mapping[int, str]]


@contextmanager
def _cyclic_garbage_collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while catching up.

    Decoding and applying events allocates millions of objects, and each full collection rescans
    every live one — the rows the projector remembers, the page's events — although none of them
    form reference cycles (they are freed by reference counting as usual). Measured on a rebuild
    of 538,000 events: a third of the time. The collector runs again as soon as the catch-up ends.
    """
    paused_here = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused_here:
            gc.enable()


class Projector:
    """Keeps the read models of `views` in step with `ledger`'s events."""

    def __init__(
        self,
        ledger: Ledger,
        views: Views,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        name: str = DEFAULT_PROJECTION,
        memory_capacity: int = DEFAULT_CAPACITY,
        check: SealCheck | None = None,
    ) -> None:
        if page_size < 1:
            raise ValueError(f"page_size must be at least 1, not {page_size}")
        self.ledger = ledger
        self.views = views
        self.page_size = page_size
        self.name = name
        self.memory = Memory(memory_capacity)
        self.check = check
        # The API shares one projector between its request threads: one page at a time here (the
        # database lock orders projectors; this one guards the memory, settled after the commit).
        self._one_page_at_a_time = threading.Lock()
        #: Pages read but not applied, because another projector applied them first.
        self.pages_yielded = 0

    @property
    def position(self) -> int:
        """The notification id of the last event the read models reflect (on the primary)."""
        return self.views.primary_position(self.name)

    def quarantined(self) -> list[QuarantinedEvent]:
        """The events set aside so far (ADR 0105), in position order."""
        return self.views.quarantined()

    def catch_up(self, progress: Progress | None = None, page_size: int | None = None) -> int:
        """Apply every event recorded after the tracked position; the position reached."""
        size = page_size or self.page_size
        position = self.position
        with _cyclic_garbage_collection_paused():
            while True:
                events = self._read_page(position, size)
                if not events:
                    return position
                position = self._apply_page(position, events)
                if progress is not None:
                    progress(position)
                if len(events) < size:  # the end of the log as it stands: no second read
                    return position

    def rebuild(self, progress: Progress | None = None) -> int:
        """Drop every read model and replay every event into it; the position reached."""
        self.memory.forget()
        self.views.drop()
        self.views.create(self.name, indexes=False)
        position = self.catch_up(progress, page_size=max(self.page_size, REBUILD_PAGE_SIZE))
        self.views.create_indexes()
        self.views.settle()
        return position

    def follow(
        self,
        stop: threading.Event,
        poll_seconds: float = 0.5,
        then: Callable[[], object] | None = None,
        leads: Callable[[], bool] | None = None,
    ) -> int:
        """Catch up, then poll for new events until `stop` is set; the position reached.

        `then` runs after each catch-up: the worker keeps the seal level with the log with it.
        `leads` says whether this process may project now (ADR 0131: on PostgreSQL, one projector
        among the processes); a round where it may not does nothing.
        """
        position = self.position
        while True:
            if leads is None or leads():
                position = self.catch_up()
                if then is not None:
                    then()
            if stop.wait(poll_seconds):
                return position

    # -- one page --------------------------------------------------------------------------------

    def _read_page(self, position: int, size: int) -> list[PositionedEvent]:
        notifications = self.ledger.recorder.select_notifications(
            start=position, limit=size, inclusive_of_start=False
        )
        to_domain_event = self.ledger.mapper.to_domain_event
        try:
            events: list[PositionedEvent] = [(n.id, to_domain_event(n)) for n in notifications]
        except Exception:
            events = [(n.id, self._decoded(n)) for n in notifications]
        if self.check is not None and notifications:
            differing = self.check(notifications)
            if differing:
                by_id = {n.id: n for n in notifications}
                events = [
                    (p, RejectedEvent.of(by_id[p], differing[p]) if p in differing else event)
                    for p, event in events
                ]
        return events

    def _decoded(self, notification: Any) -> Any:
        """The notification's event, or what cannot be decoded of it, to be quarantined."""
        try:
            return self.ledger.mapper.to_domain_event(notification)
        except Exception as error:
            reason = f"the stored event cannot be decoded: {type(error).__name__}: {error}"
            return RejectedEvent.of(notification, reason)

    def _apply_page(self, position: int, events: Sequence[PositionedEvent]) -> int:
        """Apply a page read after `position`; the position the read models are at afterwards."""
        with self._one_page_at_a_time:
            return self._apply_or_split(position, events)

    def _apply_or_split(self, position: int, events: Sequence[PositionedEvent]) -> int:
        """Apply the events; if one of them fails, apply each half on its own, down to the one
        event that fails, which is quarantined. The rows do not depend on where pages begin and
        end (ADR 0020), so halves give the rows the whole page would have."""
        try:
            return self._apply_page_alone(position, events)
        except Exception as error:
            if quarantine.is_transient(error):
                raise
            if len(events) == 1:
                return self._quarantine(position, events[0], error)
        half = len(events) // 2
        reached = self._apply_or_split(position, events[:half])
        if reached != events[half - 1][0]:
            return reached  # another projector moved the position: read on from there
        return self._apply_or_split(reached, events[half:])

    def _quarantine(self, position: int, event: PositionedEvent, error: Exception) -> int:
        """Set aside the one event after `position` and move the position past it."""
        self.memory.forget()
        with self.views.writer.begin() as connection:
            current, recorded_until = self._lock(connection)
            if current != position:
                self.pages_yielded += 1
                return current
            quarantine.record(connection, event[0], event[1], error)
            self._advance(connection, position, event[0], recorded_until)
        topic, originator_id, version = quarantine.event_identity(event[1])
        log.warning(
            "quarantined the event at position %d (%s v%d of %s): %s",
            event[0],
            topic,
            version,
            originator_id,
            quarantine.describe(error),
        )
        return event[0]

    def _apply_page_alone(self, position: int, events: Sequence[PositionedEvent]) -> int:
        for _, event in events:
            if isinstance(event, RejectedEvent):
                raise RejectedEventError(event.reason)
        try:
            with self.views.writer.begin() as connection:
                current, recorded_until = self._lock(connection)
                if current != position:
                    self.pages_yielded += 1
                    self.memory.forget()
                    return current
                self.memory.recall(position)
                page = Page(self.memory, recorded_until)
                page.apply(connection, events)
                page.flush(connection)
                new_position = events[-1][0]
                self._advance(connection, position, new_position, page.recorded_until)
        except BaseException:
            self.memory.forget()
            raise
        page.settle()
        self.memory.settle(new_position)
        return new_position

    def _lock(self, connection: Connection) -> tuple[int, datetime | None]:
        """The tracked position (and instant), locked until the transaction ends.

        SQLite: the transaction began with BEGIN IMMEDIATE and holds the database's write lock.
        PostgreSQL: the tracking row is locked; a second projector waits here, then reads the
        position the first one wrote.
        """
        tracking = tables.tracking
        query: Any = sa.select(tracking.c.position, tracking.c.recorded_until).where(
            tracking.c.name == self.name
        )
        if not self.views.is_sqlite:
            query = query.with_for_update()
        found = connection.execute(query).first()
        if found is None:
            raise ProjectionConflictError(
                f"the read models have no tracking row {self.name!r}: were they dropped?"
            )
        return int(found.position), found.recorded_until

    def _advance(
        self, connection: Connection, old: int, new: int, recorded_until: datetime | None
    ) -> None:
        """Move the tracked position from `old` to `new`, or fail if it is no longer `old`."""
        result = connection.execute(
            tables.tracking.update()
            .where(tables.tracking.c.name == self.name, tables.tracking.c.position == old)
            .values(position=new, recorded_until=recorded_until)
        )
        if result.rowcount != 1:
            raise ProjectionConflictError(
                f"projection {self.name!r} moved from {old} while this page was applied"
            )
