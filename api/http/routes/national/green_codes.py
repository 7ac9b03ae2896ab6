"""企业绿码 (13号 第二十二条; ADR 0151): applications, the year's codes computed by the documented
method, grades the ministry assigned elsewhere recorded as facts, and the grades read back."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from api.exports import region_label
from api.http.deps import (
    CommandDep,
    LedgerDep,
    MinistryDep,
    ReaderDep,
    WriterDep,
    ensure_region,
)
from api.http.middleware import POSITION
from api.http.openapi.responses import command_responses, query_responses
from api.http.routes.filings import RegionQuery, region_of
from api.http.routes.national.schemas import (
    GreenCodeApplication,
    GreenCodeAssignment,
    GreenCodeGrade,
    GreenCodePublic,
    GreenCodesPublic,
    GreenCodeWithheldPublic,
)
from api.http.schemas.common import CommandReceipt
from api.http.schemas.reads import ReferencePublic
from api.printing import Column, PrintableSheet, printable_workbook
from domain.ledger import Ledger
from domain.national.commands import (
    assign_green_codes,
    get_green_codes,
    record_green_code,
    record_green_code_application,
)

router = APIRouter(prefix="/v1/green-codes", tags=["green codes 企业绿码"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Grade = Literal["A+", "A", "B"]
ReportYear = Annotated[int, Path(ge=2023, le=2099, description="The report year graded.")]


@router.post(
    "/{report_year}",
    status_code=201,
    response_model=CommandReceipt,
    responses=command_responses(already_recorded=True),
    summary="赋企业绿码 Assign the year's green codes",
)
def assign(
    report_year: ReportYear,
    body: GreenCodeAssignment,
    principal: MinistryDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """GreenCodeAssigned A+ / A / B for every national green factory that applied and filed
    plausible data for the year, ranked by the documented score (its score and rank recorded);
    GreenCodeWithheld, with why, for the other applicants. Once per year (409 after). Ministry."""
    announcement = body.announcement.to_domain() if body.announcement else None
    return command.run(
        body,
        lambda p: assign_green_codes(
            ledger,
            report_year=report_year,
            announcement=announcement,
            method=body.method,
            provenance=p,
        ),
        creates=True,
    )


@router.post(
    "/{report_year}/applications",
    status_code=201,
    response_model=CommandReceipt,
    responses=command_responses(already_recorded=True),
    summary="申请企业绿码 Record an application",
)
def apply(
    report_year: ReportYear,
    body: GreenCodeApplication,
    principal: WriterDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """GreenCodeRound.ApplicationRecorded: a national green factory on the list applied for the
    year's code. Province (own region), ministry."""
    ensure_region(principal, ledger.get_listing(body.listing_id).region, "the listing")
    return command.run(
        body,
        lambda p: record_green_code_application(
            ledger, body.listing_id, report_year=report_year, provenance=p
        ),
        creates=True,
    )


@router.post(
    "/{report_year}/grades",
    status_code=201,
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="记录企业绿码 Record a grade assigned elsewhere",
)
def record_grade(
    report_year: ReportYear,
    body: GreenCodeGrade,
    principal: MinistryDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """GreenCodeAssigned as a fact: the grade the ministry assigned by its own method (no score
    recorded); the latest grade of a unit for a year counts. Ministry."""
    announcement = body.announcement.to_domain() if body.announcement else None
    return command.run(
        body,
        lambda p: record_green_code(
            ledger,
            body.listing_id,
            report_year=report_year,
            grade=body.grade,
            announcement=announcement,
            provenance=p,
        ),
        creates=True,
    )


@router.get(
    "",
    response_model=GreenCodesPublic,
    responses=query_responses(401, 403, 422),
    summary="企业绿码 The grades of a year",
)
def read_green_codes(
    principal: ReaderDep,
    ledger: LedgerDep,
    request: Request,
    report_year: Annotated[int, Query(ge=2023, le=2099)],
    region: RegionQuery = None,
    grade: Annotated[Grade | None, Query(description="Only this code: A+, A or B.")] = None,
) -> GreenCodesPublic:
    """The year's grades with score and rank (none for a grade recorded as assigned elsewhere),
    the applicants withheld a code and why, and the distribution. Read from the ledger itself.
    Ministry, provinces (own region), auditor."""
    code = region if principal.region is None else region_of(principal, region)
    position = ledger.position
    setattr(request.state, POSITION, position)
    codes = green_codes_public(ledger, report_year, code, position)
    if grade is not None:
        codes.items = [i for i in codes.items if i.grade == grade]
    return codes


def green_codes_public(
    ledger: Ledger, report_year: int, region: str | None, position: int
) -> GreenCodesPublic:
    year = get_green_codes(ledger, report_year)
    items: list[GreenCodePublic] = []
    withheld: list[GreenCodeWithheldPublic] = []
    for record in year.grades.values() if year else ():
        listing = ledger.get_listing(record.listing_id)
        if region is not None and listing.region.code != region:
            continue
        items.append(
            GreenCodePublic(
                listing_id=record.listing_id,
                enterprise_id=listing.enterprise_id,
                name=ledger.get_enterprise(listing.enterprise_id).name,
                region=listing.region.code,
                grade=record.grade,
                score=float(record.score) if record.score is not None else None,
                rank=record.rank,
                graded=record.graded,
                method=record.method,
                announcement=ReferencePublic.model_validate(record.announcement)
                if record.announcement
                else None,
            )
        )
    for listing_id, reason in year.withheld.items() if year else ():
        if listing_id in (year.grades if year else {}):
            continue
        if region is not None and ledger.get_listing(listing_id).region.code != region:
            continue
        withheld.append(GreenCodeWithheldPublic(listing_id=listing_id, reason=reason))
    items.sort(key=lambda i: (i.rank or 10**9, i.name))
    return GreenCodesPublic(
        report_year=report_year,
        items=items,
        withheld=withheld,
        distribution=dict(Counter(i.grade for i in items)),
        position=position,
    )


COLUMNS = (
    Column("序号", "No.", "number"),
    Column("单位名称", "Unit"),
    Column("地区", "Region"),
    Column("企业绿码", "Green code"),
    Column("得分", "Score", "number"),
    Column("排名", "Rank", "number"),
    Column("参评数", "Graded", "number"),
    Column("依据", "Basis"),
)


@router.get(
    ".xlsx",
    responses={200: {"content": {XLSX: {}}}, **query_responses(401, 403, 422)},
    summary="企业绿码表 The grades as a workbook",
)
def export_green_codes(
    principal: ReaderDep,
    ledger: LedgerDep,
    report_year: Annotated[int, Query(ge=2023, le=2099)],
    region: RegionQuery = None,
) -> Response:
    """The year's grades as a printable workbook, Chinese headers: unit, region, code, score,
    rank, how many were graded, the method or the announcement. Ministry, provinces (own
    region), auditor."""
    code = region if principal.region is None else region_of(principal, region)
    codes = green_codes_public(ledger, report_year, code, ledger.position)
    rows = [
        (
            n,
            i.name,
            region_label(i.region, "zh"),
            i.grade,
            i.score,
            i.rank,
            i.graded,
            i.method or (i.announcement.doc_no if i.announcement else None) or "部已赋码",
        )
        for n, i in enumerate(codes.items, start=1)
    ]
    title = f"{report_year}年度企业绿码" + (f" · {region_label(code, 'zh')}" if code else "")
    content = printable_workbook([PrintableSheet("企业绿码", title, COLUMNS, rows)])
    name = quote(f"企业绿码-{report_year}{'-' + code if code else ''}.xlsx")
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"},
    )
