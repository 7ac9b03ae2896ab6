"""One page of events applied to every read model, inside the projector's transaction.

The page first reads, in a few bulk selects, the rows its events will touch (listings, their
current periods, enterprises, assessors, batches); then applies the events one by one, in
position order, in memory; then writes each table's changes in one statement per kind. Applying
event by event (not page by page) is what makes the rows independent of where pages begin and
end: a rebuild in pages of a thousand yields the same rows as a catch-up after every command.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy.engine import Connection

from domain.assessor import Assessor
from domain.batch import Batch
from domain.enterprise import Enterprise, EnterpriseKey
from domain.listing import Listing
from readside.assessors.projection import AssessorsProjection
from readside.decisions.projection import DecisionsProjection
from readside.engine.memory import Memory
from readside.enterprises.projection import EnterprisesProjection
from readside.listings.projection import LISTING_EVENTS, ListingRow, ListingsProjection
from readside.statistics.projection import StatisticsChanges
from readside.timeline.projection import TimelineProjection
from readside.timeline.summaries import About

ENTERPRISE_EVENTS = frozenset(
    {
        Enterprise.Registered,
        Enterprise.Renamed,
        Enterprise.AliasRecorded,
        Enterprise.CreditCodeAssigned,
        Enterprise.Nominated,
        Enterprise.CreditIncidentRecorded,
        Enterprise.CreditIncidentRetracted,
        Enterprise.RectificationCompleted,
        Enterprise.CreditIncidentEnded,
    }
)
ASSESSOR_EVENTS = frozenset(
    {
        Assessor.Registered,
        Assessor.EvaluationReported,
        Assessor.WorkReportSubmitted,
        Assessor.Blacklisted,
        Assessor.BlacklistLifted,
    }
)
BATCH_EVENTS = frozenset(
    {
        Batch.Opened,
        Batch.NominationReceived,
        Batch.EvaluationCounted,
        Batch.ParkQuotaExceptionGranted,
        Batch.Published,
    }
)
#: Events that name a listing other than their own aggregate.
_NAMING_A_LISTING = (
    Enterprise.Nominated,
    Assessor.EvaluationReported,
    Batch.NominationReceived,
    Batch.EvaluationCounted,
)

PositionedEvent = tuple[int, Any]
_NOTHING = About()


def _about(listing: ListingRow | None) -> About:
    if listing is None:
        return About()
    product = listing.product_name
    if product and listing.product_model:
        product = f"{product} {listing.product_model}"
    return About(
        category=listing.category,
        level=listing.level,
        batch_year=listing.batch_year,
        product=product,
    )


class Page:
    """Every read model's share of one page of events."""

    def __init__(self, memory: Memory, recorded_until: datetime | None) -> None:
        self.statistics = StatisticsChanges()
        self.listings = ListingsProjection(self.statistics, memory.listings, memory.periods)
        self.enterprises = EnterprisesProjection(memory.enterprises)
        self.assessors = AssessorsProjection(memory.assessors, memory.batches)
        self.timeline = TimelineProjection(recorded_until)
        self.decisions = DecisionsProjection()

    def apply(self, connection: Connection, events: Sequence[PositionedEvent]) -> None:
        self._load(connection, events)
        for position, event in events:
            self._apply(position, event)

    def flush(self, connection: Connection) -> None:
        self.enterprises.flush(connection)
        self.listings.flush(connection)
        self.statistics.flush(connection)
        self.assessors.flush(connection)
        self.timeline.flush(connection)
        self.decisions.flush(connection)

    @property
    def recorded_until(self) -> datetime | None:
        return self.timeline.recorded_until

    def settle(self) -> None:
        """The page was committed: what it wrote is stored."""
        self.listings.settle()

    # -- loading -------------------------------------------------------------------------------

    def _load(self, connection: Connection, events: Sequence[PositionedEvent]) -> None:
        listing_ids: set[UUID] = set()
        enterprise_ids: set[UUID] = set()
        renamed: set[UUID] = set()
        assessor_ids: set[UUID] = set()
        batch_ids: set[UUID] = set()
        for _, event in events:
            kind = type(event)
            if kind in LISTING_EVENTS:
                listing_ids.add(event.originator_id)
                if kind is Listing.Nominated:
                    enterprise_ids.add(event.enterprise_id)
            elif kind in ENTERPRISE_EVENTS:
                enterprise_ids.add(event.originator_id)
                if kind is Enterprise.Renamed:
                    renamed.add(event.originator_id)
            elif kind in ASSESSOR_EVENTS:
                assessor_ids.add(event.originator_id)
            elif kind in BATCH_EVENTS:
                batch_ids.add(event.originator_id)
            if isinstance(event, _NAMING_A_LISTING):
                listing_ids.add(event.listing_id)
        self.listings.load(connection, listing_ids, renamed)
        self.enterprises.load(connection, enterprise_ids)
        self.assessors.load(connection, assessor_ids, batch_ids)

    # -- applying ------------------------------------------------------------------------------

    def _apply(self, position: int, event: Any) -> None:
        kind = type(event)
        listing: ListingRow | None = None
        enterprise_id: UUID | None = None
        about = _NOTHING
        if kind in LISTING_EVENTS:
            listing = self._apply_listing(position, event)
            enterprise_id, about = listing.enterprise_id, _about(listing)
        elif kind in ENTERPRISE_EVENTS:
            self.enterprises.apply(position, event)
            if kind is Enterprise.Renamed:
                self.listings.rename(position, event)
            enterprise_id = event.originator_id
        elif kind is EnterpriseKey.Claimed:
            enterprise_id = event.enterprise_id
        elif kind in ASSESSOR_EVENTS:
            named = self._named_listing(event)
            self.assessors.apply(position, event, named.level if named else None)
            enterprise_id = named.enterprise_id if named else None
        elif kind in BATCH_EVENTS:
            batch = self.assessors.apply_batch(position, event)
            if batch is not None:
                about = About(level=batch.level, batch_year=batch.batch_year)
        self.timeline.add(position, event, enterprise_id, about)
        self.decisions.add(
            position, event, listing=listing, status=listing.status if listing else None
        )

    def _apply_listing(self, position: int, event: Any) -> ListingRow:
        if type(event) is Listing.Nominated:
            enterprise = self.enterprises.get(event.enterprise_id)
            if enterprise is None:
                raise LookupError(
                    f"listing {event.originator_id} names enterprise {event.enterprise_id}, "
                    "which has no registration"
                )
            return self.listings.nominate(
                position, event, enterprise.name_history(), synthetic=enterprise.synthetic
            )
        if type(event) is Listing.RemovalRescinded:
            row = self.listings.get(event.originator_id)
            if row is not None and row.removal_position is not None:
                self.decisions.rescind(row.removal_position, position)
        return self.listings.apply(position, event)

    def _named_listing(self, event: Any) -> ListingRow | None:
        listing_id = getattr(event, "listing_id", None)
        return self.listings.get(listing_id) if listing_id is not None else None
