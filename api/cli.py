"""The `greenledger` command line (design.md, Interfaces): serve the API, inspect the ledger.

Every command reads the same `Settings` as the HTTP API (`GREENLEDGER_*`), so
`GREENLEDGER_DATABASE_URL=... greenledger <command>` works on any store.

Adding a command is one function::

    @app.command()
    def rebuild() -> None:
        \"\"\"重建读模型 Rebuild every read model from the events.\"\"\"
        with opened_ledger(current_settings()) as ledger:
            ...

Adding a group (`greenledger dynamic-management close-year`) is a `typer.Typer` registered once,
then one function per command::

    dynamic_management = typer.Typer(help="动态管理 Dynamic management", no_args_is_help=True)
    app.add_typer(dynamic_management, name="dynamic-management")

    @dynamic_management.command("close-year")
    def close_year(report_year: int) -> None: ...

People read the output: Chinese label first, English beside; errors go to standard error with a
non-zero exit status (2: bad configuration, 1: the store did not answer).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
import uvicorn
from eventsourcing.persistence import PersistenceError
from pydantic import ValidationError
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape

from api.app import create_app
from api.rules_cli import register as register_rule_commands
from api.settings import Settings, open_ledger, without_password
from domain.ledger import Ledger

app = typer.Typer(
    name="greenledger",
    help="绿色制造名单动态管理台账 Green List Ledger",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def console() -> Console:
    return Console(soft_wrap=True)


def error_console() -> Console:
    return Console(stderr=True, soft_wrap=True)


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
        error_console().print(
            f"[red]无法打开台账 Cannot open the ledger[/red] at "
            f"{escape(without_password(settings.database_url))}: {escape(str(error))}"
        )
        raise typer.Exit(1) from error
    try:
        yield ledger
    finally:
        ledger.close()


@app.callback()
def greenledger() -> None:
    """绿色制造名单动态管理台账 Green List Ledger: an event-sourced compliance ledger for China's
    green manufacturing list. Configure with GREENLEDGER_* variables (see README.md)."""


@app.command()
def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to bind (default: GREENLEDGER_HOST, 127.0.0.1).")
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(min=1, max=65535, help="Port to bind (default: GREENLEDGER_PORT, 8000)."),
    ] = None,
) -> None:
    """启动服务 Serve the HTTP API; the ledger's tables are created on start."""
    settings = current_settings()
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        log_level=settings.log_level,
    )


@app.command()
def status() -> None:
    """台账状态 Which database the ledger uses, and its position (the last event's number)."""
    settings = current_settings()
    with opened_ledger(settings) as ledger:
        position = ledger.position
    out = console()
    rows = (
        ("数据库 Database", settings.database_kind),
        ("地址 URL", without_password(settings.database_url)),
        ("台账位置 Position", str(position)),
    )
    width = max(cell_len(label) for label, _ in rows) + 2
    for label, value in rows:
        padding = " " * (width - cell_len(label))
        out.print(f"[bold]{label}[/bold]{padding}{escape(value)}")


register_rule_commands(app, lambda: opened_ledger(current_settings()))


def main() -> None:
    """The `greenledger` console script."""
    app()
