"""The shipped real history: the published lists, and what 工信厅节函〔2018〕341号 第二条 announced
with batch 3 — the removal of the batch-2 park 江苏省泰兴经济开发区 (泰兴经济技术开发区)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from domain.enterprise import Enterprise
from domain.ledger import Ledger
from domain.listing import Listing
from domain.loading.announcements import read_announcements
from domain.loading.importing import (
    IMPORTED_AS_ANNOUNCED,
    import_announcements,
    import_published_lists,
)
from domain.loading.published_lists import read_published_lists
from domain.values import Category, Level, ListingStatus, RemovalReason
from tests.builders import stored_event_count
from tests.paths import REPOSITORY

DATA = REPOSITORY / "data"
BATCH_3 = date(2018, 10, 29)
BATCH_4 = date(2019, 9, 2)
TAIXING = "江苏省泰兴经济开发区"
TAIXING_IN_THE_NOTICE = "泰兴经济技术开发区"
NOTICE_341 = "工信厅节函〔2018〕341号"


@pytest.fixture(scope="module")
def real() -> Iterator[Ledger]:
    """A ledger holding the shipped real data only: the lists, then the later announcements."""
    ledger = Ledger.open("memory://")
    import_published_lists(ledger, read_published_lists(DATA / "published-lists"))
    import_announcements(ledger, read_announcements(DATA / "announcements"))
    yield ledger
    ledger.close()


def national_parks(ledger: Ledger) -> list[Listing]:
    return [
        listing
        for year in (1, 2, 3)
        for listing_id in ledger.get_batch(Level.NATIONAL, year).nominations
        if (listing := ledger.get_listing(listing_id)).category is Category.GREEN_PARK
    ]


def taixing(ledger: Ledger) -> tuple[Enterprise, Listing]:
    enterprise = ledger.find_enterprise(region="320000", name=TAIXING)
    assert enterprise is not None
    (listing_id,) = enterprise.listing_ids
    return enterprise, ledger.get_listing(listing_id)


def test_taixing_is_removed_by_the_batch_3_notice_on_the_day_batch_3_is_listed(
    real: Ledger,
) -> None:
    _, listing = taixing(real)

    removed: Any = list(real.repository.event_store.get(listing.id))[-1]

    assert isinstance(removed, Listing.Removed)
    assert (listing.batch_year, listing.status) == (2, ListingStatus.REMOVED)
    assert removed.effective_on == BATCH_3
    assert tuple(removed.reasons) == (RemovalReason.INCIDENT,)
    assert removed.announcement is not None
    assert removed.announcement.doc_no == NOTICE_341
    assert removed.announcement.title == "工业和信息化部办公厅关于公布第三批绿色制造名单的通知"
    assert removed.actor == "importer"
    assert (removed.note or "").startswith(IMPORTED_AS_ANNOUNCED)
    assert removed.barred_until is None  # NEG-3 (a bar after removal) is not in the 2016 rules


def test_the_notice_s_name_for_taixing_is_recorded_as_its_alias(real: Ledger) -> None:
    enterprise, _ = taixing(real)

    by_alias = real.find_enterprise(region="320000", name=TAIXING_IN_THE_NOTICE)

    assert enterprise.aliases == (TAIXING_IN_THE_NOTICE,)
    assert by_alias is not None
    assert by_alias.id == enterprise.id
    assert enterprise.name == TAIXING


def test_the_batch_3_publication_and_taixing_s_removal_are_two_publications_of_batch_3(
    real: Ledger,
) -> None:
    _, listing = taixing(real)

    lists, removal = real.get_batch(Level.NATIONAL, 3).publications

    assert lists.published_on == removal.published_on == BATCH_3
    assert (removal.announcement.doc_no, removal.listed, removal.removed) == (
        NOTICE_341,
        (),
        (listing.id,),
    )


def test_79_national_parks_are_on_the_list_on_the_batch_3_day(real: Ledger) -> None:
    parks = national_parks(real)

    on_the_day = [park for park in parks if park.listed_on_day(BATCH_3)]

    assert len(parks) == 24 + 22 + 34
    assert len(on_the_day) == 24 + 22 + 34 - 1 == 79


def test_on_no_day_before_batch_4_are_80_national_parks_on_the_list(real: Ledger) -> None:
    parks = national_parks(real)
    days = (
        date(2017, 8, 23) + timedelta(days=n) for n in range((BATCH_4 - date(2017, 8, 23)).days)
    )

    most = max(sum(park.listed_on_day(day) for park in parks) for day in days)

    assert most == 79


def test_a_second_import_of_the_shipped_announcements_writes_nothing(real: Ledger) -> None:
    events = stored_event_count(real)

    again = import_announcements(real, read_announcements(DATA / "announcements"))

    assert (again.events_written, again.already_present, again.rejected) == (0, 1, ())
    assert stored_event_count(real) == events


def test_taixing_s_removal_and_its_eligibility_agree_there_is_no_bar(real: Ledger) -> None:
    enterprise, listing = taixing(real)

    for day in (BATCH_3, date(2021, 10, 28), date(2022, 9, 16), date(2023, 3, 1)):
        eligibility = real.eligibility(enterprise.id, day)
        barring = [f for f in eligibility.findings if f.applies]

        assert barring == [], day
    assert listing.barred_until is None
