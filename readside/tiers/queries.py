"""What the list, a unit and the exports read of the tiers: the stars on a date as known at an
instant, and a municipal unit's city; a unit's rating history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from readside.engine import tables


def stars_on(listing_id: Any, day: date, known: int | None) -> sa.ScalarSelect[Any]:
    """The stars in force on `day` (the latest rating effective by then), among the ratings
    recorded by position `known` (None: every one): a scalar for a list's select."""
    s = tables.listing_stars
    where = [s.c.listing_id == listing_id, s.c.effective_on <= day]
    if known is not None:
        where.append(s.c.position <= known)
    return (
        sa.select(s.c.stars)
        .where(*where)
        .order_by(s.c.effective_on.desc(), s.c.position.desc())
        .limit(1)
        .scalar_subquery()
    )


def city_of(listing_id: Any) -> sa.ScalarSelect[Any]:
    c = tables.listing_cities
    return sa.select(c.c.city).where(c.c.listing_id == listing_id).scalar_subquery()


@dataclass(frozen=True)
class StarRatingRow:
    stars: int
    effective_on: date
    doc_no: str | None
    position: int


def star_history(
    connection: Connection, listing_id: UUID, known: int | None
) -> tuple[StarRatingRow, ...]:
    """Every rating of the unit recorded by `known`, in effective order: upgrades and downgrades."""
    s = tables.listing_stars
    where = [s.c.listing_id == listing_id]
    if known is not None:
        where.append(s.c.position <= known)
    rows = connection.execute(
        sa.select(s).where(*where).order_by(s.c.effective_on, s.c.position)
    ).all()
    return tuple(
        StarRatingRow(
            stars=row.stars,
            effective_on=row.effective_on,
            doc_no=(row.announcement or {}).get("doc_no"),
            position=row.position,
        )
        for row in rows
    )
