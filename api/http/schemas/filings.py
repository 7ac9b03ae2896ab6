"""What the filing routes answer: the review queue of a report year, and an upload of the dynamic
management tables (its preview or its commit), row by row."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.filing_import import FilingUpload
from readside.listings.queue import FilingQueue


class QueueItemPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    listing_id: UUID
    name: str
    region: str
    category: str
    level: str
    batch_year: int
    status: str
    report_year: int
    state: str = Field(description="`submitted`, `reviewed` or `overdue`.")
    submitted_on: date | None
    indicators: dict[str, dict[str, str]]
    outcome: str | None = Field(description="The review's outcome, once reviewed.")
    findings: list[str]
    reviewed_on: date | None
    filing_position: int | None
    overdue_recorded: bool = Field(description="A FilingOverdue was recorded for the year.")


class FilingQueuePublic(BaseModel):
    """The units of a region in the review queue of a report year, as now known."""

    region: str | None
    report_year: int
    deadline: date = Field(description="The rulebook's deadline for the year's table.")
    states: list[str]
    counts: dict[str, int]
    items: list[QueueItemPublic]
    position: int

    @classmethod
    def of(cls, queue: FilingQueue) -> FilingQueuePublic:
        return cls(
            region=queue.region,
            report_year=queue.report_year,
            deadline=queue.deadline,
            states=list(queue.states),
            counts={state: len(queue.of(state)) for state in queue.states},
            items=[QueueItemPublic.model_validate(item) for item in queue.items],
            position=queue.position,
        )


class CellErrorPublic(BaseModel):
    """Why a row was refused: where it is (sheet, row, column) and the rule, in both languages."""

    model_config = ConfigDict(from_attributes=True)

    sheet: str
    row: int
    column: str
    rule: str
    message_zh: str
    message_en: str


class RowResultPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    sheet: str
    row: int
    outcome: str = Field(
        description="`written` (or `would_write` in a dry run), `unchanged` (already recorded: "
        "nothing written), `empty` (no indicator filled in), `refused`."
    )
    listing_id: UUID | None
    name: str | None
    report_year: int | None
    errors: list[CellErrorPublic]


class FilingUploadPublic(BaseModel):
    """An upload of the dynamic management tables: every row's outcome and the counts."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "dry_run": True,
                    "sha256": "3f0a…",
                    "counts": {"would_write": 195, "refused": 5, "unchanged": 0, "empty": 0},
                    "total": 200,
                    "rows": [
                        {
                            "sheet": "绿色工厂",
                            "row": 7,
                            "outcome": "refused",
                            "listing_id": "0f0c6a6e-4a4b-5b1e-9d7c-3e2a1f0b9c8d",
                            "name": "江苏示例纺织有限公司",
                            "report_year": 2024,
                            "errors": [
                                {
                                    "sheet": "绿色工厂",
                                    "row": 7,
                                    "column": "G 单位产品综合能耗（kgce/t）",
                                    "rule": "数值",
                                    "message_zh": "“约500”不是数字",
                                    "message_en": "'约500' is not a number",
                                }
                            ],
                        }
                    ],
                    "position": None,
                    "written": False,
                }
            ]
        }
    )

    dry_run: bool
    sha256: str = Field(description="SHA-256 of the uploaded file (kept as the filings' basis).")
    counts: dict[str, int]
    total: int
    rows: list[RowResultPublic]
    position: int | None
    written: bool

    @classmethod
    def of(cls, upload: FilingUpload) -> FilingUploadPublic:
        outcomes = ("would_write", "written", "unchanged", "empty", "refused")
        return cls(
            dry_run=upload.dry_run,
            sha256=upload.sha256,
            counts={outcome: upload.count(outcome) for outcome in outcomes},  # type: ignore[arg-type]
            total=upload.total,
            rows=[RowResultPublic.model_validate(row) for row in upload.rows],
            position=upload.position,
            written=upload.written,
        )
