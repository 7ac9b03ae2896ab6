"""The province's year of dynamic management (工信厅节函〔2022〕235号 二, 附件6–9): the review
queue, the dynamic management tables as a workbook — the template to hand out and the upload of the
filled-in file — and the workbooks printed at the year's end (the queue, the year's summary, the
recommendation summary of a round, 附件1).

A province reads and files for its own region; the ministry reads every region's (api.md, v1
additions). The upload is the filing command, once per row (domain/loading/filings.py).
"""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, Response, UploadFile
from fastapi.responses import JSONResponse

from api.filing_import import file_filings, upload_basis
from api.filing_workbook import UnreadableWorkbookError, region_template
from api.http.auth import Principal, Role
from api.http.deps import CommandDep, LedgerDep, ProvinceDep, ReadingDep, require
from api.http.errors import ApiError, PermissionDeniedError
from api.http.idempotency import StoredAnswer
from api.http.responses import command_responses, query_responses
from api.http.schemas.common import BatchYear, RegionCode, ReportYear
from api.http.schemas.filings import FilingQueuePublic, FilingUploadPublic
from api.http.schemas.problems import FieldProblem, Problem
from api.printing import Language
from api.reports import nominations_workbook, queue_workbook, report_file_name, summary_workbook
from domain.values import Category, Level, Provenance, Region
from readside.listings.nominations import list_round_nominations
from readside.listings.queue import (
    EVERY_STATE,
    QUEUE_STATES,
    QueueState,
    default_report_year,
    list_filing_queue,
)

router = APIRouter(tags=["dynamic management 动态管理"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
QueueReaderDep = Annotated[Principal, Depends(require(Role.MINISTRY, Role.PROVINCE))]
ReportReaderDep = Annotated[Principal, Depends(require(Role.MINISTRY, Role.PROVINCE, Role.AUDITOR))]
RegionQuery = Annotated[
    RegionCode | None,
    Query(description="Six-digit region code; a province's own by default (and only)."),
]
YearQuery = Annotated[ReportYear | None, Query(description="The report year (default: last year).")]
LanguageQuery = Annotated[
    Language, Query(description="表头语言 Headers and labels: zh (default) or en.")
]


class UnreadableUploadError(ApiError):
    """Raised when an upload is not a workbook of the dynamic management template."""

    status = 422
    slug = "invalid-input"
    title = "输入有误 Invalid input"

    def problem(self) -> Problem:
        problem = super().problem()
        problem.errors = [
            FieldProblem(field="file", message=self.detail, message_zh=self.detail_zh)
        ]
        return problem


def region_of(principal: Principal, asked: str | None) -> str | None:
    """The region a request reads or files for: a province its own only (403 for another)."""
    if principal.role is not Role.PROVINCE:
        return asked
    own = principal.region.code if principal.region is not None else ""
    if asked is not None and asked != own:
        raise PermissionDeniedError(
            f"province {own} may not read or file for region {asked}",
            f"省级身份（{own}）只能处理本地区，不能处理 {asked}",
        )
    return own


def _xlsx(content: bytes, name: str) -> Response:
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _xlsx_responses() -> dict[int | str, dict[str, object]]:
    return {
        200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}},
        **query_responses(401, 403),
    }


@router.get(
    "/v1/filings",
    response_model=FilingQueuePublic,
    responses=query_responses(401, 403),
    summary="审核队列 The review queue",
)
def read_filing_queue(
    principal: QueueReaderDep,
    reading: ReadingDep,
    region: RegionQuery = None,
    report_year: YearQuery = None,
    state: Annotated[
        list[QueueState] | None,
        Query(description="`submitted`, `reviewed`, `overdue` (repeatable; default all three)."),
    ] = None,
) -> FilingQueuePublic:
    """A region's units whose table for the year was submitted and awaits review, was reviewed,
    or is overdue (the deadline of the rulebook in force passed with nothing filed). Province
    (own region), ministry (every region without `region`)."""
    states = tuple(s for s in state or QUEUE_STATES if s in QUEUE_STATES)
    queue = list_filing_queue(
        reading.read_side.views,
        region=region_of(principal, region),
        report_year=report_year or default_report_year(),
        states=states or QUEUE_STATES,
    )
    return reading.answer(FilingQueuePublic.of(queue))


@router.get(
    "/v1/templates/filings.xlsx",
    response_class=Response,
    responses=_xlsx_responses(),
    summary="动态管理表模板 The dynamic management table template",
)
def read_filing_template(
    principal: QueueReaderDep,
    reading: ReadingDep,
    category: Annotated[
        Category | None, Query(description="One category's sheet (default: all four).")
    ] = None,
    report_year: YearQuery = None,
    region: RegionQuery = None,
) -> Response:
    """附件6–9 as a workbook: one sheet per category, Chinese headers, a column per key
    indicator with its unit beside last year's value, pre-filled with the region's units on the
    list. Province (own region), ministry."""
    year = report_year or default_report_year()
    code = region_of(principal, region)
    content = region_template(
        reading.read_side.views,
        region=Region.of(code) if code else None,
        categories=[category] if category else list(Category),
        report_year=year,
    )
    return _xlsx(content, report_file_name("filing-template", code, year))


@router.post(
    "/v1/imports/filings",
    response_model=FilingUploadPublic,
    status_code=201,
    responses={**command_responses(), 200: {"model": FilingUploadPublic}},
    summary="导入动态管理表 Upload the dynamic management tables",
)
def import_filing_tables(
    file: Annotated[UploadFile, File(description="The filled-in template (.xlsx).")],
    principal: ProvinceDep,
    command: CommandDep,
    ledger: LedgerDep,
    dry_run: Annotated[
        bool, Query(description="Preview every row's outcome and write nothing.")
    ] = False,
) -> JSONResponse:
    """One IndicatorFilingSubmitted per row, as the filing command would write it; every row's
    outcome with its errors (sheet, row, column, rule). A row already recorded is `unchanged`: a
    second upload of the same file writes nothing. 201 when it wrote, 200 otherwise. Province
    (own region)."""
    content = file.file.read()
    region = principal.region
    name = file.filename or "upload.xlsx"
    sha256 = hashlib.sha256(content).hexdigest()

    def run() -> tuple[StoredAnswer, bool]:
        provenance = Provenance(actor=principal.actor, basis=(upload_basis(name, sha256),))
        try:
            upload = file_filings(
                ledger, content, region=region, provenance=provenance, dry_run=dry_run
            )
        except UnreadableWorkbookError as error:
            raise UnreadableUploadError(str(error), error.zh) from error
        public = FilingUploadPublic.of(upload)
        status = 201 if upload.written else 200
        return StoredAnswer(status, public.model_dump(mode="json")), upload.written

    return command.answer_once({"sha256": sha256, "dry_run": dry_run}, run)


# -- the year's printed reports ------------------------------------------------------------------


@router.get(
    "/v1/exports/filings.xlsx",
    response_class=Response,
    responses=_xlsx_responses(),
    summary="导出审核队列 The review queue as a workbook",
)
def export_filing_queue(
    principal: ReportReaderDep,
    reading: ReadingDep,
    region: RegionQuery = None,
    report_year: YearQuery = None,
    state: Annotated[list[QueueState] | None, Query(description="As `GET /v1/filings`.")] = None,
    lang: LanguageQuery = "zh",
) -> Response:
    """The review queue of `GET /v1/filings`, laid out for printing. Province (own region),
    ministry, auditor."""
    states = tuple(s for s in state or QUEUE_STATES if s in QUEUE_STATES) or QUEUE_STATES
    code = region_of(principal, region)
    queue = list_filing_queue(
        reading.read_side.views,
        region=code,
        report_year=report_year or default_report_year(),
        states=states,
    )
    reading.answer(queue)
    return _xlsx(
        queue_workbook(queue, lang), report_file_name("review-queue", code, queue.report_year)
    )


@router.get(
    "/v1/exports/dynamic-management.xlsx",
    response_class=Response,
    responses=_xlsx_responses(),
    summary="动态管理汇总表 The year's dynamic-management summary",
)
def export_dynamic_management(
    principal: ReportReaderDep,
    reading: ReadingDep,
    region: RegionQuery = None,
    report_year: YearQuery = None,
    lang: LanguageQuery = "zh",
) -> Response:
    """Every unit of the region on the list by the year's end with its table's state (filed,
    reviewed with the outcome, overdue, not yet due), laid out for printing. Province (own
    region), ministry, auditor."""
    code = region_of(principal, region)
    queue = list_filing_queue(
        reading.read_side.views,
        region=code,
        report_year=report_year or default_report_year(),
        states=EVERY_STATE,
    )
    reading.answer(queue)
    content = summary_workbook(queue, lang)
    return _xlsx(content, report_file_name("dynamic-management", code, queue.report_year))


@router.get(
    "/v1/exports/nominations.xlsx",
    response_class=Response,
    responses=_xlsx_responses(),
    summary="推荐汇总表 The recommendation summary of a round (附件1)",
)
def export_nominations(
    principal: ReportReaderDep,
    reading: ReadingDep,
    batch_year: Annotated[BatchYear, Query(description="The round (1–5, or its year).")],
    level: Annotated[Level, Query(description="The round's level.")] = Level.NATIONAL,
    region: RegionQuery = None,
    lang: LanguageQuery = "zh",
) -> Response:
    """The units a region nominated in a round, with their credit code, industry, nomination
    date and what became of them, laid out for printing (附件1 推荐汇总表; the annex's columns
    unverified). Province (own region), ministry, auditor."""
    code = region_of(principal, region)
    nominations = list_round_nominations(
        reading.read_side.views, batch_year=batch_year, level=level, region=code
    )
    reading.answer(nominations)
    content = nominations_workbook(nominations, lang)
    return _xlsx(content, report_file_name("nominations", code, batch_year))
