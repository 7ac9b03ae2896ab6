"""Bearer tokens on the command line (ADR 0050).

    greenledger token create --role province --region 320000 --name 江苏省工信厅
    greenledger token revoke TOKEN_OR_ID
    greenledger token list

`create` prints the new token once, alone on the last line of its output; the database keeps only
its SHA-256. `revoke` marks a token revoked (nothing is deleted). `register(app)` adds the group
to the `greenledger` application (api/cli/main.py). Exit status: 0 done, 1 the store did not
answer or no such token, 2 bad input.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated
from uuid import UUID

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy.exc import OperationalError

from api.cli.conventions import console, current_settings, error_console, fail, opened_ledger
from api.http.auth import Role, TokenNotFoundError, TokenRecord, TokenRefusedError, TokenStore
from api.http.database import api_engine, create_api_tables
from api.settings import Settings, without_password
from domain.errors import NotFoundError
from domain.values import Region


def register(app: typer.Typer) -> None:
    """Add `token create`, `token revoke` and `token list` to the `greenledger` application."""
    token = typer.Typer(help="访问令牌 Bearer tokens of the HTTP API", no_args_is_help=True)
    token.command("create")(create_token)
    token.command("revoke")(revoke_token)
    token.command("list")(list_tokens)
    app.add_typer(token, name="token")


def create_token(
    role: Annotated[Role, typer.Option(help="ministry, province, auditor or assessor.")],
    region: Annotated[
        str | None, typer.Option(help="Province tokens: the six-digit region code.")
    ] = None,
    assessor: Annotated[
        str | None, typer.Option(help="Assessor tokens: the assessor's id (UUID).")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Who holds it, e.g. 江苏省工信厅节能处.")] = None,
) -> None:
    """创建令牌 Create a token; it is printed once, alone on the last line (only its hash is
    kept)."""
    settings = current_settings()
    assessor_id = _assessor_id(settings, assessor) if assessor is not None else None
    with opened_token_store(settings) as tokens:
        try:
            issued = tokens.create(role, region=region, assessor_id=assessor_id, name=name)
        except TokenRefusedError as error:
            raise fail(f"[red]无法创建令牌 Cannot create the token[/red]: {error}", 2) from error
    out = console()
    out.print("[bold]令牌已创建 Token created[/bold]")
    _print_token(out, issued.record)
    out.print("只显示这一次，请妥善保存 Shown this once only: keep it safe.")
    typer.echo(issued.token)


def revoke_token(
    token_or_id: Annotated[str, typer.Argument(help="The token itself, or its id.")],
) -> None:
    """吊销令牌 Revoke a token (it is marked revoked, never deleted)."""
    with opened_token_store(current_settings()) as tokens:
        try:
            record = tokens.revoke(token_or_id)
        except TokenNotFoundError as error:
            raise fail(
                "[red]没有这个令牌 No such token[/red] (neither a token nor an id)", 1
            ) from error
    out = console()
    out.print("[bold]令牌已吊销 Token revoked[/bold]")
    _print_token(out, record)


def list_tokens() -> None:
    """列出令牌 Every token ever created, revoked ones included (never the secrets)."""
    with opened_token_store(current_settings()) as tokens:
        records = tokens.list()
    table = Table(
        "编号 Id",
        "角色 Role",
        "地区 Region",
        "评价机构 Assessor",
        "名称 Name",
        "创建 Created",
        "吊销 Revoked",
    )
    for record in records:
        table.add_row(
            str(record.id),
            f"{record.role.value} {record.role.label_zh}",
            record.region or "",
            str(record.assessor_id or ""),
            escape(record.name or ""),
            _instant(record.created_at),
            _instant(record.revoked_at),
        )
    # Ids are copied from here into `token revoke`: never cut them to the terminal's width.
    wide = Console(soft_wrap=True, width=max(console().width, 200))
    wide.print(table)


@contextmanager
def opened_token_store(settings: Settings) -> Iterator[TokenStore]:
    """The token table of the configured database (created if missing)."""
    engine = api_engine(
        settings.storage,
        lock_timeout_seconds=settings.postgres_lock_timeout,
        pool_size=1,
    )
    try:
        create_api_tables(engine)
        yield TokenStore(engine)
    except OperationalError as error:
        error_console().print(
            f"[red]无法打开数据库 Cannot open the database[/red] at "
            f"{escape(without_password(settings.database_url))}: "
            f"{escape(str(error.orig).strip().splitlines()[0])}"
        )
        raise typer.Exit(1) from error
    finally:
        engine.dispose()


def _assessor_id(settings: Settings, text: str) -> UUID:
    """The id of a registered assessor, or the command ends naming the problem."""
    try:
        assessor_id = UUID(text.strip())
    except ValueError as error:
        error_console().print(f"[red]--assessor[/red] {escape(text)!r} is not a UUID")
        raise typer.Exit(2) from error
    with opened_ledger(settings) as ledger:
        try:
            ledger.get_assessor(assessor_id)
        except NotFoundError as error:
            error_console().print(
                f"[red]没有这个评价机构 No such assessor[/red] {assessor_id} in the ledger"
            )
            raise typer.Exit(2) from error
    return assessor_id


def _print_token(out: Console, record: TokenRecord) -> None:
    rows = [
        ("编号 Id", str(record.id)),
        ("角色 Role", f"{record.role.value} {record.role.label_zh}"),
    ]
    if record.region:
        region = Region.of(record.region)
        rows.append(("地区 Region", f"{region.code} {region.name_zh}"))
    if record.assessor_id:
        rows.append(("评价机构 Assessor", str(record.assessor_id)))
    if record.name:
        rows.append(("名称 Name", record.name))
    rows.append(("事件署名 Actor", record.principal.actor))
    if record.revoked_at:
        rows.append(("吊销于 Revoked at", _instant(record.revoked_at)))
    width = max(cell_len(label) for label, _ in rows) + 2
    for label, value in rows:
        out.print(f"  [bold]{label}[/bold]{' ' * (width - cell_len(label))}{escape(value)}")


def _instant(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z") if moment else ""
