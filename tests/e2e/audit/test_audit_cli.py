"""`greenledger audit run|list|show|export` on real stores: a report kept with a signed head, its
decisions, the audit file with the proof beside it that `verify-proof` accepts; and a second
process refused while another report holds the ledger."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from typer.testing import CliRunner

from api.cli.main import app
from audit.reports import ReportParameters
from audit.store import ReportStore
from domain.ledger import Ledger
from tests.builders import by_province, listed_factory


def greenledger(database_url: str, *args: str, key: Path | None = None) -> Any:
    env = {"GREENLEDGER_DATABASE_URL": database_url}
    if key is not None:
        env["GREENLEDGER_SIGNING_KEY_PATH"] = str(key)
    return CliRunner().invoke(app, list(args), env=env)


def a_flag_for_a_major_accident(url: str) -> None:
    with Ledger.open(url) as ledger:
        unit = listed_factory(ledger)
        ledger.record_incident(
            unit.enterprise_id,
            kind="safety",
            grade="major",
            occurred_on=date(2023, 5, 1),
            source="credit_china",
            provenance=by_province(date(2023, 5, 3)),
        )


def report_id_of(output: str) -> str:
    line = next(line for line in output.splitlines() if line.startswith("审计报告 Audit report"))
    return line.split()[3]


def test_a_report_run_from_the_command_line_is_kept_shown_and_exported_with_its_proof(
    sql_database_url: str, tmp_path: Path
) -> None:
    a_flag_for_a_major_accident(sql_database_url)
    key = tmp_path / "seal.pem"
    assert greenledger(sql_database_url, "keys", "create", "--private-key", str(key)).exit_code == 0

    ran = greenledger(sql_database_url, "audit", "run", key=key)
    report_id = report_id_of(ran.output)
    what_if = greenledger(sql_database_url, "audit", "run", "--rulebook", "2024", key=key)
    shown = greenledger(
        sql_database_url, "audit", "show", report_id_of(what_if.output), "--outcome", "differs"
    )
    listed = greenledger(sql_database_url, "audit", "list")
    one_more_enterprise(sql_database_url)
    target = tmp_path / "audit.xlsx"
    exported = greenledger(
        sql_database_url, "audit", "export", report_id, "--out", str(target), key=key
    )
    verified = greenledger(
        sql_database_url,
        "verify-proof",
        "--proof",
        str(tmp_path / "audit.consistency.json"),
        "--head",
        str(tmp_path / "audit.report-head.json"),
        "--head",
        str(tmp_path / "audit.latest-head.json"),
        "--public-key",
        f"{key}.pub",
    )

    assert ran.exit_code == 0, ran.output
    assert "决定 decisions 3 = 重新认定 re-derived 3 + 导入 imported 0" in ran.output
    assert what_if.exit_code == 0, what_if.output  # a what-if's differences are its answer
    # The flag (DYN-4), and the nomination by 13号's road to the national list (REC-2: no
    # provincial listing; ADR 0150).
    assert "不一致 differing 2" in what_if.output
    assert shown.exit_code == 0, shown.output
    assert "DYN-4" in shown.output
    assert report_id in listed.output
    assert exported.exit_code == 0, exported.output
    assert "一致" in exported.output
    assert load_workbook(target).sheetnames[1] == "决定 Decisions"
    report_head = json.loads((tmp_path / "audit.report-head.json").read_text())
    assert report_head["signature"]
    assert verified.exit_code == 0, verified.output
    assert "有效 valid" in verified.output


def one_more_enterprise(url: str) -> None:
    with Ledger.open(url) as ledger:
        ledger.register_enterprise(
            name="江苏丙钢铁有限公司", region="320000", provenance=by_province(date(2024, 1, 2))
        )


def test_a_second_process_may_not_run_a_report_while_another_holds_the_ledger(
    sql_database_url: str,
) -> None:
    a_flag_for_a_major_accident(sql_database_url)
    with Ledger.open(sql_database_url) as ledger:
        name = ledger.name
    store = ReportStore.open(sql_database_url, name)
    try:
        holder, _ = store.claim(ReportParameters(), "auditor")
        same = audit_run_in_a_process(sql_database_url)
        other = audit_run_in_a_process(sql_database_url, "--rulebook", "2024")
    finally:
        store.fail(holder.report_id, "released by the test")
        store.close()

    for refused in (same, other):
        assert refused.returncode == 1, refused.stdout
        assert str(holder.report_id) in refused.stderr


def audit_run_in_a_process(url: str, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from api.cli.main import main; main()", "audit", "run", *options],
        env={**os.environ, "GREENLEDGER_DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
