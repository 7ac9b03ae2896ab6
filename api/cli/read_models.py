"""What the command line says of the read models' health (ADR 0105): the events the projector
set aside, and `greenledger verify --read-models`, every served row against a fresh projection.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape

from api.cli.conventions import error_console, progress_bar
from domain.ledger import Ledger
from readside.engine.comparison import check_read_models
from readside.engine.database import Views
from readside.engine.projector import Projector
from readside.engine.quarantine import QuarantinedEvent
from seal.checking import SealCheck
from seal.sealing import Seal

#: Differences listed one by one, at most (the count is always given).
SHOWN_DIFFERENCES = 200


@contextmanager
def checked_projector(ledger: Ledger, views: Views, database_url: str) -> Iterator[Projector]:
    """The projector of `views`, checking each event against the seal before applying it."""
    seal = Seal.open(ledger, database_url)
    try:
        yield Projector(ledger, views, check=SealCheck(seal))
    finally:
        seal.engine.dispose()


def print_quarantined(events: list[QuarantinedEvent], out: Console) -> None:
    """One line per event set aside: position, event, originator and why (nothing if none)."""
    if not events:
        return
    positions = ", ".join(str(event.position) for event in events)
    out.print(
        f"[yellow]已隔离 Quarantined[/yellow] {len(events)} 个事件 events (not applied; "
        f"the others were): positions {positions}"
    )
    for event in events:
        out.print(
            f"  {event.position}  {event.topic} v{event.originator_version} "
            f"{event.originator_id}: {event.error}",
            markup=False,
        )


def verify_read_models(ledger: Ledger, views: Views, database_url: str, out: Console) -> bool:
    """Compare every served row with a fresh projection of the events; print each difference.
    True when every row agrees."""
    seal = Seal.open(ledger, database_url)
    try:
        with progress_bar(
            error_console(), "重新投影 Projecting afresh", views.position() or None, transient=True
        ) as update:
            result = check_read_models(ledger, views, check=SealCheck(seal), progress=update)
    finally:
        seal.engine.dispose()
    if result.intact:
        out.print(
            f"[green]读模型一致 Read models intact[/green]: {result.rows_compared} 行 rows "
            f"agree with a fresh projection of the events up to position {result.position}"
        )
        return True
    out.print(
        f"[red]读模型不一致 Read models differ[/red]: {len(result.differences)} 行 rows differ "
        f"from a fresh projection of the events up to position {result.position}"
    )
    for difference in result.differences[:SHOWN_DIFFERENCES]:
        out.print(f"  {escape(difference.describe())}")
    if len(result.differences) > SHOWN_DIFFERENCES:
        out.print(f"  … {len(result.differences) - SHOWN_DIFFERENCES} more")
    return False
