"""The review queue of a report year (工信厅节函〔2022〕235号 二: listed units file the dynamic
management table each year, the province reviews it): which units of a region filed and wait for
the review, which were reviewed, and which are overdue.

- `submitted`: the unit is on the list and its latest filing for the year is not reviewed;
- `reviewed`: its latest filing for the year is reviewed (compliant or not);
- `overdue`: the unit is on the list, was listed by the end of the year, has filed nothing for it,
  and the rulebook's deadline for that year has passed (or a FilingOverdue was recorded);
- `not_due` (the year's summary only): the same, before the deadline.

One read transaction, as now known; the answer carries the position it reflects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal
from uuid import UUID

import sqlalchemy as sa

from domain.ledger import Ledger
from domain.rules import rulebook_for
from domain.values import ON_LIST, Region
from readside.engine import tables
from readside.engine.database import Views, read_position

QueueState = Literal["submitted", "reviewed", "overdue", "not_due"]
#: The states of the review queue (`GET /v1/filings?state=`).
QUEUE_STATES: tuple[QueueState, ...] = ("submitted", "reviewed", "overdue")
#: With the units that have filed nothing yet and are not overdue: the year's summary.
EVERY_STATE: tuple[QueueState, ...] = (*QUEUE_STATES, "not_due")


@dataclass(frozen=True)
class QueueItem:
    """One unit in the queue of a report year."""

    listing_id: UUID
    name: str
    region: str
    category: str
    level: str
    batch_year: int
    status: str
    report_year: int
    state: QueueState
    submitted_on: date | None
    indicators: dict[str, dict[str, str]]
    outcome: str | None
    findings: tuple[str, ...]
    reviewed_on: date | None
    #: The filing's position (its review names it), None for an overdue unit.
    filing_position: int | None
    #: Whether a FilingOverdue was recorded for the year (an overdue unit only).
    overdue_recorded: bool


@dataclass(frozen=True)
class FilingQueue:
    region: str | None
    report_year: int
    deadline: date
    states: tuple[QueueState, ...]
    items: tuple[QueueItem, ...]
    position: int

    def of(self, state: QueueState) -> tuple[QueueItem, ...]:
        return tuple(item for item in self.items if item.state == state)


def default_report_year(today: date | None = None) -> int:
    """The year whose table is filed this spring: last year."""
    return (today or Ledger.today()).year - 1


def list_filing_queue(
    views: Views,
    *,
    region: str | Region | None,
    report_year: int,
    states: Sequence[QueueState] = QUEUE_STATES,
    today: date | None = None,
) -> FilingQueue:
    """The units of `region` (every region for None) in the queue of `report_year`."""
    code = Region.of(region).code if region is not None else None
    day = today or Ledger.today()
    deadline = rulebook_for(day).filing_deadline(report_year)
    wanted = tuple(state for state in EVERY_STATE if state in states)
    with views.reading() as connection:
        listings = _listings(connection, code)
        filings = _latest_filings(connection, [row.listing_id for row in listings], report_year)
        position = read_position(connection)
    items = []
    for row in listings:
        item = _item(row, filings.get(row.listing_id), report_year, day > deadline)
        if item is not None and item.state in wanted:
            items.append(item)
    return FilingQueue(code, report_year, deadline, wanted, tuple(items), position)


def _listings(connection: sa.Connection, region: str | None) -> list[Any]:
    listing = tables.listings
    where: list[sa.ColumnElement[bool]] = [listing.c.listed_on.is_not(None)]
    if region is not None:
        where.append(listing.c.region == region)
    return list(
        connection.execute(
            sa.select(listing)
            .where(*where)
            .order_by(listing.c.region, listing.c.name_key, listing.c.listing_id)
        ).all()
    )


def _latest_filings(
    connection: sa.Connection, listing_ids: list[UUID], report_year: int
) -> dict[UUID, Any]:
    """Each listing's latest filing for the year (a refiling supersedes the earlier one)."""
    f = tables.listing_filings
    latest: dict[UUID, Any] = {}
    for start in range(0, len(listing_ids), 500):
        chunk = listing_ids[start : start + 500]
        for row in connection.execute(
            sa.select(f)
            .where(f.c.report_year == report_year, f.c.listing_id.in_(chunk))
            .order_by(f.c.position)
        ):
            latest[row.listing_id] = row
    return latest


def _item(listing: Any, filing: Any, report_year: int, past_deadline: bool) -> QueueItem | None:
    on_list = listing.status in {status.value for status in ON_LIST}
    overdue_years = {int(year) for year in listing.overdue_years or ()}
    if filing is not None:
        state: QueueState = "reviewed" if filing.outcome is not None else "submitted"
        if state == "submitted" and not on_list:
            return None  # no longer on the list: nothing left to review
    elif on_list and listing.listed_on <= date(report_year, 12, 31):
        state = "overdue" if past_deadline or report_year in overdue_years else "not_due"
    else:
        return None
    return QueueItem(
        listing_id=listing.listing_id,
        name=listing.name,
        region=listing.region,
        category=listing.category,
        level=listing.level,
        batch_year=listing.batch_year,
        status=listing.status,
        report_year=report_year,
        state=state,
        submitted_on=filing.submitted_on if filing is not None else None,
        indicators=dict(filing.indicators) if filing is not None else {},
        outcome=filing.outcome if filing is not None else None,
        findings=tuple(filing.findings or ()) if filing is not None else (),
        reviewed_on=filing.reviewed_on if filing is not None else None,
        filing_position=filing.position if filing is not None else None,
        overdue_recorded=report_year in overdue_years,
    )
