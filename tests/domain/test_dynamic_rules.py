"""Dynamic management (DYN-1…5) as pure functions, and an incident's consequence per rulebook."""

from __future__ import annotations

from datetime import date, timedelta

from domain.rules import rulebook_for, rulebook_named
from domain.rules.dynamic import (
    change_not_compliant,
    filing_overdue,
    filings_refused,
    incident_consequence,
    indicator_removal,
    overdue_filings,
)
from domain.values import EventRef
from tests.builders import by_province
from tests.domain.rule_facts import (
    assess,
    enterprise,
    file_table,
    incident,
    listed,
    propose,
)

RULEBOOK_2024 = rulebook_named("2024")
DAY = timedelta(days=1)
DEADLINE_2023 = date(2024, 4, 15)


def test_the_2023_table_is_due_on_15_april_2024_and_the_2021_tables_on_30_november_2022() -> None:
    assert RULEBOOK_2024.filing_deadline(2023) == DEADLINE_2023
    assert RULEBOOK_2024.filing_deadline(2021) == date(2022, 11, 30)
    assert rulebook_named("2022").filing_deadline(2021) == date(2022, 11, 30)


def test_a_unit_without_a_filing_is_not_overdue_on_the_deadline_and_overdue_the_day_after() -> None:
    listing = listed(enterprise())

    on_deadline = filing_overdue(RULEBOOK_2024, listing, 2023, DEADLINE_2023)
    day_after = filing_overdue(RULEBOOK_2024, listing, 2023, DEADLINE_2023 + DAY)

    assert not on_deadline.applies
    assert day_after.applies
    assert day_after.because == (EventRef(listing.id, listing.listed_version or 0),)
    assert "2024-04-15" in day_after.detail


def test_a_filing_submitted_on_the_deadline_is_in_time() -> None:
    listing = listed(enterprise())
    file_table(listing, 2023, DEADLINE_2023)

    finding = filing_overdue(RULEBOOK_2024, listing, 2023, date(2024, 5, 1))

    assert not finding.applies
    assert finding.because == (EventRef(listing.id, listing.version),)


def test_a_filing_submitted_after_the_deadline_leaves_the_year_overdue() -> None:
    listing = listed(enterprise())
    file_table(listing, 2023, DEADLINE_2023 + DAY)

    finding = filing_overdue(RULEBOOK_2024, listing, 2023, date(2024, 5, 1))

    assert finding.applies
    assert "2024-04-16" in finding.detail


def test_a_unit_listed_after_the_deadline_owes_no_table_for_that_year() -> None:
    listing = listed(enterprise(), on=date(2024, 5, 1), batch_year=2023)

    assert not filing_overdue(RULEBOOK_2024, listing, 2023, date(2024, 6, 1)).applies


def test_the_overdue_selection_skips_units_already_recorded_or_off_the_list() -> None:
    owing = listed(enterprise("甲公司"))
    recorded = listed(enterprise("乙公司"))
    recorded.record_overdue(
        report_year=2023,
        deadline=DEADLINE_2023,
        rulebook="2024",
        rule_findings=(),
        provenance=by_province(date(2024, 5, 1)),
    )

    found = overdue_filings(RULEBOOK_2024, [owing, recorded], 2023, date(2024, 5, 2))

    assert [item.listing.id for item in found] == [owing.id]
    assert found[0].finding.applies


def test_a_removal_for_indicators_needs_a_failed_assessment_and_then_a_proposal() -> None:
    listing = listed(enterprise())
    rulebook = rulebook_named("2022")
    nothing = indicator_removal(rulebook, listing)
    assess(listing, date(2023, 6, 1), "does_not_meet")
    assessed_only = indicator_removal(rulebook, listing)
    propose(listing, date(2023, 7, 1))

    supported = indicator_removal(rulebook, listing)

    assert not nothing.applies
    assert not assessed_only.applies
    assert supported.applies
    assert supported.because == (EventRef(listing.id, 4), EventRef(listing.id, 5))


def test_an_assessment_that_meets_does_not_support_a_removal_for_indicators() -> None:
    listing = listed(enterprise())
    assess(listing, date(2023, 6, 1), "meets")
    propose(listing, date(2023, 7, 1))

    assert not indicator_removal(rulebook_named("2022"), listing).applies


def test_under_the_2022_rulebook_a_major_accident_is_a_ground_the_ministry_decides_on() -> None:
    applicant = enterprise()
    incident_id = incident(applicant, "safety", date(2023, 5, 1), grade="major")

    consequence = incident_consequence(rulebook_for(date(2023, 5, 3)), applicant, incident_id)

    assert consequence.flags
    assert not consequence.removes  # 235号 has no immediate removal: the ministry removes
    assert [(f.rule_id, f.applies) for f in consequence.findings] == [("DYN-3", True)]
    assert consequence.findings[0].because == (EventRef(applicant.id, 2),)


def test_under_the_2024_rulebook_a_major_accident_removes_at_once_citing_dyn_3_and_dyn_4() -> None:
    applicant = enterprise()
    incident_id = incident(applicant, "environment", date(2024, 5, 1), grade="grave")

    consequence = incident_consequence(RULEBOOK_2024, applicant, incident_id)

    assert consequence.removes
    assert [(f.rule_id, f.applies) for f in consequence.findings] == [
        ("DYN-3", True),
        ("DYN-4", True),
    ]


def test_under_the_2024_rulebook_a_lesser_accident_flags_and_waits_for_the_next_list() -> None:
    applicant = enterprise()
    incident_id = incident(applicant, "quality", date(2024, 5, 1), grade="serious")

    consequence = incident_consequence(RULEBOOK_2024, applicant, incident_id)

    assert consequence.flags
    assert not consequence.removes
    assert [(f.rule_id, f.applies) for f in consequence.findings] == [
        ("DYN-3", True),
        ("DYN-4", False),
    ]
    assert "下一年度" in consequence.findings[1].detail


def test_a_dishonest_debtor_on_the_list_is_flagged_under_the_negative_list() -> None:
    applicant = enterprise()
    incident_id = incident(applicant, "dishonest_debtor", date(2023, 5, 1))

    consequence = incident_consequence(rulebook_named("2022"), applicant, incident_id)

    assert consequence.flags
    assert [(f.rule_id, f.applies) for f in consequence.findings] == [("NEG-6", True)]


def test_before_the_2022_notice_an_accident_flags_without_a_rule_to_cite() -> None:
    applicant = enterprise()
    incident_id = incident(applicant, "environment", date(2018, 11, 1), grade="grave")

    consequence = incident_consequence(rulebook_for(date(2018, 11, 2)), applicant, incident_id)

    assert consequence.flags
    assert not consequence.removes
    assert consequence.findings == ()


def test_a_refusal_to_file_rests_on_the_overdue_years_still_without_a_filing() -> None:
    listing = listed(enterprise())
    listing.record_overdue(
        report_year=2023,
        deadline=DEADLINE_2023,
        rulebook="2024",
        rule_findings=(),
        provenance=by_province(date(2024, 5, 1)),
    )

    finding = filings_refused(RULEBOOK_2024, listing)
    file_table(listing, 2023, date(2024, 6, 1))

    assert finding.applies
    assert finding.because == (EventRef(listing.id, 3),)
    assert not filings_refused(RULEBOOK_2024, listing).applies


def test_a_renamed_unit_the_province_proposes_to_remove_no_longer_complies() -> None:
    applicant = enterprise()
    listing = listed(applicant)
    before = change_not_compliant(RULEBOOK_2024, listing, applicant)
    applicant.rename(name="江苏新绿源钢铁有限公司", provenance=by_province(date(2024, 3, 1)))
    renamed_only = change_not_compliant(RULEBOOK_2024, listing, applicant)
    propose(listing, date(2024, 6, 1))

    after = change_not_compliant(RULEBOOK_2024, listing, applicant)

    assert not before.applies
    assert not renamed_only.applies
    assert renamed_only.because == (EventRef(applicant.id, 2),)
    assert after.applies
    assert after.because == (EventRef(applicant.id, 2), EventRef(listing.id, listing.version))
