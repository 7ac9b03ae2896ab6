"""A province's year in the browser (issue 18): the review queue, the dynamic management tables in
bulk (the template, the upload with its preview and commit), the printed reports, and two public
pages — the indicator catalogue and the evaluators' pass rates.

Plain HTML (ADR 0070): the upload is a multipart form; its preview shows every row's outcome with
progress bars, and carries the file (base64, with its SHA-256) to the commit form, so nothing is
kept on the server between the two.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from api.filing_import import FilingUpload, file_filings, upload_basis
from api.filing_workbook import UnreadableWorkbookError, region_template
from api.http.auth import Principal, Role
from api.http.deps import LedgerDep, PageReadSideDep, reads_query
from api.http.errors import PermissionDeniedError
from api.http.idempotency import StoredAnswer
from api.http.middleware import POSITION
from api.http.routes.filings import region_of
from api.http.routes.indicators import catalogue
from api.printing import Language as ExportLanguage
from api.reports import (
    STATE_LABELS,
    nominations_workbook,
    queue_workbook,
    report_file_name,
    summary_workbook,
)
from api.web.commands.handling import page_command
from api.web.commands.same_site import posted_from_this_site
from api.web.pages import PageRoute, ViewerDep, render_page
from api.web.positions import parse_min_position, wait_for_position
from api.web.session import PageForbiddenError, PageRefusedError, Viewer
from api.web.text import Language
from domain.ledger import Ledger
from domain.values import Category, Level, Provenance, Region
from readside.assessors.pass_rates import list_pass_rates
from readside.listings.nominations import list_round_nominations
from readside.listings.queries import list_region_work
from readside.listings.queue import (
    EVERY_STATE,
    QUEUE_STATES,
    default_report_year,
    list_filing_queue,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROVINCE_DESK = (Role.MINISTRY, Role.PROVINCE)
#: Where each waiting unit's form is on its page.
NEXT_FORM = {
    "submitted": "form-review",
    "overdue": "form-filing",
    "nominated": "form-publication",
    "under_assessment": "form-conclusion",
    "removal_proposed": "form-removal",
}


def _refused(zh: str, en: str, status: int = 422) -> PageRefusedError:
    refused = PageRefusedError(zh, en)
    refused.status = status
    return refused


def _year(request: Request, name: str = "report_year") -> int:
    text = request.query_params.get(name, "").strip()
    if not text:
        return default_report_year()
    if not text.isdigit() or not 2000 <= int(text) <= 2099:
        raise _refused(f"{name}：“{text}”应为2000到2099之间的年份", f"{name}: not a year")
    return int(text)


def _region(request: Request, principal: Principal) -> str | None:
    asked = request.query_params.get("region", "").strip() or None
    found = Region.resolve(asked) if asked is not None else None
    if asked is not None and found is None:
        raise _refused(f"region：“{asked}”不是37个报送地区之一", f"region: {asked!r} unknown")
    code = found.code if found is not None else None
    try:
        return region_of(principal, code)
    except PermissionDeniedError as error:
        raise PageForbiddenError(error.detail_zh, error.detail) from error


def _language(viewer: Viewer) -> ExportLanguage:
    return "en" if viewer.language is Language.EN else "zh"


# -- the review queue ------------------------------------------------------------------------------


@router.get("/queue", response_class=HTMLResponse)
@reads_query("region", "report_year", "min_position")
def queue_page(request: Request, viewer: ViewerDep, read_side: PageReadSideDep) -> Response:
    """审核队列: the region's filings awaiting review, its overdue units and the units awaiting a
    decision, each one click from its form; the year's workbooks to download."""
    principal = viewer.require(*PROVINCE_DESK)
    wait_for_position(read_side, parse_min_position(request.query_params.get("min_position")))
    region, year = _region(request, principal), _year(request)
    queue = list_filing_queue(read_side.views, region=region, report_year=year, states=QUEUE_STATES)
    work = list_region_work(read_side.views, region)
    setattr(request.state, POSITION, queue.position)
    query = f"region={region or ''}&report_year={year}"
    context: dict[str, Any] = {
        "queue": queue,
        "region": region,
        "year": year,
        "awaiting": work.awaiting,
        "next_form": NEXT_FORM,
        "state_labels": STATE_LABELS,
        "query": query,
        "regions": [(r.code, viewer.words.region(r.code)) for r in Region.all()],
    }
    return render_page(request, viewer, "queue.html", context)


def _download(content: bytes, name: str) -> Response:
    return Response(
        content, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get("/queue.xlsx")
@reads_query("region", "report_year")
def queue_download(request: Request, viewer: ViewerDep, read_side: PageReadSideDep) -> Response:
    """The queue as a workbook laid out for printing."""
    principal = viewer.require(*PROVINCE_DESK)
    region, year = _region(request, principal), _year(request)
    queue = list_filing_queue(read_side.views, region=region, report_year=year, states=QUEUE_STATES)
    content = queue_workbook(queue, _language(viewer))
    return _download(content, report_file_name("review-queue", region, year))


@router.get("/queue/summary.xlsx")
@reads_query("region", "report_year")
def summary_download(request: Request, viewer: ViewerDep, read_side: PageReadSideDep) -> Response:
    """The year's dynamic-management summary of the region, for printing."""
    principal = viewer.require(*PROVINCE_DESK)
    region, year = _region(request, principal), _year(request)
    queue = list_filing_queue(read_side.views, region=region, report_year=year, states=EVERY_STATE)
    content = summary_workbook(queue, _language(viewer))
    return _download(content, report_file_name("dynamic-management", region, year))


@router.get("/queue/nominations.xlsx")
@reads_query("region", "batch_year")
def nominations_download(
    request: Request, viewer: ViewerDep, read_side: PageReadSideDep
) -> Response:
    """The recommendation summary (推荐汇总表, 附件1) of a national round, for printing."""
    principal = viewer.require(*PROVINCE_DESK)
    region, year = _region(request, principal), _year(request, "batch_year")
    nominations = list_round_nominations(
        read_side.views, batch_year=year, level=Level.NATIONAL, region=region
    )
    content = nominations_workbook(nominations, _language(viewer))
    return _download(content, report_file_name("nominations", region, year))


@router.get("/filings/template.xlsx")
@reads_query("region", "report_year", "category")
def template_download(request: Request, viewer: ViewerDep, read_side: PageReadSideDep) -> Response:
    """The dynamic management tables to fill in (附件6–9), pre-filled with the region's units."""
    principal = viewer.require(*PROVINCE_DESK)
    region, year = _region(request, principal), _year(request)
    wanted = request.query_params.get("category", "").strip()
    categories = [c for c in Category if wanted in ("", c.value)]
    if not categories:
        raise _refused(f"category：“{wanted}”不是类别代码", f"category: {wanted!r} unknown")
    content = region_template(
        read_side.views,
        region=Region.of(region) if region else None,
        categories=categories,
        report_year=year,
    )
    return _download(content, report_file_name("filing-template", region, year))


# -- the upload ----------------------------------------------------------------------------------


@router.get("/filings/upload", response_class=HTMLResponse)
def upload_page(request: Request, viewer: ViewerDep) -> Response:
    """The upload form of the dynamic management tables."""
    viewer.require(Role.PROVINCE)
    return render_page(request, viewer, "upload.html", {"upload": None, "year": _year(request)})


def _file_tables(
    request: Request,
    principal: Principal,
    ledger: Ledger,
    content: bytes,
    name: str,
    dry_run: bool,
    key: str | None,
) -> FilingUpload:
    """The upload through the API's Command: the gate, the key; the answer's position is what
    the links of the committed page wait for (`min_position`, ADR 0130)."""
    sha256 = hashlib.sha256(content).hexdigest()
    provenance = Provenance(actor=principal.actor, basis=(upload_basis(name, sha256),))
    result: list[FilingUpload] = []

    def run() -> tuple[StoredAnswer, bool]:
        upload = file_filings(
            ledger, content, region=principal.region, provenance=provenance, dry_run=dry_run
        )
        result.append(upload)
        return StoredAnswer(200, {"position": upload.position or ledger.position}), upload.written

    command = page_command(request, principal, ledger, {"idempotency_key": key or ""})
    answer = command.answer_once({"sha256": sha256, "dry_run": dry_run}, run)
    if not result:  # the key answered before: the same file was committed already
        position = json.loads(bytes(answer.body)).get("position")
        return FilingUpload(dry_run=dry_run, sha256=sha256, position=position)
    return result[0]


async def _posted(request: Request) -> tuple[dict[str, str], tuple[str, bytes] | None]:
    """The posted fields, and the uploaded file's name and content (the form closed after)."""
    if not posted_from_this_site(request.headers):
        raise PageForbiddenError("表单须从本站页面提交。", "A form must be posted from this site.")
    limit = request.app.state.settings.max_body_bytes
    async with request.form(max_part_size=limit) as posted:
        fields = {name: value for name, value in posted.items() if isinstance(value, str)}
        upload = posted.get("file")
        if upload is None or isinstance(upload, str) or not upload.filename:
            return fields, None
        return fields, (upload.filename, await upload.read())


def _render_upload(
    request: Request, viewer: Viewer, upload: FilingUpload | None, **more: Any
) -> HTMLResponse:
    status = 200 if upload is not None or not more.get("error") else 422
    context = {"upload": upload, "year": default_report_year(), **more}
    return render_page(request, viewer, "upload.html", context, status)


@router.post("/filings/upload", response_class=HTMLResponse)
async def upload_preview(request: Request, viewer: ViewerDep, ledger: LedgerDep) -> Response:
    """Read the uploaded tables and preview every row's outcome (nothing is written)."""
    principal = viewer.require(Role.PROVINCE)
    _, uploaded = await _posted(request)
    if uploaded is None:
        return _render_upload(request, viewer, None, error=("请选择要上传的文件", "choose a file"))
    name, content = uploaded
    try:
        upload = await run_in_threadpool(
            _file_tables, request, principal, ledger, content, name, True, None
        )
    except UnreadableWorkbookError as error:
        return _render_upload(request, viewer, None, error=(error.zh, str(error)))
    return _render_upload(
        request, viewer, upload, content=base64.b64encode(content).decode(), file_name=name
    )


@router.post("/filings/upload/commit", response_class=HTMLResponse)
async def upload_commit(request: Request, viewer: ViewerDep, ledger: LedgerDep) -> Response:
    """File the previewed tables: the good rows written, the refused ones listed."""
    principal = viewer.require(Role.PROVINCE)
    posted, _ = await _posted(request)
    try:
        content = base64.b64decode(str(posted.get("content", "")), validate=True)
    except binascii.Error:
        content = b""
    if hashlib.sha256(content).hexdigest() != posted.get("sha256"):
        return _render_upload(
            request, viewer, None, error=("上传内容不完整，请重新上传", "the upload is incomplete")
        )
    name = str(posted.get("file_name", "upload.xlsx"))
    key = str(posted.get("idempotency_key", "")) or None
    upload = await run_in_threadpool(
        _file_tables, request, principal, ledger, content, name, False, key
    )
    return _render_upload(request, viewer, upload, committed=True)


# -- public pages ------------------------------------------------------------------------------


@router.get("/indicators", response_class=HTMLResponse)
def indicators_page(request: Request, viewer: ViewerDep) -> Response:
    """指标目录: the key indicators of each category's table, with their units."""
    sections = [(category, catalogue(category)) for category in Category]
    return render_page(request, viewer, "indicators.html", {"sections": sections})


@router.get("/assessors/pass-rates", response_class=HTMLResponse)
@reads_query("batch_year")
def pass_rates_page(request: Request, viewer: ViewerDep, read_side: PageReadSideDep) -> Response:
    """评价机构通过率: each evaluator's evaluations and pass rate, the ministry's publication."""
    text = request.query_params.get("batch_year", "").strip()
    if text and not (text.isdigit() and 1 <= int(text) <= 2099):
        raise _refused(f"batch_year：“{text}”不是批次", f"batch_year: {text!r} is not a batch")
    rates = list_pass_rates(read_side.views, batch_year=int(text) if text else None)
    setattr(request.state, POSITION, rates.position)
    return render_page(request, viewer, "pass_rates.html", {"rates": rates, "batch_year": text})
