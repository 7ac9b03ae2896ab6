"""The negative list (NEG-1…6) as pure functions: applies, does not apply, and its boundaries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.rules import rulebook_for, rulebook_named
from domain.rules.negative_list import (
    NEGATIVE_LIST,
    accident_or_violation,
    eligibility,
    negative_list_findings,
    rectification_outstanding,
    removed_from_list,
)
from domain.values import EventRef
from tests.builders import by_ministry, by_province
from tests.domain.rule_facts import enterprise, incident, listed, remove

DAY = timedelta(days=1)
RULEBOOK_2022 = rulebook_named("2022")


def test_an_accident_bars_on_the_last_day_of_three_years_and_not_the_day_after() -> None:
    applicant = enterprise()
    incident(applicant, "safety", date(2023, 1, 10), grade="serious")
    last_day = date(2026, 1, 9)

    on_last_day = accident_or_violation(rulebook_for(last_day), applicant, (), last_day)
    day_after = accident_or_violation(rulebook_for(last_day), applicant, (), last_day + DAY)

    assert on_last_day.applies
    assert on_last_day.barred_until == last_day
    assert on_last_day.because == (EventRef(applicant.id, 2),)
    assert "2026-01-09前不得推荐" in on_last_day.detail
    assert not day_after.applies
    assert day_after.barred_until is None
    assert "2026-01-09" in day_after.detail


def test_an_enterprise_with_a_clean_record_is_not_barred() -> None:
    findings = negative_list_findings(RULEBOOK_2022, enterprise(), (), date(2023, 10, 20))

    assert [f.rule_id for f in findings] == ["NEG-1", "NEG-2", "NEG-3", "NEG-4", "NEG-5", "NEG-6"]
    assert not any(f.applies for f in findings)
    assert all(f.because == () for f in findings)


@pytest.mark.parametrize(
    ("kind", "rule_id"),
    [
        ("not_operating", "NEG-1"),
        ("safety", "NEG-2"),
        ("data_security", "NEG-2"),
        ("environment", "NEG-2"),
        ("tax_evasion", "NEG-2"),
        ("inspection_problem", "NEG-4"),
        ("energy_rectification_overdue", "NEG-5"),
        ("dishonest_debtor", "NEG-6"),
    ],
)
def test_each_kind_of_incident_bars_under_its_own_rule_only(kind: str, rule_id: str) -> None:
    applicant = enterprise()
    incident(applicant, kind, date(2023, 2, 1))

    findings = negative_list_findings(RULEBOOK_2022, applicant, (), date(2023, 10, 20))

    assert [f.rule_id for f in findings if f.applies] == [rule_id]


@pytest.mark.parametrize(
    ("kind", "rule_id"),
    [("tax_evasion", "NEG-2"), ("inspection_problem", "NEG-4")],
)
def test_each_event_bar_ends_on_the_last_day_of_three_years(kind: str, rule_id: str) -> None:
    applicant = enterprise()
    incident(applicant, kind, date(2022, 12, 1))
    check = dict(NEGATIVE_LIST)[rule_id]

    on_last_day = check(RULEBOOK_2022, applicant, (), date(2025, 11, 30))
    day_after = check(RULEBOOK_2022, applicant, (), date(2025, 12, 1))

    assert on_last_day.applies
    assert on_last_day.barred_until == date(2025, 11, 30)
    assert not day_after.applies


def test_an_incident_after_the_day_asked_about_does_not_bar_on_that_day() -> None:
    applicant = enterprise()
    incident(applicant, "quality", date(2023, 6, 1))

    before = accident_or_violation(RULEBOOK_2022, applicant, (), date(2023, 5, 31))

    assert not before.applies


def test_a_retracted_incident_no_longer_bars() -> None:
    applicant = enterprise()
    incident_id = incident(applicant, "environment", date(2023, 2, 1), grade="minor")
    applicant.retract_incident(
        incident_id=incident_id, reason="信用中国记录有误", provenance=by_ministry(date(2023, 3, 1))
    )

    finding = accident_or_violation(RULEBOOK_2022, applicant, (), date(2023, 10, 20))

    assert not finding.applies


def test_the_energy_rectification_bar_does_not_lapse_with_time() -> None:
    applicant = enterprise()
    incident(applicant, "energy_rectification_overdue", date(2019, 5, 1))

    years_later = rectification_outstanding(RULEBOOK_2022, applicant, (), date(2025, 5, 1))

    assert years_later.applies
    assert years_later.barred_until is None
    assert years_later.because == (EventRef(applicant.id, 2),)


def test_the_energy_rectification_bar_runs_three_years_past_the_rectification() -> None:
    applicant = enterprise()
    incident_id = incident(applicant, "energy_rectification_overdue", date(2019, 5, 1))
    applicant.complete_rectification(
        incident_id=incident_id, provenance=by_province(date(2023, 8, 1))
    )

    on_last_day = rectification_outstanding(RULEBOOK_2022, applicant, (), date(2026, 7, 31))
    day_after = rectification_outstanding(RULEBOOK_2022, applicant, (), date(2026, 8, 1))

    assert on_last_day.applies
    assert on_last_day.barred_until == date(2026, 7, 31)
    assert "2023-08-01" in on_last_day.detail
    assert not day_after.applies


def test_a_removed_unit_is_barred_through_its_bar_and_free_the_day_after() -> None:
    applicant = enterprise()
    listing = listed(applicant)
    remove(listing, date(2023, 5, 3), barred_until=date(2026, 5, 2))

    on_last_day = removed_from_list(RULEBOOK_2022, applicant, (listing,), date(2026, 5, 2))
    day_after = removed_from_list(RULEBOOK_2022, applicant, (listing,), date(2026, 5, 3))

    assert on_last_day.applies
    assert on_last_day.barred_until == date(2026, 5, 2)
    assert on_last_day.because == (EventRef(listing.id, listing.version),)
    assert not day_after.applies


def test_a_rescinded_removal_does_not_bar() -> None:
    applicant = enterprise()
    listing = listed(applicant)
    remove(listing, date(2023, 5, 3), barred_until=date(2026, 5, 2))
    listing.rescind_removal(reason="移出决定有误", provenance=by_ministry(date(2023, 6, 1)))

    finding = removed_from_list(RULEBOOK_2022, applicant, (listing,), date(2023, 10, 20))

    assert not finding.applies


def test_a_withdrawal_without_a_bar_does_not_bar() -> None:
    applicant = enterprise()
    listing = listed(applicant)
    remove(listing, date(2023, 5, 3), barred_until=None, reason="withdrawn")

    finding = removed_from_list(RULEBOOK_2022, applicant, (listing,), date(2023, 10, 20))

    assert not finding.applies


def test_before_the_2022_notice_no_negative_list_is_in_force() -> None:
    applicant = enterprise()
    incident(applicant, "safety", date(2019, 2, 1), grade="grave")
    day = date(2019, 10, 1)

    assert negative_list_findings(rulebook_for(day), applicant, (), day) == ()


def test_eligibility_collects_every_bar_with_its_events() -> None:
    applicant = enterprise()
    incident(applicant, "tax_evasion", date(2023, 1, 5))
    incident(applicant, "dishonest_debtor", date(2023, 2, 5))

    result = eligibility(RULEBOOK_2022, applicant, (), date(2023, 10, 20))

    assert not result.eligible
    assert [f.rule_id for f in result.bars] == ["NEG-2", "NEG-6"]
    assert [f.because for f in result.bars] == [
        (EventRef(applicant.id, 2),),
        (EventRef(applicant.id, 3),),
    ]
    assert len(result.findings) == len(NEGATIVE_LIST)
