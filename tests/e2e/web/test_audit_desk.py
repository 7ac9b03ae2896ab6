"""The auditor's desk over the demo ledger (the real published lists and synthetic dynamic
management): the report's counts add up, nothing differs under the rules in force, the audit
file's rows are the API's; then the desk in Debian's Chromium, with JavaScript switched off
(ADR 0070, ADR 0072).

SQLite only, loaded once for the module, as tests/web/test_browser.py does; the pages on both
stores are in test_audit_pages.py.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from api.http.auth import Role
from audit.workbook import DECISION_HEADERS
from domain.ledger import Ledger
from domain.loading.demo import load_demo
from domain.replay import DECISION_EVENTS
from readside.engine.database import Views
from readside.engine.projector import Projector
from tests.e2e.audit.test_audit_reports import api_rows, every_decision, workbook_rows
from tests.e2e.http.live import LiveApi, live_api
from tests.e2e.http.world import expect as expect_status


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveApi, int]]:
    """The demo ledger, loaded once, projected and served (as test_browser.py does); and its
    decisions counted from the events."""
    url = f"sqlite:///{tmp_path_factory.mktemp('desk') / 'demo.db'}"
    ledger = Ledger.open(url)
    try:
        load_demo(ledger)
        decisions = decisions_in_the_log(ledger)
        views = Views.open(url)
        try:
            Projector(ledger, views).catch_up()
        finally:
            views.close()
    finally:
        ledger.close()
    with live_api(url) as api:
        yield api, decisions


def decisions_in_the_log(ledger: Ledger) -> int:
    count, start = 0, 0
    while page := ledger.recorder.select_notifications(
        start=start, limit=2000, inclusive_of_start=False
    ):
        count += sum(isinstance(ledger.mapper.to_domain_event(n), DECISION_EVENTS) for n in page)
        start = page[-1].id
    return count


def finished_report(api: LiveApi, body: dict[str, Any]) -> dict[str, Any]:
    auditor = api.auditor()
    started = expect_status(auditor.post("/v1/audit/reports", body), 202)
    assert api.app is not None
    api.app.state.audit_desk.wait(UUID(started["report_id"]))
    done: dict[str, Any] = expect_status(
        auditor.get(f"/v1/audit/reports/{started['report_id']}", outcome="differs"), 200
    )
    return done


def test_over_the_demo_every_decision_is_counted_and_none_differs_under_the_rules_in_force(
    demo: tuple[LiveApi, int],
) -> None:
    api, in_the_log = demo

    report = finished_report(api, {})

    counts = report["counts"]
    assert counts["rederived"] + counts["imported"] == counts["decisions"] == in_the_log
    assert counts["imported"] > 10_000  # the published lists, announced before the ledger
    assert counts["rederived"] > 0
    assert counts["differing"] == 0
    assert report["decisions"]["total"] == 0
    imported = expect_status(
        api.auditor().get(
            f"/v1/audit/reports/{report['report_id']}", outcome="imported", page_size=1
        ),
        200,
    )["decisions"]
    assert imported["total"] == counts["imported"]
    (first,) = imported["items"]
    assert first["rederived"] is None
    assert "依据公告" in first["why_not_rederived_zh"]
    assert "未按规则重新认定" in first["why_not_rederived_zh"]
    announced = first["basis"][0]["doc_no"] or first["basis"][0]["title"]
    assert announced in first["why_not_rederived_zh"]  # the announcement it was imported from


def test_the_demos_audit_file_holds_the_apis_rows(demo: tuple[LiveApi, int]) -> None:
    api, _ = demo
    report = finished_report(api, {"rulebook": "2024", "from": "2023-01-01"})
    auditor = api.auditor()

    download = api.client.get(
        f"/v1/audit/reports/{report['report_id']}.xlsx", headers=auditor.headers()
    )

    assert download.status_code == 200
    workbook = load_workbook(io.BytesIO(download.content), read_only=True)
    rows = list(workbook["决定 Decisions"].iter_rows(values_only=True))
    assert rows[0] == DECISION_HEADERS
    assert len(rows) - 1 == report["counts"]["decisions"] > 0
    assert workbook_rows(rows[1:]) == api_rows(every_decision(auditor, report["report_id"]))


def sign_in_as_auditor(page: Page, api: LiveApi) -> None:
    token = api.tokens.create(Role.AUDITOR, name="browser test").token
    page.goto(f"{api.base_url}/sign-in?next=/audit")
    page.get_by_label("令牌").fill(token)
    page.locator("form.sign-in button").click()
    expect(page.locator("header .role")).to_contain_text("审计")


def test_an_auditor_runs_a_what_if_on_the_desk_reads_it_and_takes_the_file(
    demo: tuple[LiveApi, int],
    browser: Browser,
    tmp_path: Path,
) -> None:
    api, _ = demo
    context = browser.new_context(java_script_enabled=False, accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    sign_in_as_auditor(page, api)

    # Start a what-if: the decisions of 2023 under the 2024 rules (工信部节〔2024〕13号).
    expect(page.locator("h1")).to_have_text("审计工作台")
    page.get_by_label("决定日期起").fill("2023-01-01")
    page.get_by_label("决定日期止").fill("2023-12-31")
    page.get_by_label("规则版本").select_option("2024")
    page.get_by_role("button", name="生成").click()
    found = re.search(r"/audit/reports/([0-9a-f-]{36})$", page.url)
    assert found is not None
    report_id = UUID(found.group(1))
    page.screenshot(path=tmp_path / "1-desk-started.png", full_page=True)

    # Watch it: the page reloads itself until the report is done.
    assert api.app is not None
    api.app.state.audit_desk.wait(report_id)
    expect(page.locator("#report-status")).to_have_text("已完成", timeout=15_000)
    expect(page.locator("#report-rulebook")).to_have_text("2024")
    decisions = int(page.locator("#count-decisions").inner_text())
    differing = int(page.locator("#count-differing").inner_text())
    assert decisions > 0
    page.screenshot(path=tmp_path / "2-report-done.png", full_page=True)

    # Read and filter it: the decisions that would have gone otherwise.
    page.get_by_label("结果").select_option("differs")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("#shown")).to_have_text(f"共 {differing} 项决定")
    rows = page.locator("#decisions tbody tr")
    if differing:
        assert set(rows.locator("td.outcome").all_inner_texts()) == {"不一致"}
    page.get_by_label("结果").select_option("")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("#shown")).to_have_text(f"共 {decisions} 项决定")

    # Open a decision: recorded and re-derived findings side by side.
    rows.first.locator("td:first-child a").click()
    expect(page.locator("h2").first).to_contain_text("记录的认定")
    expect(page.locator("h2").nth(1)).to_contain_text("重新推出的认定")
    expect(page.locator("h2").nth(1)).to_contain_text("规则版本 2024")
    page.screenshot(path=tmp_path / "3-decision.png", full_page=True)

    # Take the audit file.
    page.get_by_role("link", name="返回报告").click()
    with page.expect_download() as downloading:
        page.get_by_role("link", name="下载审计文件（Excel）").click()
    saved = tmp_path / "audit.xlsx"
    downloading.value.save_as(saved)
    workbook = load_workbook(saved, read_only=True)
    assert workbook.sheetnames == [
        "摘要 Summary",
        "决定 Decisions",
        "差异 Differences",
        "校验 Verification",
    ]
    assert sum(1 for _ in workbook["决定 Decisions"].iter_rows()) == decisions + 1
    context.close()
