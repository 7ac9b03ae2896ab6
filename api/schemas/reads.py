"""What the queries the ledger answers itself return (eligibility, replay, a batch). Every answer
carries the `position` it was derived at."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.problems import FindingPublic


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ReferencePublic(ReadModel):
    doc_no: str | None = None
    title: str | None = None
    url: str | None = None
    sha256: str | None = None


class EligibilityPublic(ReadModel):
    """Whether the enterprise may be nominated on `on`: every negative-list finding in force, with
    its rule, the events it rests on and `barred_until`."""

    enterprise_id: UUID
    on: date
    eligible: bool
    rulebook: str
    known_at: datetime | None
    findings: list[FindingPublic]
    position: int = Field(description="The ledger position the answer was derived at.")


class MismatchPublic(ReadModel):
    position: int
    originator_id: UUID
    version: int
    topic: str
    recorded: list[FindingPublic]
    rederived: list[FindingPublic]
    recorded_rulebook: str
    rederived_rulebook: str
    note: str


class ReplayPublic(ReadModel):
    """Every recorded decision re-derived from the facts known when it was taken, under the
    rulebook then in force; the ones that do not follow."""

    decisions_checked: int
    mismatches: list[MismatchPublic]
    events_read: int
    known_at: datetime | None
    position: int = Field(description="The last position replayed.")


class PublicationPublic(BaseModel):
    published_on: date
    announcement: ReferencePublic
    listed: int
    rejected: int
    removed: int


class BatchPublic(BaseModel):
    """A recommendation round: its rulebook, deadlines and quotas, nominations and publications."""

    batch_id: UUID
    level: str
    batch_year: int
    label: str = Field(description="第一批 … 第五批, 2021年度 …")
    rulebook: str
    opened_on: date
    deadlines: dict[str, date]
    quotas: dict[str, int]
    nominations: int
    nominations_by_region: dict[str, int]
    evaluations: int
    publications: list[PublicationPublic]
    position: int = Field(description="The ledger position the answer was read at.")
