"""The `greenledger` command line (design.md, Interfaces): serve the API, inspect the ledger.

Every command reads the same `Settings` as the HTTP API (`GREENLEDGER_*`), so
`GREENLEDGER_DATABASE_URL=... greenledger <command>` works on any store.

Adding a command is one function::

    @app.command()
    def replay() -> None:
        \"\"\"重放审计 Re-derive every recorded decision.\"\"\"
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

import hashlib
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

import typer
import uvicorn
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from api.cli import auditing, certificates, rules, sealing, tiers, tokens
from api.cli.conventions import (
    OneLineErrors,
    console,
    current_settings,
    error_console,
    fail,
    opened_ledger,
    progress_bar,
)
from api.cli.names import (
    category_named,
    green_code_named,
    level_named,
    region_named,
    stars_named,
    status_named,
)
from api.cli.read_models import checked_projector, print_quarantined
from api.exports import ListExport, as_csv, as_xlsx, file_name, read_whole_list
from api.filing_import import FilingUpload, file_filings, upload_basis
from api.filing_workbook import UnreadableWorkbookError
from api.http.app import create_app
from api.http.middleware import configure_access_log
from api.printing import Language as ExportsLanguage
from api.publishing.wiring import worker_publishing
from api.settings import Settings, projector_leadership, without_password
from api.spreadsheets import read_first_sheet
from domain.errors import ConcurrentWriteError, InvalidInputError
from domain.ledger import Ledger
from domain.loading.announcements import read_announcements
from domain.loading.demo import DEFAULT_SEED, DemoReport, load_demo
from domain.loading.importing import (
    ImportProgress,
    ImportReport,
    import_announcements,
    import_published_lists,
)
from domain.loading.published_lists import PublishedLists, read_published_lists
from domain.persistence.rerun import ATTEMPTS, rerun_on_conflict
from domain.values import Provenance, Region, batch_label
from readside.engine.database import Views, ViewsOutdatedError
from readside.engine.projector import Projector
from readside.engine.quarantine import QuarantinedEvent
from readside.listings.queries import ListQuery
from seal.sealing import Seal

app = typer.Typer(
    name="greenledger",
    help="绿色制造名单动态管理台账 Green List Ledger",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    cls=OneLineErrors,
)


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
    demo_if_new: Annotated[
        bool,
        typer.Option(
            "--demo-if-new",
            help="Load the demo ledger first when the ledger holds no event yet (make run).",
        ),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=64,
            help="Server processes (default: GREENLEDGER_WORKERS, 1); more than 1 needs "
            "PostgreSQL. One of them runs the projector (ADR 0131).",
        ),
    ] = None,
) -> None:
    """启动服务 Serve the HTTP API; the ledger's tables are created on start, and the projector
    runs in the background (GREENLEDGER_BACKGROUND_PROJECTOR)."""
    settings = current_settings()
    processes = workers or settings.workers
    if processes > 1 and settings.database_kind != "postgres":
        raise fail(
            f"--workers {processes}：多个服务进程需要 PostgreSQL。 --workers {processes} needs "
            f"PostgreSQL (GREENLEDGER_DATABASE_URL is {settings.database_kind}).",
            2,
        )
    configure_access_log(settings.log_level)
    if demo_if_new:
        with opened_ledger(settings) as ledger:
            if ledger.position == 0:
                console().print("新台账：载入演示数据 New ledger: loading the demo data")
                load_demo_with_progress(ledger, console())
                project_after_loading(settings, ledger, console())
    where = {"host": host or settings.host, "port": port or settings.port}
    # api.http.middleware.AccessLog writes one JSON line per request instead of uvicorn's log
    quiet = {"log_level": settings.log_level, "access_log": False}
    if processes == 1:
        uvicorn.run(create_app(settings), **where, **quiet)  # type: ignore[arg-type]
        return
    # Each process builds its application from the same environment (GREENLEDGER_*).
    uvicorn.run("api.http.app:create_app", factory=True, workers=processes, **where, **quiet)  # type: ignore[arg-type]


@contextmanager
def opened_read_side(settings: Settings, ledger: Ledger) -> Iterator[Projector]:
    """The read models of the configured ledger and their projector; a store without SQL, or
    read models of another table version, end the command."""
    try:
        views = Views.open(settings.database_url)
    except InvalidInputError as error:
        error_console().print(f"[red]读模型不可用 No read models[/red]: {escape(error.reason)}")
        raise typer.Exit(2) from error
    except ViewsOutdatedError as error:
        error_console().print(
            f"[red]读模型需要重建 Read models outdated[/red]: {escape(str(error))}"
        )
        raise typer.Exit(1) from error
    try:
        with checked_projector(ledger, views, settings.database_url) as projector:
            yield projector
    finally:
        views.close()


@app.command()
def project(
    follow: Annotated[
        bool, typer.Option("--follow", help="Keep applying new events until stopped.")
    ] = False,
    poll_seconds: Annotated[
        float, typer.Option(min=0.05, help="With --follow: seconds between looks at the log.")
    ] = 0.5,
) -> None:
    """更新读模型 Apply the events not yet in the read models and seal them (ADR 0030); with
    --follow, keep doing so (a polling loop, on SQLite and PostgreSQL alike) until SIGTERM or
    Ctrl-C."""
    settings = current_settings()
    out = console()
    with opened_ledger(settings) as ledger, opened_read_side(settings, ledger) as projector:
        seal = Seal.open(ledger, settings.database_url)
        try:
            position = catch_up_with_progress(projector, out)
            out.print(f"读模型位置 Projections position: {position} / {ledger.position}")
            print_quarantined(projector.quarantined(), out)
            sealed = seal.catch_up()
            out.print(f"封存 Sealed: {sealed.tree_size} 个事件 events, position {sealed.position}")
            if follow:
                stop = threading.Event()
                for signal_number in (signal.SIGTERM, signal.SIGINT):
                    signal.signal(signal_number, lambda *_: stop.set())
                out.print("持续更新 Following the ledger (SIGTERM or Ctrl-C stops)")
                with worker_publishing(settings, seal, projector.views) as publish:

                    def then() -> None:
                        seal.catch_up()
                        publish()  # scheduled heads, webhook deliveries (ADR 0031)

                    position = projector.follow(
                        stop,
                        poll_seconds=poll_seconds,
                        then=then,
                        leads=projector_leadership(settings).holds,
                    )
                out.print(f"已停止 Stopped at position {position}")
        finally:
            seal.engine.dispose()


def catch_up_with_progress(projector: Projector, out: Console) -> int:
    """Bring the read models level with the ledger, with a progress bar."""
    total = projector.ledger.position or None
    with progress_bar(out, "[bold]更新读模型 Projecting[/bold]", total) as update:
        position = projector.catch_up(update)
        update(position)
    return position


def project_after_loading(settings: Settings, ledger: Ledger, out: Console) -> None:
    """After a bulk load: the read models level with it (on a SQL store; memory:// has none)."""
    if settings.database_kind == "memory":
        return
    with opened_read_side(settings, ledger) as projector:
        position = catch_up_with_progress(projector, out)
    out.print(f"读模型位置 Projections position: {position}")


@app.command()
def rebuild() -> None:
    """重建读模型 Drop every read model and rebuild it from the events."""
    settings = current_settings()
    out = console()
    with opened_ledger(settings) as ledger, opened_read_side(settings, ledger) as projector:
        last = ledger.position
        started = time.perf_counter()
        with progress_bar(out, "[bold]重建读模型 Rebuilding[/bold]", last or None) as update:
            position = projector.rebuild(update)
            update(position)
        elapsed = time.perf_counter() - started
        out.print(f"读模型位置 Projections position: {position} ({elapsed:.1f} s)")
        print_quarantined(projector.quarantined(), out)


@app.command()
def status() -> None:
    """台账状态 Which database the ledger uses, and its position (the last event's number)."""
    settings = current_settings()
    with opened_ledger(settings) as ledger:
        position = ledger.position
        quarantined = read_models_status(settings)
    out = console()
    rows: tuple[tuple[str, str], ...] = (
        ("数据库 Database", settings.database_kind),
        ("地址 URL", without_password(settings.database_url)),
        ("台账位置 Position", str(position)),
    )
    if quarantined is not None:
        projected, events = quarantined
        shown = ", ".join(str(event.position) for event in events) or "—"
        rows += (
            ("读模型位置 Projections position", str(projected)),
            ("已隔离事件 Quarantined events", f"{len(events)} ({shown})" if events else "0"),
        )
    width = max(cell_len(label) for label, _ in rows) + 2
    for label, value in rows:
        padding = " " * (width - cell_len(label))
        out.print(f"[bold]{label}[/bold]{padding}{escape(value)}")


def read_models_status(settings: Settings) -> tuple[int, list[QuarantinedEvent]] | None:
    """The read models' position and the events set aside; None without read models (memory://,
    or tables of another version)."""
    if settings.database_kind == "memory":
        return None
    try:
        views = Views.open(settings.database_url)
    except ViewsOutdatedError:
        return None
    try:
        return views.position(), views.quarantined()
    finally:
        views.close()


@app.command()
def demo(
    seed: Annotated[int, typer.Option(help="Seed of the synthetic history.")] = DEFAULT_SEED,
) -> None:
    """演示台账 Import the published lists and record a synthetic history on top (fixed seed)."""
    settings = current_settings()
    out = console()
    with opened_ledger(settings) as ledger:
        report = load_demo_with_progress(ledger, out, seed=seed)
        project_after_loading(settings, ledger, out)
    removals = "，".join(f"{reason} {count}" for reason, count in sorted(report.removals.items()))
    out.print(
        f"演示台账已载入 Demo loaded: 真实单位 real units {report.real_units}"
        f"（企业 enterprises {report.real_enterprises}，仅有公告所载事实 facts of the "
        f"announcements only）；示例单位 fictitious units {report.fictitious_units}"
        f"（企业 enterprises {report.fictitious_enterprises}，均标记为 synthetic）："
        f"填报 filings {report.filings}，审核 reviews {report.reviews}，"
        f"标记 flagged {report.flagged}，现场评估 assessments {report.assessments}，"
        f"逾期 overdue {report.overdue}，更名 renames {report.renames}，"
        f"事件 incidents {report.incidents}，建议 proposals {report.proposals}，"
        f"移出 removals {report.removed} ({removals})；省级名单 provincial listings "
        f"{report.provincial_listings}，公示 publicised {report.publicised}（异议 objections "
        f"{report.objections}），企业绿码申请 green-code applications "
        f"{report.green_code_applications}；台账位置 position {report.position}"
    )


def load_demo_with_progress(ledger: Ledger, out: Console, seed: int = DEFAULT_SEED) -> DemoReport:
    """The demo, with a progress bar of its stages."""
    with progress_bar(out, "演示台账 Demo") as update:

        def advance(stage: str, done: int, total: int) -> None:
            update(done, total=total or None, description=stage)

        return load_demo(ledger, seed=seed, progress=advance)


imports = typer.Typer(help="导入 Import data into the ledger", no_args_is_help=True)
app.add_typer(imports, name="import")


@imports.command("published-lists")
def published_lists(
    directory: Annotated[
        Path,
        typer.Argument(
            help="已公布名单目录 Directory of the published lists and announcements.csv "
            "(the format of data/published-lists/)."
        ),
    ],
) -> None:
    """导入已公布名单 Import the published national lists; a second import writes nothing."""
    settings = current_settings()
    try:
        lists = read_published_lists(directory)
    except InvalidInputError as error:
        error_console().print(f"[red]无法读取 Cannot read[/red] {escape(error.message)}")
        raise typer.Exit(2) from error
    out = console()
    with opened_ledger(settings) as ledger:
        report = rerunning(lambda: import_with_progress(ledger, lists, out))
    print_import_report(report, out)


@imports.command("announcements")
def announcements(
    directory: Annotated[
        Path,
        typer.Argument(
            help="公告附件目录 Directory of announcements.csv (the manifest) and the annex "
            "files it names, CSV or XLSX (see README, Loading later announcements)."
        ),
    ],
) -> None:
    """导入公告 Import later announcements (new lists, 移出名单, 更名名单): one atomic
    publication per notice; a second import writes nothing."""
    settings = current_settings()
    try:
        notices = read_announcements(directory, read_first_sheet)
    except InvalidInputError as error:
        error_console().print(f"[red]无法读取 Cannot read[/red] {escape(error.message)}")
        raise typer.Exit(2) from error
    out = console()
    total = sum(len(n.listed) + len(n.removals) + len(n.renames) for n in notices.notices)
    with opened_ledger(settings) as ledger:
        report = rerunning(
            lambda: with_progress_bar(
                out,
                total,
                lambda advance: import_announcements(ledger, notices, progress=advance),
            )
        )
    print_import_report(report, out)


@imports.command("filings")
def filings(
    file: Annotated[
        Path, typer.Argument(help="动态管理表 The filled-in template (.xlsx, 附件6–9 sheets).")
    ],
    region: Annotated[
        str,
        typer.Option(
            help="地区 The province filing the tables: its code or name (320000, 江苏, 江苏省)."
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="预览 Say what each row would do; write nothing.")
    ] = False,
) -> None:
    """导入动态管理表 File the yearly dynamic management tables of a region's units from the
    workbook, one filing per row (as the province); every refused row is listed with its sheet,
    row, column and rule. A second import of the same file writes nothing."""
    the_region = region_named(region)
    try:
        content = file.read_bytes()
    except OSError as error:
        error_console().print(f"[red]无法读取 Cannot read[/red] {escape(str(file))}: {error}")
        raise typer.Exit(2) from error
    settings = current_settings()
    out = console()
    provenance = Provenance(
        actor=f"province:{the_region.code}",
        basis=(upload_basis(file.name, hashlib.sha256(content).hexdigest()),),
    )
    with opened_ledger(settings) as ledger:
        try:
            upload = rerunning(
                lambda: file_filings_with_progress(
                    ledger, content, the_region, provenance, dry_run, out
                )
            )
        except UnreadableWorkbookError as error:
            error_console().print(f"[red]无法读取 Cannot read[/red] {error.zh} ({error})")
            raise typer.Exit(2) from error
        if upload.written:
            project_after_loading(settings, ledger, out)
    print_filing_upload(upload, out)


def file_filings_with_progress(
    ledger: Ledger,
    content: bytes,
    region: Region,
    provenance: Provenance,
    dry_run: bool,
    out: Console,
) -> FilingUpload:
    """The import of the tables, with a progress bar of the rows filed."""
    with progress_bar(out, "预览 Preview" if dry_run else "填报 Filing") as update:

        def advance(done: int, total: int) -> None:
            update(done, total=total)

        return file_filings(
            ledger,
            content,
            region=region,
            provenance=provenance,
            dry_run=dry_run,
            progress=advance,
        )


def print_filing_upload(upload: FilingUpload, out: Console) -> None:
    """Counts of every outcome, then every refused row with where and why."""
    good = upload.count("would_write") if upload.dry_run else upload.count("written")
    verb = "可写入 would write" if upload.dry_run else "写入 written"
    out.print(
        f"共 {upload.total} 行 rows：{verb} {good}，已记录 unchanged {upload.count('unchanged')}，"
        f"未填写 empty {upload.count('empty')}，拒绝 refused {upload.count('refused')}"
        + (f"；台账位置 position {upload.position}" if upload.position else "")
    )
    for row in upload.refused:
        for error in row.errors:
            out.print(
                f"  {error.sheet} 第{error.row}行 row {error.row} · {error.column} · "
                f"{error.rule}：{error.message_zh} ({error.message_en})",
                markup=False,
            )


T = TypeVar("T")


def rerunning(run: Callable[[], T]) -> T:
    """`run`, run again whole when another writer saved some of its units first (ADR 0111): an
    import writes nothing twice, so what its first run saved is found recorded. Lost every
    time, the command stops (exit 1) saying so."""

    def lost(attempt: int) -> None:
        if attempt < ATTEMPTS:  # the last loss is told below, as the stop
            error_console().print(
                "[yellow]另一写入者先行写入，重新运行 Another writer saved first; running again"
                f"[/yellow] ({attempt})"
            )

    try:
        return rerun_on_conflict(run, attempts=ATTEMPTS, lost=lost)
    except ConcurrentWriteError as error:
        error_console().print(f"[red]已中止 Stopped[/red] {escape(error.message)}")
        raise typer.Exit(1) from error


def with_progress_bar(
    out: Console, total: int, run: Callable[[Callable[[ImportProgress], None]], ImportReport]
) -> ImportReport:
    """An import, with a progress bar of the rows handled."""
    with progress_bar(out, "导入 Import", total) as update:

        def advance(progress: ImportProgress) -> None:
            update(progress.done, description=progress.stage)

        return run(advance)


def import_with_progress(ledger: Ledger, lists: PublishedLists, out: Console) -> ImportReport:
    """The import of the published lists, with a progress bar of the rows handled."""
    total = len(lists.rows)
    return with_progress_bar(
        out, total, lambda advance: import_published_lists(ledger, lists, progress=advance)
    )


def print_import_report(report: ImportReport, out: Console) -> None:
    """Counts per file and batch, every row not imported, every duplicate, the totals."""
    table = Table(title="导入结果 Import report")
    headers = ("文件 File", "批次 Batch", "行 Rows", "导入 Imported", "已有 Present")
    for header in (*headers, "重复 Duplicates", "未导入 Rejected"):
        table.add_column(header, justify="left" if header.endswith("File") else "right")
    for count in report.counts:
        numbers = (count.rows, count.imported, count.already_present, count.duplicates)
        table.add_row(
            count.file,
            batch_label(count.batch_year) if count.batch_year is not None else "—",
            *(str(n) for n in (*numbers, count.rejected)),
        )
    out.print(table)
    if report.rejected:
        out.print(f"未导入的行 Rows not imported: {len(report.rejected)}")
        for row in report.rejected:
            out.print(f"  {row.file}:{row.line}  {row.reason}", markup=False)
    if report.duplicates:
        out.print(f"重复的行 Duplicate rows: {len(report.duplicates)}")
        for duplicate in report.duplicates:
            out.print(f"  {duplicate.file}:{duplicate.line}  {duplicate.reason}", markup=False)
    out.print(
        f"导入 {report.imported} 项，已有 {report.already_present} 项，"
        f"新登记企业 {report.enterprises_registered} 家，写入事件 {report.events_written} 个，"
        f"台账位置 {report.position} — imported {report.imported}, already present "
        f"{report.already_present}, enterprises registered {report.enterprises_registered}, "
        f"events written {report.events_written}, ledger position {report.position}"
    )


class ExportFormat(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"


class ExportLanguage(StrEnum):
    ZH = "zh"
    EN = "en"


#: The list's filters as the options name them (ADR 0142, 0151 for stars and 企业绿码).
AsOfOption = Annotated[
    datetime | None,
    typer.Option(
        "--as-of",
        formats=["%Y-%m-%d"],
        help="名单日期 The list on this date (YYYY-MM-DD); default today.",
    ),
]
RegionOption = Annotated[
    str | None,
    typer.Option(help="地区 A reporting region: its code or name (320000, 江苏, 江苏省)."),
]
CategoryOption = Annotated[
    str | None, typer.Option(help="类别 Category: code or name (green_factory, 绿色工厂).")
]
LevelOption = Annotated[
    str | None, typer.Option(help="级别 Level: code or name (national, 国家级).")
]
StatusOption = Annotated[
    list[str] | None,
    typer.Option(
        help="状态 Statuses to include, code or name (repeatable); default the units listed."
    ),
]
SearchOption = Annotated[
    str | None,
    typer.Option(
        "--q", help="名称检索 Part of the name, a product's name or model, or a credit code."
    ),
]
StarsOption = Annotated[
    str | None,
    typer.Option("--stars", help="星级 The units rated with these stars on the date: 3, 4 or 5."),
]
GreenCodeOption = Annotated[
    str | None,
    typer.Option(
        "--green-code", help="企业绿码 The units bearing this code on the date: A+, A or B."
    ),
]


@dataclass(frozen=True)
class ExportFilters:
    """What the export's options asked, as typed."""

    as_of: datetime | None = None
    region: str | None = None
    category: str | None = None
    level: str | None = None
    status: list[str] | None = None
    q: str | None = None
    stars: str | None = None
    green_code: str | None = None


def export_filter(asked: ExportFilters) -> ListQuery:
    """The list's filters as the options name them (codes or Chinese names); a bad value is
    refused naming its option before anything is read or written."""
    return ListQuery(
        as_of=asked.as_of.date() if asked.as_of is not None else None,
        category=category_named(asked.category) if asked.category else None,
        level=level_named(asked.level) if asked.level else None,
        region=region_named(asked.region).code if asked.region else None,
        status=tuple(status_named(s) for s in asked.status) if asked.status else (),
        q=asked.q,
        stars=stars_named(asked.stars) if asked.stars is not None else None,
        green_code=green_code_named(asked.green_code) if asked.green_code is not None else None,
    )


@app.command("export")
def export_list(
    as_of: AsOfOption = None,
    export_format: Annotated[
        ExportFormat, typer.Option("--format", help="表格格式 xlsx or csv.")
    ] = ExportFormat.XLSX,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="输出文件 File to write; default green-list-<date>.<format> here; - for stdout.",
        ),
    ] = None,
    region: RegionOption = None,
    category: CategoryOption = None,
    level: LevelOption = None,
    status: StatusOption = None,
    q: SearchOption = None,
    stars: StarsOption = None,
    green_code: GreenCodeOption = None,
    lang: Annotated[
        ExportLanguage, typer.Option("--lang", help="表头语言 zh (default) or en.")
    ] = ExportLanguage.ZH,
) -> None:
    """导出名单 The list on any date as a spreadsheet (xlsx laid out for printing, or CSV),
    Chinese headers by default; the filters of `GET /v1/list`, stars and 企业绿码 included."""
    settings = current_settings()
    out = console()
    wanted = export_filter(
        ExportFilters(as_of, region, category, level, status, q, stars, green_code)
    )
    with opened_ledger(settings) as ledger, opened_read_side(settings, ledger) as projector:
        catch_up_with_progress(projector, error_console() if output == Path("-") else out)
        try:
            export = read_whole_list(projector.views, wanted)
        except ConcurrentWriteError as error:
            error_console().print(f"[red]已中止 Stopped[/red] {escape(error.message)}")
            raise typer.Exit(1) from error
    _write_export(export, export_format, lang, output, out)


def _write_export(
    export: ListExport,
    export_format: ExportFormat,
    lang: ExportLanguage,
    output: Path | None,
    out: Console,
) -> None:
    """The spreadsheet to `output` (`-`: standard output; default: its file name here)."""
    language: ExportsLanguage = "en" if lang is ExportLanguage.EN else "zh"
    content = (
        as_xlsx(export, language)
        if export_format is ExportFormat.XLSX
        else as_csv(export, language)
    )
    if output == Path("-"):
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    target = output or Path(file_name(export, export_format.value))
    target.write_bytes(content)
    out.print(
        f"已导出 Exported {len(export.rows)} 项 units, 名单日期 as of {export.as_of.isoformat()}, "
        f"台账位置 position {export.position} → {escape(str(target))}"
    )


rules.register(app)  # replay, dynamic-management close-year
sealing.register(app)  # keys, seal, verify, verify-proof (ADR 0030)
tokens.register(app)  # token create, revoke, list
certificates.register(app)  # verify-certificate (ADR 0031)
auditing.register(app)  # audit run|list|show|export
tiers.register(imports)  # import provincial-list (ADR 0143)


def main() -> None:
    """The `greenledger` console script."""
    app()
