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


def green_code_on(listing_id: Any, day: date, known: int | None) -> sa.ScalarSelect[Any]:
    """The 企业绿码 the unit bears on `day` as known at position `known` (ADR 0151): its
    assignment of the latest report year among those effective by `day` and recorded by `known`
    (a later assignment of the same year replaces an earlier one)."""
    return (
        _latest_green_code(listing_id, day, known)
        .with_only_columns(tables.listing_green_codes.c.grade)
        .scalar_subquery()
    )


def green_code_year_on(listing_id: Any, day: date, known: int | None) -> sa.ScalarSelect[Any]:
    """The report year of the code `green_code_on` answers."""
    return (
        _latest_green_code(listing_id, day, known)
        .with_only_columns(tables.listing_green_codes.c.report_year)
        .scalar_subquery()
    )


def _latest_green_code(listing_id: Any, day: date, known: int | None) -> sa.Select[Any]:
    g = tables.listing_green_codes
    where = [g.c.listing_id == listing_id, g.c.effective_on <= day]
    if known is not None:
        where.append(g.c.position <= known)
    return (
        sa.select(g.c.grade)
        .where(*where)
        .order_by(g.c.report_year.desc(), g.c.position.desc())
        .limit(1)
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
