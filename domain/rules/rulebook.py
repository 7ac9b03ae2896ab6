"""Rulebook versions: the parameters of each instrument, chosen by a decision's effective date.

Deadlines, quotas, caps, bar lengths and the incident grades that remove a unit at once are data
here, never literals in the rules (regulation.md, "Instruments, in force by date"). Values marked
unconfirmed in regulation.md are defaults of this table, not settled law.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from domain.errors import UnknownCodeError
from domain.rules.catalogue import rule
from domain.values import Category, IncidentGrade, IncidentKind


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


ACCIDENT_KINDS = frozenset(
    {
        IncidentKind.SAFETY,
        IncidentKind.CYBERSECURITY,
        IncidentKind.DATA_SECURITY,
        IncidentKind.QUALITY,
        IncidentKind.ENVIRONMENT,
    }
)

#: DYN-3: accidents and tax evasion are reported at once and the unit removed.
REPORTABLE_KINDS = ACCIDENT_KINDS | {IncidentKind.TAX_EVASION}

#: The rules that refuse a command when they apply: the negative list, the park quota, the
#: evaluator blacklist and cap. The category requirements (FAC-1, FAC-2, DES-1, PARK-1, SC-1),
#: the evaluator conditions (EVAL-1, EVAL-3) and the 2025 scope (REC-1, REC-2) are recorded as
#: findings, not refused: the ministry weighs them when it publishes the list (ADR 0010). Adding
#: an id here makes it refuse.
BARRING_RULES = frozenset(
    {"NEG-1", "NEG-2", "NEG-3", "NEG-4", "NEG-5", "NEG-6", "PARK-2", "EVAL-2", "EVAL-4"}
)

#: FAC-2: key energy-using industries (发改产业〔2021〕1609号 and its 2022 extension) must reach the
#: benchmark (标杆) level; matched as words in the enterprise's industry. Unconfirmed default.
KEY_ENERGY_INDUSTRIES = (
    "钢铁",
    "冶金",
    "铁合金",
    "有色",
    "电解铝",
    "铜冶炼",
    "铅冶炼",
    "锌冶炼",
    "水泥",
    "平板玻璃",
    "建筑陶瓷",
    "卫生陶瓷",
    "炼油",
    "石化",
    "乙烯",
    "对二甲苯",
    "煤化工",
    "焦化",
    "合成氨",
    "电石",
    "烧碱",
    "纯碱",
    "磷铵",
    "黄磷",
)

#: SC-1: industries evaluated against the supply-chain indicator system.
SUPPLY_CHAIN_SYSTEM_INDUSTRIES = ("电子", "机械", "汽车")

#: FAC-2: the classes of `energy_benchmark_class`, best first (indicators.csv).
ENERGY_CLASSES = ("benchmark", "advanced", "baseline", "below")

ALL_CATEGORIES = frozenset(Category)


@dataclass(frozen=True)
class Rulebook:
    """The parameters of one instrument's version of the rules."""

    version: str
    instrument: str
    title: str
    in_force_from: date
    #: NEG-3 and EVAL-2: a removed unit, a blacklisted evaluator, is barred this many years.
    bar_years: int = 3
    #: The negative list looks back this many years ("近三年").
    lookback_years: int = 3
    #: DYN-3/DYN-4: accidents of these kinds, of this grade or graver, remove at once.
    immediate_removal_kinds: frozenset[IncidentKind] = ACCIDENT_KINDS
    immediate_removal_grade: IncidentGrade = IncidentGrade.MAJOR
    #: PARK-2: parks nominated per region per year.
    parks_per_region_per_year: int = 3
    #: EVAL-4: evaluations per evaluator group (a legal person and its affiliates) per batch.
    evaluations_per_group_per_batch: int = 15
    #: EVAL-3: staff with intermediate or higher titles, of whom senior.
    evaluator_min_staff: int = 10
    evaluator_min_senior_staff: int = 5
    #: DYN-1: the yearly indicator filing for report year Y is due on (month, day) of Y + 1 ...
    filing_due_month_day: tuple[int, int] = (11, 30)
    #: ... except where an instrument set a particular date for a particular report year.
    filing_deadline_overrides: tuple[tuple[int, date], ...] = ()
    #: 2025: only factories and parks are recommended, on self-evaluation alone.
    third_party_evaluation_required: bool = True
    #: REC-1: the categories this instrument recommends.
    recommended_categories: frozenset[Category] = ALL_CATEGORIES
    #: The rules that refuse a command when they apply.
    barring_rules: frozenset[str] = BARRING_RULES
    #: DYN-3: the incident kinds reported at once for removal.
    reportable_kinds: frozenset[IncidentKind] = REPORTABLE_KINDS
    #: FAC-2: industries held to the benchmark class; the others to the advanced class.
    key_energy_industries: tuple[str, ...] = KEY_ENERGY_INDUSTRIES
    energy_classes: tuple[str, ...] = ENERGY_CLASSES
    benchmark_class: str = "benchmark"
    advanced_class: str = "advanced"
    #: PARK-1: industrial value added must exceed this share (%).
    park_min_value_added_share: Decimal = Decimal(50)
    #: SC-1: industries evaluated against the supply-chain indicator system, and its indicator.
    supply_chain_system_industries: tuple[str, ...] = SUPPLY_CHAIN_SYSTEM_INDUSTRIES
    supply_chain_indicator: str = "green_supplier_share"

    @property
    def number(self) -> int:
        """The version as a number: versions are the years of their instruments."""
        return int(self.version)

    def enforces(self, rule_id: str) -> bool:
        """Whether the rule is in force under this version (its `since` is this or earlier)."""
        return int(rule(rule_id).since) <= self.number

    def bars_with(self, rule_id: str) -> bool:
        """Whether the rule, when it applies, refuses the command under this version."""
        return rule_id in self.barring_rules and self.enforces(rule_id)

    def bar_end(self, day: date) -> date:
        """The last day of a bar that starts on `day`: barred through it, free the day after."""
        return add_years(day, self.bar_years) - timedelta(days=1)

    def lookback_start(self, day: date) -> date:
        """The first day of the negative list's look-back window ending on `day`."""
        return add_years(day, -self.lookback_years) + timedelta(days=1)

    def removes_at_once(self, kind: IncidentKind, grade: IncidentGrade | None) -> bool:
        """DYN-3/DYN-4: whether an incident of this kind and grade removes the unit at once."""
        return (
            kind in self.immediate_removal_kinds
            and grade is not None
            and grade.rank >= self.immediate_removal_grade.rank
        )

    def filing_deadline(self, report_year: int) -> date:
        for year, deadline in self.filing_deadline_overrides:
            if year == report_year:
                return deadline
        month, day = self.filing_due_month_day
        return date(report_year + 1, month, day)

    @property
    def deadlines(self) -> dict[str, date]:
        """Named deadlines recorded with a batch opened under this rulebook."""
        return {f"filing_{year}": deadline for year, deadline in self.filing_deadline_overrides}

    @property
    def quotas(self) -> dict[str, int]:
        return {
            "parks_per_region_per_year": self.parks_per_region_per_year,
            "evaluations_per_group_per_batch": self.evaluations_per_group_per_batch,
        }


#: The filings due before the 2024 instrument moved the date to 15 April stay due when they were:
#: the first six batches' 2021 tables by 30 November 2022 (235号), the 2022 tables by 30 November
#: 2023 (the 2022 notice's yearly date; unconfirmed).
_EARLIER_DEADLINES = ((2021, date(2022, 11, 30)), (2022, date(2023, 11, 30)))

RULEBOOKS: tuple[Rulebook, ...] = (
    Rulebook(
        version="2016",
        instrument="工信厅节函〔2016〕586号",
        title="关于开展绿色制造体系建设的通知",
        in_force_from=date(2016, 9, 1),
    ),
    Rulebook(
        version="2022",
        instrument="工信厅节函〔2022〕235号",
        title="关于开展2022年度绿色制造名单推荐工作的通知",
        in_force_from=date(2022, 9, 16),
        filing_deadline_overrides=((2021, date(2022, 11, 30)),),
    ),
    Rulebook(
        version="2024",
        instrument="工信部节〔2024〕13号",
        title="绿色工厂梯度培育及管理暂行办法",
        in_force_from=date(2024, 1, 1),
        filing_due_month_day=(4, 15),
        filing_deadline_overrides=_EARLIER_DEADLINES,
    ),
    Rulebook(
        version="2025",
        instrument="工信厅节函〔2025〕390号",
        title="关于开展2025年度绿色制造名单推荐工作的通知",
        in_force_from=date(2025, 10, 1),
        filing_due_month_day=(4, 15),
        filing_deadline_overrides=_EARLIER_DEADLINES,
        third_party_evaluation_required=False,
        recommended_categories=frozenset({Category.GREEN_FACTORY, Category.GREEN_PARK}),
    ),
)


def rulebook_for(day: date) -> Rulebook:
    """The rulebook in force on `day` (the earliest one for days before any was in force)."""
    current = RULEBOOKS[0]
    for rulebook in RULEBOOKS:
        if rulebook.in_force_from <= day:
            current = rulebook
    return current


def rulebook_named(version: str, field: str = "rulebook") -> Rulebook:
    for rulebook in RULEBOOKS:
        if rulebook.version == version:
            return rulebook
    allowed = ", ".join(r.version for r in RULEBOOKS)
    raise UnknownCodeError(field, f"{version!r} is not a rulebook version ({allowed})")
