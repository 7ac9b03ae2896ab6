"""`greenledger status`: which database, never its password, and how far the ledger has come."""

from __future__ import annotations

from typer.testing import CliRunner

from api.cli.main import app
from domain.ledger import Ledger
from tests.builders import listed_factory

runner = CliRunner()


def status_lines(database_url: str) -> dict[str, str]:
    result = runner.invoke(app, ["status"], env={"GREENLEDGER_DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    lines = {}
    for line in result.stdout.splitlines():
        label, _, value = line.rpartition("  ")
        lines[label.strip()] = value.strip()
    return lines


def test_status_of_a_ledger_shows_its_database_and_the_position_of_its_last_event(
    sql_database_url: str,
) -> None:
    with Ledger.open(sql_database_url) as ledger:
        listed_factory(ledger)
        last = ledger.position

    lines = status_lines(sql_database_url)

    assert lines["台账位置 Position"] == str(last)
    assert lines["地址 URL"] == sql_database_url
    assert lines["数据库 Database"] == sql_database_url.split(":")[0].replace(
        "postgresql", "postgres"
    )


def test_status_of_a_postgres_ledger_never_shows_the_password(postgres_url: str) -> None:
    with_password = postgres_url.replace("postgres@", "postgres:s3cr%40t@", 1)

    lines = status_lines(with_password)

    assert lines["地址 URL"] == postgres_url.replace("postgres@", "postgres:***@", 1)
    assert lines["台账位置 Position"] == "0"


def test_status_with_a_database_url_of_no_known_kind_names_the_variable_and_exits_2() -> None:
    result = runner.invoke(app, ["status"], env={"GREENLEDGER_DATABASE_URL": "mysql://db/ledger"})

    assert result.exit_code == 2
    assert "GREENLEDGER_DATABASE_URL" in result.stderr
    assert "sqlite:///path" in result.stderr
    assert result.stdout == ""


def test_a_setting_out_of_range_names_its_variable_and_exits_2() -> None:
    result = runner.invoke(
        app, ["status"], env={"GREENLEDGER_DATABASE_URL": "memory://", "GREENLEDGER_PORT": "0"}
    )

    assert result.exit_code == 2
    assert "GREENLEDGER_PORT" in result.stderr
