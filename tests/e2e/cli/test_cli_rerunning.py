"""The CLI's imports when another writer saves first (ADR 0111): run again, saying so; stopped
with exit 1 and the reason when they lose every time."""

from __future__ import annotations

import pytest
import typer

from api.cli.main import rerunning
from domain.errors import ConcurrentWriteError
from domain.persistence import rerun


def test_an_import_that_lost_once_is_run_again_and_says_so(
    capsys: pytest.CaptureFixture[str],
) -> None:
    attempts: list[int] = []

    def run() -> str:
        attempts.append(len(attempts) + 1)
        if len(attempts) == 1:
            raise ConcurrentWriteError("another writer recorded some of these units meanwhile")
        return "report"

    assert rerunning(run) == "report"
    assert attempts == [1, 2]
    said = capsys.readouterr().err
    assert "另一写入者先行写入，重新运行" in said
    assert "running again" in said


def test_an_import_that_loses_every_time_stops_with_exit_1_and_the_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def run() -> str:
        raise ConcurrentWriteError("another writer recorded some of these units meanwhile")

    with pytest.raises(typer.Exit) as stopped:
        rerunning(run)

    assert stopped.value.exit_code == 1
    said = capsys.readouterr().err
    assert said.count("running again") == rerun.ATTEMPTS - 1
    assert "已中止 Stopped" in said
    assert "another writer recorded" in said
