"""Credit-record incidents and their consequence (DYN-3 / DYN-4), saved in one atomic act."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

import pytest
from eventsourcing.domain import Aggregate

from domain.errors import ConcurrentWriteError
from domain.ledger import Ledger
from domain.values import ListingStatus, Product
from tests.builders import (
    by_ministry,
    by_province,
    energy,
    nominate,
    open_batch,
    publish,
    register,
    stored_event_count,
)


class InterruptedLedger(Ledger):
    """The ledger, letting a rival command through between loading and saving, once."""

    rival: Callable[[], object] | None = None

    def _save(self, *aggregates: Aggregate) -> int | None:
        rival, self.rival = self.rival, None
        if rival is not None:
            rival()
        return super()._save(*aggregates)


def enterprise_with_three_listings(ledger: Ledger) -> tuple[UUID, list[UUID]]:
    enterprise_id = register(ledger, "江苏某某化工有限公司")
    open_batch(ledger)
    factory = nominate(ledger, enterprise_id, "green_factory")
    chain = nominate(ledger, enterprise_id, "green_supply_chain")
    product = ledger.nominate_listing(
        enterprise_id=enterprise_id,
        category="green_design_product",
        level="national",
        batch_year=2022,
        product=Product("水性涂料", "WT-1", "T/CAGP 0001-2016"),
        provenance=by_province(date(2022, 10, 20)),
    ).id
    assert product is not None
    listings = [factory, chain, product]
    publish(ledger, listings)
    return enterprise_id, listings


def grave_accident(ledger: Ledger, enterprise_id: UUID, day: date = date(2024, 6, 3)) -> UUID:
    receipt = ledger.record_incident(
        enterprise_id,
        kind="safety",
        grade="grave",
        occurred_on=date(2024, 6, 1),
        source="credit_china",
        provenance=by_ministry(day),
    )
    assert receipt.id is not None
    return receipt.id


def test_a_grave_accident_removes_every_active_listing_at_once(ledger: Ledger) -> None:
    enterprise_id, listings = enterprise_with_three_listings(ledger)
    before = stored_event_count(ledger)

    incident_id = grave_accident(ledger, enterprise_id)

    assert stored_event_count(ledger) == before + 4  # the incident and three removals
    for listing_id in listings:
        listing = ledger.get_listing(listing_id)
        assert listing.status is ListingStatus.REMOVED
        assert listing.removed_on == date(2024, 6, 3)
        finding = listing.removals[-1]
        assert finding.barred_until == date(2027, 6, 2)
    incident = ledger.get_enterprise(enterprise_id).incidents[incident_id]
    assert incident.occurred_on == date(2024, 6, 1)


def test_a_lesser_incident_flags_the_active_listings_for_a_decision(ledger: Ledger) -> None:
    enterprise_id, listings = enterprise_with_three_listings(ledger)

    ledger.record_incident(
        enterprise_id,
        kind="environment",
        grade="serious",
        occurred_on=date(2024, 6, 1),
        source="province_report",
        provenance=by_ministry(date(2024, 6, 3)),
    )

    assert {ledger.get_listing(i).status for i in listings} == {ListingStatus.FLAGGED}


def test_a_grave_accident_that_fails_part_way_stores_none_of_its_events(
    database_url: str,
) -> None:
    ledger = InterruptedLedger.open(database_url)
    enterprise_id, listings = enterprise_with_three_listings(ledger)
    # Between loading the three listings and saving, a province files for the last one: the
    # save then conflicts on that listing after the enterprise's and two listings' events.
    ledger.rival = lambda: ledger.submit_filing(
        listings[-1],
        report_year=2023,
        indicators=energy(),
        provenance=by_province(date(2024, 4, 1)),
    )
    before = stored_event_count(ledger)

    with pytest.raises(ConcurrentWriteError):
        grave_accident(ledger, enterprise_id)

    assert stored_event_count(ledger) == before + 1  # only the rival's filing
    assert ledger.get_enterprise(enterprise_id).incidents == {}
    assert {ledger.get_listing(i).status for i in listings} == {ListingStatus.LISTED}
    ledger.close()


def test_a_retracted_incident_is_kept_and_marked(ledger: Ledger) -> None:
    enterprise_id = register(ledger)
    recorded = ledger.record_incident(
        enterprise_id,
        kind="tax_evasion",
        occurred_on=date(2023, 2, 1),
        source="gsxt",
        provenance=by_ministry(date(2023, 2, 10)),
    )
    assert recorded.id is not None

    ledger.retract_incident(
        enterprise_id, recorded.id, reason="系统误录", provenance=by_ministry(date(2023, 3, 1))
    )

    incident = ledger.get_enterprise(enterprise_id).incidents[recorded.id]
    assert not incident.standing
    assert incident.retracted_on == date(2023, 3, 1)
