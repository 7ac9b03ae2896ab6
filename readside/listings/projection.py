"""The listings read model: `listings` (as it stands now), `listing_periods` (bitemporal), and
`listing_filings` (the yearly 动态管理表 and their reviews).

A listing's status and flags are those of the aggregate, computed by the same pure function
(`domain.lifecycle.advanced`, design.md: One lifecycle): `barred_until` (NEG-3, the bar of the
last standing removal), `filing_overdue` (DYN-1, an overdue year without a filing),
`rectification_pending` (the last on-site assessment asked for rectification). This model adds
what only the read side knows: `renamed` (the enterprise has borne another name), the positions
of the events an explanation starts from, the bitemporal periods and the filings' rows.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, TypeAlias
from uuid import UUID

from sqlalchemy.engine import Connection

from domain.enterprise import Enterprise, EnterpriseKey
from domain.events import (
    AssessorEvent,
    BatchEvent,
    LedgerEvent,
    ListingEvent,
    NationalEvent,
    check_ignored,
    classes_of,
)
from domain.lifecycle import LifecycleState, advanced, founded
from domain.listing import Listing
from domain.values import ListingStatus, Product
from readside.engine import tables
from readside.engine.writing import insert_rows, select_where_in, update_rows
from readside.enterprises.projection import EnterprisesProjection, name_key
from readside.listings.periods import (
    PeriodBook,
    PeriodRow,
    Standing,
    Stretch,
    name_changes,
    restate,
)
from readside.statistics.projection import StatisticsChanges


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
    product_standard: str | None
    product_key: str | None
    park_level: str | None
    name: str
    name_key: str
    nominated_on: date
    lifecycle: LifecycleState
    renamed: bool
    synthetic: bool
    filing_positions: dict[str, int]
    status_position: int
    listed_position: int | None
    removal_position: int | None
    updated_position: int

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> ListingRow:
        """The row as stored: the lifecycle's columns make its state again."""
        filing_positions = dict(record["filing_positions"])
        values = {name: record[name] for name in _STATE_COLUMNS}
        state = LifecycleState(
            **{
                **values,
                "status": ListingStatus(values["status"]),
                "status_before_removal": ListingStatus(values["status_before_removal"]),
                "overdue_years": tuple(values["overdue_years"]),
                "filed_years": frozenset(int(year) for year in filing_positions),
            }
        )
        return cls(
            **{name: record[name] for name in _OWN_FIELDS},
            lifecycle=state,
            filing_positions=filing_positions,
        )

    @property
    def status(self) -> str:
        return self.lifecycle.status.value

    @property
    def batch_year(self) -> int:
        return self.lifecycle.batch_year

    def as_row(self) -> dict[str, Any]:
        return {
            **{name: getattr(self, name) for name in _OWN_FIELDS},
            **self._lifecycle_columns(),
            "filing_positions": self.filing_positions,
        }

    def as_changes(self) -> dict[str, Any]:
        """The columns its events may change, with its key."""
        return {
            **{name: getattr(self, name) for name in _CHANGING_FIELDS},
            **self._lifecycle_columns(),
            "filing_positions": self.filing_positions,
        }

    def listing_standing(self) -> dict[str, Any]:
        """The parts of the standing the listing's own events decide."""
        standing = dict(zip(_OWN_STANDING, _own_standing(self.lifecycle), strict=True))
        standing["status"] = self.lifecycle.status.value
        standing["status_position"] = self.status_position
        return standing

    def _lifecycle_columns(self) -> dict[str, Any]:
        """The lifecycle's state as the listings table stores it, a column each (codes for the
        statuses, a list for the overdue years)."""
        state = self.lifecycle
        columns = dict(zip(_STATE_COLUMNS, _state_columns(state), strict=True))
        columns["status"] = state.status.value
        columns["status_before_removal"] = state.status_before_removal.value
        columns["overdue_years"] = list(state.overdue_years)
        return columns


#: The row's own columns (the lifecycle's and the filings' positions are written apart).
_OWN_FIELDS = tuple(
    f.name for f in fields(ListingRow) if f.name not in ("lifecycle", "filing_positions")
)
#: What never changes once nominated: a listing is enterprise × category × level (× product).
_FIXED_FIELDS = frozenset(
    {
        "enterprise_id",
        "region",
        "category",
        "level",
        "product_name",
        "product_model",
        "product_standard",
        "product_key",
        "park_level",
        "nominated_on",
        "synthetic",
    }
)
_CHANGING_FIELDS = tuple(name for name in _OWN_FIELDS if name not in _FIXED_FIELDS)
#: The lifecycle's state kept in the listings table: all of it but the filed years (the keys of
#: `filing_positions`) and whether the last event set the status (a fact about that event).
_STATE_COLUMNS = tuple(
    f.name for f in fields(LifecycleState) if f.name not in ("filed_years", "sets_status")
)
_state_columns = operator.attrgetter(*_STATE_COLUMNS)
#: The parts of a period's standing the listing's own events decide (the rest: its name).
_OWN_STANDING = tuple(name for name in Standing._fields if name in _STATE_COLUMNS)
#: Those parts of a lifecycle state, to tell whether an event changed them.
_own_standing = operator.attrgetter(*_OWN_STANDING)


#: The events this view leaves alone: mypy checks that it handles every other one.
Ignored: TypeAlias = (
    Enterprise.Registered
    | Enterprise.AliasRecorded
    | Enterprise.CreditCodeAssigned
    | Enterprise.Nominated
    | Enterprise.CreditIncidentRecorded
    | Enterprise.CreditIncidentRetracted
    | Enterprise.RectificationCompleted
    | Enterprise.CreditIncidentEnded
    | EnterpriseKey.Claimed
    | AssessorEvent
    | BatchEvent
    | NationalEvent
)
_IGNORED = classes_of(Ignored)


def _ignore(event: Ignored) -> None:
    check_ignored("the listings view", event, _IGNORED)


class ListingsProjection:
    """Applies listing events (and renames of their enterprises) to the listing tables."""

    def __init__(
        self,
        statistics: StatisticsChanges,
        rows: dict[UUID, ListingRow],
        periods: dict[UUID, list[PeriodRow]],
        enterprises: EnterprisesProjection,
    ) -> None:
        self.rows = rows
        self.enterprises = enterprises
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
            self.rows[listing_id] = ListingRow.from_record(record._asdict())
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

    def process_event(self, position: int, event: LedgerEvent) -> ListingRow | None:
        """Apply a listing's event (or a rename of its enterprise); the listing's row after it."""
        match event:
            case Listing.Nominated():
                return self.nominate(position, event)
            case Listing.Renominated():
                row = self.apply(position, event)
                row.listed_position = None
            case Listing.Listed():
                row = self.apply(position, event)
                row.listed_position = position
            case Listing.IndicatorFilingSubmitted():
                row = self.apply(position, event)
                self._filing_submitted(row, position, event)
            case Listing.FilingReviewed():
                row = self.apply(position, event)
                self._filing_reviewed(row, position, event)
            case Listing.Removed():
                row = self.apply(position, event)
                row.removal_position = position
            case Listing.RemovalRescinded():
                # A correction: from the removal's own day, as if the removal had not been.
                removed_on = self._row(event).lifecycle.removed_on
                row = self.apply(position, event, since=removed_on)
                row.removal_position = None
            case (
                Listing.Rejected()
                | Listing.FilingOverdue()
                | Listing.Flagged()
                | Listing.OnSiteAssessmentOrdered()
                | Listing.OnSiteAssessmentConcluded()
                | Listing.AdjustmentProposed()
            ):
                row = self.apply(position, event)  # the lifecycle is the whole of it
            case Listing.StarsRated():
                return self._row(event)  # the row is as it was; readside/tiers keeps the stars
            case Enterprise.Renamed():
                self.rename(position, event)
                return None
            case _:
                _ignore(event)
                return None
        return row

    def nominate(self, position: int, event: Listing.Nominated) -> ListingRow:
        enterprise = self.enterprises.get(event.enterprise_id)
        if enterprise is None:
            raise LookupError(
                f"listing {event.originator_id} names enterprise {event.enterprise_id}, "
                "which has no registration"
            )
        names = enterprise.name_history()
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
            product_standard=event.product.standard if event.product else None,
            product_key=_product_key(event.product),
            park_level=event.park_level.value if event.park_level else None,
            name=names[-1][1],
            name_key=name_key(names[-1][1]),
            nominated_on=day,
            lifecycle=founded(event),
            renamed=len(names) > 1,
            synthetic=enterprise.synthetic,
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

    def apply(self, position: int, event: ListingEvent, since: date | None = None) -> ListingRow:
        """Advance the listing's lifecycle by an event of it (any but `Nominated`), restating
        its periods from `since` (default: the day the event takes effect)."""
        row = self._row(event)
        before = row.lifecycle
        row.lifecycle = advanced(before, event)
        if row.lifecycle.sets_status:
            row.status_position = position
        row.updated_position = position
        if row.listing_id not in self._new:
            self._dirty.add(row.listing_id)
        day = since or event.effective_on
        unchanged = (
            _own_standing(row.lifecycle) == _own_standing(before) and not row.lifecycle.sets_status
        )
        if unchanged and day >= self.periods.last_start(row.listing_id):
            return row  # a filing, a compliant review ...: the standing did not change
        stretches = restate(self.periods.stretches(row.listing_id), day, row.listing_standing())
        self._restate(row, stretches, event.timestamp, position)
        return row

    def _row(self, event: ListingEvent) -> ListingRow:
        row = self.rows.get(event.originator_id)
        if row is None:
            raise LookupError(f"listing {event.originator_id} has events but no nomination")
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

    # -- what only the read side keeps -----------------------------------------------------------

    def _filing_submitted(
        self, row: ListingRow, position: int, e: Listing.IndicatorFilingSubmitted
    ) -> None:
        row.filing_positions[str(e.report_year)] = position
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

    def _filing_reviewed(self, row: ListingRow, position: int, e: Listing.FilingReviewed) -> None:
        filing_position = row.filing_positions.get(str(e.report_year))
        if filing_position is None:
            return
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
            **standing._asdict(),
            "name_key": name_key(standing.name),
            "synthetic": listing.synthetic,
        }


_STANDING_FIELDS = Standing._fields


def _product_key(product: Product | None) -> str | None:
    """A design product's name and model as the list's search reads them."""
    if product is None:
        return None
    return name_key(" ".join(part for part in (product.name, product.model) if part))


def _period_from_record(record: dict[str, Any]) -> PeriodRow:
    return PeriodRow(
        listing_id=record["listing_id"],
        valid_from=record["valid_from"],
        valid_to=record["valid_to"],
        standing=Standing(**{name: record[name] for name in _STANDING_FIELDS}),
        recorded_from=record["recorded_from"],
        recorded_from_position=record["recorded_from_position"],
    )
