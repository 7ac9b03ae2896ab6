"""One listing as of a date: its state, its flags and its latest filing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from domain.errors import ListingNotFoundError
from readside.queries import get_listing
from tests.builders import by_ministry, by_province, listed_factory
from tests.projections.conftest import ReadSide
from tests.projections.scenarios import file_and_review


def test_a_listing_shows_its_latest_filing_and_its_review_once_both_are_effective(
    read_side: ReadSide,
) -> None:
    unit = listed_factory(read_side.ledger)
    file_and_review(read_side.ledger, unit, 2023)  # filed 2024-03-01, reviewed 2024-04-01
    read_side.catch_up()

    filed_not_yet_reviewed = get_listing(read_side.views, unit.listing_id, as_of=date(2024, 3, 15))
    reviewed = get_listing(read_side.views, unit.listing_id, as_of=date(2024, 4, 1))
    before_filing = get_listing(read_side.views, unit.listing_id, as_of=date(2024, 2, 1))

    assert before_filing.latest_filing is None
    filing = filed_not_yet_reviewed.latest_filing
    assert filing is not None
    assert (filing.report_year, filing.submitted_on, filing.outcome) == (
        2023,
        date(2024, 3, 1),
        None,
    )
    assert filing.indicators == {"energy_per_unit_product": {"value": "512.3", "unit": "kgce/t"}}
    assert reviewed.latest_filing is not None
    assert reviewed.latest_filing.outcome == "compliant"
    assert reviewed.latest_filing.reviewed_on == date(2024, 4, 1)


def test_a_listing_carries_its_flags_as_of_each_date(read_side: ReadSide) -> None:
    ledger = read_side.ledger
    unit = listed_factory(ledger)
    ledger.record_filing_overdue(
        unit.listing_id, report_year=2023, provenance=by_province(date(2024, 5, 1))
    )
    assessment = ledger.order_assessment(
        unit.listing_id, reason="逾期未报", provenance=by_province(date(2024, 5, 10))
    )
    assert assessment.id is not None
    ledger.conclude_assessment(
        unit.listing_id,
        assessment.id,
        outcome="rectification_required",
        provenance=by_province(date(2024, 6, 1)),
    )
    ledger.rename_enterprise(
        unit.enterprise_id, name="江苏绿源特钢有限公司", provenance=by_province(date(2024, 7, 1))
    )
    ledger.remove_listing(
        unit.listing_id, reasons=["refused_filing"], provenance=by_ministry(date(2024, 8, 1))
    )
    read_side.catch_up()

    def state_on(day: date) -> tuple[object, ...]:
        state = get_listing(read_side.views, unit.listing_id, as_of=day)
        flags = state.flags
        return (
            state.status,
            state.name,
            flags.filing_overdue,
            flags.rectification_pending,
            flags.renamed,
            flags.barred_until,
        )

    assert state_on(date(2024, 4, 30)) == (
        "listed",
        "江苏绿源钢铁有限公司",
        False,
        False,
        False,
        None,
    )
    assert state_on(date(2024, 5, 1)) == (
        "listed",
        "江苏绿源钢铁有限公司",
        True,
        False,
        False,
        None,
    )
    assert state_on(date(2024, 5, 10))[0] == "under_assessment"
    assert state_on(date(2024, 6, 1)) == (
        "flagged",
        "江苏绿源钢铁有限公司",
        True,
        True,
        False,
        None,
    )
    assert state_on(date(2024, 7, 1)) == ("flagged", "江苏绿源特钢有限公司", True, True, True, None)
    assert state_on(date(2024, 8, 1)) == (
        "removed",
        "江苏绿源特钢有限公司",
        True,
        True,
        True,
        date(2027, 7, 31),
    )


def test_a_listing_as_known_before_its_removal_was_recorded_is_still_listed(
    read_side: ReadSide,
) -> None:
    unit = listed_factory(read_side.ledger)
    read_side.catch_up()
    before = datetime.now(UTC)
    read_side.ledger.remove_listing(
        unit.listing_id, reasons=["falsified_data"], provenance=by_ministry(date(2023, 9, 1))
    )
    read_side.catch_up()

    then = get_listing(read_side.views, unit.listing_id, as_of=date(2023, 10, 1), known_at=before)
    now = get_listing(read_side.views, unit.listing_id, as_of=date(2023, 10, 1))

    assert (then.status, then.removed_on, then.since) == ("listed", None, date(2023, 3, 23))
    assert (now.status, now.removed_on, now.since) == (
        "removed",
        date(2023, 9, 1),
        date(2023, 9, 1),
    )


def test_an_unknown_listing_or_one_not_yet_nominated_is_not_found(read_side: ReadSide) -> None:
    unit = listed_factory(read_side.ledger)
    read_side.catch_up()

    with pytest.raises(ListingNotFoundError):
        get_listing(read_side.views, uuid4())
    with pytest.raises(ListingNotFoundError):
        get_listing(read_side.views, unit.listing_id, as_of=date(2022, 1, 1))
