"""Category requirements (FAC-1, FAC-2, DES-1, PARK-1, PARK-2, SC-1) and the 2025 scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.rules import rulebook_named
from domain.rules.categories import (
    design_product_standard,
    energy_efficiency,
    factory_evidence,
    on_provincial_list,
    park_conditions,
    parks_per_region,
    recommended_category,
    supply_chain_system,
)
from domain.values import (
    Category,
    EvaluationConclusion,
    EventRef,
    Indicator,
    Level,
    ParkLevel,
    Product,
)
from tests.builders import JIANGSU, ZHEJIANG, by_province
from tests.domain.rule_facts import (
    assessor,
    batch,
    energy_class,
    enterprise,
    evaluation,
    listed,
    nomination,
    share,
)

RULEBOOK_2022 = rulebook_named("2022")
RULEBOOK_2025 = rulebook_named("2025")


def test_a_factory_with_both_reports_meets_fac_1() -> None:
    factory = nomination(enterprise(), third_party_evaluation=evaluation(assessor()))

    assert not factory_evidence(RULEBOOK_2022, factory).applies


def test_a_factory_without_a_third_party_report_falls_short_of_fac_1() -> None:
    finding = factory_evidence(RULEBOOK_2022, nomination(enterprise()))

    assert finding.applies
    assert "第三方评价报告" in finding.detail


def test_a_failed_third_party_evaluation_falls_short_of_fac_1() -> None:
    failed = evaluation(assessor(), EvaluationConclusion.FAIL)

    finding = factory_evidence(
        RULEBOOK_2022, nomination(enterprise(), third_party_evaluation=failed)
    )

    assert finding.applies


def test_under_the_2025_rulebook_a_self_evaluation_alone_meets_fac_1() -> None:
    assert not factory_evidence(RULEBOOK_2025, nomination(enterprise())).applies
    assert factory_evidence(RULEBOOK_2025, nomination(enterprise(), self_evaluation=None)).applies


@pytest.mark.parametrize(
    ("industry", "energy", "short"),
    [
        ("钢铁", "benchmark", False),
        ("钢铁", "advanced", True),
        ("电子", "advanced", False),
        ("电子", "baseline", True),
        (None, "below", True),
    ],
)
def test_the_energy_class_must_reach_what_the_industry_requires(
    industry: str | None, energy: str, short: bool
) -> None:
    factory = nomination(enterprise(industry=industry), indicators=energy_class(energy))

    finding = energy_efficiency(RULEBOOK_2022, factory, industry)

    assert finding.applies is short


def test_a_factory_without_an_energy_class_falls_short_of_fac_2() -> None:
    finding = energy_efficiency(RULEBOOK_2022, nomination(enterprise()), None)

    assert finding.applies
    assert "energy_benchmark_class" in finding.detail


def test_a_design_product_needs_its_standard_and_a_self_evaluation() -> None:
    with_standard = Product("家用电冰箱", "BCD-520", standard="T/CAGP 0018-2017")
    without = Product("家用电冰箱", "BCD-521")
    category = Category.GREEN_DESIGN_PRODUCT

    meets = design_product_standard(
        RULEBOOK_2022, nomination(enterprise(), category, product=with_standard)
    )
    no_standard = design_product_standard(
        RULEBOOK_2022, nomination(enterprise(), category, product=without)
    )
    no_report = design_product_standard(
        RULEBOOK_2022,
        nomination(enterprise(), category, product=with_standard, self_evaluation=None),
    )

    assert not meets.applies
    assert no_standard.applies
    assert no_report.applies


@pytest.mark.parametrize(
    ("park_level", "value_added", "short"),
    [
        (ParkLevel.PROVINCIAL, "50.1", False),
        (ParkLevel.NATIONAL, None, True),  # no share given: evidence missing, not a pass
        (ParkLevel.PROVINCIAL, "50", True),
        (ParkLevel.OTHER, "70", True),
        (None, "70", True),
    ],
)
def test_a_park_is_provincial_or_above_with_value_added_above_half(
    park_level: ParkLevel | None, value_added: str | None, short: bool
) -> None:
    park = nomination(
        enterprise("苏州工业园区管委会"),
        Category.GREEN_PARK,
        park_level=park_level,
        indicators=share(value_added) if value_added else None,
    )

    assert park_conditions(RULEBOOK_2022, park).applies is short


def test_a_region_fourth_park_in_a_year_exceeds_park_2() -> None:
    national = batch()
    for number in range(1, 4):
        national.receive_nomination(
            listing_id=enterprise(f"园区{number}").id,
            region_code=JIANGSU,
            category=Category.GREEN_PARK,
            provenance=by_province(date(2022, 10, 1)),
        )
    fourth = nomination(enterprise("园区4"), Category.GREEN_PARK, park_level=ParkLevel.NATIONAL)
    elsewhere = nomination(enterprise("浙江园区", region=ZHEJIANG), Category.GREEN_PARK)

    refused = parks_per_region(RULEBOOK_2022, fourth, national, JIANGSU)
    other_region = parks_per_region(RULEBOOK_2022, elsewhere, national, ZHEJIANG)

    assert refused.applies
    assert refused.because == tuple(EventRef(national.id, v) for v in (2, 3, 4))
    assert not other_region.applies


def test_a_region_third_park_in_a_year_is_within_park_2() -> None:
    national = batch()
    for number in range(1, 3):
        national.receive_nomination(
            listing_id=enterprise(f"园区{number}").id,
            region_code=JIANGSU,
            category=Category.GREEN_PARK,
            provenance=by_province(date(2022, 10, 1)),
        )
    third = nomination(enterprise("园区3"), Category.GREEN_PARK)

    assert not parks_per_region(RULEBOOK_2022, third, national, JIANGSU).applies


def test_an_automotive_supply_chain_leader_needs_the_supply_chain_indicator() -> None:
    car_maker = enterprise("某汽车集团", industry="汽车")
    category = Category.GREEN_SUPPLY_CHAIN
    with_indicator = nomination(
        car_maker,
        category,
        indicators={"green_supplier_share": Indicator(Decimal(40), "%")},
    )

    assert supply_chain_system(RULEBOOK_2022, nomination(car_maker, category), "汽车").applies
    assert not supply_chain_system(RULEBOOK_2022, with_indicator, "汽车").applies
    assert not supply_chain_system(RULEBOOK_2022, nomination(car_maker, category), "食品").applies


def test_under_the_2025_rulebook_only_factories_and_parks_are_recommended() -> None:
    applicant = enterprise()

    assert not recommended_category(RULEBOOK_2025, nomination(applicant)).applies
    assert not recommended_category(
        RULEBOOK_2025, nomination(applicant, Category.GREEN_PARK)
    ).applies
    refused = recommended_category(
        RULEBOOK_2025, nomination(applicant, Category.GREEN_SUPPLY_CHAIN)
    )
    assert refused.applies
    assert not recommended_category(
        RULEBOOK_2022, nomination(applicant, Category.GREEN_SUPPLY_CHAIN)
    ).applies


def test_a_national_nomination_rests_on_the_provincial_listing_of_its_category() -> None:
    applicant = enterprise()
    provincial = listed(applicant, level=Level.PROVINCIAL, on=date(2025, 3, 1), batch_year=2024)
    day = date(2025, 10, 20)

    on_list = on_provincial_list(RULEBOOK_2025, nomination(applicant), (provincial,), day)
    not_on_list = on_provincial_list(RULEBOOK_2025, nomination(applicant), (), day)
    park = on_provincial_list(
        RULEBOOK_2025, nomination(applicant, Category.GREEN_PARK), (provincial,), day
    )
    provincial_itself = on_provincial_list(
        RULEBOOK_2025, nomination(applicant, level=Level.PROVINCIAL), (), day
    )

    assert not on_list.applies
    assert on_list.because == (EventRef(provincial.id, provincial.listed_version or 0),)
    assert not_on_list.applies
    assert park.applies
    assert not provincial_itself.applies
