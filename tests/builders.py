"""Readable set-ups: a province, the ministry, a listed factory, in as few words as a test needs."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

from openpyxl import Workbook

from domain.errors import BatchNotFoundError
from domain.ledger import Ledger
from domain.values import Indicator, Level, Provenance, Reference

JIANGSU = "320000"
ZHEJIANG = "330000"
ANNOUNCEMENT = Reference(
    doc_no="工信厅节函〔2023〕64号",
    title="2022年度绿色制造名单",
    url="https://www.miit.gov.cn/jgsj/jns/wjfb/art/2023/example.html",
)
VALID_USCC = ("91350200776049653A", "91350200MA31E12PXF", "9135021359498494XQ")


def by_province(day: date, region: str = JIANGSU, note: str | None = None) -> Provenance:
    return Provenance(
        actor=f"province:{region}",
        effective_on=day,
        basis=(Reference(doc_no="苏工信节能〔2023〕12号", title="省级审核意见"),),
        note=note,
    )


def by_assessor(assessor_id: UUID, day: date) -> Provenance:
    return Provenance(actor=f"assessor:{assessor_id}", effective_on=day)


def confirm_citations(ledger: Ledger, assessor_id: UUID, day: date) -> int:
    """The assessor confirms every evaluation provinces cited (ADR 0110): how many."""
    pending = sorted(ledger.get_assessor(assessor_id).cited)
    for evaluation_id in pending:
        ledger.confirm_evaluation(
            assessor_id, evaluation_id, provenance=by_assessor(assessor_id, day)
        )
    return len(pending)


def by_ministry(day: date) -> Provenance:
    return Provenance(
        actor="ministry",
        effective_on=day,
        basis=(Reference(doc_no="工信厅节函〔2023〕64号"),),
    )


#: What PARK-1 asks of a park's nomination: its level and its industrial value-added share.
PARK_EVIDENCE: dict[str, Any] = {
    "park_level": "provincial",
    "indicators": {"industrial_value_added_share": Indicator(Decimal("62.5"), "%")},
}


def energy(value: str = "512.3") -> dict[str, Indicator]:
    return {"energy_per_unit_product": Indicator(Decimal(value), "kgce/t")}


@dataclass(frozen=True)
class ListedUnit:
    enterprise_id: UUID
    listing_id: UUID


def register(ledger: Ledger, name: str = "江苏绿源钢铁有限公司", region: str = JIANGSU) -> UUID:
    receipt = ledger.register_enterprise(
        name=name, region=region, provenance=by_province(date(2022, 9, 20), region)
    )
    assert receipt.id is not None
    return receipt.id


def open_batch(ledger: Ledger, year: int = 2022, day: date = date(2022, 9, 16)) -> None:
    ledger.open_batch(level="national", batch_year=year, provenance=by_ministry(day))


def nominate(
    ledger: Ledger,
    enterprise_id: UUID,
    category: str = "green_factory",
    year: int = 2022,
    day: date = date(2022, 10, 20),
    region: str = JIANGSU,
    **evidence: Any,
) -> UUID:
    receipt = ledger.nominate_listing(
        enterprise_id=enterprise_id,
        category=category,
        level="national",
        batch_year=year,
        provenance=by_province(day, region),
        **evidence,
    )
    assert receipt.id is not None
    return receipt.id


def publish(
    ledger: Ledger,
    listed: list[UUID],
    year: int = 2022,
    day: date = date(2023, 3, 23),
    rejected: list[UUID] | None = None,
) -> int | None:
    return ledger.publish_batch(
        level="national",
        batch_year=year,
        announcement=ANNOUNCEMENT,
        listed=listed,
        rejected=rejected or [],
        provenance=by_ministry(day),
    ).position


def listed_factory(
    ledger: Ledger, name: str = "江苏绿源钢铁有限公司", region: str = JIANGSU
) -> ListedUnit:
    """A green factory nominated in the 2022 round and listed on 2023-03-23."""
    enterprise_id = register(ledger, name, region)
    open_batch(ledger)
    listing_id = nominate(ledger, enterprise_id, region=region)
    publish(ledger, [listing_id])
    return ListedUnit(enterprise_id, listing_id)


#: A province's own (fictitious) announcement of its provincial list.
PROVINCIAL_ANNOUNCEMENT = Reference(
    doc_no="示例省级公告〔2024〕1号", title="省级绿色工厂名单（虚构）"
)


def on_provincial_list(
    ledger: Ledger,
    enterprise_id: UUID,
    day: date,
    category: str = "green_factory",
    region: str = JIANGSU,
    **evidence: Any,
) -> UUID:
    """REC-2 (13号, 390号): the unit put on its province's list of `category` on `day`, so that
    a national nomination from that day on rests on it; the provincial listing's id. Opens the
    province's round of `day`'s year when it is not open yet."""
    try:
        ledger.get_batch(Level.PROVINCIAL, day.year, region)
    except BatchNotFoundError:
        ledger.open_batch(
            level="provincial",
            batch_year=day.year,
            region=region,
            provenance=by_province(day, region),
        )
    receipt = ledger.nominate_listing(
        enterprise_id=enterprise_id,
        category=category,
        level="provincial",
        batch_year=day.year,
        provenance=by_province(day, region),
        **evidence,
    )
    assert receipt.id is not None
    ledger.publish_batch(
        level="provincial",
        batch_year=day.year,
        region=region,
        announcement=PROVINCIAL_ANNOUNCEMENT,
        listed=[receipt.id],
        provenance=by_province(day, region),
    )
    return receipt.id


def stored_event_count(ledger: Ledger) -> int:
    """How many events the store holds (the notification ids may have gaps)."""
    return len(ledger.recorder.select_notifications(start=None, limit=1_000_000))


ANNOUNCEMENT_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "announcements"
#: The 2022 design-product annex, as its XLSX transcription holds it: a title row, the header,
#: and section headings of product kinds as the PDF prints them.
DESIGN_ANNEX_ROWS = (
    ("附件2", None, None, None, None),
    ("2022年度绿色设计产品名单", None, None, None, None),
    ("序号", "企业名称", "产品名称", "产品型号", "推荐单位"),
    ("一、家用电器", None, None, None, None),
    (1, "测试庚家电有限公司", "节能冰箱", "BCD-100", "广东省工业和信息化厅"),
    (2, "测试庚家电有限公司", "节能洗衣机", "-", "广东省工业和信息化厅"),
    ("二、建材", None, None, None, None),
    (3, "测试子陶瓷有限公司", "陶瓷砖", None, "福建省工业和信息化厅"),
)
DESIGN_ANNEX = "2022-附件2-绿色设计产品名单.xlsx"


def announcement_fixtures(target: Path) -> Path:
    """A directory of two notices' annexes laid out as the official ones (made-up names):
    the CSV files of tests/fixtures/announcements and the design-product annex as XLSX."""
    target.mkdir(parents=True, exist_ok=True)
    for path in ANNOUNCEMENT_FIXTURES.iterdir():
        shutil.copy(path, target / path.name)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in DESIGN_ANNEX_ROWS:
        sheet.append(row)
    workbook.save(target / DESIGN_ANNEX)
    return target
