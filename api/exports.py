"""The list as a spreadsheet (xlsx or CSV): Chinese headers and labels by default, English as an
option (`language="en"`).

Rows are read page by page from the read models; if a write moves the read models on between two
pages the whole list is read again, so a spreadsheet is one consistent state of the list. The
workbook is laid out for printing (api/printing.py): a title naming the date and the filters,
a frozen header, columns as wide as their longest name, dates as dates, landscape.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from fastapi import Response

from api.printing import Column, Language, PrintableSheet, printable_workbook, title_line
from domain.errors import ConcurrentWriteError
from domain.ledger import Ledger
from domain.texts import csv_safe
from domain.tiers.stars import stars_en, stars_zh
from domain.values import Category, Coded, Level, ListingStatus, Region, batch_label, batch_label_en
from readside.engine.database import Views
from readside.listings.queries import MAX_PAGE_SIZE, ListItem, ListQuery, list_listings

#: The notice's columns first (序号, 地区, 名称, 类别, 级别, 批次, 状态, 纳入日期, 移出日期),
#: then the enterprise's credit code and a design product's name, model and standard (empty
#: where the published list gives none), then whether the unit is a fictitious one of the demo
#: (ADR 0042), then the codes a program needs to join the sheet back to the ledger.
COLUMNS = (
    Column("序号", "No.", "number"),
    Column("地区", "Region"),
    Column("名称", "Name"),
    Column("类别", "Category"),
    Column("级别", "Level"),
    Column("批次", "Batch"),
    Column("状态", "Status"),
    Column("纳入日期", "Listed on", "date"),
    Column("移出日期", "Removed on", "date"),
    Column("统一社会信用代码", "Credit code"),
    Column("产品名称", "Product"),
    Column("产品型号", "Model"),
    Column("评价标准", "Standard"),
    Column("示例数据", "Fictitious"),
    Column("地区代码", "Region code"),
    Column("名单编号", "Listing id"),
    Column("企业编号", "Enterprise id"),
    # The three lists (ADR 0140, 0142): the stars on the list's date, a municipal unit's city.
    Column("星级", "Stars"),
    Column("城市代码", "City code"),
    # 企业绿码 (ADR 0151): the unit's code on the list's date and the report year it is for.
    Column("企业绿码", "Green code"),
    Column("企业绿码报告年度", "Green code report year"),
)
HEADERS = tuple(column.zh for column in COLUMNS)
HEADERS_EN = tuple(column.en for column in COLUMNS)
#: The "示例数据" cell of a fictitious unit, and of a real one, by language.
FICTITIOUS_CELL = {"zh": "是（虚构单位）", "en": "yes (fictitious)"}
REAL_CELL = {"zh": "否", "en": "no"}
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
ATTEMPTS = 3
#: The header carrying the read models' position a spreadsheet reflects.
POSITION_HEADER = "Ledger-Position"


@dataclass(frozen=True)
class ListExport:
    rows: tuple[ListItem, ...]
    as_of: date
    position: int
    wanted: ListQuery | None = None


def read_whole_list(views: Views, wanted: ListQuery) -> ListExport:
    """Every unit the query selects (all its pages), from one state of the read models."""
    for _ in range(ATTEMPTS):
        rows: list[ListItem] = []
        positions: set[int] = set()
        page_number = 1
        while True:
            page = list_listings(views, wanted.page_of(page_number, MAX_PAGE_SIZE))
            rows.extend(page.items)
            positions.add(page.position)
            if page_number * MAX_PAGE_SIZE >= page.total:
                break
            page_number += 1
        if len(positions) == 1:
            return ListExport(tuple(rows), page.as_of, positions.pop(), wanted)
    raise ConcurrentWriteError("the list changed while it was being exported")


def label(member: Coded, language: Language) -> str:
    """A code's label: Chinese, or the code in words."""
    return member.label_zh if language == "zh" else str(member.value).replace("_", " ")


def region_label(code: str, language: Language) -> str:
    region = Region.of(code)
    return region.name_zh if language == "zh" else region.name_en


def _cells(number: int, item: ListItem, language: Language) -> tuple[object, ...]:
    return (
        number,
        region_label(item.region, language),
        item.name,
        label(Category(item.category), language),
        label(Level(item.level), language),
        batch_label(item.batch_year) if language == "zh" else batch_label_en(item.batch_year),
        label(ListingStatus(item.status), language),
        item.listed_on,
        item.removed_on,
        item.uscc or "",
        item.product_name or "",
        item.product_model or "",
        item.product_standard or "",
        (FICTITIOUS_CELL if item.synthetic else REAL_CELL)[language],
        item.region,
        str(item.listing_id),
        str(item.enterprise_id),
        (stars_zh(item.stars) if language == "zh" else stars_en(item.stars)) or None,
        item.city,
        item.green_code,
        item.green_code_year,
    )


def _numbered(rows: Iterable[ListItem], language: Language) -> Iterable[tuple[object, ...]]:
    return (_cells(number, item, language) for number, item in enumerate(rows, start=1))


def _csv_cell(value: object) -> object:
    """A value as the CSV writes it: a date ISO 8601, a text never a formula (ADR 0101)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return csv_safe(value)
    return value


def as_csv(export: ListExport, language: Language = "zh") -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese right."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADERS if language == "zh" else HEADERS_EN)
    for cells in _numbered(export.rows, language):
        writer.writerow([_csv_cell(c) for c in cells])
    return text.getvalue().encode("utf-8-sig")


def filters_named(wanted: ListQuery | None, language: Language) -> list[str]:
    """The filters of an export as a person reads them (地区：江苏省 …)."""
    if wanted is None:
        return []
    zh = language == "zh"
    named = []
    if wanted.region:
        named.append(("地区：" if zh else "region: ") + region_label(wanted.region, language))
    if wanted.category:
        named.append(("类别：" if zh else "category: ") + label(wanted.category, language))
    if wanted.level:
        named.append(("级别：" if zh else "level: ") + label(wanted.level, language))
    if wanted.status:
        statuses = ("、" if zh else ", ").join(label(s, language) for s in wanted.status)
        named.append(("状态：" if zh else "status: ") + statuses)
    if wanted.q:
        named.append(
            f"名称或产品含“{wanted.q}”" if zh else f"name or product contains {wanted.q!r}"
        )
    if wanted.known_at:
        when = wanted.known_at.isoformat()
        named.append(("已知时点：" if zh else "as known at ") + when)
    return named


def as_xlsx(export: ListExport, language: Language = "zh") -> bytes:
    """The list as a workbook laid out for printing, titled with its date and filters."""
    subject = "绿色制造名单" if language == "zh" else "Green manufacturing list"
    title = title_line(
        subject, export.as_of, filters_named(export.wanted, language), Ledger.today(), language
    )
    sheet = PrintableSheet(
        name=f"名单 {export.as_of.isoformat()}"
        if language == "zh"
        else f"List {export.as_of.isoformat()}",
        title=title,
        columns=COLUMNS,
        rows=_numbered(export.rows, language),  # type: ignore[arg-type]
        language=language,
    )
    return printable_workbook([sheet])


def file_name(export: ListExport, suffix: str) -> str:
    """green-list-<as of>.<suffix>: the name a spreadsheet of the list is saved under."""
    return f"green-list-{export.as_of.isoformat()}.{suffix}"


def spreadsheet_response(
    export: ListExport,
    render: Callable[[ListExport, Language], bytes],
    media_type: str,
    suffix: str,
    language: Language = "zh",
) -> Response:
    """The spreadsheet as a download, with the position it reflects (API and pages alike)."""
    return Response(
        render(export, language),
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{file_name(export, suffix)}"',
            POSITION_HEADER: str(export.position),
        },
    )
