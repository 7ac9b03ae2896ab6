"""The questions the read models answer (api.md, Queries), each one read transaction.

Every answer is a frozen dataclass and carries the `position` it reflects: the notification id of
the last event applied, read in the same snapshot as the answer, so a client that wrote at
position P can tell whether it reads its own write.

Times (design.md, Time): `as_of` is an effective date (default: today in China); `known_at` is a
recorded instant (default: now, i.e. everything the ledger holds).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from domain.errors import AssessorNotFoundError, InvalidInputError, ListingNotFoundError
from domain.ledger import Ledger
from domain.rules import rulebook_for
from domain.values import (
    ON_LIST,
    Category,
    Level,
    ListingStatus,
    Reference,
    Region,
)
from readside.engine import tables
from readside.engine.database import Views, read_position
from readside.listings.projection import name_key

MAX_PAGE_SIZE = 500
GROUPINGS = ("region", "category", "level", "status")


# -- answers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListItem:
    """One unit on the list as of a date."""

    listing_id: UUID
    enterprise_id: UUID
    name: str
    region: str
    category: str
    level: str
    batch_year: int
    status: str
    listed_on: date | None
    removed_on: date | None
    #: A fictitious unit of the demo (ADR 0042), never a real organisation.
    synthetic: bool


@dataclass(frozen=True)
class ListPage:
    """A page of the list on `as_of`, as known at `known_at` (None: as known now)."""

    items: tuple[ListItem, ...]
    total: int
    page: int
    page_size: int
    as_of: date
    known_at: datetime | None
    #: The position `known_at` resolves to (None: as known now).
    known_position: int | None
    position: int


@dataclass(frozen=True)
class ListingFlags:
    barred_until: date | None
    filing_overdue: bool
    rectification_pending: bool
    renamed: bool


@dataclass(frozen=True)
class Filing:
    """A yearly indicator filing (动态管理表) and, once reviewed, the province's review."""

    report_year: int
    submitted_on: date
    recorded_at: datetime
    indicators: dict[str, dict[str, str]]
    outcome: str | None
    findings: tuple[str, ...]
    reviewed_on: date | None
    position: int


@dataclass(frozen=True)
class ListingState:
    """One listing on `as_of`, as known at `known_at`."""

    listing_id: UUID
    enterprise_id: UUID
    name: str
    region: str
    category: str
    level: str
    product_name: str | None
    product_model: str | None
    park_level: str | None
    batch_year: int
    status: str
    listed_on: date | None
    removed_on: date | None
    flags: ListingFlags
    latest_filing: Filing | None
    #: A fictitious unit of the demo (ADR 0042), never a real organisation.
    synthetic: bool
    #: Since when (effective date) the listing has stood as it stands on `as_of`.
    since: date
    as_of: date
    known_at: datetime | None
    known_position: int | None
    position: int


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


@dataclass(frozen=True)
class BatchWorkload:
    """An assessor's evaluations in one batch, against its group's cap (EVAL-4)."""

    level: str
    batch_year: int
    evaluations: int
    passed: int
    pass_rate: float | None
    group_evaluations: int
    cap: int
    remaining: int


@dataclass(frozen=True)
class Blacklisting:
    since: date
    until: date
    reason: str
    lifted_on: date | None

    def bars(self, day: date) -> bool:
        """Whether it stands on `day` (through `until`, unless lifted before)."""
        if self.lifted_on is not None and day >= self.lifted_on:
            return False
        return self.since <= day <= self.until


@dataclass(frozen=True)
class AssessorWorkload:
    assessor_id: UUID
    name: str
    group: str | None
    #: A fictitious evaluator of the demo (ADR 0042).
    synthetic: bool
    batches: tuple[BatchWorkload, ...]
    evaluations: int
    passed: int
    pass_rate: float | None
    blacklisted: bool
    blacklistings: tuple[Blacklisting, ...]
    on: date
    position: int


# -- the list ------------------------------------------------------------------------------------


def list_listings(
    views: Views,
    *,
    as_of: date | None = None,
    known_at: datetime | None = None,
    category: str | Category | None = None,
    level: str | Level | None = None,
    region: str | Region | None = None,
    status: Sequence[str | ListingStatus] | None = None,
    q: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> ListPage:
    """The list on `as_of` as known at `known_at`; by default the units on the list.

    `status` chooses other statuses (removed, nominated, rejected ...); `q` finds a part of the
    name (full- or half-width brackets, spaces and case do not matter).
    """
    day = as_of or Ledger.today()
    _check_instant(known_at)
    _check_page(page, page_size)
    statuses = _statuses(status)
    p = tables.listing_periods
    filters: list[sa.ColumnElement[bool]] = [
        p.c.status.in_(statuses) if len(statuses) > 1 else p.c.status == statuses[0],
    ]
    if category is not None:
        filters.append(p.c.category == Category.parse(category, "category").value)
    if level is not None:
        filters.append(p.c.level == Level.parse(level, "level").value)
    if region is not None:
        filters.append(p.c.region == Region.of(region).code)
    if q is not None and q.strip():
        filters.append(p.c.name_key.contains(name_key(q), autoescape=True))
    columns = (
        p.c.listing_id,
        p.c.enterprise_id,
        p.c.name,
        p.c.region,
        p.c.category,
        p.c.level,
        p.c.batch_year,
        p.c.status,
        p.c.listed_on,
        p.c.removed_on,
        p.c.synthetic,
    )
    with views.reading() as connection:
        known = known_position(connection, known_at)
        where = [*_in_force(p, day, known), *filters]
        total = connection.execute(sa.select(sa.func.count()).where(*where)).scalar_one()
        offset = (page - 1) * page_size
        # Past the end there is nothing to read: a search finding nothing costs one count.
        rows = (
            []
            if offset >= total
            else connection.execute(
                sa.select(*columns)
                .where(*where)
                .order_by(p.c.region, p.c.name_key, p.c.listing_id)
                .limit(page_size)
                .offset(offset)
            ).all()
        )
        position = read_position(connection)
    return ListPage(
        items=tuple(ListItem(**row._asdict()) for row in rows),
        total=int(total),
        page=page,
        page_size=page_size,
        as_of=day,
        known_at=known_at,
        known_position=known,
        position=position,
    )


#: What a listing's stretches do not hold: fixed at its nomination.
_FIXED = ("product_name", "product_model", "park_level", "synthetic")


def get_listing(
    views: Views,
    listing_id: UUID,
    *,
    as_of: date | None = None,
    known_at: datetime | None = None,
) -> ListingState:
    """One listing on `as_of` as known at `known_at`, with its flags and latest filing."""
    day = as_of or Ledger.today()
    _check_instant(known_at)
    p, f, listing = tables.listing_periods, tables.listing_filings, tables.listings
    with views.reading() as connection:
        known = known_position(connection, known_at)
        stretch = connection.execute(
            sa.select(p).where(p.c.listing_id == listing_id, *_in_force(p, day, known))
        ).first()
        fixed = connection.execute(
            sa.select(*(listing.c[name] for name in _FIXED)).where(
                listing.c.listing_id == listing_id
            )
        ).first()
        if stretch is None or fixed is None:
            raise ListingNotFoundError(listing_id)
        filed = [f.c.listing_id == listing_id, f.c.submitted_on <= day]
        if known is not None:
            filed.append(f.c.position <= known)
        filing = connection.execute(
            sa.select(f).where(*filed).order_by(f.c.report_year.desc(), f.c.position.desc())
        ).first()
        position = read_position(connection)
    return ListingState(
        listing_id=stretch.listing_id,
        enterprise_id=stretch.enterprise_id,
        name=stretch.name,
        region=stretch.region,
        category=stretch.category,
        level=stretch.level,
        product_name=fixed.product_name,
        product_model=fixed.product_model,
        park_level=fixed.park_level,
        batch_year=stretch.batch_year,
        status=stretch.status,
        listed_on=stretch.listed_on,
        removed_on=stretch.removed_on,
        flags=ListingFlags(
            barred_until=stretch.barred_until,
            filing_overdue=stretch.filing_overdue,
            rectification_pending=stretch.rectification_pending,
            renamed=stretch.renamed,
        ),
        latest_filing=_filing(filing._asdict(), day, known) if filing is not None else None,
        synthetic=fixed.synthetic,
        since=stretch.valid_from,
        as_of=day,
        known_at=known_at,
        known_position=known,
        position=position,
    )


def _filing(row: dict[str, Any], day: date, known: int | None) -> Filing:
    reviewed = row["reviewed_on"] is not None and row["reviewed_on"] <= day
    if reviewed and known is not None:
        reviewed = row["review_position"] <= known
    return Filing(
        report_year=row["report_year"],
        submitted_on=row["submitted_on"],
        recorded_at=row["recorded_at"],
        indicators=dict(row["indicators"]),
        outcome=row["outcome"] if reviewed else None,
        findings=tuple(row["findings"] or ()) if reviewed else (),
        reviewed_on=row["reviewed_on"] if reviewed else None,
        position=row["position"],
    )


# -- history ---------------------------------------------------------------------------------------


def list_listing_history(views: Views, listing_id: UUID) -> History:
    """Every event of the listing, in order."""
    t = tables.timeline
    return _history(views, listing_id, t.c.originator_id == listing_id)


def list_enterprise_history(views: Views, enterprise_id: UUID) -> History:
    """Every event of the enterprise and of its listings, in order."""
    t = tables.timeline
    return _history(views, enterprise_id, t.c.enterprise_id == enterprise_id)


def list_history(views: Views, originator_id: UUID) -> History:
    """Every event of one aggregate (an assessor, a batch ...), in order."""
    t = tables.timeline
    return _history(views, originator_id, t.c.originator_id == originator_id)


def _history(views: Views, subject_id: UUID, where: sa.ColumnElement[bool]) -> History:
    t = tables.timeline
    with views.reading() as connection:
        rows = connection.execute(sa.select(t).where(where).order_by(t.c.position)).all()
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


# -- statistics ------------------------------------------------------------------------------------


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


# -- a region's work ------------------------------------------------------------------------------

#: Statuses that wait for someone's decision: the publication, the on-site assessment's
#: conclusion, the ministry's decision on a proposed removal.
AWAITING_DECISION = (
    ListingStatus.NOMINATED,
    ListingStatus.UNDER_ASSESSMENT,
    ListingStatus.REMOVAL_PROPOSED,
)


@dataclass(frozen=True)
class WorkItem:
    """A listing that needs attention, as it stands now."""

    listing_id: UUID
    name: str
    region: str
    category: str
    level: str
    batch_year: int
    status: str
    last_filing_year: int | None
    overdue_years: tuple[int, ...]
    rectification_pending: bool
    #: A fictitious unit of the demo (ADR 0042).
    synthetic: bool


@dataclass(frozen=True)
class RegionWork:
    """A region's listings (every region's, for `region` None) that are flagged, whose filing is
    overdue, or that await a decision, as now known."""

    region: str | None
    flagged: tuple[WorkItem, ...]
    overdue: tuple[WorkItem, ...]
    awaiting: tuple[WorkItem, ...]
    position: int


def list_region_work(views: Views, region: str | Region | None = None) -> RegionWork:
    """What a province has to look at: its flagged units, its units with an overdue filing, and
    those awaiting a decision (工信部节〔2024〕13号, dynamic management)."""
    code = Region.of(region).code if region is not None else None
    listing = tables.listings
    awaiting = [status.value for status in AWAITING_DECISION]
    wanted = sa.or_(
        listing.c.status == ListingStatus.FLAGGED.value,
        listing.c.status.in_(awaiting),
        sa.and_(
            listing.c.filing_overdue.is_(True),
            listing.c.status.in_([status.value for status in ON_LIST]),
        ),
    )
    where = [wanted] if code is None else [listing.c.region == code, wanted]
    with views.reading() as connection:
        rows = connection.execute(
            sa.select(listing)
            .where(*where)
            .order_by(listing.c.region, listing.c.name_key, listing.c.listing_id)
        ).all()
        position = read_position(connection)
    items = [
        (
            row,
            WorkItem(
                listing_id=row.listing_id,
                name=row.name,
                region=row.region,
                category=row.category,
                level=row.level,
                batch_year=row.batch_year,
                status=row.status,
                last_filing_year=row.last_filing_year,
                overdue_years=tuple(sorted(int(year) for year in row.overdue_years or ())),
                rectification_pending=bool(row.rectification_pending),
                synthetic=bool(row.synthetic),
            ),
        )
        for row in rows
    ]
    on_list = {status.value for status in ON_LIST}
    return RegionWork(
        region=code,
        flagged=tuple(item for row, item in items if row.status == ListingStatus.FLAGGED.value),
        overdue=tuple(item for row, item in items if row.filing_overdue and row.status in on_list),
        awaiting=tuple(item for row, item in items if row.status in awaiting),
        position=position,
    )


# -- assessors ------------------------------------------------------------------------------------


def get_assessor_workload(
    views: Views,
    assessor_id: UUID,
    *,
    batch_year: int | None = None,
    on: date | None = None,
) -> AssessorWorkload:
    """An assessor's evaluations per batch against its group's cap, its pass rate, and whether it
    is blacklisted on `on` (default today)."""
    day = on or Ledger.today()
    a, w, b, bl = (
        tables.assessors,
        tables.assessor_workload,
        tables.batches,
        tables.assessor_blacklistings,
    )
    with views.reading() as connection:
        assessor = connection.execute(sa.select(a).where(a.c.assessor_id == assessor_id)).first()
        if assessor is None:
            raise AssessorNotFoundError(assessor_id)
        mine = [w.c.assessor_id == assessor_id]
        if batch_year is not None:
            mine.append(w.c.batch_year == batch_year)
        own = connection.execute(
            sa.select(w).where(*mine).order_by(w.c.batch_year, w.c.level)
        ).all()
        batches_used = [(row.level, row.batch_year) for row in own]
        group = _group_counts(connection, assessor.group_key, batches_used)
        quotas = {
            (row.level, row.batch_year): row.quotas
            for row in connection.execute(sa.select(b.c.level, b.c.batch_year, b.c.quotas))
        }
        blacklistings = tuple(
            Blacklisting(row.since, row.until, row.reason, row.lifted_on)
            for row in connection.execute(
                sa.select(bl).where(bl.c.assessor_id == assessor_id).order_by(bl.c.position)
            )
        )
        position = read_position(connection)
    default_cap = rulebook_for(day).evaluations_per_group_per_batch
    batches = []
    for row in own:
        quota = quotas.get((row.level, row.batch_year)) or {}
        cap = int(quota.get("evaluations_per_group_per_batch", default_cap))
        used = group.get((row.level, row.batch_year), row.evaluations)
        batches.append(
            BatchWorkload(
                level=row.level,
                batch_year=row.batch_year,
                evaluations=row.evaluations,
                passed=row.passed,
                pass_rate=_rate(row.passed, row.evaluations),
                group_evaluations=used,
                cap=cap,
                remaining=max(cap - used, 0),
            )
        )
    evaluations = sum(batch.evaluations for batch in batches)
    passed = sum(batch.passed for batch in batches)
    return AssessorWorkload(
        assessor_id=assessor.assessor_id,
        name=assessor.name,
        group=assessor.group_name,
        synthetic=assessor.synthetic,
        batches=tuple(batches),
        evaluations=evaluations,
        passed=passed,
        pass_rate=_rate(passed, evaluations),
        blacklisted=any(b.bars(day) for b in blacklistings),
        blacklistings=blacklistings,
        on=day,
        position=position,
    )


def _group_counts(
    connection: Connection, group_key: str, batches: list[tuple[str, int]]
) -> dict[tuple[str, int], int]:
    if not batches:
        return {}
    w = tables.assessor_workload
    rows = connection.execute(
        sa.select(w.c.level, w.c.batch_year, sa.func.sum(w.c.evaluations))
        .where(w.c.group_key == group_key, w.c.batch_year.in_({year for _, year in batches}))
        .group_by(w.c.level, w.c.batch_year)
    ).all()
    return {(level, year): int(total) for level, year, total in rows}


def _rate(passed: int, evaluations: int) -> float | None:
    return passed / evaluations if evaluations else None


# -- checks ----------------------------------------------------------------------------------------


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


def _in_force(p: sa.Table, day: date, known: int | None) -> list[sa.ColumnElement[bool]]:
    """The stretches true on `day`, as known at position `known` (None: as known now)."""
    where = [p.c.valid_from <= day, sa.or_(p.c.valid_to.is_(None), p.c.valid_to > day)]
    if known is None:
        where.append(p.c.recorded_to.is_(None))
    else:
        where.append(p.c.recorded_from_position <= known)
        where.append(sa.or_(p.c.recorded_to_position.is_(None), p.c.recorded_to_position > known))
    return where


def _statuses(status: Sequence[str | ListingStatus] | None) -> list[str]:
    if status is None or not status:
        return sorted(s.value for s in ON_LIST)
    if isinstance(status, str | ListingStatus):
        status = [status]
    return sorted({ListingStatus.parse(s, "status").value for s in status})


def _check_instant(known_at: datetime | None) -> None:
    if known_at is not None and known_at.tzinfo is None:
        raise InvalidInputError("known_at", "must carry a time zone (RFC 3339, e.g. …Z)")


def _check_page(page: int, page_size: int) -> None:
    if page < 1:
        raise InvalidInputError("page", f"{page} is less than 1")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInputError("page_size", f"{page_size} is not between 1 and {MAX_PAGE_SIZE}")
