"""Assessors (第三方评价机构): the ministry registers and blacklists them (EVAL-2, EVAL-3); an
assessor reports its own evaluations (EVAL-1, counted against EVAL-4) and reads its workload."""

from __future__ import annotations

from typing import Annotated
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
from api.http.responses import command_responses, query_responses
from api.http.schemas.assessors import (
    AssessorCreate,
    Blacklisting,
    BlacklistLifting,
    EvaluationReport,
)
from api.http.schemas.common import BatchYear, CommandReceipt, Day
from api.http.schemas.reads import WorkloadPublic
from readside.queries import AssessorWorkload, get_assessor_workload

router = APIRouter(prefix="/v1/assessors", tags=["assessors 评价机构"])


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


# -- queries ---------------------------------------------------------------------------------------


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
