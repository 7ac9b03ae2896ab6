"""The one convention of every `greenledger` command module (api/cli/).

A module declares its commands as module-level functions and adds them to the application in
its `register(app)`; a command writes what it reports to `console()`, a problem to
`error_console()`, and stops with `fail(message, status)`: 0 done, 1 the store did not answer or
what was asked is not there, 2 bad configuration or bad input. Long work shows `progress_bar`.
Every command reads the settings with `current_settings()` and opens the configured ledger with
`opened_ledger(settings)`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import sqlalchemy as sa
import typer
from eventsourcing.persistence import InterfaceError as LibraryInterfaceError
from eventsourcing.persistence import OperationalError as LibraryOperationalError
from eventsourcing.persistence import PersistenceError
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from typer.core import TyperGroup

from api.settings import Settings, open_ledger, without_password
from domain.ledger import Ledger

#: Moves a progress bar on: `update(completed, total=…, description=…)`.
ProgressUpdate = Callable[..., None]


def console() -> Console:
    return Console(soft_wrap=True)


def error_console() -> Console:
    return Console(stderr=True, soft_wrap=True)


def fail(message: str, status: int) -> typer.Exit:
    """Print `message` (rich markup) on standard error; the exit to raise with `status`."""
    error_console().print(message)
    return typer.Exit(status)


@contextmanager
def progress_bar(
    out: Console,
    description: str,
    total: int | None = None,
    *,
    transient: bool = False,
    remaining: bool = False,
) -> Iterator[ProgressUpdate]:
    """One progress bar: its description, the bar, done of total, and the time elapsed (or,
    with `remaining`, the time left); `transient` clears it when done."""
    clock: ProgressColumn = TimeRemainingColumn() if remaining else TimeElapsedColumn()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), clock)
    with Progress(*columns, console=out, transient=transient) as progress:
        task = progress.add_task(description, total=total)

        def update(
            completed: int, *, total: int | None = None, description: str | None = None
        ) -> None:
            """Done so far; a total or description given (not None) replaces the bar's."""
            progress.update(task, completed=completed, total=total, description=description)

        yield update


def current_settings() -> Settings:
    """The settings from the environment; a bad value ends the command naming its variable."""
    try:
        return Settings()
    except ValidationError as error:
        for problem in error.errors():
            variable = "GREENLEDGER_" + "_".join(str(part) for part in problem["loc"]).upper()
            error_console().print(
                f"[red]配置错误 Configuration error[/red] {variable}: {escape(problem['msg'])}"
            )
        raise typer.Exit(2) from error


@contextmanager
def opened_ledger(settings: Settings) -> Iterator[Ledger]:
    """The configured ledger, closed afterwards; an unreachable store ends the command."""
    try:
        ledger = open_ledger(settings)
    except PersistenceError as error:
        raise fail(
            f"[red]无法打开台账 Cannot open the ledger[/red] at "
            f"{escape(without_password(settings.database_url))}: {escape(str(error))}",
            1,
        ) from error
    try:
        yield ledger
    finally:
        ledger.close()


#: The database not answering: unreachable, locked past the busy timeout, timing out (ADR 0106).
OUTAGES: tuple[type[Exception], ...] = (
    sa.exc.OperationalError,
    sa.exc.InterfaceError,
    sa.exc.TimeoutError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    sqlite3.OperationalError,
    LibraryOperationalError,
    LibraryInterfaceError,
)


class OneLineErrors(TyperGroup):
    """The `greenledger` group: a database that does not answer ends any command with one line
    on standard error and exit status 1, never a traceback (ADR 0106)."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except OUTAGES as error:
            lines = str(error).strip().splitlines()
            reason = lines[0] if lines else type(error).__name__
            for secret in _passwords():
                reason = reason.replace(secret, "***")
            raise fail(
                f"[red]数据库不可用 Database unavailable[/red]: {escape(reason)} — "
                "请检查 GREENLEDGER_DATABASE_URL 与数据库是否运行 (check the URL and that the "
                "database is running)",
                1,
            ) from error


def _passwords() -> list[str]:
    try:
        password = Settings().storage.password
    except Exception:
        return []
    return [password] if password else []
