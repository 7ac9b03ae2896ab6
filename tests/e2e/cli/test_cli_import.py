"""`greenledger import published-lists DIR` on real files and a real ledger."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from api.cli.main import app
from domain.ledger import Ledger
from domain.values import Level
from tests.builders import announcement_fixtures, stored_event_count
from tests.paths import PUBLISHED_LISTS

SHIPPED = PUBLISHED_LISTS
runner = CliRunner()


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


def import_directory(directory: Path, database_url: str) -> tuple[int, str, str]:
    result = runner.invoke(
        app,
        ["import", "published-lists", str(directory)],
        env={"GREENLEDGER_DATABASE_URL": database_url, "COLUMNS": "200"},
    )
    return result.exit_code, result.stdout, result.stderr


def test_importing_a_directory_prints_each_bad_row_and_imports_the_good_ones(
    tmp_path: Path, sql_database_url: str
) -> None:
    directory = lists_with_bad_rows(tmp_path / "lists")

    exit_code, out, _ = import_directory(directory, sql_database_url)

    assert exit_code == 0, out
    assert "green_parks.csv:3  地区「火星」无法识别 (unknown region '火星')" in out
    assert "green_parks.csv:4  批次「9」无效" in out
    assert "导入 1 项" in out
    with Ledger.open(sql_database_url) as ledger:
        (listed,) = ledger.get_batch(Level.NATIONAL, 1).publications[0].listed
        enterprise = ledger.get_enterprise(ledger.get_listing(listed).enterprise_id)
    assert enterprise.name == "天津经济技术开发区"


def test_importing_the_same_directory_again_reports_everything_present_and_writes_nothing(
    tmp_path: Path, sqlite_url: str
) -> None:
    directory = lists_with_bad_rows(tmp_path / "lists")
    import_directory(directory, sqlite_url)
    with Ledger.open(sqlite_url) as ledger:
        events = stored_event_count(ledger)

    exit_code, out, _ = import_directory(directory, sqlite_url)

    assert exit_code == 0, out
    assert "已有 1 项" in out
    assert "写入事件 0 个" in out
    with Ledger.open(sqlite_url) as ledger:
        assert stored_event_count(ledger) == events


def test_importing_a_directory_without_announcements_fails_naming_the_file(
    tmp_path: Path, sqlite_url: str
) -> None:
    exit_code, out, err = import_directory(tmp_path, sqlite_url)

    assert exit_code == 2
    assert "announcements.csv is missing" in err
    assert out == ""


def import_announcements_directory(directory: Path, database_url: str) -> tuple[int, str, str]:
    result = runner.invoke(
        app,
        ["import", "announcements", str(directory)],
        env={"GREENLEDGER_DATABASE_URL": database_url, "COLUMNS": "200"},
    )
    return result.exit_code, result.stdout, result.stderr


def test_importing_announcements_records_each_notice_and_prints_each_row_not_imported(
    tmp_path: Path, sqlite_url: str
) -> None:
    directory = announcement_fixtures(tmp_path / "annexes")

    exit_code, out, _ = import_announcements_directory(directory, sqlite_url)
    again_code, again, _ = import_announcements_directory(directory, sqlite_url)

    assert exit_code == 0, out
    assert "2022-附件1-绿色工厂名单.csv:9  地区「火星」无法识别 (unknown region '火星')" in out
    assert "2023-附件4-移出名单.csv:8  移出原因「经营情况良好」无法对应到原因代码" in out
    assert "2022-附件2-绿色设计产品名单.xlsx" in out
    with Ledger.open(sqlite_url) as ledger:
        (publication,) = ledger.get_batch(Level.NATIONAL, 2023).publications
    assert publication.announcement.doc_no == "测试厅节函〔2024〕384号"
    assert len(publication.removed) == 5
    assert again_code == 0, again
    assert "写入事件 0 个" in again


def test_importing_a_directory_without_a_manifest_exits_naming_it(
    tmp_path: Path, sqlite_url: str
) -> None:
    directory = announcement_fixtures(tmp_path / "annexes")
    (directory / "announcements.csv").unlink()

    exit_code, _, err = import_announcements_directory(directory, sqlite_url)

    assert exit_code == 2
    assert "announcements.csv is missing" in err
