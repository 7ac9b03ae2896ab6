"""Listings: the commands — nominate, yearly filing and its review, on-site assessment, proposals
(the province, for listings of its own region), removal and its rescission (the ministry) — and
the queries: a listing's state, its history, and why it has its status.

工信厅节函〔2022〕235号 二 (dynamic management) and 工信部节〔2024〕13号: the province files,
reviews, assesses and proposes; the ministry decides.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.http.auth import Principal
from api.http.deps import (
    CommandDep,
    LedgerDep,
    MinistryDep,
    ProvinceDep,
    ReaderDep,
    ReadingDep,
    ensure_region,
)
from api.http.openapi.parameters import AsOf, BarredOn, KnownAt
from api.http.openapi.responses import command_responses, query_responses
from api.http.schemas.common import CommandReceipt, ReportYear, indicators_to_domain
from api.http.schemas.listings import (
    AssessmentConclusion,
    AssessmentOrder,
    FilingCreate,
    FilingReview,
    ListingCreate,
    ProposalCreate,
    RemovalCreate,
    RemovalRescission,
    StarsCreate,
)
from api.http.schemas.reads import ExplanationPublic, HistoryPublic, ListingPublic
from domain.errors import ListingNotFoundError
from domain.ledger import Ledger
from readside.decisions.explanations import Explanation, get_explanation
from readside.listings.queries import ListingState, get_listing
from readside.timeline.queries import History, list_listing_history

router = APIRouter(prefix="/v1/listings", tags=["listings 名单"])


def _ensure_listing_region(principal: Principal, ledger: Ledger, listing_id: UUID) -> None:
    ensure_region(principal, ledger.get_listing(listing_id).region, "the listing")


@router.post(
    "",
    status_code=201,
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="推荐 Nominate",
)
def nominate_listing(
    body: ListingCreate, principal: ProvinceDep, command: CommandDep, ledger: LedgerDep
) -> JSONResponse:
    """Listing.Nominated (Renominated after a bar has run), after the nomination rules: 409 with
    every finding when one refuses it. The receipt's `id` is the listing's. A cited
    `third_party_evaluation` is recorded as pending (Assessor.EvaluationCited) and counts toward
    the assessor's cap only once the assessor confirms it (`POST
    /v1/evaluations/{id}/confirmation`); its id is the last of `ids`. Province (own region)."""
    ensure_region(principal, ledger.get_enterprise(body.enterprise_id).region, "the enterprise")
    return command.run(
        body,
        lambda p: ledger.nominate_listing(
            enterprise_id=body.enterprise_id,
            category=body.category,
            level=body.level,
            batch_year=body.batch_year,
            product=body.product.to_domain() if body.product else None,
            park_level=body.park_level,
            self_evaluation=body.self_evaluation.to_domain() if body.self_evaluation else None,
            third_party_evaluation=(
                body.third_party_evaluation.to_domain() if body.third_party_evaluation else None
            ),
            indicators=indicators_to_domain(body.indicators),
            city=body.city,
            provenance=p,
        ),
        creates=True,
    )


@router.post(
    "/{listing_id}/stars",
    status_code=201,
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="评定星级 Rate with stars",
)
def rate_stars(
    listing_id: UUID,
    body: StarsCreate,
    principal: ProvinceDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Listing.StarsRated (api.md v1): 3, 4 or 5 stars for a unit on a provincial or municipal
    list of the province's own region, by its announcement, effective on `effective_on`
    (default: the announcement's date); a later rating upgrades or downgrades it. A national
    listing: 409. Province (own region). ADR 0142."""
    ensure_region(principal, ledger.get_listing(listing_id).region, "the listing")
    return command.run(
        body,
        lambda p: ledger.rate_stars(
            listing_id,
            stars=body.stars,
            announcement=body.announcement.to_domain(),
            provenance=p,
        ),
        effective_on=body.announcement.date,
        creates=True,
    )


@router.post(
    "/{listing_id}/filings",
    status_code=201,
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="年度动态管理表填报 Submit the yearly filing",
)
def submit_filing(
    listing_id: UUID,
    body: FilingCreate,
    principal: ProvinceDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Listing.IndicatorFilingSubmitted (DYN-1). Province (own region)."""
    _ensure_listing_region(principal, ledger, listing_id)
    return command.run(
        body,
        lambda p: ledger.submit_filing(
            listing_id,
            report_year=body.report_year,
            indicators=indicators_to_domain(body.indicators),
            provenance=p,
        ),
        creates=True,
    )


@router.post(
    "/{listing_id}/filings/{year}/review",
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="审核年度填报 Review a filing",
)
def review_filing(
    listing_id: UUID,
    year: ReportYear,
    body: FilingReview,
    principal: ProvinceDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Listing.FilingReviewed for report year `year`; non-compliant flags the listing. Province
    (own region)."""
    _ensure_listing_region(principal, ledger, listing_id)
    return command.run(
        body,
        lambda p: ledger.review_filing(
            listing_id,
            report_year=year,
            outcome=body.outcome,
            findings=body.findings,
            provenance=p,
        ),
    )


@router.post(
    "/{listing_id}/assessments",
    status_code=201,
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="组织现场评估 Order an on-site assessment",
)
def order_assessment(
    listing_id: UUID,
    body: AssessmentOrder,
    principal: ProvinceDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Listing.OnSiteAssessmentOrdered (DYN-2); the receipt's `id` is the assessment's. Province
    (own region)."""
    _ensure_listing_region(principal, ledger, listing_id)
    return command.run(
        body,
        lambda p: ledger.order_assessment(listing_id, reason=body.reason, provenance=p),
        creates=True,
    )


@router.post(
    "/{listing_id}/assessments/{assessment_id}/conclusion",
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="现场评估结论 Conclude an on-site assessment",
)
def conclude_assessment(
    listing_id: UUID,
    assessment_id: UUID,
    body: AssessmentConclusion,
    principal: ProvinceDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Listing.OnSiteAssessmentConcluded: meets, does not meet, rectification required. Province
    (own region)."""
    _ensure_listing_region(principal, ledger, listing_id)
    return command.run(
        body,
        lambda p: ledger.conclude_assessment(
            listing_id,
            assessment_id,
            outcome=body.outcome,
            findings=body.findings,
            provenance=p,
        ),
    )


@router.post(
    "/{listing_id}/proposals",
    status_code=201,
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="提出调整意见 Propose an adjustment",
)
def propose_adjustment(
    listing_id: UUID,
    body: ProposalCreate,
    principal: ProvinceDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Listing.AdjustmentProposed: retain, remove, or rename (with `new_name`). Province (own
    region)."""
    _ensure_listing_region(principal, ledger, listing_id)
    return command.run(
        body,
        lambda p: ledger.propose_adjustment(
            listing_id,
            action=body.action,
            reasons=body.reasons,
            new_name=body.new_name,
            provenance=p,
        ),
        creates=True,
    )


@router.post(
    "/{listing_id}/removal",
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="移出名单 Remove from the list",
)
def remove_listing(
    listing_id: UUID,
    body: RemovalCreate,
    principal: MinistryDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Listing.Removed by the ministry's decision, with the rule findings it rests on (409 when a
    rule does not support it, e.g. DYN-2 for a removal for indicators). Ministry."""
    return command.run(
        body,
        lambda p: ledger.remove_listing(
            listing_id,
            reasons=body.reasons,
            announcement=body.announcement.to_domain() if body.announcement else None,
            provenance=p,
        ),
    )


@router.post(
    "/{listing_id}/removal/rescission",
    response_model=CommandReceipt,
    responses=command_responses(),
    summary="撤销移出决定 Rescind a removal",
)
def rescind_removal(
    listing_id: UUID,
    body: RemovalRescission,
    principal: MinistryDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Listing.RemovalRescinded: a correction; the listing is back with its status before the
    removal. Ministry."""
    return command.run(
        body, lambda p: ledger.rescind_removal(listing_id, reason=body.reason, provenance=p)
    )


# -- queries ---------------------------------------------------------------------------------------


@router.get(
    "/{listing_id}",
    response_model=ListingPublic,
    responses=query_responses(401, 403, 404),
    summary="名单单位 One listing",
)
def read_listing(
    listing_id: UUID,
    principal: ReaderDep,
    reading: ReadingDep,
    as_of: AsOf = None,
    known_at: KnownAt = None,
) -> ListingState:
    """The listing's state on `as_of` as known at `known_at`: status, flags, latest filing.
    Ministry, provinces, auditor."""
    answer = get_listing(reading.read_side.views, listing_id, as_of=as_of, known_at=known_at)
    return reading.answer(answer)


@router.get(
    "/{listing_id}/history",
    response_model=HistoryPublic,
    responses=query_responses(401, 403, 404),
    summary="单位时间线 A listing's history",
)
def read_listing_history(
    listing_id: UUID,
    principal: ReaderDep,
    reading: ReadingDep,
    as_of: AsOf = None,
    known_at: KnownAt = None,
) -> History:
    """Every event of the listing effective by `as_of` and recorded by `known_at` (default:
    all), in order, with both times, the actor, the basis and a one-line summary in Chinese and
    English. Ministry, provinces, auditor."""
    answer = list_listing_history(
        reading.read_side.views, listing_id, as_of=as_of, known_at=known_at
    )
    if not answer.entries:
        raise ListingNotFoundError(listing_id)
    return reading.answer(answer)


@router.get(
    "/{listing_id}/explanation",
    response_model=ExplanationPublic,
    responses=query_responses(401, 403, 404),
    summary="为何如此 Why the listing has its status",
)
def read_explanation(
    listing_id: UUID,
    principal: ReaderDep,
    reading: ReadingDep,
    as_of: AsOf = None,
    known_at: KnownAt = None,
    on: BarredOn = None,
) -> Explanation:
    """Why the listing had its status on `as_of` as known at `known_at` (the status
    `GET /v1/listings/{id}` answers for the same two): the deciding event, the rules with their
    citations and texts, the facts each rests on, who decided and when; for a listed unit, why
    it stayed listed; the enterprise's NEG-3 bar on `on` (default: `as_of`), as its eligibility
    that day. Ministry, provinces, auditor."""
    answer = get_explanation(
        reading.read_side.views, listing_id, on, as_of=as_of, known_at=known_at
    )
    return reading.answer(answer)
