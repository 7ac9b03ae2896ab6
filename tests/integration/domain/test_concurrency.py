"""Two commands racing on one listing: exactly one wins, the other may retry; nothing is lost.

The ledgers below are the real `Ledger`, paused at a barrier just before they save, so that both
commands have loaded the same version of the listing before either writes — the race is real.
"""

from __future__ import annotations

import multiprocessing
import threading
from datetime import date
from multiprocessing.synchronize import Barrier as ProcessBarrier
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.domain import Aggregate

from domain.errors import ConcurrentWriteError, ListingAlreadyRemovedError
from domain.ledger import Ledger
from domain.listing import Listing
from tests.builders import by_ministry, listed_factory, stored_event_count


class PausingLedger(Ledger):
    """The ledger, waiting for its rival at the barrier before each save."""

    barrier: threading.Barrier | ProcessBarrier | None = None

    def _save(self, *aggregates: Aggregate) -> int | None:
        if self.barrier is not None:
            self.barrier.wait(timeout=30)
        return super()._save(*aggregates)


def remove(ledger: Ledger, listing_id: UUID, reason: str) -> str:
    try:
        ledger.remove_listing(
            listing_id, reasons=[reason], provenance=by_ministry(date(2024, 6, 1))
        )
    except ConcurrentWriteError:
        return "conflict"
    return "removed"


def test_two_threads_removing_one_listing_one_wins_the_other_may_retry(
    sql_database_url: str,
) -> None:
    setup = Ledger.open(sql_database_url)
    unit = listed_factory(setup)
    events_before = stored_event_count(setup)
    barrier = threading.Barrier(2)
    rivals = [PausingLedger.open(sql_database_url) for _ in range(2)]
    outcomes: list[str] = []

    def race(ledger: PausingLedger, reason: str) -> None:
        ledger.barrier = barrier
        outcomes.append(remove(ledger, unit.listing_id, reason))

    threads = [
        threading.Thread(target=race, args=(rival, reason))
        for rival, reason in zip(rivals, ["falsified_data", "refused_filing"], strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["conflict", "removed"]
    assert stored_event_count(setup) == events_before + 1
    loser = rivals[outcomes.index("conflict")]
    loser.barrier = None
    with pytest.raises(ListingAlreadyRemovedError):  # the retry sees the winner's removal
        loser.remove_listing(
            unit.listing_id, reasons=["refused_filing"], provenance=by_ministry(date(2024, 6, 1))
        )
    assert len(setup.get_listing(unit.listing_id).removals) == 1
    for ledger in (setup, *rivals):
        ledger.close()


def _remove_in_a_process(
    url: str, listing_id: UUID, reason: str, barrier: ProcessBarrier, results: Any
) -> None:
    ledger = PausingLedger.open(url, create_tables=False)  # the parent made them
    ledger.barrier = barrier
    results.put(remove(ledger, listing_id, reason))
    ledger.close()


def test_two_processes_removing_one_listing_one_wins(sql_database_url: str) -> None:
    setup = Ledger.open(sql_database_url)
    unit = listed_factory(setup)
    events_before = stored_event_count(setup)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    results = context.Queue()
    processes = [
        context.Process(
            target=_remove_in_a_process,
            args=(sql_database_url, unit.listing_id, reason, barrier, results),
        )
        for reason in ("falsified_data", "refused_filing")
    ]
    for process in processes:
        process.start()
    outcomes = sorted(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=60)

    assert outcomes == ["conflict", "removed"]
    assert stored_event_count(setup) == events_before + 1
    listing = setup.get_listing(unit.listing_id)
    assert isinstance(listing, Listing)
    assert len(listing.removals) == 1
    setup.close()
