"""Events the projector sets aside instead of stopping on them (ADR 0105).

An event the projector cannot apply — a read-model handler raises, the database refuses a value
(PostgreSQL: "text fields cannot contain NUL"), its payload cannot be decoded, or its stored
bytes differ from the leaf the seal holds for it — is recorded in `projection_quarantine` with
its position, topic, originator and the error, in the same transaction that moves the tracked
position past it. The events after it are applied as usual, in order.

What is not the event's fault is never quarantined: the database unreachable, locked or timing
out, or another projector moving the position. Those propagate, and the projector retries later
from where it stopped.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
import sqlalchemy as sa
from eventsourcing.persistence import InterfaceError as LibraryInterfaceError
from eventsourcing.persistence import OperationalError as LibraryOperationalError
from sqlalchemy.engine import Connection

from domain.errors import LedgerError
from readside.engine import tables

#: The longest error text kept.
_ERROR_LENGTH = 2000
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

#: Failures of the database (or of the program's statements: a missing table or column would
#: fail every event alike), not of an event: the projector stops and retries later.
_TRANSIENT: tuple[type[BaseException], ...] = (
    sa.exc.OperationalError,
    sa.exc.ProgrammingError,
    psycopg.ProgrammingError,
    sqlite3.ProgrammingError,
    sa.exc.InterfaceError,
    sa.exc.TimeoutError,
    sa.exc.DisconnectionError,
    sa.exc.ResourceClosedError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    sqlite3.OperationalError,
    sqlite3.InterfaceError,
    LibraryOperationalError,
    LibraryInterfaceError,
    ConnectionError,
    TimeoutError,
)


class ProjectionConflictError(LedgerError):
    """Raised when the tracking position moved under a projector holding its lock."""


class RejectedEventError(Exception):
    """Raised for an event read from the log that cannot be applied as it is: its payload does
    not decode, or its bytes differ from its sealed leaf."""


@dataclass(frozen=True)
class RejectedEvent:
    """A notification that reached the projector but not as an event it may apply."""

    topic: str
    originator_id: str
    originator_version: int
    reason: str

    @classmethod
    def of(cls, notification: Any, reason: str) -> RejectedEvent:
        return cls(
            topic=str(notification.topic),
            originator_id=str(notification.originator_id),
            originator_version=int(notification.originator_version),
            reason=reason,
        )


@dataclass(frozen=True)
class QuarantinedEvent:
    """One event set aside, as `/health`, `greenledger status` and `project` report it."""

    position: int
    topic: str
    originator_id: str
    originator_version: int
    error: str
    quarantined_at: datetime


def is_transient(error: BaseException) -> bool:
    """Whether the failure is the database's (retry later), not the event's (quarantine)."""
    return isinstance(error, (ProjectionConflictError, *_TRANSIENT))


def storable(text: str, length: int = _ERROR_LENGTH) -> str:
    """`text` with control characters shown as escapes (the error may quote the bad value)."""
    shown = _UNSTORABLE.sub(lambda found: f"\\x{ord(found.group()):02x}", text)
    return shown if len(shown) <= length else shown[: length - 1] + "…"


def describe(error: BaseException) -> str:
    if isinstance(error, RejectedEventError):
        return storable(str(error))
    return storable(f"{type(error).__name__}: {error}")


def event_identity(event: Any) -> tuple[str, str, int]:
    """(topic, originator id, version) of a decoded event or a rejected notification."""
    if isinstance(event, RejectedEvent):
        return event.topic, event.originator_id, event.originator_version
    kind = type(event)
    return (
        f"{kind.__module__}:{kind.__qualname__}",
        str(getattr(event, "originator_id", "")),
        int(getattr(event, "originator_version", 0) or 0),
    )


def record(connection: Connection, position: int, event: Any, error: BaseException) -> None:
    """Set the event at `position` aside (in the caller's transaction)."""
    topic, originator_id, version = event_identity(event)
    connection.execute(
        tables.quarantine.insert().values(
            position=position,
            topic=storable(topic, 500),
            originator_id=storable(originator_id, 200),
            originator_version=version,
            error=describe(error),
            quarantined_at=datetime.now(UTC),
        )
    )


def read_quarantined(connection: Connection) -> list[QuarantinedEvent]:
    """Every event set aside, in position order."""
    rows = connection.execute(sa.select(tables.quarantine).order_by(tables.quarantine.c.position))
    return [
        QuarantinedEvent(
            position=int(row.position),
            topic=row.topic,
            originator_id=row.originator_id,
            originator_version=int(row.originator_version),
            error=row.error,
            quarantined_at=row.quarantined_at,
        )
        for row in rows
    ]
