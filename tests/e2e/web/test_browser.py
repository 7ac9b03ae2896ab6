"""The issue's walk through the pages in a real browser: Debian's Chromium, driven by Playwright,
against the app served on loopback over the demo ledger (ADR 0072).

A ministry officer signs in, picks a date, filters Jiangsu's removed units, opens one, reads why
it was removed (the rules, their citations, the facts with both dates, the documents), downloads
the XLSX of the list, and looks at the chart of the list over time; then the same with
JavaScript switched off. Screenshots of every step stay in the test's temporary folder.

SQLite only: the demo ledger (the real published record and four years of dynamic management of
fictitious units, ~37k events) is loaded once for the module, and what a browser sees does not
depend on the store — the page tests (test_pages.py) read every page on both stores.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from api.http.auth import Role
from domain.ledger import Ledger
from domain.loading.demo import load_demo
from readside.engine.database import Views
from readside.engine.projector import Projector
from tests.e2e.http.live import LiveApi, live_api

JIANGSU = "320000"
DAY = "2025-06-30"
#: The day of the demo's fictitious 2024 list (示例公告〔2025〕1号), which announced removals of
#: fictitious units.
REMOVED_ON = "2025-01-22"
FICTITIOUS_NOTICE = "示例公告〔2025〕1号"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    """The demo ledger, loaded once and projected before it is served on loopback (so the first
    page does not wait for the server's start-up catch-up of ~83k events)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'demo.db'}"
    ledger = Ledger.open(url)
    try:
        load_demo(ledger)
        views = Views.open(url)
        try:
            Projector(ledger, views).catch_up()
        finally:
            views.close()
    finally:
        ledger.close()
    with live_api(url) as api:
        # The app catches its read models up with the ~83k events before it answers (half a
        # minute on a busy machine): wait for that here, not in the browser's page-load timeout.
        assert api.client.get("/health").status_code == 200
        yield api


def sign_in(page: Page, api: LiveApi, role: Role = Role.MINISTRY) -> None:
    token = api.tokens.create(role, name="browser test").token
    page.goto(f"{api.base_url}/sign-in?next=/")
    page.get_by_label("令牌").fill(token)
    page.locator("form.sign-in button").click()
    expect(page.locator("header .role")).to_contain_text("工信部")


def filter_jiangsus_removed_units(page: Page) -> None:
    page.get_by_label("名单日期").fill(DAY)
    page.get_by_label("地区").select_option(JIANGSU)
    page.get_by_label("状态").select_option("removed")
    page.get_by_label("每页").select_option("200")
    page.get_by_role("button", name="查询").click()


def test_an_officer_finds_why_a_unit_was_removed_exports_the_list_and_sees_the_chart(
    demo: LiveApi, browser: Browser, tmp_path: Path
) -> None:
    context = browser.new_context(accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    sign_in(page, demo)

    # Pick a date, filter by region (and status): the list as it stood that day.
    filter_jiangsus_removed_units(page)
    expect(page.locator("h1 small")).to_have_text(DAY)
    total_text = page.locator("#total").inner_text()
    total = int(re.sub(r"\D", "", total_text))
    assert total > 0
    rows = page.locator("table.list tbody tr")
    assert rows.count() == min(total, 200)
    assert set(rows.locator("td:nth-child(2)").all_inner_texts()) == {"江苏省"}
    assert set(rows.locator("td:nth-child(6)").all_inner_texts()) == {"已移出"}
    page.screenshot(path=tmp_path / "1-list-jiangsu-removed.png", full_page=True)

    # Open a unit removed by the 2024 list announcement, and read why.
    removed_then = rows.filter(has=page.locator("td:nth-child(8)", has_text=REMOVED_ON)).first
    name = removed_then.locator("td:first-child a").inner_text()
    removed_then.locator("td:first-child a").click()
    expect(page.locator("h1")).to_have_text(name)
    expect(page.locator("#status")).to_have_text("已移出")
    explanation = page.locator("#explanation")
    expect(explanation).to_contain_text("工业和信息化部")
    expect(explanation).to_contain_text(REMOVED_ON)
    expect(explanation).to_contain_text(FICTITIOUS_NOTICE)
    expect(page.locator("#synthetic")).to_contain_text("演示用的虚构单位")
    findings = explanation.locator(".finding")
    assert findings.count() >= 1
    for rule_id in findings.locator(".rule-id").all_inner_texts():
        assert re.fullmatch(r"[A-Z]+-\d+", rule_id)
    for citation in findings.locator(".citation").all_inner_texts():
        assert "〔" in citation  # an instrument's document number
    facts = explanation.locator(".fact")
    assert facts.count() >= 1
    both_dates = r"生效日期 \d{4}-\d\d-\d\d · 记录时间 \d{4}-\d\d-\d\d \d\d:\d\d 北京时间 UTC\+8"
    for dates in facts.locator(".dates").all_inner_texts():
        assert re.search(both_dates, dates)
    timeline = page.locator("#timeline tbody tr")
    assert timeline.count() >= 3
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\d", text)
        for text in timeline.locator("td.effective").all_inner_texts()
    )
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d 北京时间 UTC\+8", text)
        for text in timeline.locator("td.recorded").all_inner_texts()
    )
    page.screenshot(path=tmp_path / "2-unit-explanation.png", full_page=True)

    # Back to the list: download it as XLSX.
    page.go_back()
    with page.expect_download() as downloading:
        page.get_by_role("link", name="导出 Excel").click()
    saved = tmp_path / "list.xlsx"
    downloading.value.save_as(saved)
    sheet = load_workbook(io.BytesIO(saved.read_bytes())).active
    assert sheet is not None
    title, *table = list(sheet.iter_rows(values_only=True))
    assert str(title[0]).startswith(f"绿色制造名单（{DAY}） · 地区：江苏省 · 状态：已移出")
    assert table[0][:3] == ("序号", "地区", "名称")
    assert len(table) - 1 == total
    assert {row[1] for row in table[1:]} == {"江苏省"}
    assert name in {row[2] for row in table[1:]}

    # The list over time: the chart, and the same numbers in the table beside it.
    page.get_by_role("link", name="历年变化").click()
    chart = page.locator("#chart-on-list")
    expect(chart).to_be_visible()
    assert chart.locator("rect").count() > 0
    on_list = page.locator("#table-on-list tbody tr")
    years = on_list.locator("th").all_inner_texts()
    assert years[0] == "2017"
    factories_2020 = int(
        on_list.filter(has=page.locator("th", has_text="2020")).locator("td").first.inner_text()
    )
    assert factories_2020 > 1000
    assert chart.locator("rect title", has_text=f"绿色工厂 2020: {factories_2020}").count() == 1
    removals_2018 = page.locator("#table-removed tbody tr").filter(
        has=page.locator("th", has_text="2018")
    )
    assert int(removals_2018.locator("td.total").inner_text()) >= 1  # 泰兴经济开发区
    page.screenshot(path=tmp_path / "3-over-time.png", full_page=True)
    context.close()


def test_the_list_and_the_unit_page_work_with_javascript_switched_off(
    demo: LiveApi, browser: Browser, tmp_path: Path
) -> None:
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    sign_in(page, demo)

    filter_jiangsus_removed_units(page)
    assert f"as_of={DAY}" in page.url
    assert f"region={JIANGSU}" in page.url
    rows = page.locator("table.list tbody tr")
    assert rows.count() > 0
    assert set(rows.locator("td:nth-child(6)").all_inner_texts()) == {"已移出"}
    page.screenshot(path=tmp_path / "no-js-list.png", full_page=True)

    # The first of Jiangsu's removed units is the real one: 泰兴, removed by 341号 in 2018.
    rows.first.locator("td:first-child a").click()
    expect(page.locator("h1")).to_have_text("江苏省泰兴经济开发区")
    expect(page.locator("#status")).to_have_text("已移出")
    expect(page.locator("#explanation")).to_contain_text("依据公告导入，未按规则重新认定")
    expect(page.locator("#explanation")).to_contain_text("工信厅节函〔2018〕341号")
    assert page.locator("#synthetic").count() == 0
    documents = page.locator('#timeline a[href^="https://"]')
    assert documents.count() >= 1  # the published list the unit was listed by
    page.screenshot(path=tmp_path / "no-js-unit.png", full_page=True)

    page.get_by_role("link", name="English").click()
    expect(page.locator("#status")).to_have_text("removed")
    expect(page.locator("h2").first).to_have_text("Status and flags")
    context.close()


#: The tallest text of a table's cells in the given columns (1-based): its text and height, and the
#: line height; the text's own box is measured, not the cell's (the row's height).
TALLEST_CELL = """([selector, columns]) => {
  const table = document.querySelector(selector);
  const lineHeight = parseFloat(getComputedStyle(table.querySelector('td')).lineHeight);
  const range = document.createRange();
  const cells = [...table.querySelectorAll('tbody tr')].flatMap(tr =>
    columns.map(n => tr.children[n - 1]).filter(td => td && td.innerText.trim() !== ''));
  const measured = cells.map(td => {
    range.selectNodeContents(td);
    return [td.innerText, range.getBoundingClientRect().height];
  });
  const tallest = measured.reduce((a, b) => (b[1] > a[1] ? b : a));
  return {
    lineHeight,
    tallest,
    name: table.querySelector('thead th').getBoundingClientRect().width,
    table: table.getBoundingClientRect().width,
    page: document.documentElement.scrollWidth,
  };
}"""


def test_the_lists_short_columns_stay_on_one_line_beside_a_long_product_model(
    demo: LiveApi, browser: Browser, tmp_path: Path
) -> None:
    """Beijing's list of 2023-06-30 holds a design product whose model numbers run to 150 unbroken
    characters (S200(M)/S200MUC/…): they break within the name's column, and the region, category,
    level, status and dates each stay on one line, as a reader scans them."""
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.goto(f"{demo.base_url}/?as_of=2023-06-30&region=110000&page_size=200")
    rows = page.locator("table.list tbody tr")
    assert rows.count() > 20
    assert rows.filter(has_text="S200MUC").count() == 1  # the long model is on this page

    layout = page.evaluate(TALLEST_CELL, ["table.units", list(range(2, 11))])
    page.screenshot(path=tmp_path / "list-beijing.png", full_page=False)

    text, height = layout["tallest"]
    assert height < 1.5 * layout["lineHeight"], f"{text!r} wraps: {height}px high"
    assert layout["name"] < 0.6 * layout["table"]  # the name no longer takes the row
    assert layout["page"] <= 1280  # and nothing runs off the page
    page.close()


def test_the_changes_short_columns_stay_on_one_line(demo: LiveApi, browser: Browser) -> None:
    """The removals of the demo's last year beside their reasons and announcements: region,
    category, level, batch, date and the certificate's link each on one line."""
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.goto(f"{demo.base_url}/changes?from=2025-12-31&to=2026-12-05")
    assert page.locator("#removed table.changes tbody tr").count() > 5

    layout = page.evaluate(TALLEST_CELL, ["#removed table.changes", list(range(2, 8))])

    text, height = layout["tallest"]
    assert height < 1.5 * layout["lineHeight"], f"{text!r} wraps: {height}px high"
    assert layout["page"] <= 1280
    page.close()


def test_a_units_timeline_shows_each_day_and_instant_on_one_line(
    demo: LiveApi, browser: Browser
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, demo)
    page.goto(f"{demo.base_url}/?q=示例&page_size=20")
    page.locator("table.list tbody tr td:first-child a").first.click()
    assert page.locator("table.timeline tbody tr").count() >= 3

    layout = page.evaluate(TALLEST_CELL, ["table.timeline", [1, 2]])

    text, height = layout["tallest"]
    assert height < 1.5 * layout["lineHeight"], f"{text!r} wraps: {height}px high"
    context.close()
