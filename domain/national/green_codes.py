"""One report year's 企业绿码 (13号 第二十二条; ADR 0151): the applications recorded, the grades
assigned — computed by a documented method (`scoring`) or recorded as the ministry assigned them
elsewhere — and the units withheld a code, with why.

One aggregate per report year, apart from the listings: the grades of a year are decided
together (ranks and shares are over every graded unit), so the year is their consistency
boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.facts import Fact, FoundingFact, ImmutableValuesState, identity
from domain.values import Provenance, Reference


def green_code_round_id(report_year: int) -> UUID:
    return identity("green-codes", report_year)


@dataclass(frozen=True)
class GradeRecord:
    """A listing's green code for the year, as assigned (the latest one counts)."""

    version: int
    listing_id: UUID
    grade: str
    score: Decimal | None
    rank: int | None
    graded: int | None
    method: str | None
    announcement: Reference | None


class GreenCodeRound(ImmutableValuesState, Aggregate):
    """The green codes of one report year."""

    class Opened(FoundingFact):
        report_year: int

        def apply(self, aggregate: GreenCodeRound) -> None:
            aggregate.report_year = self.report_year
            aggregate.applications = {}
            aggregate.grades = {}
            aggregate.withheld = {}
            aggregate.assigned_on = None

    class ApplicationRecorded(Fact):
        """The unit applied for a green code for the year (申请企业绿码)."""

        listing_id: UUID

        def apply(self, aggregate: GreenCodeRound) -> None:
            aggregate.applications[self.listing_id] = self.originator_version

    class GreenCodeAssigned(Fact):
        """A grade: computed (`method`, `score`, `rank` of `graded`) or recorded as the ministry
        assigned it elsewhere (no method, no score)."""

        listing_id: UUID
        grade: str
        score: Decimal | None
        rank: int | None
        graded: int | None
        method: str | None
        announcement: Reference | None

        def apply(self, aggregate: GreenCodeRound) -> None:
            aggregate.grades[self.listing_id] = GradeRecord(
                version=self.originator_version,
                listing_id=self.listing_id,
                grade=self.grade,
                score=self.score,
                rank=self.rank,
                graded=self.graded,
                method=self.method,
                announcement=self.announcement,
            )
            if self.method is not None:
                aggregate.assigned_on = self.effective_on

    class GreenCodeWithheld(Fact):
        """An applicant got no code: it did not file the year's table, or its data are abnormal."""

        listing_id: UUID
        reason: str

        def apply(self, aggregate: GreenCodeRound) -> None:
            aggregate.withheld[self.listing_id] = self.reason

    if TYPE_CHECKING:
        from datetime import date

        report_year: int
        applications: dict[UUID, int]
        grades: dict[UUID, GradeRecord]
        withheld: dict[UUID, str]
        assigned_on: date | None

    @classmethod
    def open(cls, report_year: int, provenance: Provenance) -> GreenCodeRound:
        return cls._create(
            cls.Opened,
            id=green_code_round_id(report_year),
            report_year=report_year,
            **provenance.event_fields(),
        )

    def record_application(self, listing_id: UUID, provenance: Provenance) -> None:
        if listing_id in self.applications:
            return
        self.trigger_event(
            self.ApplicationRecorded, listing_id=listing_id, **provenance.event_fields()
        )

    def assign(
        self,
        *,
        listing_id: UUID,
        grade: str,
        score: Decimal | None,
        rank: int | None,
        graded: int | None,
        method: str | None,
        announcement: Reference | None,
        provenance: Provenance,
    ) -> None:
        self.trigger_event(
            self.GreenCodeAssigned,
            listing_id=listing_id,
            grade=grade,
            score=score,
            rank=rank,
            graded=graded,
            method=method,
            announcement=announcement,
            **provenance.event_fields(),
        )

    def withhold(self, listing_id: UUID, reason: str, provenance: Provenance) -> None:
        self.trigger_event(
            self.GreenCodeWithheld,
            listing_id=listing_id,
            reason=reason,
            **provenance.event_fields(),
        )
