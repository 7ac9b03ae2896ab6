"""The national side's pages (issue 17): a national round (ADR 0150) — its rulebook and
deadlines (the 31 July of REC-3), the publicity (公示, PUB-1) with its window, nominees and
objections, its publications — and a province's re-benchmark work list (390号, ADR 0152). Read
from the ledger itself, as `GET /v1/batches/{year}` and `GET /v1/rebenchmark/{year}` are.
Readers with a token: the ministry, the provinces (the work list: their own region), the
auditor."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from api.http.auth import Role
from api.http.deps import LedgerDep, reads_query
from api.http.errors import PermissionDeniedError
from api.http.middleware import POSITION
from api.http.routes.filings import region_of
from api.http.routes.national.rebenchmark import rebenchmark_work
from api.web.pages import PageRoute, ViewerDep, render_page
from api.web.session import PageForbiddenError, PageNotFoundError, PageRefusedError
from domain.errors import BatchNotFoundError, NotFoundError
from domain.ledger import Ledger
from domain.values import Level, batch_label

router = APIRouter(route_class=PageRoute, include_in_schema=False)

READERS = (Role.MINISTRY, Role.PROVINCE, Role.AUDITOR)


@router.get("/batches/{year}", response_class=HTMLResponse)
def batch_page(year: str, request: Request, viewer: ViewerDep, ledger: LedgerDep) -> Response:
    """推荐批次: a national round, its publicity and objections, its publications."""
    viewer.require(*READERS)
    if not (year.isdigit() and 1 <= int(year) <= 2099):
        refused = PageRefusedError(f"“{year}”不是批次", f"{year!r} is not a round")
        refused.status = 422
        raise refused
    position = ledger.position
    try:
        batch = ledger.get_batch(Level.NATIONAL, int(year))
    except BatchNotFoundError as error:
        raise PageNotFoundError("没有这个批次", "no such round") from error
    setattr(request.state, POSITION, position)
    publicity = batch.publicity
    objections = [o for o in batch.objections if o.version > publicity.version] if publicity else []
    context = {
        "batch": batch,
        "label": batch_label(batch.batch_year),
        "publicity": publicity,
        "objections": objections,
        "names": {o.listing_id: _name(ledger, o.listing_id) for o in objections},
    }
    return render_page(request, viewer, "batch.html", context)


def _name(ledger: Ledger, listing_id: UUID) -> str:
    listing = ledger.get_listing(listing_id)
    return ledger.get_enterprise(listing.enterprise_id).name


@router.get("/rebenchmark", response_class=HTMLResponse)
@reads_query("year", "region")
def rebenchmark_page(request: Request, viewer: ViewerDep, ledger: LedgerDep) -> Response:
    """对标复核: the region's units of the re-benchmark campaign, those not re-benchmarked first,
    then those pending, each linked to its page; the counts per state."""
    principal = viewer.require(*READERS)
    year_text = request.query_params.get("year", "2025").strip()
    if not (year_text.isdigit() and 2025 <= int(year_text) <= 2099):
        refused = PageRefusedError(f"year：“{year_text}”不是年份", f"year: {year_text!r}")
        refused.status = 422
        raise refused
    asked = request.query_params.get("region", "").strip() or None
    try:
        region = asked if principal.region is None else region_of(principal, asked)
    except PermissionDeniedError as error:
        raise PageForbiddenError(error.detail_zh, error.detail) from error
    position = ledger.position
    try:
        work = rebenchmark_work(ledger, int(year_text), region, None, position)
    except NotFoundError as error:
        raise PageNotFoundError(
            "没有这一年的对标复核", "no re-benchmark campaign that year"
        ) from error
    setattr(request.state, POSITION, position)
    return render_page(request, viewer, "rebenchmark.html", {"work": work, "region": region})
