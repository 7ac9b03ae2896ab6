"""Enterprises (申报主体): register, rename, credit code, credit incidents; their history and
whether they may apply (the negative list).

A province writes for enterprises of its own region, the ministry for all; retracting an incident
(a correction of the credit record) is the ministry's.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from api.http.deps import (
    CommandDep,
    LedgerDep,
    MinistryDep,
    ReaderDep,
    ReadingDep,
    WriterDep,
    ensure_region,
)
from api.http.errors import findings_public
from api.http.middleware import POSITION
from api.http.parameters import KnownAt
from api.http.responses import command_responses, query_responses
from api.http.schemas.common import CommandReceipt, Day
from api.http.schemas.enterprises import (
    CreditCodeAssignment,
    EnterpriseCreate,
    EnterpriseRename,
    IncidentCreate,
    IncidentEnd,
    IncidentRetraction,
    RectificationCompletion,
)
from api.http.schemas.reads import EligibilityPublic, HistoryPublic
from domain.errors import EnterpriseNotFoundError
from readside.queries import History, list_enterprise_history

router = APIRouter(prefix="/v1/enterprises", tags=["enterprises 企业"])


@router.post(
    "",
    status_code=201,
    response_model=CommandReceipt,
    responses=command_responses(already_recorded=True),
    summary="登记企业 Register an enterprise",
)
def register_enterprise(
    body: EnterpriseCreate, principal: WriterDep, command: CommandDep, ledger: LedgerDep
) -> JSONResponse:
    """Enterprise.Registered. Idempotent on the credit code, or on region + name: registering a
    known enterprise again answers 200 with its id and writes nothing. Province (own region),
    ministry."""
    ensure_region(principal, body.region, "the enterprise")
    return command.run(
        body,
        lambda p: ledger.register_enterprise(
            name=body.name,
            region=body.region,
            uscc=body.uscc,
            industry=body.industry,
            provenance=p,
        ),
        creates=True,
    )


@router.post(
    "/{enterprise_id}/name",
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="企业更名 Rename an enterprise",
)
def rename_enterprise(
    enterprise_id: UUID,
    body: EnterpriseRename,
    principal: WriterDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Enterprise.Renamed (the same name again writes nothing). Province (own region),
    ministry."""
    ensure_region(principal, ledger.get_enterprise(enterprise_id).region, "the enterprise")
    return command.run(
        body, lambda p: ledger.rename_enterprise(enterprise_id, name=body.name, provenance=p)
    )


@router.post(
    "/{enterprise_id}/credit-code",
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="补录统一社会信用代码 Assign the credit code",
)
def assign_credit_code(
    enterprise_id: UUID,
    body: CreditCodeAssignment,
    principal: WriterDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Enterprise.CreditCodeAssigned: the credit code of an enterprise registered without one
    (the published lists carry none). Province (own region), ministry. An extension of api.md."""
    ensure_region(principal, ledger.get_enterprise(enterprise_id).region, "the enterprise")
    return command.run(
        body, lambda p: ledger.assign_credit_code(enterprise_id, uscc=body.uscc, provenance=p)
    )


@router.post(
    "/{enterprise_id}/incidents",
    status_code=201,
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="记录信用事件 Record a credit incident",
)
def record_incident(
    enterprise_id: UUID,
    body: IncidentCreate,
    principal: WriterDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Enterprise.CreditIncidentRecorded; the receipt's `id` is the incident's. From 13号 on
    (2024-01-19) a 重大 or graver accident removes the enterprise's active listings at once, in the
    same atomic write, citing DYN-3 and DYN-4; any other incident flags them — a reported accident
    or tax evasion as a ground for removal (DYN-3). Province (own region), ministry."""
    ensure_region(principal, ledger.get_enterprise(enterprise_id).region, "the enterprise")
    return command.run(
        body,
        lambda p: ledger.record_incident(
            enterprise_id,
            kind=body.kind,
            grade=body.grade,
            occurred_on=body.occurred_on,
            source=body.source,
            reference=body.reference.to_domain(),
            provenance=p,
        ),
        creates=True,
    )


@router.post(
    "/{enterprise_id}/incidents/{incident_id}/retraction",
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="撤销信用事件 Retract a credit incident",
)
def retract_incident(
    enterprise_id: UUID,
    incident_id: UUID,
    body: IncidentRetraction,
    principal: MinistryDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Enterprise.CreditIncidentRetracted: a correction, the incident no longer counts. Ministry."""
    return command.run(
        body,
        lambda p: ledger.retract_incident(
            enterprise_id, incident_id, reason=body.reason, provenance=p
        ),
    )


@router.post(
    "/{enterprise_id}/incidents/{incident_id}/rectification",
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="整改完成 Rectification completed",
)
def complete_rectification(
    enterprise_id: UUID,
    incident_id: UUID,
    body: RectificationCompletion,
    principal: WriterDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Enterprise.RectificationCompleted: the rectification the incident required is done; it ends
    NEG-5's state (the energy-saving rectification list), which bars three years more. Province
    (own region), ministry. An extension of api.md."""
    ensure_region(principal, ledger.get_enterprise(enterprise_id).region, "the enterprise")
    return command.run(
        body,
        lambda p: ledger.complete_rectification(enterprise_id, incident_id, provenance=p),
    )


@router.post(
    "/{enterprise_id}/incidents/{incident_id}/end",
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="持续状态结束 End a continuing condition",
)
def end_incident(
    enterprise_id: UUID,
    incident_id: UUID,
    body: IncidentEnd,
    principal: WriterDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Enterprise.CreditIncidentEnded: a continuing condition (dishonest debtor, not operating,
    energy-saving rectification outstanding) stopped on `ended_on`; the negative list bars while
    it lasted and three years from its end. Province (own region), ministry."""
    ensure_region(principal, ledger.get_enterprise(enterprise_id).region, "the enterprise")
    return command.run(
        body,
        lambda p: ledger.end_incident(
            enterprise_id, incident_id, ended_on=body.ended_on, provenance=p
        ),
    )


# -- queries ---------------------------------------------------------------------------------------


@router.get(
    "/{enterprise_id}/history",
    response_model=HistoryPublic,
    responses=query_responses(401, 403, 404),
    summary="企业时间线 An enterprise's history",
)
def read_enterprise_history(
    enterprise_id: UUID, principal: ReaderDep, reading: ReadingDep
) -> History:
    """Every event of the enterprise and of its listings, in order. Ministry, provinces,
    auditor."""
    answer = list_enterprise_history(reading.read_side.views, enterprise_id)
    if not answer.entries:
        raise EnterpriseNotFoundError(enterprise_id)
    return reading.answer(answer)


@router.get(
    "/{enterprise_id}/eligibility",
    response_model=EligibilityPublic,
    responses=query_responses(401, 403, 404),
    summary="能否申报 Whether it may apply",
)
def read_eligibility(
    enterprise_id: UUID,
    principal: ReaderDep,
    ledger: LedgerDep,
    request: Request,
    on: Annotated[Day | None, Query(description="Default: today in China.")] = None,
    known_at: KnownAt = None,
) -> EligibilityPublic:
    """Whether the enterprise may be nominated on `on`, on the facts recorded by `known_at`:
    every negative-list finding with its rule, the events it rests on and `barred_until`.
    Ministry, provinces, auditor."""
    position = ledger.position
    answer = ledger.eligibility(enterprise_id, on or ledger.today(), known_at)
    setattr(request.state, POSITION, position)
    return EligibilityPublic(
        enterprise_id=answer.enterprise_id,
        on=answer.on,
        eligible=answer.eligible,
        rulebook=answer.rulebook,
        known_at=answer.known_at,
        findings=findings_public(answer.findings),
        position=position,
    )
