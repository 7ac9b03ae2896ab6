"""The command line when the database does not answer (issue 16, finding 4; ADR 0106): one line
on standard error, Chinese first, exit status 1 — never a traceback."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import pytest
from typer.testing import CliRunner

from api.cli.main import app
from tests.tcp_proxy import TcpProxy

runner = CliRunner()


@pytest.mark.parametrize("command", [["status"], ["project"], ["rebuild"], ["token", "list"]])
def test_a_database_that_does_not_answer_ends_the_command_with_one_line(
    postgres_url: str, command: list[str]
) -> None:
    parts = urlsplit(postgres_url)
    relay = TcpProxy((parts.hostname or "127.0.0.1", parts.port or 5432))
    relay.start()
    relay.stop()  # a port where the database was, and no longer answers
    gone = urlunsplit(parts._replace(netloc=f"postgres:s3cret@127.0.0.1:{relay.port}"))

    result = runner.invoke(app, command, env={"GREENLEDGER_DATABASE_URL": gone})

    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(("数据库不可用 Database unavailable", "无法打开"))
    assert "s3cret" not in result.output
