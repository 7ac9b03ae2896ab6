"""`/v1/audit`: the auditor's stored replay reports (api.md, "Audit"; ADR 0011, 0015, 0016).

`POST /v1/audit/reports` starts a report in the background — one at a time per ledger — and
answers 202 with its id and `Location`; `GET /v1/audit/reports/{id}` shows its progress, then its
tree head, counts and decisions, paged and filtered; `….xlsx` is the audit file and `…/evidence`
the consistency proof from its head to the latest. `GET /v1/audit/replay` (the first contract's
path) answers from the latest stored report: it no longer replays the ledger on request.
The auditor asks for reports; the ministry may read them.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from api.exports import POSITION_HEADER, XLSX_MEDIA_TYPE
from api.http.auth import Principal, Role
from api.http.deps import AuditorDep, LedgerDep, SealDep, SigningKeyDep, WriteGateDep, require
from api.http.middleware import POSITION
from api.http.openapi.parameters import Page
from api.http.openapi.responses import query_responses
from api.http.schemas.audit import (
    AuditReportPublic,
    EvidencePublic,
    ReportCreate,
    ReportListPublic,
    evidence_public,
    report_public,
)
from api.http.schemas.common import Day, Instant
from api.http.schemas.problems import FindingPublic, problem_responses
from api.http.schemas.reads import MismatchPublic, ReplayPublic
from audit.evidence import evidence_for
from audit.reports import MAX_PAGE_SIZE, DecisionFilter, ReportParameters
from audit.running import AuditDesk
from audit.store import ReportStore
from audit.workbook import AuditFile, audit_file
from domain.errors import NotFoundError

router = APIRouter(prefix="/v1/audit", tags=["audit 审计"])

AuditReaderDep = Annotated[Principal, Depends(require(Role.AUDITOR, Role.MINISTRY))]


async def get_audit_desk(request: Request) -> AuditDesk:
    desk: AuditDesk = request.app.state.audit_desk
    return desk


async def get_report_store(request: Request) -> ReportStore:
    store: ReportStore = request.app.state.audit_store
    return store


AuditDeskDep = Annotated[AuditDesk, Depends(get_audit_desk)]
ReportStoreDep = Annotated[ReportStore, Depends(get_report_store)]

OutcomeFilter = Annotated[
    str | None, Query(description="matches, differs or imported", examples=["differs"])
]
RuleId = Annotated[str | None, Query(max_length=16, description="A rule id, e.g. DYN-3.")]
RegionFilter = Annotated[str | None, Query(max_length=6, description="A region code.")]
DecisionKind = Annotated[
    str | None,
    Query(max_length=32, description="nomination, listing, rejection, filing_review, …"),
]
FromDay = Annotated[Day | None, Query(alias="from", description="Decisions from this date.")]
ToDay = Annotated[Day | None, Query(description="Decisions up to this date.")]
DecisionPageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]


class NoStoredReportError(NotFoundError):
    """Raised when the replay is asked for and no stored report answers it."""

    def __init__(self, parameters: ReportParameters) -> None:
        known = parameters.known_at.isoformat() if parameters.known_at else "everything recorded"
        super().__init__(known)
        self.message = (
            f"尚无已完成的审计报告（已知时点：{known}）：请先 POST /v1/audit/reports 生成；"
            f"no stored audit report (known_at: {known}) answers this: start one with "
            "POST /v1/audit/reports — this path no longer replays the ledger on request"
        )


@router.post(
    "/reports",
    status_code=202,
    response_model=AuditReportPublic,
    responses=problem_responses(400, 401, 403, 409, 413, 422, 500),
    summary="生成审计报告 Start a stored replay report",
)
def start_report(
    principal: AuditorDep, desk: AuditDeskDep, body: ReportCreate, response: Response
) -> AuditReportPublic:
    """Replays in the background; answers at once with the report's id and `Location`. One
    report runs at a time per ledger: asked again with the same parameters while it runs, the
    answer is that report; with others, 409. Auditor."""
    report, _ = desk.start(body.to_parameters(), principal.kind)
    response.headers["Location"] = f"/v1/audit/reports/{report.report_id}"
    return report_public(report)


@router.get(
    "/reports",
    response_model=ReportListPublic,
    responses=query_responses(401, 403),
    summary="审计报告列表 The latest stored reports",
)
def list_reports(principal: AuditReaderDep, store: ReportStoreDep) -> ReportListPublic:
    """The 20 latest reports, newest first, without their decisions. Auditor, ministry."""
    return ReportListPublic(items=[report_public(r) for r in store.list_reports()])


@router.get(
    "/reports/{report_id}.xlsx",
    response_class=Response,
    responses={
        200: {"content": {XLSX_MEDIA_TYPE: {}}, "description": "The audit file."},
        **query_responses(401, 403, 404, 409),
    },
    summary="审计文件 The report as a workbook",
)
async def read_report_workbook(
    principal: AuditReaderDep,
    store: ReportStoreDep,
    seal: SealDep,
    signing_key: SigningKeyDep,
    gate: WriteGateDep,
    report_id: UUID,
) -> Response:
    """Summary, decisions, differences, and the consistency proof from the report's head to the
    latest head. Auditor, ministry."""
    made = await run_in_threadpool(
        lambda: audit_file(store, seal, report_id, signing_key=signing_key, gate=gate)
    )
    return workbook_response(made)


@router.get(
    "/reports/{report_id}",
    response_model=AuditReportPublic,
    responses=query_responses(401, 403, 404),
    summary="审计报告 A stored report: progress, head, counts, decisions",
)
def read_report(
    principal: AuditReaderDep,
    store: ReportStoreDep,
    request: Request,
    report_id: UUID,
    outcome: OutcomeFilter = None,
    rule: RuleId = None,
    region: RegionFilter = None,
    decision: DecisionKind = None,
    from_day: FromDay = None,
    to: ToDay = None,
    page: Page = 1,
    page_size: DecisionPageSize = 50,
) -> AuditReportPublic:
    """While it runs: status and progress. Done: its tree head (signed), counts, and a page of
    its decisions (filterable), each with recorded and re-derived findings side by side and the
    positions of the events they rest on. Auditor, ministry."""
    chosen = DecisionFilter(
        outcome=outcome,
        rule=rule,
        region=region,
        kind=decision,
        from_day=from_day,
        to_day=to,
        page=page,
        page_size=page_size,
    )
    report = store.get(report_id)
    if report.last_position is not None:
        setattr(request.state, POSITION, report.last_position)
    if not report.done:
        return report_public(report)
    return report_public(report, store.decisions(report_id, chosen))


@router.get(
    "/reports/{report_id}/evidence",
    response_model=EvidencePublic,
    responses=query_responses(401, 403, 404, 409),
    summary="一致性证明 From the report's head to the latest",
)
def read_report_evidence(
    principal: AuditReaderDep,
    store: ReportStoreDep,
    seal: SealDep,
    signing_key: SigningKeyDep,
    gate: WriteGateDep,
    report_id: UUID,
) -> EvidencePublic:
    """The report's head, the latest head (signed when the server holds the key), and the
    consistency proof between them, checked. Save the three and run `greenledger verify-proof`.
    Auditor, ministry."""
    report = store.get(report_id).completed()
    return evidence_public(evidence_for(seal, report, signing_key=signing_key, gate=gate))


@router.get(
    "/replay",
    response_model=ReplayPublic,
    responses=query_responses(401, 403, 404),
    summary="重放审计 The latest stored replay (alias)",
)
def read_replay(
    principal: AuditReaderDep,
    store: ReportStoreDep,
    ledger: LedgerDep,
    request: Request,
    known_at: Annotated[
        Instant | None,
        Query(description="The report asked for with this known_at (default: all recorded)."),
    ] = None,
) -> ReplayPublic:
    """The first contract's replay, answered from the latest stored report over the whole
    ledger under the rules in force (with this `known_at`); 404 when there is none: start one
    with `POST /v1/audit/reports`. Auditor, ministry."""
    parameters = ReportParameters(known_at=known_at)
    report = store.latest_done(parameters)
    if report is None:
        raise NoStoredReportError(parameters)
    differing = store.every_decision(report.report_id, DecisionFilter(outcome="differs"))
    setattr(request.state, POSITION, report.last_position or 0)
    return ReplayPublic(
        decisions_checked=report.counts.rederived,
        mismatches=[
            MismatchPublic(
                position=row.position,
                originator_id=row.originator_id,
                version=row.version,
                topic=row.topic,
                recorded=[FindingPublic.model_validate(f) for f in row.recorded],
                rederived=[FindingPublic.model_validate(f) for f in row.rederived or ()],
                recorded_rulebook=row.recorded_rulebook,
                rederived_rulebook=row.rederived_rulebook or "",
                note=row.note,
            )
            for row in differing
        ],
        events_read=report.events_read,
        known_at=report.parameters.known_at,
        position=report.last_position or 0,
        report_id=report.report_id,
        imported=report.counts.imported,
        computed_at=report.finished_at,
        ledger_position=ledger.position,
    )


def workbook_response(made: AuditFile) -> Response:
    """The audit file as a download (the API and the pages alike)."""
    return Response(
        made.content,
        media_type=XLSX_MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{made.file_name}"',
            POSITION_HEADER: str(made.report.last_position or 0),
        },
    )
