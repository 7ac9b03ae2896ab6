"""`greenledger export --stars`, `--green-code` (ADR 0142, 0151): the filters of `GET /v1/list`
on the command line, the same values and the same refusals — a bad value named by its option,
Chinese first, before anything is written."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli.main import app
from domain.ledger import Ledger
from domain.national.commands import record_green_code
from tests.builders import by_ministry, listed_factory
from tests.integration.readside.scenarios import starred_on_provincial_list

runner = CliRunner()
STARRED = "江苏示例省级星级工厂有限公司"
CODED = "江苏示例绿码纺织有限公司"


@pytest.fixture
def tiers(sql_database_url: str) -> str:
    """A four-star unit of Jiangsu's provincial list (from 2024-06-01) and a national factory
    graded A+ for 2024 as the ministry assigned it (effective 2025-09-03)."""
    with Ledger.open(sql_database_url) as ledger:
        starred_on_provincial_list(ledger)
        coded = listed_factory(ledger, CODED)
        record_green_code(
            ledger,
            coded.listing_id,
            report_year=2024,
            grade="A+",
            provenance=by_ministry(date(2025, 9, 3)),
        )
    return sql_database_url


def exported(url: str, target: Path, *arguments: str) -> tuple[int, str, list[list[str]]]:
    """Exit code, what was said, and the CSV written (empty when nothing was)."""
    result = runner.invoke(
        app,
        ["export", "--format", "csv", "-o", str(target), *arguments],
        env={"GREENLEDGER_DATABASE_URL": url, "COLUMNS": "200"},
    )
    said = result.stdout + result.stderr
    if not target.exists():
        return result.exit_code, said, []
    text = target.read_bytes().decode("utf-8-sig")
    return result.exit_code, said, list(csv.reader(io.StringIO(text)))


def column(table: list[list[str]], header: str) -> list[str]:
    at = table[0].index(header)
    return [row[at] for row in table[1:]]


def test_the_export_filtered_by_stars_holds_the_units_rated_so_on_the_date(
    tiers: str, tmp_path: Path
) -> None:
    code, said, table = exported(
        tiers, tmp_path / "four.csv", "--as-of", "2025-10-01", "--stars", "4"
    )
    assert code == 0, said
    assert column(table, "名称") == [STARRED]
    assert column(table, "星级") == ["四星"]

    code, said, table = exported(
        tiers, tmp_path / "five.csv", "--as-of", "2025-10-01", "--stars", "5"
    )
    assert code == 0, said
    assert table[1:] == []
    code, said, table = exported(
        tiers, tmp_path / "before.csv", "--as-of", "2024-05-31", "--stars", "4"
    )
    assert code == 0, said
    assert table[1:] == []  # rated from 2024-06-01


def test_the_export_filtered_by_green_code_holds_the_units_bearing_it_with_its_year(
    tiers: str, tmp_path: Path
) -> None:
    code, said, table = exported(
        tiers, tmp_path / "a-plus.csv", "--as-of", "2025-10-01", "--green-code", "A+"
    )
    assert code == 0, said
    assert column(table, "名称") == [CODED]
    assert (column(table, "企业绿码"), column(table, "企业绿码报告年度")) == (["A+"], ["2024"])

    code, said, table = exported(
        tiers, tmp_path / "b.csv", "--as-of", "2025-10-01", "--green-code", "B"
    )
    assert code == 0, said
    assert table[1:] == []
    code, said, table = exported(
        tiers, tmp_path / "before.csv", "--as-of", "2025-09-02", "--green-code", "A+"
    )
    assert code == 0, said
    assert table[1:] == []  # effective from 2025-09-03


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--stars", "6", "星级应为3、4或5"),
        ("--stars", "四星", "星级应为3、4或5"),
        ("--stars", "", "星级应为3、4或5"),
        ("--green-code", "C", "企业绿码应为A+、A或B"),
        ("--green-code", "a+", "企业绿码应为A+、A或B"),
        ("--green-code", "A ", "企业绿码应为A+、A或B"),
    ],
)
def test_a_bad_stars_or_green_code_is_refused_naming_the_option_and_nothing_is_written(
    tiers: str, tmp_path: Path, option: str, value: str, says: str
) -> None:
    target = tmp_path / "nothing.csv"

    code, said, table = exported(tiers, target, option, value)

    assert code == 2
    assert option in said
    assert says in said
    assert said.index("无效") < said.index("is not")  # Chinese first
    assert not target.exists()
    assert table == []
