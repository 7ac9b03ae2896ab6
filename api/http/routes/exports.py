"""`GET /v1/exports/list.xlsx` and `list.csv`: the list as a spreadsheet, Chinese headers first.

The filters are those of `GET /v1/list` (without paging). The answer carries the read models'
position in the `Ledger-Position` header.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from api.exports import (
    CSV_MEDIA_TYPE,
    POSITION_HEADER,
    XLSX_MEDIA_TYPE,
    ListExport,
    as_csv,
    as_xlsx,
    read_whole_list,
    spreadsheet_response,
)
from api.http.deps import ReaderDep, ReadingDep
from api.http.middleware import POSITION
from api.http.openapi.parameters import AsOf, KnownAt, SearchText, Statuses
from api.http.openapi.responses import query_responses
from api.http.schemas.common import RegionCode
from api.printing import Language
from domain.values import Category, Level
from readside.listings.queries import ListQuery

ExportLanguage = Annotated[
    Language,
    Query(description="表头语言 Headers and labels: `zh` Chinese (default) or `en` English."),
]

router = APIRouter(prefix="/v1/exports", tags=["exports 导出"])


def _spreadsheet(media_type: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "description": "名单表格 The list as a spreadsheet",
            "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
            "headers": {
                POSITION_HEADER: {
                    "description": "The read models' position the spreadsheet reflects.",
                    "schema": {"type": "integer"},
                }
            },
        },
        **query_responses(401, 403),
    }


def _export(
    reading: ReadingDep,
    wanted: ListQuery,
    render: Callable[[ListExport, Language], bytes],
    media_type: str,
    suffix: str,
    language: Language,
) -> Response:
    export = read_whole_list(reading.read_side.views, wanted)
    setattr(reading.request.state, POSITION, export.position)
    return spreadsheet_response(export, render, media_type, suffix, language)


#: 企业绿码 on `as_of` (ADR 0151); `A+` is written `A%2B` in a URL.
GreenCodeFilter = Annotated[
    Literal["A+", "A", "B"] | None, Query(description="企业绿码 on `as_of` (A+, A, B).")
]


@router.get(
    "/list.xlsx",
    response_class=Response,
    responses=_spreadsheet(XLSX_MEDIA_TYPE),
    summary="导出名单 (Excel) Export the list as xlsx",
)
def export_list_xlsx(
    principal: ReaderDep,
    reading: ReadingDep,
    as_of: AsOf = None,
    known_at: KnownAt = None,
    category: Category | None = None,
    level: Level | None = None,
    region: RegionCode | None = None,
    status: Statuses = None,
    q: SearchText = None,
    lang: ExportLanguage = "zh",
    stars: Annotated[int | None, Query(ge=3, le=5, description="星级 on `as_of` (3–5).")] = None,
    green_code: GreenCodeFilter = None,
) -> Response:
    """The list of `GET /v1/list`, every page, as an Excel workbook laid out for printing: a
    title naming the date and the filters, a frozen header, dates as dates, landscape. Ministry,
    provinces, auditor."""
    wanted = ListQuery(
        as_of,
        known_at,
        category,
        level,
        region,
        tuple(status or ()),
        q,
        stars=stars,
        green_code=green_code,
    )
    return _export(reading, wanted, as_xlsx, XLSX_MEDIA_TYPE, "xlsx", lang)


@router.get(
    "/list.csv",
    response_class=Response,
    responses=_spreadsheet("text/csv"),
    summary="导出名单 (CSV) Export the list as CSV",
)
def export_list_csv(
    principal: ReaderDep,
    reading: ReadingDep,
    as_of: AsOf = None,
    known_at: KnownAt = None,
    category: Category | None = None,
    level: Level | None = None,
    region: RegionCode | None = None,
    status: Statuses = None,
    q: SearchText = None,
    lang: ExportLanguage = "zh",
    stars: Annotated[int | None, Query(ge=3, le=5, description="星级 on `as_of` (3–5).")] = None,
    green_code: GreenCodeFilter = None,
) -> Response:
    """The list of `GET /v1/list`, every page, as UTF-8 CSV (with a byte-order mark). Ministry,
    provinces, auditor."""
    wanted = ListQuery(
        as_of,
        known_at,
        category,
        level,
        region,
        tuple(status or ()),
        q,
        stars=stars,
        green_code=green_code,
    )
    return _export(reading, wanted, as_csv, CSV_MEDIA_TYPE, "csv", lang)
