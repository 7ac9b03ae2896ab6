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
from typing import Any, cast
from uuid import UUID

from sqlalchemy.engine import Connection

from domain.assessor import Assessor
from domain.batch import Batch
from domain.enterprise import Enterprise, EnterpriseKey
from domain.events import (
    ASSESSOR_EVENTS,
    BATCH_EVENTS,
    ENTERPRISE_EVENTS,
    LISTING_EVENTS,
    LedgerEvent,
    ListingEvent,
)
from domain.listing import Listing
from domain.national.green_codes import GreenCodeRound
from domain.national.rebenchmark import RebenchmarkCampaign
from readside.assessors.projection import AssessorsProjection
from readside.decisions.projection import DecisionsProjection
from readside.engine.memory import Memory
from readside.enterprises.projection import EnterprisesProjection
from readside.listings.projection import ListingRow, ListingsProjection
from readside.statistics.projection import StatisticsChanges
from readside.tiers.projection import TiersProjection
from readside.timeline.projection import TimelineProjection
from readside.timeline.summaries import About

PositionedEvent = tuple[int, Any]
_NOTHING = About()


def _about(listing: ListingRow) -> About:
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
        self.enterprises = EnterprisesProjection(memory.enterprises)
        self.listings = ListingsProjection(
            self.statistics, memory.listings, memory.periods, self.enterprises
        )
        self.assessors = AssessorsProjection(memory.assessors, memory.batches)
        self.timeline = TimelineProjection(recorded_until)
        self.decisions = DecisionsProjection()
        self.tiers = TiersProjection()

    def apply(self, connection: Connection, events: Sequence[PositionedEvent]) -> None:
        self._load(connection, events)
        for position, event in events:
            self.process_event(position, event)

    def process_event(self, position: int, event: LedgerEvent) -> None:
        """Every view's share of one event, in the order their rows depend on each other: a
        listing's nomination reads its enterprise's names; an evaluation, its listing's level."""
        self.enterprises.process_event(position, event)
        listing = self.listings.process_event(position, event)
        named = self._named_listing(event)
        self.assessors.process_event(position, event, named.level if named else None)
        enterprise_id, about = self._context(event, listing, named)
        self.timeline.process_event(position, event, enterprise_id, about)
        self.decisions.process_event(position, event, listing)
        self.tiers.process_event(position, event)

    def flush(self, connection: Connection) -> None:
        self.enterprises.flush(connection)
        self.listings.flush(connection)
        self.statistics.flush(connection)
        self.assessors.flush(connection)
        self.timeline.flush(connection)
        self.decisions.flush(connection)
        self.tiers.flush(connection)

    @property
    def recorded_until(self) -> datetime | None:
        return self.timeline.recorded_until

    def settle(self) -> None:
        """The page was committed: what it wrote is stored."""
        self.listings.settle()

    # -- loading -------------------------------------------------------------------------------

    def _load(self, connection: Connection, events: Sequence[PositionedEvent]) -> None:
        """Read, in a few bulk selects, the rows the page's events will touch."""
        listing_ids: set[UUID] = set()
        enterprise_ids: set[UUID] = set()
        renamed: set[UUID] = set()
        assessor_ids: set[UUID] = set()
        batch_ids: set[UUID] = set()
        rescinded: set[UUID] = set()
        for _, event in events:
            if isinstance(event, LISTING_EVENTS):  # most events: not the whole match below
                listing_ids.add(event.originator_id)
                if isinstance(event, Listing.Nominated):
                    enterprise_ids.add(event.enterprise_id)
                elif isinstance(event, Listing.RemovalRescinded):
                    rescinded.add(event.originator_id)
                continue
            if isinstance(event, ENTERPRISE_EVENTS):
                enterprise_ids.add(event.originator_id)
            elif isinstance(event, ASSESSOR_EVENTS):
                assessor_ids.add(event.originator_id)
            elif isinstance(event, BATCH_EVENTS):
                batch_ids.add(event.originator_id)
            match event:
                case Enterprise.Renamed():
                    renamed.add(event.originator_id)
                case (
                    Enterprise.Nominated()
                    | Assessor.EvaluationReported()
                    | Assessor.EvaluationCited()
                    | Assessor.EvaluationConfirmed()
                    | Batch.NominationReceived()
                    | Batch.EvaluationCounted()
                    | Batch.ObjectionRecorded()
                    | GreenCodeRound.ApplicationRecorded()
                    | GreenCodeRound.GreenCodeAssigned()
                    | GreenCodeRound.GreenCodeWithheld()
                    | RebenchmarkCampaign.ResultRecorded()
                    | RebenchmarkCampaign.NotRebenchmarked()
                ):
                    listing_ids.add(event.listing_id)  # an event naming a listing
        self.listings.load(connection, listing_ids, renamed)
        self.enterprises.load(connection, enterprise_ids)
        self.assessors.load(connection, assessor_ids, batch_ids)
        self.decisions.load(connection, rescinded)

    # -- what the timeline says of an event's subject -----------------------------------------

    def _named_listing(self, event: LedgerEvent) -> ListingRow | None:
        """The listing an event of another aggregate names, if it names one."""
        if isinstance(event, LISTING_EVENTS):
            return None  # a listing's own event (most of them: one test, not the whole match)
        match event:
            case (
                Enterprise.Nominated()
                | Assessor.EvaluationReported()
                | Assessor.EvaluationCited()
                | Assessor.EvaluationConfirmed()
                | Batch.NominationReceived()
                | Batch.EvaluationCounted()
                | Batch.ObjectionRecorded()
                | GreenCodeRound.ApplicationRecorded()
                | GreenCodeRound.GreenCodeAssigned()
                | GreenCodeRound.GreenCodeWithheld()
                | RebenchmarkCampaign.ResultRecorded()
                | RebenchmarkCampaign.NotRebenchmarked()
            ):
                return self.listings.get(event.listing_id)
        return None

    def _context(
        self, event: LedgerEvent, listing: ListingRow | None, named: ListingRow | None
    ) -> tuple[UUID | None, About]:
        """The enterprise an event concerns, and what its timeline line may say of it."""
        if isinstance(event, LISTING_EVENTS):  # most events: one test, not the whole match
            return self._about_listing(cast(ListingEvent, event), listing)
        match event:
            case (
                Enterprise.Registered()
                | Enterprise.Renamed()
                | Enterprise.AliasRecorded()
                | Enterprise.CreditCodeAssigned()
                | Enterprise.Nominated()
                | Enterprise.CreditIncidentRecorded()
                | Enterprise.CreditIncidentRetracted()
                | Enterprise.RectificationCompleted()
                | Enterprise.CreditIncidentEnded()
            ):
                return event.originator_id, _NOTHING
            case EnterpriseKey.Claimed():
                return event.enterprise_id, _NOTHING
            case (
                Assessor.Registered()
                | Assessor.EvaluationReported()
                | Assessor.EvaluationCited()
                | Assessor.EvaluationConfirmed()
                | Assessor.WorkReportSubmitted()
                | Assessor.Blacklisted()
                | Assessor.BlacklistLifted()
            ):
                return (named.enterprise_id if named else None), _NOTHING
            case (
                Batch.Opened()
                | Batch.NominationReceived()
                | Batch.EvaluationCounted()
                | Batch.ParkQuotaExceptionGranted()
                | Batch.Published()
                | Batch.Publicised()
            ):
                return None, self._about_batch(event.originator_id)
            case GreenCodeRound.Opened() | RebenchmarkCampaign.Launched():
                return None, _NOTHING
            case RebenchmarkCampaign.ResultRecorded() | RebenchmarkCampaign.NotRebenchmarked():
                return (named.enterprise_id if named else None), _NOTHING
            case (
                GreenCodeRound.ApplicationRecorded()
                | GreenCodeRound.GreenCodeAssigned()
                | GreenCodeRound.GreenCodeWithheld()
            ):  # on the unit's enterprise's history
                return (named.enterprise_id if named else None), _NOTHING
            case Batch.ObjectionRecorded():  # on the objected unit's enterprise's history too
                about = self._about_batch(event.originator_id)
                return (named.enterprise_id if named else None), about
            case _:
                return self._about_listing(event, listing)

    def _about_batch(self, batch_id: UUID) -> About:
        batch = self.assessors.batch(batch_id)
        return About(level=batch.level, batch_year=batch.batch_year) if batch else _NOTHING

    @staticmethod
    def _about_listing(event: ListingEvent, listing: ListingRow | None) -> tuple[UUID, About]:
        if listing is None:
            raise LookupError(f"listing {event.originator_id} has events but no row")
        return listing.enterprise_id, _about(listing)
