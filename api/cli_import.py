"""`greenledger import …`: load data into the ledger from the command line.

`greenledger import published-lists DIR` reads the published national lists of DIR (the format of
`data/published-lists/`), imports them with a progress bar and prints what became of every file
and batch, and each row that was not imported with its file, line and reason. Mount it on the main
CLI with `app.add_typer(import_app, name="import")`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from domain.errors import ConcurrentWriteError, InvalidInputError
from domain.importing import ImportProgress, ImportReport, import_published_lists
from domain.ledger import Ledger
from domain.published_lists import PublishedLists, read_published_lists
from domain.storage import DEFAULT_DATABASE_URL
from domain.values import batch_label

import_app = typer.Typer(no_args_is_help=True, add_completion=False)


@import_app.callback()
def import_group() -> None:
    """导入数据 (import data into the ledger)."""


DatabaseUrl = Annotated[
    str,
    typer.Option(
        "--database-url",
        envvar="GREENLEDGER_DATABASE_URL",
        help="台账数据库 (the ledger's database): sqlite:///path or postgresql://user@host/db",
    ),
]


@import_app.command("published-lists")
def published_lists(
    directory: Annotated[
        Path,
        typer.Argument(help="已公布名单目录 (directory of the published lists and announcements)"),
    ],
    database_url: DatabaseUrl = DEFAULT_DATABASE_URL,
) -> None:
    """导入已公布的国家绿色制造名单 (import the published national green manufacturing lists)."""
    console = Console(soft_wrap=True)
    try:
        lists = read_published_lists(directory)
    except InvalidInputError as error:
        console.print(f"[red]无法读取 (cannot read)[/red] {error.message}")
        raise typer.Exit(code=2) from error
    console.print(f"导入已公布名单 (importing published lists): {directory} → {database_url}")
    ledger = Ledger.open(database_url)
    try:
        report = import_with_progress(ledger, lists, console)
    except ConcurrentWriteError as error:
        console.print(f"[red]已中止 (stopped)[/red] {error.message}")
        raise typer.Exit(code=1) from error
    finally:
        ledger.close()
    print_report(report, console)


def import_with_progress(ledger: Ledger, lists: PublishedLists, console: Console) -> ImportReport:
    """The import, with a progress bar of the rows handled."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task("导入 (import)", total=len(lists.rows))

        def advance(progress: ImportProgress) -> None:
            bar.update(task, completed=progress.done, description=progress.stage)

        return import_published_lists(ledger, lists, progress=advance)


def print_report(report: ImportReport, console: Console) -> None:
    """Counts per file and batch, then every row not imported and every duplicate."""
    table = Table(title="导入结果 (import report)")
    for header in (
        "文件 (file)",
        "批次 (batch)",
        "行 (rows)",
        "导入 (imported)",
        "已有 (present)",
        "重复 (duplicates)",
        "未导入 (rejected)",
    ):
        table.add_column(header, justify="left" if "file" in header else "right")
    for count in report.counts:
        batch = batch_label(count.batch_year) if count.batch_year is not None else "—"
        table.add_row(
            count.file,
            batch,
            *(
                str(n)
                for n in (
                    count.rows,
                    count.imported,
                    count.already_present,
                    count.duplicates,
                    count.rejected,
                )
            ),
        )
    console.print(table)
    if report.rejected:
        console.print(f"未导入的行 (rows not imported): {len(report.rejected)}")
        for row in report.rejected:
            console.print(f"  {row.file}:{row.line}  {row.reason}", markup=False)
    if report.duplicates:
        console.print(f"重复的行 (duplicate rows): {len(report.duplicates)}")
        for duplicate in report.duplicates:
            console.print(f"  {duplicate.file}:{duplicate.line}  {duplicate.reason}", markup=False)
    console.print(
        f"导入 {report.imported} 项，已有 {report.already_present} 项，"
        f"新登记企业 {report.enterprises_registered} 家，写入事件 {report.events_written} 个，"
        f"台账位置 {report.position} (imported {report.imported}, already present "
        f"{report.already_present}, enterprises registered {report.enterprises_registered}, "
        f"events written {report.events_written}, ledger position {report.position})"
    )
