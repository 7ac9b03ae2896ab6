"""A third-party evaluation body (第三方评价机构), 工信厅节函〔2022〕235号 三.

It evaluates applicants (EVAL-1), must meet conditions of staff and experience (EVAL-3), may carry
out at most a capped number of evaluations — per batch together with its affiliates under 235号
三, per year together with the bodies of the same legal representative under 13号 第二十条
(EVAL-4) — and is blacklisted for fraud or concealment: its results are then not accepted for
three years (EVAL-2).

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
)
from domain.facts import Decision, Fact, FoundingFact, ImmutableValuesState, identity
from domain.values import EvaluationConclusion, Finding, Provenance, Reference, Uscc


def assessor_id_for(uscc: Uscc) -> UUID:
    return identity("assessor", f"uscc:{uscc.value}")


@dataclass(frozen=True)
class EvaluationRecord:
    version: int
    listing_id: UUID
    batch_year: int
    conclusion: EvaluationConclusion
    reported_on: date


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
        none (not known)."""

        class_version = 2

        name: str
        uscc: Uscc
        group: str | None
        senior_staff: int
        intermediate_staff: int
        legal_representative: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["legal_representative"] = None

        def apply(self, aggregate: Assessor) -> None:
            aggregate.name = self.name
            aggregate.uscc = self.uscc
            aggregate.group = self.group
            aggregate.legal_representative = self.legal_representative
            aggregate.senior_staff = self.senior_staff
            aggregate.intermediate_staff = self.intermediate_staff
            aggregate.evaluations = ()
            aggregate.blacklistings = ()

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
        uscc: Uscc
        group: str | None
        legal_representative: str | None
        senior_staff: int
        intermediate_staff: int
        evaluations: tuple[EvaluationRecord, ...]
        blacklistings: tuple[BlacklistRecord, ...]

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
