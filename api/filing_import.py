"""One upload of the dynamic management tables, read and filed (or previewed): what the API, the
upload page and the CLI share.

The workbook is read (api/filing_workbook.py); its rows are filed by the ledger's own command
(domain/loading/filings.py), as a dry run or for real. Every data row gets one outcome — written
(or would be), unchanged (already recorded: nothing written), empty (no indicator filled in), or
refused with its errors, each naming sheet, row, column and rule, in Chinese and English.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal
from uuid import UUID

from api.filing_workbook import CellError, read_filing_workbook
from api.http.chinese import ledger_message_zh
from domain.errors import (
    EffectiveDateOrderError,
    FilingYearBeforeListingError,
    InvalidInputError,
    LedgerError,
    NotFoundError,
    RuleRefusalError,
    TransitionRefusedError,
    UnknownIndicatorError,
)
from domain.ledger import Ledger
from domain.loading.filings import (
    DuplicateFilingRowError,
    FilingRow,
    ListingCategoryMismatchError,
    ListingOutsideRegionError,
    import_filings,
)
from domain.values import Provenance, Reference, Region

RowOutcomeName = Literal["written", "would_write", "unchanged", "empty", "refused"]


@dataclass(frozen=True)
class RowResult:
    sheet: str
    row: int
    outcome: RowOutcomeName
    listing_id: UUID | None = None
    name: str | None = None
    report_year: int | None = None
    errors: tuple[CellError, ...] = ()


@dataclass
class FilingUpload:
    """What one upload did (or, as a dry run, would do), row by row."""

    dry_run: bool
    sha256: str
    rows: list[RowResult] = field(default_factory=list)
    position: int | None = None

    def count(self, outcome: RowOutcomeName) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def refused(self) -> list[RowResult]:
        return [row for row in self.rows if row.outcome == "refused"]

    @property
    def written(self) -> bool:
        return self.count("written") > 0


def upload_basis(file_name: str, sha256: str) -> Reference:
    """The uploaded workbook as the filings' basis: its name and its SHA-256."""
    title = f"动态管理表批量填报 {file_name}".strip()[:300]
    return Reference(title=title, sha256=sha256)


def file_filings(
    ledger: Ledger,
    content: bytes,
    *,
    region: Region | None,
    provenance: Provenance,
    dry_run: bool,
    progress: Callable[[int, int], None] | None = None,
) -> FilingUpload:
    """Read the workbook and file (or preview) every row; `UnreadableWorkbookError` when the
    file is no workbook of the template's sheets."""
    read = read_filing_workbook(content)
    upload = FilingUpload(dry_run=dry_run, sha256=hashlib.sha256(content).hexdigest())
    report = import_filings(
        ledger,
        read.rows,
        region=region,
        provenance=provenance,
        dry_run=dry_run,
        progress=progress,
    )
    results: dict[tuple[str, int], RowResult] = {}
    for error in read.errors:
        key = (error.sheet, error.row)
        found = results.get(key) or RowResult(error.sheet, error.row, "refused")
        results[key] = RowResult(found.sheet, found.row, "refused", errors=(*found.errors, error))
    for sheet, number in read.empty:
        results[(sheet, number)] = RowResult(sheet, number, "empty")
    for item in report.outcomes:
        filed = item.row
        errors = () if item.error is None else (_cell_error(filed, item.error, read.columns),)
        results[(filed.sheet, filed.row)] = RowResult(
            filed.sheet,
            filed.row,
            item.outcome,
            filed.listing_id,
            item.name,
            filed.report_year,
            errors,
        )
    order = {sheet: index for index, sheet in enumerate(dict.fromkeys(s for s, _ in results))}
    upload.rows = [results[key] for key in sorted(results, key=lambda k: (order[k[0]], k[1]))]
    upload.position = report.position
    return upload


def _cell_error(
    row: FilingRow, error: LedgerError, columns: dict[str, dict[str, str]]
) -> CellError:
    labels = columns.get(row.sheet, {})
    field_name = error.field if isinstance(error, InvalidInputError) else "listing_id"
    if field_name.startswith("indicators."):
        field_name = ".".join(field_name.split(".")[:2])
    column = labels.get(field_name, "—" if field_name == "effective_on" else field_name)
    if isinstance(error, NotFoundError | TransitionRefusedError):
        column = labels.get("listing_id", column)
    return CellError(
        sheet=row.sheet,
        row=row.row,
        column=column,
        rule=_rule(error),
        message_zh=ledger_message_zh(error),
        message_en=error.message,
    )


def _rule(error: LedgerError) -> str:
    """The rule a refusal names: the regulation's, or the import's own check."""
    if isinstance(error, RuleRefusalError):
        return f"{error.rule_id}（{error.citation}）"
    named: list[tuple[type[LedgerError], str]] = [
        (ListingOutsideRegionError, "本地区单位"),
        (ListingCategoryMismatchError, "类别与工作表一致"),
        (DuplicateFilingRowError, "每单位每年度一行"),
        (NotFoundError, "名单编号须为台账中的单位"),
        (TransitionRefusedError, "DYN-1 在名单上的单位填报（工信厅节函〔2022〕235号 二）"),
        (FilingYearBeforeListingError, "DYN-1 报告年度不早于列入年度"),
        (UnknownIndicatorError, "指标目录 indicators.csv 的计量单位"),
        (EffectiveDateOrderError, "生效日期顺序"),
    ]
    for kind, rule in named:
        if isinstance(error, kind):
            return rule
    return "输入"
