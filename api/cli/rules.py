"""The rulebook on the command line: the auditor's replay and closing a filing year (DYN-1).

    greenledger replay [--known-at 2024-07-01T00:00:00+08:00]
    greenledger dynamic-management close-year 2023 [--effective-on 2024-05-06] [--actor ministry]

`register(app)` adds both to the `greenledger` application (api/cli/main.py); they open the
configured ledger (`GREENLEDGER_DATABASE_URL`) as every command does (api/cli/conventions.py).
Exit status: 0 done (replay: every decision follows from its facts), 1 replay found mismatches or
the store did not answer, 2 bad configuration, bad input or a refusal by the rulebook.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from api.cli.conventions import console, current_settings, fail, opened_ledger, progress_bar
from domain.errors import LedgerError
from domain.ledger import Ledger
from domain.replay import Mismatch, ReplayReport, replay
from domain.rules import rulebook_for
from domain.values import Finding, Provenance

T = TypeVar("T")


def register(app: typer.Typer) -> None:
    """Add `replay` and `dynamic-management close-year` to the `greenledger` application."""
    app.command("replay")(replay_command)
    dynamic_management = typer.Typer(help="动态管理 Dynamic management", no_args_is_help=True)
    dynamic_management.command("close-year")(close_year_command)
    app.add_typer(dynamic_management, name="dynamic-management")


def replay_command(
    known_at: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%d %H:%M:%S%z"],
            help="Replay the facts recorded up to this instant, e.g. 2024-07-01T00:00:00+08:00.",
        ),
    ] = None,
) -> None:
    """重放审计 Replay every decision on the facts then known; exits 1 on a mismatch."""
    out = console()
    with (
        opened_ledger(current_settings()) as ledger,
        progress_bar(out, "重放 Replaying", ledger.position or None, **TRANSIENT) as update,
    ):
        report = _refusing_bad_input(
            lambda: replay(
                ledger, known_at, progress=lambda position, last: update(position, total=last)
            )
        )
    _print_report(out, report)
    if report.mismatches:
        raise typer.Exit(1)


def close_year_command(
    report_year: Annotated[int, typer.Argument(help="The report year whose filings were due.")],
    effective_on: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="The decision's date (default: today in China)."),
    ] = None,
    actor: Annotated[str, typer.Option(help="Who records the overdue filings.")] = "ministry",
) -> None:
    """年度截止 Close a filing year: overdue (DYN-1) for every listed unit that did not file."""
    out = console()
    day = effective_on.date() if effective_on is not None else None
    provenance = Provenance(actor=actor, effective_on=day)
    with (
        opened_ledger(current_settings()) as ledger,
        progress_bar(out, f"{report_year}年度 checking listings", **TRANSIENT) as update,
    ):
        receipt = _refusing_bad_input(
            lambda: ledger.close_filing_year(
                report_year, provenance, progress=lambda done, total: update(done, total=total)
            )
        )
    _print_closing(out, report_year, day or Ledger.today(), len(receipt.ids), receipt.position)


#: The bars of these commands clear when done, showing the time left while they run.
TRANSIENT = {"transient": True, "remaining": True}


# -- output ---------------------------------------------------------------------------------------


def _print_closing(
    out: Console, report_year: int, day: date, overdue: int, position: int | None
) -> None:
    rulebook = rulebook_for(day)
    deadline = rulebook.filing_deadline(report_year)
    out.print(
        f"[bold]{report_year}年度动态管理表[/bold] report year {report_year}: "
        f"截止 deadline {deadline.isoformat()}，规则版本 rulebook {rulebook.version}"
    )
    written = f"，台账位置 position {position}" if position else "（无新记录 none new）"
    out.print(f"新记录逾期 overdue recorded: [bold]{overdue}[/bold]{written}")


def _print_report(out: Console, report: ReplayReport) -> None:
    known = report.known_at.isoformat() if report.known_at else "现在 now"
    out.print(
        f"[bold]重放审计 Replay[/bold] 截至 known at {escape(known)}: "
        f"读取事件 events read {report.events_read}，台账位置 position {report.last_position}"
    )
    out.print(f"检查决定 decisions checked: [bold]{report.decisions_checked}[/bold]")
    out.print(
        f"导入的已公布决定 imported published decisions (not re-derived): {report.imported_records}"
    )
    if not report.mismatches:
        out.print(
            "[green]一致 consistent[/green]: 每项决定均可由当时已知事实推导 every decision follows"
        )
        return
    out.print(f"[red]不一致 mismatches: {len(report.mismatches)}[/red]")
    for mismatch in report.mismatches:
        out.print(
            f"  位置 position {mismatch.position}  "
            f"{escape(mismatch.topic.rsplit(':', 1)[-1])}  "
            f"{mismatch.originator_id} v{mismatch.version}"
        )
        recorded = _findings(mismatch.recorded_rulebook, mismatch.recorded)
        out.print(f"    记录 recorded:      {escape(recorded)}")
        out.print(
            "    重新推导 re-derived: "
            + escape(_findings(mismatch.rederived_rulebook, mismatch.rederived) + _note(mismatch))
        )


def _findings(rulebook: str, findings: tuple[Finding, ...]) -> str:
    shown = (
        ", ".join(
            f"{f.rule_id} " + ("适用 applies" if f.applies else "不适用 does not apply")
            for f in findings
        )
        or "—"
    )
    return f"规则版本 rulebook {rulebook}: {shown}"


def _note(mismatch: Mismatch) -> str:
    return f" ({mismatch.note})" if mismatch.note else ""


# -- plumbing --------------------------------------------------------------------------------------


def _refusing_bad_input(run: Callable[[], T]) -> T:
    try:
        return run()
    except LedgerError as error:
        raise fail(f"[red]拒绝 Refused[/red]: {escape(error.message)}", 2) from error
