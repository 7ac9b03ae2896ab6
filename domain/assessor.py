"""A third-party evaluation body (第三方评价机构), 工信厅节函〔2022〕235号 三.

It evaluates applicants (EVAL-1), must meet conditions of staff and experience (EVAL-3), may carry
out at most a capped number of evaluations — per batch together with its affiliates under 235号
三, per year together with the bodies of the same legal representative under 13号 第二十条
(EVAL-4) — and is blacklisted for fraud or concealment: its results are then not accepted for
three years (EVAL-2). It files a yearly work report (EVAL-5, the notice's 附件10): what it
evaluated that year and with what results, as it declares them; a later report of the same year
corrects the earlier one.

A province that nominates a unit may cite the evaluation an assessor made of it: the citation is
recorded with the assessor as pending (EvaluationCited) and counts toward nothing until the
assessor confirms it (EvaluationConfirmed, ADR 0110) — only the assessor speaks for its own
work, so no one else can use up its cap (EVAL-4). An evaluation the assessor reports itself
(EvaluationReported) is its own word and counts at once. An evaluation's id is derived from the
assessor, the listing and the round (`evaluation_id_for`).

Its legal representative (法定代表人) is recorded when it registers, if known. Unknown, the cap of
13号 counts its own evaluations only: the ledger cannot join it to bodies it does not know share
its representative, and says so in the finding.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.errors import (
    AssessorNotBlacklistedError,
    EffectiveDateOrderError,
    InvalidDateRangeError,
    InvalidInputError,
)
from domain.facts import Decision, Fact, FoundingFact, ImmutableValuesState, identity
from domain.values import EvaluationConclusion, Finding, Provenance, Reference, Uscc


def assessor_id_for(uscc: Uscc) -> UUID:
    return identity("assessor", f"uscc:{uscc.value}")


def evaluation_id_for(assessor_id: UUID, listing_id: UUID, batch_year: int) -> UUID:
    """One assessor's evaluation of one nomination (a listing in a round)."""
    return identity("evaluation", assessor_id, listing_id, batch_year)


@dataclass(frozen=True)
class CitedEvaluation:
    """An evaluation a province cited, awaiting the assessor's confirmation (ADR 0110)."""

    evaluation_id: UUID
    version: int
    listing_id: UUID
    batch_year: int
    conclusion: EvaluationConclusion
    report: Reference
    cited_on: date
    cited_by: str


@dataclass(frozen=True)
class EvaluationRecord:
    version: int
    listing_id: UUID
    batch_year: int
    conclusion: EvaluationConclusion
    reported_on: date


@dataclass(frozen=True)
class WorkReportRecord:
    """An annual work report (附件10) as the assessor filed it."""

    version: int
    report_year: int
    submitted_on: date
    evaluations: int
    passed: int


@dataclass(frozen=True)
class BlacklistRecord:
    version: int
    since: date
    until: date
    reason: str
    lifted_on: date | None = None
    lifted_version: int | None = None

    def bars(self, day: date) -> bool:
        """Whether the blacklist stands on `day`: from its start through `until`, its last day,
        unless it was lifted before."""
        if self.lifted_on is not None and day >= self.lifted_on:
            return False
        return self.since <= day <= self.until


class Assessor(ImmutableValuesState, Aggregate):
    """A third-party evaluation body with its evaluations and blacklist record."""

    class Registered(FoundingFact):
        """Version 2 added `legal_representative` (13号 第二十条); version-1 events read with
        none (not known). Version 3 added `synthetic`: a fictitious evaluator of the demo (ADR
        0042); older events read as real."""

        class_version = 3

        name: str
        uscc: Uscc
        group: str | None
        senior_staff: int
        intermediate_staff: int
        legal_representative: str | None
        synthetic: bool

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["legal_representative"] = None

        @staticmethod
        def upcast_v2_v3(state: dict[str, object]) -> None:
            state["synthetic"] = False

        def apply(self, aggregate: Assessor) -> None:
            aggregate.name = self.name
            aggregate.synthetic = self.synthetic
            aggregate.uscc = self.uscc
            aggregate.group = self.group
            aggregate.legal_representative = self.legal_representative
            aggregate.senior_staff = self.senior_staff
            aggregate.intermediate_staff = self.intermediate_staff
            aggregate.evaluations = ()
            aggregate.cited = {}
            aggregate.blacklistings = ()
            aggregate.work_reports = ()

    class EvaluationReported(Fact):
        listing_id: UUID
        batch_year: int
        conclusion: EvaluationConclusion
        report: Reference

        def apply(self, aggregate: Assessor) -> None:
            aggregate.evaluations = (
                *aggregate.evaluations,
                EvaluationRecord(
                    version=self.originator_version,
                    listing_id=self.listing_id,
                    batch_year=self.batch_year,
                    conclusion=self.conclusion,
                    reported_on=self.effective_on,
                ),
            )
            # The assessor's own report of an evaluation a province cited answers the citation.
            evaluation_id = evaluation_id_for(self.originator_id, self.listing_id, self.batch_year)
            if evaluation_id in aggregate.cited:
                aggregate.cited = {k: v for k, v in aggregate.cited.items() if k != evaluation_id}

    class EvaluationCited(Fact):
        """A province's nomination cites this assessor's evaluation: pending, counted toward
        nothing until the assessor confirms it (ADR 0110)."""

        evaluation_id: UUID
        listing_id: UUID
        batch_year: int
        conclusion: EvaluationConclusion
        report: Reference

        def apply(self, aggregate: Assessor) -> None:
            aggregate.cited = {
                **aggregate.cited,
                self.evaluation_id: CitedEvaluation(
                    evaluation_id=self.evaluation_id,
                    version=self.originator_version,
                    listing_id=self.listing_id,
                    batch_year=self.batch_year,
                    conclusion=self.conclusion,
                    report=self.report,
                    cited_on=self.effective_on,
                    cited_by=self.actor,
                ),
            }

    class EvaluationConfirmed(Fact):
        """The assessor confirms an evaluation a province cited: from now on it is the
        assessor's evaluation, counted in its round against the cap (EVAL-4). It repeats what
        was cited, so that it reads alone."""

        evaluation_id: UUID
        listing_id: UUID
        batch_year: int
        conclusion: EvaluationConclusion
        report: Reference

        def apply(self, aggregate: Assessor) -> None:
            aggregate.cited = {k: v for k, v in aggregate.cited.items() if k != self.evaluation_id}
            aggregate.evaluations = (
                *aggregate.evaluations,
                EvaluationRecord(
                    version=self.originator_version,
                    listing_id=self.listing_id,
                    batch_year=self.batch_year,
                    conclusion=self.conclusion,
                    reported_on=self.effective_on,
                ),
            )

    class WorkReportSubmitted(Fact):
        """The yearly work report (EVAL-5, 附件10): the year, the report itself, and the
        evaluations and passes the assessor declares for it."""

        report_year: int
        report: Reference
        evaluations: int
        passed: int
        summary: str

        def apply(self, aggregate: Assessor) -> None:
            aggregate.work_reports = (
                *aggregate.work_reports,
                WorkReportRecord(
                    version=self.originator_version,
                    report_year=self.report_year,
                    submitted_on=self.effective_on,
                    evaluations=self.evaluations,
                    passed=self.passed,
                ),
            )

    class Blacklisted(Decision):
        reason: str
        until: date

        def apply(self, aggregate: Assessor) -> None:
            aggregate.blacklistings = (
                *aggregate.blacklistings,
                BlacklistRecord(
                    version=self.originator_version,
                    since=self.effective_on,
                    until=self.until,
                    reason=self.reason,
                ),
            )

    class BlacklistLifted(Fact):
        reason: str

        def apply(self, aggregate: Assessor) -> None:
            *earlier, last = aggregate.blacklistings
            aggregate.blacklistings = (
                *earlier,
                replace(last, lifted_on=self.effective_on, lifted_version=self.originator_version),
            )

    if TYPE_CHECKING:  # state, assigned by the events' apply (not dataclass fields)
        name: str
        synthetic: bool
        uscc: Uscc
        group: str | None
        legal_representative: str | None
        senior_staff: int
        intermediate_staff: int
        evaluations: tuple[EvaluationRecord, ...]
        #: Evaluations provinces cited, not yet confirmed, by evaluation id (ADR 0110).
        cited: dict[UUID, CitedEvaluation]
        blacklistings: tuple[BlacklistRecord, ...]
        work_reports: tuple[WorkReportRecord, ...]

    @property
    def group_key(self) -> str:
        """Whose evaluations count together against the cap (EVAL-4): the group, or itself."""
        return self.group or f"assessor:{self.id}"

    def blacklisting_on(self, day: date) -> BlacklistRecord | None:
        for record in reversed(self.blacklistings):
            if record.bars(day):
                return record
        return None

    @classmethod
    def register(
        cls,
        *,
        assessor_id: UUID,
        name: str,
        uscc: Uscc,
        group: str | None,
        senior_staff: int,
        intermediate_staff: int,
        legal_representative: str | None = None,
        synthetic: bool = False,
        provenance: Provenance,
    ) -> Assessor:
        return cls._create(
            cls.Registered,
            id=assessor_id,
            name=name,
            uscc=uscc,
            group=group,
            senior_staff=senior_staff,
            intermediate_staff=intermediate_staff,
            legal_representative=legal_representative,
            synthetic=synthetic,
            **provenance.event_fields(),
        )

    def report_evaluation(
        self,
        *,
        listing_id: UUID,
        batch_year: int,
        conclusion: EvaluationConclusion,
        report: Reference,
        provenance: Provenance,
    ) -> None:
        self.trigger_event(
            self.EvaluationReported,
            listing_id=listing_id,
            batch_year=batch_year,
            conclusion=conclusion,
            report=report,
            **provenance.event_fields(),
        )

    def evaluation_reported(self, listing_id: UUID, batch_year: int) -> bool:
        """Whether this assessor's evaluation of that nomination counts already."""
        return any(
            e.listing_id == listing_id and e.batch_year == batch_year for e in self.evaluations
        )

    def cite_evaluation(
        self,
        *,
        listing_id: UUID,
        batch_year: int,
        conclusion: EvaluationConclusion,
        report: Reference,
        provenance: Provenance,
    ) -> UUID:
        """Record a province's citation of this assessor's evaluation, pending; its id."""
        evaluation_id = evaluation_id_for(self.id, listing_id, batch_year)
        if evaluation_id not in self.cited and not self.evaluation_reported(listing_id, batch_year):
            self.trigger_event(
                self.EvaluationCited,
                evaluation_id=evaluation_id,
                listing_id=listing_id,
                batch_year=batch_year,
                conclusion=conclusion,
                report=report,
                **provenance.event_fields(),
            )
        return evaluation_id

    def confirm_evaluation(self, cited: CitedEvaluation, *, provenance: Provenance) -> None:
        if provenance.day < cited.cited_on:
            raise EffectiveDateOrderError(provenance.day, cited.cited_on, "citation")
        self.trigger_event(
            self.EvaluationConfirmed,
            evaluation_id=cited.evaluation_id,
            listing_id=cited.listing_id,
            batch_year=cited.batch_year,
            conclusion=cited.conclusion,
            report=cited.report,
            **provenance.event_fields(),
        )

    def submit_work_report(
        self,
        *,
        report_year: int,
        report: Reference,
        evaluations: int,
        passed: int,
        summary: str,
        provenance: Provenance,
    ) -> None:
        if not 2016 <= report_year <= provenance.day.year:
            raise InvalidInputError(
                "report_year",
                f"{report_year} is not a year from 2016 to {provenance.day.year}",
            )
        if evaluations < 0:
            raise InvalidInputError("evaluations", f"{evaluations} is negative")
        if not 0 <= passed <= evaluations:
            raise InvalidInputError(
                "passed", f"{passed} is not between 0 and the {evaluations} evaluations"
            )
        self.trigger_event(
            self.WorkReportSubmitted,
            report_year=report_year,
            report=report,
            evaluations=evaluations,
            passed=passed,
            summary=summary,
            **provenance.event_fields(),
        )

    def blacklist(
        self,
        *,
        reason: str,
        until: date,
        rulebook: str,
        rule_findings: tuple[Finding, ...],
        provenance: Provenance,
    ) -> None:
        if until < provenance.day:
            raise InvalidDateRangeError(
                "until", f"{until.isoformat()} is before {provenance.day.isoformat()}"
            )
        self.trigger_event(
            self.Blacklisted,
            reason=reason,
            until=until,
            rulebook=rulebook,
            rule_findings=tuple(rule_findings),
            **provenance.event_fields(),
        )

    def lift_blacklist(self, *, reason: str, provenance: Provenance) -> None:
        if not self.blacklistings or self.blacklistings[-1].lifted_on is not None:
            raise AssessorNotBlacklistedError(self.id)
        since = self.blacklistings[-1].since
        if provenance.day < since:
            raise EffectiveDateOrderError(provenance.day, since, "blacklisting")
        self.trigger_event(self.BlacklistLifted, reason=reason, **provenance.event_fields())
