"""A listing's status and flags, derived from its events by one pure function (design.md, One
lifecycle; 工信厅节函〔2022〕235号 二, dynamic management).

nominated → listed (or rejected) → flagged (a non-compliant filing review, a lesser incident,
DYN-3/DYN-4) → under on-site assessment (DYN-2) → listed again, flagged, or proposed for removal →
removed; a removal may be rescinded (a correction: as if it had not been), and a removed or
rejected unit nominated again (NEG-3 decides when). The flags: `barred_until` (NEG-3, the bar of
the last standing removal), `filing_overdue` (DYN-1, an overdue report year with no filing) and
`rectification_pending` (the last on-site assessment asked for rectification).

`advanced(state, event)` is the whole lifecycle. The aggregate (`domain.listing.Listing`) keeps
its state with it, and the listings read model folds the same function over the same events, so
the two cannot drift; the property tests check the read model against the aggregates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from domain import listing as listings
from domain.facts import Fact
from domain.values import AssessmentOutcome, FilingOutcome, ListingStatus, ProposalAction

LISTED = ListingStatus.LISTED


@dataclass(frozen=True, slots=True)
class LifecycleState:
    """Where a listing stands after its events: status, dates, flags, and what the fold needs
    to go on (the status and bar a rescission restores, the overdue and filed years)."""

    status: ListingStatus
    batch_year: int
    listed_on: date | None
    removed_on: date | None
    rejected_on: date | None
    last_filing_year: int | None
    barred_until: date | None
    filing_overdue: bool
    rectification_pending: bool
    status_before_removal: ListingStatus
    barred_until_before_removal: date | None
    overdue_years: tuple[int, ...]
    filed_years: frozenset[int]
    #: The event that led here set the status: it is the listing's deciding event (explanations).
    sets_status: bool = True

    @property
    def is_on_list(self) -> bool:
        return self.status.is_on_list


def founded(event: listings.Listing.Nominated) -> LifecycleState:
    """The state of a listing just nominated."""
    return LifecycleState(
        status=ListingStatus.NOMINATED,
        batch_year=event.batch_year,
        listed_on=None,
        removed_on=None,
        rejected_on=None,
        last_filing_year=None,
        barred_until=None,
        filing_overdue=False,
        rectification_pending=False,
        status_before_removal=LISTED,
        barred_until_before_removal=None,
        overdue_years=(),
        filed_years=frozenset(),
    )


def state_of(events: Iterable[Fact]) -> LifecycleState:
    """The state a listing's events, in order and beginning with its nomination, leave it in."""
    state: LifecycleState | None = None
    for event in events:
        if state is None:
            if not isinstance(event, listings.Listing.Nominated):
                raise ValueError(f"a listing's events begin with its nomination, not {event!r}")
            state = founded(event)
        else:
            state = advanced(state, event)
    if state is None:
        raise ValueError("a listing has at least its nomination")
    return state


def advanced(state: LifecycleState, event: Fact) -> LifecycleState:
    """The state after one more event of the listing (any but its nomination)."""
    events = listings.Listing  # the aggregate's nested event classes
    day = event.effective_on
    match event:
        case events.Renominated(batch_year=batch_year):
            return replace(
                _status(state, ListingStatus.NOMINATED),
                batch_year=batch_year,
                listed_on=None,
                removed_on=None,
            )
        case events.Listed():
            return replace(_status(state, LISTED), listed_on=day, removed_on=None)
        case events.Rejected():
            return replace(_status(state, ListingStatus.REJECTED), rejected_on=day)
        case events.IndicatorFilingSubmitted(report_year=year):
            return _filings(state, state.overdue_years, state.filed_years | {year})
        case events.FilingReviewed(outcome=outcome):
            return _flagged(state) if outcome is FilingOutcome.NON_COMPLIANT else _kept(state)
        case events.FilingOverdue(report_year=year):
            overdue = state.overdue_years
            return _filings(state, overdue if year in overdue else (*overdue, year))
        case events.Flagged():
            return _flagged(state)
        case events.OnSiteAssessmentOrdered():
            return _status(state, ListingStatus.UNDER_ASSESSMENT)
        case events.OnSiteAssessmentConcluded(outcome=outcome):
            meets = outcome is AssessmentOutcome.MEETS
            return replace(
                _status(state, LISTED if meets else ListingStatus.FLAGGED),
                rectification_pending=outcome is AssessmentOutcome.RECTIFICATION_REQUIRED,
            )
        case events.AdjustmentProposed(action=ProposalAction.REMOVE):
            return _status(state, ListingStatus.REMOVAL_PROPOSED)
        case events.AdjustmentProposed(action=ProposalAction.RETAIN):
            return _status(state, LISTED)
        case events.AdjustmentProposed():
            return _kept(state)  # a new name is proposed: the enterprise's, not the status
        case events.Removed(barred_until=barred_until):
            return replace(
                _status(state, ListingStatus.REMOVED),
                status_before_removal=state.status,
                barred_until_before_removal=state.barred_until,
                removed_on=day,
                barred_until=barred_until,
            )
        case events.RemovalRescinded():
            return replace(
                _status(state, state.status_before_removal),
                removed_on=None,
                barred_until=state.barred_until_before_removal,
            )
    raise TypeError(f"not an event of a listing's lifecycle: {type(event).__qualname__}")


def _status(state: LifecycleState, status: ListingStatus) -> LifecycleState:
    return replace(state, status=status, sets_status=True)


def _kept(state: LifecycleState) -> LifecycleState:
    return replace(state, sets_status=False) if state.sets_status else state


def _flagged(state: LifecycleState) -> LifecycleState:
    """A reason for doubt flags a listed unit; whatever else it is doing stays as it is."""
    return _status(state, ListingStatus.FLAGGED) if state.status is LISTED else _kept(state)


def _filings(
    state: LifecycleState, overdue: tuple[int, ...], filed: frozenset[int] | None = None
) -> LifecycleState:
    """A filing or an overdue notice: the overdue flag and the last filing year follow."""
    filed = state.filed_years if filed is None else filed
    return replace(
        state,
        overdue_years=overdue,
        filed_years=filed,
        last_filing_year=max(filed) if filed else None,
        filing_overdue=any(year not in filed for year in overdue),
        sets_status=False,
    )
