"""The answer of an import of the published lists: counts per file and batch, what was not
imported and why, and the ledger position."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from domain.loading.importing import ImportReport
from domain.values import Category, batch_label


class ImportCountPublic(BaseModel):
    file: str
    batch_year: int | None
    batch_label: str | None = Field(description="第一批 … 2021年度")
    category: Category | None
    rows: int
    imported: int
    already_present: int
    duplicates: int
    rejected: int


class RowNotImported(BaseModel):
    file: str
    line: int
    reason: str = Field(description="Why, Chinese first.")


class ImportReportPublic(BaseModel):
    """What an import did. A second import of the same lists writes nothing (`written` false)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "counts": [
                        {
                            "file": "green_factories.csv",
                            "batch_year": 1,
                            "batch_label": "第一批",
                            "category": "green_factory",
                            "rows": 201,
                            "imported": 201,
                            "already_present": 0,
                            "duplicates": 0,
                            "rejected": 0,
                        }
                    ],
                    "rejected": [],
                    "duplicates": [],
                    "imported": 201,
                    "already_present": 0,
                    "enterprises_registered": 201,
                    "events_written": 1007,
                    "position": 1007,
                    "written": True,
                }
            ]
        }
    )

    counts: list[ImportCountPublic]
    rejected: list[RowNotImported]
    duplicates: list[RowNotImported]
    imported: int
    already_present: int
    enterprises_registered: int
    events_written: int
    position: int
    written: bool

    @classmethod
    def of(cls, report: ImportReport) -> ImportReportPublic:
        return cls(
            counts=[
                ImportCountPublic(
                    file=count.file,
                    batch_year=count.batch_year,
                    batch_label=batch_label(count.batch_year)
                    if count.batch_year is not None
                    else None,
                    category=count.category,
                    rows=count.rows,
                    imported=count.imported,
                    already_present=count.already_present,
                    duplicates=count.duplicates,
                    rejected=count.rejected,
                )
                for count in report.counts
            ],
            rejected=[
                RowNotImported(file=r.file, line=r.line, reason=r.reason) for r in report.rejected
            ],
            duplicates=[
                RowNotImported(file=d.file, line=d.line, reason=d.reason) for d in report.duplicates
            ],
            imported=report.imported,
            already_present=report.already_present,
            enterprises_registered=report.enterprises_registered,
            events_written=report.events_written,
            position=report.position,
            written=report.written,
        )


class RowRefusalPublic(BaseModel):
    line: int
    reason_zh: str
    reason_en: str


class ProvincialImportPublic(BaseModel):
    """What an import of a province's list did (ADR 0143); a second import writes nothing."""

    listed: int = Field(description="Units listed by this import's publication.")
    already_listed: int = Field(description="Rows whose unit was on the list already.")
    stars_rated: int = Field(description="Star ratings recorded (an unchanged one is not).")
    refused: list[RowRefusalPublic] = Field(description="Rows not imported, with line and why.")
    position: int | None
    written: bool
