"""The demo ledger: the real lists, and a synthetic history, lawful, marked and repeatable."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from domain.ledger import Ledger
from domain.listing import Listing
from domain.loading.demo import ANNUAL_LISTS, SYNTHETIC, TAIXING, DemoReport, load_demo
from domain.replay import replay
from domain.values import Category, Level, ListingStatus, RemovalReason

IMPORTED_BATCHES = (1, 2, 3, 4, 5, 2021)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Ledger, DemoReport]]:
    path: Path = tmp_path_factory.mktemp("demo") / "ledger.db"
    ledger = Ledger.open(f"sqlite:///{path}")
    report = load_demo(ledger)
    yield ledger, report
    ledger.close()


def stored(ledger: Ledger) -> list[tuple[str, int, str, object]]:
    """Every stored event's aggregate, version, type and effective date, in order."""
    events = []
    position = 0
    while page := ledger.recorder.select_notifications(
        start=position, limit=1000, inclusive_of_start=False
    ):
        for notification in page:
            event = ledger.mapper.to_domain_event(notification)
            events.append(
                (
                    str(notification.originator_id),
                    notification.originator_version,
                    notification.topic,
                    getattr(event, "effective_on", None),
                )
            )
        position = page[-1].id
    return events


def imported_listings(ledger: Ledger) -> list[Listing]:
    return [
        ledger.get_listing(listing_id)
        for year in IMPORTED_BATCHES
        for listing_id in ledger.get_batch(Level.NATIONAL, year).nominations
    ]


def removed_listings(ledger: Ledger) -> list[Listing]:
    return [x for x in imported_listings(ledger) if x.status is ListingStatus.REMOVED]


def test_the_demo_is_the_same_history_every_time(demo: tuple[Ledger, DemoReport]) -> None:
    ledger, _ = demo
    again = Ledger.open("memory://")

    load_demo(again)

    assert stored(again) == stored(ledger)
    again.close()


def test_every_decision_of_the_demo_replays_without_a_mismatch(
    demo: tuple[Ledger, DemoReport],
) -> None:
    ledger, report = demo

    outcome = replay(ledger)

    assert outcome.mismatches == ()
    assert outcome.decisions_checked > report.reviews


def test_the_batch_2_park_of_taixing_was_removed_in_november_2018(
    demo: tuple[Ledger, DemoReport],
) -> None:
    ledger, _ = demo
    enterprise = ledger.find_enterprise(region="320000", name=TAIXING)
    assert enterprise is not None

    (listing_id,) = enterprise.listing_ids
    listing = ledger.get_listing(listing_id)

    assert listing.category is Category.GREEN_PARK
    assert listing.batch_year == 2
    assert listing.status is ListingStatus.REMOVED
    assert listing.removed_on == date(2018, 11, 1)
    assert listing.removals[-1].reasons == (RemovalReason.INCIDENT,)
    removals: list[Any] = [
        e for e in ledger.repository.event_store.get(listing_id) if type(e).__name__ == "Removed"
    ]
    (removed,) = removals
    assert removed.announcement.doc_no == "工信厅节函〔2018〕341号"
    assert SYNTHETIC not in removed.basis


def test_every_synthetic_fact_says_so_in_its_basis(demo: tuple[Ledger, DemoReport]) -> None:
    ledger, _ = demo
    unmarked: Counter[str] = Counter()
    position = 0
    while page := ledger.recorder.select_notifications(
        start=position, limit=1000, inclusive_of_start=False
    ):
        for notification in page:
            event: Any = ledger.mapper.to_domain_event(notification)
            real = event.actor == "importer" or "341号" in (event.note or "")
            if not real and SYNTHETIC not in tuple(event.basis):
                unmarked[notification.topic] += 1
        position = page[-1].id

    assert unmarked == Counter()


def test_factories_are_removed_at_about_the_published_yearly_rates(
    demo: tuple[Ledger, DemoReport],
) -> None:
    ledger, report = demo
    factories = [x for x in imported_listings(ledger) if x.category is Category.GREEN_FACTORY]
    removed_on = Counter(x.removed_on for x in factories if x.status is ListingStatus.REMOVED)

    for annual_list in ANNUAL_LISTS:
        expected = annual_list.removal_rates[Category.GREEN_FACTORY] * len(factories)
        assert 0.7 * expected <= removed_on[annual_list.day] <= 1.3 * expected + 3
    assert report.removals[RemovalReason.INDICATORS.value] > 0
    assert report.removals[RemovalReason.REFUSED_FILING.value] > 0
    assert report.flagged > 0.02 * report.reviews


def test_a_grave_accident_removed_a_factory_at_once(demo: tuple[Ledger, DemoReport]) -> None:
    ledger, _ = demo

    graves = [
        listing
        for listing in removed_listings(ledger)
        if listing.removals[-1].reasons == (RemovalReason.INCIDENT,)
        and listing.removed_on is not None
        and listing.removed_on > date(2025, 1, 22)
    ]

    assert graves
    assert all(listing.barred_until is not None for listing in graves)
