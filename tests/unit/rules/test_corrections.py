"""The corrections of regulation.md (2026-12), each at its boundary day, under the rulebook version
in force that day, with the citation it is refused or recorded under."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest

from domain.errors import (
    IncidentAlreadyEndedError,
    IncidentNotContinuingError,
    InvalidInputError,
    RuleRefusalError,
)
from domain.ledger import Ledger
from domain.rules import rulebook_for
from domain.rules.catalogue import rule
from domain.values import EventRef, ListingStatus, Product, Reference
from tests.builders import (
    by_ministry,
    by_province,
    confirm_citations,
    on_provincial_list,
    stored_event_count,
)
from tests.unit.rules.rule_ledger import (
    SELF_EVALUATION,
    enterprise,
    evaluated,
    evaluator,
    events_of,
    findings_of,
    last_event,
    nominate,
    park,
)

DYN_3_235 = "工信厅节函〔2022〕235号 二 第二段"


def open_round(ledger: Ledger, year: int, day: date) -> None:
    ledger.open_batch(level="national", batch_year=year, provenance=by_ministry(day))


def listed_unit(
    ledger: Ledger, name: str, year: int = 5, listed_on: date = date(2020, 10, 16)
) -> UUID:
    """A factory of the given round, on the list from `listed_on`; its listing id."""
    applicant = enterprise(ledger, name)
    opened = listed_on - timedelta(days=60)
    ledger.open_batch(level="national", batch_year=year, provenance=by_ministry(opened))
    listing_id = nominate(ledger, applicant, year=year, day=opened)
    ledger.publish_batch(
        level="national",
        batch_year=year,
        announcement=Reference(doc_no="公告"),
        listed=[listing_id],
        provenance=by_ministry(listed_on),
    )
    return listing_id


def incident(
    ledger: Ledger,
    enterprise_id: UUID,
    kind: str,
    recorded_on: date,
    grade: str | None = None,
    occurred_on: date | None = None,
) -> UUID:
    receipt = ledger.record_incident(
        enterprise_id,
        kind=kind,
        grade=grade,
        occurred_on=occurred_on or recorded_on,
        source="credit_china",
        provenance=by_ministry(recorded_on),
    )
    assert receipt.id is not None
    return receipt.id


def enterprise_of(ledger: Ledger, listing_id: UUID) -> UUID:
    return ledger.get_listing(listing_id).enterprise_id


# -- DYN-3: any reported accident is a ground for removal under 235号 ----------------------------


def test_a_minor_accident_is_a_ground_for_removal_from_the_day_the_2022_notice_is_in_force(
    memory_ledger: Ledger,
) -> None:
    before = listed_unit(memory_ledger, "江苏甲钢铁有限公司")
    on_the_day = listed_unit(memory_ledger, "江苏乙钢铁有限公司")
    for listing_id, day in ((before, date(2022, 9, 15)), (on_the_day, date(2022, 9, 16))):
        incident(memory_ledger, enterprise_of(memory_ledger, listing_id), "quality", day, "minor")

    memory_ledger.propose_adjustment(
        before, action="retain", provenance=by_province(date(2022, 9, 15))
    )
    events = stored_event_count(memory_ledger)
    with pytest.raises(RuleRefusalError) as refused:
        memory_ledger.propose_adjustment(
            on_the_day, action="retain", provenance=by_province(date(2022, 9, 16))
        )

    kept = last_event(memory_ledger, before)
    assert (kept.rulebook, findings_of(kept)["DYN-3"].applies) == ("2020", False)  # below 较大
    assert (refused.value.rule_id, refused.value.citation) == ("DYN-3", DYN_3_235)
    assert refused.value.rulebook == "2022"
    assert stored_event_count(memory_ledger) == events
    flag = events_of(memory_ledger, on_the_day)[-1]
    assert type(flag).__name__ == "Flagged"
    assert findings_of(flag)["DYN-3"].applies


def test_under_the_2020_notice_a_serious_accident_is_a_ground_and_a_minor_one_is_not(
    memory_ledger: Ledger,
) -> None:
    serious = listed_unit(memory_ledger, "江苏丙化工有限公司")
    incident(
        memory_ledger,
        enterprise_of(memory_ledger, serious),
        "environment",
        date(2021, 3, 1),
        "serious",
    )

    with pytest.raises(RuleRefusalError) as refused:
        memory_ledger.propose_adjustment(
            serious, action="retain", provenance=by_province(date(2021, 3, 2))
        )

    assert refused.value.rulebook == "2020"
    assert refused.value.citation == rule("DYN-3", "2020").citation
    assert refused.value.citation.startswith("工信厅节函〔2020〕30号")
    assert "未核实" in refused.value.citation


def test_the_ministry_cannot_rescind_a_removal_while_its_ground_stands(
    memory_ledger: Ledger,
) -> None:
    listing_id = listed_unit(memory_ledger, "江苏丁钢铁有限公司", 2022, date(2023, 3, 23))
    enterprise_id = enterprise_of(memory_ledger, listing_id)
    accident = incident(memory_ledger, enterprise_id, "tax_evasion", date(2023, 5, 3))
    memory_ledger.remove_listing(
        listing_id, reasons=["incident"], provenance=by_ministry(date(2023, 6, 1))
    )

    with pytest.raises(RuleRefusalError) as refused:
        memory_ledger.rescind_removal(
            listing_id, reason="决定有误", provenance=by_ministry(date(2023, 6, 2))
        )
    memory_ledger.retract_incident(
        enterprise_id, accident, reason="信用中国已撤销", provenance=by_ministry(date(2023, 6, 3))
    )
    memory_ledger.rescind_removal(
        listing_id, reason="决定有误", provenance=by_ministry(date(2023, 6, 4))
    )

    assert (refused.value.rule_id, refused.value.citation) == ("DYN-3", DYN_3_235)
    assert memory_ledger.get_listing(listing_id).status is ListingStatus.FLAGGED  # as before


# -- 13号: in force from its publication, 2024-01-19 ----------------------------------------------


def test_a_major_accident_removes_at_once_from_the_day_13_hao_is_published(
    memory_ledger: Ledger,
) -> None:
    day_before = listed_unit(memory_ledger, "江苏戊钢铁有限公司", 2022, date(2023, 3, 23))
    published = listed_unit(memory_ledger, "江苏己钢铁有限公司", 2023, date(2024, 1, 5))
    for listing_id, day in ((day_before, date(2024, 1, 18)), (published, date(2024, 1, 19))):
        incident(memory_ledger, enterprise_of(memory_ledger, listing_id), "safety", day, "major")

    flagged = last_event(memory_ledger, day_before)
    removed = last_event(memory_ledger, published)

    assert (type(flagged).__name__, flagged.rulebook) == ("Flagged", "2022")
    assert (type(removed).__name__, removed.rulebook) == ("Removed", "2024")
    assert findings_of(removed)["DYN-4"].applies
    assert rule("DYN-4", "2024").citation == (
        "工信部节〔2024〕13号 第四章 动态管理（条文序号未核实 article number unverified）"
    )
    assert removed.barred_until == date(2027, 1, 18)


def test_the_2023_list_of_5_january_2024_is_judged_under_the_2022_rulebook(
    memory_ledger: Ledger,
) -> None:
    listing_id = listed_unit(memory_ledger, "江苏庚钢铁有限公司", 2023, date(2024, 1, 5))

    listed = last_event(memory_ledger, listing_id)

    assert (type(listed).__name__, listed.rulebook) == ("Listed", "2022")
    assert rulebook_for(date(2024, 1, 18)).version == "2022"
    assert rulebook_for(date(2024, 1, 19)).version == "2024"


def test_a_self_evaluation_alone_meets_fac_1_from_13_hao_on(memory_ledger: Ledger) -> None:
    open_round(memory_ledger, 2023, date(2023, 9, 1))
    earlier = nominate(
        memory_ledger,
        enterprise(memory_ledger, "江苏辛钢铁有限公司"),
        year=2023,
        day=date(2024, 1, 18),
        self_evaluation=SELF_EVALUATION,
    )
    later_applicant = enterprise(memory_ledger, "江苏壬钢铁有限公司")
    on_provincial_list(memory_ledger, later_applicant, date(2024, 1, 19))  # REC-2 from 13号 on
    later = nominate(
        memory_ledger,
        later_applicant,
        year=2023,
        day=date(2024, 1, 19),
        self_evaluation=SELF_EVALUATION,
    )

    assert findings_of(last_event(memory_ledger, earlier))["FAC-1"].applies
    assert not findings_of(last_event(memory_ledger, later))["FAC-1"].applies
    assert rule("FAC-1", "2022").citation == "工信厅节函〔2022〕235号 一（一）"
    assert rule("FAC-1", "2024").citation == "工信部节〔2024〕13号 第十条"


# -- continuing conditions: barred while they last and three years after they end --------------


@pytest.mark.parametrize(
    ("kind", "rule_id"),
    [("dishonest_debtor", "NEG-6"), ("not_operating", "NEG-1")],
)
def test_a_condition_never_ended_still_bars_four_years_on(
    memory_ledger: Ledger, kind: str, rule_id: str
) -> None:
    applicant = enterprise(memory_ledger, "江苏癸钢铁有限公司")
    incident(memory_ledger, applicant, kind, date(2019, 1, 1))

    found = memory_ledger.eligibility(applicant, date(2023, 1, 2))

    (bar,) = found.bars
    assert (found.eligible, found.rulebook, bar.rule_id, bar.barred_until) == (
        False,
        "2022",
        rule_id,
        None,
    )
    assert rule(rule_id, found.rulebook).citation == "工信厅节函〔2022〕235号 一 第二段"


@pytest.mark.parametrize(
    ("kind", "rule_id"),
    [
        ("dishonest_debtor", "NEG-6"),
        ("not_operating", "NEG-1"),
        ("energy_rectification_overdue", "NEG-5"),
    ],
)
def test_a_condition_ended_on_30_june_2021_bars_through_29_june_2024(
    memory_ledger: Ledger, kind: str, rule_id: str
) -> None:
    applicant = enterprise(memory_ledger, "江苏子钢铁有限公司")
    condition = incident(memory_ledger, applicant, kind, date(2019, 1, 1))
    memory_ledger.end_incident(
        applicant, condition, ended_on=date(2021, 6, 30), provenance=by_province(date(2021, 7, 5))
    )

    last_day = memory_ledger.eligibility(applicant, date(2024, 6, 29))
    day_after = memory_ledger.eligibility(applicant, date(2024, 6, 30))

    (bar,) = last_day.bars
    assert (bar.rule_id, bar.barred_until) == (rule_id, date(2024, 6, 29))
    assert day_after.eligible


def test_only_a_continuing_condition_ends_once_and_not_before_it_began(
    memory_ledger: Ledger,
) -> None:
    applicant = enterprise(memory_ledger, "江苏丑钢铁有限公司")
    accident = incident(memory_ledger, applicant, "safety", date(2022, 1, 1), "minor")
    debtor = incident(memory_ledger, applicant, "dishonest_debtor", date(2022, 3, 1))
    events = stored_event_count(memory_ledger)

    with pytest.raises(IncidentNotContinuingError):
        memory_ledger.end_incident(
            applicant, accident, ended_on=date(2022, 2, 1), provenance=by_province(date(2022, 4, 1))
        )
    with pytest.raises(InvalidInputError) as too_early:
        memory_ledger.end_incident(
            applicant, debtor, ended_on=date(2022, 2, 28), provenance=by_province(date(2022, 4, 1))
        )
    with pytest.raises(InvalidInputError) as not_yet:
        memory_ledger.end_incident(
            applicant, debtor, ended_on=date(2022, 4, 2), provenance=by_province(date(2022, 4, 1))
        )
    assert stored_event_count(memory_ledger) == events
    memory_ledger.end_incident(
        applicant, debtor, ended_on=date(2022, 3, 31), provenance=by_province(date(2022, 4, 1))
    )
    with pytest.raises(IncidentAlreadyEndedError):
        memory_ledger.end_incident(
            applicant, debtor, ended_on=date(2022, 3, 31), provenance=by_province(date(2022, 4, 2))
        )

    assert too_early.value.field == not_yet.value.field == "ended_on"


# -- the evaluator cap: per legal person per batch, then per legal representative per year --------


def sixteenth_evaluation(
    ledger: Ledger,
    days: tuple[date, date],
    representatives: tuple[str | None, str | None],
) -> Any:
    """In the 2024 round, fifteen evaluations by two bodies of different groups on the first day,
    a sixteenth on the second: the refusal, or the nomination's EVAL-4 finding."""
    first_day, last_day = days
    open_round(ledger, 2024, date(2024, 1, 2))
    first = evaluator(ledger, 1, "甲集团", representative=representatives[0])
    second = evaluator(ledger, 2, "乙集团", representative=representatives[1])
    for number in range(15):
        evaluated(ledger, number, first if number < 8 else second, 2024, first_day)
    for body in (first, second):  # counted once confirmed (ADR 0110)
        confirm_citations(ledger, body, first_day)
    try:
        listing_id = evaluated(ledger, 15, second, 2024, last_day)
    except RuleRefusalError as refused:
        return refused
    return findings_of(last_event(ledger, listing_id))["EVAL-4"]


def test_from_13_hao_on_bodies_with_one_legal_representative_share_the_cap_of_15(
    memory_ledger: Ledger,
) -> None:
    days = (date(2024, 1, 18), date(2024, 1, 19))

    refused = sixteenth_evaluation(memory_ledger, days, ("张三", "张三"))

    assert isinstance(refused, RuleRefusalError)
    assert (refused.rule_id, refused.citation) == ("EVAL-4", "工信部节〔2024〕13号 第二十条")
    assert refused.rulebook == "2024"
    assert "张三" in refused.findings[0].detail


def test_before_13_hao_two_groups_count_apart_whoever_represents_them(
    memory_ledger: Ledger,
) -> None:
    days = (date(2024, 1, 18), date(2024, 1, 18))

    finding = sixteenth_evaluation(memory_ledger, days, ("张三", "张三"))

    assert not isinstance(finding, RuleRefusalError)
    assert not finding.applies
    assert "同一法人（含关联机构）本批次第8个" in finding.detail
    assert rule("EVAL-4", "2022").citation == "工信厅节函〔2022〕235号 三 末段"


def test_a_body_whose_legal_representative_is_unknown_counts_alone(
    memory_ledger: Ledger,
) -> None:
    days = (date(2024, 5, 10), date(2024, 5, 10))

    finding = sixteenth_evaluation(memory_ledger, days, ("张三", None))

    assert not isinstance(finding, RuleRefusalError)
    assert "法定代表人未登记" in finding.detail


# -- the rounds' scope and the deadlines ----------------------------------------------------------


def test_the_2023_round_recommends_no_design_products(memory_ledger: Ledger) -> None:
    open_round(memory_ledger, 2022, date(2022, 9, 16))
    open_round(memory_ledger, 2023, date(2023, 9, 1))
    maker = enterprise(memory_ledger, "江苏寅家电有限公司")
    product: dict[str, Any] = {"product": Product("节能冰箱", "BCD-1", "GB/T 32161-2015")}
    in_2022 = nominate(
        memory_ledger,
        maker,
        category="green_design_product",
        self_evaluation=SELF_EVALUATION,
        **product,
    )
    other = enterprise(memory_ledger, "江苏卯家电有限公司")
    in_2023 = nominate(
        memory_ledger,
        other,
        category="green_design_product",
        year=2023,
        day=date(2023, 10, 20),
        self_evaluation=SELF_EVALUATION,
        **product,
    )

    assert "REC-1" not in findings_of(last_event(memory_ledger, in_2022))
    assert findings_of(last_event(memory_ledger, in_2023))["REC-1"].applies
    assert rule("REC-1", "2022").citation.startswith("工信厅节函〔2023〕202号")


def test_the_2022_tables_were_due_on_30_april_2023(memory_ledger: Ledger) -> None:
    listing_id = listed_unit(memory_ledger, "江苏辰钢铁有限公司", 2022, date(2023, 3, 23))

    with pytest.raises(RuleRefusalError) as early:
        memory_ledger.close_filing_year(2022, by_ministry(date(2023, 4, 30)))
    memory_ledger.close_filing_year(2022, by_ministry(date(2023, 5, 1)))

    assert "2023-04-30" in early.value.message
    overdue = last_event(memory_ledger, listing_id)
    assert (type(overdue).__name__, overdue.deadline) == ("FilingOverdue", date(2023, 4, 30))
    assert "工信厅节函〔2023〕64号" in findings_of(overdue)["DYN-1"].detail
    assert rulebook_for(date(2024, 5, 1)).filing_deadline(2023) == date(2024, 4, 15)


# -- parks ----------------------------------------------------------------------------------------


def test_a_park_without_its_value_added_share_is_refused_under_park_1_from_235_hao_on(
    memory_ledger: Ledger,
) -> None:
    open_round(memory_ledger, 2022, date(2022, 9, 1))
    earlier = enterprise(memory_ledger, "江苏某开发区管委会")
    body = enterprise(memory_ledger, "江苏某高新区管委会")

    assert nominate(
        memory_ledger,
        earlier,
        category="green_park",
        park_level="provincial",
        day=date(2022, 9, 15),
    )
    with pytest.raises(RuleRefusalError) as refused:
        nominate(
            memory_ledger,
            body,
            category="green_park",
            park_level="provincial",
            day=date(2022, 9, 16),
        )

    assert (refused.value.rule_id, refused.value.citation) == (
        "PARK-1",
        "工信厅节函〔2022〕235号 一（三）",
    )
    assert "缺少证明材料" in refused.value.findings[0].detail


def test_the_ministry_may_let_a_region_nominate_a_fourth_park_with_its_reason(
    memory_ledger: Ledger,
) -> None:
    open_round(memory_ledger, 2022, date(2022, 9, 16))
    for number in range(3):
        nominate(
            memory_ledger,
            enterprise(memory_ledger, f"园区{number}管委会"),
            category="green_park",
            **park(),
        )
    fourth = enterprise(memory_ledger, "园区3管委会")
    fifth = enterprise(memory_ledger, "园区4管委会")
    with pytest.raises(RuleRefusalError):
        nominate(memory_ledger, fourth, category="green_park", **park())

    memory_ledger.grant_park_quota_exception(
        batch_year=2022,
        region="320000",
        reason="国家级新区整体申报，经部长专题会同意",
        provenance=by_ministry(date(2022, 10, 15)),
    )
    listing_id = nominate(memory_ledger, fourth, category="green_park", **park())
    with pytest.raises(RuleRefusalError) as refused:
        nominate(memory_ledger, fifth, category="green_park", **park())

    finding = findings_of(last_event(memory_ledger, listing_id))["PARK-2"]
    batch = memory_ledger.get_batch(memory_ledger.get_listing(listing_id).level, 2022)
    (exception,) = batch.park_quota_exceptions
    assert not finding.applies
    assert "国家级新区整体申报" in finding.detail
    assert finding.because == (EventRef(batch.id, exception.version),)
    assert refused.value.rule_id == "PARK-2"
    assert "限额4家" in refused.value.findings[0].detail


# -- REV-1: the 2020 re-review of batches 1 and 2 -------------------------------------------------


def test_under_the_2020_notice_a_batch_2_unit_failing_its_re_review_is_removed_under_rev_1(
    memory_ledger: Ledger,
) -> None:
    listing_id = listed_unit(memory_ledger, "江苏巳钢铁有限公司", 2, date(2018, 2, 11))
    assessment = memory_ledger.order_assessment(
        listing_id, reason="复核", provenance=by_province(date(2021, 3, 1))
    )
    assert assessment.id is not None
    memory_ledger.conclude_assessment(
        listing_id, assessment.id, outcome="does_not_meet", provenance=by_province(date(2021, 4, 1))
    )

    memory_ledger.remove_listing(
        listing_id, reasons=["indicators"], provenance=by_ministry(date(2021, 5, 1))
    )

    removed = last_event(memory_ledger, listing_id)
    assert (removed.rulebook, findings_of(removed)["REV-1"].applies) == ("2020", True)
    assert removed.barred_until is None  # no rule of 2021 bars a removed unit (NEG-3: 235号)
    assert rule("REV-1", "2020").citation.startswith("工信厅节函〔2020〕30号")
