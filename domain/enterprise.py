"""The applicant body (申报主体): a company, or a park's management body.

Its identity is the uuid5 of its Unified Social Credit Code when known, otherwise of its region and
normalised name — the published lists carry no credit code (design.md). A code can be attached
later; `EnterpriseKey` then records that the other key leads to the same enterprise, so registering
the same body again, by either key, finds it.

Its credit record (工信厅节函〔2022〕235号 一 and 二: accidents, tax evasion, dishonest debtor,
inspection findings, energy-saving rectification, not operating) is the set of incidents
recorded on it, as Credit China, the national publicity system, an inspection or a province
reported them. An incident is never deleted; it is retracted (a correction).

Three kinds are states, not one-day events (regulation.md, "Continuing conditions"): not operating
(NEG-1), on the energy-saving rectification list (NEG-5) and dishonest debtor (NEG-6) start on
`occurred_on` and last until they end — `CreditIncidentEnded` with the day they ended, or for
NEG-5 `RectificationCompleted`, the rectification being its end. The negative list bars while
such a state lasts and for three years after it ends.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.errors import (
    EffectiveDateOrderError,
    IncidentAlreadyEndedError,
    IncidentAlreadyRetractedError,
    IncidentNotContinuingError,
    IncidentNotFoundError,
    InvalidDateRangeError,
)
from domain.facts import Fact, FoundingFact, ImmutableValuesState, identity
from domain.values import (
    Category,
    IncidentGrade,
    IncidentKind,
    IncidentSource,
    Level,
    Provenance,
    Reference,
    Region,
    Uscc,
    normalise_name,
)


def uscc_key(uscc: Uscc) -> str:
    return f"uscc:{uscc.value}"


def name_key(region: Region, name: str) -> str:
    return f"name:{region.code}:{normalise_name(name)}"


def key_id(key: str) -> UUID:
    """The id an enterprise key leads to: the enterprise itself, or an `EnterpriseKey`."""
    return identity("enterprise", key)


def incident_id_for(enterprise_id: UUID, number: int) -> UUID:
    return identity("incident", enterprise_id, number)


@dataclass(frozen=True)
class IncidentRecord:
    incident_id: UUID
    version: int
    kind: IncidentKind
    grade: IncidentGrade | None
    occurred_on: date
    source: IncidentSource
    reference: Reference | None
    recorded_effective_on: date
    retracted_version: int | None = None
    retracted_on: date | None = None
    rectified_version: int | None = None
    rectified_on: date | None = None
    ended_version: int | None = None
    ended_on: date | None = None

    @property
    def standing(self) -> bool:
        """Whether the incident still counts (it was not retracted as a correction)."""
        return self.retracted_version is None

    @property
    def end(self) -> date | None:
        """The day a continuing condition ended (a rectification ends NEG-5's), if it has."""
        return self.ended_on if self.ended_on is not None else self.rectified_on

    @property
    def end_version(self) -> int | None:
        return self.ended_version if self.ended_version is not None else self.rectified_version


@dataclass(frozen=True)
class NameRecord:
    name: str
    since: date
    version: int


class Enterprise(ImmutableValuesState, Aggregate):
    """An applicant body with its names, credit code, nominations and credit record."""

    class Registered(FoundingFact):
        """Version 2 added `industry` (行业), which the published factory lists carry; version 3
        `synthetic`: a fictitious unit of the demo, never a real organisation (ADR 0042)."""

        class_version = 3

        name: str
        region: Region
        uscc: Uscc | None
        industry: str | None
        synthetic: bool

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["industry"] = None

        @staticmethod
        def upcast_v2_v3(state: dict[str, object]) -> None:
            state["synthetic"] = False

        def apply(self, aggregate: Enterprise) -> None:
            aggregate.name = self.name
            aggregate.region = self.region
            aggregate.uscc = self.uscc
            aggregate.industry = self.industry
            aggregate.synthetic = self.synthetic
            aggregate.names = (NameRecord(self.name, self.effective_on, self.originator_version),)
            aggregate.aliases = ()
            aggregate.listing_ids = ()
            aggregate.incidents = {}
            aggregate.registered_on = self.effective_on

    class AliasRecorded(Fact):
        """Another name a document gives the same body, e.g. 泰兴经济技术开发区 for
        江苏省泰兴经济开发区 in 工信厅节函〔2018〕341号; not a change of name."""

        alias: str

        def apply(self, aggregate: Enterprise) -> None:
            aggregate.aliases = (*aggregate.aliases, self.alias)

    class Renamed(Fact):
        name: str
        previous_name: str

        def apply(self, aggregate: Enterprise) -> None:
            aggregate.name = self.name
            aggregate.names = (
                *aggregate.names,
                NameRecord(self.name, self.effective_on, self.originator_version),
            )

    class CreditCodeAssigned(Fact):
        uscc: Uscc

        def apply(self, aggregate: Enterprise) -> None:
            aggregate.uscc = self.uscc

    class Nominated(Fact):
        """The enterprise was nominated for a listing (the nomination itself is on the listing)."""

        listing_id: UUID
        category: Category
        level: Level
        batch_year: int

        def apply(self, aggregate: Enterprise) -> None:
            if self.listing_id not in aggregate.listing_ids:
                aggregate.listing_ids = (*aggregate.listing_ids, self.listing_id)

    class CreditIncidentRecorded(Fact):
        incident_id: UUID
        kind: IncidentKind
        grade: IncidentGrade | None
        occurred_on: date
        source: IncidentSource
        reference: Reference | None

        def apply(self, aggregate: Enterprise) -> None:
            aggregate.incidents = {
                **aggregate.incidents,
                self.incident_id: IncidentRecord(
                    incident_id=self.incident_id,
                    version=self.originator_version,
                    kind=self.kind,
                    grade=self.grade,
                    occurred_on=self.occurred_on,
                    source=self.source,
                    reference=self.reference,
                    recorded_effective_on=self.effective_on,
                ),
            }

    class CreditIncidentRetracted(Fact):
        """A correction: the incident was recorded in error and no longer counts."""

        incident_id: UUID
        reason: str

        def apply(self, aggregate: Enterprise) -> None:
            record = aggregate.incidents[self.incident_id]
            aggregate.incidents = {
                **aggregate.incidents,
                self.incident_id: replace(
                    record,
                    retracted_version=self.originator_version,
                    retracted_on=self.effective_on,
                ),
            }

    class RectificationCompleted(Fact):
        """The enterprise completed the rectification an incident required (NEG-5)."""

        incident_id: UUID

        def apply(self, aggregate: Enterprise) -> None:
            record = aggregate.incidents[self.incident_id]
            aggregate.incidents = {
                **aggregate.incidents,
                self.incident_id: replace(
                    record,
                    rectified_version=self.originator_version,
                    rectified_on=self.effective_on,
                ),
            }

    class CreditIncidentEnded(Fact):
        """A continuing condition (not operating, dishonest debtor, rectification outstanding)
        ended on `ended_on`: it bars three years from then (NEG-1, NEG-5, NEG-6)."""

        incident_id: UUID
        ended_on: date

        def apply(self, aggregate: Enterprise) -> None:
            record = aggregate.incidents[self.incident_id]
            aggregate.incidents = {
                **aggregate.incidents,
                self.incident_id: replace(
                    record, ended_version=self.originator_version, ended_on=self.ended_on
                ),
            }

    if TYPE_CHECKING:  # state, assigned by the events' apply (not dataclass fields)
        name: str
        region: Region
        uscc: Uscc | None
        industry: str | None
        synthetic: bool
        names: tuple[NameRecord, ...]
        aliases: tuple[str, ...]
        listing_ids: tuple[UUID, ...]
        incidents: dict[UUID, IncidentRecord]
        registered_on: date

    @property
    def keys(self) -> tuple[str, ...]:
        """Every key that leads to this enterprise: its credit code, each name it has had and
        each alias recorded."""
        keys = [uscc_key(self.uscc)] if self.uscc else []
        keys.extend(name_key(self.region, record.name) for record in self.names)
        keys.extend(name_key(self.region, alias) for alias in self.aliases)
        return tuple(dict.fromkeys(keys))

    def is_known_as(self, name: str) -> bool:
        """Whether `name` is one of its names, former names or aliases (compared normalised)."""
        known = (*(record.name for record in self.names), *self.aliases)
        return normalise_name(name) in {normalise_name(n) for n in known}

    @property
    def renamed(self) -> bool:
        return len(self.names) > 1

    def name_on(self, day: date) -> str:
        """The name the enterprise bore on `day` (its first name before it was registered)."""
        current = self.names[0].name
        for record in self.names:
            if record.since <= day:
                current = record.name
        return current

    # -- commands ------------------------------------------------------------------------------

    @classmethod
    def register(
        cls,
        *,
        enterprise_id: UUID,
        name: str,
        region: Region,
        uscc: Uscc | None,
        industry: str | None,
        synthetic: bool = False,
        provenance: Provenance,
    ) -> Enterprise:
        return cls._create(
            cls.Registered,
            id=enterprise_id,
            name=name,
            region=region,
            uscc=uscc,
            industry=industry,
            synthetic=synthetic,
            **provenance.event_fields(),
        )

    def rename(self, *, name: str, provenance: Provenance) -> bool:
        """Record a new name; False (and nothing recorded) when the name is unchanged."""
        if normalise_name(name) == normalise_name(self.name):
            return False
        latest = self.names[-1].since
        if provenance.day < latest:
            raise EffectiveDateOrderError(provenance.day, latest, "last change of name")
        self.trigger_event(
            self.Renamed, name=name, previous_name=self.name, **provenance.event_fields()
        )
        return True

    def record_alias(self, *, alias: str, provenance: Provenance) -> bool:
        """Record another name of the same body; False (nothing recorded) when already known."""
        if self.is_known_as(alias):
            return False
        self.trigger_event(self.AliasRecorded, alias=alias, **provenance.event_fields())
        return True

    def assign_credit_code(self, *, uscc: Uscc, provenance: Provenance) -> None:
        self.trigger_event(self.CreditCodeAssigned, uscc=uscc, **provenance.event_fields())

    def record_nomination(
        self,
        *,
        listing_id: UUID,
        category: Category,
        level: Level,
        batch_year: int,
        provenance: Provenance,
    ) -> None:
        self.trigger_event(
            self.Nominated,
            listing_id=listing_id,
            category=category,
            level=level,
            batch_year=batch_year,
            **provenance.event_fields(),
        )

    def record_incident(
        self,
        *,
        kind: IncidentKind,
        grade: IncidentGrade | None,
        occurred_on: date,
        source: IncidentSource,
        reference: Reference | None,
        provenance: Provenance,
    ) -> UUID:
        if provenance.day < occurred_on:
            raise EffectiveDateOrderError(provenance.day, occurred_on, "incident's occurrence")
        incident_id = incident_id_for(self.id, len(self.incidents) + 1)
        self.trigger_event(
            self.CreditIncidentRecorded,
            incident_id=incident_id,
            kind=kind,
            grade=grade,
            occurred_on=occurred_on,
            source=source,
            reference=reference,
            **provenance.event_fields(),
        )
        return incident_id

    def retract_incident(self, *, incident_id: UUID, reason: str, provenance: Provenance) -> None:
        record = self._incident(incident_id)
        if not record.standing:
            raise IncidentAlreadyRetractedError(incident_id)
        if provenance.day < record.recorded_effective_on:
            raise EffectiveDateOrderError(
                provenance.day, record.recorded_effective_on, "incident it retracts"
            )
        self.trigger_event(
            self.CreditIncidentRetracted,
            incident_id=incident_id,
            reason=reason,
            **provenance.event_fields(),
        )

    def complete_rectification(self, *, incident_id: UUID, provenance: Provenance) -> None:
        record = self._incident(incident_id)
        if not record.standing or record.rectified_version is not None:
            raise IncidentAlreadyRetractedError(incident_id)
        if record.end is not None:
            raise IncidentAlreadyEndedError(incident_id, record.end)
        if provenance.day < record.occurred_on:
            raise EffectiveDateOrderError(provenance.day, record.occurred_on, "incident")
        self.trigger_event(
            self.RectificationCompleted, incident_id=incident_id, **provenance.event_fields()
        )

    def end_incident(self, *, incident_id: UUID, ended_on: date, provenance: Provenance) -> None:
        """CreditIncidentEnded: a continuing condition stopped on `ended_on`."""
        record = self._incident(incident_id)
        if not record.standing:
            raise IncidentAlreadyRetractedError(incident_id)
        if not record.kind.is_continuing:
            raise IncidentNotContinuingError(incident_id, record.kind.value)
        if record.end is not None:
            raise IncidentAlreadyEndedError(incident_id, record.end)
        if ended_on < record.occurred_on:
            raise InvalidDateRangeError(
                "ended_on",
                f"{ended_on.isoformat()} is before {record.occurred_on.isoformat()}, the day the "
                "condition started",
            )
        if provenance.day < ended_on:
            raise InvalidDateRangeError(
                "ended_on",
                f"{ended_on.isoformat()} is after {provenance.day.isoformat()}, the effective "
                "date of the record: an end is recorded once it happened",
            )
        if provenance.day < record.recorded_effective_on:
            raise EffectiveDateOrderError(
                provenance.day, record.recorded_effective_on, "incident it ends"
            )
        self.trigger_event(
            self.CreditIncidentEnded,
            incident_id=incident_id,
            ended_on=ended_on,
            **provenance.event_fields(),
        )

    def _incident(self, incident_id: UUID) -> IncidentRecord:
        record = self.incidents.get(incident_id)
        if record is None:
            raise IncidentNotFoundError(incident_id)
        return record


class EnterpriseKey(ImmutableValuesState, Aggregate):
    """An index: one more key (a credit code, a former name) that leads to an enterprise."""

    class Claimed(FoundingFact):
        key: str
        enterprise_id: UUID

        def apply(self, aggregate: EnterpriseKey) -> None:
            aggregate.key = self.key
            aggregate.enterprise_id = self.enterprise_id

    if TYPE_CHECKING:  # state, assigned by the events' apply (not dataclass fields)
        key: str
        enterprise_id: UUID

    @classmethod
    def claim(cls, *, key: str, enterprise_id: UUID, provenance: Provenance) -> EnterpriseKey:
        return cls._create(
            cls.Claimed,
            id=key_id(key),
            key=key,
            enterprise_id=enterprise_id,
            **provenance.event_fields(),
        )
