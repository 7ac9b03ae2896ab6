"""`GET /v1/changes` and `/v1/changes.xlsx`: how the list changed between two dates (public)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import ConfigDict, Field

from api.exports import POSITION_HEADER, XLSX_MEDIA_TYPE
from api.http.deps import PrincipalDep, ReadingDep
from api.http.middleware import POSITION
from api.http.openapi.responses import query_responses
from api.http.routes.publishing.schemas import ListChangesPublic
from api.http.schemas.common import Day, QueryParameters, RegionCode
from api.publishing.changes_workbook import as_xlsx, file_name, reasons_en, reasons_zh
from domain.ledger import Ledger
from domain.values import Category, Level
from readside.changes.queries import ListChanges, get_changes

router = APIRouter(prefix="/v1", tags=["feed 名单变化"])


class ChangesQuery(QueryParameters):
    """Two dates and the list's filters; unknown parameters are refused (`min_position` is the
    read side's, ADR 0130)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    start: Day = Field(alias="from", description="The first list's date (changes after it).")
    to: Day | None = Field(default=None, description="The second list's date (default: today).")
    category: Category | None = None
    level: Level | None = None
    region: RegionCode | None = None


def changes_for(views: Any, query: ChangesQuery) -> ListChanges:
    return get_changes(
        views,
        start=query.start,
        end=query.to or Ledger.today(),
        category=query.category,
        level=query.level,
        region=query.region,
    )


def changes_document(changes: ListChanges) -> dict[str, Any]:
    """The answer of `GET /v1/changes` (removals with their reasons in words)."""
    document = ListChangesPublic.model_validate(
        {
            "from": changes.start,
            "to": changes.end,
            "category": changes.category,
            "level": changes.level,
            "region": changes.region,
            "counts": {**vars(changes.counts), "net": changes.counts.net},
            "by_category": {
                category: {**vars(counts), "net": counts.net}
                for category, counts in changes.by_category.items()
            },
            "listed": changes.listed,
            "removed": [
                {
                    "unit": removal.unit,
                    "reasons": list(removal.reasons),
                    "reasons_zh": reasons_zh(removal.reasons),
                    "reasons_en": reasons_en(removal.reasons),
                    "announcement": removal.announcement,
                    "position": removal.position,
                }
                for removal in changes.removed
            ],
            "renamed": changes.renamed,
            "added": changes.added,
            "dropped": changes.dropped,
            "position": changes.position,
        },
        from_attributes=True,
    )
    return document.model_dump(mode="json", by_alias=True)


@router.get(
    "/changes",
    response_model=ListChangesPublic,
    responses=query_responses(401),
    summary="名单变化 How the list changed between two dates",
)
def read_changes(
    request: Request,
    principal: PrincipalDep,
    reading: ReadingDep,
    query: Annotated[ChangesQuery, Query()],
) -> dict[str, Any]:
    """The units listed, removed (reasons, announcement) and renamed effective after `from` up
    to `to`, and the net difference of the two dates' lists, with counts. Anyone may read it."""
    changes = changes_for(reading.read_side.views, query)
    setattr(request.state, POSITION, changes.position)
    return changes_document(changes)


@router.get(
    "/changes.xlsx",
    response_class=Response,
    responses={
        200: {
            "content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            "description": "The changes as a workbook, one sheet per part, Chinese headers",
        },
        **query_responses(401),
    },
    summary="名单变化 Excel The changes between two dates as a workbook",
)
def export_changes(
    request: Request,
    principal: PrincipalDep,
    reading: ReadingDep,
    query: Annotated[ChangesQuery, Query()],
) -> Response:
    changes = changes_for(reading.read_side.views, query)
    setattr(request.state, POSITION, changes.position)
    return Response(
        as_xlsx(changes),
        media_type=XLSX_MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{file_name(changes)}"',
            POSITION_HEADER: str(changes.position),
        },
    )
