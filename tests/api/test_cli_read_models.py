"""`greenledger project [--follow]` and `greenledger rebuild`: the read models, from the shell."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time

from rich.console import Console
from typer.testing import CliRunner

from api.cli.main import app, project_after_loading
from api.settings import Settings
from domain.ledger import Ledger
from readside.engine.database import Views
from seal.sealing import Seal
from tests.builders import listed_factory
from tests.projections.conftest import dump

runner = CliRunner()


def test_project_applies_the_events_not_yet_in_the_read_models(sql_database_url: str) -> None:
    with Ledger.open(sql_database_url) as ledger:
        listed_factory(ledger)
        last = ledger.position

    result = runner.invoke(app, ["project"], env={"GREENLEDGER_DATABASE_URL": sql_database_url})

    assert result.exit_code == 0, result.output
    assert f"读模型位置 Projections position: {last} / {last}" in result.stdout
    views = Views.open(sql_database_url)
    assert views.position() == last
    views.close()


def test_project_seals_every_event_it_projects(sql_database_url: str) -> None:
    with Ledger.open(sql_database_url) as ledger:
        listed_factory(ledger)
        last = ledger.position
        stored = len(ledger.recorder.select_notifications(start=1, limit=1000))

    result = runner.invoke(app, ["project"], env={"GREENLEDGER_DATABASE_URL": sql_database_url})

    assert result.exit_code == 0, result.output
    assert f"封存 Sealed: {stored} 个事件 events, position {last}" in result.stdout
    with Ledger.open(sql_database_url) as ledger:
        seal = Seal.open(ledger, sql_database_url)
        assert seal.state().tree_size == stored
        assert seal.head().tree_size == stored
        seal.engine.dispose()


def test_rebuild_replays_every_event_into_the_same_rows(sql_database_url: str) -> None:
    with Ledger.open(sql_database_url) as ledger:
        listed_factory(ledger)
        last = ledger.position
    runner.invoke(app, ["project"], env={"GREENLEDGER_DATABASE_URL": sql_database_url})
    views = Views.open(sql_database_url)
    projected = dump(views)

    result = runner.invoke(app, ["rebuild"], env={"GREENLEDGER_DATABASE_URL": sql_database_url})

    assert result.exit_code == 0, result.output
    assert "重建读模型 Rebuilding" in result.stdout
    assert f"读模型位置 Projections position: {last} (" in result.stdout
    assert dump(views) == projected
    views.close()


def test_project_on_the_in_memory_store_says_the_read_models_need_sql_and_exits_2() -> None:
    result = runner.invoke(app, ["project"], env={"GREENLEDGER_DATABASE_URL": "memory://"})

    assert result.exit_code == 2
    assert "读模型不可用 No read models" in result.stderr
    assert "SQL store" in result.stderr


def test_after_a_bulk_load_the_read_models_are_brought_level_with_the_ledger(
    sql_database_url: str,
) -> None:
    printed = io.StringIO()
    out = Console(file=printed)
    with Ledger.open(sql_database_url) as ledger:
        listed_factory(ledger)

        project_after_loading(Settings(database_url=sql_database_url), ledger, out)

        last = ledger.position
    views = Views.open(sql_database_url)
    assert views.position() == last
    views.close()
    assert f"读模型位置 Projections position: {last}" in printed.getvalue()


def test_after_a_bulk_load_into_memory_there_are_no_read_models_to_bring_level() -> None:
    printed = io.StringIO()
    out = Console(file=printed)
    with Ledger.open("memory://") as ledger:
        listed_factory(ledger)

        project_after_loading(Settings(database_url="memory://"), ledger, out)

    assert printed.getvalue() == ""


def test_project_follow_projects_and_seals_what_is_written_while_it_runs_and_stops_on_sigterm(
    sql_database_url: str,
) -> None:
    """The projector worker of docker-compose.yml, as a real process on a real store."""
    ledger = Ledger.open(sql_database_url)
    seal = Seal.open(ledger, sql_database_url)  # the tables, before the worker opens them
    views = Views.open(sql_database_url)
    environment = {**os.environ, "GREENLEDGER_DATABASE_URL": sql_database_url}
    command = ("project", "--follow", "--poll-seconds", "0.1")
    worker = subprocess.Popen(
        [sys.executable, "-c", "from api.cli.main import main; main()", *command],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        listed_factory(ledger)
        last = ledger.position
        stored = len(ledger.recorder.select_notifications(start=1, limit=1000))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and worker.poll() is None:
            if seal.state().tree_size == stored and views.position() == last:
                break
            time.sleep(0.1)
        assert worker.poll() is None, "the worker stopped by itself"
        assert views.position() == last
        assert seal.state().tree_size == stored
    finally:
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=60)
        views.close()
        seal.engine.dispose()
        ledger.close()
    assert worker.returncode == 0, err
    assert "持续更新 Following the ledger" in out
    assert f"已停止 Stopped at position {last}" in out
