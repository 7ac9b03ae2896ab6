"""The national green manufacturing lists as the ministry published them (第一批 … 2021年度).

The four list files and `announcements.csv` of `data/published-lists/` (the ministry's PDF
annexes as extracted by shangfr/GreenCreditPolicy; see that directory's README) are read here into
typed rows. Each row is one unit announced on one list; what cannot be imported is reported with
its file, line and reason, never silently dropped (ADR 0040):

- the region label (地区) is resolved through `regions.csv` with its aliases (内蒙 → 内蒙古); a
  design-product row whose label is a city or a fragment is resolved by the department that
  recommended it (推荐单位, e.g. 黑龙江省工业和信息化厅), else by the city's province
  (`data/cities.csv`: 西安 → 陕西), else by the one region the same enterprise has on every
  other row of the lists (海信（山东）冰箱有限公司 → 青岛, 蒙娜丽莎集团股份有限公司 → 广东); what
  remains is reported;
- names are tidied (half-width parentheses to full-width, stray spaces inside Chinese text
  removed) and compared by `normalise_name`, so 海信(山东) and 海信（山东） are one enterprise;
- the stray `nan` that the extraction appended to design-product texts is stripped;
- a row that repeats the region, name, category (and, for design products, product and model)
  of an earlier row is one listing: it is reported as a duplicate of that row.

Everything here is pure: it turns texts into values. `read_published_lists` reads a directory.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from domain.batch import check_batch_year
from domain.errors import InvalidInputError
from domain.texts import NAME_MAX, cell_refusals
from domain.values import (
    Category,
    Product,
    Reference,
    Region,
    batch_label,
    batch_label_en,
    normalise_name,
)

ANNOUNCEMENTS_FILE = "announcements.csv"
ANNOUNCEMENT_COLUMNS = ("时间", "批次", "名称", "名单", "网页")


@dataclass(frozen=True)
class ListFormat:
    """The columns of one published list file."""

    file: str
    category: Category
    name_column: str
    columns: tuple[str, ...]
    #: The columns without which a row cannot be imported.
    required: tuple[str, ...]


FACTORIES = ListFormat(
    file="green_factories.csv",
    category=Category.GREEN_FACTORY,
    name_column="工厂名称",
    columns=("序号", "地区", "工厂名称", "行业", "第三方评价机构", "批次"),
    required=("地区", "工厂名称", "批次"),
)
PARKS = ListFormat(
    file="green_parks.csv",
    category=Category.GREEN_PARK,
    name_column="园区",
    columns=("序号", "地区", "园区", "第三方评价机构", "批次"),
    required=("地区", "园区", "批次"),
)
SUPPLY_CHAIN = ListFormat(
    file="green_supply_chain.csv",
    category=Category.GREEN_SUPPLY_CHAIN,
    name_column="企业名称",
    columns=("序号", "地区", "企业名称", "第三方评价机构", "批次"),
    required=("地区", "企业名称", "批次"),
)
DESIGN_PRODUCTS = ListFormat(
    file="green_design_products.csv",
    category=Category.GREEN_DESIGN_PRODUCT,
    name_column="企业名称",
    columns=(
        "序号",
        "企业名称",
        "产品名称",
        "产品型号",
        "推荐单位",
        "地区",
        "批次",
        "种类",
        "绿色设计亮点",
        "适用评价标准",
    ),
    required=("企业名称", "产品名称", "产品型号", "地区", "批次"),
)

#: In this order: within one announcement, factories come first, so that an enterprise on
#: several lists is registered with the industry (行业) the factory list gives it.
LIST_FORMATS: tuple[ListFormat, ...] = (FACTORIES, PARKS, SUPPLY_CHAIN, DESIGN_PRODUCTS)
FORMAT_BY_FILE = {f.file: f for f in LIST_FORMATS}

#: `名称` of announcements.csv: which list an announced document is.
LIST_TITLES: dict[str, Category] = {
    "绿色工厂名单": Category.GREEN_FACTORY,
    "绿色设计产品名单": Category.GREEN_DESIGN_PRODUCT,
    "绿色工业园区名单": Category.GREEN_PARK,
    "绿色供应链管理示范企业名单": Category.GREEN_SUPPLY_CHAIN,
}


# -- typed rows --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Announcement:
    """The ministry's announcement of one list of one batch: its date and official documents."""

    batch_year: int
    category: Category
    announced_on: date
    #: The list itself (the annex PDF), e.g. 第一批绿色工厂名单.
    list_document: Reference
    #: The notice that published the batch (the web page), e.g. 第一批绿色制造名单.
    notice: Reference
    line: int

    @property
    def basis(self) -> tuple[Reference, ...]:
        return (self.list_document, self.notice)


@dataclass(frozen=True)
class PublishedRow:
    """One unit announced on one list, as published (no credit code: the lists carry none)."""

    file: str
    line: int
    category: Category
    batch_year: int
    announced_on: date
    region: Region
    #: The 地区 label as published (内蒙, 兵团, 西安, 黑龙 ...).
    region_label: str
    name: str
    product: Product | None = None
    #: 种类, e.g. 一、家用洗涤剂（58种）.
    product_kind: str | None = None
    #: 绿色设计亮点.
    highlights: str | None = None
    #: 行业 (factories).
    industry: str | None = None
    #: 第三方评价机构: a name only; evaluators are identified by credit code (ADR 0040).
    evaluator_name: str | None = None
    #: 推荐单位 (design products).
    recommender: str | None = None
    #: The 地区 label resolved to no region; the region is the one the same enterprise has on
    #: every other row of the lists.
    region_from_other_rows: bool = False

    @property
    def identity(self) -> tuple[str, str, str, str]:
        """What makes two rows one listing: category, region, name (and product + model)."""
        product_key = self.product.key if self.product is not None else "-"
        return (self.category.value, self.region.code, normalise_name(self.name), product_key)


@dataclass(frozen=True)
class RejectedRow:
    """A row that cannot be imported, with the reason (Chinese first, English beside)."""

    file: str
    line: int
    reason: str
    batch_year: int | None = None
    category: Category | None = None
    #: How many rows this covers: all of a file's rows when its header lacks a column.
    rows: int = 1


@dataclass(frozen=True)
class DuplicateRow:
    """A row that repeats an earlier row's listing: the listing is imported once, from the first."""

    file: str
    line: int
    batch_year: int
    category: Category
    first_file: str
    first_line: int
    first_batch_year: int

    @property
    def reason(self) -> str:
        where = f"{self.first_file} 第 {self.first_line} 行"
        return (
            f"与{where}（{batch_label(self.first_batch_year)}）为同一{self.category.label_zh}，"
            f"按一条名单记录导入 (duplicate of {self.first_file} line {self.first_line}, "
            f"{batch_label_en(self.first_batch_year)}: imported once)"
        )


@dataclass(frozen=True)
class PublishedLists:
    """What a directory of published lists holds: announcements, importable rows, the rest."""

    announcements: tuple[Announcement, ...]
    #: In the order of announcement (date, batch), then file (factories first), then line.
    rows: tuple[PublishedRow, ...]
    rejected: tuple[RejectedRow, ...]
    duplicates: tuple[DuplicateRow, ...]
    #: The list files read (announcements.csv aside).
    files: tuple[str, ...] = field(default_factory=tuple)

    def announcement(self, batch_year: int, category: Category) -> Announcement | None:
        for announcement in self.announcements:
            if announcement.batch_year == batch_year and announcement.category is category:
                return announcement
        return None


# -- names, cells and regions ----------------------------------------------------------------------

_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
_SPACES_BY_CJK = re.compile(rf"\s+(?={_CJK})|(?<={_CJK})\s+")
_HAS_CJK = re.compile(_CJK)
_SPACES = re.compile(r"\s+")


def tidy_name(raw: str) -> str:
    """A published name as stored: full-width parentheses and no stray spaces in Chinese text.

    `TCL 空调器(中山)有限公司` → `TCL空调器（中山）有限公司`; spaces between Latin words stay.
    Identity does not depend on this (it compares `normalise_name`); this is what people read.
    """
    name = _SPACES.sub(" ", raw).strip()
    if _HAS_CJK.search(name):
        name = name.replace("(", "（").replace(")", "）")
        name = _SPACES_BY_CJK.sub("", name)
    return name


def _text(value: str | None) -> str | None:
    """A cell's text: trimmed, single spaces; None when empty or the extraction's `nan`."""
    if value is None:
        return None
    text = _SPACES.sub(" ", value).strip()
    return None if text in ("", "nan") else text


def _without_nan(value: str | None) -> str | None:
    """A design-product text without the `nan` the extraction appended to it."""
    text = _text(value)
    if text is not None and text.endswith("nan"):
        text = text[: -len("nan")].rstrip()
    return text or None


@cache
def city_regions() -> dict[str, Region]:
    """The cities (and a county) that design-product rows give as 地区, with their province."""
    text = resources.files("domain").joinpath("data/cities.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text, newline=""))
    return {row["label"]: Region.of(row["region_code"]) for row in rows}


def region_of_department(department: str) -> Region | None:
    """The region whose department this is: 黑龙江省工业和信息化厅 → 黑龙江, 青岛市… → 青岛."""
    matches = [r for r in Region.all() if department.strip().startswith(r.name_zh)]
    return max(matches, key=lambda r: len(r.name_zh)) if matches else None


def resolve_region(label: str, recommender: str | None = None) -> Region | None:
    """The reporting region a published row means, or None.

    Its 地区 label (with the aliases of regions.csv); else the region of the department that
    recommended it (推荐单位); else the province of the city its label names.
    """
    region = Region.resolve(label)
    if region is not None:
        return region
    if recommender:
        region = region_of_department(recommender)
        if region is not None:
            return region
    return city_regions().get(label.strip())


def regions_by_name(texts: Mapping[str, str]) -> dict[str, Region]:
    """The region of each enterprise whose rows, where their own label resolves, all name one.

    By normalised name, over every list file of `texts`: the enterprise's known region, for a row
    whose 地区 is a fragment (海信, 蒙娜) and whose recommender names no province.
    """
    seen: dict[str, set[Region]] = {}
    for list_format in LIST_FORMATS:
        if list_format.file not in texts:
            continue
        for cells in csv.DictReader(io.StringIO(texts[list_format.file], newline="")):
            name = _text(_cell(cells, list_format.name_column))
            label = _text(_cell(cells, "地区")) or ""
            region = resolve_region(label, _text(_cell(cells, "推荐单位")))
            if name is not None and region is not None:
                seen.setdefault(normalise_name(tidy_name(name)), set()).add(region)
    return {name: next(iter(regions)) for name, regions in seen.items() if len(regions) == 1}


# -- announcements ---------------------------------------------------------------------------------

_CHINESE_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")


def parse_announcement_date(text: str) -> date:
    """`2017年8月23日` (or `2017-08-23`) as a date; ValueError otherwise."""
    text = text.strip()
    match = _CHINESE_DATE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return date(year, month, day)
    return date.fromisoformat(text)


def parse_batch(text: str | None) -> int:
    """批次 as a batch year (1–5, or a year such as 2021); ValueError otherwise."""
    try:
        return check_batch_year(int((text or "").strip()))
    except (ValueError, InvalidInputError):
        raise ValueError(text) from None


def _bad_batch(raw: str | None) -> str:
    return (
        f"批次「{raw or ''}」无效，应为 1–5 或年度如 2021 "
        f"(bad batch {raw!r}: expected 1–5 or a year such as 2021)"
    )


def parse_announcements(
    text: str, file: str = ANNOUNCEMENTS_FILE
) -> tuple[tuple[Announcement, ...], tuple[RejectedRow, ...]]:
    """The announcements of announcements.csv, and the rows that are not one."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in ANNOUNCEMENT_COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        return (), (_missing_columns(file, missing, sum(1 for _ in reader)),)
    announcements: list[Announcement] = []
    rejected: list[RejectedRow] = []
    seen: dict[tuple[int, Category], int] = {}
    for line, row in _numbered(reader):
        problems: list[str] = []
        title = (_cell(row, "名称") or "").strip()
        category = LIST_TITLES.get(title)
        if category is None:
            problems.append(f"名称「{title}」不是已知名单 (unknown list title)")
        try:
            batch_year: int | None = parse_batch(_cell(row, "批次"))
        except ValueError:
            batch_year = None
            problems.append(_bad_batch(_cell(row, "批次")))
        try:
            announced_on = parse_announcement_date(_cell(row, "时间") or "")
        except ValueError:
            problems.append(f"时间「{_cell(row, '时间') or ''}」不是日期 (bad date)")
        try:
            list_url, notice_url = (_url(_cell(row, "名单")), _url(_cell(row, "网页")))
        except ValueError as error:
            problems.append(str(error))
        if category is not None and batch_year is not None:
            first = seen.get((batch_year, category))
            if first is not None:
                problems.append(f"与第 {first} 行重复 (repeats line {first})")
            seen.setdefault((batch_year, category), line)
        if problems or category is None or batch_year is None:
            rejected.append(RejectedRow(file, line, "；".join(problems), batch_year, category))
            continue
        label = batch_label(batch_year)
        announcements.append(
            Announcement(
                batch_year=batch_year,
                category=category,
                announced_on=announced_on,
                list_document=Reference(title=f"{label}{title}", url=list_url),
                notice=Reference(title=f"{label}绿色制造名单", url=notice_url),
                line=line,
            )
        )
    return tuple(announcements), tuple(rejected)


def _url(value: str | None) -> str:
    url = (value or "").strip()
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"网址「{url}」无效 (not an http(s) URL)")
    return url


# -- list files ------------------------------------------------------------------------------------


def parse_list(
    list_format: ListFormat,
    text: str,
    announcements: Iterable[Announcement],
    known_regions: Mapping[str, Region] | None = None,
) -> tuple[tuple[PublishedRow, ...], tuple[RejectedRow, ...]]:
    """The rows of one list file, and the rows that cannot be imported with their reasons.

    `known_regions` (`regions_by_name`) resolves a row whose own 地区 and 推荐单位 do not.
    """
    by_batch = {a.batch_year: a for a in announcements if a.category is list_format.category}
    file = list_format.file
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in list_format.required if c not in (reader.fieldnames or ())]
    if missing:
        return (), (_missing_columns(file, missing, sum(1 for _ in reader)),)
    rows: list[PublishedRow] = []
    rejected: list[RejectedRow] = []
    for line, cells in _numbered(reader):
        row_or_reason = _parse_row(list_format, line, cells, by_batch, known_regions or {})
        if isinstance(row_or_reason, PublishedRow):
            rows.append(row_or_reason)
        else:
            rejected.append(row_or_reason)
    return tuple(rows), tuple(rejected)


def _parse_row(
    list_format: ListFormat,
    line: int,
    cells: Cells,
    by_batch: Mapping[int, Announcement],
    known_regions: Mapping[str, Region],
) -> PublishedRow | RejectedRow:
    def cell(column: str) -> str | None:
        return _cell(cells, column)

    problems = cell_refusals(cells, limits={list_format.name_column: NAME_MAX})
    extra = cells.get(None)
    if isinstance(extra, list) and extra:
        problems.append(f"比表头多 {len(extra)} 列 ({len(extra)} more cells than the header)")
    for column in list_format.required:
        if column in cells and cells[column] is None:
            problems.append(f"缺少「{column}」列 (missing column {column})")
    batch_year, announcement = _row_announcement(list_format, cell("批次"), by_batch, problems)
    name = _text(cell(list_format.name_column))
    if cell(list_format.name_column) is not None and name is None:
        problems.append(
            f"「{list_format.name_column}」为空 (empty name in {list_format.name_column})"
        )
    recommender = _text(cell("推荐单位"))
    label = _text(cell("地区")) or ""
    region = resolve_region(label, recommender)
    from_other_rows = False
    if region is None and name is not None:
        region = known_regions.get(normalise_name(tidy_name(name)))
        from_other_rows = region is not None
    if cell("地区") is not None and region is None:
        problems.append(f"地区「{label}」无法识别 (unknown region {label!r})")
    product: Product | None = None
    if list_format.category is Category.GREEN_DESIGN_PRODUCT:
        product = _row_product(cell, problems)
    if problems or name is None or region is None or announcement is None:
        return RejectedRow(
            list_format.file, line, "；".join(problems), batch_year, list_format.category
        )
    if list_format.category is Category.GREEN_DESIGN_PRODUCT and product is None:
        return RejectedRow(list_format.file, line, "缺少产品 (no product)", batch_year)
    return PublishedRow(
        file=list_format.file,
        line=line,
        category=list_format.category,
        batch_year=announcement.batch_year,
        announced_on=announcement.announced_on,
        region=region,
        region_label=label,
        name=tidy_name(name),
        product=product,
        product_kind=_text(cell("种类")),
        highlights=_without_nan(cell("绿色设计亮点")),
        industry=_text(cell("行业")),
        evaluator_name=_text(cell("第三方评价机构")),
        recommender=recommender,
        region_from_other_rows=from_other_rows,
    )


def _row_announcement(
    list_format: ListFormat,
    raw_batch: str | None,
    by_batch: Mapping[int, Announcement],
    problems: list[str],
) -> tuple[int | None, Announcement | None]:
    """The row's batch year and the announcement of its list; problems noted in `problems`."""
    if raw_batch is None:
        return None, None
    try:
        batch_year = parse_batch(raw_batch)
    except ValueError:
        problems.append(_bad_batch(raw_batch))
        return None, None
    announcement = by_batch.get(batch_year)
    if announcement is None:
        problems.append(
            f"批次「{raw_batch}」没有{list_format.category.label_zh}名单的公告 "
            f"(bad batch {raw_batch}: announcements.csv has no "
            f"{list_format.category.value} list for it)"
        )
    return batch_year, announcement


def _row_product(cell: Callable[[str], str | None], problems: list[str]) -> Product | None:
    """A design-product row's product (name, model, standard); problems noted in `problems`."""
    product_name = _text(cell("产品名称"))
    if cell("产品名称") is not None and product_name is None:
        problems.append("「产品名称」为空 (empty product name)")
    if product_name is None:
        return None
    model = _text(cell("产品型号"))
    return Product(
        name=product_name,
        model=None if model in (None, "-") else model,
        standard=_without_nan(cell("适用评价标准")),
    )


Cells = Mapping[str | None, Any]


def _numbered(reader: csv.DictReader[str]) -> Iterable[tuple[int, Cells]]:
    """Each row with the line it starts on (the header is line 1)."""
    previous_end = reader.line_num
    for row in reader:
        yield previous_end + 1, row
        previous_end = reader.line_num


def _cell(cells: Cells, column: str) -> str | None:
    """The raw text of a cell; None when the row is too short to have it."""
    value = cells.get(column)
    return value if isinstance(value, str) else None


def _missing_columns(file: str, missing: list[str], row_count: int) -> RejectedRow:
    columns = "、".join(missing)
    return RejectedRow(
        file,
        1,
        f"缺少列「{columns}」，本文件 {row_count} 行均未导入 "
        f"(missing column {', '.join(missing)}: none of the file's {row_count} rows imported)",
        rows=row_count,
    )


# -- the whole directory ---------------------------------------------------------------------------


def csv_rows(file: str, text: str) -> list[list[str]]:
    """The rows of a CSV text; InvalidInputError naming the file and the line when the text is
    not CSV Python can read (a field over 131,072 characters, a NUL outside quotes: issue 16)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return list(reader)
    except csv.Error as error:
        raise InvalidInputError(
            file,
            f"第 {reader.line_num} 行无法读取（{error}）(line {reader.line_num} is not readable "
            f"CSV: {error})",
        ) from None


def parse_published_lists(texts: Mapping[str, str]) -> PublishedLists:
    """The published lists from their texts by file name (announcements.csv and list files)."""
    for file, text in texts.items():
        csv_rows(file, text)
    if ANNOUNCEMENTS_FILE not in texts:
        raise InvalidInputError(
            "directory", f"{ANNOUNCEMENTS_FILE} is missing: without it no list can be dated"
        )
    announcements, rejected = parse_announcements(texts[ANNOUNCEMENTS_FILE])
    all_rejected = list(rejected)
    rows: list[PublishedRow] = []
    files: list[str] = []
    known_regions = regions_by_name(texts)
    for list_format in LIST_FORMATS:
        if list_format.file not in texts:
            continue
        files.append(list_format.file)
        parsed, refused = parse_list(
            list_format, texts[list_format.file], announcements, known_regions
        )
        rows.extend(parsed)
        all_rejected.extend(refused)
    for file in sorted(set(texts) - set(FORMAT_BY_FILE) - {ANNOUNCEMENTS_FILE}):
        known = "、".join(f.file for f in LIST_FORMATS)
        reason = f"不是已知的名单文件 (not a published-list file: expected {known})"
        all_rejected.append(RejectedRow(file, 1, reason))
    order = {f.file: i for i, f in enumerate(LIST_FORMATS)}
    rows.sort(key=lambda r: (r.announced_on, r.batch_year, order[r.file], r.line))
    unique, duplicates = first_of_each_listing(rows)
    return PublishedLists(
        announcements=tuple(sorted(announcements, key=lambda a: (a.announced_on, a.line))),
        rows=unique,
        rejected=tuple(all_rejected),
        duplicates=duplicates,
        files=tuple(files),
    )


def first_of_each_listing(
    rows: Iterable[PublishedRow],
) -> tuple[tuple[PublishedRow, ...], tuple[DuplicateRow, ...]]:
    """The first row of each listing, and every later row that repeats one as a duplicate."""
    first: dict[tuple[str, str, str, str], PublishedRow] = {}
    duplicates: list[DuplicateRow] = []
    for row in rows:
        earlier = first.setdefault(row.identity, row)
        if earlier is not row:
            duplicates.append(
                DuplicateRow(
                    file=row.file,
                    line=row.line,
                    batch_year=row.batch_year,
                    category=row.category,
                    first_file=earlier.file,
                    first_line=earlier.line,
                    first_batch_year=earlier.batch_year,
                )
            )
    return tuple(first.values()), tuple(duplicates)


def read_published_lists(directory: Path) -> PublishedLists:
    """The published lists in `directory` (its .csv files; see `parse_published_lists`)."""
    if not directory.is_dir():
        raise InvalidInputError("directory", f"{directory} is not a directory")
    texts = {
        path.name: path.read_text(encoding="utf-8-sig") for path in sorted(directory.glob("*.csv"))
    }
    return parse_published_lists(texts)
