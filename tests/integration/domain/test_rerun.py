"""A command that loses an optimistic-concurrency race is decided again (issue 16, ADR 0111).

Two ledgers on one database, interleaved by hand: the first has loaded and decided, and just
before it saves, the second saves a command on the same aggregate. The store refuses the first
save; `rerun_on_conflict` loads the aggregates afresh and decides again, and both commands are
recorded — or, where the rival's write changes the decision, the rule answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.domain import Aggregate

from domain.errors import ConcurrentWriteError, ListingAlreadyRemovedError
from domain.ledger import Ledger, Receipt
from domain.persistence.rerun import rerun_on_conflict
from domain.values import Level
from tests.builders import (
    by_ministry,
    by_province,
    listed_factory,
    open_batch,
    register,
    stored_event_count,
)


class InterleavedLedger(Ledger):
    """The ledger; before each of its saves, the next rival command waiting in `rivals` runs
    (on another ledger), as if another process had saved first."""

    rivals: list[Callable[[], object]]

    def _save(self, *aggregates: Aggregate) -> int | None:
        if getattr(self, "rivals", None):
            self.rivals.pop(0)()
        return super()._save(*aggregates)


@pytest.fixture
def two_ledgers(sql_database_url: str) -> Iterator[tuple[InterleavedLedger, Ledger]]:
    first, second = InterleavedLedger.open(sql_database_url), Ledger.open(sql_database_url)
    first.rivals = []
    yield first, second
    first.close()
    second.close()


def nominate(ledger: Ledger, enterprise_id: UUID) -> Receipt:
    return ledger.nominate_listing(
        enterprise_id=enterprise_id,
        category="green_factory",
        level="national",
        batch_year=2022,
        self_evaluation=None,
        provenance=by_province(date(2022, 10, 20)),
    )


def pauses() -> tuple[list[float], Callable[[float], None]]:
    taken: list[float] = []
    return taken, taken.append


def test_a_nomination_that_lost_the_race_for_the_batch_is_decided_again_and_recorded(
    two_ledgers: tuple[InterleavedLedger, Ledger],
) -> None:
    first, second = two_ledgers
    open_batch(second)
    mine, rival = register(second, "江苏先到有限公司"), register(second, "江苏后到有限公司")
    first.get_batch(Level.NATIONAL, 2022)  # the first ledger has the batch at this version
    first.rivals.append(lambda: nominate(second, rival))
    lost: list[int] = []
    taken, sleep = pauses()

    receipt = rerun_on_conflict(lambda: nominate(first, mine), lost=lost.append, sleep=sleep)

    assert receipt.written
    assert lost == [1]
    assert len(taken) == 1
    assert 0.005 <= taken[0] < 0.015
    batch = second.get_batch(Level.NATIONAL, 2022)
    assert len(batch.nominations) == 2
    assert {second.get_listing(i).enterprise_id for i in batch.nominations} == {mine, rival}


def test_without_the_rerun_the_same_interleaving_loses_the_command(
    two_ledgers: tuple[InterleavedLedger, Ledger],
) -> None:
    """The interleaving above is a real race: a single attempt is refused and writes nothing."""
    first, second = two_ledgers
    open_batch(second)
    mine, rival = register(second, "江苏先到有限公司"), register(second, "江苏后到有限公司")
    first.get_batch(Level.NATIONAL, 2022)
    first.rivals.append(lambda: nominate(second, rival))

    with pytest.raises(ConcurrentWriteError):
        nominate(first, mine)

    assert len(second.get_batch(Level.NATIONAL, 2022).nominations) == 1


def test_a_race_lost_on_every_attempt_is_answered_after_five(
    two_ledgers: tuple[InterleavedLedger, Ledger],
) -> None:
    first, second = two_ledgers
    open_batch(second)
    mine = register(second, "江苏总是落后有限公司")
    rivals = [register(second, f"江苏抢先{n}有限公司") for n in range(5)]
    first.rivals.extend(lambda r=r: nominate(second, r) for r in rivals)  # type: ignore[misc]
    lost: list[int] = []
    taken, sleep = pauses()
    events = stored_event_count(second)

    with pytest.raises(ConcurrentWriteError):
        rerun_on_conflict(lambda: nominate(first, mine), lost=lost.append, sleep=sleep)

    assert lost == [1, 2, 3, 4, 5]
    assert len(taken) == 4  # no pause after the last
    # 10, 20, 40, 80 ms, each jittered to between half and one and a half times
    assert all(0.5 <= t / (0.01 * 2**n) < 1.5 for n, t in enumerate(taken))
    assert sum(taken) < 0.25
    assert len(second.get_batch(Level.NATIONAL, 2022).nominations) == 5
    assert stored_event_count(second) == events + 5 * 3  # the rivals' only


def test_the_decision_taken_again_answers_the_rule_the_rivals_write_now_triggers(
    two_ledgers: tuple[InterleavedLedger, Ledger],
) -> None:
    """Decided again on the newer state: the ministry's removal finds the unit already removed
    by the rival — a real state conflict, answered as such, not as a race."""
    first, second = two_ledgers
    unit = listed_factory(second)
    first.get_listing(unit.listing_id)
    first.rivals.append(
        lambda: second.remove_listing(
            unit.listing_id, reasons=["falsified_data"], provenance=by_ministry(date(2024, 6, 1))
        )
    )
    attempts: list[Any] = []

    def remove() -> Receipt:
        attempts.append(1)
        return first.remove_listing(
            unit.listing_id, reasons=["refused_filing"], provenance=by_ministry(date(2024, 6, 1))
        )

    with pytest.raises(ListingAlreadyRemovedError):
        rerun_on_conflict(remove, sleep=lambda _: None)

    assert len(attempts) == 2
    assert len(second.get_listing(unit.listing_id).removals) == 1


def test_a_refusal_by_a_rule_is_not_run_again() -> None:
    calls: list[int] = []

    def refused() -> None:
        calls.append(1)
        raise ListingAlreadyRemovedError(UUID(int=1), None)

    with pytest.raises(ListingAlreadyRemovedError):
        rerun_on_conflict(refused, sleep=lambda _: None)
    assert calls == [1]
