"""Rulebook versions: the parameters of each instrument, chosen by a decision's effective date.

Deadlines, quotas, caps, bar lengths, the incident grades that make a removal ground or remove at
once, and each round's scope are data here, never literals in the rules (regulation.md,
"Instruments, in force by date", as corrected in "Corrections and precisions (2026-12)"). Values
marked unconfirmed in regulation.md are defaults of this table, not settled law.

The versions, by the day each came into force:
- 2016 工信厅节函〔2016〕586号: the system itself; no rule of the catalogue reads in it.
- 2020 工信厅节函〔2020〕30号 (2020-03; the day is not known, the first of the month is taken):
  the re-review of batches 1–2 every three years (REV-1), removal for a 较大 or graver accident or
  a class Ⅲ or graver environmental event (DYN-3's 2020 reading).
- 2022 工信厅节函〔2022〕235号 (2022-09-16): the negative list, the yearly table, DYN-3 without a
  grade threshold, the evaluators' conditions and cap per legal person per batch.
- 2024 工信部节〔2024〕13号, in force from its publication ("自发布之日起实施"): 2024-01-19, the
  date the document was issued (it was posted on 2024-01-30); so the 2023年度 list of 2024-01-05
  (工信厅节函〔2023〕384号) is judged under 235号. Immediate removal for 重大 or graver accidents,
  self-evaluation or third-party evaluation (第十条), the cap per legal representative per year
  (第二十条), the table due on 15 April.
- 2025 工信厅节函〔2025〕390号 (autumn 2025; 2025-10-01 taken): factories and parks only, on a
  provincial list already, on self-evaluation alone.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from domain.errors import UnknownCodeError
from domain.rules.catalogue import in_force
from domain.rules.instruments import N2016, N2020, N2022, N2023_LIST, N2024, N2025, citation
from domain.values import Category, IncidentGrade, IncidentKind, Level


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

#: The rules that refuse a command when they apply: the negative list, the park conditions and
#: quota, the evaluator blacklist and cap. PARK-1 refuses because its conditions are facts the
#: nomination itself carries (a park level, a value-added share): a park without them, or short of
#: them, is not a green park to be weighed. The other category requirements (FAC-1, FAC-2, DES-1,
#: SC-1), the evaluator conditions (EVAL-1, EVAL-3) and the rounds' scope (REC-1) are recorded as
#: findings, not refused: the ministry weighs them when it publishes the list (ADR 0010). Adding
#: an id here makes it refuse; the rulebooks of 13号 and 390号 add the road to the national list.
BARRING_RULES = frozenset(
    {"NEG-1", "NEG-2", "NEG-3", "NEG-4", "NEG-5", "NEG-6", "PARK-1", "PARK-2", "EVAL-2", "EVAL-4"}
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


class FactoryEvidence(enum.Enum):
    """FAC-1: which evaluation reports a green factory's nomination must carry."""

    #: 235号 一（一）: a self-evaluation and a third-party evaluation.
    BOTH = "both"
    #: 13号 第十条: a self-evaluation or a (passing) third-party evaluation.
    EITHER = "either"
    #: 390号: the self-evaluation alone.
    SELF = "self"


class CapBasis(enum.Enum):
    """EVAL-4: whose evaluations count together against the cap, and over what."""

    #: 235号 三 末段: a legal person with its affiliates (the assessor's group), per batch.
    GROUP_PER_BATCH = "group_per_batch"
    #: 13号 第二十条: bodies with the same legal representative, per year (the yearly national
    #: round); national-level projects only.
    LEGAL_REPRESENTATIVE_PER_YEAR = "legal_representative_per_year"


@dataclass(frozen=True)
class FilingDeadline:
    """DYN-1: when an instrument set a particular date for one report year's table."""

    report_year: int
    due: date
    basis: str


@dataclass(frozen=True)
class RoundScope:
    """REC-1: the categories one yearly round recommends."""

    batch_year: int
    categories: frozenset[Category]


@dataclass(frozen=True)
class Rulebook:
    """The parameters of one instrument's version of the rules."""

    version: str
    instrument: str
    title: str
    in_force_from: date
    #: NEG-3 and EVAL-2: a removed unit, a blacklisted evaluator, is barred this many years; a
    #: continuing condition (NEG-1, NEG-5, NEG-6) bars this long after it ends.
    bar_years: int = 3
    #: The negative list looks back this many years ("近三年").
    lookback_years: int = 3
    #: DYN-3: the incident kinds reported to the ministry for removal ...
    reportable_kinds: frozenset[IncidentKind] = REPORTABLE_KINDS
    #: ... and the grade they must reach to be a ground for it (None: any grade, none given too).
    removal_grade: IncidentGrade | None = None
    #: DYN-4: accidents of these kinds, of this grade or graver, remove at once when recorded
    #: (None: no incident removes at once; the ministry decides).
    immediate_removal_kinds: frozenset[IncidentKind] = ACCIDENT_KINDS
    immediate_removal_grade: IncidentGrade | None = None
    #: PARK-2: parks nominated per region per year, in principle (the ministry may except).
    parks_per_region_per_year: int = 3
    #: EVAL-4: evaluations counted together, and on what basis.
    evaluation_cap: int = 15
    evaluation_cap_basis: CapBasis = CapBasis.GROUP_PER_BATCH
    #: EVAL-3: staff with intermediate or higher titles, of whom senior.
    evaluator_min_staff: int = 10
    evaluator_min_senior_staff: int = 5
    #: DYN-1: the yearly indicator filing for report year Y is due on (month, day) of Y + 1 ...
    filing_due_month_day: tuple[int, int] = (11, 30)
    #: ... except where an instrument set a particular date for a particular report year.
    filing_deadline_overrides: tuple[FilingDeadline, ...] = ()
    #: FAC-1: the evaluation reports a green factory must carry.
    factory_evidence: FactoryEvidence = FactoryEvidence.BOTH
    #: REC-1: the categories recommended in every round (None: no restriction) ...
    recommended_categories: frozenset[Category] | None = None
    #: ... and in particular rounds.
    round_scopes: tuple[RoundScope, ...] = ()
    #: REC-2: the level of list a national applicant must already be on, same category ...
    national_prerequisite: Level | None = None
    #: ... for these categories (None: every category).
    prerequisite_categories: frozenset[Category] | None = None
    #: REC-3: national recommendations of a round close on (month, day) of its year (None: no
    #: such date); recorded with a batch opened on or before it.
    recommendations_close: tuple[int, int] | None = None
    #: PUB-1: days of publicity (公示) before a national list is published (None: none).
    publicity_days: int | None = None
    #: The rules that refuse a command when they apply.
    barring_rules: frozenset[str] = BARRING_RULES
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
        """Whether the rule is in force under this version (it has a reading in it)."""
        return in_force(rule_id, self.version)

    def bars_with(self, rule_id: str) -> bool:
        """Whether the rule, when it applies, refuses the command under this version."""
        return rule_id in self.barring_rules and self.enforces(rule_id)

    def bar_end(self, day: date) -> date:
        """The last day of a bar that starts on `day`: barred through it, free the day after."""
        return add_years(day, self.bar_years) - timedelta(days=1)

    def is_removal_ground(self, kind: IncidentKind, grade: IncidentGrade | None) -> bool:
        """DYN-3: whether an incident of this kind and grade is a ground for removal."""
        if kind not in self.reportable_kinds:
            return False
        if self.removal_grade is None:
            return True
        return grade is not None and grade.rank >= self.removal_grade.rank

    def removes_at_once(self, kind: IncidentKind, grade: IncidentGrade | None) -> bool:
        """DYN-4: whether an incident of this kind and grade removes the unit at once."""
        return (
            self.immediate_removal_grade is not None
            and kind in self.immediate_removal_kinds
            and grade is not None
            and grade.rank >= self.immediate_removal_grade.rank
        )

    @property
    def third_party_evaluation_required(self) -> bool:
        return self.factory_evidence is FactoryEvidence.BOTH

    def recommended_in(self, batch_year: int) -> frozenset[Category] | None:
        """REC-1: the categories the round of `batch_year` recommends (None: unrestricted)."""
        for scope in self.round_scopes:
            if scope.batch_year == batch_year:
                return scope.categories
        return self.recommended_categories

    def filing_deadline(self, report_year: int) -> date:
        return self._deadline(report_year)[0]

    def filing_deadline_basis(self, report_year: int) -> str:
        """The citation the deadline of `report_year`'s table rests on."""
        return self._deadline(report_year)[1]

    def _deadline(self, report_year: int) -> tuple[date, str]:
        for override in self.filing_deadline_overrides:
            if override.report_year == report_year:
                return override.due, override.basis
        month, day = self.filing_due_month_day
        basis = (
            citation(N2024, "第四章 动态管理")
            if self.number >= 2024
            else citation(N2022, "二 第一段")
        )
        return date(report_year + 1, month, day), basis

    @property
    def deadlines(self) -> dict[str, date]:
        """Named deadlines recorded with a batch opened under this rulebook."""
        return {f"filing_{d.report_year}": d.due for d in self.filing_deadline_overrides}

    def batch_deadlines(self, level: Level, batch_year: int, opened_on: date) -> dict[str, date]:
        """The deadlines recorded with a batch: the rulebook's, and for a national round opened
        on or before the day recommendations close (REC-3), that day as `recommendations`. A round
        opened later (390号 opened the 2025 round in the autumn) follows its own notice."""
        deadlines = self.deadlines
        if level is Level.NATIONAL and self.recommendations_close is not None:
            month, day = self.recommendations_close
            if batch_year >= 2000:
                close = date(batch_year, month, day)
                if opened_on <= close:
                    deadlines[RECOMMENDATIONS] = close
        return deadlines

    def requires_provincial_listing(self, category: Category) -> bool:
        """REC-2: whether a national nomination of this category rests on a lower list."""
        return (
            self.enforces("REC-2")
            and self.national_prerequisite is not None
            and (self.prerequisite_categories is None or category in self.prerequisite_categories)
        )

    @property
    def evaluations_per_group_per_batch(self) -> int:
        """EVAL-4's cap (the read side's name for it)."""
        return self.evaluation_cap

    @property
    def quotas(self) -> dict[str, int]:
        cap_key = (
            "evaluations_per_group_per_batch"
            if self.evaluation_cap_basis is CapBasis.GROUP_PER_BATCH
            else "evaluations_per_legal_representative_per_year"
        )
        return {
            "parks_per_region_per_year": self.parks_per_region_per_year,
            cap_key: self.evaluation_cap,
        }


#: The tables due before the 2024 instrument moved the date to 15 April stay due when they were:
#: the first six batches' 2021 tables by 30 November 2022 (235号 二 第一段), the 2022 tables, with
#: the provinces' review and proposals, by 30 April 2023 (工信厅节函〔2023〕64号).
_EARLIER_DEADLINES = (
    FilingDeadline(2021, date(2022, 11, 30), citation(N2022, "二 第一段")),
    FilingDeadline(2022, date(2023, 4, 30), citation(N2023_LIST)),
)

_FACTORIES_AND_PARKS = frozenset({Category.GREEN_FACTORY, Category.GREEN_PARK})

#: The name of REC-3's deadline among a batch's deadlines.
RECOMMENDATIONS = "recommendations"
#: 13号: national green factories are chosen from the provincial lists (REC-2; 390号 adds parks),
#: the provinces recommend by 31 July (REC-3) and 15 days of publicity precede the national list
#: (PUB-1): the ledger's reading of 13号 (articles unverified); all three refuse from its first
#: day. A national nomination of a unit whose provincial list is not in the ledger yet waits for
#: that list to be imported or published (ADR 0150, amended 2026-12-04).
_ROAD_TO_THE_NATIONAL_LIST = frozenset({"REC-2", "REC-3", "PUB-1"})

RULEBOOKS: tuple[Rulebook, ...] = (
    Rulebook(
        version="2016",
        instrument=N2016,
        title="关于开展绿色制造体系建设的通知",
        in_force_from=date(2016, 9, 1),
    ),
    Rulebook(
        version="2020",
        instrument=N2020,
        title="第一批、第二批绿色制造名单复核（标题未核实 title unverified）",
        in_force_from=date(2020, 3, 1),
        reportable_kinds=ACCIDENT_KINDS,
        removal_grade=IncidentGrade.SERIOUS,
    ),
    Rulebook(
        version="2022",
        instrument=N2022,
        title="关于开展2022年度绿色制造名单推荐工作的通知",
        in_force_from=date(2022, 9, 16),
        filing_deadline_overrides=_EARLIER_DEADLINES,
        round_scopes=(
            RoundScope(
                2023,
                frozenset(
                    {Category.GREEN_FACTORY, Category.GREEN_PARK, Category.GREEN_SUPPLY_CHAIN}
                ),
            ),
        ),
    ),
    Rulebook(
        version="2024",
        instrument=N2024,
        title="绿色工厂梯度培育及管理暂行办法",
        in_force_from=date(2024, 1, 19),
        immediate_removal_grade=IncidentGrade.MAJOR,
        evaluation_cap_basis=CapBasis.LEGAL_REPRESENTATIVE_PER_YEAR,
        filing_due_month_day=(4, 15),
        filing_deadline_overrides=_EARLIER_DEADLINES,
        factory_evidence=FactoryEvidence.EITHER,
        national_prerequisite=Level.PROVINCIAL,
        prerequisite_categories=frozenset({Category.GREEN_FACTORY}),
        recommendations_close=(7, 31),
        publicity_days=15,
        barring_rules=BARRING_RULES | _ROAD_TO_THE_NATIONAL_LIST,
    ),
    Rulebook(
        version="2025",
        instrument=N2025,
        title="关于开展2025年度绿色工厂推荐工作的通知",
        in_force_from=date(2025, 10, 1),
        immediate_removal_grade=IncidentGrade.MAJOR,
        evaluation_cap_basis=CapBasis.LEGAL_REPRESENTATIVE_PER_YEAR,
        filing_due_month_day=(4, 15),
        filing_deadline_overrides=_EARLIER_DEADLINES,
        factory_evidence=FactoryEvidence.SELF,
        recommended_categories=_FACTORIES_AND_PARKS,
        national_prerequisite=Level.PROVINCIAL,
        prerequisite_categories=_FACTORIES_AND_PARKS,
        recommendations_close=(7, 31),
        publicity_days=15,
        barring_rules=BARRING_RULES | _ROAD_TO_THE_NATIONAL_LIST,
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
