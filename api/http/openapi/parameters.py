"""Query parameters shared by the read routes: the two time axes, the list's filters, paging."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from api.http.schemas.common import Day, Instant
from domain.values import ListingStatus
from readside.listings.queries import MAX_PAGE_SIZE

AsOf = Annotated[Day | None, Query(description="Effective date (default: today in China).")]
KnownAt = Annotated[
    Instant | None,
    Query(description="Recorded instant, RFC 3339 (default: now, all that is recorded)."),
]
BarredOn = Annotated[
    Day | None, Query(description="The day of the NEG-3 bar (default: `as_of`, else today).")
]
SearchText = Annotated[
    str | None,
    Query(
        max_length=200,
        description="Part of the name, of a design product's name or model, or a credit code "
        "(brackets, spaces and case ignored).",
    ),
]
Statuses = Annotated[
    list[ListingStatus] | None,
    Query(description="Statuses to list, repeated (default: the four on the list)."),
]
Page = Annotated[int, Query(ge=1, le=1_000_000)]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
