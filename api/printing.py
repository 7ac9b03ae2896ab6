"""Workbooks laid out for printing: what a province officer sends to the printer must come out
whole (ADR 0074).

Every sheet has a title row naming what it holds, the date and the filters; a frozen header row
below it, repeated on every printed page; columns as wide as their longest text (a Chinese
character counts double), so no name is cut; dates stored as dates (`yyyy-mm-dd`), never as text,
in columns wide enough not to print `###`; landscape, scaled to the page's width, with page
numbers. Texts are always text cells: a name that starts with `=` is never read as a formula.

Opened in LibreOffice and printed to PDF (`soffice --headless --convert-to pdf`), every name and
every date is in the PDF's text (tests/api/test_printing.py).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

Language = Literal["zh", "en"]
CellValue = str | int | float | Decimal | date | None

DATE_FORMAT = "yyyy-mm-dd"
#: Width of a date column: ten digits and dashes plus room (LibreOffice prints `###` below it).
DATE_WIDTH = 12.5
MAX_WIDTH = 120.0
TITLE_FONT = Font(bold=True, size=14)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8EEF4")
THIN = Side(style="thin", color="999999")
HEADER_BORDER = Border(bottom=THIN)
_INVALID_TITLE = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


@dataclass(frozen=True)
class Column:
    """One column: its header in each language and the kind of its cells."""

    zh: str
    en: str
    kind: Literal["text", "date", "number"] = "text"

    def header(self, language: Language) -> str:
        return self.zh if language == "zh" else self.en


@dataclass
class PrintableSheet:
    """One sheet: `name` on its tab, `title` above the header, then the rows."""

    name: str
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[CellValue]]
    language: Language = "zh"
    #: Cell notes beside the header, e.g. the unit of an indicator (optional).
    notes: dict[int, str] = field(default_factory=dict)


def display_width(text: str) -> float:
    """How wide `text` prints, in character widths: East Asian wide characters count two."""
    return sum(2.0 if unicodedata.east_asian_width(c) in ("W", "F") else 1.1 for c in text)


def _text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


class _Widths:
    def __init__(self, columns: Sequence[Column], language: Language) -> None:
        self.widths = [display_width(c.header(language)) for c in columns]
        self.kinds = [c.kind for c in columns]

    def see(self, index: int, value: CellValue) -> None:
        if index < len(self.widths):
            self.widths[index] = max(self.widths[index], display_width(_text(value)))

    def final(self, index: int) -> float:
        width = self.widths[index] + 2
        if self.kinds[index] == "date":
            width = max(width, DATE_WIDTH)
        return min(max(width, 6.0), MAX_WIDTH)


def _cell(sheet: WriteOnlyWorksheet, value: CellValue) -> Cell:
    if isinstance(value, date):
        # Stored as the day's serial number: a date cell, not a text.
        cell = WriteOnlyCell(sheet, value=datetime(value.year, value.month, value.day))
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str):
        # A control character cannot be stored in a worksheet (a search term may carry one).
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
        cell.data_type = "s"  # a text, even one that starts with "=" (never a formula)
        return cell
    return WriteOnlyCell(sheet, value=float(value) if isinstance(value, Decimal) else value)


def _sheet_name(name: str, taken: set[str]) -> str:
    base = name.translate(_INVALID_TITLE).strip()[:31] or "Sheet"
    candidate, number = base, 2
    while candidate in taken:
        suffix = f" ({number})"
        candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(candidate)
    return candidate


def _lay_out_for_print(sheet: Any, columns: int, language: Language) -> None:
    """Freeze and repeat the header; landscape A4 scaled to the page's width; page numbers.

    `sheet` is a write-only worksheet: it has the page set-up, margins and print options of any
    other, which its type stub does not declare.
    """
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_options.gridLines = True
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页" if language == "zh" else "Page &P of &N"
    sheet.print_area = f"A1:{get_column_letter(max(columns, 1))}1048576"


def _write_sheet(workbook: Workbook, spec: PrintableSheet, taken: set[str]) -> None:
    sheet = workbook.create_sheet(title=_sheet_name(spec.name, taken))
    widths = _Widths(spec.columns, spec.language)
    rows = [list(row) for row in spec.rows]
    for row in rows:
        for index, value in enumerate(row):
            widths.see(index, value)
    for index in range(len(spec.columns)):
        sheet.column_dimensions[get_column_letter(index + 1)].width = widths.final(index)
    _lay_out_for_print(sheet, len(spec.columns), spec.language)
    title = _cell(sheet, spec.title)
    title.font = TITLE_FONT
    sheet.append([title])
    headers = []
    for column in spec.columns:
        cell = _cell(sheet, column.header(spec.language))
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, HEADER_BORDER
        cell.alignment = Alignment(vertical="center")
        headers.append(cell)
    sheet.append(headers)
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])


def printable_workbook(sheets: Sequence[PrintableSheet]) -> bytes:
    """The workbook of `sheets`, each laid out for printing, as XLSX bytes."""
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    for spec in sheets:
        _write_sheet(workbook, spec, taken)
    if not sheets:
        workbook.create_sheet(title="Sheet")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def title_line(
    subject: str, day: date | None, filters: Sequence[str], printed_on: date, language: Language
) -> str:
    """ "绿色制造名单（2025-06-30）· 地区：江苏省 · 导出日期：2026-12-04" and its English."""
    parts = [
        f"{subject}（{day.isoformat()}）"
        if day and language == "zh"
        else f"{subject} ({day.isoformat()})"
        if day
        else subject
    ]
    parts.extend(filters)
    printed = (
        f"导出日期：{printed_on.isoformat()}"
        if language == "zh"
        else (f"exported {printed_on.isoformat()}")
    )
    parts.append(printed)
    return " · ".join(parts)
