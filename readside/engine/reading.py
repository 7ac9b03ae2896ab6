"""What every query shares: the position an instant resolves to (the log as it stood then), the
bitemporal condition of a row in force on a day as known at a position, the check of an instant.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from domain.errors import InvalidInputError
from domain.values import ON_LIST, ListingStatus
from readside.engine import tables


def known_position(connection: Connection, known_at: datetime | None) -> int | None:
    """The position an instant resolves to: the log as it stood then (None: as known now).

    The position, not the clock, orders the ledger (ADR 0002), and the log commits in position
    order: an event was known at T if it and every event before it were recorded by T
    (`timeline.known_from <= T`). So an answer "as known at" is always a prefix of the log, and
    a command's events are known together.
    """
    if known_at is None:
        return None
    t = tables.timeline
    found = connection.execute(
        sa.select(t.c.position)
        .where(t.c.known_from <= known_at)
        .order_by(t.c.known_from.desc(), t.c.position.desc())
        .limit(1)
    ).scalar_one_or_none()
    return int(found or 0)


def in_force(p: sa.Table, day: date, known: int | None) -> list[sa.ColumnElement[bool]]:
    """The stretches true on `day`, as known at position `known` (None: as known now)."""
    where = [p.c.valid_from <= day, sa.or_(p.c.valid_to.is_(None), p.c.valid_to > day)]
    if known is None:
        where.append(p.c.recorded_to.is_(None))
    else:
        where.append(p.c.recorded_from_position <= known)
        where.append(sa.or_(p.c.recorded_to_position.is_(None), p.c.recorded_to_position > known))
    return where


#: What anyone may see of a unit (api.md, v1 additions): published facts only — the statuses on
#: the list and `removed`, never a nomination not yet published, never a rejection.
PUBLIC_STATUSES = frozenset({*ON_LIST, ListingStatus.REMOVED})


def in_status(
    column: sa.ColumnElement[str], statuses: Iterable[ListingStatus] = ()
) -> sa.ColumnElement[bool]:
    """The statuses asked, or — when none is — "on the list": the one definition every count
    uses (api.md, v1 additions: `listed`, `flagged`, `under_assessment`, `removal_proposed`,
    `domain.values.ON_LIST`), so the list's totals, the statistics, the series over the years,
    the charts, the exports and the changes count the same units."""
    codes = sorted({status.value for status in (tuple(statuses) or ON_LIST)})
    return column.in_(codes) if len(codes) > 1 else column == codes[0]


def check_instant(known_at: datetime | None) -> None:
    if known_at is not None and known_at.tzinfo is None:
        raise InvalidInputError("known_at", "must carry a time zone (RFC 3339, e.g. …Z)")
