"""The 2025 re-benchmark (工信厅节函〔2025〕390号; ADR 0152): the ministry launches the campaign
over every national green factory and park on the list, each province records its units'
self-evaluation results, the ministry flags those with none after the due date; the work list
reads back by region and state."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse

from api.http.deps import (
    CommandDep,
    LedgerDep,
    MinistryDep,
    ReaderDep,
    ReadSideDep,
    WriterDep,
    ensure_region,
)
from api.http.middleware import POSITION
from api.http.openapi.responses import command_responses, query_responses
from api.http.routes.filings import RegionQuery, region_of
from api.http.routes.national.schemas import (
    RebenchmarkFlagging,
    RebenchmarkLaunch,
    RebenchmarkResult,
    RebenchmarkUnitPublic,
    RebenchmarkWorkPublic,
)
from api.http.schemas.common import CommandReceipt
from domain.ledger import Ledger
from domain.national.campaign import (
    REBENCHMARKED,
    CampaignNotFoundError,
    flag_not_rebenchmarked,
    get_campaign,
    launch_rebenchmark,
    record_rebenchmark_result,
)
from domain.values import Level, Reference
from readside.engine.database import Views
from readside.listings.queries import MAX_PAGE_SIZE, ListQuery, list_listings

router = APIRouter(prefix="/v1/rebenchmark", tags=["re-benchmark 对标复核"])

Year = Annotated[int, Path(ge=2025, le=2099, description="The campaign's year.")]
State = Literal["pending", "meets", "does_not_meet", "not_rebenchmarked"]


def on_the_list(views: Views) -> list[UUID]:
    """Every national green factory and park on the list today (the read side's list)."""
    ids: list[UUID] = []
    for category in sorted(REBENCHMARKED, key=lambda c: c.value):
        page = 1
        while True:
            query = ListQuery.of(
                level=Level.NATIONAL, category=category, page=page, page_size=MAX_PAGE_SIZE
            )
            found = list_listings(views, query)
            ids.extend(item.listing_id for item in found.items)
            if page * MAX_PAGE_SIZE >= found.total:
                break
            page += 1
    return ids


@router.post(
    "/{year}",
    status_code=201,
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="启动对标复核 Launch the re-benchmark",
)
def launch(
    year: Year,
    body: RebenchmarkLaunch,
    principal: MinistryDep,
    command: CommandDep,
    ledger: LedgerDep,
    read_side: ReadSideDep,
) -> JSONResponse:
    """RebenchmarkCampaign.Launched over every national green factory and park on the list:
    each self-evaluates against the new requirements by `due_on`. Once per year (409). Ministry.

    The list is the read side's, which a command does not wait for (ADR 0130): it is read once
    the read models reflect every event stored so far (503 with `Retry-After` past the wait),
    so that units listed just before the launch are in it."""
    read_side.ensure(ledger.position)
    units = on_the_list(read_side.views)
    return command.run(
        body,
        lambda p: launch_rebenchmark(
            ledger,
            year=year,
            due_on=body.due_on,
            requirements=body.requirements.to_domain(),
            listing_ids=units,
            provenance=p,
        ),
        creates=True,
    )


@router.post(
    "/{year}/results",
    status_code=201,
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="记录对标复核结果 Record a unit's result",
)
def record_result(
    year: Year,
    body: RebenchmarkResult,
    principal: WriterDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """RebenchmarkCampaign.ResultRecorded: the unit's self-evaluation (a reference) and whether
    it meets the new requirements. Province (own region), ministry."""
    ensure_region(principal, ledger.get_listing(body.listing_id).region, "the listing")
    return command.run(
        body,
        lambda p: record_rebenchmark_result(
            ledger,
            year=year,
            listing_id=body.listing_id,
            outcome=body.outcome,
            self_evaluation=body.self_evaluation.to_domain(),
            provenance=p,
        ),
        creates=True,
    )


@router.post(
    "/{year}/flags",
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="标记未对标单位 Flag the units not re-benchmarked",
)
def flag(
    year: Year,
    body: RebenchmarkFlagging,
    principal: MinistryDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """RebenchmarkCampaign.NotRebenchmarked for every unit with no result, after the due date
    (409 on or before it). Ministry."""
    return command.run(body, lambda p: flag_not_rebenchmarked(ledger, year=year, provenance=p))


@router.get(
    "/{year}",
    response_model=RebenchmarkWorkPublic,
    responses=query_responses(401, 403, 404, 422),
    summary="对标复核工作清单 The re-benchmark work list",
)
def read_work(
    year: Year,
    principal: ReaderDep,
    ledger: LedgerDep,
    request: Request,
    region: RegionQuery = None,
    state: Annotated[State | None, Query()] = None,
) -> RebenchmarkWorkPublic:
    """A region's (a province: its own) units of the campaign, each with its state — pending,
    meets, does_not_meet, not_rebenchmarked (flagged after the due date) — and the counts.
    Ministry, provinces, auditor."""
    code = region if principal.region is None else region_of(principal, region)
    position = ledger.position
    setattr(request.state, POSITION, position)
    return rebenchmark_work(ledger, year, code, state, position)


def rebenchmark_work(
    ledger: Ledger, year: int, region: str | None, state: str | None, position: int
) -> RebenchmarkWorkPublic:
    campaign = get_campaign(ledger, year)
    if campaign is None:
        raise CampaignNotFoundError(year)
    items: list[RebenchmarkUnitPublic] = []
    counts: Counter[str] = Counter()
    for listing_id, unit_region in campaign.units.items():
        if region is not None and unit_region != region:
            continue
        unit_state = campaign.state_of(listing_id)
        counts[unit_state] += 1
        if state is not None and unit_state != state:
            continue
        listing = ledger.get_listing(listing_id)
        result = campaign.results.get(listing_id)
        items.append(
            RebenchmarkUnitPublic(
                listing_id=listing_id,
                name=ledger.get_enterprise(listing.enterprise_id).name,
                region=unit_region,
                category=listing.category.value,
                state=unit_state,
                recorded_on=result.recorded_on if result else None,
                self_evaluation=_describe(result.self_evaluation) if result else None,
                flagged_on=campaign.flagged.get(listing_id),
            )
        )
    items.sort(key=lambda i: (i.state != "not_rebenchmarked", i.state != "pending", i.name))
    return RebenchmarkWorkPublic(
        year=year,
        due_on=campaign.due_on,
        requirements=_describe(campaign.requirements),
        items=items,
        counts=dict(counts),
        position=position,
    )


def _describe(reference: Reference) -> str:
    return reference.describe()
