"""The list as a spreadsheet (xlsx or CSV), Chinese headers first, English beside.

Rows are read page by page from the read models; if a write moves the read models on between two
pages the whole list is read again, so a spreadsheet is one consistent state of the list.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from fastapi import Response
from openpyxl import Workbook

from domain.errors import ConcurrentWriteError
from domain.values import Category, Level, ListingStatus, Region, batch_label
from readside.engine.database import Views
from readside.queries import MAX_PAGE_SIZE, ListItem, list_listings

#: The notice's columns first (序号, 地区, 名称, 类别, 级别, 批次, 状态, 纳入日期, 移出日期),
#: then whether the unit is a fictitious one of the demo (ADR 0042), then the codes a program
#: needs to join the sheet back to the ledger.
HEADERS = (
    "序号 No.",
    "地区 Region",
    "名称 Name",
    "类别 Category",
    "级别 Level",
    "批次 Batch",
    "状态 Status",
    "纳入日期 Listed on",
    "移出日期 Removed on",
    "示例数据 Fictitious",
    "地区代码 Region code",
    "名单编号 Listing id",
    "企业编号 Enterprise id",
)
#: The "示例数据" cell of a fictitious unit, and of a real one.
FICTITIOUS_CELL = "是（虚构单位）"
REAL_CELL = "否"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
ATTEMPTS = 3
#: The header carrying the read models' position a spreadsheet reflects.
POSITION_HEADER = "Ledger-Position"


@dataclass(frozen=True)
class ListFilter:
    as_of: date | None
    known_at: datetime | None
    category: Category | None
    level: Level | None
    region: str | None
    status: Sequence[ListingStatus] | None
    q: str | None


@dataclass(frozen=True)
class ListExport:
    rows: tuple[ListItem, ...]
    as_of: date
    position: int


def read_whole_list(views: Views, wanted: ListFilter) -> ListExport:
    """Every unit the filter selects, from one state of the read models."""
    for _ in range(ATTEMPTS):
        rows: list[ListItem] = []
        positions: set[int] = set()
        page_number = 1
        while True:
            page = list_listings(
                views,
                as_of=wanted.as_of,
                known_at=wanted.known_at,
                category=wanted.category,
                level=wanted.level,
                region=wanted.region,
                status=wanted.status,
                q=wanted.q,
                page=page_number,
                page_size=MAX_PAGE_SIZE,
            )
            rows.extend(page.items)
            positions.add(page.position)
            if page_number * MAX_PAGE_SIZE >= page.total:
                break
            page_number += 1
        if len(positions) == 1:
            return ListExport(tuple(rows), page.as_of, positions.pop())
    raise ConcurrentWriteError("the list changed while it was being exported")


def _cells(number: int, item: ListItem) -> tuple[object, ...]:
    region = Region.of(item.region)
    return (
        number,
        region.name_zh,
        item.name,
        Category(item.category).label_zh,
        Level(item.level).label_zh,
        batch_label(item.batch_year),
        ListingStatus(item.status).label_zh,
        item.listed_on,
        item.removed_on,
        FICTITIOUS_CELL if item.synthetic else REAL_CELL,
        region.code,
        str(item.listing_id),
        str(item.enterprise_id),
    )


def _numbered(rows: Iterable[ListItem]) -> Iterable[tuple[object, ...]]:
    return (_cells(number, item) for number, item in enumerate(rows, start=1))


def as_csv(export: ListExport) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese right."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADERS)
    for cells in _numbered(export.rows):
        writer.writerow(
            ["" if c is None else c.isoformat() if isinstance(c, date) else c for c in cells]
        )
    return text.getvalue().encode("utf-8-sig")


def as_xlsx(export: ListExport) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=f"名单 {export.as_of.isoformat()}")
    sheet.append(list(HEADERS))
    for cells in _numbered(export.rows):
        sheet.append(list(cells))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def file_name(export: ListExport, suffix: str) -> str:
    """green-list-<as of>.<suffix>: the name a spreadsheet of the list is saved under."""
    return f"green-list-{export.as_of.isoformat()}.{suffix}"


def spreadsheet_response(
    export: ListExport, render: Callable[[ListExport], bytes], media_type: str, suffix: str
) -> Response:
    """The spreadsheet as a download, with the position it reflects (API and pages alike)."""
    return Response(
        render(export),
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{file_name(export, suffix)}"',
            POSITION_HEADER: str(export.position),
        },
    )
