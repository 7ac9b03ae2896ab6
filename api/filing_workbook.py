"""The dynamic management tables as a workbook (动态管理表, 工信厅节函〔2022〕235号 附件6–9): the
template a province hands out, and the reading of the filled-in file.

One sheet per category (绿色工厂 附件6, 绿色设计产品 附件7, 绿色工业园区 附件8, 绿色供应链管理企业
附件9), titled with the annex, the report year and the region. Row 2 holds the Chinese headers:
序号, 名单编号, 单位名称, 级别, 批次, 报告年度, then for each key indicator of the category
(indicators.csv) its Chinese name with its unit — the column to fill — and beside it the same
indicator's value filed for the year before (上年), for reference only. The rows are the region's
units on the list, pre-filled with last year's values.

The annexes' own column layout is not transcribed in the team's documents: the columns follow the
indicator catalogue (unverified against the annexes' printed forms).

Reading takes the sheets it recognises by name, the columns by header, and answers every data row
as a `FilingRow` or as the errors that keep it out, each naming sheet, row, column and rule.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from api.printing import display_width
from domain.loading.filings import FilingRow
from domain.values import (
    ON_LIST,
    Category,
    Indicator,
    IndicatorDefinition,
    Level,
    Region,
    batch_label,
    indicator_definitions,
)
from readside.engine.database import Views
from readside.listings.queue import EVERY_STATE, QueueItem, list_filing_queue

ANNEXES = {
    Category.GREEN_FACTORY: "附件6",
    Category.GREEN_DESIGN_PRODUCT: "附件7",
    Category.GREEN_PARK: "附件8",
    Category.GREEN_SUPPLY_CHAIN: "附件9",
}
NUMBER, LISTING_ID, NAME, LEVEL, BATCH, REPORT_YEAR = (
    "序号",
    "名单编号",
    "单位名称",
    "级别",
    "批次",
    "报告年度",
)
FIXED_HEADERS = (NUMBER, LISTING_ID, NAME, LEVEL, BATCH, REPORT_YEAR)
PREVIOUS = "上年 "
NOTE = "备注"
#: The energy-efficiency class is a word, in Chinese or as its code.
CLASSES = {"标杆": "benchmark", "先进": "advanced", "基准": "baseline", "低于基准": "below"}
CLASS_CODES = frozenset(CLASSES.values())
FILL_HERE = PatternFill("solid", fgColor="FFF8DC")
MAX_ROWS = 20_000


def indicator_header(definition: IndicatorDefinition) -> str:
    """单位产品综合能耗（kgce/t）: the column to fill."""
    return f"{definition.name_zh}（{definition.unit}）"


def category_indicators(category: Category) -> list[IndicatorDefinition]:
    return [d for d in indicator_definitions().values() if category in d.categories]


# -- the template ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateUnit:
    """A unit on the list and its table of the year before (if any)."""

    listing_id: UUID
    name: str
    level: str
    batch_year: int
    previous: dict[str, dict[str, str]]


def units_of(items: Iterable[QueueItem]) -> dict[UUID, dict[str, dict[str, str]]]:
    """Last year's indicators by listing, from last year's queue."""
    return {item.listing_id: item.indicators for item in items if item.indicators}


def _as_texts(cells: Any) -> None:
    """Every text of a written row a text cell: a unit's name is never a formula (ADR 0101)."""
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _sheet_title(category: Category, report_year: int, region: Region | None) -> str:
    where = region.name_zh if region is not None else "全部地区"
    return (
        f"{category.label_zh}动态管理表（{ANNEXES[category]}） · {report_year}年度 · {where} · "
        "黄色列填写本年度数值；“上年”列仅供参考，导入时不读取"
    )


def _write_sheet(
    workbook: Workbook,
    category: Category,
    units: Sequence[TemplateUnit],
    report_year: int,
    region: Region | None,
) -> None:
    sheet = workbook.create_sheet(title=category.label_zh)
    definitions = category_indicators(category)
    headers = list(FIXED_HEADERS)
    for definition in definitions:
        headers += [indicator_header(definition), PREVIOUS + indicator_header(definition)]
    headers.append(NOTE)
    sheet.append([_sheet_title(category, report_year, region)])
    _as_texts(sheet[1])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(headers)
    for number, unit in enumerate(units, start=1):
        row: list[Any] = [
            number,
            str(unit.listing_id),
            unit.name,
            Level(unit.level).label_zh,
            batch_label(unit.batch_year),
            report_year,
        ]
        for definition in definitions:
            previous = unit.previous.get(definition.code)
            row += [previous["value"] if previous else None, _value(previous)]
        sheet.append(row)
        _as_texts(sheet[sheet.max_row])
    _lay_out(sheet, headers, len(units), definitions)


def _value(previous: dict[str, str] | None) -> Any:
    if previous is None:
        return None
    text = str(previous["value"])
    try:
        return float(Decimal(text))
    except InvalidOperation:
        return text


def _lay_out(
    sheet: Any, headers: list[str], rows: int, definitions: list[IndicatorDefinition]
) -> None:
    sheet.freeze_panes = "D3"
    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        width = display_width(header) + 2
        if header == LISTING_ID:
            width = 38
        elif header == NAME:
            width = max([width, *(display_width(str(c.value or "")) + 2 for c in sheet[letter])])
        sheet.column_dimensions[letter].width = min(width, 80)
        sheet.cell(row=2, column=index).font = Font(bold=True)
        if header not in FIXED_HEADERS and not header.startswith(PREVIOUS) and header != NOTE:
            sheet.cell(row=2, column=index).fill = FILL_HERE
    for index, definition in enumerate(definitions):
        if definition.unit == "class" and rows:
            letter = get_column_letter(len(FIXED_HEADERS) + 1 + 2 * index)
            check = DataValidation(type="list", formula1='"标杆,先进,基准,低于基准"')
            check.add(f"{letter}3:{letter}{rows + 2}")
            sheet.add_data_validation(check)


def _guide(workbook: Workbook) -> None:
    sheet = workbook.create_sheet(title="说明")
    sheet.append(["指标代码", "指标名称", "单位", "适用类别", "说明"])
    for definition in indicator_definitions().values():
        sheet.append(
            [
                definition.code,
                definition.name_zh,
                definition.unit,
                "、".join(c.label_zh for c in Category if c in definition.categories),
                definition.note,
            ]
        )
    sheet.append([])
    sheet.append(
        ["填写说明：每行一个单位；名单编号和报告年度勿改；百分比填数字（如 95.5 表示 95.5%）；"]
    )
    sheet.append(["能效水平填 标杆、先进、基准 或 低于基准；上传后先预览，确认无误再提交。"])
    for letter, width in zip("ABCDE", (32, 28, 12, 30, 60), strict=True):
        sheet.column_dimensions[letter].width = width


def template_workbook(
    units: Mapping[Category, Sequence[TemplateUnit]], report_year: int, region: Region | None
) -> bytes:
    """The template: one sheet per category asked for, then the guide to the indicators."""
    workbook = Workbook()
    if workbook.active is not None:
        workbook.remove(workbook.active)
    for category, rows in units.items():
        _write_sheet(workbook, category, rows, report_year, region)
    _guide(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# -- reading it back -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    """Why a row cannot be filed: where (sheet, row, column) and by which rule."""

    sheet: str
    row: int
    column: str
    rule: str
    message_zh: str
    message_en: str


@dataclass(frozen=True)
class ReadWorkbook:
    rows: tuple[FilingRow, ...]
    errors: tuple[CellError, ...]
    #: Rows with nothing to file (no indicator filled in), by sheet and row.
    empty: tuple[tuple[str, int], ...]
    #: Where each row's columns are: (sheet, row) → {field: column label}.
    columns: dict[str, dict[str, str]]


class UnreadableWorkbookError(ValueError):
    """Raised when the upload is not an XLSX workbook, or holds no sheet of a category."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh


def read_filing_workbook(content: bytes) -> ReadWorkbook:
    """Every data row of every category sheet, as a filing or as the errors that refuse it."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise UnreadableWorkbookError(
            "上传的文件不是 Excel 工作簿（.xlsx）", "the upload is not an XLSX workbook"
        ) from error
    reader = _Reader()
    try:
        sheets = [s for s in workbook.worksheets if _category_of(s.title) is not None]
        if not sheets:
            names = "、".join(c.label_zh for c in Category)
            raise UnreadableWorkbookError(
                f"工作簿中没有以类别命名的工作表（{names}）",
                "no sheet is named after a category",
            )
        for sheet in sheets:
            reader.read_sheet(sheet)
    finally:
        workbook.close()
    return ReadWorkbook(
        tuple(reader.rows), tuple(reader.errors), tuple(reader.empty), reader.columns
    )


def _category_of(title: str) -> Category | None:
    for category in Category:
        if title.strip() in (category.label_zh, category.value):
            return category
    return None


class _Reader:
    def __init__(self) -> None:
        self.rows: list[FilingRow] = []
        self.errors: list[CellError] = []
        self.empty: list[tuple[str, int]] = []
        self.columns: dict[str, dict[str, str]] = {}
        self.count = 0

    def read_sheet(self, sheet: Any) -> None:
        category = _category_of(sheet.title)
        assert category is not None  # the caller chose the sheets by category
        lines = sheet.iter_rows(values_only=True)
        header_row, headers = _find_headers(lines)
        if headers is None:
            self.errors.append(
                CellError(
                    sheet.title,
                    1,
                    "—",
                    "表头",
                    f"工作表中没有以“{NUMBER}”开头的表头行",
                    "no header row starting with 序号",
                )
            )
            return
        layout = _Layout(sheet.title, category, headers)
        self.columns[sheet.title] = layout.labels()
        self.errors.extend(layout.missing(header_row))
        if layout.missing(header_row):
            return
        for offset, cells in enumerate(lines, start=header_row + 1):
            if not any(c not in (None, "") for c in cells):
                continue
            self.count += 1
            if self.count > MAX_ROWS:
                self.errors.append(
                    CellError(
                        sheet.title,
                        offset,
                        "—",
                        "行数",
                        f"一个文件最多 {MAX_ROWS} 行",
                        f"at most {MAX_ROWS} rows",
                    )
                )
                return
            self._read_row(layout, offset, cells)

    def _read_row(self, layout: _Layout, row: int, cells: Sequence[Any]) -> None:
        errors: list[CellError] = []
        listing_id = layout.listing_id(row, cells, errors)
        year = layout.report_year(row, cells, errors)
        indicators = layout.indicators(row, cells, errors)
        if errors:
            self.errors.extend(errors)
        elif not indicators:
            self.empty.append((layout.sheet, row))
        elif listing_id is not None and year is not None:
            self.rows.append(
                FilingRow(layout.sheet, row, layout.category, listing_id, year, indicators)
            )


def _find_headers(lines: Any) -> tuple[int, list[str] | None]:
    for number, cells in enumerate(lines, start=1):
        if cells and str(cells[0] or "").strip() == NUMBER:
            return number, [str(c or "").strip() for c in cells]
        if number >= 10:
            break
    return 0, None


class _Layout:
    """Where a sheet's columns are, by their headers."""

    def __init__(self, sheet: str, category: Category, headers: list[str]) -> None:
        self.sheet = sheet
        self.category = category
        self.index = {header: i for i, header in enumerate(headers) if header}
        self.definitions = category_indicators(category)

    def labels(self) -> dict[str, str]:
        found = {"listing_id": LISTING_ID, "report_year": REPORT_YEAR}
        for definition in self.definitions:
            found[f"indicators.{definition.code}"] = indicator_header(definition)
        return {name: self.label(header) for name, header in found.items()}

    def label(self, header: str) -> str:
        index = self.index.get(header)
        return f"{get_column_letter(index + 1)} {header}" if index is not None else header

    def missing(self, row: int) -> list[CellError]:
        wanted = [LISTING_ID, REPORT_YEAR]
        return [
            CellError(
                self.sheet,
                row,
                header,
                "表头",
                f"缺少“{header}”列",
                f"the column {header} is missing",
            )
            for header in wanted
            if header not in self.index
        ]

    def cell(self, cells: Sequence[Any], header: str) -> Any:
        index = self.index.get(header)
        return cells[index] if index is not None and index < len(cells) else None

    def error(self, row: int, header: str, rule: str, zh: str, en: str) -> CellError:
        return CellError(self.sheet, row, self.label(header), rule, zh, en)

    def listing_id(self, row: int, cells: Sequence[Any], errors: list[CellError]) -> UUID | None:
        text = str(self.cell(cells, LISTING_ID) or "").strip()
        try:
            return UUID(text)
        except ValueError:
            errors.append(
                self.error(
                    row,
                    LISTING_ID,
                    "名单编号格式",
                    f"“{text}”不是名单编号（UUID），请勿修改模板中的名单编号",
                    f"{text!r} is not a listing id (UUID)",
                )
            )
            return None

    def report_year(self, row: int, cells: Sequence[Any], errors: list[CellError]) -> int | None:
        value = self.cell(cells, REPORT_YEAR)
        try:
            year = int(str(value).strip()) if value is not None else 0
        except ValueError:
            year = 0
        if not 2000 <= year <= 2099:
            errors.append(
                self.error(
                    row,
                    REPORT_YEAR,
                    "报告年度",
                    f"“{value if value is not None else ''}”不是2000到2099之间的年份",
                    f"{value!r} is not a year 2000–2099",
                )
            )
            return None
        return year

    def indicators(
        self, row: int, cells: Sequence[Any], errors: list[CellError]
    ) -> dict[str, Indicator]:
        found: dict[str, Indicator] = {}
        for definition in self.definitions:
            header = indicator_header(definition)
            value = self.cell(cells, header)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            parsed = _indicator_value(definition, value)
            if isinstance(parsed, tuple):
                errors.append(self.error(row, header, parsed[0], parsed[1], parsed[2]))
            else:
                found[definition.code] = Indicator(parsed, definition.unit)
        return found


def _indicator_value(
    definition: IndicatorDefinition, value: Any
) -> Decimal | str | tuple[str, str, str]:
    """The indicator's value, or (rule, message in Chinese, message in English)."""
    if definition.unit == "class":
        text = str(value).strip()
        code = CLASSES.get(text, text)
        if code in CLASS_CODES:
            return code
        return (
            "能效水平取值",
            f"“{text}”应为 标杆、先进、基准 或 低于基准",
            f"{text!r} is not benchmark, advanced, baseline or below",
        )
    try:
        number = Decimal(str(value).strip().rstrip("%")) if not isinstance(value, bool) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        return ("数值", f"“{value}”不是数字", f"{value!r} is not a number")
    if number < 0:
        return ("数值范围", f"{number} 为负数，指标值不能为负", f"{number} is negative")
    if definition.unit == "%" and number > 100:
        return (
            "数值范围",
            f"{number} 超过100（百分比填0到100之间的数）",
            f"{number} is above 100 (a percentage)",
        )
    return number


def region_template(
    views: Views, *, region: Region | None, categories: Sequence[Category], report_year: int
) -> bytes:
    """The template of `report_year` for the region's units on the list (every region's for
    None), pre-filled with their tables of the year before."""
    now = list_filing_queue(views, region=region, report_year=report_year, states=EVERY_STATE)
    before = list_filing_queue(
        views, region=region, report_year=report_year - 1, states=("submitted", "reviewed")
    )
    previous = units_of(before.items)
    on_list = {status.value for status in ON_LIST}
    units: dict[Category, list[TemplateUnit]] = {category: [] for category in categories}
    for item in now.items:
        category = Category(item.category)
        if category in units and item.status in on_list:
            units[category].append(
                TemplateUnit(
                    item.listing_id,
                    item.name,
                    item.level,
                    item.batch_year,
                    previous.get(item.listing_id, {}),
                )
            )
    return template_workbook(units, report_year, region)
