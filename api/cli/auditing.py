"""The auditor's stored reports on the command line (ADR 0015, ADR 0016).

    greenledger audit run [--known-at …] [--from 2022-01-01] [--to 2023-12-31] [--region 320000]
                          [--rulebook 2024]
    greenledger audit list
    greenledger audit show REPORT_ID [--outcome differs] [--rule DYN-4] [--region …]
                           [--decision removal] [--from …] [--to …] [--page 1] [--page-size 50]
    greenledger audit export REPORT_ID [--out audit.xlsx]

`run` computes a report in the foreground with a progress bar and keeps it, like
`POST /v1/audit/reports` — one at a time per ledger, whichever process asks. The head is signed
when `GREENLEDGER_SIGNING_KEY_PATH` names a key. `export` writes the audit file and beside it the
report's head, the latest head and the consistency proof between them as JSON, ready for
`greenledger verify-proof`. Exit status: 0 done (`run`: every decision follows, or a what-if
ran), 1 decisions differ under the rules in force, another report is running, or the store did
not answer; 2 bad input or configuration.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, TypeVar
from uuid import UUID

import typer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from api.cli.conventions import (
    console,
    current_settings,
    error_console,
    fail,
    opened_ledger,
    progress_bar,
)
from api.settings import Settings
from audit.reports import DecisionFilter, DecisionPage, ReportParameters, StoredReport
from audit.running import run_report
from audit.store import ReportRunningError, ReportStore
from audit.workbook import OUTCOME_LABELS, audit_file, findings_cell
from domain.auditing import KIND_LABELS
from domain.errors import LedgerError
from domain.ledger import Ledger
from seal.sealing import Seal
from seal.signing import SigningKeyError, load_private_key

T = TypeVar("T")

INSTANT_FORMATS = ["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%d %H:%M:%S%z"]


@dataclass
class _Desk:
    ledger: Ledger
    seal: Seal
    store: ReportStore
    signing_key: Ed25519PrivateKey | None


def register(app: typer.Typer) -> None:
    """Add `audit run`, `audit list`, `audit show` and `audit export` to `greenledger`."""
    audit_app = typer.Typer(help="审计报告 Stored audit reports", no_args_is_help=True)
    audit_app.command("run")(run)
    audit_app.command("list")(list_reports)
    audit_app.command("show")(show)
    audit_app.command("export")(export)
    app.add_typer(audit_app, name="audit")


@contextmanager
def _desk() -> Iterator[_Desk]:
    settings = current_settings()
    key = _signing_key(settings)
    with opened_ledger(settings) as ledger:
        seal = Seal.open(ledger, settings.database_url)
        store = ReportStore.open(settings.database_url, ledger.name)
        try:
            yield _Desk(ledger, seal, store, key)
        finally:
            store.close()
            seal.engine.dispose()


def run(
    known_at: Annotated[
        datetime | None,
        typer.Option(formats=INSTANT_FORMATS, help="Facts recorded up to this instant."),
    ] = None,
    from_day: Annotated[
        datetime | None,
        typer.Option("--from", formats=["%Y-%m-%d"], help="Decisions from this date."),
    ] = None,
    to_day: Annotated[
        datetime | None,
        typer.Option("--to", formats=["%Y-%m-%d"], help="Decisions up to this date."),
    ] = None,
    region: Annotated[str | None, typer.Option(help="One region's decisions.")] = None,
    rulebook: Annotated[
        str | None, typer.Option(help="What-if: re-derive under this rulebook version.")
    ] = None,
) -> None:
    """生成审计报告 Replay every decision and keep the report; exits 1 when some differ."""
    out = console()
    parameters = _refusing_bad_input(
        lambda: ReportParameters(
            known_at=known_at,
            from_day=from_day.date() if from_day else None,
            to_day=to_day.date() if to_day else None,
            region=region,
            rulebook=rulebook,
        )
    )
    with _desk() as d:
        report = _run(out, d, parameters)
    _print_summary(out, report)
    if report.counts.differing and parameters.rulebook is None:
        raise typer.Exit(1)


def list_reports() -> None:
    """审计报告列表 The latest reports, newest first."""
    out = console()
    with _desk() as d:
        reports = d.store.list_reports()
    if not reports:
        out.print("尚无审计报告 No report yet.")
    for report in reports:
        counts = (
            f"决定 decisions {report.counts.decisions}，不一致 differing {report.counts.differing}"
            if report.done
            else f"进度 progress {report.progress_position}/{report.progress_last}"
        )
        out.print(
            f"{report.report_id}  {report.status}  "
            f"{report.requested_at.isoformat(timespec='seconds')}  {counts}  "
            + escape(json.dumps(report.parameters.to_document(), ensure_ascii=False))
        )


def show(
    report_id: Annotated[UUID, typer.Argument(help="The report's id.")],
    outcome: Annotated[str | None, typer.Option(help="matches, differs or imported")] = None,
    rule: Annotated[str | None, typer.Option(help="A rule id, e.g. DYN-4.")] = None,
    region: Annotated[str | None, typer.Option(help="A region code.")] = None,
    decision: Annotated[str | None, typer.Option(help="nomination, removal, …")] = None,
    from_day: Annotated[
        datetime | None, typer.Option("--from", formats=["%Y-%m-%d"], help="YYYY-MM-DD")
    ] = None,
    to_day: Annotated[
        datetime | None, typer.Option("--to", formats=["%Y-%m-%d"], help="YYYY-MM-DD")
    ] = None,
    page: Annotated[int, typer.Option(min=1)] = 1,
    page_size: Annotated[int, typer.Option(min=1, max=500)] = 50,
) -> None:
    """查看审计报告 A report's head and counts, and a page of its decisions."""
    out = console()
    chosen = _refusing_bad_input(
        lambda: DecisionFilter(
            outcome=outcome,
            rule=rule,
            region=region,
            kind=decision,
            from_day=from_day.date() if from_day else None,
            to_day=to_day.date() if to_day else None,
            page=page,
            page_size=page_size,
        )
    )
    with _desk() as d:
        report = _refusing_bad_input(lambda: d.store.get(report_id))
        found = d.store.decisions(report_id, chosen) if report.done else None
    _print_summary(out, report)
    if found is not None:
        _print_decisions(out, found)


def export(
    report_id: Annotated[UUID, typer.Argument(help="The report's id.")],
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Default: audit-report-<id>.xlsx here.")
    ] = None,
) -> None:
    """导出审计文件 The audit file (XLSX), and beside it the heads and the proof (JSON)."""
    out = console()
    with _desk() as d:
        made = _refusing_bad_input(
            lambda: audit_file(d.store, d.seal, report_id, signing_key=d.signing_key)
        )
    target = out_file or Path(made.file_name)
    target.write_bytes(made.content)
    document = made.evidence.to_document()
    written = [target]
    for suffix, part in (
        ("report-head", document["report_head"]),
        ("latest-head", document["latest_head"]),
        ("consistency", document["consistency_proof"]),
    ):
        if part is not None:
            path = target.with_name(f"{target.stem}.{suffix}.json")
            path.write_text(json.dumps(part, indent=2) + "\n")
            written.append(path)
    out.print(f"已导出 Exported → {escape(', '.join(str(p) for p in written))}")
    out.print(f"一致性 Consistency: {escape(made.evidence.detail)}")
    if made.evidence.proof is not None:
        stem = target.stem
        out.print(
            f"核验 Check: greenledger verify-proof --proof {stem}.consistency.json "
            f"--head {stem}.report-head.json --head {stem}.latest-head.json"
        )


def _run(out: Console, d: _Desk, parameters: ReportParameters) -> StoredReport:
    try:
        claimed, started = d.store.claim(parameters, "auditor")
    except ReportRunningError as running:
        error_console().print(f"[red]正在生成 Running[/red]: {escape(running.message)}")
        raise typer.Exit(1) from running
    if not started:  # the same report, run by another process: follow it there
        error_console().print(
            f"[red]正在生成 Running[/red]: 相同参数的审计报告 {claimed.report_id} 正由另一进程生成 "
            f"the same report is being computed by another process: greenledger audit show "
            f"{claimed.report_id}"
        )
        raise typer.Exit(1)
    total = d.ledger.position or None
    with progress_bar(out, "重放 Replaying", total, transient=True, remaining=True) as update:
        return run_report(
            d.ledger,
            d.store,
            d.seal,
            claimed,
            signing_key=d.signing_key,
            progress=lambda position, last: update(position, total=last),
        )


def _print_summary(out: Console, report: StoredReport) -> None:
    p, c, head = report.parameters, report.counts, report.head or {}
    out.print(f"[bold]审计报告 Audit report[/bold] {report.report_id} — {report.status}")
    rules = f"假设 what-if {p.rulebook}" if p.rulebook else "当时有效 in force then"
    out.print(
        f"规则版本 rulebook: {rules}；已知时点 known at: "
        f"{p.known_at.isoformat() if p.known_at else '全部 all'}；"
        f"日期 dates: {p.from_day or '…'} – {p.to_day or '…'}；"
        f"地区 region: {p.region or '全部 all'}"
    )
    if report.error:
        out.print(f"[red]{escape(report.error)}[/red]")
    if not report.done:
        out.print(f"进度 progress: {report.progress_position} / {report.progress_last}")
        return
    signed = head.get("key_id") or "未签名 unsigned"
    out.print(
        f"位置 positions {report.first_position or 0}–{report.last_position}；树头 tree head "
        f"{head.get('tree_size')} {head.get('root_hash')}；密钥 key {signed}"
    )
    out.print(
        f"决定 decisions {c.decisions} = 重新认定 re-derived {c.rederived} + 导入 imported "
        f"{c.imported}；一致 matching {c.matching}；"
        + (f"[red]不一致 differing {c.differing}[/red]" if c.differing else "不一致 differing 0")
    )
    out.print(f"摘要值 digest {report.digest}")


def _print_decisions(out: Console, page: DecisionPage) -> None:
    table = Table(
        "序号 No.",
        "位置 Pos.",
        "决定 Decision",
        "日期 Date",
        "地区",
        "结果 Outcome",
        "差异 Rules",
        "记录 Recorded",
        "重新推出 Re-derived",
    )
    for row in page.items:
        table.add_row(
            str(row.seq),
            str(row.position),
            KIND_LABELS[row.kind][0],
            row.effective_on.isoformat(),
            row.region or "",
            OUTCOME_LABELS[row.outcome],
            " ".join(row.differing_rules),
            escape(f"{row.recorded_rulebook}: {findings_cell(row.recorded)}"),
            escape(
                f"{row.rederived_rulebook}: {findings_cell(row.rederived)}"
                if row.rederived is not None
                else "—"
            ),
        )
    out.print(table)
    out.print(f"共 {page.total} 项 decisions；第 page {page.page}（每页 {page.page_size}）")


def _signing_key(settings: Settings) -> Ed25519PrivateKey | None:
    if settings.signing_key_path is None:
        return None
    try:
        return load_private_key(settings.signing_key_path)
    except SigningKeyError as error:
        raise fail(f"[red]签名密钥 Signing key[/red]: {escape(str(error))}", 2) from error


def _refusing_bad_input(run: Callable[[], T]) -> T:
    try:
        return run()
    except LedgerError as error:
        raise fail(f"[red]拒绝 Refused[/red]: {escape(error.message)}", 2) from error
