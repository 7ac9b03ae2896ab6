"""Facts for the pure rule tests: aggregates built in memory from their events, no store."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from domain.assessor import Assessor, assessor_id_for
from domain.batch import Batch
from domain.enterprise import Enterprise
from domain.facts import identity
from domain.listing import Listing, listing_id_for
from domain.rules.categories import Nomination
from domain.values import (
    AssessmentOutcome,
    Category,
    EvaluationConclusion,
    IncidentGrade,
    IncidentKind,
    IncidentSource,
    Indicator,
    Level,
    ParkLevel,
    Product,
    ProposalAction,
    Reference,
    Region,
    RemovalReason,
    ThirdPartyEvaluation,
    Uscc,
)
from tests.builders import JIANGSU, VALID_USCC, by_ministry, by_province

SELF_EVALUATION = Reference(doc_no="自评价报告-2022-001", title="绿色工厂自评价报告")
REPORT = Reference(doc_no="评价报告-2022-017", title="绿色工厂第三方评价报告")


def enterprise(
    name: str = "江苏绿源钢铁有限公司",
    industry: str | None = None,
    region: str = JIANGSU,
    uscc: str | None = None,
) -> Enterprise:
    return Enterprise.register(
        enterprise_id=identity("rule-test", region, name),
        name=name,
        region=Region.of(region),
        uscc=Uscc(uscc) if uscc else None,
        industry=industry,
        provenance=by_province(date(2018, 1, 5), region),
    )


def incident(
    the_enterprise: Enterprise,
    kind: str,
    occurred_on: date,
    grade: str | None = None,
    recorded_on: date | None = None,
) -> UUID:
    return the_enterprise.record_incident(
        kind=IncidentKind(kind),
        grade=IncidentGrade(grade) if grade else None,
        occurred_on=occurred_on,
        source=IncidentSource.CREDIT_CHINA,
        reference=None,
        provenance=by_province(recorded_on or occurred_on),
    )


def nominated(
    the_enterprise: Enterprise,
    category: Category = Category.GREEN_FACTORY,
    level: Level = Level.NATIONAL,
    on: date = date(2022, 10, 20),
    batch_year: int = 2022,
    product: Product | None = None,
    park_level: ParkLevel | None = None,
) -> Listing:
    return Listing.nominate(
        listing_id=listing_id_for(the_enterprise.id, category, level, product),
        enterprise_id=the_enterprise.id,
        region=the_enterprise.region,
        category=category,
        level=level,
        batch_year=batch_year,
        product=product,
        park_level=park_level,
        self_evaluation=None,
        third_party_evaluation=None,
        indicators={},
        rulebook="2022",
        rule_findings=(),
        provenance=by_province(on),
    )


def listed(
    the_enterprise: Enterprise,
    category: Category = Category.GREEN_FACTORY,
    level: Level = Level.NATIONAL,
    on: date = date(2023, 3, 23),
    batch_year: int = 2022,
) -> Listing:
    listing = nominated(the_enterprise, category, level, date(on.year - 1, 10, 20), batch_year)
    listing.put_on_list(
        batch_year=batch_year,
        announcement=Reference(doc_no="工信厅节函〔2023〕64号"),
        rulebook="2022",
        rule_findings=(),
        provenance=by_ministry(on),
    )
    return listing


def remove(listing: Listing, on: date, barred_until: date | None, reason: str = "incident") -> None:
    listing.remove(
        reasons=(RemovalReason(reason),),
        announcement=None,
        barred_until=barred_until,
        rulebook="2022",
        rule_findings=(),
        provenance=by_ministry(on),
    )


def assess(listing: Listing, ordered_on: date, outcome: str) -> UUID:
    assessment_id = listing.order_assessment(
        reason="指标不达标", provenance=by_province(ordered_on)
    )
    listing.conclude_assessment(
        assessment_id=assessment_id,
        outcome=AssessmentOutcome(outcome),
        findings=("单位产品能耗高于标准",),
        rulebook="2022",
        rule_findings=(),
        provenance=by_province(ordered_on),
    )
    return assessment_id


def propose(listing: Listing, on: date, action: str = "remove") -> None:
    listing.propose_adjustment(
        action=ProposalAction(action),
        reasons=("现场评估不符合要求",),
        new_name=None,
        rulebook="2022",
        rule_findings=(),
        provenance=by_province(on),
    )


def file_table(listing: Listing, report_year: int, on: date) -> None:
    listing.submit_filing(
        report_year=report_year,
        indicators={"energy_per_unit_product": Indicator(Decimal("512.3"), "kgce/t")},
        provenance=by_province(on),
    )


def assessor(
    name: str = "中环联合（北京）认证中心有限公司",
    uscc: str = VALID_USCC[2],
    group: str | None = None,
    senior_staff: int = 6,
    intermediate_staff: int = 8,
    legal_representative: str | None = None,
) -> Assessor:
    the_uscc = Uscc(uscc)
    return Assessor.register(
        assessor_id=assessor_id_for(the_uscc),
        name=name,
        uscc=the_uscc,
        group=group,
        senior_staff=senior_staff,
        intermediate_staff=intermediate_staff,
        legal_representative=legal_representative,
        provenance=by_ministry(date(2020, 1, 1)),
    )


def batch(level: Level = Level.NATIONAL, year: int = 2022) -> Batch:
    return Batch.open(
        level=level,
        batch_year=year,
        rulebook="2022",
        deadlines={},
        quotas={},
        provenance=by_ministry(date(2022, 9, 16)),
    )


def evaluation(
    the_assessor: Assessor, conclusion: EvaluationConclusion = EvaluationConclusion.PASS
) -> ThirdPartyEvaluation:
    return ThirdPartyEvaluation(the_assessor.id, REPORT, conclusion)


def nomination(
    the_enterprise: Enterprise,
    category: Category = Category.GREEN_FACTORY,
    level: Level = Level.NATIONAL,
    *,
    product: Product | None = None,
    park_level: ParkLevel | None = None,
    self_evaluation: Reference | None = SELF_EVALUATION,
    third_party_evaluation: ThirdPartyEvaluation | None = None,
    indicators: dict[str, Indicator] | None = None,
) -> Nomination:
    return Nomination(
        listing_id=listing_id_for(the_enterprise.id, category, level, product),
        enterprise_id=the_enterprise.id,
        category=category,
        level=level,
        batch_year=2022,
        product=product,
        park_level=park_level,
        self_evaluation=self_evaluation,
        third_party_evaluation=third_party_evaluation,
        indicators=indicators or {},
    )


def energy_class(value: str) -> dict[str, Indicator]:
    return {"energy_benchmark_class": Indicator(value, "class")}


def share(value: str) -> dict[str, Indicator]:
    return {"industrial_value_added_share": Indicator(Decimal(value), "%")}
