"""The auditor's desk (issue 21): start a stored report, watch it run, read and filter it, open a
decision, download the audit file. Plain forms and links, no script (ADR 0070): a running report's
page reloads itself every two seconds with a `<meta http-equiv="refresh">`.

The same rules as the API: the auditor starts reports; the ministry may read them (ADR 0015).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Form, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse

from api.http.auth import Role
from api.http.deps import SealDep, SigningKeyDep, WriteGateDep, reads_query
from api.http.routes.audit import AuditDeskDep, ReportStoreDep, workbook_response
from api.http.schemas.audit import citation_of
from api.web.forms import FieldError, parse_day
from api.web.pages import PageRoute, ViewerDep, _render
from api.web.session import PageRefusedError, Viewer
from api.web.text import Language
from audit.reports import DecisionFilter, ReportParameters
from audit.workbook import audit_file
from domain.auditing import KIND_LABELS, Outcome
from domain.errors import InvalidInputError
from domain.rules import RULEBOOKS
from domain.rules.catalogue import RULES
from domain.values import Region

router = APIRouter(route_class=PageRoute, include_in_schema=False)

READERS = (Role.AUDITOR, Role.MINISTRY)
FILTERS = ("outcome", "rule", "region", "decision", "from", "to", "page_size")
PAGE_SIZES = (20, 50, 100, 200)


@dataclass
class StartForm:
    """The desk's form as typed, what it means, and what could not be read."""

    raw: dict[str, str]
    parameters: ReportParameters | None = None
    errors: list[FieldError] = field(default_factory=list)


def _choices(viewer: Viewer) -> dict[str, Any]:
    words = viewer.words
    zh = viewer.language is Language.ZH
    return {
        "regions": [(region.code, words.region(region.code)) for region in Region.all()],
        "rulebooks": [
            (
                r.version,
                words.t("audit.rulebook.what_if", version=r.version, instrument=r.instrument),
            )
            for r in RULEBOOKS
        ],
        "outcomes": [(o.value, words.t(f"audit.outcome.{o.value}")) for o in Outcome],
        "kinds": [(code, zh_en[0] if zh else zh_en[1]) for code, zh_en in KIND_LABELS.items()],
        "rules": list(RULES),
        "page_sizes": PAGE_SIZES,
    }


def _desk(
    request: Request, viewer: Viewer, store: Any, form: StartForm, status: int = 200
) -> Response:
    reports = store.list_reports()
    return _render(
        request,
        viewer,
        "audit.html",
        {
            "reports": reports,
            "form": form,
            "can_start": viewer.role is Role.AUDITOR,
            "field_errors": [
                (e.field, e.message_zh if viewer.language is Language.ZH else e.message_en)
                for e in form.errors
            ],
            **_choices(viewer),
        },
        status,
    )


@router.get("/audit", response_class=HTMLResponse)
def audit_desk_page(request: Request, viewer: ViewerDep, store: ReportStoreDep) -> Response:
    """The desk: the form that starts a report, and the latest reports."""
    viewer.require(*READERS)
    return _desk(request, viewer, store, StartForm(raw={}))


@router.post("/audit/reports", response_class=HTMLResponse)
def start_report_page(
    request: Request,
    viewer: ViewerDep,
    desk: AuditDeskDep,
    store: ReportStoreDep,
    known_at: Annotated[str, Form(max_length=64)] = "",
    from_day: Annotated[str, Form(alias="from", max_length=16)] = "",
    to: Annotated[str, Form(max_length=16)] = "",
    region: Annotated[str, Form(max_length=16)] = "",
    rulebook: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """Start a report and go to its page (or show the form again with what was wrong)."""
    principal = viewer.require(Role.AUDITOR)
    raw = {"known_at": known_at, "from": from_day, "to": to, "region": region}
    form = _read_start(raw | {"rulebook": rulebook})
    if form.parameters is None:
        return _desk(request, viewer, store, form, 422)
    report, _ = desk.start(form.parameters, principal.kind)
    return RedirectResponse(f"/audit/reports/{report.report_id}", status_code=303)


def _read_start(raw: dict[str, str]) -> StartForm:
    form = StartForm(raw={name: value.strip() for name, value in raw.items()})
    values = form.raw
    moment = _instant(form, values["known_at"])
    days = {name: _day(form, name, values[name]) for name in ("from", "to")}
    if form.errors:
        return form
    try:
        form.parameters = ReportParameters(
            known_at=moment,
            from_day=days["from"],
            to_day=days["to"],
            region=values["region"] or None,
            rulebook=values["rulebook"] or None,
        )
    except InvalidInputError as error:
        form.errors.append(FieldError(error.field, error.reason, error.reason))
    return form


def _instant(form: StartForm, text: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        form.errors.append(
            FieldError(
                "known_at",
                f"“{text}”不是带时区的时刻（RFC 3339，如 2024-01-01T00:00:00Z）",
                f"{text!r} is not an instant with a time zone (RFC 3339)",
            )
        )
        return None
    return moment


def _day(form: StartForm, name: str, text: str) -> date | None:
    if not text:
        return None
    try:
        return parse_day(text)
    except ValueError:
        form.errors.append(
            FieldError(name, f"“{text}”不是有效日期（YYYY-MM-DD）", f"{text!r} is not YYYY-MM-DD")
        )
        return None


@router.get("/audit/reports/{report_id}.xlsx")
async def report_workbook_page(
    viewer: ViewerDep,
    store: ReportStoreDep,
    seal: SealDep,
    signing_key: SigningKeyDep,
    gate: WriteGateDep,
    report_id: UUID,
) -> Response:
    """The audit file (the API's workbook)."""
    viewer.require(*READERS)
    made = await run_in_threadpool(
        lambda: audit_file(store, seal, report_id, signing_key=signing_key, gate=gate)
    )
    return workbook_response(made)


@router.get("/audit/reports/{report_id}", response_class=HTMLResponse)
@reads_query(*FILTERS, "page")
def report_page(
    request: Request, viewer: ViewerDep, store: ReportStoreDep, report_id: UUID
) -> Response:
    """A report: its progress while it runs; then its head, counts and decisions, filtered."""
    viewer.require(*READERS)
    report = store.get(report_id)
    raw = {name: request.query_params.get(name, "").strip() for name in (*FILTERS, "page")}
    chosen = _filter(raw)
    page = store.decisions(report_id, chosen) if report.done else None
    return _render(
        request,
        viewer,
        "audit_report.html",
        {
            "report": report,
            "page": page,
            "raw": raw,
            "query": lambda **changes: urlencode(
                {k: v for k, v in {**raw, **changes}.items() if v}
            ),
            **_choices(viewer),
        },
    )


def _filter(raw: dict[str, str]) -> DecisionFilter:
    def number(name: str, default: int) -> int:
        text = raw[name]
        if not text:
            return default
        if not text.isdigit():
            raise InvalidInputError(name, f"{text!r} is not a whole number")
        return int(text)

    def day(name: str) -> date | None:
        if not raw[name]:
            return None
        try:
            return parse_day(raw[name])
        except ValueError:
            refused = PageRefusedError(
                f"{name}：“{raw[name]}”不是有效日期（YYYY-MM-DD）",
                f"{name}: {raw[name]!r} is not a date (YYYY-MM-DD)",
            )
            refused.status = 422
            raise refused from None

    return DecisionFilter(
        outcome=raw["outcome"] or None,
        rule=raw["rule"] or None,
        region=raw["region"] or None,
        kind=raw["decision"] or None,
        from_day=day("from"),
        to_day=day("to"),
        page=number("page", 1),
        page_size=number("page_size", 50),
    )


@router.get("/audit/reports/{report_id}/decisions/{seq}", response_class=HTMLResponse)
def decision_page(
    request: Request, viewer: ViewerDep, store: ReportStoreDep, report_id: UUID, seq: int
) -> Response:
    """One decision: recorded and re-derived findings side by side, the events they rest on."""
    viewer.require(*READERS)
    report = store.get(report_id)
    row = store.decision(report_id, seq)
    return _render(
        request,
        viewer,
        "audit_decision.html",
        {"report": report, "row": row, "kinds": KIND_LABELS, "cite": citation_of},
    )
