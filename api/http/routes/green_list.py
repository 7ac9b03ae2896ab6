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
from api.http.openapi.responses import query_responses
from api.http.schemas.common import Day, Instant, RegionCode
from api.http.schemas.reads import ListPagePublic
from domain.values import Category, Level, ListingStatus
from readside.listings.queries import MAX_PAGE_SIZE, ListPage, ListQuery, list_listings

router = APIRouter(prefix="/v1/list", tags=["list 名单"])


class ListParameters(BaseModel):
    """The list's query parameters (`readside.listings.queries.ListQuery`), validated in one go."""

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
    stars: int | None = Field(
        default=None,
        ge=3,
        le=5,
        description="The units rated with these stars on `as_of` (provincial and municipal lists).",
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
            page=self.page,
            page_size=self.page_size,
            stars=self.stars,
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
    Anyone may read the current list; `known_at` needs a token."""
    if query.known_at is not None and principal.role is None:
        raise AuthenticationRequiredError("reading the list as known at an instant needs a token")
    answer = list_listings(reading.read_side.views, query.query())
    return reading.answer(answer)
