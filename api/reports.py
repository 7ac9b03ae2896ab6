"""The workbooks a province prints besides the list (api/printing.py lays them out):

- the review queue of a report year (待审核 / 已审核 / 逾期), `queue_workbook`;
- the year's dynamic-management summary of a region (动态管理汇总表): every unit on its list by the
  end of the year with its table's state and review, `summary_workbook`;
- the recommendation summary of a round (推荐汇总表, 工信厅节函〔2022〕235号 附件1) for a region,
  `nominations_workbook`. The annex's exact columns are not transcribed in the team's documents:
  the columns here are the nomination's facts the ledger holds (unverified against the annex).

Chinese headers and labels by default, English with `language="en"`. The API, the pages and the
CLI all build their files here.
"""

from __future__ import annotations

from collections.abc import Sequence

from api.exports import label, region_label
from api.printing import CellValue, Column, Language, PrintableSheet, printable_workbook, title_line
from domain.ledger import Ledger
from domain.values import (
    Category,
    FilingOutcome,
    Level,
    ListingStatus,
    ParkLevel,
    batch_label,
    batch_label_en,
)
from readside.listings.nominations import RoundNominations
from readside.listings.queue import FilingQueue, QueueItem, QueueState

STATE_LABELS: dict[QueueState, tuple[str, str]] = {
    "submitted": ("待审核", "submitted"),
    "reviewed": ("已审核", "reviewed"),
    "overdue": ("逾期未填报", "overdue"),
    "not_due": ("未填报（未到截止日期）", "not filed (not yet due)"),
}


def state_label(state: QueueState, language: Language) -> str:
    zh, en = STATE_LABELS[state]
    return zh if language == "zh" else en


def _batch(batch_year: int, language: Language) -> str:
    return batch_label(batch_year) if language == "zh" else batch_label_en(batch_year)


def _region_filter(region: str | None, language: Language) -> list[str]:
    if region is None:
        return ["全部地区" if language == "zh" else "every region"]
    return [("地区：" if language == "zh" else "region: ") + region_label(region, language)]


QUEUE_COLUMNS = (
    Column("序号", "No.", "number"),
    Column("地区", "Region"),
    Column("名称", "Name"),
    Column("类别", "Category"),
    Column("级别", "Level"),
    Column("批次", "Batch"),
    Column("报告年度", "Report year", "number"),
    Column("填报状态", "Filing state"),
    Column("填报日期", "Filed on", "date"),
    Column("审核结论", "Review outcome"),
    Column("审核日期", "Reviewed on", "date"),
    Column("审核意见", "Findings"),
    Column("名单状态", "Status"),
    Column("名单编号", "Listing id"),
)


def _queue_row(number: int, item: QueueItem, language: Language) -> Sequence[CellValue]:
    return (
        number,
        region_label(item.region, language),
        item.name,
        label(Category(item.category), language),
        label(Level(item.level), language),
        _batch(item.batch_year, language),
        item.report_year,
        state_label(item.state, language),
        item.submitted_on,
        label(FilingOutcome(item.outcome), language) if item.outcome else None,
        item.reviewed_on,
        "；".join(item.findings) if item.findings else None,
        label(ListingStatus(item.status), language),
        str(item.listing_id),
    )


def _queue_sheet(
    queue: FilingQueue, subject: tuple[str, str], language: Language
) -> PrintableSheet:
    zh = language == "zh"
    deadline = queue.deadline.isoformat()
    filters = [
        *_region_filter(queue.region, language),
        f"{queue.report_year}年度" if zh else f"report year {queue.report_year}",
        f"截止日期：{deadline}" if zh else f"due {deadline}",
    ]
    title = title_line(subject[0] if zh else subject[1], None, filters, Ledger.today(), language)
    return PrintableSheet(
        name=f"{subject[0]} {queue.report_year}" if zh else f"{subject[1]} {queue.report_year}",
        title=title,
        columns=QUEUE_COLUMNS,
        rows=[_queue_row(n, item, language) for n, item in enumerate(queue.items, start=1)],
        language=language,
    )


def queue_workbook(queue: FilingQueue, language: Language = "zh") -> bytes:
    """The review queue of a report year, one row per unit, for printing."""
    return printable_workbook([_queue_sheet(queue, ("审核队列", "Review queue"), language)])


def summary_workbook(queue: FilingQueue, language: Language = "zh") -> bytes:
    """The year's dynamic-management summary: every unit on the list by the year's end with its
    table's state (filed, reviewed, overdue, not yet due), for printing."""
    subject = ("动态管理汇总表", "Dynamic management summary")
    return printable_workbook([_queue_sheet(queue, subject, language)])


NOMINATION_COLUMNS = (
    Column("序号", "No.", "number"),
    Column("地区", "Region"),
    Column("类别", "Category"),
    Column("单位名称", "Name"),
    Column("产品名称", "Product"),
    Column("规格型号", "Model"),
    Column("园区级别", "Park level"),
    Column("统一社会信用代码", "Credit code"),
    Column("所属行业", "Industry"),
    Column("推荐日期", "Nominated on", "date"),
    Column("状态", "Status"),
    Column("列入日期", "Listed on", "date"),
    Column("名单编号", "Listing id"),
)


def nominations_workbook(nominations: RoundNominations, language: Language = "zh") -> bytes:
    """The recommendation summary of a round (推荐汇总表) for a region, for printing."""
    zh = language == "zh"
    level = label(Level(nominations.level), language)
    batch = _batch(nominations.batch_year, language)
    subject = f"{level}{batch}绿色制造名单推荐汇总表" if zh else f"Nominations, {level} {batch}"
    rows = [
        (
            number,
            region_label(item.region, language),
            label(Category(item.category), language),
            item.name,
            item.product_name,
            item.product_model,
            label(ParkLevel(item.park_level), language) if item.park_level else None,
            item.uscc,
            item.industry,
            item.nominated_on,
            label(ListingStatus(item.status), language),
            item.listed_on,
            str(item.listing_id),
        )
        for number, item in enumerate(nominations.items, start=1)
    ]
    sheet = PrintableSheet(
        name="推荐汇总表" if zh else "Nominations",
        title=title_line(
            subject, None, _region_filter(nominations.region, language), Ledger.today(), language
        ),
        columns=NOMINATION_COLUMNS,
        rows=rows,
        language=language,
    )
    return printable_workbook([sheet])


def report_file_name(kind: str, region: str | None, year: int) -> str:
    """E.g. review-queue-320000-2024.xlsx."""
    return f"{kind}-{region or 'all'}-{year}.xlsx"
