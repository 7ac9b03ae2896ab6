"""Statistics: how many units, by region, category, level and status, on a date and over time."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import Field

from api.http.deps import ReaderDep, ReadingDep
from api.http.openapi.responses import query_responses
from api.http.routes.green_list import ListFilters
from api.http.schemas.common import RegionCode
from api.http.schemas.reads import StatisticsPublic, StatisticsTimelinePublic
from domain.errors import InvalidInputError
from readside.statistics.queries import (
    GROUPINGS,
    Statistics,
    StatisticsSeries,
    get_statistics,
    list_statistics_series,
)

router = APIRouter(prefix="/v1/statistics", tags=["statistics 统计"])

Year = Annotated[int, Query(ge=2016, le=2099)]


class StatisticsParameters(ListFilters):
    """The list's filters (`GET /v1/list`, without paging) and how to group the counts."""

    group_by: str = Field(
        default=",".join(GROUPINGS),
        max_length=100,
        description="Comma-separated, of: region, category, level, status.",
        examples=["region,category"],
    )


@router.get(
    "",
    response_model=StatisticsPublic,
    responses=query_responses(401, 403),
    summary="统计 Counts on a date",
)
def read_statistics(
    principal: ReaderDep,
    reading: ReadingDep,
    query: Annotated[StatisticsParameters, Query()],
) -> Statistics:
    """How many units the list holds on `as_of` as known at `known_at`, for the list's filters
    (by default the units on the list: listed, flagged, under assessment, removal proposed),
    grouped by the fields named; the total is `GET /v1/list`'s for the same query. Ministry,
    provinces, auditor."""
    fields = [name.strip() for name in query.group_by.split(",") if name.strip()]
    answer = get_statistics(reading.read_side.views, query.query(), group_by=fields)
    return reading.answer(answer)


@router.get(
    "/timeline",
    response_model=StatisticsTimelinePublic,
    responses=query_responses(401, 403),
    summary="统计时间序列 Counts over time",
)
def read_statistics_timeline(
    principal: ReaderDep,
    reading: ReadingDep,
    from_year: Annotated[Year, Query(alias="from")] = 2017,
    to_year: Annotated[Year | None, Query(alias="to", description="Default: this year.")] = None,
    interval: Literal["year"] = "year",
    region: Annotated[RegionCode | None, Query(description="Default: every region.")] = None,
) -> StatisticsSeries:
    """Year by year and category by category, in one region or all: units on the list at the
    year's end, listed and removed in the year. Ministry, provinces, auditor."""
    if to_year is not None and to_year < from_year:
        raise InvalidInputError("to", f"{to_year} is before from ({from_year})")
    answer = list_statistics_series(
        reading.read_side.views, from_year=from_year, to_year=to_year, region=region
    )
    return reading.answer(answer)
