"""The one lifecycle: a listing's status and flags as a pure function of its events (design.md).

The aggregate keeps the state this function computes, and the read model folds the same function;
the property tests of the read side compare the two. Here: the function on a listing's own stored
events gives the aggregate's state, and it refuses what is not a listing's history.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from domain.enterprise import Enterprise
from domain.ledger import Ledger
from domain.lifecycle import LifecycleState, advanced, state_of
from domain.values import ListingStatus
from tests.builders import by_ministry, by_province, energy, listed_factory


def events_of(ledger: Ledger, aggregate_id: UUID) -> list[Any]:
    return list(ledger.events.get(aggregate_id))


def comparable(state: LifecycleState) -> LifecycleState:
    """The state without whether its last event set the status (a fact about that event)."""
    return replace(state, sets_status=True)


def test_the_listings_events_fold_to_the_aggregates_state(memory_ledger: Ledger) -> None:
    unit = listed_factory(memory_ledger)
    memory_ledger.record_filing_overdue(
        unit.listing_id, report_year=2023, provenance=by_province(date(2024, 6, 1))
    )
    memory_ledger.remove_listing(
        unit.listing_id, reasons=["withdrawn"], provenance=by_ministry(date(2024, 7, 1))
    )
    memory_ledger.rescind_removal(
        unit.listing_id, reason="更正", provenance=by_ministry(date(2024, 7, 2))
    )

    folded = state_of(events_of(memory_ledger, unit.listing_id))

    assert folded == memory_ledger.get_listing(unit.listing_id).lifecycle
    assert folded.status is ListingStatus.LISTED
    assert folded.removed_on is None
    assert folded.filing_overdue is True


def test_a_filing_for_the_overdue_year_lifts_the_overdue_flag_but_sets_no_status(
    memory_ledger: Ledger,
) -> None:
    unit = listed_factory(memory_ledger)
    memory_ledger.record_filing_overdue(
        unit.listing_id, report_year=2023, provenance=by_province(date(2024, 6, 1))
    )
    before = state_of(events_of(memory_ledger, unit.listing_id))
    memory_ledger.submit_filing(
        unit.listing_id,
        report_year=2023,
        indicators=energy(),
        provenance=by_province(date(2024, 6, 2)),
    )

    after = advanced(before, events_of(memory_ledger, unit.listing_id)[-1])

    assert (before.filing_overdue, after.filing_overdue) == (True, False)
    assert after.last_filing_year == 2023
    assert after.sets_status is False
    assert comparable(after) == comparable(memory_ledger.get_listing(unit.listing_id).lifecycle)


def test_a_history_that_does_not_begin_with_a_nomination_is_refused(
    memory_ledger: Ledger,
) -> None:
    unit = listed_factory(memory_ledger)
    events = events_of(memory_ledger, unit.listing_id)

    with pytest.raises(ValueError, match="begin with its nomination"):
        state_of(events[1:])
    with pytest.raises(ValueError, match="at least its nomination"):
        state_of([])


def test_an_event_of_another_aggregate_is_not_part_of_a_listings_lifecycle(
    memory_ledger: Ledger,
) -> None:
    unit = listed_factory(memory_ledger)
    state = state_of(events_of(memory_ledger, unit.listing_id))
    registered = events_of(memory_ledger, unit.enterprise_id)[0]
    assert isinstance(registered, Enterprise.Registered)

    with pytest.raises(TypeError, match=r"Enterprise\.Registered"):
        advanced(state, registered)
