"""The posts of the command forms: on a unit's page (the province, the ministry) and on an
assessor's own page. A success redirects (303) to the page at the command's position; a refusal
shows the page again, the form open, every message beside its field (422, or 409 for a rule or
the record's state)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse

from api.http.auth import Principal, Role
from api.http.deps import LedgerDep, PageReadSideDep, reads_query
from api.web.commands.assessors import ASSESSOR_FORMS, pending_citations
from api.web.commands.form import CommandForm, Subject
from api.web.commands.handling import WHOLE_FORM, FormState, offered, raw_fields, submit
from api.web.commands.same_site import posted_from_this_site
from api.web.commands.units import (
    ASSESSOR_FORMS_BY_NAME,
    UNIT_FORMS_BY_NAME,
    unit_subject,
    writes_for,
)
from api.web.pages import PageRoute, ViewerDep, parse_listing_id, render_page, render_unit
from api.web.positions import parse_min_position, wait_for_position
from api.web.session import PageForbiddenError, PageNotFoundError, PageRefusedError, Viewer
from domain.ledger import Ledger
from readside.assessors.queries import get_assessor_workload

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _checked(
    request: Request, viewer: Viewer, forms: dict[str, CommandForm], name: str
) -> tuple[Principal, CommandForm]:
    principal = viewer.require(Role.MINISTRY, Role.PROVINCE, Role.ASSESSOR)
    if not posted_from_this_site(request.headers):
        raise PageForbiddenError(
            "表单须从本站页面提交（跨站请求已拒绝）。",
            "A form must be posted from a page of this site (cross-site request refused).",
        )
    form = forms.get(name)
    if form is None:
        raise PageNotFoundError("没有这个表单。", "There is no such form.")
    if principal.role not in form.roles:
        raise PageForbiddenError(
            f"“{principal.role.label_zh if principal.role else ''}”身份不能{form.zh}。",
            f"A {principal.kind} may not {form.en.lower()}.",
        )
    return principal, form


def _not_offered(form: CommandForm) -> PageRefusedError:
    refused = PageRefusedError(
        f"该单位当前状态下不能{form.zh}。", f"{form.en} is not possible in the unit's state."
    )
    refused.status = 409
    return refused


def _status(state: FormState) -> int:
    return 409 if set(state.errors) == {WHOLE_FORM} else 422


@router.post("/units/{listing_id}/commands/{name}", response_class=HTMLResponse)
async def unit_command(
    request: Request,
    listing_id: str,
    name: str,
    viewer: ViewerDep,
    read_side: PageReadSideDep,
    ledger: LedgerDep,
) -> Response:
    """A command form of a unit's page, posted."""
    principal, form = _checked(request, viewer, UNIT_FORMS_BY_NAME, name)
    ident = parse_listing_id(listing_id)
    subject = await run_in_threadpool(unit_subject, ledger, principal, ident)
    if not writes_for(principal, subject):
        raise PageForbiddenError(
            "省级身份只能为本地区的单位办理。", "A province acts for its own region's units only."
        )
    if not form.offered(subject):
        raise _not_offered(form)
    async with request.form() as posted:
        raw = raw_fields(posted)
    done = await run_in_threadpool(submit, request, principal, form, subject, raw)
    if done.state is None:
        target = f"/units/{ident}?min_position={done.position}&done={form.name}#commands"
        return RedirectResponse(target, status_code=303)
    return await run_in_threadpool(
        render_unit,
        request,
        viewer,
        read_side,
        ledger,
        ident,
        None,
        done.state,
        _status(done.state),
    )


# -- an assessor's page ----------------------------------------------------------------------------


def _assessor_page(
    request: Request,
    viewer: Viewer,
    read_side: PageReadSideDep,
    ledger: Ledger,
    failed: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    principal = viewer.require(Role.ASSESSOR)
    assessor_id: UUID | None = principal.assessor_id
    if assessor_id is None:
        raise PageForbiddenError("该令牌未绑定评价机构。", "The token names no assessor.")
    subject = Subject(principal, assessor=ledger.get_assessor(assessor_id))
    states = offered(ASSESSOR_FORMS, subject)
    if failed is not None:
        states = [failed if s.form.name == failed.form.name else s for s in states]
    workload = get_assessor_workload(read_side.views, assessor_id)
    context: dict[str, Any] = {
        "workload": workload,
        "cited": pending_citations(subject),
        "forms": states,
        "done": ASSESSOR_FORMS_BY_NAME.get(request.query_params.get("done", ""))
        if failed is None
        else None,
        "action": "/assessor/commands",
    }
    return render_page(request, viewer, "assessor.html", context, status)


@router.get("/assessor", response_class=HTMLResponse)
@reads_query("done")
def assessor_page(
    request: Request,
    viewer: ViewerDep,
    read_side: PageReadSideDep,
    ledger: LedgerDep,
    min_position: str | None = None,
) -> Response:
    """An assessor's own page: its workload against the cap, and its forms (an evaluation's
    report, the yearly work report)."""
    viewer.require(Role.ASSESSOR)
    wait_for_position(read_side, parse_min_position(min_position))
    return _assessor_page(request, viewer, read_side, ledger)


@router.post("/assessor/commands/{name}", response_class=HTMLResponse)
async def assessor_command(
    request: Request,
    name: str,
    viewer: ViewerDep,
    read_side: PageReadSideDep,
    ledger: LedgerDep,
) -> Response:
    """A form of the assessor's page, posted."""
    principal, form = _checked(request, viewer, ASSESSOR_FORMS_BY_NAME, name)
    assert principal.assessor_id is not None
    subject = Subject(principal, assessor=ledger.get_assessor(principal.assessor_id))
    async with request.form() as posted:
        raw = raw_fields(posted)
    done = await run_in_threadpool(submit, request, principal, form, subject, raw)
    if done.state is None:
        target = f"/assessor?min_position={done.position}&done={form.name}#commands"
        return RedirectResponse(target, status_code=303)
    return await run_in_threadpool(
        _assessor_page, request, viewer, read_side, ledger, done.state, _status(done.state)
    )
