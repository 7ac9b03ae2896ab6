"""`greenledger import filings FILE --region 江苏 [--dry-run]`: the dynamic management tables from
the command line, the region named in Chinese; a dry run writes nothing, a second run neither."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from api.cli.main import app
from api.filing_workbook import region_template
from domain.ledger import Ledger
from domain.values import Category, Provenance, Reference, Region
from readside.engine.database import Views
from readside.engine.projector import Projector

pytestmark = pytest.mark.integration

runner = CliRunner()
JIANGSU = "320000"


def listed_units(ledger: Ledger, count: int) -> list[UUID]:
    province = Provenance(f"province:{JIANGSU}", date(2022, 10, 20))
    ledger.open_batch(level="national", batch_year=2022, provenance=Provenance("ministry"))
    listings = []
    for number in range(count):
        enterprise = ledger.register_enterprise(
            name=f"江苏示例命令行{number}号有限公司", region=JIANGSU, provenance=province
        )
        assert enterprise.id is not None
        nominated = ledger.nominate_listing(
            enterprise_id=enterprise.id,
            category="green_factory",
            level="national",
            batch_year=2022,
            provenance=province,
        )
        assert nominated.id is not None
        listings.append(nominated.id)
    ledger.publish_batch(
        level="national",
        batch_year=2022,
        announcement=Reference(doc_no="示例〔2023〕1号"),
        listed=listings,
        provenance=Provenance("ministry", date(2023, 3, 23)),
    )
    return listings


def filled_template(url: str, bad_row: int) -> bytes:
    views = Views.open(url)
    try:
        with Ledger.open(url) as ledger:
            Projector(ledger, views).catch_up()
        content = region_template(
            views, region=Region.of(JIANGSU), categories=[Category.GREEN_FACTORY], report_year=2025
        )
    finally:
        views.close()
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["绿色工厂"]
    column = [c.value for c in sheet[2]].index("单位产品综合能耗（kgce/t）") + 1
    for row in range(3, sheet.max_row + 1):
        sheet.cell(row=row, column=column, value="很高" if row == bad_row else 480)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run(url: str, *arguments: str) -> tuple[int, str]:
    result = runner.invoke(
        app,
        ["import", "filings", *arguments],
        env={"GREENLEDGER_DATABASE_URL": url, "COLUMNS": "200"},
    )
    return result.exit_code, result.stdout + result.stderr


def test_the_tables_are_filed_from_the_command_line(sql_database_url: str, tmp_path: Path) -> None:
    with Ledger.open(sql_database_url) as ledger:
        listed_units(ledger, 4)
    tables = tmp_path / "tables.xlsx"
    tables.write_bytes(filled_template(sql_database_url, bad_row=4))
    with Ledger.open(sql_database_url) as ledger:
        before = ledger.position

    code, out = run(sql_database_url, str(tables), "--region", "江苏", "--dry-run")
    assert code == 0, out
    assert "可写入 would write 3" in out
    assert "绿色工厂 第4行" in out
    assert "数值" in out
    with Ledger.open(sql_database_url) as ledger:
        assert ledger.position == before

    code, out = run(sql_database_url, str(tables), "--region", "江苏省")
    assert code == 0, out
    assert "写入 written 3" in out
    with Ledger.open(sql_database_url) as ledger:
        after = ledger.position
    assert after > before

    code, out = run(sql_database_url, str(tables), "--region", JIANGSU)
    assert code == 0, out
    assert "写入 written 0，已记录 unchanged 3" in out
    with Ledger.open(sql_database_url) as ledger:
        assert ledger.position == after


def test_an_unknown_region_is_refused_in_chinese(sql_database_url: str, tmp_path: Path) -> None:
    tables = tmp_path / "tables.xlsx"
    tables.write_bytes(b"")

    code, out = run(sql_database_url, str(tables), "--region", "火星")

    assert code == 2
    assert "不是37个报送地区之一" in out
