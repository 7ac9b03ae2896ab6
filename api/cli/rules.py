"""The rulebook on the command line: the auditor's replay and closing a filing year (DYN-1).

    greenledger replay [--known-at 2024-07-01T00:00:00+08:00]
    greenledger dynamic-management close-year 2023 [--effective-on 2024-05-06] [--actor ministry]

`register(app, opened)` adds both to the `greenledger` application (api/cli/main.py), with the
way it opens the configured ledger (`GREENLEDGER_DATABASE_URL`, as for every command). Exit status:
0 done (replay: every decision follows from its facts), 1 replay found mismatches or the store did
not answer, 2 bad configuration, bad input or a refusal by the rulebook.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from domain.errors import LedgerError
from domain.ledger import Ledger
from domain.replay import Mismatch, ReplayReport, replay
from domain.rules import rulebook_for
from domain.values import Finding, Provenance

T = TypeVar("T")

#: Opens the configured ledger and closes it afterwards (api/cli/main.py's `opened_ledger`).
OpenLedger = Callable[[], AbstractContextManager[Ledger]]


def register(app: typer.Typer, opened: OpenLedger) -> None:
    """Add `replay` and `dynamic-management close-year` to the `greenledger` application."""
    dynamic_management = typer.Typer(help="动态管理 Dynamic management", no_args_is_help=True)
    app.add_typer(dynamic_management, name="dynamic-management")

    @app.command("replay")
    def replay_command(
        known_at: Annotated[
            datetime | None,
            typer.Option(
                formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%d %H:%M:%S%z"],
                help="Replay the facts recorded up to this instant, e.g. "
                "2024-07-01T00:00:00+08:00.",
            ),
        ] = None,
    ) -> None:
        """重放审计 Replay every decision on the facts then known; exits 1 on a mismatch."""
        out = Console(soft_wrap=True)
        with opened() as ledger, _progress(out) as progress:
            task = progress.add_task("重放 Replaying", total=ledger.position or None)
            report = _refusing_bad_input(
                lambda: replay(
                    ledger,
                    known_at,
                    progress=lambda position, last: progress.update(
                        task, completed=position, total=last
                    ),
                )
            )
        _print_report(out, report)
        if report.mismatches:
            raise typer.Exit(1)

    @dynamic_management.command("close-year")
    def close_year_command(
        report_year: Annotated[int, typer.Argument(help="The report year whose filings were due.")],
        effective_on: Annotated[
            datetime | None,
            typer.Option(
                formats=["%Y-%m-%d"], help="The decision's date (default: today in China)."
            ),
        ] = None,
        actor: Annotated[str, typer.Option(help="Who records the overdue filings.")] = "ministry",
    ) -> None:
        """年度截止 Close a filing year: overdue (DYN-1) for every listed unit that did not file."""
        out = Console(soft_wrap=True)
        day = effective_on.date() if effective_on is not None else None
        provenance = Provenance(actor=actor, effective_on=day)
        with opened() as ledger, _progress(out) as progress:
            task = progress.add_task(f"{report_year}年度 checking listings", total=None)
            receipt = _refusing_bad_input(
                lambda: ledger.close_filing_year(
                    report_year,
                    provenance,
                    progress=lambda done, total: progress.update(task, completed=done, total=total),
                )
            )
        _print_closing(out, report_year, day or Ledger.today(), len(receipt.ids), receipt.position)


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


@contextmanager
def _progress(out: Console) -> Iterator[Progress]:
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=out,
        transient=True,
    ) as progress:
        yield progress


def _refusing_bad_input(run: Callable[[], T]) -> T:
    try:
        return run()
    except LedgerError as error:
        Console(stderr=True).print(f"[red]拒绝 Refused[/red]: {escape(error.message)}")
        raise typer.Exit(2) from error
