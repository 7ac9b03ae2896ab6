"""企业绿码 (ADR 0151): the shares and their rounding, ties at a boundary, the score, and who gets
no code (a unit that did not file, a unit whose data are abnormal)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from domain.errors import InvalidInputError
from domain.ledger import Ledger
from domain.national.commands import (
    GreenCodesAlreadyAssignedError,
    assign_green_codes,
    get_green_codes,
    record_green_code,
    record_green_code_application,
)
from domain.national.scoring import (
    METHOD_2024,
    GreenCode,
    ImplausibleDataError,
    grade,
    score,
    shares,
)
from domain.values import Indicator
from tests.builders import by_ministry, by_province, listed_factory


def counts(n: int) -> tuple[int, int, int]:
    graded = grade(METHOD_2024, [(uuid4(), Decimal(1000 - i)) for i in range(n)])
    tally = Counter(g.grade for g in graded)
    return tally[GreenCode.A_PLUS], tally[GreenCode.A], tally[GreenCode.B]


@pytest.mark.parametrize(
    ("units", "expected"),
    [
        (1, (0, 0, 1)),
        (19, (0, 7, 12)),
        (20, (1, 7, 12)),
        (21, (1, 7, 13)),
        (1000, (50, 350, 600)),
    ],
)
def test_the_shares_are_floors_of_5_and_40_percent(
    units: int, expected: tuple[int, int, int]
) -> None:
    assert counts(units) == expected
    a_plus, a_or_better = shares(METHOD_2024, units)
    assert (a_plus, a_or_better - a_plus) == expected[:2]


def test_a_tie_at_a_boundary_takes_the_lower_grade() -> None:
    # 20 units: the 1st and 2nd tie, so neither is A+ (one A+ place, never split); the eight
    # places of A+ or A then all go to A.
    scores = [(uuid4(), Decimal(90)), (uuid4(), Decimal(90))]
    scores += [(uuid4(), Decimal(80 - i)) for i in range(18)]

    graded = grade(METHOD_2024, scores)

    assert [g.grade for g in graded[:2]] == [GreenCode.A, GreenCode.A]
    assert [g.rank for g in graded[:3]] == [1, 1, 3]
    assert Counter(g.grade for g in graded) == {GreenCode.A: 8, GreenCode.B: 12}


FILED = {
    "energy_per_unit_product": Indicator(Decimal(450), "kgce/t"),
    "energy_benchmark_class": Indicator("advanced", "class"),
    "carbon_per_unit_product": Indicator(Decimal("1.5"), "tCO2e/t"),
    "water_per_unit_product": Indicator(Decimal("3.5"), "m3/t"),
    "solid_waste_utilisation_rate": Indicator(Decimal(90), "%"),
    "green_power_share": Indicator(Decimal(25), "%"),
}


def test_the_score_rewards_better_than_benchmark_and_filing_more() -> None:
    at_benchmark = score(METHOD_2024, "纺织", FILED)
    better = score(
        METHOD_2024,
        "纺织",
        {**FILED, "energy_per_unit_product": Indicator(Decimal(300), "kgce/t")},
    )
    fewer = score(
        METHOD_2024, "纺织", {"energy_per_unit_product": FILED["energy_per_unit_product"]}
    )

    # 75 of the 100 weight filed at ratio 1 (class "advanced" = 1.0), the cap 1.2: 75 / 1.2.
    assert at_benchmark == Decimal("62.50")
    assert better > at_benchmark
    assert fewer < at_benchmark


def test_an_industry_row_replaces_the_default_benchmark() -> None:
    steel = score(METHOD_2024, "钢铁", FILED)
    textile = score(METHOD_2024, "纺织", FILED)

    assert steel > textile  # 450 kgce/t is better than steel's 540, equal to the default 450


@pytest.mark.parametrize(
    ("code", "value", "unit"),
    [
        ("solid_waste_utilisation_rate", Decimal(130), "%"),
        ("energy_per_unit_product", Decimal(-1), "kgce/t"),
        ("energy_per_unit_product", Decimal(0), "kgce/t"),
        ("energy_benchmark_class", "excellent", "class"),
    ],
)
def test_abnormal_data_get_no_score(code: str, value: Decimal | str, unit: str) -> None:
    with pytest.raises(ImplausibleDataError):
        score(METHOD_2024, None, {**FILED, code: Indicator(value, unit)})


# -- the ledger's commands ------------------------------------------------------------------------


def filed(ledger: Ledger, listing_id: UUID, indicators: dict[str, Indicator]) -> None:
    ledger.submit_filing(
        listing_id,
        report_year=2024,
        indicators=indicators,
        provenance=by_province(date(2025, 3, 1)),
    )


def test_non_filers_and_abnormal_data_get_no_code_and_the_ledger_says_why(
    memory_ledger: Ledger,
) -> None:
    good = listed_factory(memory_ledger, "江苏甲纺织有限公司")
    silent = listed_factory(memory_ledger, "江苏乙纺织有限公司")
    abnormal = listed_factory(memory_ledger, "江苏丙纺织有限公司")
    never_applied = listed_factory(memory_ledger, "江苏丁纺织有限公司")
    filed(memory_ledger, good.listing_id, FILED)
    filed(memory_ledger, never_applied.listing_id, FILED)
    filed(
        memory_ledger,
        abnormal.listing_id,
        {**FILED, "green_power_share": Indicator(Decimal(140), "%")},
    )
    for unit in (good, silent, abnormal):
        record_green_code_application(
            memory_ledger,
            unit.listing_id,
            report_year=2024,
            provenance=by_province(date(2025, 4, 1)),
        )

    assign_green_codes(memory_ledger, report_year=2024, provenance=by_ministry(date(2025, 9, 1)))

    codes = get_green_codes(memory_ledger, 2024)
    assert codes is not None
    assert set(codes.grades) == {good.listing_id}
    assert codes.grades[good.listing_id].grade == "B"  # one unit: 0 / 0 / 1
    assert codes.grades[good.listing_id].graded == 1
    assert "未填报" in codes.withheld[silent.listing_id]
    assert "数据异常" in codes.withheld[abnormal.listing_id]
    assert never_applied.listing_id not in codes.withheld
    with pytest.raises(GreenCodesAlreadyAssignedError):
        assign_green_codes(
            memory_ledger, report_year=2024, provenance=by_ministry(date(2025, 9, 2))
        )


def test_the_ministry_records_a_grade_assigned_elsewhere_as_a_fact(memory_ledger: Ledger) -> None:
    unit = listed_factory(memory_ledger)

    record_green_code(
        memory_ledger,
        unit.listing_id,
        report_year=2024,
        grade="a+",
        provenance=by_ministry(date(2025, 9, 1)),
    )

    codes = get_green_codes(memory_ledger, 2024)
    assert codes is not None
    recorded = codes.grades[unit.listing_id]
    assert (recorded.grade, recorded.score, recorded.method) == ("A+", None, None)
    with pytest.raises(InvalidInputError) as refused:
        record_green_code(
            memory_ledger,
            unit.listing_id,
            report_year=2024,
            grade="C",
            provenance=by_ministry(date(2025, 9, 1)),
        )
    assert refused.value.field == "grade"
