"""An import that loses a race between its chunks is run again whole and completes (ADR 0111).

The import saves a chunk of rows at a time; another writer may save one of the units of a later
chunk in between (here: registering the same enterprise first, as the provinces' own ledger
processes may). The import's save of that chunk is refused as a concurrent write; run again, it
finds what its first run saved recorded, joins the rival's enterprise, and records the rest.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

import pytest

from domain.errors import ImportOvertakenError
from domain.ledger import Ledger
from domain.loading.importing import ImportReport, import_published_lists
from domain.loading.published_lists import PublishedLists, read_published_lists
from domain.persistence.rerun import rerun_on_conflict
from domain.values import Provenance
from tests.builders import stored_event_count
from tests.paths import PUBLISHED_LISTS


class RivalledLedger(Ledger):
    """The ledger; before its save number `n` (from 1), `rivals[n]` runs on another ledger."""

    rivals: dict[int, Callable[[], object]]
    saves_tried: int

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        self.saves_tried += 1
        rival = self.rivals.pop(self.saves_tried, None)
        if rival is not None:
            rival()
        return super().save(*objs, **kwargs)


@pytest.fixture(scope="module")
def early_lists() -> PublishedLists:
    """Batches 1 and 2 of the real lists: enough rows for several chunks."""
    lists = read_published_lists(PUBLISHED_LISTS)
    rows = tuple(row for row in lists.rows if row.batch_year in (1, 2))
    announcements = tuple(a for a in lists.announcements if a.batch_year in (1, 2))
    return dataclasses.replace(lists, rows=rows, announcements=announcements)


@pytest.fixture
def ledgers(sql_database_url: str) -> Iterator[tuple[RivalledLedger, Ledger]]:
    mine, rival = RivalledLedger.open(sql_database_url), Ledger.open(sql_database_url)
    mine.rivals, mine.saves_tried = {}, 0
    yield mine, rival
    mine.close()
    rival.close()


def _rival_registers_a_later_unit(
    lists: PublishedLists, rival: Ledger, registered: list[UUID]
) -> Callable[[], object]:
    row = lists.rows[-1]  # in the last chunk of the last batch

    def register() -> object:
        receipt = rival.register_enterprise(
            name=row.name,
            region=row.region,
            provenance=Provenance("ministry", row.announced_on),
        )
        assert receipt.id is not None
        registered.append(receipt.id)
        return receipt

    return register


def _import(ledger: Ledger, lists: PublishedLists) -> ImportReport:
    return import_published_lists(ledger, lists, chunk_rows=100)


def test_without_running_it_again_the_import_stops_at_the_lost_race(
    ledgers: tuple[RivalledLedger, Ledger], early_lists: PublishedLists
) -> None:
    mine, rival = ledgers
    mine.rivals[3] = _rival_registers_a_later_unit(early_lists, rival, [])

    with pytest.raises(ImportOvertakenError) as refused:
        _import(mine, early_lists)
    assert mine.saves_tried >= 3
    # two chunks were saved before the lost race: the refusal says they stay, not "nothing"
    assert "any chunks saved before this one stay saved" in str(refused.value)


def test_run_again_the_import_completes_with_every_unit_recorded_once(
    ledgers: tuple[RivalledLedger, Ledger],
    early_lists: PublishedLists,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    mine, rival = ledgers
    registered: list[UUID] = []
    mine.rivals[3] = _rival_registers_a_later_unit(early_lists, rival, registered)
    lost: list[int] = []

    report = rerun_on_conflict(lambda: _import(mine, early_lists), lost=lost.append)

    assert lost == [1]
    assert report.written
    # the unit the rival registered is the one the import listed (not a second enterprise)
    [rival_enterprise] = registered
    last = early_lists.rows[-1]
    listed = [mine.get_listing(i) for ids in report.listed.values() for i in ids]
    assert [x.enterprise_id for x in listed if x.category is last.category].count(
        rival_enterprise
    ) == 1
    # the same lists imported undisturbed into another ledger: the same units, listed the same
    plain = Ledger.open(f"sqlite:///{tmp_path_factory.mktemp('plain') / 'ledger.db'}")
    try:
        alone = _import(plain, early_lists)
        again = _import(mine, early_lists)  # nothing left to write
        assert again.events_written == 0
        assert again.already_present == alone.imported
        # the rival's registration stood in for the import's own: as many events as alone
        assert stored_event_count(mine) == stored_event_count(plain)
    finally:
        plain.close()
