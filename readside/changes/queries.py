"""How the list changed between two dates (api.md v1 additions, `GET /v1/changes`), as known now.

Between `start` and `end` means effective in `(start, end]`: the list on `start` is the "before",
the list on `end` the "after". The units *listed* in the window (each Listed decision), *removed*
in it (each removal not rescinded, with its reasons and announcement) and *renamed* in it (each
unit on the list the day its enterprise took a new name) — a unit listed and removed inside the
window is in both — and the *net* difference of the two lists: the units on the list on `end` and
not on `start` (added) and the reverse (dropped). "On the list" is `in_status`
(`readside.engine.reading`), the one definition every count uses, and the lists on the two
dates are read as `GET /v1/list` reads them, so their totals agree with it. Only published
facts: never a nomination or a rejection.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from domain.enterprise import Enterprise
from domain.errors import InvalidInputError
from domain.values import Category, Level, Reference, Region
from readside.engine import tables
from readside.engine.database import Views, read_position
from readside.engine.reading import in_force, in_status
from readside.timeline.queries import reference

_RENAMED = Enterprise.Renamed.__qualname__


@dataclass(frozen=True)
class ChangedUnit:
    """A unit and its place on the list; `name` as it stood on `on`."""

    listing_id: UUID
    enterprise_id: UUID
    name: str
    region: str
    category: str
    level: str
    batch_year: int
    on: date


@dataclass(frozen=True)
class UnitListed:
    unit: ChangedUnit
    announcement: Reference | None
    position: int


@dataclass(frozen=True)
class UnitRemoved:
    unit: ChangedUnit
    reasons: tuple[str, ...]
    announcement: Reference | None
    position: int


@dataclass(frozen=True)
class UnitRenamed:
    unit: ChangedUnit
    previous_name: str
    position: int


@dataclass(frozen=True)
class ChangeCounts:
    """How many, in all or in one category."""

    listed: int
    removed: int
    renamed: int
    on_start: int
    on_end: int
    added: int
    dropped: int

    @property
    def net(self) -> int:
        return self.on_end - self.on_start


@dataclass(frozen=True)
class ListChanges:
    start: date
    end: date
    category: str | None
    level: str | None
    region: str | None
    listed: tuple[UnitListed, ...]
    removed: tuple[UnitRemoved, ...]
    renamed: tuple[UnitRenamed, ...]
    added: tuple[ChangedUnit, ...]
    dropped: tuple[ChangedUnit, ...]
    counts: ChangeCounts
    by_category: dict[str, ChangeCounts]
    position: int


@dataclass(frozen=True)
class _Filters:
    category: str | None
    level: str | None
    region: str | None

    def on(self, table: sa.Table) -> list[sa.ColumnElement[bool]]:
        where: list[sa.ColumnElement[bool]] = []
        for name in ("category", "level", "region"):
            value = getattr(self, name)
            if value is not None:
                where.append(table.c[name] == value)
        return where


def get_changes(
    views: Views,
    *,
    start: date,
    end: date,
    category: str | Category | None = None,
    level: str | Level | None = None,
    region: str | Region | None = None,
) -> ListChanges:
    """The list's changes effective after `start` up to `end`, as known now."""
    if end < start:
        raise InvalidInputError("to", f"{end} is before from ({start})")
    filters = _Filters(
        Category.parse(category, "category").value if category is not None else None,
        Level.parse(level, "level").value if level is not None else None,
        Region.of(region).code if region is not None else None,
    )
    with views.reading() as connection:
        listed = _listed(connection, start, end, filters)
        removed = _removed(connection, start, end, filters)
        renamed = _renamed(connection, start, end, filters)
        before = _on_the_list(connection, start, filters)
        after = _on_the_list(connection, end, filters)
        position = read_position(connection)
    added = _ordered(after[i] for i in after.keys() - before.keys())
    dropped = _ordered(before[i] for i in before.keys() - after.keys())
    groups = (
        listed,
        removed,
        renamed,
        tuple(before.values()),
        tuple(after.values()),
        added,
        dropped,
    )
    return ListChanges(
        start=start,
        end=end,
        category=filters.category,
        level=filters.level,
        region=filters.region,
        listed=listed,
        removed=removed,
        renamed=renamed,
        added=added,
        dropped=dropped,
        counts=_count(*groups),
        by_category={
            c.value: _count(
                *(tuple(x for x in group if _unit(x).category == c.value) for group in groups)
            )
            for c in Category
        },
        position=position,
    )


def _unit(item: UnitListed | UnitRemoved | UnitRenamed | ChangedUnit) -> ChangedUnit:
    return item if isinstance(item, ChangedUnit) else item.unit


def _ordered(units: Iterable[ChangedUnit]) -> tuple[ChangedUnit, ...]:
    return tuple(sorted(units, key=lambda u: (u.region, u.category, u.name, str(u.listing_id))))


def _count(*groups: Sequence[Any]) -> ChangeCounts:
    listed, removed, renamed, before, after, added, dropped = (len(group) for group in groups)
    return ChangeCounts(listed, removed, renamed, before, after, added, dropped)


# -- the decisions in the window -------------------------------------------------------------------


def _named_on(day: sa.ColumnElement[date]) -> tuple[Any, list[sa.ColumnElement[bool]]]:
    """The listing periods as known now, joined on the stretch in force on `day`."""
    p = tables.listing_periods.alias("standing")
    return p, [
        p.c.recorded_to.is_(None),
        p.c.valid_from <= day,
        sa.or_(p.c.valid_to.is_(None), p.c.valid_to > day),
    ]


def _decisions(
    connection: Connection, kind: str, start: date, end: date, filters: _Filters
) -> list[Any]:
    d, listing = tables.decisions, tables.listings
    p, on_the_day = _named_on(d.c.effective_on)
    query = (
        sa.select(
            d.c.position,
            d.c.effective_on,
            d.c.reasons,
            d.c.announcement,
            d.c.rescinded_position,
            listing.c.listing_id,
            listing.c.enterprise_id,
            listing.c.region,
            listing.c.category,
            listing.c.level,
            p.c.name,
            p.c.batch_year,
        )
        .join(listing, listing.c.listing_id == d.c.subject_id)
        .join(p, sa.and_(p.c.listing_id == d.c.subject_id, *on_the_day))
        .where(d.c.kind == kind, d.c.effective_on > start, d.c.effective_on <= end)
        .where(*filters.on(listing))
        .order_by(d.c.effective_on, listing.c.region, p.c.name_key, d.c.position)
    )
    return list(connection.execute(query).all())


def _changed_unit(row: Any, day: date) -> ChangedUnit:
    return ChangedUnit(
        listing_id=row.listing_id,
        enterprise_id=row.enterprise_id,
        name=row.name,
        region=row.region,
        category=row.category,
        level=row.level,
        batch_year=row.batch_year,
        on=day,
    )


def _listed(
    connection: Connection, start: date, end: date, filters: _Filters
) -> tuple[UnitListed, ...]:
    return tuple(
        UnitListed(_changed_unit(row, row.effective_on), reference(row.announcement), row.position)
        for row in _decisions(connection, "listing", start, end, filters)
    )


def _removed(
    connection: Connection, start: date, end: date, filters: _Filters
) -> tuple[UnitRemoved, ...]:
    return tuple(
        UnitRemoved(
            _changed_unit(row, row.effective_on),
            tuple(row.reasons),
            reference(row.announcement),
            row.position,
        )
        for row in _decisions(connection, "removal", start, end, filters)
        if row.rescinded_position is None  # a rescinded removal is as if it had not been
    )


def _renamed(
    connection: Connection, start: date, end: date, filters: _Filters
) -> tuple[UnitRenamed, ...]:
    """Each unit on the list on the day its enterprise took a new name."""
    t, e, listing = tables.timeline, tables.enterprises, tables.listings
    renames = connection.execute(
        sa.select(t.c.position, t.c.originator_id, t.c.effective_on, e.c.names)
        .join(e, e.c.enterprise_id == t.c.originator_id)
        .where(t.c.event == _RENAMED, t.c.effective_on > start, t.c.effective_on <= end)
        .order_by(t.c.effective_on, t.c.position)
    ).all()
    found: list[UnitRenamed] = []
    for rename in renames:
        previous = _previous_name(connection, rename.originator_id, rename.position, rename.names)
        p, on_the_day = _named_on(sa.literal(rename.effective_on, sa.Date))
        units = connection.execute(
            sa.select(
                listing.c.listing_id,
                listing.c.enterprise_id,
                listing.c.region,
                listing.c.category,
                listing.c.level,
                p.c.name,
                p.c.batch_year,
            )
            .join(p, sa.and_(p.c.listing_id == listing.c.listing_id, *on_the_day))
            .where(listing.c.enterprise_id == rename.originator_id, in_status(p.c.status))
            .where(*filters.on(listing))
            .order_by(listing.c.category, listing.c.level, listing.c.listing_id)
        ).all()
        found.extend(
            UnitRenamed(_changed_unit(unit, rename.effective_on), previous, rename.position)
            for unit in units
        )
    return tuple(found)


def _previous_name(
    connection: Connection, enterprise_id: UUID, position: int, names: list[list[str]]
) -> str:
    """The name before the rename at `position`: `names` holds the registered name, then each
    rename in the order recorded."""
    t = tables.timeline
    earlier = connection.execute(
        sa.select(sa.func.count()).where(
            t.c.originator_id == enterprise_id, t.c.event == _RENAMED, t.c.position < position
        )
    ).scalar_one()
    return names[int(earlier)][1]


# -- the two lists ---------------------------------------------------------------------------------


def _on_the_list(connection: Connection, day: date, filters: _Filters) -> dict[UUID, ChangedUnit]:
    """The units on the list on `day`, as `GET /v1/list` reads it."""
    p = tables.listing_periods
    rows = connection.execute(
        sa.select(
            p.c.listing_id,
            p.c.enterprise_id,
            p.c.name,
            p.c.region,
            p.c.category,
            p.c.level,
            p.c.batch_year,
        ).where(*in_force(p, day, None), in_status(p.c.status), *filters.on(p))
    ).all()
    return {row.listing_id: _changed_unit(row, day) for row in rows}
