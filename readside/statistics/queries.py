"""Counts of the list on a date, grouped by region, category, level or status, and their series
over the years (from the bitemporal statistics rows); each answer carries its `position`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from domain.errors import InvalidInputError
from domain.ledger import Ledger
from domain.values import (
    ON_LIST,
    Category,
)
from readside.engine import tables
from readside.engine.database import Views, read_position

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
    years: tuple[YearStatistics, ...]
    position: int


def get_statistics(
    views: Views,
    *,
    as_of: date | None = None,
    group_by: Sequence[str] = GROUPINGS,
) -> Statistics:
    """How many units there are on `as_of` (as now known), by the fields of `group_by`."""
    day = as_of or Ledger.today()
    unknown = [name for name in group_by if name not in GROUPINGS]
    if unknown:
        raise InvalidInputError("group_by", f"{', '.join(unknown)}: use {', '.join(GROUPINGS)}")
    grouping = tuple(name for name in GROUPINGS if name in group_by)
    s = tables.statistics
    columns = [s.c[name] for name in grouping]
    count = sa.func.sum(s.c.change)
    with views.reading() as connection:
        rows = connection.execute(
            sa.select(*columns, count.label("units"))
            .where(s.c.day <= day)
            .group_by(*columns)
            .having(count != 0)
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
    )
    return Statistics(
        as_of=day,
        group_by=grouping,
        counts=counts,
        total=sum(c.count for c in counts),
        position=position,
    )


def list_statistics_series(
    views: Views, *, from_year: int = 2017, to_year: int | None = None
) -> StatisticsSeries:
    """Year by year and category by category: units on the list at the year's end, units listed
    in the year, units removed in it (rescinded removals do not count)."""
    last = to_year if to_year is not None else Ledger.today().year
    if from_year > last:
        raise InvalidInputError("from", f"{from_year} is after {last}")
    s, d = tables.statistics, tables.decisions
    year_of_day = sa.extract("year", s.c.day)
    year_decided = sa.extract("year", d.c.effective_on)
    end = date(last, 12, 31)
    with views.reading() as connection:
        changes = connection.execute(
            sa.select(year_of_day.label("year"), s.c.category, sa.func.sum(s.c.change))
            .where(s.c.day <= end, s.c.status.in_([status.value for status in ON_LIST]))
            .group_by(year_of_day, s.c.category)
        ).all()
        decided = connection.execute(
            sa.select(year_decided.label("year"), d.c.category, d.c.kind, sa.func.count())
            .where(
                d.c.kind.in_(("listing", "removal")),
                d.c.rescinded_position.is_(None),
                d.c.effective_on >= date(from_year, 1, 1),
                d.c.effective_on <= end,
            )
            .group_by(year_decided, d.c.category, d.c.kind)
        ).all()
        position = read_position(connection)
    change_by_year: dict[tuple[int, str], int] = {}
    for year, category, change in changes:
        change_by_year[(int(year), category)] = int(change or 0)
    counted: dict[tuple[int, str, str], int] = {}
    for year, category, kind, count in decided:
        counted[(int(year), category, kind)] = int(count)
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
        from_year=from_year, to_year=last, years=tuple(years), position=position
    )
