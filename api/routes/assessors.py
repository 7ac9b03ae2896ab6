"""Assessors (第三方评价机构): the ministry registers and blacklists them (EVAL-2, EVAL-3); an
assessor reports its own evaluations (EVAL-1, counted against EVAL-4)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import (
    AssessorDep,
    CommandDep,
    LedgerDep,
    MinistryDep,
    ensure_own_assessor,
)
from api.routes.responses import command_responses
from api.schemas.assessors import AssessorCreate, Blacklisting, BlacklistLifting, EvaluationReport
from api.schemas.common import CommandReceipt

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
