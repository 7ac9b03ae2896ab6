"""The 2025 re-benchmark (工信厅节函〔2025〕390号; ADR 0152): every existing national green factory
and green park self-evaluates against the new requirements by a due date; the results are
recorded; the units with no result by then are flagged for their province.

One aggregate per campaign: its units are fixed when it is launched (the national factories and
parks on the list that day), and the campaign is the consistency boundary of their results.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.errors import InvalidInputError, TransitionRefusedError
from domain.facts import Fact, FoundingFact, ImmutableValuesState, identity
from domain.values import Provenance, Reference


def campaign_id(year: int) -> UUID:
    return identity("rebenchmark", year)


class RebenchmarkOutcome(enum.Enum):
    MEETS = "meets"
    DOES_NOT_MEET = "does_not_meet"

    @classmethod
    def parse(cls, text: str) -> RebenchmarkOutcome:
        for outcome in cls:
            if outcome.value == text:
                return outcome
        raise InvalidInputError("outcome", f"{text!r} is not meets or does_not_meet")


@dataclass(frozen=True)
class RebenchmarkResult:
    version: int
    listing_id: UUID
    outcome: str
    self_evaluation: Reference
    recorded_on: date


class RebenchmarkCampaign(ImmutableValuesState, Aggregate):
    """对标复核: one campaign of self-evaluation against new requirements."""

    class Launched(FoundingFact):
        year: int
        due_on: date
        requirements: Reference
        #: Listing id (as text) → the region code of its province.
        units: dict[str, str]

        def apply(self, aggregate: RebenchmarkCampaign) -> None:
            aggregate.year = self.year
            aggregate.due_on = self.due_on
            aggregate.requirements = self.requirements
            aggregate.units = {UUID(i): region for i, region in self.units.items()}
            aggregate.results = {}
            aggregate.flagged = {}

    class ResultRecorded(Fact):
        """A unit's self-evaluation against the new requirements (自评价), and its outcome."""

        listing_id: UUID
        outcome: str
        self_evaluation: Reference

        def apply(self, aggregate: RebenchmarkCampaign) -> None:
            aggregate.results[self.listing_id] = RebenchmarkResult(
                version=self.originator_version,
                listing_id=self.listing_id,
                outcome=self.outcome,
                self_evaluation=self.self_evaluation,
                recorded_on=self.effective_on,
            )

    class NotRebenchmarked(Fact):
        """After the due date, a unit with no result is flagged for its province."""

        listing_id: UUID

        def apply(self, aggregate: RebenchmarkCampaign) -> None:
            aggregate.flagged[self.listing_id] = self.effective_on

    if TYPE_CHECKING:
        year: int
        due_on: date
        requirements: Reference
        units: dict[UUID, str]
        results: dict[UUID, RebenchmarkResult]
        flagged: dict[UUID, date]

    @classmethod
    def launch(
        cls,
        *,
        year: int,
        due_on: date,
        requirements: Reference,
        units: dict[UUID, str],
        provenance: Provenance,
    ) -> RebenchmarkCampaign:
        if due_on <= provenance.day:
            raise InvalidInputError("due_on", f"{due_on} is not after the launch {provenance.day}")
        return cls._create(
            cls.Launched,
            id=campaign_id(year),
            year=year,
            due_on=due_on,
            requirements=requirements,
            units={str(i): region for i, region in units.items()},
            **provenance.event_fields(),
        )

    def record_result(
        self,
        listing_id: UUID,
        outcome: RebenchmarkOutcome,
        self_evaluation: Reference,
        provenance: Provenance,
    ) -> None:
        if listing_id not in self.units:
            raise InvalidInputError("listing_id", "not a unit of the re-benchmark campaign")
        self.trigger_event(
            self.ResultRecorded,
            listing_id=listing_id,
            outcome=outcome.value,
            self_evaluation=self_evaluation,
            **provenance.event_fields(),
        )

    def flag_missing(self, provenance: Provenance) -> int:
        """NotRebenchmarked for each unit with no result, once the due date has passed."""
        if provenance.day <= self.due_on:
            raise TransitionRefusedError(
                f"the re-benchmark is due on {self.due_on}: units are flagged only after it"
            )
        missing = [i for i in self.units if i not in self.results and i not in self.flagged]
        for listing_id in missing:
            self.trigger_event(
                self.NotRebenchmarked, listing_id=listing_id, **provenance.event_fields()
            )
        return len(missing)

    def state_of(self, listing_id: UUID) -> str:
        """`meets`, `does_not_meet`, `not_rebenchmarked` (flagged) or `pending`."""
        if listing_id in self.results:
            return self.results[listing_id].outcome
        if listing_id in self.flagged:
            return "not_rebenchmarked"
        return "pending"
