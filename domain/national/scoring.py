"""企业绿码 A+ / A / B (工信部节〔2024〕13号 第二十二条; ADR 0151): a documented, configurable
proposal. The ministry's own scoring is not public; the ledger records the grades it assigns as
facts and may compute a proposal by this method.

**Who gets a code.** For a report year: the national green factories on the list that applied
(a recorded application) and filed that year's table with data that pass the plausibility
checks below. A unit that did not file, or whose data fail them, gets none.

**The score** (0–100, two decimals, half up). For each indicator of the method's set with a
benchmark value for the unit's industry (else the default row), a ratio: `benchmark / value`
for an indicator where lower is better, `value / benchmark` where higher is better, capped at
`cap` (1.2); a class indicator (`energy_benchmark_class`) scores its class's points. The score is
100 × Σ weight × ratio ÷ (Σ weight × cap) over the indicators of the set — an indicator not filed
counts 0, so filing more never lowers a score.

**Plausibility.** A number is refused when negative, a rate (%) above 100, a lower-is-better
value of 0, a class not in the list: the unit's data are abnormal (数据异常) and it gets no code.

**The grades.** Units are ranked by score, highest first. With n graded units, A+ goes to the
first `floor(n × 5 / 100)` and A to the next, up to `floor(n × 40 / 100)` in all; B to the rest
(the shares are caps: never more than 5 % A+, never more than 40 % A+ or A). A tie at a boundary
is never split: tied units all take the lower grade. So 1 unit → 0 / 0 / 1, 19 → 0 / 7 / 12,
20 → 1 / 7 / 12, 21 → 1 / 7 / 13, 1,000 → 50 / 350 / 600. The rank recorded is the position in
that order (1-based; tied units share the best position of their score).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from domain.errors import InvalidInputError
from domain.values import Indicator


class GreenCode(enum.Enum):
    A_PLUS = "A+"
    A = "A"
    B = "B"

    @classmethod
    def parse(cls, text: str) -> GreenCode:
        from domain.errors import UnknownCodeError

        for code in cls:
            if code.value == text.strip().upper():
                return code
        raise UnknownCodeError("grade", f"{text!r} is not a green code (A+, A, B)")


class Direction(enum.Enum):
    LOWER = "lower"
    HIGHER = "higher"
    CLASS = "class"


@dataclass(frozen=True)
class Criterion:
    """One indicator of the method: which way is better, its weight."""

    code: str
    direction: Direction
    weight: Decimal


@dataclass(frozen=True)
class ScoringMethod:
    """A version of the proposal's parameters: the criteria, the benchmark values per industry
    (`"*"`: the default row), the cap of a ratio, the points of each energy class, the shares."""

    version: str
    criteria: tuple[Criterion, ...]
    benchmarks: Mapping[str, Mapping[str, Decimal]]
    cap: Decimal = Decimal("1.2")
    class_points: Mapping[str, Decimal] = field(default_factory=dict)
    a_plus_percent: int = 5
    a_or_better_percent: int = 40

    def benchmark(self, industry: str | None, code: str) -> Decimal | None:
        for name, row in self.benchmarks.items():
            if name != "*" and industry is not None and name in industry and code in row:
                return row[code]
        return self.benchmarks.get("*", {}).get(code)


_D = Decimal
#: The shipped parameter set, for the green-factory indicators of indicators.csv. The benchmark
#: values are illustrative configuration (the ledger holds no published industry values): a
#: ministry or province replaces them by its own in a new version.
METHOD_2024 = ScoringMethod(
    version="gc-2024-1",
    criteria=(
        Criterion("energy_per_unit_product", Direction.LOWER, _D(20)),
        Criterion("energy_benchmark_class", Direction.CLASS, _D(10)),
        Criterion("carbon_per_unit_product", Direction.LOWER, _D(15)),
        Criterion("water_per_unit_product", Direction.LOWER, _D(10)),
        Criterion("pollutant_per_unit_product", Direction.LOWER, _D(5)),
        Criterion("raw_material_per_unit_product", Direction.LOWER, _D(5)),
        Criterion("solid_waste_utilisation_rate", Direction.HIGHER, _D(10)),
        Criterion("wastewater_reuse_rate", Direction.HIGHER, _D(5)),
        Criterion("green_material_rate", Direction.HIGHER, _D(5)),
        Criterion("green_power_share", Direction.HIGHER, _D(10)),
        Criterion("output_per_land_area", Direction.HIGHER, _D(5)),
    ),
    benchmarks={
        "*": {
            "energy_per_unit_product": _D(450),
            "carbon_per_unit_product": _D("1.5"),
            "water_per_unit_product": _D("3.5"),
            "pollutant_per_unit_product": _D("0.5"),
            "raw_material_per_unit_product": _D("1.1"),
            "solid_waste_utilisation_rate": _D(90),
            "wastewater_reuse_rate": _D(80),
            "green_material_rate": _D(50),
            "green_power_share": _D(25),
            "output_per_land_area": _D(300),
        },
        "钢铁": {"energy_per_unit_product": _D(540), "carbon_per_unit_product": _D("1.9")},
        "水泥": {"energy_per_unit_product": _D(100), "carbon_per_unit_product": _D("0.8")},
    },
    class_points={"benchmark": _D("1.2"), "advanced": _D("1.0"), "baseline": _D("0.6")},
)

METHODS: dict[str, ScoringMethod] = {METHOD_2024.version: METHOD_2024}
DEFAULT_METHOD = METHOD_2024.version


class ImplausibleDataError(ValueError):
    """The filed data fail the plausibility checks: no code (数据异常)."""


def _number(indicator: Indicator) -> Decimal:
    if isinstance(indicator.value, Decimal):
        return indicator.value
    try:
        return Decimal(str(indicator.value))
    except ArithmeticError as error:
        raise ImplausibleDataError(f"{indicator.value!r} is not a number") from error


def check_plausible(method: ScoringMethod, indicators: Mapping[str, Indicator]) -> None:
    """Raise `ImplausibleDataError` naming the first indicator that fails the checks."""
    for criterion in method.criteria:
        indicator = indicators.get(criterion.code)
        if indicator is None:
            continue
        if criterion.direction is Direction.CLASS:
            if str(indicator.value) not in (*method.class_points, "below"):
                raise ImplausibleDataError(f"{criterion.code}: unknown class {indicator.value!r}")
            continue
        value = _number(indicator)
        if value < 0:
            raise ImplausibleDataError(f"{criterion.code}: {value} is negative")
        if indicator.unit == "%" and value > 100:
            raise ImplausibleDataError(f"{criterion.code}: {value} % is above 100")
        if criterion.direction is Direction.LOWER and value == 0:
            raise ImplausibleDataError(f"{criterion.code}: 0 cannot be a consumption")


def score(
    method: ScoringMethod, industry: str | None, indicators: Mapping[str, Indicator]
) -> Decimal:
    """The score of one unit's filed indicators (0–100, two decimals); see the module."""
    check_plausible(method, indicators)
    earned, possible = Decimal(0), Decimal(0)
    for criterion in method.criteria:
        benchmark = method.benchmark(industry, criterion.code)
        if criterion.direction is not Direction.CLASS and benchmark is None:
            continue
        possible += criterion.weight * method.cap
        indicator = indicators.get(criterion.code)
        if indicator is None:
            continue
        earned += criterion.weight * _ratio(method, criterion, indicator, benchmark)
    if possible == 0:
        return Decimal(0)
    return (Decimal(100) * earned / possible).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _ratio(
    method: ScoringMethod, criterion: Criterion, indicator: Indicator, benchmark: Decimal | None
) -> Decimal:
    if criterion.direction is Direction.CLASS:
        return min(method.class_points.get(str(indicator.value), Decimal(0)), method.cap)
    if benchmark is None:  # only a CLASS criterion goes without a benchmark
        raise InvalidInputError("benchmark", f"no benchmark for {criterion.code}")
    value = _number(indicator)
    ratio = benchmark / value if criterion.direction is Direction.LOWER else value / benchmark
    return min(ratio, method.cap)


@dataclass(frozen=True)
class Graded:
    listing_id: UUID
    score: Decimal
    rank: int
    grade: GreenCode


def shares(method: ScoringMethod, count: int) -> tuple[int, int]:
    """The cut-offs for `count` units: how many may be A+, how many A+ or A (floors)."""
    return count * method.a_plus_percent // 100, count * method.a_or_better_percent // 100


def grade(method: ScoringMethod, scores: Sequence[tuple[UUID, Decimal]]) -> tuple[Graded, ...]:
    """A+ / A / B by rank (see the module): ties at a boundary take the lower grade; ties in
    order are broken by the listing id, which changes no grade."""
    ordered = sorted(scores, key=lambda item: (-item[1], str(item[0])))
    a_plus, a_or_better = shares(method, len(ordered))
    first_rank: dict[Decimal, int] = {}
    graded: list[Graded] = []
    for index, (listing_id, value) in enumerate(ordered):
        rank = first_rank.setdefault(value, index + 1)
        graded.append(
            Graded(listing_id, value, rank, _grade_at(ordered, index, a_plus, a_or_better))
        )
    return tuple(graded)


def _grade_at(
    ordered: Sequence[tuple[UUID, Decimal]], index: int, a_plus: int, a_or_better: int
) -> GreenCode:
    value = ordered[index][1]
    if index < a_plus and not _tied_across(ordered, value, a_plus):
        return GreenCode.A_PLUS
    if index < a_or_better and not _tied_across(ordered, value, a_or_better):
        return GreenCode.A
    return GreenCode.B


def _tied_across(ordered: Sequence[tuple[UUID, Decimal]], value: Decimal, cut: int) -> bool:
    """Whether a unit of this score also stands at or beyond the cut (a tie across it)."""
    return cut < len(ordered) and ordered[cut][1] == value
