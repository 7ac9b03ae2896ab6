"""The auditor's desk as pages, on SQLite and PostgreSQL: start a report with a plain form, watch
it run (the page reloads itself), read and filter it, open a decision, download the audit file;
the ministry reads, the others may not."""

from __future__ import annotations

import io
import re
from uuid import UUID

import httpx
from openpyxl import load_workbook

from api.http.auth import Role
from audit.reports import ReportParameters
from audit.store import ReportStore
from tests.e2e.http.world import JIANGSU
from tests.e2e.web.site import Site, text_of


def start(auditor: httpx.Client, **fields: str) -> UUID:
    started = auditor.post("/audit/reports", data=fields, follow_redirects=False)
    assert started.status_code == 303, started.text
    found = re.fullmatch(r"/audit/reports/([0-9a-f-]{36})", started.headers["location"])
    assert found is not None
    return UUID(found.group(1))


def finish(site: Site, report_id: UUID) -> None:
    """Join the report's background thread (no wait on the clock)."""
    assert site.api.app is not None
    site.api.app.state.audit_desk.wait(report_id)


def cell(html: str, ident: str) -> str:
    found = re.search(rf'id="{ident}"[^>]*>([^<]*)<', html)
    assert found is not None, ident
    return found.group(1).strip()


def test_the_auditor_starts_a_report_and_reads_every_decision_of_it(site: Site) -> None:
    with site.browser(Role.AUDITOR) as auditor:
        desk = auditor.get("/audit")
        report_id = start(auditor)
        finish(site, report_id)
        page = auditor.get(f"/audit/reports/{report_id}")
        differs = auditor.get(f"/audit/reports/{report_id}", params={"outcome": "differs"})
        removals = auditor.get(f"/audit/reports/{report_id}", params={"decision": "removal"})
        listed = auditor.get("/audit")

    assert desk.status_code == 200
    assert "审计工作台" in text_of(desk.text)
    assert 'action="/audit/reports"' in desk.text
    assert page.status_code == 200
    assert cell(page.text, "report-status") == "已完成"
    # three nominations, three listings, a filing review, a removal
    assert cell(page.text, "count-decisions") == "8"
    assert cell(page.text, "count-rederived") == "8"
    assert cell(page.text, "count-imported") == "0"
    assert cell(page.text, "count-differing") == "0"
    assert f'href="/audit/reports/{report_id}.xlsx"' in page.text
    assert "没有符合条件的决定" in text_of(differs.text)
    assert "共 1 项决定" in text_of(removals.text)
    assert f'href="/audit/reports/{report_id}"' in listed.text


def test_a_decision_shows_its_recorded_and_rederived_findings_side_by_side(site: Site) -> None:
    with site.browser(Role.AUDITOR) as auditor:
        report_id = start(auditor)
        finish(site, report_id)
        removals = auditor.get(f"/audit/reports/{report_id}", params={"decision": "removal"})
        (link,) = re.findall(rf'href="(/audit/reports/{report_id}/decisions/\d+)"', removals.text)
        decision = auditor.get(link)

    assert decision.status_code == 200
    shown = text_of(decision.text)
    assert "移出名单" in shown
    assert "记录的认定" in shown
    assert "重新推出的认定" in shown
    assert cell(decision.text, "decision-outcome").startswith("一致")
    recorded = decision.text.split('id="recorded"')[1].split('id="rederived"')[0]
    assert 'data-rule="DYN-1"' in recorded
    assert "工信厅节函〔2022〕235号" in text_of(recorded)  # DYN-1 as the 2022 rulebook cites it
    assert f'href="/units/{site.world.removed}"' in decision.text
    assert "/v1/ledger/proofs/inclusion?position=" in decision.text


def test_a_running_report_shows_its_progress_and_reloads_itself(site: Site) -> None:
    assert site.api.app is not None
    store: ReportStore = site.api.app.state.audit_store
    running, _ = store.claim(ReportParameters(region=JIANGSU), "auditor")  # held elsewhere
    try:
        with site.browser(Role.AUDITOR) as auditor:
            page = auditor.get(f"/audit/reports/{running.report_id}")
            other = auditor.post("/audit/reports", data={"rulebook": "2024"})
    finally:
        store.fail(running.report_id, "released by the test")

    assert cell(page.text, "report-status") == "生成中"
    assert '<meta http-equiv="refresh" content="2">' in page.text
    assert "<progress" in page.text
    assert other.status_code == 409
    assert str(running.report_id) in text_of(other.text)


def test_a_form_with_a_bad_field_is_shown_again_naming_it(site: Site) -> None:
    with site.browser(Role.AUDITOR) as auditor:
        refused = auditor.post("/audit/reports", data={"from": "2024-13-01", "to": "2023-01-01"})
        bad_filter = auditor.get(f"/audit/reports/{start(auditor)}", params={"rule": "XYZ-9"})

    assert refused.status_code == 422
    assert "from" in text_of(refused.text)
    assert 'value="2024-13-01"' in refused.text
    assert bad_filter.status_code == 422
    assert "rule" in text_of(bad_filter.text)


def test_the_audit_file_downloads_from_the_desk(site: Site) -> None:
    with site.browser(Role.AUDITOR) as auditor:
        report_id = start(auditor, rulebook="2024")
        finish(site, report_id)
        download = auditor.get(f"/audit/reports/{report_id}.xlsx")

    assert download.status_code == 200
    assert f"audit-report-{report_id}.xlsx" in download.headers["content-disposition"]
    workbook = load_workbook(io.BytesIO(download.content))
    assert "决定 Decisions" in workbook.sheetnames


def test_the_ministry_reads_the_desk_and_the_others_may_not(site: Site) -> None:
    with site.browser(Role.MINISTRY) as ministry:
        desk = ministry.get("/audit")
        start_refused = ministry.post("/audit/reports", data={}, follow_redirects=False)
    with site.browser(Role.PROVINCE, region=JIANGSU) as jiangsu:
        province = jiangsu.get("/audit")
    with site.browser() as anonymous:
        signed_out = anonymous.get("/audit", follow_redirects=False)

    assert desk.status_code == 200
    assert 'action="/audit/reports"' not in desk.text
    assert start_refused.status_code == 403
    assert province.status_code == 403
    assert signed_out.status_code == 303
