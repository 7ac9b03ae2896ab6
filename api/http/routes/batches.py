"""Batches (推荐批次): the ministry opens a recommendation round and publishes its list; anyone
with a reader's token sees a round's rulebook, deadlines, quotas, nominations and publications."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from api.http.auth import Principal, Role
from api.http.deps import CommandDep, LedgerDep, MinistryDep, ReaderDep, WriterDep
from api.http.errors import PermissionDeniedError
from api.http.middleware import POSITION
from api.http.openapi.responses import command_responses, query_responses
from api.http.schemas.batches import BatchCreate, BatchPublication, ParkQuotaExceptionCreate
from api.http.schemas.common import BatchYear, CommandReceipt
from api.http.schemas.reads import (
    BatchPublic,
    ObjectionPublic,
    ParkQuotaExceptionPublic,
    PublicationPublic,
    PublicityPublic,
    ReferencePublic,
)
from domain.batch import Batch
from domain.ledger import RemovalRequest
from domain.tiers.commands import RenameRequest
from domain.values import Level, batch_label

router = APIRouter(prefix="/v1/batches", tags=["batches 批次"])


@router.post(
    "",
    status_code=201,
    response_model=CommandReceipt,
    responses=command_responses(already_recorded=True),
    summary="开启推荐批次 Open a batch",
)
def open_batch(
    body: BatchCreate, principal: WriterDep, command: CommandDep, ledger: LedgerDep
) -> JSONResponse:
    """Batch.Opened under the rulebook in force (or the one named); opening it again with the same
    rulebook answers 200 and writes nothing. The ministry opens national rounds; a province the
    provincial and municipal rounds of its own region (`region` defaults to its own; a
    municipal round names its `city`). ADR 0141."""
    region = list_keeper(principal, body.level, body.region)
    return command.run(
        body,
        lambda p: ledger.open_batch(
            level=body.level,
            batch_year=body.year,
            rulebook=body.rulebook,
            region=region,
            city=body.city,
            provenance=p,
        ),
        creates=True,
    )


@router.post(
    "/{year}/publication",
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="发布名单 Publish a batch",
)
def publish_batch(
    year: BatchYear,
    body: BatchPublication,
    principal: WriterDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Batch.Published: Listed for each of `listed`, Rejected for each of `rejected`, Removed for
    each of `removed`, Renamed for the enterprise of each of `renamed` — atomically, effective on
    the announcement's date. The ministry publishes national rounds; a province its own
    provincial and municipal rounds (`region` defaults to its own). ADR 0141."""
    region = list_keeper(principal, body.level, body.region)
    return command.run(
        body,
        lambda p: ledger.publish_batch(
            level=body.level,
            batch_year=year,
            announcement=body.announcement.to_domain(),
            listed=body.listed,
            rejected=body.rejected,
            removed=[RemovalRequest(r.listing_id, tuple(r.reasons)) for r in body.removed],
            renamed=[RenameRequest(r.listing_id, r.name) for r in body.renamed],
            region=region,
            city=body.city,
            rejection_reasons=body.rejection_reasons,
            provenance=p,
        ),
        effective_on=body.announcement.date,
    )


def list_keeper(principal: Principal, level: Level, region: str | None) -> str | None:
    """Who keeps which list (api.md v1, 13号 第二条): the ministry the national list, a province
    the provincial and municipal lists of its own region — 403 otherwise. The region a province
    names defaults to its own."""
    if principal.role is Role.PROVINCE:
        own = principal.region.code if principal.region else None
        if level is Level.NATIONAL:
            raise PermissionDeniedError("a province may not open or publish the national list")
        if region is not None and region != own:
            raise PermissionDeniedError(
                f"province {own} may not open or publish the lists of region {region}"
            )
        return own
    if level is not Level.NATIONAL:
        raise PermissionDeniedError(
            f"the {level.value} lists are the provinces' own: a ministry token keeps the "
            "national list (api.md v1)"
        )
    return region


@router.post(
    "/{year}/park-quota-exceptions",
    status_code=201,
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="同意超额推荐园区 Grant a park quota exception",
)
def grant_park_quota_exception(
    year: BatchYear,
    body: ParkQuotaExceptionCreate,
    principal: MinistryDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Batch.ParkQuotaExceptionGranted: PARK-2 allows "in principle" (原则上) at most 3 green parks
    per region per year; the ministry lets the region nominate `parks` more in this batch, with
    its reason, which the nominations' PARK-2 finding cites. Ministry. An extension of api.md."""
    return command.run(
        body,
        lambda p: ledger.grant_park_quota_exception(
            level=body.level,
            batch_year=year,
            region=body.region,
            parks=body.parks,
            reason=body.reason,
            provenance=p,
        ),
        creates=True,
    )


@router.get(
    "/{year}",
    response_model=BatchPublic,
    responses=query_responses(401, 403, 404),
    summary="推荐批次 A batch",
)
def read_batch(
    year: BatchYear,
    principal: ReaderDep,
    ledger: LedgerDep,
    request: Request,
    level: Level = Level.NATIONAL,
    region: Annotated[
        str | None, Query(pattern=r"^[0-9]{6}$", description="A province's own round's region.")
    ] = None,
    city: Annotated[
        str | None, Query(pattern=r"^[0-9]{6}$", description="A municipal round's prefecture.")
    ] = None,
) -> BatchPublic:
    """The round of `year` at `level`: rulebook, deadlines and quotas, nominations received (by
    region), evaluations counted, publications. Read from the ledger itself. Ministry,
    provinces, auditor. An extension of api.md."""
    position = ledger.position
    batch = ledger.get_batch(level, year, region, city)
    setattr(request.state, POSITION, position)
    by_region = Counter(entry.region_code for entry in batch.nominations.values())
    return BatchPublic(
        batch_id=batch.id,
        level=batch.level.value,
        region=batch.region_code,
        city=batch.city,
        batch_year=batch.batch_year,
        label=batch_label(batch.batch_year),
        rulebook=batch.rulebook,
        opened_on=batch.opened_on,
        deadlines=dict(batch.deadlines),
        quotas=dict(batch.quotas),
        nominations=len(batch.nominations),
        nominations_by_region=dict(sorted(by_region.items())),
        evaluations=len(batch.evaluations),
        park_quota_exceptions=[
            ParkQuotaExceptionPublic(region=x.region_code, parks=x.parks, reason=x.reason)
            for x in batch.park_quota_exceptions
        ],
        publications=[
            PublicationPublic(
                published_on=p.published_on,
                announcement=ReferencePublic.model_validate(p.announcement),
                listed=len(p.listed),
                rejected=len(p.rejected),
                removed=len(p.removed),
            )
            for p in batch.publications
        ],
        publicity=publicity_public(batch),
        position=position,
    )


def publicity_public(batch: Batch) -> PublicityPublic | None:
    """The batch's latest publicity, with the objections recorded during it (PUB-1)."""
    publicity = batch.publicity
    if publicity is None:
        return None
    return PublicityPublic(
        starts_on=publicity.starts_on,
        ends_on=publicity.ends_on,
        announcement=ReferencePublic.model_validate(publicity.announcement),
        nominees=list(publicity.nominees),
        objections=[
            ObjectionPublic(
                listing_id=o.listing_id,
                received_on=o.received_on,
                objection=o.objection,
                objector=o.objector,
            )
            for o in batch.objections
            if o.version > publicity.version
        ],
    )
