"""Commands the rulebook refuses (409 later) write nothing; decisions record their findings."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from domain.errors import RuleRefusalError
from domain.ledger import Ledger, RemovalRequest
from domain.rules.catalogue import rule
from domain.values import EventRef, ListingStatus, Product, RemovalReason
from tests.builders import (
    ANNOUNCEMENT,
    ZHEJIANG,
    by_ministry,
    by_province,
    confirm_citations,
    listed_factory,
    open_batch,
    publish,
    stored_event_count,
)
from tests.unit.rules.rule_ledger import (
    SELF_EVALUATION,
    enterprise,
    evaluation,
    evaluator,
    findings_of,
    last_event,
    nominate,
)
from tests.unit.rules.rule_ledger import park as park_evidence


def _incident(
    ledger: Ledger, enterprise_id: UUID, kind: str, occurred_on: date, grade: str | None = None
) -> None:
    ledger.record_incident(
        enterprise_id,
        kind=kind,
        grade=grade,
        occurred_on=occurred_on,
        source="credit_china",
        provenance=by_province(occurred_on),
    )


# -- the negative list -------------------------------------------------------------------------


def test_a_nomination_under_several_bars_is_refused_with_every_bar(ledger: Ledger) -> None:
    applicant = enterprise(ledger, "江苏某化工有限公司")
    open_batch(ledger)
    _incident(ledger, applicant, "not_operating", date(2021, 3, 1))
    _incident(ledger, applicant, "safety", date(2022, 5, 1), grade="serious")
    _incident(ledger, applicant, "dishonest_debtor", date(2022, 6, 1))
    events = stored_event_count(ledger)

    with pytest.raises(RuleRefusalError) as refused:
        nominate(ledger, applicant)

    assert refused.value.rule_id == "NEG-1"
    assert refused.value.citation == rule("NEG-1").citation
    assert [f.rule_id for f in refused.value.findings] == ["NEG-1", "NEG-2", "NEG-6"]
    assert all(f.applies and f.because for f in refused.value.findings)
    assert refused.value.rulebook == "2022"
    assert stored_event_count(ledger) == events


def test_a_nomination_records_the_negative_list_rules_that_did_not_apply(ledger: Ledger) -> None:
    applicant = enterprise(ledger, "江苏绿源钢铁有限公司", industry="钢铁")
    open_batch(ledger)

    listing_id = nominate(ledger, applicant)

    nominated = last_event(ledger, listing_id)
    findings = findings_of(nominated)
    assert nominated.rulebook == "2022"
    assert [
        findings[r].applies for r in ("NEG-1", "NEG-2", "NEG-3", "NEG-4", "NEG-5", "NEG-6")
    ] == [False] * 6
    assert findings["FAC-1"].applies  # no reports attached: recorded, not refused
    assert findings["FAC-2"].applies


def test_a_unit_removed_by_adjustment_cannot_be_nominated_again_within_three_years(
    ledger: Ledger,
) -> None:
    unit = listed_factory(ledger)
    ledger.remove_listing(
        unit.listing_id, reasons=["negative_list"], provenance=by_ministry(date(2023, 6, 1))
    )
    open_batch(ledger, 2023, date(2023, 8, 1))
    events = stored_event_count(ledger)

    with pytest.raises(RuleRefusalError) as refused:
        nominate(ledger, unit.enterprise_id, year=2023, day=date(2023, 10, 1))

    assert refused.value.rule_id == "NEG-3"
    (bar,) = refused.value.findings
    assert bar.barred_until == date(2026, 5, 31)
    assert bar.because == (EventRef(unit.listing_id, 3),)
    assert stored_event_count(ledger) == events


def test_a_rectified_energy_saving_order_refuses_a_nomination_for_three_years_after_it(
    ledger: Ledger,
) -> None:
    applicant = enterprise(ledger, "江苏某水泥有限公司")
    open_batch(ledger)
    receipt = ledger.record_incident(
        applicant,
        kind="energy_rectification_overdue",
        occurred_on=date(2018, 4, 1),
        source="inspection",
        provenance=by_ministry(date(2018, 4, 1)),
    )
    assert receipt.id is not None
    ledger.complete_rectification(applicant, receipt.id, provenance=by_province(date(2019, 10, 20)))

    with pytest.raises(RuleRefusalError) as refused:
        nominate(ledger, applicant, day=date(2022, 10, 19))
    listing_id = nominate(ledger, applicant, day=date(2022, 10, 20))

    assert refused.value.rule_id == "NEG-5"
    assert refused.value.findings[0].barred_until == date(2022, 10, 19)
    assert not findings_of(last_event(ledger, listing_id))["NEG-5"].applies


# -- quotas and caps ------------------------------------------------------------------------------


def test_a_region_fourth_park_in_a_year_is_refused(ledger: Ledger) -> None:
    open_batch(ledger)
    for number in range(1, 4):
        park = enterprise(ledger, f"江苏园区{number}管委会")
        nominate(ledger, park, category="green_park", **park_evidence("national"))
    fourth = enterprise(ledger, "江苏园区4管委会")
    events = stored_event_count(ledger)

    with pytest.raises(RuleRefusalError) as refused:
        nominate(ledger, fourth, category="green_park", **park_evidence())

    assert refused.value.rule_id == "PARK-2"
    assert [f.rule_id for f in refused.value.findings] == ["PARK-2"]
    assert len(refused.value.findings[0].because) == 3
    assert stored_event_count(ledger) == events
    other_region = enterprise(ledger, "浙江园区管委会", region=ZHEJIANG)
    assert nominate(ledger, other_region, category="green_park", region=ZHEJIANG, **park_evidence())


def test_an_evaluator_group_sixteenth_evaluation_in_a_batch_is_refused(ledger: Ledger) -> None:
    open_batch(ledger)
    first = evaluator(ledger, 1, group="中国质量认证中心")
    second = evaluator(ledger, 2, group="中国质量认证中心")
    for number in range(15):
        applicant = enterprise(ledger, f"工厂{number}")
        nominate(
            ledger,
            applicant,
            self_evaluation=SELF_EVALUATION,
            third_party_evaluation=evaluation(first if number < 8 else second, number),
        )
    # Cited evaluations count once their assessor confirms them (ADR 0110).
    assert confirm_citations(ledger, first, date(2022, 10, 21)) == 8
    assert confirm_citations(ledger, second, date(2022, 10, 21)) == 7
    sixteenth = enterprise(ledger, "工厂15")
    events = stored_event_count(ledger)

    with pytest.raises(RuleRefusalError) as refused:
        nominate(ledger, sixteenth, third_party_evaluation=evaluation(second, 15))

    assert refused.value.rule_id == "EVAL-4"
    assert [f.rule_id for f in refused.value.findings] == ["EVAL-4"]
    assert len(refused.value.findings[0].because) == 15
    assert stored_event_count(ledger) == events

    listing_id = nominate(ledger, sixteenth)
    events = stored_event_count(ledger)
    with pytest.raises(RuleRefusalError) as reported:
        ledger.report_evaluation(
            second,
            listing_id=listing_id,
            conclusion="pass",
            report=evaluation(second, 15).report,
            provenance=by_ministry(date(2022, 10, 25)),
        )
    assert reported.value.rule_id == "EVAL-4"
    assert stored_event_count(ledger) == events


def test_a_blacklisted_evaluator_report_is_refused_through_the_last_day_of_the_blacklist(
    ledger: Ledger,
) -> None:
    open_batch(ledger)
    blacklisted = evaluator(ledger, 1)
    ledger.blacklist_assessor(
        blacklisted,
        reason="评价报告弄虚作假",
        until=date(2022, 10, 25),
        provenance=by_ministry(date(2022, 10, 1)),
    )
    listing_id = nominate(ledger, enterprise(ledger, "江苏某电子有限公司"))
    events = stored_event_count(ledger)

    with pytest.raises(RuleRefusalError) as refused:
        ledger.report_evaluation(
            blacklisted,
            listing_id=listing_id,
            conclusion="pass",
            report=evaluation(blacklisted).report,
            provenance=by_ministry(date(2022, 10, 25)),
        )

    assert refused.value.rule_id == "EVAL-2"
    assert refused.value.findings[0].barred_until == date(2022, 10, 25)
    assert stored_event_count(ledger) == events
    accepted = ledger.report_evaluation(
        blacklisted,
        listing_id=listing_id,
        conclusion="pass",
        report=evaluation(blacklisted).report,
        provenance=by_ministry(date(2022, 10, 26)),
    )
    assert accepted.written
    assert len(ledger.get_assessor(blacklisted).evaluations) == 1


def test_a_nomination_with_a_blacklisted_evaluator_report_is_refused(ledger: Ledger) -> None:
    open_batch(ledger)
    blacklisted = evaluator(ledger, 1)
    ledger.blacklist_assessor(
        blacklisted, reason="隐瞒情况", provenance=by_ministry(date(2022, 10, 1))
    )
    applicant = enterprise(ledger, "江苏某机械有限公司")
    events = stored_event_count(ledger)

    with pytest.raises(RuleRefusalError) as refused:
        nominate(ledger, applicant, third_party_evaluation=evaluation(blacklisted))

    assert refused.value.rule_id == "EVAL-2"
    assert refused.value.findings[0].barred_until == date(2025, 9, 30)
    assert stored_event_count(ledger) == events
    blacklisted_event = last_event(ledger, blacklisted)
    assert findings_of(blacklisted_event)["EVAL-2"].barred_until == date(2025, 9, 30)


# -- incidents on listed units --------------------------------------------------------------------


def test_a_major_accident_under_the_2024_rulebook_removes_every_listing_at_once(
    ledger: Ledger,
) -> None:
    unit = listed_factory(ledger)

    ledger.record_incident(
        unit.enterprise_id,
        kind="safety",
        grade="major",
        occurred_on=date(2024, 5, 1),
        source="credit_china",
        provenance=by_province(date(2024, 5, 3)),
    )

    listing = ledger.get_listing(unit.listing_id)
    removed = last_event(ledger, unit.listing_id)
    assert listing.status is ListingStatus.REMOVED
    assert listing.barred_until == date(2027, 5, 2)
    assert removed.rulebook == "2024"
    assert [(f.rule_id, f.applies) for f in removed.rule_findings] == [
        ("DYN-3", True),
        ("DYN-4", True),
    ]
    assert removed.rule_findings[0].because == (EventRef(unit.enterprise_id, 3),)


def test_a_lesser_accident_flags_the_listing_for_a_proposal_and_a_decision(ledger: Ledger) -> None:
    unit = listed_factory(ledger)

    ledger.record_incident(
        unit.enterprise_id,
        kind="quality",
        grade="serious",
        occurred_on=date(2023, 6, 1),
        source="gsxt",
        provenance=by_province(date(2023, 6, 5)),
    )

    flagged = last_event(ledger, unit.listing_id)
    assert ledger.get_listing(unit.listing_id).status is ListingStatus.FLAGGED
    assert flagged.rulebook == "2022"
    assert [(f.rule_id, f.applies) for f in flagged.rule_findings] == [("DYN-3", True)]


# -- removal for indicators (DYN-2) ---------------------------------------------------------------


def test_a_removal_for_indicators_without_an_assessment_is_refused(ledger: Ledger) -> None:
    unit = listed_factory(ledger)
    events = stored_event_count(ledger)

    with pytest.raises(RuleRefusalError) as refused:
        ledger.remove_listing(
            unit.listing_id, reasons=["indicators"], provenance=by_ministry(date(2023, 9, 1))
        )

    assert refused.value.rule_id == "DYN-2"
    assert refused.value.citation == rule("DYN-2").citation
    assert [f.rule_id for f in refused.value.findings] == ["DYN-2"]
    assert stored_event_count(ledger) == events


def test_a_removal_for_indicators_before_the_province_proposal_is_refused(ledger: Ledger) -> None:
    unit = listed_factory(ledger)
    assessment = ledger.order_assessment(
        unit.listing_id, reason="能耗指标不达标", provenance=by_province(date(2023, 6, 1))
    )
    assert assessment.id is not None
    ledger.conclude_assessment(
        unit.listing_id,
        assessment.id,
        outcome="does_not_meet",
        provenance=by_province(date(2023, 7, 1)),
    )
    events = stored_event_count(ledger)

    with pytest.raises(RuleRefusalError) as refused:
        ledger.remove_listing(
            unit.listing_id, reasons=["indicators"], provenance=by_ministry(date(2023, 9, 1))
        )

    assert refused.value.rule_id == "DYN-2"
    assert stored_event_count(ledger) == events


def test_a_removal_for_indicators_after_assessment_and_proposal_records_both(
    ledger: Ledger,
) -> None:
    unit = listed_factory(ledger)
    assessment = ledger.order_assessment(
        unit.listing_id, reason="能耗指标不达标", provenance=by_province(date(2023, 6, 1))
    )
    assert assessment.id is not None
    ledger.conclude_assessment(
        unit.listing_id,
        assessment.id,
        outcome="does_not_meet",
        provenance=by_province(date(2023, 7, 1)),
    )
    ledger.propose_adjustment(
        unit.listing_id, action="remove", provenance=by_province(date(2023, 8, 1))
    )

    ledger.remove_listing(
        unit.listing_id, reasons=["indicators"], provenance=by_ministry(date(2023, 9, 1))
    )

    removed = last_event(ledger, unit.listing_id)
    (dyn2,) = removed.rule_findings
    assert dyn2.rule_id == "DYN-2"
    assert dyn2.applies
    assert dyn2.because == (EventRef(unit.listing_id, 4), EventRef(unit.listing_id, 5))
    concluded, proposed = (e for e in list(ledger.repository.event_store.get(unit.listing_id))[3:5])
    assert findings_of(concluded)["DYN-2"].applies
    assert findings_of(proposed)["DYN-2"].applies


# -- the 2025 instrument ------------------------------------------------------------------------


def test_under_the_2025_rulebook_a_design_product_is_recorded_out_of_scope(
    ledger: Ledger,
) -> None:
    applicant = enterprise(ledger, "江苏某家电有限公司")
    open_batch(ledger, 2025, date(2025, 10, 1))

    listing_id = nominate(
        ledger,
        applicant,
        category="green_design_product",
        year=2025,
        day=date(2025, 10, 20),
        product=Product("家用电冰箱", "BCD-520", "T/CAGP 0018-2017"),
    )

    nominated = last_event(ledger, listing_id)
    assert nominated.rulebook == "2025"
    assert findings_of(nominated)["REC-1"].applies  # recorded for the ministry, not refused


def test_under_the_2025_rulebook_a_national_factory_rests_on_its_provincial_listing(
    ledger: Ledger,
) -> None:
    on_provincial_list = enterprise(ledger, "江苏某纺织有限公司")
    not_on_it = enterprise(ledger, "江苏某印刷有限公司")
    ledger.open_batch(
        level="provincial",
        batch_year=2024,
        region="320000",
        provenance=by_province(date(2024, 5, 1)),
    )
    provincial = nominate(
        ledger, on_provincial_list, level="provincial", year=2024, day=date(2024, 6, 1)
    )
    ledger.publish_batch(
        level="provincial",
        batch_year=2024,
        region="320000",
        announcement=ANNOUNCEMENT,
        listed=[provincial],
        provenance=by_province(date(2024, 12, 1)),
    )
    open_batch(ledger, 2025, date(2025, 10, 1))

    resting = nominate(
        ledger,
        on_provincial_list,
        year=2025,
        day=date(2025, 10, 20),
        self_evaluation=SELF_EVALUATION,
    )
    events = stored_event_count(ledger)
    with pytest.raises(RuleRefusalError) as refused:
        nominate(ledger, not_on_it, year=2025, day=date(2025, 10, 20))

    resting_findings = findings_of(last_event(ledger, resting))
    assert not resting_findings["REC-2"].applies
    assert resting_findings["REC-2"].because == (EventRef(provincial, 2),)
    assert not resting_findings["FAC-1"].applies  # no third-party report needed in 2025
    assert (refused.value.rule_id, refused.value.rulebook) == ("REC-2", "2025")
    assert refused.value.citation.startswith("工信厅节函〔2025〕390号")
    assert stored_event_count(ledger) == events


# -- publication -----------------------------------------------------------------------------------


def test_a_publication_records_the_negative_list_on_its_date(ledger: Ledger) -> None:
    applicant = enterprise(ledger, "江苏某汽车零部件有限公司", industry="汽车")
    open_batch(ledger)
    listing_id = nominate(ledger, applicant)
    _incident(ledger, applicant, "tax_evasion", date(2023, 1, 5))

    publish(ledger, [], rejected=[listing_id])

    rejected = last_event(ledger, listing_id)
    assert rejected.__class__.__name__ == "Rejected"
    assert findings_of(rejected)["NEG-2"].applies
    assert findings_of(rejected)["NEG-2"].barred_until == date(2026, 1, 4)


def test_a_publication_removing_two_listings_of_one_enterprise_records_each_removal(
    ledger: Ledger,
) -> None:
    applicant = enterprise(ledger, "江苏某电器有限公司")
    open_batch(ledger)
    factory = nominate(ledger, applicant)
    chain = nominate(ledger, applicant, category="green_supply_chain")
    publish(ledger, [factory, chain])
    _incident(ledger, applicant, "inspection_problem", date(2023, 9, 1))
    open_batch(ledger, 2023, date(2023, 9, 16))

    ledger.publish_batch(
        level="national",
        batch_year=2023,
        announcement=ANNOUNCEMENT,
        removed=[
            RemovalRequest(factory, (RemovalReason.NEGATIVE_LIST,)),
            RemovalRequest(chain, (RemovalReason.NEGATIVE_LIST,)),
        ],
        provenance=by_ministry(date(2024, 1, 10)),
    )

    for listing_id in (factory, chain):
        findings = findings_of(last_event(ledger, listing_id))
        assert findings["NEG-4"].applies
        assert not findings["NEG-3"].applies  # decided on the facts before the publication


def test_overdue_is_not_recorded_for_a_unit_that_filed_in_time(ledger: Ledger) -> None:
    unit = listed_factory(ledger)
    ledger.submit_filing(
        unit.listing_id,
        report_year=2023,
        indicators={},
        provenance=by_province(date(2024, 4, 10)),
    )
    events = stored_event_count(ledger)

    with pytest.raises(RuleRefusalError) as refused:
        ledger.record_filing_overdue(
            unit.listing_id, report_year=2023, provenance=by_province(date(2024, 5, 1))
        )

    assert refused.value.rule_id == "DYN-1"
    assert stored_event_count(ledger) == events
