"""A province's own list as it announced it (省级 / 市级绿色工厂名单), with its stars: read from a
CSV (UTF-8) or XLSX file in the layout of `data/templates/provincial-list.csv` (ADR 0143).

The layout: title rows may stand above the header; the header is the first row naming a column
名称 (or 企业名称, 单位名称, 工厂名称); the other columns, all optional, are 序号, 类别 (绿色工厂,
绿色工业园区, 绿色供应链管理企业; default 绿色工厂), 星级 (三星 / 四星 / 五星, 三星级 …, or 3–5) and
统一社会信用代码. The announcement itself — its number, date, the province, the level, the city
and the round's year — is given beside the file (command-line options, form fields).

Every row becomes what the province's own commands would have written, as announced and not
re-decided under the rules (like the national import, ADR 0040): the enterprise registered, the
unit nominated in the province's round and listed in one atomic publication on the announcement
date, then rated with its stars on that date. Rows the ledger cannot use are reported with their
line and reason; a second import of the same file writes nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from domain.tiers.stars import STARS
from domain.values import Category, Level, Reference, Region

NAME_COLUMNS = ("名称", "企业名称", "单位名称", "工厂名称", "园区名称")
HEADERS = ("序号", "名称", "类别", "星级", "统一社会信用代码")
_STARS = {"三星": 3, "四星": 4, "五星": 5, "3": 3, "4": 4, "5": 5, "★★★": 3, "★★★★": 4, "★★★★★": 5}
_CATEGORIES = {
    "绿色工厂": Category.GREEN_FACTORY,
    "绿色工业园区": Category.GREEN_PARK,
    "绿色园区": Category.GREEN_PARK,
    "绿色供应链管理企业": Category.GREEN_SUPPLY_CHAIN,
    "绿色供应链": Category.GREEN_SUPPLY_CHAIN,
}


@dataclass(frozen=True)
class ListRow:
    line: int
    name: str
    category: Category
    stars: int | None
    uscc: str | None


@dataclass(frozen=True)
class RowRefusal:
    line: int
    reason_zh: str
    reason_en: str


@dataclass(frozen=True)
class ProvincialList:
    """One announcement of a province's own list: where it belongs, and its rows."""

    level: Level
    region: Region
    city: str | None
    batch_year: int
    announcement: Reference
    published_on: date
    rows: tuple[ListRow, ...]
    refused: tuple[RowRefusal, ...] = ()


@dataclass
class ProvincialImportReport:
    listed: int = 0
    already_listed: int = 0
    stars_rated: int = 0
    refused: list[RowRefusal] = field(default_factory=list)
    position: int | None = None

    @property
    def written(self) -> bool:
        return self.position is not None


def read_csv_rows(content: bytes) -> list[list[str]]:
    """A CSV file's rows (UTF-8, with or without a byte-order mark)."""
    return [list(row) for row in csv.reader(io.StringIO(content.decode("utf-8-sig")))]


def parse_list_rows(rows: list[list[str]]) -> tuple[tuple[ListRow, ...], tuple[RowRefusal, ...]]:
    """The rows under the header, and the rows refused with their line (1-based) and reason."""
    header_at = next(
        (i for i, row in enumerate(rows) if any(c.strip() in NAME_COLUMNS for c in row)), None
    )
    if header_at is None:
        return (), (RowRefusal(1, "未找到“名称”列的表头", "no header row naming 名称"),)
    header = [c.strip() for c in rows[header_at]]
    at = {name: i for i, name in enumerate(header) if name}
    name_at = next(at[n] for n in NAME_COLUMNS if n in at)
    parsed: list[ListRow] = []
    refused: list[RowRefusal] = []
    for offset, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        cells = [c.strip() for c in row] + [""] * len(header)
        if not any(cells):
            continue
        outcome = _row(offset, cells, at, name_at)
        (parsed if isinstance(outcome, ListRow) else refused).append(outcome)  # type: ignore[arg-type]
    return tuple(parsed), tuple(refused)


def _row(line: int, cells: list[str], at: dict[str, int], name_at: int) -> ListRow | RowRefusal:
    name = cells[name_at]
    if not name:
        return RowRefusal(line, "名称为空", "the name is empty")
    category_text = cells[at["类别"]] if "类别" in at else ""
    category = _CATEGORIES.get(category_text or "绿色工厂")
    if category is None:
        return RowRefusal(
            line,
            f"类别“{category_text}”无效（绿色工厂、绿色工业园区、绿色供应链管理企业）",
            f"category {category_text!r} is not a green factory, park or supply chain",
        )
    stars_text = (cells[at["星级"]] if "星级" in at else "").removesuffix("级")
    stars = _STARS.get(stars_text) if stars_text else None
    if stars_text and stars not in STARS:
        return RowRefusal(
            line, f"星级“{stars_text}”无效（三星、四星、五星）", f"stars {stars_text!r} not 3–5"
        )
    uscc = cells[at["统一社会信用代码"]] if "统一社会信用代码" in at else ""
    return ListRow(line, name, category, stars, uscc or None)
