"""The list's changes between two dates, on the real published lists (issue 19).

The lists are imported once into SQLite and projected; every test reads `GET /v1/changes`'s
query on them. Nothing here names a removal date: 泰兴's removal is whatever the shipped data says.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from domain.ledger import Ledger
from readside.changes.queries import ListChanges, get_changes
from readside.engine.database import Views
from readside.engine.projector import Projector
from readside.listings.queries import ListQuery, list_listings
from tests.integration.publishing.real_history import TAIXING, load_real_history


@pytest.fixture(scope="module")
def views(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Views]:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('real-history')) / 'ledger.db'}"
    ledger = Ledger.open(url)
    load_real_history(ledger)
    views = Views.open(url)
    Projector(ledger, views).catch_up()
    yield views
    views.close()
    ledger.close()


def names(units: object) -> set[str]:
    return {getattr(item, "unit", item).name for item in units}  # type: ignore[attr-defined]


def test_2020_adds_batch_5_and_removes_nothing(views: Views) -> None:
    changes = get_changes(views, start=date(2019, 12, 31), end=date(2020, 12, 31))

    listed = {category: counts.listed for category, counts in changes.by_category.items()}
    assert listed["green_factory"] == 719
    assert listed["green_park"] == 53
    assert listed["green_supply_chain"] == 99
    assert {item.unit.batch_year for item in changes.listed} == {5}
    assert {item.unit.on for item in changes.listed} == {date(2020, 10, 16)}
    assert changes.counts.removed == 0
    assert changes.removed == ()
    assert changes.dropped == ()
    assert changes.counts.net == changes.counts.listed == len(changes.added)


def test_2018_lists_56_parks_and_removes_taixing_among_them_net_55(views: Views) -> None:
    changes = get_changes(
        views, start=date(2018, 1, 1), end=date(2018, 12, 31), category="green_park"
    )

    assert changes.counts.listed == 56
    assert TAIXING in names(changes.listed)
    assert names(changes.removed) == {TAIXING}
    (removal,) = changes.removed
    assert removal.reasons
    assert removal.announcement is not None
    assert removal.announcement.doc_no == "工信厅节函〔2018〕341号"
    assert changes.counts.net == 55
    assert TAIXING not in names(changes.added)


def test_the_two_lists_counted_are_the_lists_get_v1_list_answers(views: Views) -> None:
    changes: ListChanges = get_changes(
        views, start=date(2018, 1, 1), end=date(2018, 12, 31), category="green_park"
    )

    on_start = list_listings(
        views, ListQuery.of(as_of=date(2018, 1, 1), category="green_park")
    ).total
    on_end = list_listings(
        views, ListQuery.of(as_of=date(2018, 12, 31), category="green_park")
    ).total

    assert (changes.counts.on_start, changes.counts.on_end) == (on_start, on_end) == (24, 79)


def test_a_region_filter_keeps_only_that_region(views: Views) -> None:
    changes = get_changes(views, start=date(2019, 12, 31), end=date(2020, 12, 31), region="320000")

    assert changes.counts.listed > 0
    assert {item.unit.region for item in changes.listed} == {"320000"}
    assert (
        changes.counts.on_end
        == list_listings(views, ListQuery.of(as_of=date(2020, 12, 31), region="320000")).total
    )
