"""The histories: every event of a listing, an enterprise (with its listings') or an assessor, in
order, one line each in Chinese and English, with both times; each answer carries its `position`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from domain.values import (
    Reference,
)
from readside.engine import tables
from readside.engine.database import Views, read_position
from readside.engine.reading import check_instant, known_position


@dataclass(frozen=True)
class TimelineEntry:
    position: int
    event: str
    originator_id: UUID
    originator_version: int
    effective_on: date
    recorded_at: datetime
    actor: str
    basis: tuple[Reference, ...]
    note: str | None
    summary_zh: str
    summary_en: str


@dataclass(frozen=True)
class History:
    """Every event of a listing, or of an enterprise and its listings, in order."""

    subject_id: UUID
    entries: tuple[TimelineEntry, ...]
    position: int


def list_listing_history(
    views: Views,
    listing_id: UUID,
    *,
    as_of: date | None = None,
    known_at: datetime | None = None,
) -> History:
    """Every event of the listing, in order: those effective by `as_of` (default: every one)
    and recorded by `known_at` (default: now), as the listing and its explanation read them."""
    t = tables.timeline
    return _history(views, listing_id, t.c.originator_id == listing_id, as_of, known_at)


def list_enterprise_history(views: Views, enterprise_id: UUID) -> History:
    """Every event of the enterprise and of its listings, in order."""
    t = tables.timeline
    return _history(views, enterprise_id, t.c.enterprise_id == enterprise_id)


def list_history(views: Views, originator_id: UUID) -> History:
    """Every event of one aggregate (an assessor, a batch ...), in order."""
    t = tables.timeline
    return _history(views, originator_id, t.c.originator_id == originator_id)


def _history(
    views: Views,
    subject_id: UUID,
    where: sa.ColumnElement[bool],
    as_of: date | None = None,
    known_at: datetime | None = None,
) -> History:
    t = tables.timeline
    check_instant(known_at)
    conditions = [where]
    if as_of is not None:
        conditions.append(t.c.effective_on <= as_of)
    with views.reading() as connection:
        known = known_position(connection, known_at)
        if known is not None:
            conditions.append(t.c.position <= known)
        rows = connection.execute(sa.select(t).where(*conditions).order_by(t.c.position)).all()
        position = read_position(connection)
    return History(
        subject_id=subject_id,
        entries=tuple(timeline_entry(row._asdict()) for row in rows),
        position=position,
    )


def timeline_entry(row: dict[str, Any]) -> TimelineEntry:
    return TimelineEntry(
        position=row["position"],
        event=row["event"],
        originator_id=row["originator_id"],
        originator_version=row["originator_version"],
        effective_on=row["effective_on"],
        recorded_at=row["recorded_at"],
        actor=row["actor"],
        basis=references(row["basis"]),
        note=row["note"],
        summary_zh=row["summary_zh"],
        summary_en=row["summary_en"],
    )


def references(stored: list[dict[str, str | None]] | None) -> tuple[Reference, ...]:
    return tuple(Reference(**reference) for reference in stored or ())


def reference(stored: dict[str, str | None] | None) -> Reference | None:
    return Reference(**stored) if stored else None


def list_events(views: Views, positions: Sequence[int]) -> dict[int, TimelineEntry]:
    """The timeline lines of the events at these positions (the facts a decision rests on, with
    the documents each cites), by position; positions the ledger does not hold are left out."""
    wanted = sorted(set(positions))
    t = tables.timeline
    found: dict[int, TimelineEntry] = {}
    with views.reading() as connection:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for row in connection.execute(sa.select(t).where(t.c.position.in_(chunk))):
                entry = timeline_entry(row._asdict())
                found[entry.position] = entry
    return found
