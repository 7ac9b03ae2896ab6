"""Replay: re-derive every recorded decision from the facts known when it was taken (ADR 0011).

The auditor's question (design.md): does each decision follow from the facts the ledger held when
it was taken, under the rules then in force? Replay reads the notification log in order, in pages
(the ids may have gaps), folds every event into aggregates held in memory, and re-runs each
decision's rules — the very functions the ledger ran (`domain/rules/decisions.py`) — on the state
before the command that took it, under the rulebook in force on its effective date. A decision
whose recorded findings or rulebook version differ from the re-derived ones is a mismatch.

One command saves all its aggregates' events contiguously, in one transaction; its decisions were
taken on the state before the command. Two kinds of command put decisions after another of their
own events, and replay recognises them by their first event:
- `Batch.Published`, followed by one Listed, Rejected or Removed per listing it names;
- `Enterprise.CreditIncidentRecorded`, followed by one Removed or Flagged per listing of the
  enterprise on the list, when the incident removes or flags — decided on the state before the
  command plus that incident.
Every other decision is its command's first event, so the state just before it is the state
before its command.

Decisions recorded by the import of the published lists (actor `importer`, ADR 0040) record what
the ministry decided before the ledger existed, in chunks that are not commands: replay folds them
and counts them, but does not re-derive them.

`rulebook` re-derives every decision under that version instead of the one in force on its date
(a what-if, ADR 0016); `observer` receives each decision as the auditor's report shows it
(`domain.auditing`, ADR 0015).

`known_at` limits the replay to the facts recorded up to that instant. A command's events carry
the instants they were made at, not always in the order they were saved (a publication saves the
batch's event first and makes it last), and the command was recorded when all of them were: the
log is read command by command up to the first command with an event made after `known_at`.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from copy import deepcopy
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, TypeAlias, TypeVar, assert_never
from uuid import UUID

from eventsourcing.domain import Aggregate, CanMutateAggregate
from eventsourcing.persistence import Notification

from domain.assessor import Assessor
from domain.auditing import Outcome, ReplayedDecision, Verdict, describe, judge
from domain.batch import Batch, batch_id_for
from domain.enterprise import Enterprise, EnterpriseKey
from domain.errors import InvalidInputError
from domain.events import (
    BatchEvent,
    EnterpriseEvent,
    LedgerEvent,
    NationalEvent,
    check_ignored,
    classes_of,
)
from domain.ledger import Ledger
from domain.listing import Listing
from domain.loading.importing import IMPORTER
from domain.rules import Rulebook, rulebook_for
from domain.rules.categories import Nomination
from domain.rules.decisions import (
    blacklisting_findings,
    conclusion_findings,
    nomination_findings,
    overdue_findings,
    proposal_findings,
    publication_findings,
    removal_findings,
    review_findings,
)
from domain.rules.dynamic import incident_consequence
from domain.rules.publicity import listing_publicity_findings, rejection_publicity_findings
from domain.values import EventRef, Finding

TAggregate = TypeVar("TAggregate", bound=Aggregate)

#: Every event that records a decision with its rulebook version and findings.
DecisionEvent: TypeAlias = (
    Listing.Nominated
    | Listing.Renominated
    | Listing.Listed
    | Listing.Rejected
    | Listing.FilingReviewed
    | Listing.FilingOverdue
    | Listing.Flagged
    | Listing.OnSiteAssessmentConcluded
    | Listing.AdjustmentProposed
    | Listing.Removed
    | Assessor.Blacklisted
)
DECISION_EVENTS = classes_of(DecisionEvent)
#: The events that record no decision: replay folds them and checks nothing.
NotADecision: TypeAlias = (
    Listing.IndicatorFilingSubmitted
    | Listing.OnSiteAssessmentOrdered
    | Listing.RemovalRescinded
    | Listing.StarsRated
    | EnterpriseEvent
    | EnterpriseKey.Claimed
    | Assessor.Registered
    | Assessor.EvaluationReported
    | Assessor.EvaluationCited
    | Assessor.EvaluationConfirmed
    | Assessor.WorkReportSubmitted
    | Assessor.BlacklistLifted
    | BatchEvent
    | NationalEvent
)
_NOT_A_DECISION = classes_of(NotADecision)


def decision(event: LedgerEvent) -> DecisionEvent | None:
    """The event, if it records a decision the replay re-derives."""
    match event:
        case (
            Listing.Nominated()
            | Listing.Renominated()
            | Listing.Listed()
            | Listing.Rejected()
            | Listing.FilingReviewed()
            | Listing.FilingOverdue()
            | Listing.Flagged()
            | Listing.OnSiteAssessmentConcluded()
            | Listing.AdjustmentProposed()
            | Listing.Removed()
            | Assessor.Blacklisted()
        ):
            return event
        case _:
            _not_a_decision(event)
            return None


def _not_a_decision(event: NotADecision) -> None:
    check_ignored("the replay", event, _NOT_A_DECISION)


@dataclass(frozen=True)
class Mismatch:
    """A recorded decision whose findings (or rulebook version) the facts do not bear out."""

    position: int
    originator_id: UUID
    version: int
    topic: str
    recorded: tuple[Finding, ...]
    rederived: tuple[Finding, ...]
    recorded_rulebook: str
    rederived_rulebook: str
    note: str = ""
    #: The rules that make the difference (domain.auditing.judge).
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReplayReport:
    decisions_checked: int
    mismatches: tuple[Mismatch, ...]
    events_read: int
    last_position: int
    known_at: datetime | None = None
    #: Decisions recorded by the import of the published lists: folded, not re-derived.
    imported_records: int = 0
    #: The rulebook version of a what-if (None: each decision under the rules in force then).
    rulebook: str | None = None

    @property
    def consistent(self) -> bool:
        return not self.mismatches


def replay(
    ledger: Ledger,
    known_at: datetime | None = None,
    *,
    page_size: int = 1000,
    progress: Callable[[int, int], None] | None = None,
    rulebook: Rulebook | None = None,
    observer: Callable[[ReplayedDecision], None] | None = None,
) -> ReplayReport:
    """Re-derive every decision in the log (up to `known_at`); `progress(position, last)`."""
    if known_at is not None and known_at.utcoffset() is None:
        raise InvalidInputError("known_at", "must carry a time zone")
    last = ledger.position
    run = _Replay(known_at, rulebook, observer)
    start = 0
    reading = True
    while reading:
        page = ledger.recorder.select_notifications(
            start=start, limit=page_size, inclusive_of_start=False
        )
        reading = bool(page)
        for notification in page:
            event = ledger.mapper.to_domain_event(notification)
            if isinstance(event, CanMutateAggregate) and not run.feed(notification, event):
                reading = False
                break
        start = page[-1].id if page else start
        if progress is not None:
            progress(start, last)
    run.complete()
    return ReplayReport(
        decisions_checked=run.checked,
        mismatches=tuple(run.mismatches),
        events_read=run.events_read,
        last_position=run.position,
        known_at=known_at,
        imported_records=run.imported,
        rulebook=rulebook.version if rulebook is not None else None,
    )


class _Replay:
    """The folded state, the command being gathered, and what was found so far."""

    def __init__(
        self,
        known_at: datetime | None,
        what_if: Rulebook | None = None,
        observer: Callable[[ReplayedDecision], None] | None = None,
    ) -> None:
        self.known_at = known_at
        self.what_if = what_if
        self.observer = observer
        #: Where each aggregate's events stand in the log, by version (kept for the observer).
        self.positions: dict[UUID, array[int]] | None = {} if observer is not None else None
        self.stopped = False
        self.state: dict[UUID, Aggregate] = {}
        self.command: list[tuple[Notification, Any]] = []
        self.awaiting = 0
        self.checked = 0
        self.imported = 0
        self.events_read = 0
        self.position = 0
        self.mismatches: list[Mismatch] = []

    # -- gathering commands --------------------------------------------------------------------

    def feed(self, notification: Notification, event: Any) -> bool:
        """Take the next event; False once a command recorded after `known_at` is met."""
        if not self.command:
            self.begin(notification, event)
        else:
            self.command.append((notification, event))
            self.awaiting -= 1
        if self.awaiting <= 0:
            self.complete()
        return not self.stopped

    def complete(self) -> None:
        """The command is gathered: replay it if it was recorded by `known_at`, else stop."""
        if not self.command:
            return

        made = [event.timestamp for _, event in self.command]
        if self.known_at is not None and max(made) > self.known_at:
            self.stopped = True
            self.command = []
            return
        self.events_read += len(self.command)
        self.position = self.command[-1][0].id
        self.finish()

    def begin(self, notification: Notification, event: Any) -> None:
        self.command = [(notification, event)]
        self.awaiting = self.followers(event)

    def followers(self, first: LedgerEvent) -> int:
        """How many events of the command `first` begins carry decisions taken after it."""
        match first:
            case Batch.Published():
                return len(first.listed) + len(first.rejected) + len(first.removed)
            case Enterprise.CreditIncidentRecorded():
                return self.consequences(first)
        return 0  # any other command's decisions were all taken before it

    def consequences(self, first: Enterprise.CreditIncidentRecorded) -> int:
        """How many listings the incident `first` removes or flags (its command's followers)."""
        before = self.get(Enterprise, first.originator_id)
        if before is None:
            return 0
        # On a copy: the command may turn out to be recorded after `known_at`.
        enterprise = first.mutate(deepcopy(before))
        if enterprise is None:
            return 0
        rulebook = rulebook_for(first.effective_on)
        consequence = incident_consequence(rulebook, enterprise, first.incident_id)
        if not (consequence.removes or consequence.flags):
            return 0
        try:
            return sum(1 for listing in self.listings_of(enterprise) if listing.is_on_list)
        except _FactMissingError:
            return 0

    def finish(self) -> None:
        """Check the command's decisions on the state before it (plus the incident it records,
        which its decisions rest on), then fold its events."""
        first = self.command[0][1]
        unfolded = self.command
        if self.positions is not None:
            for notification, event in self.command:
                self.positions.setdefault(event.originator_id, array("q")).append(notification.id)
        if isinstance(first, Enterprise.CreditIncidentRecorded):
            self.fold(first)
            unfolded = self.command[1:]
        for notification, event in self.command:
            decided = decision(event)
            if decided is None:
                continue
            if decided.actor == IMPORTER:
                self.imported += 1
                self.observe(notification.id, event, Verdict(Outcome.IMPORTED), None, None)
            else:
                self.check(notification, decided, first)
        for _, event in unfolded:
            self.fold(event)
        self.command = []
        self.awaiting = 0

    def fold(self, event: Any) -> None:
        self.state[event.originator_id] = event.mutate(self.state.get(event.originator_id))

    # -- checking decisions --------------------------------------------------------------------

    def check(self, notification: Notification, event: DecisionEvent, first: Any) -> None:
        self.checked += 1
        rulebook = self.what_if or rulebook_for(event.effective_on)
        recorded = tuple(Finding.normalised(f) for f in event.rule_findings)
        note = ""
        try:
            rederived = self.rederive(event, first, rulebook)
        except _FactMissingError as missing:
            rederived, note = (), str(missing)
        verdict = judge(
            recorded,
            event.rulebook,
            rederived,
            rulebook.version,
            what_if=self.what_if is not None,
            note=note,
        )
        self.observe(notification.id, event, verdict, rederived, rulebook.version, recorded, note)
        if verdict.outcome is Outcome.MATCHES:
            return
        self.mismatches.append(
            Mismatch(
                position=notification.id,
                originator_id=event.originator_id,
                version=event.originator_version,
                topic=notification.topic,
                recorded=recorded,
                rederived=rederived,
                recorded_rulebook=event.rulebook,
                rederived_rulebook=rulebook.version,
                note=note,
                rules=verdict.rules,
            )
        )

    def observe(
        self,
        position: int,
        event: Any,
        verdict: Verdict,
        rederived: tuple[Finding, ...] | None,
        rederived_rulebook: str | None,
        recorded: tuple[Finding, ...] | None = None,
        note: str = "",
    ) -> None:
        if self.observer is None:
            return
        self.observer(
            describe(
                position,
                event,
                verdict,
                rederived,
                rederived_rulebook,
                lookup=self.state.get,
                position_of=self.position_of,
                recorded=recorded,
                note=note,
            )
        )

    def position_of(self, ref: EventRef) -> int | None:
        positions = (self.positions or {}).get(ref.originator_id)
        if positions is None or not 0 < ref.version <= len(positions):
            return None
        return positions[ref.version - 1]

    def rederive(self, event: DecisionEvent, first: Any, rulebook: Rulebook) -> tuple[Finding, ...]:
        day: date = event.effective_on
        match event:
            case Assessor.Blacklisted():
                assessor = self.need(Assessor, event.originator_id)
                return blacklisting_findings(rulebook, assessor, day, event.until)
            case Listing.Nominated() | Listing.Renominated():
                return self.nomination(event, rulebook)
        listing = self.need(Listing, event.originator_id)
        enterprise = self.need(Enterprise, listing.enterprise_id)
        if isinstance(first, Enterprise.CreditIncidentRecorded) and first is not event:
            return incident_consequence(rulebook, enterprise, first.incident_id).findings
        match event:
            case Listing.Listed() | Listing.Rejected():
                listings = self.listings_of(enterprise)
                findings = publication_findings(rulebook, listing, enterprise, listings, day)
                return (*findings, *self.publicity(event, first, listing, rulebook))
            case Listing.Removed():
                listings = self.listings_of(enterprise)
                reasons = tuple(event.reasons)
                return removal_findings(rulebook, listing, enterprise, listings, reasons, day)
            case Listing.FilingReviewed():
                return review_findings(rulebook, listing, event.report_year, event.outcome)
            case Listing.FilingOverdue():
                return overdue_findings(rulebook, listing, event.report_year, day)
            case Listing.OnSiteAssessmentConcluded():
                return conclusion_findings(rulebook, listing, event.assessment_id, event.outcome)
            case Listing.AdjustmentProposed():
                return proposal_findings(rulebook, listing, enterprise, event.action, day)
            case Listing.Flagged():
                # A flag is raised only by an incident's command.
                raise _FactMissingError("Listing.Flagged outside the command that makes it")
            case _:
                assert_never(event)

    def publicity(
        self,
        event: Listing.Listed | Listing.Rejected,
        first: Any,
        listing: Listing,
        rulebook: Rulebook,
    ) -> tuple[Finding, ...]:
        """PUB-1 of a publication (ADR 0150), on the batch as the publication found it."""
        if not isinstance(first, Batch.Published):
            return ()
        batch = self.need(Batch, first.originator_id)
        if isinstance(event, Listing.Listed):
            return listing_publicity_findings(rulebook, batch, listing.id, event.effective_on)
        return rejection_publicity_findings(batch, listing.id, first.rejection_reasons)

    def nomination(
        self, event: Listing.Nominated | Listing.Renominated, rulebook: Rulebook
    ) -> tuple[Finding, ...]:
        if isinstance(event, Listing.Nominated):
            nomination = Nomination(
                listing_id=event.originator_id,
                enterprise_id=event.enterprise_id,
                category=event.category,
                level=event.level,
                batch_year=event.batch_year,
                product=event.product,
                park_level=event.park_level,
                self_evaluation=event.self_evaluation,
                third_party_evaluation=event.third_party_evaluation,
                indicators=dict(event.indicators),
            )
        else:
            nomination = replace(
                Nomination.of_listing(self.need(Listing, event.originator_id)),
                batch_year=event.batch_year,
                self_evaluation=event.self_evaluation,
                third_party_evaluation=event.third_party_evaluation,
                indicators=dict(event.indicators),
            )
        enterprise = self.need(Enterprise, nomination.enterprise_id)
        # A province's own round is its region's (and city's), ADR 0141; a provincial round of
        # an earlier version had no region.
        city = (
            event.city
            if isinstance(event, Listing.Nominated)
            else self.need(Listing, event.originator_id).city
        )
        batch_id = batch_id_for(
            nomination.level, nomination.batch_year, enterprise.region.code, city
        )
        if self.get(Batch, batch_id) is None:
            batch_id = batch_id_for(nomination.level, nomination.batch_year)
        batch = self.need(Batch, batch_id)
        evaluation = nomination.third_party_evaluation
        assessor = self.need(Assessor, evaluation.assessor_id) if evaluation else None
        return nomination_findings(
            rulebook,
            nomination,
            enterprise,
            self.listings_of(enterprise),
            batch,
            assessor,
            event.effective_on,
        )

    # -- state ---------------------------------------------------------------------------------

    def get(self, kind: type[TAggregate], aggregate_id: UUID) -> TAggregate | None:
        found = self.state.get(aggregate_id)
        return found if isinstance(found, kind) else None

    def need(self, kind: type[TAggregate], aggregate_id: UUID) -> TAggregate:
        found = self.get(kind, aggregate_id)
        if found is None:
            raise _FactMissingError(f"no {kind.__name__} {aggregate_id} before the decision")
        return found

    def listings_of(self, enterprise: Enterprise) -> Sequence[Listing]:
        return tuple(self.need(Listing, i) for i in enterprise.listing_ids)


class _FactMissingError(Exception):
    """Raised when a decision names an aggregate the log did not hold before it."""
