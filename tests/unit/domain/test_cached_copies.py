"""The ledger keeps recent aggregates in a cache and hands out copies: a command that changes its
copy and then fails leaves nothing behind for the next command."""

from __future__ import annotations

from datetime import date

from domain.ledger import Ledger
from domain.values import Category, IncidentKind, IncidentSource, Level
from tests.builders import by_ministry, by_province, energy, listed_factory, open_batch, register


def test_a_batch_changed_but_not_saved_does_not_change_the_next_copy(ledger: Ledger) -> None:
    open_batch(ledger)
    enterprise_id = register(ledger)
    first = ledger.get_batch(Level.NATIONAL, 2022)

    first.receive_nomination(
        listing_id=enterprise_id,
        region_code="320000",
        category=Category.GREEN_PARK,
        provenance=by_province(date(2022, 10, 1)),
    )
    second = ledger.get_batch(Level.NATIONAL, 2022)

    assert enterprise_id in first.nominations
    assert second.nominations == {}
    assert second.version == first.version - 1


def test_a_listing_changed_but_not_saved_does_not_change_the_next_copy(ledger: Ledger) -> None:
    unit = listed_factory(ledger)
    first = ledger.get_listing(unit.listing_id)

    first.submit_filing(
        report_year=2023, indicators=energy(), provenance=by_province(date(2024, 4, 1))
    )
    first.order_assessment(reason="抽查", provenance=by_province(date(2024, 5, 1)))
    second = ledger.get_listing(unit.listing_id)

    assert 2023 in first.filings
    assert first.assessments
    assert second.filings == {}
    assert second.assessments == {}
    assert second.pending_events == []


def test_an_enterprise_changed_but_not_saved_does_not_change_the_next_copy(
    ledger: Ledger,
) -> None:
    enterprise_id = register(ledger)
    first = ledger.get_enterprise(enterprise_id)

    first.record_incident(
        kind=IncidentKind.QUALITY,
        grade=None,
        occurred_on=date(2024, 1, 1),
        source=IncidentSource.GSXT,
        reference=None,
        provenance=by_ministry(date(2024, 1, 2)),
    )

    assert first.incidents
    assert ledger.get_enterprise(enterprise_id).incidents == {}
