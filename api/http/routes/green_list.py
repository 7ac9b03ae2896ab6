"""`GET /v1/list`: the green manufacturing list on a date, as known at an instant.

The current published list (no `known_at`) is public; asking how the list stood as the ledger knew
it at some instant needs a token.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.http.auth import unpublished
from api.http.deps import PrincipalDep, ReadingDep
from api.http.errors import AuthenticationRequiredError, PermissionDeniedError
from api.http.openapi.responses import query_responses
from api.http.schemas.common import Day, Instant, RegionCode
from api.http.schemas.reads import ListPagePublic
from domain.values import Category, Level, ListingStatus
from readside.enterprises.lookup import MAX_NAME, Lookup, lookup_units
from readside.listings.queries import MAX_PAGE_SIZE, ListPage, ListQuery, list_listings

router = APIRouter(prefix="/v1/list", tags=["list 名单"])


class ListFilters(BaseModel):
    """Which units of the list: its query parameters but the paging (the statistics count the
    list for these)."""

    as_of: Day | None = Field(default=None, description="Effective date (default: today).")
    known_at: Instant | None = Field(
        default=None, description="Recorded instant, RFC 3339 (default: now). Needs a token."
    )
    category: Category | None = None
    level: Level | None = None
    region: RegionCode | None = None
    status: list[ListingStatus] | None = Field(
        default=None, description="Statuses to list, repeated (default: the four on the list)."
    )
    q: str | None = Field(
        default=None,
        max_length=200,
        description="Part of the name, of a design product's name or model, or a credit "
        "code (brackets, spaces and case ignored).",
    )
    stars: int | None = Field(
        default=None,
        ge=3,
        le=5,
        description="The units rated with these stars on `as_of` (provincial and municipal lists).",
    )
    green_code: Literal["A+", "A", "B"] | None = Field(
        default=None,
        description="The units bearing this 企业绿码 on `as_of` (its latest report year's code "
        "known at `known_at`). Write `A+` as `A%2B` in a URL.",
    )

    def query(self) -> ListQuery:
        return ListQuery(
            as_of=self.as_of,
            known_at=self.known_at,
            category=self.category,
            level=self.level,
            region=self.region,
            status=tuple(self.status or ()),
            q=self.q,
            stars=self.stars,
            green_code=self.green_code,
        )


class ListParameters(ListFilters):
    """The list's query parameters (`readside.listings.queries.ListQuery`), validated in one go."""

    page: int = Field(default=1, ge=1, le=1_000_000)
    page_size: int = Field(default=50, ge=1, le=MAX_PAGE_SIZE)

    def query(self) -> ListQuery:
        return ListQuery(
            as_of=self.as_of,
            known_at=self.known_at,
            category=self.category,
            level=self.level,
            region=self.region,
            status=tuple(self.status or ()),
            q=self.q,
            page=self.page,
            page_size=self.page_size,
            stars=self.stars,
            green_code=self.green_code,
        )


@router.get(
    "",
    response_model=ListPagePublic,
    responses=query_responses(401, 403),
    summary="名单 The list",
)
def read_list(
    principal: PrincipalDep, reading: ReadingDep, query: Annotated[ListParameters, Query()]
) -> ListPage:
    """The units on the list on `as_of` as known at `known_at`, ordered by region and name.
    Anyone may read the current list and the removed units; `known_at`, and the statuses not
    published (`nominated`, `rejected`), need a token (403 without)."""
    if query.known_at is not None and principal.role is None:
        raise AuthenticationRequiredError("reading the list as known at an instant needs a token")
    hidden = unpublished(principal, query.status or ())
    if hidden:
        raise PermissionDeniedError(
            f"status {', '.join(hidden)}: without a token only the statuses on the list and "
            "removed can be read (published facts)",
            f"status {', '.join(hidden)}：未登录只能查看名单上的状态和已移出（已公布的事实）",
        )
    answer = list_listings(reading.read_side.views, query.query())
    return reading.answer(answer)


# -- a unit by what the user holds in hand ---------------------------------------------------------

lookup_router = APIRouter(prefix="/v1/lookup", tags=["list 名单"])


@lookup_router.get(
    "",
    response_model=Lookup,
    responses=query_responses(422),
    summary="按信用代码或名称查询 Look a unit up",
)
def lookup(
    principal: PrincipalDep,
    reading: ReadingDep,
    uscc: Annotated[
        str | None,
        Query(max_length=18, description="统一社会信用代码 the credit code (GB 32100)."),
    ] = None,
    name: Annotated[
        str | None,
        Query(
            max_length=MAX_NAME,
            description="A name or part of one: the present name, an earlier one (before a "
            "rename) or an alias a document gives (brackets, spaces and case ignored).",
        ),
    ] = None,
    on: Annotated[Day | None, Query(description="The day (default: today in China).")] = None,
) -> Lookup:
    """The units of the enterprise with that credit code, or of the enterprises bearing (or
    having borne) that name, with their status on `on`; a removed unit says when, why (the
    reason codes and their words) and by which announcement. Anyone; without a token, published
    facts only (units on the list or removed)."""
    answer = lookup_units(
        reading.read_side.views,
        uscc=uscc,
        name=name,
        on=on,
        published_only=principal.role is None,
    )
    return reading.answer(answer)
