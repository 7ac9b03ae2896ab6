"""Assessors (第三方评价机构): the ministry registers and blacklists them (EVAL-2, EVAL-3); an
assessor reports its own evaluations (EVAL-1, counted against EVAL-4) and reads its workload."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from api.http.deps import (
    AnyRoleDep,
    AssessorDep,
    CommandDep,
    LedgerDep,
    MinistryDep,
    ReadingDep,
    ensure_own_assessor,
)
from api.http.errors import PermissionDeniedError
from api.http.openapi.responses import command_responses, query_responses
from api.http.schemas.assessors import (
    AssessorCreate,
    Blacklisting,
    BlacklistLifting,
    EvaluationReport,
    WorkReportCreate,
)
from api.http.schemas.common import BatchYear, CommandBody, CommandReceipt, Day
from api.http.schemas.reads import CitationsPublic, PassRatesPublic, WorkloadPublic
from readside.assessors.pass_rates import PassRates, list_pass_rates
from readside.assessors.queries import AssessorWorkload, get_assessor_workload

router = APIRouter(prefix="/v1/assessors", tags=["assessors 评价机构"])
evaluations_router = APIRouter(prefix="/v1/evaluations", tags=["assessors 评价机构"])


@router.post(
    "",
    status_code=201,
    response_model=CommandReceipt,
    responses=command_responses(already_recorded=True),
    summary="登记评价机构 Register an assessor",
)
def register_assessor(
    body: AssessorCreate, principal: MinistryDep, command: CommandDep, ledger: LedgerDep
) -> JSONResponse:
    """Assessor.Registered; the same credit code again answers 200 and writes nothing. Ministry."""
    return command.run(
        body,
        lambda p: ledger.register_assessor(
            name=body.name,
            uscc=body.uscc,
            group=body.group,
            senior_staff=body.senior_staff,
            intermediate_staff=body.intermediate_staff,
            legal_representative=body.legal_representative,
            provenance=p,
        ),
        creates=True,
    )


@router.post(
    "/{assessor_id}/blacklisting",
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="列入黑名单 Blacklist an assessor",
)
def blacklist_assessor(
    assessor_id: UUID,
    body: Blacklisting,
    principal: MinistryDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Assessor.Blacklisted (EVAL-2): its results are not accepted through `until` (default
    three years). Ministry."""
    return command.run(
        body,
        lambda p: ledger.blacklist_assessor(
            assessor_id, reason=body.reason, until=body.until, provenance=p
        ),
    )


@router.post(
    "/{assessor_id}/blacklisting/lifting",
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="解除黑名单 Lift a blacklisting",
)
def lift_blacklist(
    assessor_id: UUID,
    body: BlacklistLifting,
    principal: MinistryDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Assessor.BlacklistLifted: a correction or an early end. Ministry. An extension of
    api.md."""
    return command.run(
        body, lambda p: ledger.lift_blacklist(assessor_id, reason=body.reason, provenance=p)
    )


@router.post(
    "/{assessor_id}/evaluations",
    status_code=201,
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="报告评价结果 Report an evaluation",
)
def report_evaluation(
    assessor_id: UUID,
    body: EvaluationReport,
    principal: AssessorDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Assessor.EvaluationReported for a nomination it evaluated, counted in the nomination's
    batch against its group's cap (EVAL-4); refused while it is blacklisted (EVAL-2). The
    assessor itself only. An extension of api.md."""
    ensure_own_assessor(principal, assessor_id)
    return command.run(
        body,
        lambda p: ledger.report_evaluation(
            assessor_id,
            listing_id=body.listing_id,
            conclusion=body.conclusion,
            report=body.report.to_domain(),
            provenance=p,
        ),
        creates=True,
    )


@router.post(
    "/{assessor_id}/work-reports",
    status_code=201,
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="报送年度工作报告 File the yearly work report (附件10)",
)
def submit_work_report(
    assessor_id: UUID,
    body: WorkReportCreate,
    principal: AssessorDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Assessor.WorkReportSubmitted (EVAL-5, 工信厅节函〔2022〕235号 附件10): the year's report
    with the evaluations and passes it declares. The assessor itself only. An extension of
    api.md."""
    ensure_own_assessor(principal, assessor_id)
    return command.run(
        body,
        lambda p: ledger.submit_work_report(
            assessor_id,
            report_year=body.report_year,
            report=body.report.to_domain(),
            evaluations=body.evaluations,
            passed=body.passed,
            summary=body.summary,
            provenance=p,
        ),
        creates=True,
    )


@evaluations_router.post(
    "/{evaluation_id}/confirmation",
    response_model=CommandReceipt,
    responses=command_responses(already_recorded=True),
    summary="确认被引用的评价 Confirm an evaluation a province cited",
)
def confirm_evaluation(
    evaluation_id: UUID,
    principal: AssessorDep,
    command: CommandDep,
    ledger: LedgerDep,
    body: CommandBody | None = None,
) -> JSONResponse:
    """Assessor.EvaluationConfirmed and Batch.EvaluationCounted: the assessor confirms an
    evaluation of its own that a province's nomination cited (the nomination answers its id
    among `ids`; the assessor's page lists them). Only confirmed evaluations count toward its cap
    (EVAL-4): refused with 409 when the cap is reached, or while it is blacklisted (EVAL-2).
    Confirmed before, it answers 200 and writes nothing; an evaluation that is not the calling
    assessor's is 404. The assessor itself only (api.md, v1 additions; ADR 0110)."""
    assessor_id = principal.assessor_id
    if assessor_id is None:  # an assessor's token always names its assessor
        raise PermissionDeniedError("an assessor token without its assessor")
    return command.run(
        body,
        lambda p: ledger.confirm_evaluation(assessor_id, evaluation_id, provenance=p),
    )


# -- queries ---------------------------------------------------------------------------------------


@evaluations_router.get(
    "",
    response_model=CitationsPublic,
    responses=query_responses(401, 403, 404),
    summary="待确认的评价 The evaluations awaiting the assessor's confirmation",
)
def read_cited_evaluations(principal: AssessorDep, ledger: LedgerDep) -> dict[str, Any]:
    """The calling assessor's evaluations that provinces cited and it has not confirmed, oldest
    first, each with the id `POST /v1/evaluations/{id}/confirmation` takes. Read from the
    assessor's record itself, as the confirmation will find it (ADR 0110). The assessor only."""
    if principal.assessor_id is None:
        raise PermissionDeniedError("an assessor token without its assessor")
    position = ledger.position
    assessor = ledger.get_assessor(principal.assessor_id)
    cited = sorted(assessor.cited.values(), key=lambda c: (c.cited_on, c.version))
    return {
        "assessor_id": assessor.id,
        "items": [
            {
                "evaluation_id": c.evaluation_id,
                "listing_id": c.listing_id,
                "batch_year": c.batch_year,
                "conclusion": c.conclusion.value,
                "report": {
                    "doc_no": c.report.doc_no,
                    "title": c.report.title,
                    "url": c.report.url,
                    "sha256": c.report.sha256,
                },
                "cited_on": c.cited_on,
                "cited_by": c.cited_by,
            }
            for c in cited
        ],
        "position": position,
    }


@router.get(
    "/pass-rates",
    response_model=PassRatesPublic,
    responses=query_responses(),
    summary="评价通过率 The evaluators' pass rates",
)
def read_pass_rates(
    reading: ReadingDep,
    batch_year: Annotated[BatchYear | None, Query(description="One batch only.")] = None,
    on: Annotated[Day | None, Query(description="Blacklist state on (default: today).")] = None,
) -> PassRates:
    """Each evaluator's evaluations and pass rate (EVAL-4: the ministry publishes them), in one
    batch or in all, with its blacklist state and its latest yearly work report. Anyone."""
    answer = list_pass_rates(reading.read_side.views, batch_year=batch_year, on=on)
    return reading.answer(answer)


@router.get(
    "/{assessor_id}/workload",
    response_model=WorkloadPublic,
    responses=query_responses(401, 403, 404),
    summary="评价工作量 An assessor's workload",
)
def read_workload(
    assessor_id: UUID,
    principal: AnyRoleDep,
    reading: ReadingDep,
    batch_year: Annotated[BatchYear | None, Query(description="One batch only.")] = None,
    on: Annotated[Day | None, Query(description="Blacklist state on (default: today).")] = None,
) -> AssessorWorkload:
    """Evaluations per batch against the group's cap (EVAL-4), pass rate, blacklist state.
    Ministry, provinces, auditor, and the assessor itself."""
    ensure_own_assessor(principal, assessor_id)
    answer = get_assessor_workload(
        reading.read_side.views, assessor_id, batch_year=batch_year, on=on
    )
    return reading.answer(answer)
