"""Counts of the list on a date, grouped by region, category, level or status, and their series
over the years (from the bitemporal statistics rows); each answer carries its `position`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from domain.errors import InvalidInputError
from domain.ledger import Ledger
from domain.values import Category, Region
from readside.engine import tables
from readside.engine.database import Views, read_position
from readside.engine.reading import in_force, in_status, known_position
from readside.listings.queries import ListQuery, list_conditions

GROUPINGS = ("region", "category", "level", "status")


@dataclass(frozen=True)
class StatisticsCount:
    """How many units, on the date, fall in this group (None: not grouped by that field)."""

    region: str | None
    category: str | None
    level: str | None
    status: str | None
    count: int


@dataclass(frozen=True)
class Statistics:
    as_of: date
    known_at: datetime | None
    group_by: tuple[str, ...]
    counts: tuple[StatisticsCount, ...]
    total: int
    position: int


@dataclass(frozen=True)
class YearStatistics:
    """One category in one year: units on the list at the year's end, listed and removed in it."""

    year: int
    category: str
    on_list: int
    listed: int
    removed: int


@dataclass(frozen=True)
class StatisticsSeries:
    from_year: int
    to_year: int
    #: The region counted (None: every region).
    region: str | None
    years: tuple[YearStatistics, ...]
    position: int


def get_statistics(
    views: Views,
    query: ListQuery | None = None,
    *,
    as_of: date | None = None,
    group_by: Sequence[str] = GROUPINGS,
) -> Statistics:
    """How many units the list `query` asks for holds (default: the units on the list on
    `as_of`, as known now), by the fields of `group_by`: counted from the same stretches, with
    the same conditions, as the list's total (`list_conditions`), so the two always agree."""
    query = query if query is not None else ListQuery(as_of=as_of)
    day = query.as_of or Ledger.today()
    unknown = [name for name in group_by if name not in GROUPINGS]
    if unknown:
        raise InvalidInputError("group_by", f"{', '.join(unknown)}: use {', '.join(GROUPINGS)}")
    grouping = tuple(name for name in GROUPINGS if name in group_by)
    p = tables.listing_periods
    columns = [p.c[name] for name in grouping]
    with views.reading() as connection:
        known = known_position(connection, query.known_at)
        rows = connection.execute(
            sa.select(*columns, sa.func.count().label("units"))
            .where(*in_force(p, day, known), *list_conditions(p, query, day, known))
            .group_by(*columns)
            .order_by(*columns)
        ).all()
        position = read_position(connection)
    counts = tuple(
        StatisticsCount(
            region=fields.get("region"),
            category=fields.get("category"),
            level=fields.get("level"),
            status=fields.get("status"),
            count=int(fields["units"]),
        )
        for fields in (row._asdict() for row in rows)
        if fields["units"]
    )
    return Statistics(
        as_of=day,
        known_at=query.known_at,
        group_by=grouping,
        counts=counts,
        total=sum(c.count for c in counts),
        position=position,
    )


def list_statistics_series(
    views: Views,
    *,
    from_year: int = 2017,
    to_year: int | None = None,
    region: str | None = None,
) -> StatisticsSeries:
    """Year by year and category by category, in one region or all: units on the list at the
    year's end (`in_status`, as the list counts them), units listed in the year, units removed in
    it (rescinded removals do not count)."""
    last = to_year if to_year is not None else Ledger.today().year
    if from_year > last:
        raise InvalidInputError("from", f"{from_year} is after {last}")
    code = Region.of(region).code if region is not None else None
    end = date(last, 12, 31)
    with views.reading() as connection:
        change_by_year = _changes_by_year(connection, end, code)
        counted = _decided_by_year(connection, date(from_year, 1, 1), end, code)
        position = read_position(connection)
    years: list[YearStatistics] = []
    on_list = {category.value: 0 for category in Category}
    first_change = min((year for year, _ in change_by_year), default=from_year)
    for year in range(min(first_change, from_year), last + 1):
        for category in on_list:
            on_list[category] += change_by_year.get((year, category), 0)
            if year >= from_year:
                years.append(
                    YearStatistics(
                        year=year,
                        category=category,
                        on_list=on_list[category],
                        listed=counted.get((year, category, "listing"), 0),
                        removed=counted.get((year, category, "removal"), 0),
                    )
                )
    return StatisticsSeries(
        from_year=from_year, to_year=last, region=code, years=tuple(years), position=position
    )


def _changes_by_year(
    connection: Connection, end: date, region: str | None
) -> dict[tuple[int, str], int]:
    """The net change, in each year and category, of the units on the list."""
    s = tables.statistics
    year_of_day = sa.extract("year", s.c.day)
    where = [s.c.day <= end, in_status(s.c.status)]
    if region is not None:
        where.append(s.c.region == region)
    changes = connection.execute(
        sa.select(year_of_day.label("year"), s.c.category, sa.func.sum(s.c.change))
        .where(*where)
        .group_by(year_of_day, s.c.category)
    ).all()
    return {(int(year), category): int(change or 0) for year, category, change in changes}


def _decided_by_year(
    connection: Connection, start: date, end: date, region: str | None
) -> dict[tuple[int, str, str], int]:
    """How many listings and removals (not rescinded) took effect in each year and category."""
    d, listings = tables.decisions, tables.listings
    year_decided = sa.extract("year", d.c.effective_on)
    where = [
        d.c.kind.in_(("listing", "removal")),
        d.c.rescinded_position.is_(None),
        d.c.effective_on >= start,
        d.c.effective_on <= end,
    ]
    query = sa.select(year_decided.label("year"), d.c.category, d.c.kind, sa.func.count())
    if region is not None:
        query = query.join_from(d, listings, d.c.subject_id == listings.c.listing_id)
        where.append(listings.c.region == region)
    decided = connection.execute(
        query.where(*where).group_by(year_decided, d.c.category, d.c.kind)
    ).all()
    return {(int(year), category, kind): int(count) for year, category, kind, count in decided}
