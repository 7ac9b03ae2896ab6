"""The served API with an event its projector cannot apply (issue 16, finding 1; ADR 0105): the
server starts, `/health` answers "degraded" naming the quarantined position, and the whole-list
workbook is still served (on SQLite the odd name is stored and the workbook replaces its NUL)."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from domain.ledger import Ledger
from tests.builders import listed_factory
from tests.e2e.http.live import live_api
from tests.poison import record_nul_rename, record_undecodable


def test_the_server_starts_reports_the_quarantine_and_serves_the_list_workbook(
    sql_database_url: str,
) -> None:
    with Ledger.open(sql_database_url) as ledger:
        unit = listed_factory(ledger)
        renamed = record_nul_rename(ledger, unit.enterprise_id)
        undecodable = record_undecodable(ledger)
        listed_factory(ledger, "江苏随后一家有限公司")
        last = ledger.position
    postgres = sql_database_url.startswith("postgresql")
    quarantined = sorted({undecodable} | ({renamed} if postgres else set()))

    with live_api(sql_database_url) as api:
        health = api.anonymous.get("/health")
        workbook = api.ministry().get("/v1/exports/list.xlsx")

    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["quarantined"] == len(quarantined)
    assert health.json()["quarantined_positions"] == quarantined
    assert health.json()["projections_position"] == last
    assert workbook.status_code == 200, workbook.text
    sheet = load_workbook(io.BytesIO(workbook.content)).worksheets[0]
    names = {str(row[2]) for row in sheet.iter_rows(values_only=True) if row[2]}
    assert "江苏随后一家有限公司" in names
    if postgres:
        assert "江苏绿源钢铁有限公司" in names
    else:
        assert "示例坏\ufffd名改后有限公司" in names
