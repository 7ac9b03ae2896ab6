"""The publicity (公示) before the national list (PUB-1, 13号; ADR 0150): the ministry publicises
a national round's nominees for 15 days and records the objections received during them; the
list is then published (`POST /v1/batches/{year}/publication`), a nominee that falls out
rejected with its reason (`rejection_reasons`). Extensions of api.md, listed in
docs/api-extensions.md."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.http.deps import CommandDep, LedgerDep, MinistryDep
from api.http.openapi.responses import command_responses
from api.http.routes.national.schemas import ObjectionCreate, PublicityCreate
from api.http.schemas.common import BatchYear, CommandReceipt

router = APIRouter(prefix="/v1/batches", tags=["batches 批次"])


@router.post(
    "/{year}/publicity",
    status_code=201,
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="拟入选名单公示 Publicise the nominees",
)
def publicise(
    year: BatchYear,
    body: PublicityCreate,
    principal: MinistryDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Batch.Publicised: the national round's nominees publicised for 15 days from
    `effective_on` (PUB-1). Each must be a pending nomination of the round. Ministry."""
    return command.run(
        body,
        lambda p: ledger.publicise_batch(
            batch_year=year,
            announcement=body.announcement.to_domain(),
            nominees=body.nominees,
            provenance=p,
        ),
        creates=True,
    )


@router.post(
    "/{year}/objections",
    status_code=201,
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="记录公示异议 Record an objection",
)
def record_objection(
    year: BatchYear,
    body: ObjectionCreate,
    principal: MinistryDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Batch.ObjectionRecorded: an objection against a publicised nominee, received on
    `effective_on`; outside the publicity, or against a unit not publicised, 409 PUB-1.
    Ministry."""
    return command.run(
        body,
        lambda p: ledger.record_objection(
            batch_year=year,
            listing_id=body.listing_id,
            objection=body.objection,
            objector=body.objector,
            provenance=p,
        ),
        creates=True,
    )
