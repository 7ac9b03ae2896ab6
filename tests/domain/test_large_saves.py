"""A yearly batch published in one atomic save: thousands of events in one transaction."""

from __future__ import annotations

from datetime import date

from domain.ledger import Ledger
from domain.persistence.recorders import LedgerPostgresApplicationRecorder
from domain.values import ListingStatus
from tests.builders import ANNOUNCEMENT, by_ministry, by_province, open_batch, stored_event_count


def test_a_publication_of_three_thousand_listings_is_saved_at_once(postgres_url: str) -> None:
    ledger = Ledger.open(postgres_url)
    assert isinstance(ledger.recorder, LedgerPostgresApplicationRecorder)
    open_batch(ledger)
    listings = []
    with ledger.bulk(commands_per_save=1000):
        for number in range(3000):
            registered = ledger.register_enterprise(
                name=f"企业{number}有限公司",
                region="320000",
                provenance=by_province(date(2022, 9, 20)),
            )
            assert registered.id is not None
            nominated = ledger.nominate_listing(
                enterprise_id=registered.id,
                category="green_supply_chain",
                level="national",
                batch_year=2022,
                provenance=by_province(date(2022, 10, 20)),
            )
            assert nominated.id is not None
            listings.append(nominated.id)
    before = stored_event_count(ledger)

    receipt = ledger.publish_batch(
        level="national",
        batch_year=2022,
        announcement=ANNOUNCEMENT,
        listed=listings,
        provenance=by_ministry(date(2023, 3, 23)),
    )

    assert receipt.position == ledger.position
    assert stored_event_count(ledger) == before + 3001
    assert ledger.get_listing(listings[-1]).status is ListingStatus.LISTED
    ledger.close()
