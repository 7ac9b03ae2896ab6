"""The province's year-end workbooks as LibreOffice prints them: the review queue, the year's
dynamic-management summary and the recommendation summary of a round (附件1) — landscape, every
(long) name whole, every date a date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from api.reports import nominations_workbook, queue_workbook, summary_workbook
from domain.ledger import Ledger
from domain.values import Indicator, Level, Provenance, Reference
from readside.engine.database import Views
from readside.engine.projector import Projector
from readside.listings.nominations import list_round_nominations
from readside.listings.queue import EVERY_STATE, QUEUE_STATES, list_filing_queue
from tests.printing.spreadsheet_program import print_to_pdf, require_soffice

pytestmark = pytest.mark.integration

JIANGSU = "320000"
NAMES = [
    f"江苏示例{n}号绿色低碳高端装备制造与再生资源综合利用集团股份有限公司第{n}分公司"
    for n in range(1, 31)
]


@pytest.fixture(scope="module")
def views(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Views]:
    require_soffice()
    url = f"sqlite:///{tmp_path_factory.mktemp('reports') / 'ledger.db'}"
    province = Provenance(f"province:{JIANGSU}", date(2022, 10, 20))
    with Ledger.open(url) as ledger:
        ledger.open_batch(level="national", batch_year=2022, provenance=Provenance("ministry"))
        listings = []
        for name in NAMES:
            enterprise = ledger.register_enterprise(name=name, region=JIANGSU, provenance=province)
            assert enterprise.id is not None
            nominated = ledger.nominate_listing(
                enterprise_id=enterprise.id, category="green_factory", level="national",
                batch_year=2022, provenance=province,
            )  # fmt: skip
            assert nominated.id is not None
            listings.append(nominated.id)
        ledger.publish_batch(
            level="national", batch_year=2022, announcement=Reference(doc_no="示例〔2023〕1号"),
            listed=listings, provenance=Provenance("ministry", date(2023, 3, 23)),
        )  # fmt: skip
        for number, listing in enumerate(listings[:10]):
            ledger.submit_filing(
                listing,
                report_year=2023,
                indicators={"energy_per_unit_product": Indicator(Decimal(500 + number), "kgce/t")},
                provenance=Provenance(f"province:{JIANGSU}", date(2024, 3, 1 + number)),
            )
        opened = Views.open(url)
        Projector(ledger, opened).catch_up()
    yield opened
    opened.close()


def test_the_review_queue_prints_every_name_and_filing_date(views: Views, tmp_path: Path) -> None:
    queue = list_filing_queue(views, region=JIANGSU, report_year=2023, states=QUEUE_STATES)
    assert len(queue.items) == len(NAMES)

    printed = print_to_pdf(queue_workbook(queue), tmp_path)

    assert all(width > height for width, height in printed.pages)
    assert [name for name in NAMES if name not in printed.squeezed] == []
    for day in range(1, 11):
        assert f"2024-03-{day:02d}" in printed.days()
    assert "审核队列" in printed.text


def test_the_year_summary_prints_every_name(views: Views, tmp_path: Path) -> None:
    queue = list_filing_queue(views, region=JIANGSU, report_year=2023, states=EVERY_STATE)

    printed = print_to_pdf(summary_workbook(queue), tmp_path)

    assert [name for name in NAMES if name not in printed.squeezed] == []
    assert "动态管理汇总表" in printed.text


def test_the_recommendation_summary_prints_every_name_and_date(
    views: Views, tmp_path: Path
) -> None:
    nominations = list_round_nominations(
        views, batch_year=2022, level=Level.NATIONAL, region=JIANGSU
    )

    printed = print_to_pdf(nominations_workbook(nominations), tmp_path)

    assert all(width > height for width, height in printed.pages)
    assert [name for name in NAMES if name not in printed.squeezed] == []
    assert printed.days().count("2022-10-20") == len(NAMES)
    assert printed.days().count("2023-03-23") == len(NAMES)
    assert "国家级2022年度绿色制造名单推荐汇总表" in printed.squeezed
