"""A province's year in Chromium (issue 18), on a ledger of 200 fictitious Jiangsu factories.

Jiangsu's officer signs in, opens the review queue, reviews a filing (non-compliant), orders an
on-site assessment and concludes it, proposes the removal; downloads the year's template, fills
it for the 200 units with five bad rows (openpyxl), previews (the five errors named by sheet, row,
column and rule), commits (195 written) and uploads the same file again (nothing written). The
ministry then removes the unit from its page. Screenshots of every step stay in the test's
temporary folder.

Every unit here is fictitious (示例 in its name): no fact is attached to a real organisation.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from api.http.auth import Role
from domain.ledger import Ledger
from domain.values import Indicator, Provenance, Reference
from readside.listings.queue import default_report_year
from tests.api.live import LiveApi, live_api

pytestmark = pytest.mark.e2e

JIANGSU = "320000"
UNITS = 200
YEAR = default_report_year()
ENERGY = "单位产品综合能耗（kgce/t）"


@dataclass(frozen=True)
class Year:
    api: LiveApi
    filed: UUID  # the unit whose table awaits review
    filed_name: str


def unit_name(number: int) -> str:
    return f"江苏示例第{number:03d}号绿色工厂有限公司"


def record_the_round(ledger: Ledger) -> list[UUID]:
    """200 fictitious Jiangsu factories nominated in the 2022 round, listed on 2023-03-23."""
    province = Provenance(actor=f"province:{JIANGSU}", effective_on=date(2022, 10, 20))
    ledger.open_batch(
        level="national", batch_year=2022, provenance=Provenance("ministry", date(2022, 9, 16))
    )
    listings: list[UUID] = []
    with ledger.bulk() as bulk:
        for number in range(1, UNITS + 1):
            enterprise = ledger.register_enterprise(
                name=unit_name(number), region=JIANGSU, provenance=province
            )
            assert enterprise.id is not None
            nominated = ledger.nominate_listing(
                enterprise_id=enterprise.id,
                category="green_factory",
                level="national",
                batch_year=2022,
                self_evaluation=Reference(title="自评价报告（示例）"),
                provenance=province,
            )
            assert nominated.id is not None
            listings.append(nominated.id)
    assert bulk.position is not None
    ledger.publish_batch(
        level="national",
        batch_year=2022,
        announcement=Reference(doc_no="示例公告〔2023〕1号", title="2022年度绿色制造名单（示例）"),
        listed=listings,
        provenance=Provenance("ministry", date(2023, 3, 23)),
    )
    return listings


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Year]:
    url = f"sqlite:///{tmp_path_factory.mktemp('year') / 'ledger.db'}"
    with Ledger.open(url) as ledger:
        listings = record_the_round(ledger)
        ledger.submit_filing(
            listings[6],
            report_year=YEAR,
            indicators={"energy_per_unit_product": Indicator(Decimal("702.5"), "kgce/t")},
            provenance=Provenance(f"province:{JIANGSU}"),
        )
    with live_api(url) as api:
        yield Year(api, listings[6], unit_name(7))


def sign_in(page: Page, api: LiveApi, role: Role, region: str | None = None) -> None:
    token = api.tokens.create(role, region=region, name="browser test").token
    page.goto(f"{api.base_url}/sign-in?next=/")
    page.get_by_label("令牌").fill(token)
    page.locator("form.sign-in button").click()
    expect(page.locator("header .role")).to_be_visible()


def ledger_position(api: LiveApi) -> int:
    with Ledger.open(api.database_url) as ledger:
        return ledger.position


def give(page: Page, form: str, fields: dict[str, str], choose: dict[str, str]) -> None:
    """Open the form `form` of the unit's page, fill it in and submit it."""
    box = page.locator(f"#form-{form}")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    for label, value in fields.items():
        box.get_by_label(label, exact=False).first.fill(value)
    for label, value in choose.items():
        box.get_by_label(label, exact=False).first.select_option(label=value)
    box.get_by_role("button", name="提交").click()


def fill_the_template(content: bytes) -> tuple[bytes, list[int]]:
    """This year's energy use for every unit, and five bad rows."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["绿色工厂"]
    headers = [cell.value for cell in sheet[2]]
    energy = headers.index(ENERGY) + 1
    water = headers.index("单位产品取水量（m3/t）") + 1
    share = headers.index("绿色电力使用占比（%）") + 1
    klass = headers.index("能效水平（class）") + 1
    listing = headers.index("名单编号") + 1
    rows = list(range(3, sheet.max_row + 1))
    assert len(rows) == UNITS
    for row in rows:
        sheet.cell(row=row, column=energy, value=500 + row / 10)
        sheet.cell(row=row, column=water, value=3.2)
        sheet.cell(row=row, column=share, value=35)
        sheet.cell(row=row, column=klass, value="先进")
    bad = [10, 50, 90, 130, 170]
    sheet.cell(row=10, column=energy, value="约五百")  # not a number
    sheet.cell(row=50, column=water, value=-1)  # negative
    sheet.cell(row=90, column=share, value=135)  # a share above 100 %
    sheet.cell(row=130, column=klass, value="优秀")  # not a class
    sheet.cell(row=170, column=listing, value="已删除")  # not a listing id
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), bad


def upload(page: Page, api: LiveApi, file: Path) -> None:
    page.goto(f"{api.base_url}/filings/upload")
    page.get_by_label("动态管理表文件").set_input_files(str(file))
    page.get_by_role("button", name="上传并预览").click()


def test_a_provinces_year_in_the_browser(year: Year, browser: Browser, tmp_path: Path) -> None:
    api = year.api
    context = browser.new_context(accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    sign_in(page, api, Role.PROVINCE, JIANGSU)

    # The queue: the submitted table, one click from its review form.
    page.get_by_role("link", name="审核队列").click()
    submitted = page.locator("#submitted tbody tr")
    expect(submitted).to_have_count(1)
    expect(submitted.first).to_contain_text(year.filed_name)
    expect(page.locator("#overdue h2")).to_contain_text(f"({UNITS - 1})")
    page.screenshot(path=tmp_path / "1-queue.png", full_page=True)
    submitted.first.get_by_role("link", name="审核").click()
    expect(page.locator("h1")).to_have_text(year.filed_name)

    # Review it: non-compliant flags the unit.
    give(page, "review", {"审核意见": "单位产品综合能耗高于标杆值"}, {"审核结论": "不符合要求"})
    expect(page.locator("#done")).to_contain_text("已记录：审核年度填报")
    expect(page.locator("#status")).to_have_text("待核查")
    assert "min_position=" in page.url
    # Order an on-site assessment and conclude it.
    give(page, "assessment", {"评估事由": "年度填报能耗不达标，组织现场核查"}, {})
    expect(page.locator("#status")).to_have_text("现场评估中")
    give(page, "conclusion", {"评估意见": "现场核查能耗仍不达标"}, {"评估结论": "不符合要求"})
    expect(page.locator("#status")).to_have_text("待核查")
    # Propose its removal.
    give(page, "proposal", {"理由": "现场评估不符合要求"}, {"调整意见": "移出"})
    expect(page.locator("#status")).to_have_text("建议移出")
    page.screenshot(path=tmp_path / "2-unit-proposed.png", full_page=True)

    # The template of the year, filled in for the 200 units with five bad rows.
    page.get_by_role("link", name="审核队列").click()
    with page.expect_download() as downloading:
        page.get_by_role("link", name=f"下载{YEAR}年度动态管理表模板").click()
    template = tmp_path / "template.xlsx"
    downloading.value.save_as(template)
    filled, bad = fill_the_template(template.read_bytes())
    tables = tmp_path / "动态管理表.xlsx"
    tables.write_bytes(filled)

    # Preview: the five errors named, nothing written.
    before = ledger_position(api)
    upload(page, api, tables)
    expect(page.locator("#count-refused")).to_have_text("5")
    expect(page.locator("#count-good")).to_have_text(str(UNITS - 5))
    refused = page.locator("#refused tbody tr")
    expect(refused).to_have_count(5)
    cells = [row.locator("td").all_inner_texts() for row in refused.all()]
    assert [(c[0], int(c[1])) for c in cells] == [("绿色工厂", row) for row in bad]
    assert [c[3] for c in cells] == ["数值", "数值范围", "数值范围", "能效水平取值", "名单编号格式"]
    assert re.match(r"[A-Z]+ 单位产品综合能耗（kgce/t）", cells[0][2])
    assert ledger_position(api) == before
    page.screenshot(path=tmp_path / "3-preview.png", full_page=True)

    # Commit: 195 written, the five refused listed.
    page.get_by_role("button", name=re.compile("提交")).click()
    expect(page.locator("#result h2")).to_have_text("已提交")
    expect(page.locator("#count-good")).to_have_text(str(UNITS - 5))
    expect(page.locator("#refused tbody tr")).to_have_count(5)
    page.screenshot(path=tmp_path / "4-committed.png", full_page=True)
    after = ledger_position(api)
    assert after > before

    # The same file again: nothing to write.
    upload(page, api, tables)
    expect(page.locator("#count-good")).to_have_text("0")
    expect(page.locator("#count-unchanged")).to_have_text(str(UNITS - 5))
    expect(page.get_by_role("button", name=re.compile("^提交"))).to_have_count(0)
    assert ledger_position(api) == after
    page.screenshot(path=tmp_path / "5-again.png", full_page=True)
    context.close()

    # The ministry removes the unit from its page.
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    sign_in(page, api, Role.MINISTRY)
    page.goto(f"{api.base_url}/units/{year.filed}")
    box = page.locator("#form-removal")
    box.locator("summary").click()
    box.get_by_label("关键指标不达标").check()
    box.get_by_label("公告文号").fill("示例公告〔2026〕9号")
    box.get_by_role("button", name="提交").click()
    expect(page.locator("#status")).to_have_text("已移出")
    expect(page.locator("#done")).to_contain_text("已记录：移出名单")
    page.screenshot(path=tmp_path / "6-removed.png", full_page=True)
    context.close()
