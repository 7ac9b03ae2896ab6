"""Closing a filing year (DYN-1): every unit listed on the deadline without a filing is overdue."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from domain.errors import RuleRefusalError
from domain.ledger import Ledger
from domain.values import EventRef
from tests.builders import by_ministry, by_province, open_batch, publish, stored_event_count
from tests.domain.rule_ledger import enterprise, findings_of, last_event, nominate


def _listed(ledger: Ledger, *names: str) -> list[UUID]:
    open_batch(ledger)
    ids = [nominate(ledger, enterprise(ledger, name)) for name in names]
    publish(ledger, ids)
    return ids


def _file(ledger: Ledger, listing_id: UUID, on: date) -> None:
    ledger.submit_filing(listing_id, report_year=2023, indicators={}, provenance=by_province(on))


def test_closing_a_year_records_overdue_every_unit_without_a_filing_in_time(
    ledger: Ledger,
) -> None:
    in_time, late, silent = _listed(ledger, "按期公司", "逾期公司", "未报公司")
    open_batch(ledger, 2023, date(2023, 9, 16))
    never_listed = nominate(
        ledger, enterprise(ledger, "未入选公司"), year=2023, day=date(2023, 10, 1)
    )
    _file(ledger, in_time, date(2024, 4, 15))
    _file(ledger, late, date(2024, 4, 20))
    progress: list[tuple[int, int]] = []

    receipt = ledger.close_filing_year(
        2023,
        by_ministry(date(2024, 5, 6)),
        progress=lambda done, total: progress.append((done, total)),
        chunk_size=2,
    )

    assert set(receipt.ids) == {late, silent}
    assert receipt.written
    assert progress == [(2, 4), (4, 4)]
    for listing_id in (late, silent):
        overdue = last_event(ledger, listing_id)
        assert overdue.__class__.__name__ == "FilingOverdue"
        assert overdue.deadline == date(2024, 4, 15)
        assert overdue.rulebook == "2024"
        dyn1 = findings_of(overdue)["DYN-1"]
        assert dyn1.applies
        assert dyn1.because == (EventRef(listing_id, 2),)
        assert ledger.get_listing(listing_id).overdue_years == {2023: overdue.originator_version}
    assert ledger.get_listing(in_time).overdue_years == {}
    assert ledger.get_listing(never_listed).overdue_years == {}


def test_closing_a_year_twice_writes_nothing_the_second_time(ledger: Ledger) -> None:
    _listed(ledger, "未报公司甲", "未报公司乙")
    first = ledger.close_filing_year(2023, by_ministry(date(2024, 5, 6)))
    events = stored_event_count(ledger)

    again = ledger.close_filing_year(2023, by_ministry(date(2024, 5, 7)))

    assert len(first.ids) == 2
    assert again.ids == ()
    assert again.position is None
    assert stored_event_count(ledger) == events


def test_closing_a_year_before_its_deadline_has_passed_is_refused(ledger: Ledger) -> None:
    _listed(ledger, "未报公司")
    events = stored_event_count(ledger)

    with pytest.raises(RuleRefusalError) as refused:
        ledger.close_filing_year(2023, by_ministry(date(2024, 4, 15)))

    assert refused.value.rule_id == "DYN-1"
    assert "2024-04-15" in refused.value.message
    assert stored_event_count(ledger) == events


def test_closing_a_year_before_the_2022_notice_is_refused(ledger: Ledger) -> None:
    with pytest.raises(RuleRefusalError) as refused:
        ledger.close_filing_year(2020, by_ministry(date(2022, 1, 15)))

    assert refused.value.rule_id == "DYN-1"
    assert refused.value.rulebook == "2020"
    assert stored_event_count(ledger) == 0
