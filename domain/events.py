"""Every event the ledger records, as closed unions for typed dispatch.

A view (`readside/`) or the replay dispatches with `match` on the event's type and ends with
`case _: assert_never(event)`: mypy then refuses a dispatch that neither handles nor ignores, by
name, one of these classes, and a new event is a type error in every place that must decide
about it. `tests/test_dispatch.py` checks that these unions hold every event class of the
aggregates and that each view and the replay run over an instance of each.
"""

from __future__ import annotations

from typing import TypeAlias, get_args

from domain.assessor import Assessor
from domain.batch import Batch
from domain.enterprise import Enterprise, EnterpriseKey
from domain.facts import Fact
from domain.listing import Listing
from domain.national.green_codes import GreenCodeRound
from domain.national.rebenchmark import RebenchmarkCampaign

ListingEvent: TypeAlias = (
    Listing.Nominated
    | Listing.Renominated
    | Listing.Listed
    | Listing.Rejected
    | Listing.IndicatorFilingSubmitted
    | Listing.FilingReviewed
    | Listing.FilingOverdue
    | Listing.Flagged
    | Listing.OnSiteAssessmentOrdered
    | Listing.OnSiteAssessmentConcluded
    | Listing.AdjustmentProposed
    | Listing.Removed
    | Listing.RemovalRescinded
    | Listing.StarsRated
)
EnterpriseEvent: TypeAlias = (
    Enterprise.Registered
    | Enterprise.Renamed
    | Enterprise.AliasRecorded
    | Enterprise.CreditCodeAssigned
    | Enterprise.Nominated
    | Enterprise.CreditIncidentRecorded
    | Enterprise.CreditIncidentRetracted
    | Enterprise.RectificationCompleted
    | Enterprise.CreditIncidentEnded
)
AssessorEvent: TypeAlias = (
    Assessor.Registered
    | Assessor.EvaluationReported
    | Assessor.EvaluationCited
    | Assessor.EvaluationConfirmed
    | Assessor.WorkReportSubmitted
    | Assessor.Blacklisted
    | Assessor.BlacklistLifted
)
BatchEvent: TypeAlias = (
    Batch.Opened
    | Batch.NominationReceived
    | Batch.EvaluationCounted
    | Batch.ParkQuotaExceptionGranted
    | Batch.Published
    | Batch.Publicised
    | Batch.ObjectionRecorded
)
#: The national list's yearly work: 企业绿码 (ADR 0151), one aggregate per report year; the 2025
#: re-benchmark (ADR 0152), one aggregate per campaign.
NationalEvent: TypeAlias = (
    GreenCodeRound.Opened
    | GreenCodeRound.ApplicationRecorded
    | GreenCodeRound.GreenCodeAssigned
    | GreenCodeRound.GreenCodeWithheld
    #: The 2025 re-benchmark (ADR 0152): one aggregate per campaign.
    | RebenchmarkCampaign.Launched
    | RebenchmarkCampaign.ResultRecorded
    | RebenchmarkCampaign.NotRebenchmarked
)
LedgerEvent: TypeAlias = (
    ListingEvent
    | EnterpriseEvent
    | EnterpriseKey.Claimed
    | AssessorEvent
    | BatchEvent
    | NationalEvent
)

#: The aggregates whose nested classes are the ledger's events.
AGGREGATES = (
    Listing,
    Enterprise,
    EnterpriseKey,
    Assessor,
    Batch,
    GreenCodeRound,
    RebenchmarkCampaign,
)


def classes_of(union: object) -> tuple[type[Fact], ...]:
    """The event classes of a union above (or of one class), for `isinstance` at run time."""
    members = get_args(union) or (union,)
    if not all(isinstance(m, type) and issubclass(m, Fact) for m in members):
        raise TypeError(f"not a union of the ledger's events: {union!r}")
    return tuple(members)


LISTING_EVENTS = classes_of(ListingEvent)
ENTERPRISE_EVENTS = classes_of(EnterpriseEvent)
ASSESSOR_EVENTS = classes_of(AssessorEvent)
BATCH_EVENTS = classes_of(BatchEvent)
NATIONAL_EVENTS = classes_of(NationalEvent)
EVERY_EVENT = classes_of(LedgerEvent)


class EventNotHandledError(TypeError):
    """Raised when a view or the replay meets an event it neither handles nor ignores by name."""

    def __init__(self, where: str, event: object) -> None:
        super().__init__(f"{where} neither handles nor ignores {type(event).__qualname__}")


def check_ignored(where: str, event: object, ignored: tuple[type, ...]) -> None:
    """What a dispatch's `case _:` calls: the event must be one it ignores by name."""
    if not isinstance(event, ignored):
        raise EventNotHandledError(where, event)
