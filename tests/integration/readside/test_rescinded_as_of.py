"""A removal later rescinded, explained on a day between the two: as now known the unit stayed
listed (the rescission voids the removal from its day); as known before the rescission, it was
removed (ADR 0120)."""

from __future__ import annotations

from datetime import date

from readside.decisions.explanations import get_explanation
from readside.listings.queries import get_listing
from readside.timeline.queries import list_listing_history
from tests.integration.readside.conftest import ReadSide
from tests.integration.readside.test_statistics import three_factories_and_a_supply_chain

BETWEEN = date(2024, 3, 5)


def test_a_rescinded_removal_explained_between_its_day_and_the_rescissions_as_now_known(
    read_side: ReadSide,
) -> None:
    rescinded = three_factories_and_a_supply_chain(read_side)[2]

    why = get_explanation(read_side.views, rescinded, as_of=BETWEEN)

    assert why.status == get_listing(read_side.views, rescinded, as_of=BETWEEN).status
    assert (why.status, why.on_list) == ("listed", True)
    assert why.deciding is not None
    assert why.deciding.kind == "rescission"
    (ground,) = [g for g in why.grounds if g.code == "removal_rescinded"]
    assert "2024-03-10" in ground.text_zh


def test_a_rescinded_removal_explained_as_known_before_the_rescission_is_a_removal(
    read_side: ReadSide,
) -> None:
    rescinded = three_factories_and_a_supply_chain(read_side)[2]
    entries = list_listing_history(read_side.views, rescinded).entries
    removed_at = next(e.recorded_at for e in entries if e.event == "Listing.Removed")

    why = get_explanation(read_side.views, rescinded, as_of=BETWEEN, known_at=removed_at)
    state = get_listing(read_side.views, rescinded, as_of=BETWEEN, known_at=removed_at)
    history = list_listing_history(read_side.views, rescinded, as_of=BETWEEN, known_at=removed_at)

    assert (why.status, state.status) == ("removed", "removed")
    assert why.deciding is not None
    assert why.deciding.kind == "removal"
    assert why.deciding.rescinded_by is None
    assert [e.event for e in history.entries][-1] == "Listing.Removed"
