"""The explanation of a removed unit and the eligibility of its enterprise agree on the bar
(NEG-3) on every day: the same function, under the rulebook in force that day."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from bench.generator import History
from domain.listing import Listing
from readside.decisions.explanations import get_explanation
from readside.engine import tables
from tests.integration.readside.conftest import ReadSide

SCALE = 300
DAY = timedelta(days=1)
#: Days the rulebook changes on: a removal made before NEG-3 came with 235号 bars from then on.
VERSION_DAYS = (date(2020, 3, 1), date(2022, 9, 16), date(2024, 1, 19), date(2025, 10, 1))


def days_to_ask(listing: Listing) -> set[date]:
    days = set(VERSION_DAYS)
    for removal in listing.removals:
        days |= {removal.removed_on - DAY, removal.removed_on}
        if removal.barred_until is not None:
            days |= {removal.barred_until, removal.barred_until + DAY}
    return days


def test_the_explanation_gives_the_bar_eligibility_finds_for_every_removed_unit(
    read_side: ReadSide,
) -> None:
    ledger = read_side.ledger
    with ledger.bulk():
        for command in History(scale=SCALE, seed=13):
            command.issue(ledger)
    read_side.catch_up()
    with read_side.views.reading() as connection:
        removed = connection.execute(
            sa.select(tables.listings.c.listing_id).where(tables.listings.c.status == "removed")
        ).scalars()
        removed_ids = sorted(removed, key=str)
    assert len(removed_ids) > 10
    barred_days = 0

    for listing_id in removed_ids:
        listing = ledger.get_listing(listing_id)
        for day in sorted(days_to_ask(listing)):
            eligibility = ledger.eligibility(listing.enterprise_id, day)
            neg_3 = [f for f in eligibility.findings if f.rule_id == "NEG-3" and f.applies]
            expected = neg_3[0].barred_until if neg_3 else None

            explained = get_explanation(read_side.views, listing_id, on=day)

            assert (explained.barred_on, explained.barred_until) == (day, expected), listing_id
            barred_days += expected is not None
        for removal in listing.removals:
            recorded = removal.barred_until
            on_removal = get_explanation(read_side.views, listing_id, on=removal.removed_on)
            assert on_removal.barred_until == recorded
    assert barred_days > 0
