"""`GET /v1/list`: the green manufacturing list on a date, as known at an instant.

The current published list (no `known_at`) is public; asking how the list stood as the ledger knew
it at some instant needs a token.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.http.deps import PrincipalDep, ReadingDep
from api.http.errors import AuthenticationRequiredError
from api.http.responses import query_responses
from api.http.schemas.common import Day, Instant, RegionCode
from api.http.schemas.reads import ListPagePublic
from domain.values import Category, Level, ListingStatus
from readside.queries import MAX_PAGE_SIZE, ListPage, list_listings

router = APIRouter(prefix="/v1/list", tags=["list 名单"])


class ListQuery(BaseModel):
    """The list's query parameters, validated in one go (one model, not ten parameters)."""

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
        description="Part of the name (brackets, spaces and case ignored).",
    )
    page: int = Field(default=1, ge=1, le=1_000_000)
    page_size: int = Field(default=50, ge=1, le=MAX_PAGE_SIZE)


@router.get(
    "",
    response_model=ListPagePublic,
    responses=query_responses(401, 403),
    summary="名单 The list",
)
def read_list(
    principal: PrincipalDep, reading: ReadingDep, query: Annotated[ListQuery, Query()]
) -> ListPage:
    """The units on the list on `as_of` as known at `known_at`, ordered by region and name.
    Anyone may read the current list; `known_at` needs a token."""
    if query.known_at is not None and principal.role is None:
        raise AuthenticationRequiredError("reading the list as known at an instant needs a token")
    answer = list_listings(
        reading.read_side.views,
        as_of=query.as_of,
        known_at=query.known_at,
        category=query.category,
        level=query.level,
        region=query.region,
        status=query.status,
        q=query.q,
        page=query.page,
        page_size=query.page_size,
    )
    return reading.answer(answer)
