"""The list's questions (api.md, Queries): the list on a date as known at an instant
(`ListQuery`), one listing then with its flags and latest filing, and a province's work.

Every answer is a frozen dataclass and carries the `position` it reflects: the notification id of
the last event applied, read in the same snapshot as the answer, so a client that wrote at
position P can tell whether it reads its own write. Times (design.md, Time): `as_of` is an
effective date (default: today in China); `known_at` is a recorded instant (default: now).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from domain.errors import InvalidInputError, ListingNotFoundError
from domain.ledger import Ledger
from domain.national.scoring import GreenCode
from domain.tiers.errors import TierInputError
from domain.tiers.stars import check_stars
from domain.values import (
    ON_LIST,
    Category,
    Level,
    ListingStatus,
    Region,
)
from readside.engine import tables
from readside.engine.database import Views, read_position
from readside.engine.reading import check_instant, in_force, in_status, known_position
from readside.enterprises.projection import name_key
from readside.tiers.queries import (
    StarRatingRow,
    city_of,
    green_code_on,
    green_code_year_on,
    star_history,
    stars_on,
)

MAX_PAGE_SIZE = 500


#: The 企业绿码 a list may be filtered by (13号 第二十二条, ADR 0151).
GREEN_CODES = tuple(code.value for code in GreenCode)


@dataclass(frozen=True)
class ListQuery:
    """Which units of the list to read: the one filter of the API, the exports, the pages and the
    command line.

    The list on `as_of` (default: today in China) as known at `known_at` (default: now), in a
    category, level or region, with the statuses asked (default: the four on the list), whose
    name contains `q` (full- or half-width brackets, spaces and case do not matter); page `page`
    of `page_size`. Bad input is refused naming its field.
    """

    as_of: date | None = None
    known_at: datetime | None = None
    category: Category | None = None
    level: Level | None = None
    region: str | None = None
    status: tuple[ListingStatus, ...] = ()
    q: str | None = None
    page: int = 1
    page_size: int = 50
    #: The units rated with these stars on `as_of` (provincial and municipal lists, ADR 0142).
    stars: int | None = None
    #: The units bearing this 企业绿码 (A+, A, B) on `as_of` (ADR 0151).
    green_code: str | None = None

    def __post_init__(self) -> None:
        check_instant(self.known_at)
        _check_page(self.page, self.page_size)
        if self.stars is not None:
            check_stars(self.stars)
        if self.green_code is not None and self.green_code not in GREEN_CODES:
            raise TierInputError(
                "green_code",
                f"{self.green_code!r} is not a green code (A+, A, B)",
                f"“{self.green_code}”无效，企业绿码应为A+、A或B",
            )

    @classmethod
    def of(
        cls,
        *,
        as_of: date | None = None,
        known_at: datetime | None = None,
        category: str | Category | None = None,
        level: str | Level | None = None,
        region: str | Region | None = None,
        status: Sequence[str | ListingStatus] | str | ListingStatus | None = None,
        q: str | None = None,
        page: int = 1,
        page_size: int = 50,
        stars: int | None = None,
        green_code: str | None = None,
    ) -> ListQuery:
        """The query from codes as typed (a category's code, a region's code ...)."""
        if isinstance(status, str | ListingStatus):
            status = [status]
        return cls(
            as_of=as_of,
            known_at=known_at,
            category=Category.parse(category, "category") if category is not None else None,
            level=Level.parse(level, "level") if level is not None else None,
            region=Region.of(region).code if region is not None else None,
            status=tuple(ListingStatus.parse(s, "status") for s in status or ()),
            q=q,
            page=page,
            page_size=page_size,
            stars=stars,
            green_code=green_code,
        )

    def page_of(self, number: int, size: int = MAX_PAGE_SIZE) -> ListQuery:
        return replace(self, page=number, page_size=size)


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
    #: The enterprise's 统一社会信用代码, when the ledger holds it.
    uscc: str | None = None
    #: A green design product: its name, model and the standard it was evaluated against, as
    #: the list published them (a row without a model or standard gives none).
    product_name: str | None = None
    product_model: str | None = None
    product_standard: str | None = None
    #: A municipal unit's prefecture (ADR 0140); the stars it bore on `as_of` (ADR 0142).
    city: str | None = None
    stars: int | None = None
    #: The 企业绿码 the unit bears on `as_of` and the report year it is for (ADR 0151).
    green_code: str | None = None
    green_code_year: int | None = None


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
    product_standard: str | None
    park_level: str | None
    batch_year: int
    status: str
    listed_on: date | None
    removed_on: date | None
    flags: ListingFlags
    latest_filing: Filing | None
    #: A fictitious unit of the demo (ADR 0042), never a real organisation.
    synthetic: bool
    #: The enterprise's 统一社会信用代码, when the ledger holds it.
    uscc: str | None
    #: Since when (effective date) the listing has stood as it stands on `as_of`.
    since: date
    as_of: date
    known_at: datetime | None
    known_position: int | None
    position: int
    #: A municipal unit's prefecture; the stars on `as_of` and every rating (ADR 0140, 0142).
    city: str | None = None
    stars: int | None = None
    star_history: tuple[StarRatingRow, ...] = ()


def list_conditions(
    p: sa.Table, query: ListQuery, day: date, known: int | None
) -> list[sa.ColumnElement[bool]]:
    """What `query` asks of a stretch in force on `day` as known at `known`: its statuses (by
    default, on the list: `in_status`), category, level, region, name and stars. The list, its
    exports and the statistics all filter with this, so a total and a count of the same query
    agree."""
    filters = [in_status(p.c.status, query.status)]
    if query.stars is not None:
        filters.append(stars_on(p.c.listing_id, day, known) == query.stars)
    if query.green_code is not None:
        filters.append(green_code_on(p.c.listing_id, day, known) == query.green_code)
    if query.category is not None:
        filters.append(p.c.category == query.category.value)
    if query.level is not None:
        filters.append(p.c.level == query.level.value)
    if query.region is not None:
        filters.append(p.c.region == query.region)
    if query.q is not None and query.q.strip():
        filters.append(_searched(p, query.q))
    return filters


def _searched(p: sa.Table, q: str) -> sa.ColumnElement[bool]:
    """The units whose name, or whose design product's name or model, contains `q`; or, when
    `q` is a credit code, the units of the enterprise that holds it."""
    key = name_key(q)
    listings, enterprises = tables.listings, tables.enterprises
    # Over the partial index of the design products' keys (`ix_listings_product_key`), not
    # the table: only design products have a key.
    by_product = sa.select(listings.c.listing_id).where(
        listings.c.product_key.is_not(None), listings.c.product_key.contains(key, autoescape=True)
    )
    found = [p.c.name_key.contains(key, autoescape=True), p.c.listing_id.in_(by_product)]
    code = q.strip().upper()
    if len(code) == 18 and code.isascii() and code.isalnum():
        holder = sa.select(enterprises.c.enterprise_id).where(enterprises.c.uscc == code)
        found.append(p.c.enterprise_id.in_(holder))
    return sa.or_(*found)


def list_listings(views: Views, query: ListQuery) -> ListPage:
    """The list `query` asks for: by default the units on the list today, as known now."""
    day = query.as_of or Ledger.today()
    p = tables.listing_periods
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
        known = known_position(connection, query.known_at)
        stars = stars_on(p.c.listing_id, day, known)
        tiered = (
            *columns,
            city_of(p.c.listing_id).label("city"),
            stars.label("stars"),
            green_code_on(p.c.listing_id, day, known).label("green_code"),
            green_code_year_on(p.c.listing_id, day, known).label("green_code_year"),
        )
        where = [*in_force(p, day, known), *list_conditions(p, query, day, known)]
        total = connection.execute(sa.select(sa.func.count()).where(*where)).scalar_one()
        offset = (query.page - 1) * query.page_size
        # Past the end there is nothing to read: a search finding nothing costs one count.
        rows = (
            []
            if offset >= total
            else connection.execute(
                sa.select(*tiered)
                .where(*where)
                .order_by(p.c.region, p.c.name_key, p.c.listing_id)
                .limit(query.page_size)
                .offset(offset)
            ).all()
        )
        position = read_position(connection)
        details = _details(connection, [row.listing_id for row in rows])
    return ListPage(
        items=tuple(ListItem(**row._asdict(), **details[row.listing_id]) for row in rows),
        total=int(total),
        page=query.page,
        page_size=query.page_size,
        as_of=day,
        known_at=query.known_at,
        known_position=known,
        position=position,
    )


def _details(connection: Connection, listing_ids: list[UUID]) -> dict[UUID, dict[str, Any]]:
    """What a page of the list shows beside the stretches: the credit code and the product."""
    if not listing_ids:
        return {}
    listings, enterprises = tables.listings, tables.enterprises
    rows = connection.execute(
        sa.select(
            listings.c.listing_id,
            enterprises.c.uscc,
            listings.c.product_name,
            listings.c.product_model,
            listings.c.product_standard,
        )
        .join_from(listings, enterprises, listings.c.enterprise_id == enterprises.c.enterprise_id)
        .where(listings.c.listing_id.in_(listing_ids))
    ).all()
    return {
        row.listing_id: {k: v for k, v in row._asdict().items() if k != "listing_id"}
        for row in rows
    }


#: What a listing's stretches do not hold: fixed at its nomination.
_FIXED = ("product_name", "product_model", "product_standard", "park_level", "synthetic")


def get_listing(
    views: Views,
    listing_id: UUID,
    *,
    as_of: date | None = None,
    known_at: datetime | None = None,
) -> ListingState:
    """One listing on `as_of` as known at `known_at`, with its flags and latest filing."""
    day = as_of or Ledger.today()
    check_instant(known_at)
    listing = tables.listings
    with views.reading() as connection:
        known = known_position(connection, known_at)
        stretch = standing_on(connection, listing_id, day, known)
        fixed = connection.execute(
            sa.select(*(listing.c[name] for name in _FIXED)).where(
                listing.c.listing_id == listing_id
            )
        ).first()
        if fixed is None:
            raise ListingNotFoundError(listing_id)
        tiers = connection.execute(
            sa.select(
                city_of(listing_id).label("city"), stars_on(listing_id, day, known).label("stars")
            )
        ).one()
        ratings = star_history(connection, listing_id, known)
        filing = _latest_filing(connection, listing_id, day, known)
        position = read_position(connection)
        details = _details(connection, [listing_id])
    return ListingState(
        listing_id=stretch.listing_id,
        enterprise_id=stretch.enterprise_id,
        name=stretch.name,
        region=stretch.region,
        category=stretch.category,
        level=stretch.level,
        product_name=fixed.product_name,
        product_model=fixed.product_model,
        product_standard=fixed.product_standard,
        park_level=fixed.park_level,
        batch_year=stretch.batch_year,
        status=stretch.status,
        listed_on=stretch.listed_on,
        removed_on=stretch.removed_on,
        flags=_flags(stretch),
        latest_filing=filing,
        synthetic=fixed.synthetic,
        uscc=details[listing_id]["uscc"],
        since=stretch.valid_from,
        as_of=day,
        known_at=known_at,
        known_position=known,
        position=position,
        city=tiers.city,
        stars=tiers.stars,
        star_history=ratings,
    )


def _flags(stretch: Any) -> ListingFlags:
    """The flags a listing's stretch of history carries."""
    return ListingFlags(
        barred_until=stretch.barred_until,
        filing_overdue=stretch.filing_overdue,
        rectification_pending=stretch.rectification_pending,
        renamed=stretch.renamed,
    )


def _latest_filing(connection: Connection, listing_id: UUID, day: date, known: int | None) -> Any:
    """The listing's latest filing submitted by `day` as known at position `known`, or None."""
    f = tables.listing_filings
    filed = [f.c.listing_id == listing_id, f.c.submitted_on <= day]
    if known is not None:
        filed.append(f.c.position <= known)
    filing = connection.execute(
        sa.select(f).where(*filed).order_by(f.c.report_year.desc(), f.c.position.desc())
    ).first()
    return _filing(filing._asdict(), day, known) if filing is not None else None


def standing_on(connection: Connection, listing_id: UUID, day: date, known: int | None) -> Any:
    """The stretch of the listing's standing in force on `day`, as known at position `known`:
    what the list, the listing, its explanation and its timeline all read (404 before its
    nomination, or before the ledger knew of it)."""
    p = tables.listing_periods
    stretch = connection.execute(
        sa.select(p).where(p.c.listing_id == listing_id, *in_force(p, day, known))
    ).first()
    if stretch is None:
        raise ListingNotFoundError(listing_id)
    return stretch


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
            in_status(listing.c.status),
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


def _check_page(page: int, page_size: int) -> None:
    if page < 1:
        raise InvalidInputError("page", f"{page} is less than 1")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInputError("page_size", f"{page_size} is not between 1 and {MAX_PAGE_SIZE}")
