"""`greenledger import published-lists DIR` on real files and a real SQLite ledger."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from api.cli_import import import_app
from domain.ledger import Ledger
from domain.values import Level
from tests.builders import stored_event_count

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "published-lists"
WIDE = {"COLUMNS": "200"}


def lists_with_bad_rows(directory: Path) -> Path:
    directory.mkdir()
    shutil.copy(SHIPPED / "announcements.csv", directory / "announcements.csv")
    (directory / "green_parks.csv").write_text(
        "序号,地区,园区,第三方评价机构,批次\n"
        "1,天津,天津经济技术开发区,某评价机构,1\n"
        "2,火星,火星工业园区,某评价机构,1\n"
        "3,内蒙,内蒙古鄂托克经济开发区,某评价机构,9\n",
        encoding="utf-8",
    )
    return directory


def test_importing_a_directory_prints_each_bad_row_and_imports_the_good_ones(
    tmp_path: Path, sqlite_url: str
) -> None:
    directory = lists_with_bad_rows(tmp_path / "lists")

    result = CliRunner().invoke(
        import_app, ["published-lists", str(directory), "--database-url", sqlite_url], env=WIDE
    )

    assert result.exit_code == 0, result.output
    assert "green_parks.csv:3  地区「火星」无法识别 (unknown region '火星')" in result.output
    assert "green_parks.csv:4  批次「9」无效" in result.output
    assert "导入 1 项" in result.output
    ledger = Ledger.open(sqlite_url)
    (listed,) = ledger.get_batch(Level.NATIONAL, 1).publications[0].listed
    assert ledger.get_enterprise(ledger.get_listing(listed).enterprise_id).name == (
        "天津经济技术开发区"
    )
    ledger.close()


def test_importing_the_same_directory_again_reports_everything_present_and_writes_nothing(
    tmp_path: Path, sqlite_url: str
) -> None:
    directory = lists_with_bad_rows(tmp_path / "lists")
    arguments = ["published-lists", str(directory), "--database-url", sqlite_url]
    CliRunner().invoke(import_app, arguments, env=WIDE)
    ledger = Ledger.open(sqlite_url)
    events = stored_event_count(ledger)

    again = CliRunner().invoke(import_app, arguments, env=WIDE)

    assert again.exit_code == 0, again.output
    assert "已有 1 项" in again.output
    assert "写入事件 0 个" in again.output
    assert stored_event_count(ledger) == events
    ledger.close()


def test_importing_a_directory_without_announcements_fails_naming_the_file(
    tmp_path: Path, sqlite_url: str
) -> None:
    result = CliRunner().invoke(
        import_app, ["published-lists", str(tmp_path), "--database-url", sqlite_url], env=WIDE
    )

    assert result.exit_code == 2
    assert "announcements.csv is missing" in result.output
