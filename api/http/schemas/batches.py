"""Bodies of the batch commands: open a recommendation round, publish its list."""

from __future__ import annotations

from typing import Literal, get_args
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.http.schemas.common import (
    BatchYear,
    CityCode,
    CommandBody,
    Day,
    DocNo,
    Name,
    Reason,
    RegionCode,
    ShortText,
    Url,
)
from domain.rules.rulebook import RULEBOOKS
from domain.values import Level, Reference, RemovalReason

RulebookVersion = Literal["2016", "2020", "2022", "2024", "2025"]
assert set(get_args(RulebookVersion)) == {r.version for r in RULEBOOKS}


class BatchCreate(CommandBody):
    """Batch.Opened under the rulebook in force on `effective_on` (or the one named)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"level": "national", "year": 2023, "effective_on": "2023-09-01"}]
        }
    )

    level: Level
    year: BatchYear
    rulebook: RulebookVersion | None = Field(
        default=None, description="Rulebook version (default: the one in force)."
    )
    region: RegionCode | None = Field(
        default=None,
        description="The province whose own list a provincial or municipal round is (default: "
        "the calling province's); none for the national list.",
    )
    city: CityCode | None = Field(
        default=None, description="A municipal round's prefecture-level code, inside `region`."
    )


class Announcement(BaseModel):
    """The ministry's announcement (公告): its number and date; the date is the publication's
    effective date."""

    model_config = ConfigDict(extra="forbid")

    doc_no: DocNo
    date: Day
    title: ShortText | None = None
    url: Url | None = None

    def to_domain(self) -> Reference:
        return Reference(doc_no=self.doc_no, title=self.title, url=self.url)


class RemovalAnnounced(BaseModel):
    model_config = ConfigDict(extra="forbid")

    listing_id: UUID
    reasons: list[RemovalReason] = Field(min_length=1, max_length=7)


class RenameAnnounced(BaseModel):
    """One line of the announcement's 更名名单: the listing, and its enterprise's new name."""

    model_config = ConfigDict(extra="forbid")

    listing_id: UUID
    name: Name


class BatchPublication(CommandBody):
    """Batch.Published: Listed for each of `listed`, Rejected (未入选) for each of `rejected`,
    Removed for each of `removed` — all or nothing. Effective on the announcement's date."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "level": "national",
                    "listed": ["0f0c6a6e-4a4b-5b1e-9d7c-3e2a1f0b9c8d"],
                    "rejected": [],
                    "removed": [
                        {
                            "listing_id": "6d1b3f52-1c8e-5a57-a0f1-2b9c7e4d5a60",
                            "reasons": ["refused_filing"],
                        }
                    ],
                    "announcement": {"doc_no": "工信厅节函〔2024〕1号", "date": "2024-01-05"},
                }
            ]
        }
    )

    level: Level
    listed: list[UUID] = Field(default_factory=list, max_length=20000)
    rejected: list[UUID] = Field(
        default_factory=list,
        max_length=20000,
        description="Nominations of this batch not listed (未入选). An extension of api.md.",
    )
    removed: list[RemovalAnnounced] = Field(default_factory=list, max_length=20000)
    renamed: list[RenameAnnounced] = Field(
        default_factory=list,
        max_length=20000,
        description="更名名单: the enterprises of these listings take the new names, in the same "
        "atomic publication.",
    )
    region: RegionCode | None = Field(
        default=None, description="A provincial or municipal round's province (api.md v1)."
    )
    city: CityCode | None = Field(default=None, description="A municipal round's prefecture.")
    rejection_reasons: dict[UUID, Reason] = Field(
        default_factory=dict,
        description="Why each publicised nominee in `rejected` is not listed (公示后未列入, "
        "PUB-1): required for every one of them. An extension of api.md.",
    )
    announcement: Announcement


class ParkQuotaExceptionCreate(CommandBody):
    """Batch.ParkQuotaExceptionGranted: PARK-2 says "原则上" (in principle) at most 3 green parks
    per region per year; the ministry lets `region` nominate `parks` more in this batch, for
    `reason`, which PARK-2's finding then cites."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "region": "320000",
                    "parks": 1,
                    "reason": "国家级新区整体申报，经部长专题会研究同意",
                    "effective_on": "2023-10-10",
                }
            ]
        }
    )

    level: Level = Level.NATIONAL
    region: RegionCode
    parks: int = Field(default=1, ge=1, le=100, description="How many parks beyond the quota.")
    reason: Reason
