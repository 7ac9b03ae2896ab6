"""The real published lists (batches 1–5 and 2021年度) imported into SQLite and PostgreSQL.

The import runs once per store (it is the integration test); each test reads what it wrote,
through a second ledger on the same database, so what is asserted is what was stored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

import pytest

from domain.ledger import Ledger
from domain.listing import Listing
from domain.loading.importing import ImportReport, import_published_lists
from domain.loading.published_lists import PublishedLists, read_published_lists
from domain.values import Category, Level
from tests.builders import stored_event_count
from tests.conftest import SQL_BACKENDS, empty_postgres
from tests.paths import PUBLISHED_LISTS

SHIPPED = PUBLISHED_LISTS
BATCHES = (1, 2, 3, 4, 5, 2021)
ANNOUNCED_ON = {
    1: date(2017, 8, 23),
    2: date(2018, 2, 11),
    3: date(2018, 10, 29),
    4: date(2019, 9, 2),
    5: date(2020, 10, 16),
    2021: date(2022, 1, 15),
}
#: Listings per batch and category: the files' rows less the reported residue (see
#: test_published_lists.py); factories are the official counts.
EXPECTED_LISTINGS = {
    Category.GREEN_FACTORY: {1: 201, 2: 208, 3: 391, 4: 602, 5: 719, 2021: 662},
    Category.GREEN_PARK: {1: 24, 2: 22, 3: 34, 4: 39, 5: 53, 2021: 52},
    Category.GREEN_SUPPLY_CHAIN: {1: 15, 2: 4, 3: 21, 4: 50, 5: 99, 2021: 107},
    Category.GREEN_DESIGN_PRODUCT: {1: 193, 2: 53, 3: 478, 4: 371, 5: 1067, 2021: 989},
}


@dataclass(frozen=True)
class Imported:
    url: str
    lists: PublishedLists
    report: ImportReport


@pytest.fixture(scope="module", params=SQL_BACKENDS)
def imported(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Imported:
    """The real lists imported into a new ledger of each SQL store, once per store."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('real-lists') / 'ledger.db'}"
    else:
        url = str(request.getfixturevalue("postgres_database"))
        empty_postgres(url)
    lists = read_published_lists(SHIPPED)
    ledger = Ledger.open(url)
    try:
        report = import_published_lists(ledger, lists)
    finally:
        ledger.close()
    return Imported(url, lists, report)


@pytest.fixture
def reader(imported: Imported) -> Iterator[Ledger]:
    """A second ledger on the imported database: it sees only what was stored."""
    ledger = Ledger.open(imported.url)
    yield ledger
    ledger.close()


def published(ledger: Ledger) -> dict[int, tuple[UUID, ...]]:
    return {
        year: tuple(
            i
            for record in ledger.get_batch(Level.NATIONAL, year).publications
            for i in record.listed
        )
        for year in BATCHES
    }


def test_the_real_lists_import_lists_each_batch_and_category_as_published(
    imported: Imported, reader: Ledger
) -> None:
    counts: dict[Category, Counter[int]] = {category: Counter() for category in Category}
    for year, ids in published(reader).items():
        for listing_id in ids:
            counts[reader.get_listing(listing_id).category][year] += 1

    assert {c: dict(n) for c, n in counts.items()} == EXPECTED_LISTINGS
    assert imported.report.imported == 6454
    assert [(r.file, r.line, r.reason) for r in imported.report.rejected] == [
        (r.file, r.line, r.reason) for r in imported.lists.rejected
    ]
    assert len(imported.report.rejected) == 9
    assert len(imported.report.duplicates) == 3


def test_the_real_lists_import_changes_the_list_on_each_announcement_day_by_that_batch(
    reader: Ledger,
) -> None:
    batches = published(reader)
    listings: list[Listing] = [reader.get_listing(i) for ids in batches.values() for i in ids]

    def on_list(day: date) -> set[UUID]:
        return {listing.id for listing in listings if listing.listed_on_day(day)}

    for year, day in ANNOUNCED_ON.items():
        before, after = on_list(day - timedelta(days=1)), on_list(day)
        assert after - before == set(batches[year])
        assert before - after == set()
    assert len(on_list(date(2022, 1, 15))) == 6454
    assert on_list(date(2017, 8, 22)) == set()


def test_the_real_lists_import_registers_each_enterprise_once_in_its_region(
    imported: Imported, reader: Ledger
) -> None:
    factory_rows = [r for r in imported.lists.rows if r.category is Category.GREEN_FACTORY]
    first = factory_rows[0]

    enterprise = reader.find_enterprise(region=first.region, name=first.name)

    assert enterprise is not None
    assert (enterprise.name, enterprise.region.label, enterprise.industry) == (
        "北京京东方显示技术有限公司",
        "北京",
        "电子",
    )
    assert enterprise.registered_on == date(2017, 8, 23)
    assert imported.report.enterprises_registered == 3919


def test_the_real_lists_import_publishes_each_batch_in_one_save(imported: Imported) -> None:
    # A publication's save holds the batch's Published and one Listed per listing of the batch.
    publications = Counter(
        1 + sum(by_year[year] for by_year in EXPECTED_LISTINGS.values()) for year in BATCHES
    )
    saves = Counter(imported.report.saves)

    assert publications - saves == Counter()
    assert max(imported.report.saves) == 1 + 719 + 53 + 99 + 1067


def test_a_second_import_of_the_real_lists_writes_no_event(
    imported: Imported, reader: Ledger
) -> None:
    events = stored_event_count(reader)
    position = reader.position

    again = import_published_lists(reader, imported.lists)

    assert again.events_written == 0
    assert (again.already_present, again.imported) == (6454, 0)
    assert stored_event_count(reader) == events == imported.report.events_written
    assert reader.position == position
