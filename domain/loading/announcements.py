"""The ministry's later announcements, as a directory of transcribed annexes (ADR 0041).

From 2022年度 on (工信厅节函〔2023〕64号 …) each yearly notice publishes new lists (绿色工厂名单,
绿色设计产品名单, 绿色工业园区名单, 绿色供应链管理企业名单 — "示范" dropped from the title), a
移出名单 (units removed by dynamic management, with the reason) and a 更名名单 (old name → new
name). They exist only as the official PDF annexes; a user transcribes each annex into a CSV or
XLSX file with the annex's own columns (序号, 地区, 名称 …) and names the files in a manifest,
`announcements.csv`, one row per annex file:

    序号, 文号, 时间, 年度, 通知, 名称, 文件, 网页, 名单

`文号` names the notice: the rows sharing it are one notice, recorded as one atomic publication;
`时间` is its date, `年度` the round whose list it publishes (1–5 or a year), `名称` the annex's
title as published, `文件` the transcription's file name; `通知` (the notice's title), `网页` and
`名单` (the official URLs) are optional. Which annex a file is, its header says: 原名称 and
现名称 → 更名名单; 移出原因 → 移出名单; otherwise a list, of the category its title names. A
title row above the header, and section headings inside the table (一、绿色工厂), are read as the
PDF has them. Where a notice names a removed unit otherwise than its list did (泰兴经济技术开发区
for 江苏省泰兴经济开发区), the 移出名单 may give the listed name in 名单所列名称: the notice's name
is then recorded as the unit's alias.

Pure: bytes in, typed rows out; every row that cannot be used is reported with its file, line and
reason, Chinese first. XLSX files are read by a reader the caller passes (the domain imports no
spreadsheet library).
"""

from __future__ import annotations

import csv
import enum
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from domain.errors import InvalidInputError
from domain.loading.published_lists import (
    DuplicateRow,
    PublishedRow,
    RejectedRow,
    csv_rows,
    first_of_each_listing,
    parse_announcement_date,
    parse_batch,
    resolve_region,
    tidy_name,
)
from domain.texts import cell_refusals
from domain.values import (
    Category,
    Product,
    Reference,
    Region,
    RemovalReason,
    batch_label,
    normalise_name,
)

MANIFEST_FILE = "announcements.csv"

#: Reads the first sheet of an XLSX file as rows of cell texts; ValueError when it cannot.
SpreadsheetReader = Callable[[bytes], list[list[str]]]


class AnnexKind(enum.Enum):
    """What an annex of a notice is."""

    LIST = "list"
    REMOVALS = "removals"
    RENAMES = "renames"

    @property
    def label_zh(self) -> str:
        return {"list": "名单", "removals": "移出名单", "renames": "更名名单"}[self.value]


#: The column headings each role goes by in the annexes (compared without spaces, with
#: full-width parentheses). The first heading of a row that matches a role takes it.
COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("序号",),
    "region": ("地区", "省份", "所在地区", "省（区、市）", "省（自治区、直辖市）", "所在省份"),
    "name": ("企业名称", "工厂名称", "园区名称", "园区", "单位名称", "名称", "企业（园区）名称"),
    #: In a 移出名单: the name the unit was listed under, where the notice calls it otherwise.
    "listed_name": ("名单所列名称", "列入时名称", "原列入名称"),
    "product": ("产品名称",),
    "model": ("产品型号", "型号", "规格型号"),
    "recommender": ("推荐单位",),
    "industry": ("行业", "所属行业"),
    "evaluator": ("第三方评价机构", "评价机构"),
    "kind": ("种类", "产品类别", "产品种类"),
    "standard": ("适用评价标准", "评价标准", "依据标准"),
    "category": ("类别", "类型", "名单类别"),
    "batch": ("批次", "所在批次", "入选批次", "原批次"),
    "reason": ("移出原因", "原因", "调整原因"),
    "old_name": ("原名称", "原单位名称", "原企业名称", "变更前名称", "更名前名称"),
    "new_name": ("现名称", "新名称", "现单位名称", "变更后名称", "更名后名称"),
}

#: The manifest's columns, by role; the first five are required.
MANIFEST_COLUMNS: dict[str, tuple[str, ...]] = {
    "doc_no": ("文号",),
    "date": ("时间", "日期"),
    "batch": ("年度", "批次"),
    "title": ("名称", "附件名称"),
    "file": ("文件",),
    "notice": ("通知", "通知名称"),
    "notice_url": ("网页",),
    "annex_url": ("名单",),
}
REQUIRED_MANIFEST = ("doc_no", "date", "batch", "title", "file")

#: The word of each category in a title, a 类别 cell or a section heading.
CATEGORY_WORDS: tuple[tuple[Category, str], ...] = (
    (Category.GREEN_DESIGN_PRODUCT, "设计产品"),
    (Category.GREEN_SUPPLY_CHAIN, "供应链"),
    (Category.GREEN_PARK, "园区"),
    (Category.GREEN_FACTORY, "工厂"),
)

#: How a 移出原因 is read: each code whose words occur in the text is one of the removal's
#: reasons (the text itself is kept in the removal's note).
REASON_WORDS: tuple[tuple[RemovalReason, tuple[str, ...]], ...] = (
    (
        RemovalReason.REFUSED_FILING,
        ("未填报", "未按时填报", "未按要求填报", "拒不填报", "不填报", "未报送"),
    ),
    (RemovalReason.FALSIFIED_DATA, ("造假", "弄虚作假", "虚假", "不实")),
    (
        RemovalReason.INCIDENT,
        ("事故", "环境污染", "突发环境事件", "偷税", "漏税", "偷漏税", "违法违规", "行政处罚"),
    ),
    (
        RemovalReason.NEGATIVE_LIST,
        ("失信", "注销", "吊销", "停产", "未正常经营", "经营异常", "破产", "督查", "节能监察"),
    ),
    (
        RemovalReason.CHANGE_NOT_COMPLIANT,
        ("变更后", "搬迁", "并购", "重组", "组织边界", "生产地址", "经营范围"),
    ),
    (RemovalReason.INDICATORS, ("关键指标", "指标不达标", "评价要求", "现场评估", "能效")),
    (RemovalReason.WITHDRAWN, ("主动申请", "申请退出", "自愿退出", "主动退出")),
)


def category_named(text: str) -> Category | None:
    """The one category a title, 类别 cell or heading names (绿色工厂 …); None for none or two."""
    named = {category for category, word in CATEGORY_WORDS if word in text}
    return named.pop() if len(named) == 1 else None


def removal_reasons(text: str) -> tuple[RemovalReason, ...]:
    """The reason codes a 移出原因 text states, in the order of `REASON_WORDS`."""
    return tuple(reason for reason, words in REASON_WORDS if any(word in text for word in words))


# -- what a directory holds ------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """One notice of the ministry: its number, date and the round whose list it publishes."""

    doc_no: str
    announced_on: date
    batch_year: int
    title: str | None
    url: str | None

    @property
    def reference(self) -> Reference:
        return Reference(doc_no=self.doc_no, title=self.title, url=self.url)


@dataclass(frozen=True)
class Annex:
    """One annex of a notice, as transcribed into `file`."""

    notice: Notice
    title: str
    file: str
    kind: AnnexKind
    category: Category | None
    url: str | None

    @property
    def reference(self) -> Reference:
        return Reference(title=f"{self.notice.doc_no} {self.title}", url=self.url)

    @property
    def basis(self) -> tuple[Reference, ...]:
        return (self.notice.reference, self.reference)


@dataclass(frozen=True)
class RemovalRow:
    """One unit a 移出名单 removes: found by region and name (and product, for design products)."""

    file: str
    line: int
    category: Category
    region: Region
    name: str
    product_name: str | None
    product_model: str | None
    reasons: tuple[RemovalReason, ...]
    reason_text: str
    #: The name the unit was listed under, when the notice names it otherwise (`name` is then
    #: recorded as its alias).
    listed_name: str | None = None

    def matches(self, product: Product | None) -> bool:
        """Whether a listing's product is the one this row names (any model when none given)."""
        if self.product_name is None:
            return product is None
        if product is None or normalise_name(product.name) != normalise_name(self.product_name):
            return False
        if self.product_model is None:
            return True
        return normalise_name(product.model or "-") == normalise_name(self.product_model)


@dataclass(frozen=True)
class RenameRow:
    """One enterprise a 更名名单 renames."""

    file: str
    line: int
    region: Region
    old_name: str
    new_name: str


@dataclass(frozen=True)
class NoticeContents:
    """What one notice announces: new listings, removals and renames, read from its annexes."""

    notice: Notice
    annexes: tuple[Annex, ...]
    listed: tuple[PublishedRow, ...]
    removals: tuple[RemovalRow, ...]
    renames: tuple[RenameRow, ...]
    duplicates: tuple[DuplicateRow, ...]

    def annex(self, file: str) -> Annex:
        return next(annex for annex in self.annexes if annex.file == file)

    @property
    def rows(self) -> int:
        return len(self.listed) + len(self.removals) + len(self.renames) + len(self.duplicates)


@dataclass(frozen=True)
class Announcements:
    """The notices of a directory, in the order of their dates, and what cannot be used."""

    notices: tuple[NoticeContents, ...]
    rejected: tuple[RejectedRow, ...]
    #: The annex files read (the manifest aside).
    files: tuple[str, ...] = field(default_factory=tuple)


# -- tables ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A file's rows of cell texts, each with its line (CSV) or row number (XLSX)."""

    file: str
    rows: tuple[tuple[int, tuple[str, ...]], ...]


def read_table(file: str, content: bytes, read_xlsx: SpreadsheetReader | None) -> Table:
    """The rows of a CSV (UTF-8) or XLSX file; InvalidInputError naming the file otherwise."""
    suffix = Path(file).suffix.lower()
    if suffix == ".csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInputError(file, "不是 UTF-8 文本 (not UTF-8 text)") from None
        csv_rows(file, text)  # refused naming the file and line when it is not readable CSV
        reader = csv.reader(io.StringIO(text, newline=""))
        rows: list[tuple[int, tuple[str, ...]]] = []
        previous_end = 0
        for cells in reader:
            rows.append((previous_end + 1, tuple(cells)))
            previous_end = reader.line_num
        return Table(file, tuple(rows))
    if suffix == ".xlsx":
        if read_xlsx is None:
            raise InvalidInputError(file, "此处无法读取 XLSX (no XLSX reader here)")
        try:
            sheet = read_xlsx(content)
        except ValueError as error:
            raise InvalidInputError(file, f"无法读取 XLSX (unreadable XLSX: {error})") from None
        return Table(file, tuple((n, tuple(cells)) for n, cells in enumerate(sheet, start=1)))
    raise InvalidInputError(file, "不是 CSV 或 XLSX 文件 (not a .csv or .xlsx file)")


_SPACES = re.compile(r"\s+")


def _heading(text: str) -> str:
    return _SPACES.sub("", text).replace("(", "（").replace(")", "）")


def _roles(cells: tuple[str, ...], columns: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    """Which column holds each role, by the headings of a row."""
    by_heading = {heading: role for role, headings in columns.items() for heading in headings}
    roles: dict[str, int] = {}
    for index, cell in enumerate(cells):
        role = by_heading.get(_heading(cell))
        if role is not None:
            roles.setdefault(role, index)
    return roles


def _header(table: Table) -> tuple[int, dict[str, int]] | None:
    """The index of the header row (the first naming a name column) and its roles."""
    for index, (_, cells) in enumerate(table.rows):
        roles = _roles(cells, COLUMNS)
        if "name" in roles or ("old_name" in roles and "new_name" in roles):
            return index, roles
    return None


def _cell(cells: tuple[str, ...], roles: Mapping[str, int], role: str) -> str | None:
    index = roles.get(role)
    if index is None or index >= len(cells):
        return None
    text = _SPACES.sub(" ", cells[index]).strip()
    return text or None


# -- the manifest ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    line: int
    notice: Notice
    title: str
    file: str
    annex_url: str | None


def _manifest(table: Table) -> tuple[list[_Entry], list[RejectedRow]]:
    """The manifest's annex entries, and the rows that are not one."""
    if not table.rows:
        return [], [RejectedRow(table.file, 1, "文件为空 (empty file)")]
    roles = _roles(table.rows[0][1], MANIFEST_COLUMNS)
    missing = [MANIFEST_COLUMNS[r][0] for r in REQUIRED_MANIFEST if r not in roles]
    if missing:
        reason = f"缺少列「{'、'.join(missing)}」(missing column {', '.join(missing)})"
        return [], [RejectedRow(table.file, 1, reason, rows=len(table.rows) - 1)]
    entries: list[_Entry] = []
    rejected: list[RejectedRow] = []
    first_of: dict[str, _Entry] = {}
    for line, cells in table.rows[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        refused = cell_refusals(_by_heading(table.rows[0][1], cells))
        entry_or_reason = "；".join(refused) if refused else _entry(line, cells, roles)
        if isinstance(entry_or_reason, str):
            rejected.append(RejectedRow(table.file, line, entry_or_reason))
            continue
        first = first_of.setdefault(entry_or_reason.notice.doc_no, entry_or_reason)
        if first.notice != entry_or_reason.notice:
            reason = (
                f"与第 {first.line} 行同一文号，但时间、年度或通知不同 "
                f"(same 文号 as line {first.line} with another date, round or title)"
            )
            rejected.append(RejectedRow(table.file, line, reason))
            continue
        entries.append(entry_or_reason)
    return entries, rejected


def _entry(line: int, cells: tuple[str, ...], roles: Mapping[str, int]) -> _Entry | str:
    """One manifest row as an entry, or the reason it is not one."""

    def cell(role: str) -> str | None:
        return _cell(cells, roles, role)

    problems: list[str] = []
    doc_no, title, file = cell("doc_no"), cell("title"), cell("file")
    for role, value in (("doc_no", doc_no), ("title", title), ("file", file)):
        if value is None:
            heading = MANIFEST_COLUMNS[role][0]
            problems.append(f"「{heading}」为空 (empty {heading})")
    try:
        announced_on: date | None = parse_announcement_date(cell("date") or "")
    except ValueError:
        announced_on = None
        problems.append(f"时间「{cell('date') or ''}」不是日期 (bad date)")
    try:
        batch_year: int | None = parse_batch(cell("batch"))
    except ValueError:
        batch_year = None
        problems.append(f"年度「{cell('batch') or ''}」无效，应为 1–5 或年份 (bad round)")
    urls = {role: cell(role) for role in ("notice_url", "annex_url")}
    for role, url in urls.items():
        if url is not None and not url.startswith(("https://", "http://")):
            problems.append(f"网址「{url}」无效 (not an http(s) URL)")
            urls[role] = None
    if (
        problems
        or doc_no is None
        or title is None
        or file is None
        or announced_on is None
        or batch_year is None
    ):
        return "；".join(problems)
    notice = Notice(doc_no, announced_on, batch_year, cell("notice"), urls["notice_url"])
    return _Entry(line, notice, title, Path(file).name, urls["annex_url"])


# -- annexes ---------------------------------------------------------------------------------------


def _kind(entry: _Entry, roles: Mapping[str, int]) -> AnnexKind:
    if "old_name" in roles and "new_name" in roles:
        return AnnexKind.RENAMES
    if "reason" in roles or "移出" in entry.title:
        return AnnexKind.REMOVALS
    if "更名" in entry.title or "变更名称" in entry.title:
        return AnnexKind.RENAMES
    return AnnexKind.LIST


def _annex(entry: _Entry, table: Table) -> tuple[Annex, int, dict[str, int]] | RejectedRow:
    """The annex a manifest entry names, its header's index and roles; or why the file is not
    usable (reported once, at the header's line, for all its rows)."""
    header = _header(table)
    if header is None:
        reason = "找不到表头（应有「序号、地区、名称」等列） (no header row found)"
        return RejectedRow(entry.file, 1, reason, rows=len(table.rows))
    index, roles = header
    kind = _kind(entry, roles)
    category = category_named(entry.title)
    needed = {
        AnnexKind.LIST: ("name", "region"),
        AnnexKind.REMOVALS: ("name", "region", "reason"),
        AnnexKind.RENAMES: ("region", "old_name", "new_name"),
    }[kind]
    if category is Category.GREEN_DESIGN_PRODUCT and kind is AnnexKind.LIST:
        needed = ("name", "product")
    missing = [COLUMNS[role][0] for role in needed if role not in roles]
    if kind is AnnexKind.LIST and category is None:
        missing_reason = f"名称「{entry.title}」看不出是哪一类名单 (the title names no category)"
    elif missing:
        missing_reason = f"{kind.label_zh}缺少列「{'、'.join(missing)}」(missing column)"
    else:
        annex = Annex(entry.notice, entry.title, entry.file, kind, category, entry.annex_url)
        return annex, index, roles
    line = table.rows[index][0]
    return RejectedRow(entry.file, line, missing_reason, rows=len(table.rows) - index - 1)


AnnexRow = PublishedRow | RemovalRow | RenameRow


def _by_heading(header: tuple[str, ...], cells: tuple[str, ...]) -> dict[str, str]:
    """A row's cells by the heading of their column (第N列 where the header has none)."""
    return {
        (header[i].strip() if i < len(header) and header[i].strip() else f"第{i + 1}列"): cell
        for i, cell in enumerate(cells)
    }


def _annex_rows(
    annex: Annex, table: Table, index: int, roles: Mapping[str, int]
) -> tuple[list[AnnexRow], list[RejectedRow]]:
    """The rows under the header; a row with one cell only is a heading (一、绿色工厂), which
    sets the category (or, in a design-product list, the kind) of the rows below it."""
    rows: list[AnnexRow] = []
    rejected: list[RejectedRow] = []
    section: Category | None = annex.category
    kind_heading: str | None = None
    for line, cells in table.rows[index + 1 :]:
        filled = [cell.strip() for cell in cells if cell.strip()]
        if not filled:
            continue
        if len(filled) == 1:
            section = category_named(filled[0]) or section
            kind_heading = filled[0]
            continue
        refused = cell_refusals(_by_heading(table.rows[index][1], cells))
        row = (
            "；".join(refused)
            if refused
            else _row(annex, line, cells, roles, section, kind_heading)
        )
        if isinstance(row, str):
            rejected.append(RejectedRow(annex.file, line, row, annex.notice.batch_year, section))
        else:
            rows.append(row)
    return rows, rejected


def _row(
    annex: Annex,
    line: int,
    cells: tuple[str, ...],
    roles: Mapping[str, int],
    section: Category | None,
    kind_heading: str | None,
) -> AnnexRow | str:
    def cell(role: str) -> str | None:
        return _cell(cells, roles, role)

    if annex.kind is AnnexKind.RENAMES:
        return _rename_row(annex, line, cell)
    category = category_named(cell("category") or "") or section
    if category is None:
        return "看不出类别：缺少「类别」列或分类标题 (no category: no 类别 cell or heading above)"
    label = cell("region") or ""
    region = resolve_region(label, cell("recommender"))
    name = cell("name")
    problems = [] if name is not None else ["名称为空 (empty name)"]
    if region is None:
        problems.append(f"地区「{label}」无法识别 (unknown region {label!r})")
    product = cell("product")
    if category is Category.GREEN_DESIGN_PRODUCT and product is None:
        problems.append("「产品名称」为空 (empty product name)")
    if annex.kind is AnnexKind.REMOVALS:
        return _removal_row(annex, line, cell, category, problems)
    if problems or name is None or region is None:
        return "；".join(problems)
    model = cell("model")
    return PublishedRow(
        file=annex.file,
        line=line,
        category=category,
        batch_year=annex.notice.batch_year,
        announced_on=annex.notice.announced_on,
        region=region,
        region_label=label,
        name=tidy_name(name),
        product=(
            Product(product, None if model in (None, "-") else model, cell("standard"))
            if category is Category.GREEN_DESIGN_PRODUCT and product is not None
            else None
        ),
        product_kind=cell("kind") or kind_heading,
        industry=cell("industry"),
        evaluator_name=cell("evaluator"),
        recommender=cell("recommender"),
    )


def _removal_row(
    annex: Annex,
    line: int,
    cell: Callable[[str], str | None],
    category: Category,
    problems: list[str],
) -> RemovalRow | str:
    text = cell("reason") or ""
    reasons = removal_reasons(text)
    if not text:
        problems.append("移出原因为空 (empty reason)")
    elif not reasons:
        words = "、".join(words[0] for _, words in REASON_WORDS)
        problems.append(
            f"移出原因「{text}」无法对应到原因代码（可识别如：{words}） "
            f"(reason text not recognised)"
        )
    name, region = cell("name"), resolve_region(cell("region") or "")
    if problems or name is None or region is None:
        return "；".join(problems)
    model = cell("model")
    return RemovalRow(
        file=annex.file,
        line=line,
        category=category,
        region=region,
        name=tidy_name(name),
        product_name=cell("product") if category is Category.GREEN_DESIGN_PRODUCT else None,
        product_model=None if model in (None, "-") else model,
        reasons=reasons,
        reason_text=text,
        listed_name=tidy_name(listed) if (listed := cell("listed_name")) else None,
    )


def _rename_row(annex: Annex, line: int, cell: Callable[[str], str | None]) -> RenameRow | str:
    label = cell("region") or ""
    region = resolve_region(label)
    old, new = cell("old_name"), cell("new_name")
    problems = [] if region is not None else [f"地区「{label}」无法识别 (unknown region)"]
    if old is None or new is None:
        problems.append("原名称或现名称为空 (empty old or new name)")
    elif normalise_name(old) == normalise_name(new):
        problems.append("原名称与现名称相同 (old and new name are the same)")
    if problems or region is None or old is None or new is None:
        return "；".join(problems)
    return RenameRow(annex.file, line, region, tidy_name(old), tidy_name(new))


# -- the whole directory ---------------------------------------------------------------------------


def parse_announcements(
    files: Mapping[str, bytes], read_xlsx: SpreadsheetReader | None = None
) -> Announcements:
    """The notices of a set of files by name: the manifest and the annexes it names."""
    if MANIFEST_FILE not in files:
        raise InvalidInputError(
            "files", f"{MANIFEST_FILE} is missing: it names each annex file and its notice"
        )
    entries, rejected = _manifest(read_table(MANIFEST_FILE, files[MANIFEST_FILE], None))
    by_notice: dict[str, list[tuple[Annex, list[AnnexRow]]]] = {}
    notices: dict[str, Notice] = {}
    named = {entry.file for entry in entries}
    for entry in entries:
        if entry.file not in files:
            reason = f"文件「{entry.file}」不在其中 (file not found)"
            rejected.append(RejectedRow(MANIFEST_FILE, entry.line, reason))
            continue
        annex_rows = _read_annex(entry, files[entry.file], read_xlsx, rejected)
        if annex_rows is not None:
            notices.setdefault(entry.notice.doc_no, entry.notice)
            by_notice.setdefault(entry.notice.doc_no, []).append(annex_rows)
    for file in sorted(set(files) - named - {MANIFEST_FILE}):
        reason = f"未在 {MANIFEST_FILE} 中列出 (not named in the manifest)"
        rejected.append(RejectedRow(file, 1, reason))
    contents = [_contents(notices[doc_no], annexes) for doc_no, annexes in by_notice.items()]
    contents.sort(key=lambda c: (c.notice.announced_on, c.notice.doc_no))
    return Announcements(tuple(contents), tuple(rejected), tuple(sorted(named & set(files))))


def _read_annex(
    entry: _Entry,
    content: bytes,
    read_xlsx: SpreadsheetReader | None,
    rejected: list[RejectedRow],
) -> tuple[Annex, list[AnnexRow]] | None:
    try:
        table = read_table(entry.file, content, read_xlsx)
    except InvalidInputError as error:
        rejected.append(RejectedRow(entry.file, 1, error.reason))
        return None
    annex = _annex(entry, table)
    if isinstance(annex, RejectedRow):
        rejected.append(annex)
        return None
    the_annex, index, roles = annex
    rows, refused = _annex_rows(the_annex, table, index, roles)
    rejected.extend(refused)
    return the_annex, rows


def _contents(notice: Notice, annexes: Iterable[tuple[Annex, list[AnnexRow]]]) -> NoticeContents:
    annex_list = list(annexes)
    rows = [row for _, annex_rows in annex_list for row in annex_rows]
    listed, duplicates = first_of_each_listing(r for r in rows if isinstance(r, PublishedRow))
    return NoticeContents(
        notice=notice,
        annexes=tuple(annex for annex, _ in annex_list),
        listed=listed,
        removals=tuple(r for r in rows if isinstance(r, RemovalRow)),
        renames=tuple(r for r in rows if isinstance(r, RenameRow)),
        duplicates=duplicates,
    )


def read_announcements(
    directory: Path, read_xlsx: SpreadsheetReader | None = None
) -> Announcements:
    """The notices of a directory: its manifest and the .csv and .xlsx files beside it."""
    if not directory.is_dir():
        raise InvalidInputError("directory", f"{directory} is not a directory")
    files = {
        path.name: path.read_bytes()
        for path in sorted(directory.iterdir())
        if path.is_file() and path.suffix.lower() in (".csv", ".xlsx")
    }
    return parse_announcements(files, read_xlsx)


def describe(notice: Notice) -> str:
    """`工信厅节函〔2023〕64号（2023-03-23，2022年度）`."""
    return f"{notice.doc_no}（{notice.announced_on.isoformat()}，{batch_label(notice.batch_year)}）"
