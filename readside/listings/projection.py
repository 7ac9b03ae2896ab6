"""The listings read model: `listings` (as it stands now), `listing_periods` (bitemporal), and
`listing_filings` (the yearly 动态管理表 and their reviews).

The fold mirrors `domain.listing.Listing` (design.md, the listing lifecycle): status is derived,
never set; a grave incident's removal, a province's flag, an on-site assessment's conclusion each
move it as the aggregate does. The flags are those of the aggregate: `barred_until` (NEG-3, the
bar of the last standing removal), `filing_overdue` (DYN-1, an overdue year without a filing),
`rectification_pending` (the last on-site assessment asked for rectification) and `renamed`
(the enterprise has borne another name).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy.engine import Connection

from domain.enterprise import Enterprise
from domain.facts import Fact
from domain.listing import Listing
from domain.values import (
    AssessmentOutcome,
    FilingOutcome,
    ListingStatus,
    ProposalAction,
    normalise_name,
)
from readside.engine import tables
from readside.engine.writing import insert_rows, select_where_in, update_rows
from readside.listings.periods import (
    PeriodBook,
    PeriodRow,
    Standing,
    Stretch,
    name_changes,
    restate,
)
from readside.statistics.projection import StatisticsChanges

LISTED = ListingStatus.LISTED.value
FLAGGED = ListingStatus.FLAGGED.value


def name_key(name: str) -> str:
    """A name as searched and sorted: normalised (half-width, no spaces) and case-folded."""
    return normalise_name(name).casefold()


@dataclass(slots=True)
class ListingRow:
    """One row of `listings`, held in memory while a page of events is applied."""

    listing_id: UUID
    enterprise_id: UUID
    region: str
    category: str
    level: str
    product_name: str | None
    product_model: str | None
    park_level: str | None
    name: str
    name_key: str
    batch_year: int
    status: str
    nominated_on: date
    listed_on: date | None
    removed_on: date | None
    rejected_on: date | None
    last_filing_year: int | None
    barred_until: date | None
    filing_overdue: bool
    rectification_pending: bool
    renamed: bool
    synthetic: bool
    status_before_removal: str
    barred_until_before_removal: date | None
    overdue_years: list[int]
    filing_positions: dict[str, int]
    status_position: int
    listed_position: int | None
    removal_position: int | None
    updated_position: int

    def as_row(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _LISTING_FIELDS}

    def as_changes(self) -> dict[str, Any]:
        """The columns its events may change, with its key."""
        return {name: getattr(self, name) for name in _CHANGING_FIELDS}

    def listing_standing(self) -> dict[str, Any]:
        """The parts of the standing the listing's own events decide."""
        return dict(zip(_OWN_STANDING, _own_standing(self), strict=True))

    def set_status(self, status: str, position: int) -> None:
        self.status = status
        self.status_position = position

    def flag(self, position: int) -> None:
        """A reason for doubt flags a listed unit (whatever else it is doing stays as it is)."""
        if self.status == LISTED:
            self.set_status(FLAGGED, position)

    def recompute_overdue(self) -> None:
        self.filing_overdue = any(str(y) not in self.filing_positions for y in self.overdue_years)


_LISTING_FIELDS = tuple(f.name for f in fields(ListingRow))
#: What never changes once nominated: a listing is enterprise × category × level (× product).
_FIXED_FIELDS = frozenset(
    {
        "enterprise_id",
        "region",
        "category",
        "level",
        "product_name",
        "product_model",
        "park_level",
        "nominated_on",
        "synthetic",
    }
)
_CHANGING_FIELDS = tuple(name for name in _LISTING_FIELDS if name not in _FIXED_FIELDS)
_OWN_STANDING = (
    "status",
    "batch_year",
    "listed_on",
    "removed_on",
    "barred_until",
    "filing_overdue",
    "rectification_pending",
)
_own_standing = operator.attrgetter(*_OWN_STANDING)


class ListingsProjection:
    """Applies listing events (and renames of their enterprises) to the listing tables."""

    def __init__(
        self,
        statistics: StatisticsChanges,
        rows: dict[UUID, ListingRow],
        periods: dict[UUID, list[PeriodRow]],
    ) -> None:
        self.rows = rows
        self.periods = PeriodBook(periods)
        self.statistics = statistics
        self.by_enterprise: dict[UUID, set[UUID]] = {}
        self._new: set[UUID] = set()
        self._dirty: set[UUID] = set()
        self._new_filings: dict[int, dict[str, Any]] = {}
        self._reviewed_filings: list[dict[str, Any]] = []

    # -- loading -------------------------------------------------------------------------------

    def load(
        self, connection: Connection, listing_ids: set[UUID], enterprise_ids: set[UUID]
    ) -> None:
        """Load the listings the page names, and every listing of the enterprises it renames
        (those not in memory already)."""
        table = tables.listings
        found = select_where_in(
            connection, table, table.c.listing_id, listing_ids.difference(self.rows)
        )
        if enterprise_ids:
            found += select_where_in(connection, table, table.c.enterprise_id, enterprise_ids)
        loaded: set[UUID] = set()
        for record in found:
            listing_id = record.listing_id
            self.by_enterprise.setdefault(record.enterprise_id, set()).add(listing_id)
            if listing_id in self.rows:
                continue
            row = ListingRow(**record._asdict())
            row.overdue_years = list(row.overdue_years)
            row.filing_positions = dict(row.filing_positions)
            self.rows[listing_id] = row
            loaded.add(listing_id)
        if not loaded:
            return
        periods = tables.listing_periods
        current = select_where_in(
            connection, periods, periods.c.listing_id, loaded, periods.c.recorded_to.is_(None)
        )
        for record in sorted(current, key=lambda r: (str(r.listing_id), r.valid_from)):
            self.periods.load(_period_from_record(record._asdict()))

    def get(self, listing_id: UUID) -> ListingRow | None:
        return self.rows.get(listing_id)

    # -- applying ------------------------------------------------------------------------------

    def nominate(
        self,
        position: int,
        event: Listing.Nominated,
        names: list[tuple[date, str]],
        *,
        synthetic: bool,
    ) -> ListingRow:
        day = event.effective_on
        changes = name_changes(names, day)
        row = ListingRow(
            listing_id=event.originator_id,
            enterprise_id=event.enterprise_id,
            region=event.region.code,
            category=event.category.value,
            level=event.level.value,
            product_name=event.product.name if event.product else None,
            product_model=event.product.model if event.product else None,
            park_level=event.park_level.value if event.park_level else None,
            name=names[-1][1],
            name_key=name_key(names[-1][1]),
            batch_year=event.batch_year,
            status=ListingStatus.NOMINATED.value,
            nominated_on=day,
            listed_on=None,
            removed_on=None,
            rejected_on=None,
            last_filing_year=None,
            barred_until=None,
            filing_overdue=False,
            rectification_pending=False,
            renamed=len(names) > 1,
            synthetic=synthetic,
            status_before_removal=LISTED,
            barred_until_before_removal=None,
            overdue_years=[],
            filing_positions={},
            status_position=position,
            listed_position=None,
            removal_position=None,
            updated_position=position,
        )
        self.rows[row.listing_id] = row
        self.by_enterprise.setdefault(row.enterprise_id, set()).add(row.listing_id)
        self._new.add(row.listing_id)
        _, first_name, first_renamed = changes[0]
        standing = Standing(name=first_name, renamed=first_renamed, **row.listing_standing())
        stretches: list[Stretch] = [(day, None, standing)]
        for since, name, renamed in changes[1:]:
            stretches = restate(stretches, since, {"name": name, "renamed": renamed})
        self._restate(row, stretches, event.timestamp, position)
        return row

    def apply(self, position: int, event: Fact) -> ListingRow:
        """Apply an event of an existing listing (any but `Nominated`)."""
        row = self.rows.get(event.originator_id)
        if row is None:
            raise LookupError(f"listing {event.originator_id} has events but no nomination")
        before = _own_standing(row)
        day = _APPLY[type(event)](self, row, position, event)
        row.updated_position = position
        if row.listing_id not in self._new:
            self._dirty.add(row.listing_id)
        if _own_standing(row) == before and day >= self.periods.last_start(row.listing_id):
            return row  # a filing, a compliant review ...: the standing did not change
        stretches = restate(self.periods.stretches(row.listing_id), day, row.listing_standing())
        self._restate(row, stretches, event.timestamp, position)
        return row

    def rename(self, position: int, event: Enterprise.Renamed) -> None:
        """The enterprise's listings bear the new name from the rename's day on."""
        for listing_id in sorted(self.by_enterprise.get(event.originator_id, ()), key=str):
            row = self.rows[listing_id]
            row.name = event.name
            row.name_key = name_key(event.name)
            row.renamed = True
            row.updated_position = position
            if listing_id not in self._new:
                self._dirty.add(listing_id)
            stretches = restate(
                self.periods.stretches(listing_id),
                event.effective_on,
                {"name": event.name, "renamed": True},
            )
            self._restate(row, stretches, event.timestamp, position)

    def _restate(
        self, row: ListingRow, stretches: list[Stretch], recorded_at: datetime, position: int
    ) -> None:
        closed, opened = self.periods.restate(row.listing_id, stretches, recorded_at, position)
        self.statistics.record(row.category, row.level, row.region, closed, opened)

    # -- the listing's events, each returning the day its change takes effect ------------------

    def _renominated(self, row: ListingRow, position: int, e: Listing.Renominated) -> date:
        row.batch_year = e.batch_year
        row.set_status(ListingStatus.NOMINATED.value, position)
        row.listed_on = None
        row.removed_on = None
        row.listed_position = None
        return e.effective_on

    def _listed(self, row: ListingRow, position: int, e: Listing.Listed) -> date:
        row.set_status(LISTED, position)
        row.listed_on = e.effective_on
        row.removed_on = None
        row.listed_position = position
        return e.effective_on

    def _rejected(self, row: ListingRow, position: int, e: Listing.Rejected) -> date:
        row.set_status(ListingStatus.REJECTED.value, position)
        row.rejected_on = e.effective_on
        return e.effective_on

    def _filing_submitted(
        self, row: ListingRow, position: int, e: Listing.IndicatorFilingSubmitted
    ) -> date:
        row.filing_positions[str(e.report_year)] = position
        row.last_filing_year = max(int(year) for year in row.filing_positions)
        row.recompute_overdue()
        self._new_filings[position] = {
            "position": position,
            "listing_id": row.listing_id,
            "report_year": e.report_year,
            "submitted_on": e.effective_on,
            "recorded_at": e.timestamp,
            "actor": e.actor,
            "indicators": {
                code: {"value": str(indicator.value), "unit": indicator.unit}
                for code, indicator in sorted(e.indicators.items())
            },
            "outcome": None,
            "findings": None,
            "reviewed_on": None,
            "review_recorded_at": None,
            "review_position": None,
        }
        return e.effective_on

    def _filing_reviewed(self, row: ListingRow, position: int, e: Listing.FilingReviewed) -> date:
        if e.outcome is FilingOutcome.NON_COMPLIANT:
            row.flag(position)
        filing_position = row.filing_positions.get(str(e.report_year))
        if filing_position is not None:
            review = {
                "position": filing_position,
                "outcome": e.outcome.value,
                "findings": list(e.findings),
                "reviewed_on": e.effective_on,
                "review_recorded_at": e.timestamp,
                "review_position": position,
            }
            pending = self._new_filings.get(filing_position)
            if pending is not None:
                pending.update(review)
            else:
                self._reviewed_filings.append(review)
        return e.effective_on

    def _filing_overdue(self, row: ListingRow, position: int, e: Listing.FilingOverdue) -> date:
        if e.report_year not in row.overdue_years:
            row.overdue_years = [*row.overdue_years, e.report_year]
        row.recompute_overdue()
        return e.effective_on

    def _flagged(self, row: ListingRow, position: int, e: Listing.Flagged) -> date:
        row.flag(position)
        return e.effective_on

    def _assessment_ordered(
        self, row: ListingRow, position: int, e: Listing.OnSiteAssessmentOrdered
    ) -> date:
        row.set_status(ListingStatus.UNDER_ASSESSMENT.value, position)
        return e.effective_on

    def _assessment_concluded(
        self, row: ListingRow, position: int, e: Listing.OnSiteAssessmentConcluded
    ) -> date:
        meets = e.outcome is AssessmentOutcome.MEETS
        row.set_status(LISTED if meets else FLAGGED, position)
        row.rectification_pending = e.outcome is AssessmentOutcome.RECTIFICATION_REQUIRED
        return e.effective_on

    def _adjustment_proposed(
        self, row: ListingRow, position: int, e: Listing.AdjustmentProposed
    ) -> date:
        if e.action is ProposalAction.REMOVE:
            row.set_status(ListingStatus.REMOVAL_PROPOSED.value, position)
        elif e.action is ProposalAction.RETAIN:
            row.set_status(LISTED, position)
        return e.effective_on

    def _removed(self, row: ListingRow, position: int, e: Listing.Removed) -> date:
        row.status_before_removal = row.status
        row.barred_until_before_removal = row.barred_until
        row.set_status(ListingStatus.REMOVED.value, position)
        row.removed_on = e.effective_on
        row.barred_until = e.barred_until
        row.removal_position = position
        return e.effective_on

    def _removal_rescinded(
        self, row: ListingRow, position: int, e: Listing.RemovalRescinded
    ) -> date:
        """A correction: from the removal's own day, as if the removal had not been."""
        removed_on = row.removed_on or e.effective_on
        row.set_status(row.status_before_removal, position)
        row.removed_on = None
        row.barred_until = row.barred_until_before_removal
        row.removal_position = None
        return removed_on

    # -- writing -------------------------------------------------------------------------------

    def flush(self, connection: Connection) -> None:
        insert_rows(connection, tables.listings, [self.rows[i].as_row() for i in sorted(self._new)])
        update_rows(
            connection,
            tables.listings,
            ("listing_id",),
            [self.rows[i].as_changes() for i in sorted(self._dirty)],
        )
        insert_rows(
            connection,
            tables.listing_periods,
            [self._period_row(row) for row in self.periods.opened],
        )
        update_rows(
            connection,
            tables.listing_periods,
            ("listing_id", "valid_from", "recorded_from_position"),
            [
                {
                    "listing_id": row.listing_id,
                    "valid_from": row.valid_from,
                    "recorded_from_position": row.recorded_from_position,
                    "recorded_to": row.recorded_to,
                    "recorded_to_position": row.recorded_to_position,
                }
                for row in self.periods.closed
            ],
        )
        insert_rows(connection, tables.listing_filings, list(self._new_filings.values()))
        update_rows(connection, tables.listing_filings, ("position",), self._reviewed_filings)

    def settle(self) -> None:
        """The page was committed: the rows it opened are stored now."""
        self.periods.settle()

    def _period_row(self, period: PeriodRow) -> dict[str, Any]:
        listing = self.rows[period.listing_id]
        standing = period.standing
        return {
            "listing_id": period.listing_id,
            "valid_from": period.valid_from,
            "recorded_from_position": period.recorded_from_position,
            "valid_to": period.valid_to,
            "recorded_from": period.recorded_from,
            "recorded_to": period.recorded_to,
            "recorded_to_position": period.recorded_to_position,
            "enterprise_id": listing.enterprise_id,
            "region": listing.region,
            "category": listing.category,
            "level": listing.level,
            "status": standing.status,
            "batch_year": standing.batch_year,
            "listed_on": standing.listed_on,
            "removed_on": standing.removed_on,
            "name": standing.name,
            "name_key": name_key(standing.name),
            "barred_until": standing.barred_until,
            "filing_overdue": standing.filing_overdue,
            "rectification_pending": standing.rectification_pending,
            "renamed": standing.renamed,
            "synthetic": listing.synthetic,
        }


_STANDING_FIELDS = Standing._fields


def _period_from_record(record: dict[str, Any]) -> PeriodRow:
    return PeriodRow(
        listing_id=record["listing_id"],
        valid_from=record["valid_from"],
        valid_to=record["valid_to"],
        standing=Standing(**{name: record[name] for name in _STANDING_FIELDS}),
        recorded_from=record["recorded_from"],
        recorded_from_position=record["recorded_from_position"],
    )


_APPLY: dict[type, Any] = {
    Listing.Renominated: ListingsProjection._renominated,
    Listing.Listed: ListingsProjection._listed,
    Listing.Rejected: ListingsProjection._rejected,
    Listing.IndicatorFilingSubmitted: ListingsProjection._filing_submitted,
    Listing.FilingReviewed: ListingsProjection._filing_reviewed,
    Listing.FilingOverdue: ListingsProjection._filing_overdue,
    Listing.Flagged: ListingsProjection._flagged,
    Listing.OnSiteAssessmentOrdered: ListingsProjection._assessment_ordered,
    Listing.OnSiteAssessmentConcluded: ListingsProjection._assessment_concluded,
    Listing.AdjustmentProposed: ListingsProjection._adjustment_proposed,
    Listing.Removed: ListingsProjection._removed,
    Listing.RemovalRescinded: ListingsProjection._removal_rescinded,
}

#: Every event of a listing, the founding one included.
LISTING_EVENTS: frozenset[type] = frozenset({Listing.Nominated, *_APPLY})
