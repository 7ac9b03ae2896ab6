"""The changes between two dates as a workbook (名单变化), Chinese headers first.

Every cell is a text cell or a number: a name that starts like a formula stays text (no
spreadsheet program runs it). One sheet per part: 汇总 counts, 列入 listed, 移出 removed (reasons
in words, announcement), 更名 renamed, 净增 added, 净减 dropped.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, cast

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from domain.errors import LedgerError
from domain.values import Category, Level, Reference, Region, RemovalReason, batch_label
from readside.changes.queries import ChangeCounts, ChangedUnit, ListChanges

UNIT_HEADERS = (
    "序号 No.",
    "地区 Region",
    "名称 Name",
    "类别 Category",
    "级别 Level",
    "批次 Batch",
    "日期 Date",
    "名单编号 Listing id",
)
COUNT_HEADERS = (
    "类别 Category",
    "列入 Listed",
    "移出 Removed",
    "更名 Renamed",
    "起始日在名单 On the list on from",
    "截止日在名单 On the list on to",
    "净增 Added",
    "净减 Dropped",
    "净变化 Net",
)


def reasons_zh(codes: Sequence[str]) -> str:
    return "、".join(_reason(code, "zh") for code in codes)


def reasons_en(codes: Sequence[str]) -> str:
    return ", ".join(_reason(code, "en") for code in codes)


def _reason(code: str, language: str) -> str:
    try:
        reason = RemovalReason(code)
    except ValueError:
        return code
    return reason.label_zh if language == "zh" else code.replace("_", " ")


def _region(code: str) -> str:
    try:
        return Region.of(code).name_zh
    except LedgerError:
        return code


def _text(sheet: WriteOnlyWorksheet, value: object) -> Cell:
    """A cell that is never a formula: texts are text cells (`s`), whatever they start with."""
    if isinstance(value, date):
        value = value.isoformat()
    cell = WriteOnlyCell(sheet, value=cast(Any, value))
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _append(sheet: WriteOnlyWorksheet, values: Iterable[object]) -> None:
    sheet.append([_text(sheet, value) for value in values])


def _unit_cells(number: int, unit: ChangedUnit) -> list[object]:
    return [
        number,
        _region(unit.region),
        unit.name,
        Category(unit.category).label_zh,
        Level(unit.level).label_zh,
        batch_label(unit.batch_year),
        unit.on,
        str(unit.listing_id),
    ]


def _announcement(reference: Reference | None) -> str:
    return reference.describe() if reference is not None else ""


def _counts(counts: ChangeCounts) -> list[object]:
    return [
        counts.listed,
        counts.removed,
        counts.renamed,
        counts.on_start,
        counts.on_end,
        counts.added,
        counts.dropped,
        counts.net,
    ]


def as_xlsx(changes: ListChanges) -> bytes:
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet(title="汇总 Counts")
    _append(summary, [f"{changes.start.isoformat()} → {changes.end.isoformat()}"])
    _append(summary, COUNT_HEADERS)
    for category, counts in changes.by_category.items():
        _append(summary, [Category(category).label_zh, *_counts(counts)])
    _append(summary, ["合计 Total", *_counts(changes.counts)])
    listed = workbook.create_sheet(title="列入 Listed")
    _append(listed, [*UNIT_HEADERS, "公告 Announcement"])
    for number, item in enumerate(changes.listed, start=1):
        _append(listed, [*_unit_cells(number, item.unit), _announcement(item.announcement)])
    removed = workbook.create_sheet(title="移出 Removed")
    _append(removed, [*UNIT_HEADERS, "理由 Reasons", "公告 Announcement"])
    for number, removal in enumerate(changes.removed, start=1):
        cells = _unit_cells(number, removal.unit)
        _append(removed, [*cells, reasons_zh(removal.reasons), _announcement(removal.announcement)])
    renamed = workbook.create_sheet(title="更名 Renamed")
    _append(renamed, [*UNIT_HEADERS, "原名称 Previous name"])
    for number, rename in enumerate(changes.renamed, start=1):
        _append(renamed, [*_unit_cells(number, rename.unit), rename.previous_name])
    for title, units in (("净增 Added", changes.added), ("净减 Dropped", changes.dropped)):
        sheet = workbook.create_sheet(title=title)
        _append(sheet, UNIT_HEADERS)
        for number, unit in enumerate(units, start=1):
            _append(sheet, _unit_cells(number, unit))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def file_name(changes: ListChanges) -> str:
    return f"green-list-changes-{changes.start.isoformat()}-{changes.end.isoformat()}.xlsx"
