"""A recommendation round (推荐批次): batches 1–5 (2017–2020), then one round a year (2021年度 …).

Opened under the rulebook in force (its deadlines and quotas are recorded with it), it receives the
provinces' nominations — the batch is the consistency boundary for the per-batch quotas: in
principle at most three parks per region per year (PARK-2; the ministry may grant a region more,
with its reason), at most fifteen evaluations per evaluator group (EVAL-4, 235号) or, from 13号 on,
per legal representative in the year's national round — and is published by the ministry's
announcement, which lists the approved nominations, rejects others and announces removals, in one
atomic act (design.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.errors import InvalidInputError
from domain.facts import Fact, FoundingFact, ImmutableValuesState, identity
from domain.values import Category, Level, Provenance, Reference, Round


def batch_id_for(
    level: Level, batch_year: int, region: str | None = None, city: str | None = None
) -> UUID:
    """The round of a level and year; a province's own rounds (provincial, municipal) are the
    region's (and the city's), so each region keeps its own lists (13号 第二条, ADR 0141)."""
    if level is Level.NATIONAL or region is None:
        return identity("batch", level.value, batch_year)
    if city is None:
        return identity("batch", level.value, batch_year, region)
    return identity("batch", level.value, batch_year, region, city)


def check_batch_year(batch_year: int, field: str = "batch_year") -> int:
    """A round's number (`Round`): a numbered batch 1–5, or a yearly round's year."""
    return Round.of(batch_year, field).number


@dataclass(frozen=True)
class NominationEntry:
    listing_id: UUID
    region_code: str
    category: Category
    #: The batch's version that received the nomination (PARK-2 cites it).
    version: int = 0


@dataclass(frozen=True)
class EvaluationEntry:
    """A third-party evaluation counted in the batch (EVAL-4 cites its version)."""

    listing_id: UUID
    evaluator_group: str
    version: int
    assessor_id: UUID | None = None
    #: The evaluator's legal representative when it was counted (13号 第二十条), if known.
    legal_representative: str | None = None


@dataclass(frozen=True)
class ParkQuotaException:
    """PARK-2 ("原则上"): the ministry let a region nominate more parks in this batch."""

    version: int
    region_code: str
    parks: int
    reason: str


@dataclass(frozen=True)
class PublicationRecord:
    version: int
    published_on: date
    announcement: Reference
    listed: tuple[UUID, ...]
    rejected: tuple[UUID, ...]
    removed: tuple[UUID, ...]


@dataclass(frozen=True)
class PublicityRecord:
    """PUB-1 (13号): the nominees publicised (公示) before the national list, and the window."""

    version: int
    starts_on: date
    ends_on: date
    announcement: Reference
    nominees: tuple[UUID, ...]

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class ObjectionRecord:
    """An objection (异议) raised against a nominee during the publicity."""

    version: int
    listing_id: UUID
    received_on: date
    objection: str
    objector: str | None


class Batch(ImmutableValuesState, Aggregate):
    """One level's recommendation round of one year."""

    class Opened(FoundingFact):
        """Version 2 added `region` and `city`: the province (and prefecture) whose own list a
        provincial or municipal round is (ADR 0141); stored version-1 events read with none."""

        class_version = 2

        level: Level
        batch_year: int
        rulebook: str
        deadlines: dict[str, date]
        quotas: dict[str, int]
        region: str | None
        city: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["region"] = None
            state["city"] = None

        def apply(self, aggregate: Batch) -> None:
            aggregate.level = self.level
            aggregate.region_code = self.region
            aggregate.city = self.city
            aggregate.batch_year = self.batch_year
            aggregate.rulebook = self.rulebook
            aggregate.deadlines = dict(self.deadlines)
            aggregate.quotas = dict(self.quotas)
            aggregate.opened_on = self.effective_on
            aggregate.nominations = {}
            aggregate.evaluations = {}
            aggregate.publications = ()
            aggregate.park_quota_exceptions = ()
            aggregate.publicities = ()
            aggregate.objections = ()

    class NominationReceived(Fact):
        listing_id: UUID
        region_code: str
        category: Category

        def apply(self, aggregate: Batch) -> None:
            # In place: a yearly round holds thousands of nominations.
            aggregate.nominations[self.listing_id] = NominationEntry(
                listing_id=self.listing_id,
                region_code=self.region_code,
                category=self.category,
                version=self.originator_version,
            )

    class EvaluationCounted(Fact):
        """A third-party evaluation of a nomination in this batch, counted against EVAL-4.

        Version 2 added `legal_representative` (13号 第二十条 counts by it); stored version-1
        events read with none.
        """

        class_version = 2

        listing_id: UUID
        assessor_id: UUID
        evaluator_group: str
        legal_representative: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["legal_representative"] = None

        def apply(self, aggregate: Batch) -> None:
            aggregate.evaluations[self.listing_id] = EvaluationEntry(
                listing_id=self.listing_id,
                evaluator_group=self.evaluator_group,
                version=self.originator_version,
                assessor_id=self.assessor_id,
                legal_representative=self.legal_representative,
            )

    class ParkQuotaExceptionGranted(Fact):
        """PARK-2 says "原则上": the ministry lets a region nominate `parks` more parks in this
        batch than the quota, for the reason it gives."""

        region_code: str
        parks: int
        reason: str

        def apply(self, aggregate: Batch) -> None:
            aggregate.park_quota_exceptions = (
                *aggregate.park_quota_exceptions,
                ParkQuotaException(
                    version=self.originator_version,
                    region_code=self.region_code,
                    parks=self.parks,
                    reason=self.reason,
                ),
            )

    class Published(Fact):
        """Version 2 added `rejection_reasons` (listing id → why a publicised nominee is not
        listed, PUB-1); stored version-1 events read with none."""

        class_version = 2

        announcement: Reference
        listed: tuple[UUID, ...]
        rejected: tuple[UUID, ...]
        removed: tuple[UUID, ...]
        rejection_reasons: dict[str, str]

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["rejection_reasons"] = {}

        def apply(self, aggregate: Batch) -> None:
            aggregate.publications = (
                *aggregate.publications,
                PublicationRecord(
                    version=self.originator_version,
                    published_on=self.effective_on,
                    announcement=self.announcement,
                    listed=tuple(self.listed),
                    rejected=tuple(self.rejected),
                    removed=tuple(self.removed),
                ),
            )

    class Publicised(Fact):
        """PUB-1: the nominees proposed for the list are publicised (公示) from `starts_on`
        (the effective date) through `ends_on`."""

        announcement: Reference
        starts_on: date
        ends_on: date
        nominees: tuple[UUID, ...]

        def apply(self, aggregate: Batch) -> None:
            aggregate.publicities = (
                *aggregate.publicities,
                PublicityRecord(
                    version=self.originator_version,
                    starts_on=self.starts_on,
                    ends_on=self.ends_on,
                    announcement=self.announcement,
                    nominees=tuple(self.nominees),
                ),
            )

    class ObjectionRecorded(Fact):
        """An objection against a publicised nominee, received during the publicity."""

        listing_id: UUID
        objection: str
        objector: str | None

        def apply(self, aggregate: Batch) -> None:
            aggregate.objections = (
                *aggregate.objections,
                ObjectionRecord(
                    version=self.originator_version,
                    listing_id=self.listing_id,
                    received_on=self.effective_on,
                    objection=self.objection,
                    objector=self.objector,
                ),
            )

    if TYPE_CHECKING:  # state, assigned by the events' apply (not dataclass fields)
        level: Level
        region_code: str | None
        city: str | None
        batch_year: int
        rulebook: str
        deadlines: dict[str, date]
        quotas: dict[str, int]
        opened_on: date
        nominations: dict[UUID, NominationEntry]
        evaluations: dict[UUID, EvaluationEntry]
        publications: tuple[PublicationRecord, ...]
        park_quota_exceptions: tuple[ParkQuotaException, ...]
        publicities: tuple[PublicityRecord, ...]
        objections: tuple[ObjectionRecord, ...]

    @property
    def publicity(self) -> PublicityRecord | None:
        """The latest publicity of the batch (PUB-1), if any."""
        return self.publicities[-1] if self.publicities else None

    def objections_to(self, listing_id: UUID) -> tuple[ObjectionRecord, ...]:
        return tuple(o for o in self.objections if o.listing_id == listing_id)

    def nomination_entries_from(
        self, region_code: str, category: Category
    ) -> tuple[NominationEntry, ...]:
        """The nominations of one category one region made in this batch (PARK-2)."""
        return tuple(
            entry
            for entry in self.nominations.values()
            if entry.region_code == region_code and entry.category is category
        )

    def evaluations_by(self, evaluator_group: str) -> int:
        """Evaluations of distinct nominations by one evaluator group in this batch (EVAL-4)."""
        return len(self.evaluation_entries_by(evaluator_group))

    def evaluation_entries_by(self, evaluator_group: str) -> tuple[EvaluationEntry, ...]:
        return tuple(
            entry for entry in self.evaluations.values() if entry.evaluator_group == evaluator_group
        )

    def evaluation_entries_represented_by(
        self, legal_representative: str | None, assessor_id: UUID
    ) -> tuple[EvaluationEntry, ...]:
        """The evaluations of bodies with this legal representative (13号 第二十条); when it is
        not known, the evaluations of the assessor itself."""
        if legal_representative is None:
            return tuple(e for e in self.evaluations.values() if e.assessor_id == assessor_id)
        return tuple(
            e for e in self.evaluations.values() if e.legal_representative == legal_representative
        )

    def park_quota_exceptions_for(self, region_code: str) -> tuple[ParkQuotaException, ...]:
        return tuple(g for g in self.park_quota_exceptions if g.region_code == region_code)

    @classmethod
    def open(
        cls,
        *,
        level: Level,
        batch_year: int,
        rulebook: str,
        deadlines: dict[str, date],
        quotas: dict[str, int],
        provenance: Provenance,
        region: str | None = None,
        city: str | None = None,
    ) -> Batch:
        return cls._create(
            cls.Opened,
            id=batch_id_for(level, batch_year, region, city),
            level=level,
            batch_year=batch_year,
            rulebook=rulebook,
            deadlines=dict(deadlines),
            quotas=dict(quotas),
            region=region,
            city=city,
            **provenance.event_fields(),
        )

    def receive_nomination(
        self,
        *,
        listing_id: UUID,
        region_code: str,
        category: Category,
        provenance: Provenance,
    ) -> None:
        self.trigger_event(
            self.NominationReceived,
            listing_id=listing_id,
            region_code=region_code,
            category=category,
            **provenance.event_fields(),
        )

    def count_evaluation(
        self,
        *,
        listing_id: UUID,
        assessor_id: UUID,
        evaluator_group: str,
        legal_representative: str | None,
        provenance: Provenance,
    ) -> None:
        self.trigger_event(
            self.EvaluationCounted,
            listing_id=listing_id,
            assessor_id=assessor_id,
            evaluator_group=evaluator_group,
            legal_representative=legal_representative,
            **provenance.event_fields(),
        )

    def grant_park_quota_exception(
        self, *, region_code: str, parks: int, reason: str, provenance: Provenance
    ) -> None:
        """PARK-2: let the region nominate `parks` more parks in this batch, for `reason`."""
        if self.level is not Level.NATIONAL:
            raise InvalidInputError("level", "the park quota (PARK-2) is a national batch's")
        if parks < 1:
            raise InvalidInputError("parks", f"{parks} is below 1")
        self.trigger_event(
            self.ParkQuotaExceptionGranted,
            region_code=region_code,
            parks=parks,
            reason=reason,
            **provenance.event_fields(),
        )

    def publish(
        self,
        *,
        announcement: Reference,
        listed: tuple[UUID, ...],
        rejected: tuple[UUID, ...],
        removed: tuple[UUID, ...],
        rejection_reasons: dict[UUID, str] | None = None,
        provenance: Provenance,
    ) -> None:
        self.trigger_event(
            self.Published,
            announcement=announcement,
            listed=tuple(listed),
            rejected=tuple(rejected),
            removed=tuple(removed),
            rejection_reasons={str(k): v for k, v in (rejection_reasons or {}).items()},
            **provenance.event_fields(),
        )

    def publicise(
        self,
        *,
        announcement: Reference,
        ends_on: date,
        nominees: tuple[UUID, ...],
        provenance: Provenance,
    ) -> None:
        """Batch.Publicised: the window starts on the provenance's day and ends on `ends_on`."""
        if self.level is not Level.NATIONAL:
            raise InvalidInputError("level", "publicity (公示) precedes the national list")
        if not nominees:
            raise InvalidInputError("nominees", "a publicity names at least one nominee")
        unknown = [str(n) for n in nominees if n not in self.nominations]
        if unknown:
            raise InvalidInputError(
                "nominees", f"not nominations of this batch: {', '.join(unknown[:5])}"
            )
        self.trigger_event(
            self.Publicised,
            announcement=announcement,
            starts_on=provenance.day,
            ends_on=ends_on,
            nominees=tuple(nominees),
            **provenance.event_fields(),
        )

    def record_objection(
        self, *, listing_id: UUID, objection: str, objector: str | None, provenance: Provenance
    ) -> None:
        """Batch.ObjectionRecorded (the rule, PUB-1, is checked by the ledger first)."""
        self.trigger_event(
            self.ObjectionRecorded,
            listing_id=listing_id,
            objection=objection,
            objector=objector,
            **provenance.event_fields(),
        )
