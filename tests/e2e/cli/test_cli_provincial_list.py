"""`greenledger import provincial-list` (ADR 0143): the shipped template imported as a province's
own list with its stars, once; a bad city refused before anything is written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli.main import app
from domain.ledger import Ledger

pytestmark = pytest.mark.integration

runner = CliRunner()
TEMPLATE = Path(__file__).resolve().parents[3] / "data" / "templates" / "provincial-list.csv"


def run(url: str, *arguments: str) -> tuple[int, str]:
    result = runner.invoke(
        app,
        ["import", "provincial-list", *arguments],
        env={"GREENLEDGER_DATABASE_URL": url, "COLUMNS": "200"},
    )
    return result.exit_code, result.stdout + result.stderr


def test_the_template_is_imported_as_a_list_with_stars_once(sql_database_url: str) -> None:
    where = ("--region", "320000", "--year", "2024", "--doc-no", "示例〔2024〕9号")
    code, out = run(sql_database_url, str(TEMPLATE), *where, "--date", "2024-12-20")
    assert code == 0, out
    assert "列入 Listed 3" in out
    assert "评定星级 Stars rated 2" in out
    code, out = run(sql_database_url, str(TEMPLATE), *where, "--date", "2024-12-20")
    assert code == 0, out
    assert "列入 Listed 0 · 已在名单 Already listed 3 · 评定星级 Stars rated 0" in out
    with Ledger.open(sql_database_url) as ledger:
        company = ledger.find_enterprise(region="320000", name="示例某某汽车有限公司")
        assert company is not None
        (listing_id,) = company.listing_ids
        assert ledger.get_listing(listing_id).stars_on(date(2024, 12, 20)) == 5


def test_a_city_outside_the_region_is_refused_before_anything_is_written(
    sql_database_url: str,
) -> None:
    code, out = run(
        sql_database_url, str(TEMPLATE), "--region", "320000", "--year", "2024",
        "--doc-no", "示例〔2024〕9号", "--date", "2024-12-20",
        "--level", "municipal", "--city", "330100",
    )  # fmt: skip
    assert code == 2
    assert "city" in out
    with Ledger.open(sql_database_url) as ledger:
        assert ledger.position == 0
