"""Stories the read side is asked about, told through the ledger's commands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from domain.ledger import Ledger
from domain.national.campaign import (
    flag_not_rebenchmarked,
    launch_rebenchmark,
    record_rebenchmark_result,
)
from domain.national.commands import (
    assign_green_codes,
    record_green_code,
    record_green_code_application,
)
from domain.values import (
    EvaluationConclusion,
    Indicator,
    Provenance,
    Reference,
    ThirdPartyEvaluation,
)
from tests.builders import (
    VALID_USCC,
    ListedUnit,
    by_ministry,
    by_province,
    energy,
    listed_factory,
    nominate,
    on_provincial_list,
    open_batch,
    publish,
    register,
)

REMOVAL_NOTICE = Reference(doc_no="工信厅节函〔2024〕88号", title="关于撤销部分绿色工厂称号的通知")


def file_and_review(
    ledger: Ledger, unit: ListedUnit, year: int, outcome: str = "compliant"
) -> None:
    ledger.submit_filing(
        unit.listing_id,
        report_year=year,
        indicators=energy(),
        provenance=by_province(date(year + 1, 3, 1)),
    )
    ledger.review_filing(
        unit.listing_id,
        report_year=year,
        outcome=outcome,
        findings=["单位产品能耗高于基准值"] if outcome == "non_compliant" else [],
        provenance=by_province(date(year + 1, 4, 1)),
    )


def removed_after_on_site_assessment(ledger: Ledger) -> ListedUnit:
    """Listed 2023-03-23; its 2023 filing is non-compliant; the province's on-site assessment
    finds it does not meet the requirements and proposes removal; the ministry removes it."""
    unit = listed_factory(ledger)
    file_and_review(ledger, unit, 2023, "non_compliant")
    assessment = ledger.order_assessment(
        unit.listing_id, reason="关键指标不达标", provenance=by_province(date(2024, 4, 10))
    )
    assert assessment.id is not None
    ledger.conclude_assessment(
        unit.listing_id,
        assessment.id,
        outcome="does_not_meet",
        findings=["能耗指标未达到行业先进值"],
        provenance=by_province(date(2024, 5, 10)),
    )
    ledger.propose_adjustment(
        unit.listing_id,
        action="remove",
        reasons=["现场评估不符合要求"],
        provenance=by_province(date(2024, 5, 20)),
    )
    ledger.remove_listing(
        unit.listing_id,
        reasons=["indicators"],
        announcement=REMOVAL_NOTICE,
        provenance=by_ministry(date(2024, 6, 30)),
    )
    return unit


def removed_for_a_grave_accident(ledger: Ledger) -> tuple[ListedUnit, UUID]:
    """Listed 2023-03-23; a grave safety accident on 2024-03-02 removes it at once."""
    unit = listed_factory(ledger)
    receipt = ledger.record_incident(
        unit.enterprise_id,
        kind="safety",
        grade="grave",
        occurred_on=date(2024, 3, 2),
        source="credit_china",
        reference=Reference(doc_no="苏应急〔2024〕7号", title="事故调查报告"),
        provenance=by_province(date(2024, 3, 5)),
    )
    assert receipt.id is not None
    return unit, receipt.id


def still_listed(ledger: Ledger) -> ListedUnit:
    """Listed 2023-03-23, its 2023 filing reviewed compliant, nothing on its credit record."""
    unit = listed_factory(ledger)
    file_and_review(ledger, unit, 2023)
    return unit


def removal_rescinded(ledger: Ledger) -> ListedUnit:
    """Removed by the ministry on 2024-06-30, the removal rescinded as an error on 2024-07-15."""
    unit = listed_factory(ledger)
    ledger.remove_listing(
        unit.listing_id,
        reasons=["falsified_data"],
        announcement=REMOVAL_NOTICE,
        provenance=by_ministry(date(2024, 6, 30)),
    )
    ledger.rescind_removal(
        unit.listing_id,
        reason="核实为误报，数据真实",
        provenance=by_ministry(date(2024, 7, 15)),
    )
    return unit


@dataclass(frozen=True)
class Everything:
    unit: ListedUnit
    rejected_listing_id: UUID
    assessor_id: UUID


def every_kind_of_fact(ledger: Ledger) -> Everything:
    """A story in which every kind of event of the ledger is recorded at least once."""
    assessor = ledger.register_assessor(
        name="中环评价（北京）有限公司",
        uscc=VALID_USCC[2],
        group="中环集团",
        senior_staff=6,
        intermediate_staff=12,
        provenance=Provenance(actor="ministry", effective_on=date(2022, 9, 1)),
    )
    assert assessor.id is not None
    enterprise_id = register(ledger)
    ledger.assign_credit_code(
        enterprise_id, uscc=VALID_USCC[0], provenance=by_province(date(2022, 9, 21))
    )
    open_batch(ledger)
    listing = ledger.nominate_listing(
        enterprise_id=enterprise_id,
        category="green_factory",
        level="national",
        batch_year=2022,
        self_evaluation=Reference(title="自评价报告"),
        third_party_evaluation=ThirdPartyEvaluation(
            assessor.id, Reference(doc_no="中环评〔2022〕15号"), EvaluationConclusion.PASS
        ),
        indicators={"energy_per_unit_product": Indicator(Decimal("498.0"), "kgce/t")},
        provenance=by_province(date(2022, 10, 20)),
    )
    assert listing.id is not None
    # The province cited the assessor's evaluation; the assessor confirms it (ADR 0110).
    (cited,) = ledger.get_assessor(assessor.id).cited
    ledger.confirm_evaluation(
        assessor.id,
        cited,
        provenance=Provenance(actor=f"assessor:{assessor.id}", effective_on=date(2022, 10, 22)),
    )
    other = register(ledger, "江苏未入选科技有限公司")
    rejected = nominate(ledger, other, category="green_supply_chain")
    publish(ledger, [listing.id], rejected=[rejected])
    unit = ListedUnit(enterprise_id, listing.id)
    open_batch(ledger, year=2023, day=date(2023, 9, 1))
    ledger.grant_park_quota_exception(
        batch_year=2023,
        region="320000",
        reason="国家级新区整体申报",
        provenance=by_ministry(date(2023, 9, 2)),
    )
    # The unit not listed in 2022 is nominated again in 2023 (Listing.Renominated).
    nominate(ledger, other, category="green_supply_chain", year=2023, day=date(2023, 10, 1))
    ledger.report_evaluation(  # the assessor's own report, counted at once
        assessor.id,
        listing_id=rejected,
        conclusion="pass",
        report=Reference(doc_no="中环评〔2023〕3号"),
        provenance=Provenance(actor=f"assessor:{assessor.id}", effective_on=date(2023, 10, 5)),
    )
    debtor = ledger.record_incident(
        other,
        kind="dishonest_debtor",
        occurred_on=date(2023, 11, 1),
        source="credit_china",
        provenance=by_province(date(2023, 11, 2)),
    )
    assert debtor.id is not None
    ledger.end_incident(
        other, debtor.id, ended_on=date(2024, 1, 10), provenance=by_province(date(2024, 1, 12))
    )
    ledger.rename_enterprise(
        enterprise_id, name="江苏绿源钢铁集团有限公司", provenance=by_province(date(2023, 6, 1))
    )
    ledger.record_alias(enterprise_id, alias="绿源钢铁", provenance=by_province(date(2023, 6, 2)))
    ledger.record_filing_overdue(
        unit.listing_id, report_year=2022, provenance=by_province(date(2023, 12, 1))
    )
    file_and_review(ledger, unit, 2023, "non_compliant")
    incident = ledger.record_incident(
        enterprise_id,
        kind="energy_rectification_overdue",
        occurred_on=date(2024, 4, 2),
        source="inspection",
        provenance=by_province(date(2024, 4, 3)),
    )
    assert incident.id is not None
    ledger.complete_rectification(
        enterprise_id, incident.id, provenance=by_province(date(2024, 4, 20))
    )
    minor = ledger.record_incident(
        enterprise_id,
        kind="quality",
        grade="minor",
        occurred_on=date(2024, 4, 21),
        source="province_report",
        provenance=by_province(date(2024, 4, 22)),
    )
    assert minor.id is not None
    ledger.retract_incident(
        enterprise_id, minor.id, reason="重复录入", provenance=by_ministry(date(2024, 4, 25))
    )
    assessment = ledger.order_assessment(
        unit.listing_id, reason="关键指标不达标", provenance=by_province(date(2024, 5, 1))
    )
    assert assessment.id is not None
    ledger.conclude_assessment(
        unit.listing_id,
        assessment.id,
        outcome="does_not_meet",
        provenance=by_province(date(2024, 5, 10)),
    )
    ledger.propose_adjustment(
        unit.listing_id,
        action="remove",
        reasons=["现场评估不符合要求"],
        provenance=by_province(date(2024, 6, 1)),
    )
    ledger.remove_listing(
        unit.listing_id, reasons=["indicators"], provenance=by_ministry(date(2024, 6, 30))
    )
    ledger.rescind_removal(
        unit.listing_id, reason="决定有误", provenance=by_ministry(date(2024, 7, 1))
    )
    ledger.submit_work_report(
        assessor.id,
        report_year=2023,
        report=Reference(title="2023年度第三方评价工作报告"),
        evaluations=1,
        passed=1,
        summary="评价绿色工厂1家",
        provenance=Provenance(actor=f"assessor:{assessor.id}", effective_on=date(2024, 7, 15)),
    )
    ledger.blacklist_assessor(
        assessor.id, reason="评价报告弄虚作假", provenance=by_ministry(date(2024, 8, 1))
    )
    ledger.lift_blacklist(
        assessor.id, reason="复核后撤销", provenance=by_ministry(date(2024, 9, 1))
    )
    starred_on_provincial_list(ledger)
    _publicity_and_green_codes(ledger, unit)
    return Everything(unit, rejected, assessor.id)


def _publicity_and_green_codes(ledger: Ledger, unit: ListedUnit) -> None:
    """A 2024 round publicised with an objection (ADR 0150); the unit applies for the 2023 and
    2024 green codes: it gets the 2023 one, is withheld the 2024 one (no 2024 table), and the
    ministry records a grade for 2024 assigned elsewhere."""
    open_batch(ledger, year=2024, day=date(2024, 3, 1))
    applicant = register(ledger, "江苏公示纺织有限公司")
    on_provincial_list(ledger, applicant, date(2024, 5, 1))  # REC-2: chosen from that list
    nominee = nominate(ledger, applicant, year=2024, day=date(2024, 6, 1))
    ledger.publicise_batch(
        batch_year=2024,
        announcement=Reference(doc_no="示例公示〔2024〕1号"),
        nominees=[nominee],
        provenance=by_ministry(date(2024, 12, 1)),
    )
    ledger.record_objection(
        batch_year=2024,
        listing_id=nominee,
        objection="反映能耗数据不实",
        provenance=by_ministry(date(2024, 12, 3)),
    )
    for year in (2023, 2024):  # it filed the 2023 table, not the 2024 one
        record_green_code_application(
            ledger, unit.listing_id, report_year=year, provenance=by_province(date(2024, 7, 2))
        )
        assign_green_codes(ledger, report_year=year, provenance=by_ministry(date(2024, 9, 2)))
    record_green_code(
        ledger,
        unit.listing_id,
        report_year=2024,
        grade="A",
        provenance=by_ministry(date(2024, 9, 3)),
    )
    # The re-benchmark (ADR 0152): the unit misses the due date, is flagged, then reports.
    launch_rebenchmark(
        ledger,
        year=2025,
        due_on=date(2026, 3, 31),
        requirements=Reference(doc_no="工信厅节函〔2025〕390号"),
        listing_ids=[unit.listing_id],
        provenance=by_ministry(date(2025, 11, 1)),
    )
    flag_not_rebenchmarked(ledger, year=2025, provenance=by_ministry(date(2026, 4, 1)))
    record_rebenchmark_result(
        ledger,
        year=2025,
        listing_id=unit.listing_id,
        outcome="meets",
        self_evaluation=Reference(title="对标复核自评价报告"),
        provenance=by_province(date(2026, 4, 20)),
    )


def starred_on_provincial_list(ledger: Ledger) -> UUID:
    """A unit on Jiangsu's own provincial list (2024), rated four stars (Listing.StarsRated)."""
    company = register(ledger, "江苏示例省级星级工厂有限公司")
    ledger.open_batch(
        level="provincial",
        batch_year=2024,
        region="320000",
        provenance=by_province(date(2024, 3, 1)),
    )
    listing = ledger.nominate_listing(
        enterprise_id=company,
        category="green_factory",
        level="provincial",
        batch_year=2024,
        self_evaluation=Reference(title="自评价报告"),
        provenance=by_province(date(2024, 4, 1)),
    )
    assert listing.id is not None
    notice = Reference(doc_no="苏工信节能〔2024〕20号")
    ledger.publish_batch(
        level="provincial",
        batch_year=2024,
        region="320000",
        announcement=notice,
        listed=[listing.id],
        provenance=by_province(date(2024, 6, 1)),
    )
    ledger.rate_stars(
        listing.id, stars=4, announcement=notice, provenance=by_province(date(2024, 6, 1))
    )
    return listing.id
