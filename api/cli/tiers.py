"""`greenledger import provincial-list FILE …`: a province's own list as it announced it, with
its stars (ADR 0143), with a progress line and the rows not imported."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from api.cli.conventions import console, current_settings, fail, opened_ledger, progress_bar
from api.provincial_import import read_provincial_list
from domain.errors import InvalidInputError

IMPORTER = "importer"


def provincial_list_command(
    file: Annotated[Path, typer.Argument(help="名单文件 The list, CSV (UTF-8) or XLSX.")],
    region: Annotated[str, typer.Option("--region", help="地区代码 The province (320000).")],
    year: Annotated[int, typer.Option("--year", help="年度 The round's year.")],
    doc_no: Annotated[str, typer.Option("--doc-no", help="公告文号 The announcement's number.")],
    published_on: Annotated[
        str, typer.Option("--date", help="公告日期 The announcement's date, YYYY-MM-DD.")
    ],
    level: Annotated[str, typer.Option("--level", help="provincial | municipal")] = "provincial",
    city: Annotated[
        str | None, typer.Option("--city", help="城市代码 A municipal list's prefecture.")
    ] = None,
) -> None:
    """导入省级/市级名单 Import a province's own list (with stars) as announced: one atomic
    publication; a second import writes nothing."""
    try:
        day = date.fromisoformat(published_on)
        announced = read_provincial_list(
            file.read_bytes(),
            file.name,
            level=level,
            region=region,
            city=city,
            year=year,
            doc_no=doc_no,
            published_on=day,
        )
    except (InvalidInputError, ValueError, OSError) as error:
        raise fail(f"[red]无法读取 Cannot read[/red] {escape(str(error))}", 2) from error
    out = console()
    with (
        opened_ledger(current_settings()) as ledger,
        progress_bar(out, "导入 Import", 1) as update,
    ):
        report = ledger.import_provincial_list(announced, actor=IMPORTER)
        update(1)
    out.print(
        f"列入 Listed {report.listed} · 已在名单 Already listed {report.already_listed} · "
        f"评定星级 Stars rated {report.stars_rated} · 未导入 Refused {len(report.refused)}"
    )
    for refusal in report.refused:
        out.print(f"  {escape(file.name)}:{refusal.line} {escape(refusal.reason_zh)}")


def register(imports: typer.Typer) -> None:
    imports.command("provincial-list")(provincial_list_command)
