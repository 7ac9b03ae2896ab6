"""A listing: one membership of one list (enterprise × category (× product) × level).

The lifecycle of design.md and 工信厅节函〔2022〕235号 二 (dynamic management): nominated → listed →
yearly indicator filing (DYN-1) and its review → flagged → on-site assessment (DYN-2) → adjustment
proposed → retained, or removed; from 13号 on a grave incident removes at once (DYN-4). A removed
unit may be nominated again once its bar has run (NEG-3), and the same listing then starts a new
membership period.

Status and flags are derived from the events by the one lifecycle function (`domain.lifecycle`),
never set by a command. The command methods (verbs) refuse transitions the lifecycle does not
allow and trigger the events; the events' `apply` only assigns.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate

if TYPE_CHECKING:  # the rules read listings: their types only, to import them without a cycle
    from domain.rules.categories import Nomination
    from domain.rules.dynamic import IncidentConsequence

from domain import lifecycle
from domain.errors import (
    AssessmentAlreadyConcludedError,
    AssessmentAlreadyOpenError,
    AssessmentNotOrderedError,
    EffectiveDateOrderError,
    FilingNotFoundError,
    FilingYearBeforeListingError,
    ListingAlreadyActiveError,
    ListingAlreadyRemovedError,
    ListingNotListedError,
    ListingNotNominatedError,
    ListingNotRemovedError,
)
from domain.facts import Decision, Fact, FoundingFact, ImmutableValuesState, identity
from domain.tiers.errors import TierRefusedError
from domain.tiers.stars import check_stars
from domain.values import (
    AssessmentOutcome,
    Category,
    FilingOutcome,
    Finding,
    Indicator,
    Level,
    ListingStatus,
    ParkLevel,
    Period,
    Product,
    ProposalAction,
    Provenance,
    Reference,
    Region,
    RemovalReason,
    Round,
    ThirdPartyEvaluation,
)


@dataclass(frozen=True)
class FilingRecord:
    version: int
    report_year: int
    submitted_on: date
    indicators: dict[str, Indicator]
    outcome: FilingOutcome | None = None
    reviewed_version: int | None = None


@dataclass(frozen=True)
class AssessmentRecord:
    assessment_id: UUID
    version: int
    ordered_on: date
    reason: str
    outcome: AssessmentOutcome | None = None
    concluded_on: date | None = None
    concluded_version: int | None = None


@dataclass(frozen=True)
class ProposalRecord:
    version: int
    proposed_on: date
    action: ProposalAction
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class RemovalRecord:
    version: int
    removed_on: date
    reasons: tuple[RemovalReason, ...]
    barred_until: date | None
    rescinded_version: int | None = None


@dataclass(frozen=True)
class StarRating:
    version: int
    rated_on: date
    stars: int


@dataclass(frozen=True)
class FlagRecord:
    version: int
    flagged_on: date
    reasons: tuple[str, ...]


def listing_id_for(
    enterprise_id: UUID, category: Category, level: Level, product: Product | None
) -> UUID:
    """design.md: a listing's identity is the uuid5 of enterprise × category × level (× product)."""
    product_key = product.key if product is not None else "-"
    return identity("listing", enterprise_id, category.value, level.value, product_key)


def assessment_id_for(listing_id: UUID, number: int) -> UUID:
    return identity("assessment", listing_id, number)


class Listing(ImmutableValuesState, Aggregate):
    """One membership of one list; its status is derived from its facts."""

    # -- events --------------------------------------------------------------------------------

    class Nominated(FoundingFact):
        """Version 2 added `city`: the prefecture whose municipal list it is (13号 第二条,
        ADR 0140); stored version-1 events read with none."""

        class_version = 2

        enterprise_id: UUID
        region: Region
        category: Category
        level: Level
        batch_year: int
        product: Product | None
        park_level: ParkLevel | None
        self_evaluation: Reference | None
        third_party_evaluation: ThirdPartyEvaluation | None
        indicators: dict[str, Indicator]
        rulebook: str
        rule_findings: tuple[Finding, ...]
        city: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["city"] = None

        def apply(self, aggregate: Listing) -> None:
            aggregate.enterprise_id = self.enterprise_id
            aggregate.city = self.city
            aggregate.star_ratings = ()
            aggregate.region = self.region
            aggregate.category = self.category
            aggregate.level = self.level
            aggregate.product = self.product
            aggregate.park_level = self.park_level
            aggregate.periods = ()
            aggregate.removals = ()
            aggregate.filings = {}
            aggregate.overdue_years = {}
            aggregate.assessments = {}
            aggregate.proposals = ()
            aggregate.flags = ()
            aggregate.lifecycle = lifecycle.founded(self)
            aggregate.begin_nomination(self)

    class Renominated(Decision):
        """A new nomination of a listing that was removed or not listed before."""

        batch_year: int
        self_evaluation: Reference | None
        third_party_evaluation: ThirdPartyEvaluation | None
        indicators: dict[str, Indicator]

        def apply(self, aggregate: Listing) -> None:
            aggregate.lifecycle = lifecycle.advanced(aggregate.lifecycle, self)
            aggregate.begin_nomination(self)

    class Listed(Decision):
        batch_year: int
        announcement: Reference

        def apply(self, aggregate: Listing) -> None:
            aggregate.lifecycle = lifecycle.advanced(aggregate.lifecycle, self)
            aggregate.listed_version = self.originator_version
            aggregate.periods = (
                *aggregate.periods,
                Period(self.effective_on, None, self.batch_year),
            )
            aggregate.flags = ()
            aggregate.touch(self, "listing")

    class Rejected(Decision):
        """The batch was published without this nomination (not listed, 未入选)."""

        batch_year: int
        announcement: Reference | None

        def apply(self, aggregate: Listing) -> None:
            aggregate.lifecycle = lifecycle.advanced(aggregate.lifecycle, self)
            aggregate.touch(self, "rejection")

    class IndicatorFilingSubmitted(Fact):
        report_year: int
        indicators: dict[str, Indicator]

        def apply(self, aggregate: Listing) -> None:
            aggregate.lifecycle = lifecycle.advanced(aggregate.lifecycle, self)
            aggregate.filings[self.report_year] = FilingRecord(
                version=self.originator_version,
                report_year=self.report_year,
                submitted_on=self.effective_on,
                indicators=dict(self.indicators),
            )
            aggregate.touch(self, "indicator filing")

    class FilingReviewed(Decision):
        report_year: int
        outcome: FilingOutcome
        findings: tuple[str, ...]

        def apply(self, aggregate: Listing) -> None:
            aggregate.lifecycle = lifecycle.advanced(aggregate.lifecycle, self)
            filing = aggregate.filings[self.report_year]
            aggregate.filings[self.report_year] = replace(
                filing, outcome=self.outcome, reviewed_version=self.originator_version
            )
            if self.outcome is FilingOutcome.NON_COMPLIANT:
                aggregate.raise_flag(self, tuple(self.findings) or ("filing non-compliant",))
            aggregate.touch(self, "filing review")

    class FilingOverdue(Decision):
        """No indicator filing for the report year by the rulebook's deadline (DYN-1)."""

        report_year: int
        deadline: date

        def apply(self, aggregate: Listing) -> None:
            aggregate.lifecycle = lifecycle.advanced(aggregate.lifecycle, self)
            aggregate.overdue_years[self.report_year] = self.originator_version
            aggregate.touch(self, "overdue notice")

    class Flagged(Decision):
        """Something calls the listing into question (a lesser incident, DYN-3/DYN-4)."""

        reasons: tuple[str, ...]

        def apply(self, aggregate: Listing) -> None:
            aggregate.lifecycle = lifecycle.advanced(aggregate.lifecycle, self)
            aggregate.raise_flag(self, tuple(self.reasons))
            aggregate.touch(self, "flag")

    class OnSiteAssessmentOrdered(Fact):
        assessment_id: UUID
        reason: str

        def apply(self, aggregate: Listing) -> None:
            aggregate.lifecycle = lifecycle.advanced(aggregate.lifecycle, self)
            aggregate.assessments[self.assessment_id] = AssessmentRecord(
                assessment_id=self.assessment_id,
                version=self.originator_version,
                ordered_on=self.effective_on,
                reason=self.reason,
            )
            aggregate.touch(self, "assessment order")

    class OnSiteAssessmentConcluded(Decision):
        assessment_id: UUID
        outcome: AssessmentOutcome
        findings: tuple[str, ...]

        def apply(self, aggregate: Listing) -> None:
            aggregate.lifecycle = lifecycle.advanced(aggregate.lifecycle, self)
            record = aggregate.assessments[self.assessment_id]
            aggregate.assessments[self.assessment_id] = replace(
                record,
                outcome=self.outcome,
                concluded_on=self.effective_on,
                concluded_version=self.originator_version,
            )
            if self.outcome is AssessmentOutcome.MEETS:
                aggregate.flags = ()
            aggregate.touch(self, "assessment conclusion")

    class AdjustmentProposed(Decision):
        action: ProposalAction
        reasons: tuple[str, ...]
        new_name: str | None

        def apply(self, aggregate: Listing) -> None:
            aggregate.lifecycle = lifecycle.advanced(aggregate.lifecycle, self)
            aggregate.proposals = (
                *aggregate.proposals,
                ProposalRecord(
                    version=self.originator_version,
                    proposed_on=self.effective_on,
                    action=self.action,
                    reasons=tuple(self.reasons),
                ),
            )
            if self.action is ProposalAction.RETAIN:
                aggregate.flags = ()
            aggregate.touch(self, "adjustment proposal")

    class Removed(Decision):
        reasons: tuple[RemovalReason, ...]
        announcement: Reference | None
        barred_until: date | None

        def apply(self, aggregate: Listing) -> None:
            aggregate.lifecycle = lifecycle.advanced(aggregate.lifecycle, self)
            aggregate.removals = (
                *aggregate.removals,
                RemovalRecord(
                    version=self.originator_version,
                    removed_on=self.effective_on,
                    reasons=tuple(self.reasons),
                    barred_until=self.barred_until,
                ),
            )
            *earlier, current = aggregate.periods
            aggregate.periods = (*earlier, replace(current, end=self.effective_on))
            aggregate.touch(self, "removal")

    class RemovalRescinded(Fact):
        """A correction: the last removal is void, as if it had not happened."""

        reason: str

        def apply(self, aggregate: Listing) -> None:
            aggregate.lifecycle = lifecycle.advanced(aggregate.lifecycle, self)
            *earlier_removals, last = aggregate.removals
            aggregate.removals = (
                *earlier_removals,
                replace(last, rescinded_version=self.originator_version),
            )
            *earlier, current = aggregate.periods
            aggregate.periods = (*earlier, replace(current, end=None))
            aggregate.touch(self, "rescission")

    class StarsRated(Fact):
        """The province rated the unit on its own list 三星, 四星 or 五星 (ADR 0142); a later
        rating upgrades or downgrades it from its effective date."""

        stars: int
        announcement: Reference

        def apply(self, aggregate: Listing) -> None:
            aggregate.star_ratings = (
                *aggregate.star_ratings,
                StarRating(self.originator_version, self.effective_on, self.stars),
            )
            aggregate.touch(self, "star rating")

    # -- state (assigned only by the events above) ---------------------------------------------

    if TYPE_CHECKING:  # state, assigned by the events' apply (not dataclass fields)
        enterprise_id: UUID
        region: Region
        category: Category
        level: Level
        city: str | None
        star_ratings: tuple[StarRating, ...]
        product: Product | None
        park_level: ParkLevel | None
        lifecycle: lifecycle.LifecycleState
        nominated_on: date
        nominated_version: int
        self_evaluation: Reference | None
        third_party_evaluation: ThirdPartyEvaluation | None
        nomination_indicators: dict[str, Indicator]
        listed_version: int | None
        periods: tuple[Period, ...]
        removals: tuple[RemovalRecord, ...]
        filings: dict[int, FilingRecord]
        overdue_years: dict[int, int]
        assessments: dict[UUID, AssessmentRecord]
        proposals: tuple[ProposalRecord, ...]
        flags: tuple[FlagRecord, ...]
        last_effective_on: date
        last_fact: str

    def begin_nomination(self, event: Nominated | Renominated) -> None:
        self.nominated_on = event.effective_on
        self.nominated_version = event.originator_version
        self.self_evaluation = event.self_evaluation
        self.third_party_evaluation = event.third_party_evaluation
        self.nomination_indicators = dict(event.indicators)
        self.listed_version = None
        self.flags = ()
        self.touch(event, "nomination")

    def raise_flag(self, event: Fact, reasons: tuple[str, ...]) -> None:
        self.flags = (
            *self.flags,
            FlagRecord(event.originator_version, event.effective_on, reasons),
        )

    def touch(self, event: Fact, what: str) -> None:
        self.last_effective_on = event.effective_on
        self.last_fact = what

    # -- derived: status and flags from the lifecycle, the rest from the records ---------------

    @property
    def status(self) -> ListingStatus:
        return self.lifecycle.status

    @property
    def batch_year(self) -> int:
        return self.lifecycle.batch_year

    @property
    def listed_on(self) -> date | None:
        return self.lifecycle.listed_on

    @property
    def removed_on(self) -> date | None:
        return self.lifecycle.removed_on

    @property
    def rejected_on(self) -> date | None:
        return self.lifecycle.rejected_on

    @property
    def is_on_list(self) -> bool:
        return self.lifecycle.is_on_list

    @property
    def barred_until(self) -> date | None:
        """The end of the bar of the last standing removal (NEG-3), if any."""
        return self.lifecycle.barred_until

    @property
    def filing_overdue(self) -> bool:
        return self.lifecycle.filing_overdue

    @property
    def rectification_pending(self) -> bool:
        return self.lifecycle.rectification_pending

    @property
    def open_assessment(self) -> AssessmentRecord | None:
        for record in self.assessments.values():
            if record.outcome is None:
                return record
        return None

    @property
    def last_filing_year(self) -> int | None:
        return self.lifecycle.last_filing_year

    @property
    def first_report_year(self) -> int:
        """The first year the current membership covers: the batch's year, or the listing's."""
        listed_year = self.listed_on.year if self.listed_on else self.nominated_on.year
        round_year = Round(self.batch_year).year
        return min(round_year, listed_year) if round_year is not None else listed_year

    def listed_on_day(self, day: date) -> bool:
        return any(period.covers(day) for period in self.periods)

    # -- commands (verbs): refuse what the lifecycle forbids, then trigger ---------------------

    @classmethod
    def nominate(
        cls,
        *,
        listing_id: UUID,
        enterprise_id: UUID,
        region: Region,
        category: Category,
        level: Level,
        batch_year: int,
        product: Product | None,
        park_level: ParkLevel | None,
        self_evaluation: Reference | None,
        third_party_evaluation: ThirdPartyEvaluation | None,
        indicators: dict[str, Indicator],
        rulebook: str,
        rule_findings: tuple[Finding, ...],
        provenance: Provenance,
        city: str | None = None,
    ) -> Listing:
        return cls._create(
            cls.Nominated,
            id=listing_id,
            enterprise_id=enterprise_id,
            region=region,
            category=category,
            level=level,
            batch_year=batch_year,
            product=product,
            park_level=park_level,
            self_evaluation=self_evaluation,
            third_party_evaluation=third_party_evaluation,
            indicators=dict(indicators),
            rulebook=rulebook,
            rule_findings=tuple(rule_findings),
            city=city,
            **provenance.event_fields(),
        )

    @classmethod
    def put_forward(
        cls,
        listing: Listing | None,
        nomination: Nomination,
        *,
        region: Region,
        rulebook: str,
        rule_findings: tuple[Finding, ...],
        provenance: Provenance,
        city: str | None = None,
    ) -> Listing:
        """The listing nominated: a new one, or `listing` again — a listing removed or not
        listed before, which keeps its product and park level as first recorded (NEG-3 and the
        rulebook have decided whether it may be)."""
        if listing is not None:
            listing.renominate(
                batch_year=nomination.batch_year,
                self_evaluation=nomination.self_evaluation,
                third_party_evaluation=nomination.third_party_evaluation,
                indicators=dict(nomination.indicators),
                rulebook=rulebook,
                rule_findings=rule_findings,
                provenance=provenance,
            )
            return listing
        return cls.nominate(
            listing_id=nomination.listing_id,
            enterprise_id=nomination.enterprise_id,
            region=region,
            category=nomination.category,
            level=nomination.level,
            batch_year=nomination.batch_year,
            product=nomination.product,
            park_level=nomination.park_level,
            self_evaluation=nomination.self_evaluation,
            third_party_evaluation=nomination.third_party_evaluation,
            indicators=dict(nomination.indicators),
            rulebook=rulebook,
            rule_findings=rule_findings,
            provenance=provenance,
            city=city,
        )

    def renominate(
        self,
        *,
        batch_year: int,
        self_evaluation: Reference | None,
        third_party_evaluation: ThirdPartyEvaluation | None,
        indicators: dict[str, Indicator],
        rulebook: str,
        rule_findings: tuple[Finding, ...],
        provenance: Provenance,
    ) -> None:
        if self.status not in (ListingStatus.REMOVED, ListingStatus.REJECTED):
            raise ListingAlreadyActiveError(self.id, self.status.value)
        self._check_order(provenance)
        self.trigger_event(
            self.Renominated,
            batch_year=batch_year,
            self_evaluation=self_evaluation,
            third_party_evaluation=third_party_evaluation,
            indicators=dict(indicators),
            rulebook=rulebook,
            rule_findings=tuple(rule_findings),
            **provenance.event_fields(),
        )

    def put_on_list(
        self,
        *,
        batch_year: int,
        announcement: Reference,
        rulebook: str,
        rule_findings: tuple[Finding, ...],
        provenance: Provenance,
    ) -> None:
        self._check_pending_in(batch_year)
        self._check_order(provenance)
        self.trigger_event(
            self.Listed,
            batch_year=batch_year,
            announcement=announcement,
            rulebook=rulebook,
            rule_findings=tuple(rule_findings),
            **provenance.event_fields(),
        )

    def reject(
        self,
        *,
        batch_year: int,
        announcement: Reference | None,
        rulebook: str,
        rule_findings: tuple[Finding, ...],
        provenance: Provenance,
    ) -> None:
        self._check_pending_in(batch_year)
        self._check_order(provenance)
        self.trigger_event(
            self.Rejected,
            batch_year=batch_year,
            announcement=announcement,
            rulebook=rulebook,
            rule_findings=tuple(rule_findings),
            **provenance.event_fields(),
        )

    def submit_filing(
        self, *, report_year: int, indicators: dict[str, Indicator], provenance: Provenance
    ) -> None:
        self._check_on_list("file indicators")
        if report_year < self.first_report_year:
            raise FilingYearBeforeListingError(report_year, self.first_report_year)
        self._check_order(provenance)
        self.trigger_event(
            self.IndicatorFilingSubmitted,
            report_year=report_year,
            indicators=dict(indicators),
            **provenance.event_fields(),
        )

    def review_filing(
        self,
        *,
        report_year: int,
        outcome: FilingOutcome,
        findings: tuple[str, ...],
        rulebook: str,
        rule_findings: tuple[Finding, ...],
        provenance: Provenance,
    ) -> None:
        self._check_on_list("review a filing")
        if report_year not in self.filings:
            raise FilingNotFoundError(report_year)
        self._check_order(provenance)
        self.trigger_event(
            self.FilingReviewed,
            report_year=report_year,
            outcome=outcome,
            findings=tuple(findings),
            rulebook=rulebook,
            rule_findings=tuple(rule_findings),
            **provenance.event_fields(),
        )

    def record_overdue(
        self,
        *,
        report_year: int,
        deadline: date,
        rulebook: str,
        rule_findings: tuple[Finding, ...],
        provenance: Provenance,
    ) -> None:
        self._check_on_list("record an overdue filing")
        self._check_order(provenance)
        self.trigger_event(
            self.FilingOverdue,
            report_year=report_year,
            deadline=deadline,
            rulebook=rulebook,
            rule_findings=tuple(rule_findings),
            **provenance.event_fields(),
        )

    def flag(
        self,
        *,
        reasons: tuple[str, ...],
        rulebook: str,
        rule_findings: tuple[Finding, ...],
        provenance: Provenance,
    ) -> None:
        self._check_on_list("flag it")
        self._check_order(provenance)
        self.trigger_event(
            self.Flagged,
            reasons=tuple(reasons),
            rulebook=rulebook,
            rule_findings=tuple(rule_findings),
            **provenance.event_fields(),
        )

    def bear_incident(
        self,
        consequence: IncidentConsequence,
        *,
        barred_until: date | None,
        rulebook: str,
        provenance: Provenance,
    ) -> None:
        """What an incident of its enterprise does to it on the list (DYN-3/DYN-4): removal at
        once, barred until `barred_until` (NEG-3), or a flag for the province's proposal; or
        nothing."""
        if consequence.removes:
            self.remove(
                reasons=(RemovalReason.INCIDENT,),
                announcement=None,
                barred_until=barred_until,
                rulebook=rulebook,
                rule_findings=consequence.findings,
                provenance=provenance,
            )
        elif consequence.flags:
            self.flag(
                reasons=(consequence.summary,),
                rulebook=rulebook,
                rule_findings=consequence.findings,
                provenance=provenance,
            )

    def order_assessment(self, *, reason: str, provenance: Provenance) -> UUID:
        self._check_on_list("order an on-site assessment")
        open_assessment = self.open_assessment
        if open_assessment is not None:
            raise AssessmentAlreadyOpenError(open_assessment.assessment_id)
        self._check_order(provenance)
        assessment_id = assessment_id_for(self.id, len(self.assessments) + 1)
        self.trigger_event(
            self.OnSiteAssessmentOrdered,
            assessment_id=assessment_id,
            reason=reason,
            **provenance.event_fields(),
        )
        return assessment_id

    def conclude_assessment(
        self,
        *,
        assessment_id: UUID,
        outcome: AssessmentOutcome,
        findings: tuple[str, ...],
        rulebook: str,
        rule_findings: tuple[Finding, ...],
        provenance: Provenance,
    ) -> None:
        record = self.assessments.get(assessment_id)
        if record is None:
            raise AssessmentNotOrderedError(self.id, assessment_id)
        if record.outcome is not None:
            raise AssessmentAlreadyConcludedError(assessment_id)
        self._check_on_list("conclude an on-site assessment")
        self._check_order(provenance)
        self.trigger_event(
            self.OnSiteAssessmentConcluded,
            assessment_id=assessment_id,
            outcome=outcome,
            findings=tuple(findings),
            rulebook=rulebook,
            rule_findings=tuple(rule_findings),
            **provenance.event_fields(),
        )

    def propose_adjustment(
        self,
        *,
        action: ProposalAction,
        reasons: tuple[str, ...],
        new_name: str | None,
        rulebook: str,
        rule_findings: tuple[Finding, ...],
        provenance: Provenance,
    ) -> None:
        self._check_on_list("propose an adjustment")
        self._check_order(provenance)
        self.trigger_event(
            self.AdjustmentProposed,
            action=action,
            reasons=tuple(reasons),
            new_name=new_name,
            rulebook=rulebook,
            rule_findings=tuple(rule_findings),
            **provenance.event_fields(),
        )

    def remove(
        self,
        *,
        reasons: tuple[RemovalReason, ...],
        announcement: Reference | None,
        barred_until: date | None,
        rulebook: str,
        rule_findings: tuple[Finding, ...],
        provenance: Provenance,
    ) -> None:
        if self.status is ListingStatus.REMOVED:
            raise ListingAlreadyRemovedError(self.id, self.removed_on)
        self._check_on_list("remove it")
        self._check_order(provenance)
        self.trigger_event(
            self.Removed,
            reasons=tuple(reasons),
            announcement=announcement,
            barred_until=barred_until,
            rulebook=rulebook,
            rule_findings=tuple(rule_findings),
            **provenance.event_fields(),
        )

    def rescind_removal(self, *, reason: str, provenance: Provenance) -> None:
        if self.status is not ListingStatus.REMOVED:
            raise ListingNotRemovedError(self.id, self.status.value)
        self._check_order(provenance)
        self.trigger_event(self.RemovalRescinded, reason=reason, **provenance.event_fields())

    def rate_stars(self, *, stars: int, announcement: Reference, provenance: Provenance) -> None:
        """StarsRated: 3, 4 or 5 stars for a unit on a provincial or municipal list (ADR 0142)."""
        check_stars(stars)
        if self.level is Level.NATIONAL:
            raise TierRefusedError(
                f"listing {self.id} is on the national list: stars rate provincial and municipal "
                "lists only",
                "国家级名单不评星级：星级只用于省级和市级名单",
            )
        self._check_on_list("rate it with stars")
        self._check_order(provenance)
        self.trigger_event(
            self.StarsRated, stars=stars, announcement=announcement, **provenance.event_fields()
        )

    def stars_on(self, day: date) -> int | None:
        """The stars in force on `day`: the latest rating effective by then, if any."""
        rated = [r for r in self.star_ratings if r.rated_on <= day]
        return rated[-1].stars if rated else None

    # -- checks --------------------------------------------------------------------------------

    def _check_on_list(self, action: str) -> None:
        if not self.is_on_list:
            raise ListingNotListedError(self.id, self.status.value, action)

    def _check_pending_in(self, batch_year: int) -> None:
        if self.status is not ListingStatus.NOMINATED:
            raise ListingNotNominatedError(self.id, self.status.value)
        if self.batch_year != batch_year:
            raise ListingNotNominatedError(
                self.id, self.status.value, f" in batch {batch_year} (it is in {self.batch_year})"
            )

    def _check_order(self, provenance: Provenance) -> None:
        if provenance.day < self.last_effective_on:
            raise EffectiveDateOrderError(provenance.day, self.last_effective_on, self.last_fact)
