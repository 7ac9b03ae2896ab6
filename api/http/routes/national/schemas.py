"""Bodies of the publicity commands (PUB-1, 13号; ADR 0150)."""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.http.schemas.batches import Announcement
from api.http.schemas.common import CommandBody, Day, Reason, ReferenceIn, ShortText
from api.http.schemas.reads import ReferencePublic


class PublicityCreate(CommandBody):
    """Batch.Publicised: the nominees proposed for the national list, publicised (公示) for 15
    days from `effective_on` (its first day; the window's last day is the 15th)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "nominees": ["0f0c6a6e-4a4b-5b1e-9d7c-3e2a1f0b9c8d"],
                    "announcement": {"doc_no": "示例公示〔2024〕1号", "date": "2024-12-20"},
                    "effective_on": "2024-12-20",
                }
            ]
        }
    )

    nominees: list[UUID] = Field(min_length=1, max_length=20000)
    announcement: Announcement


class ObjectionCreate(CommandBody):
    """Batch.ObjectionRecorded: an objection (异议) against a publicised nominee, received on
    `effective_on`, which must fall inside the publicity (PUB-1)."""

    listing_id: UUID
    objection: Reason
    objector: ShortText | None = None


class GreenCodeAssignment(CommandBody):
    """Assign the year's 企业绿码 by the documented method (ADR 0151)."""

    announcement: Announcement | None = None
    method: Literal["gc-2024-1"] = Field(
        default="gc-2024-1",
        description="The scoring method's version (domain/national/scoring.py).",
    )


class GreenCodeApplication(CommandBody):
    listing_id: UUID


class GreenCodeGrade(CommandBody):
    """A grade the ministry assigned elsewhere, recorded as a fact."""

    listing_id: UUID
    grade: Literal["A+", "A", "B"]
    announcement: Announcement | None = None


class GreenCodePublic(BaseModel):
    listing_id: UUID
    enterprise_id: UUID
    name: str
    region: str
    grade: str
    score: float | None = Field(description="0–100 by the method; none when recorded as assigned")
    rank: int | None
    graded: int | None = Field(description="How many units were ranked with it.")
    method: str | None
    announcement: ReferencePublic | None


class GreenCodeWithheldPublic(BaseModel):
    listing_id: UUID
    reason: str


class GreenCodesPublic(BaseModel):
    report_year: int
    items: list[GreenCodePublic]
    withheld: list[GreenCodeWithheldPublic]
    distribution: dict[str, int]
    position: int


class RebenchmarkLaunch(CommandBody):
    """Launch the re-benchmark (390号) over every national green factory and park on the list."""

    due_on: Day
    requirements: Announcement


class RebenchmarkResult(CommandBody):
    listing_id: UUID
    outcome: Literal["meets", "does_not_meet"]
    self_evaluation: ReferenceIn


class RebenchmarkFlagging(CommandBody):
    """Flag the units with no result (after the due date); the common fields only."""


class RebenchmarkUnitPublic(BaseModel):
    listing_id: UUID
    name: str
    region: str
    category: str
    state: str = Field(description="pending, meets, does_not_meet or not_rebenchmarked")
    recorded_on: date | None
    self_evaluation: str | None
    flagged_on: date | None


class RebenchmarkWorkPublic(BaseModel):
    year: int
    due_on: date
    requirements: str
    items: list[RebenchmarkUnitPublic]
    counts: dict[str, int]
    position: int
