"""The demo ledger: the real published record, and a fictitious story of dynamic management.

`make run` loads it into a new ledger so that a first look shows a living ledger (issue 6), and
tells only the truth about real units (issue 13, ADR 0042):

- Real: the national lists of batches 1–5 and 2021年度 (data/published-lists/, ADR 0040) and what
  later notices announced as shipped (data/announcements/: 工信厅节函〔2018〕341号 第二条, the
  removal of 江苏省泰兴经济开发区), imported as announced. Real units carry these facts only.
- Fictitious: units named "示例…" (a name no published list holds), registered `synthetic`,
  over the 37 regions and the four categories. Their provinces nominate them under the rules in
  the national rounds 2022–2024 (evaluated by fictitious evaluators), fictitious announcements
  ("示例公告") list them, and four years of dynamic management follow: indicator filings and
  their reviews, overdue and late filings, on-site assessments, incidents (one grave accident
  removing a unit at once), renames, the provinces' proposals, and removals at the next list; the
  last year's proposals still await the ministry's decision.

Every fact goes through the ledger's own commands — the rules check each of them — and a fixed
seed makes it the same story every time. The fictitious part is recorded in bulk
(`Ledger.bulk()`).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from domain.ledger import Ledger, RemovalRequest
from domain.listing import Listing
from domain.loading.announcements import read_announcements
from domain.loading.demo_tiers import tell_tiers
from domain.loading.importing import ImportReport, import_announcements, import_published_lists
from domain.loading.published_lists import read_published_lists
from domain.national.commands import assign_green_codes, record_green_code_application
from domain.rules import rulebook_for
from domain.values import (
    USCC_CHARSET,
    Category,
    EvaluationConclusion,
    Indicator,
    ListingStatus,
    Product,
    Provenance,
    Reference,
    Region,
    RemovalReason,
    ThirdPartyEvaluation,
    batch_label,
    uscc_check_character,
)

DEFAULT_SEED = 235  # 工信厅节函〔2022〕235号
DATA = Path(__file__).resolve().parents[2] / "data"
PUBLISHED_LISTS = DATA / "published-lists"
ANNOUNCEMENTS = DATA / "announcements"

#: Every fictitious name starts so; no published list has a name that does.
FICTITIOUS = "示例"
SYNTHETIC = Reference(
    doc_no="示例", title="示例数据：虚构单位，非真实记录 (fictitious demo data, not a real record)"
)
SYNTHETIC_NOTE = "示例数据：虚构单位及其经历，非真实记录 (a fictitious unit: not a real record)"
MINISTRY = "ministry"
#: The last day of the story: what the ministry has not decided by then awaits its decision.
END_OF_STORY = date(2026, 11, 16)

Progress = Callable[[str, int, int], None]


def fictitious_notice(year: int, number: int, title: str) -> Reference:
    return Reference(
        doc_no=f"示例公告〔{year}〕{number}号",
        title=f"示例：{title}（虚构公告，仅供演示 fictitious, for the demo only）",
    )


@dataclass(frozen=True)
class AnnualList:
    """A fictitious yearly list: it lists a round's units and announces removals."""

    batch_year: int
    opened_on: date
    day: date
    announcement: Reference
    #: Fictitious units nominated per region and category (none: the list only removes).
    units: dict[Category, int] = field(default_factory=dict)
    nominations_from: date | None = None


LISTS = (
    AnnualList(
        2022,
        date(2022, 9, 16),
        date(2023, 3, 23),
        fictitious_notice(2023, 1, "2022年度绿色制造名单"),
        {
            Category.GREEN_FACTORY: 3,
            Category.GREEN_DESIGN_PRODUCT: 1,
            Category.GREEN_PARK: 1,
            Category.GREEN_SUPPLY_CHAIN: 1,
        },
        date(2022, 10, 8),
    ),
    AnnualList(
        2023,
        date(2023, 8, 1),
        date(2024, 1, 5),
        fictitious_notice(2024, 1, "2023年度绿色制造名单"),
        {Category.GREEN_FACTORY: 2, Category.GREEN_PARK: 1, Category.GREEN_SUPPLY_CHAIN: 1},
        date(2023, 9, 1),
    ),
    AnnualList(
        2024,
        date(2024, 5, 10),
        date(2025, 1, 22),
        fictitious_notice(2025, 1, "2024年度绿色制造名单"),
        {Category.GREEN_FACTORY: 2, Category.GREEN_PARK: 1, Category.GREEN_SUPPLY_CHAIN: 1},
        date(2024, 6, 1),
    ),
    AnnualList(
        2025,
        date(2025, 10, 15),
        date(2026, 3, 20),
        fictitious_notice(2026, 1, "2025年度绿色制造名单"),
    ),
)


@dataclass(frozen=True)
class Cycle:
    """One year of dynamic management: tables for `report_year`, filed from `filings_from`."""

    report_year: int
    filings_from: date
    #: The list that announces this year's removals; None: the story ends before it.
    next_list: AnnualList | None

    @property
    def deadline(self) -> date:
        return rulebook_for(date(self.report_year + 1, 12, 31)).filing_deadline(self.report_year)

    @property
    def ends(self) -> date:
        return self.next_list.day if self.next_list is not None else END_OF_STORY

    def phase(self, start: float, end: float, rng: random.Random) -> date:
        """A day between the deadline and the cycle's end, at the given fractions of the span."""
        span = (self.ends - self.deadline).days
        return self.deadline + timedelta(days=rng.randint(int(start * span), int(end * span)))


CYCLES = (
    Cycle(2022, date(2023, 3, 27), LISTS[1]),
    Cycle(2023, date(2024, 2, 1), LISTS[2]),
    Cycle(2024, date(2025, 2, 1), LISTS[3]),
    Cycle(2025, date(2026, 3, 23), None),
)

#: Shares of a cycle's fictitious units on the list.
NON_FILERS = 0.03
NON_COMPLIANT = 0.08
INCIDENTS = 0.02
RENAMES = 0.015
#: Of a round's nominations, the share the list does not take.
REJECTED = 0.03
#: REC-2 (13号): how long before the round's nominations a unit is on its provincial list.
PROVINCIAL_LEAD = timedelta(days=40)
#: PUB-1: how long before the list its publicity starts (15 days, then the list).
PUBLICITY_LEAD = timedelta(days=30)
#: The incidents a cycle draws from (kind, grade): accidents, tax evasion, continuing states.
INCIDENT_KINDS = (
    ("quality", "minor"),
    ("environment", "serious"),
    ("safety", "serious"),
    ("tax_evasion", None),
    ("dishonest_debtor", None),
    ("not_operating", None),
)
#: The cycle after whose table one fictitious factory has a grave accident (removed at once).
GRAVE_ACCIDENT_YEAR = 2024
#: The report year whose 企业绿码 the story assigns, and the day (ADR 0151).
GREEN_CODE_YEAR = 2024
GREEN_CODES_ON = date(2025, 9, 1)
#: The negative-list states: a unit removed for one is removed for the negative list.
NEGATIVE_LIST_KINDS = ("dishonest_debtor", "not_operating")


@dataclass
class DemoReport:
    """What the demo recorded."""

    imported: ImportReport | None = None
    announced: ImportReport | None = None
    fictitious_units: int = 0
    fictitious_enterprises: int = 0
    assessors: int = 0
    nominations: int = 0
    rejected: int = 0
    provincial_listings: int = 0
    green_code_applications: int = 0
    publicised: int = 0
    objections: int = 0
    filings: int = 0
    late_filings: int = 0
    reviews: int = 0
    flagged: int = 0
    assessments: int = 0
    overdue: int = 0
    renames: int = 0
    incidents: int = 0
    grave_accidents: int = 0
    proposals: int = 0
    removals: dict[str, int] = field(default_factory=dict)
    position: int = 0
    #: Fictitious units on provinces' own lists, and their star ratings (ADR 0144).
    provincial_units: int = 0
    star_ratings: int = 0

    @property
    def removed(self) -> int:
        return sum(self.removals.values())

    @property
    def real_units(self) -> int:
        """The units of the published lists: listings imported."""
        return self.imported.imported if self.imported is not None else 0

    @property
    def real_enterprises(self) -> int:
        return self.imported.enterprises_registered if self.imported is not None else 0

    def count_removal(self, reason: RemovalReason) -> None:
        self.removals[reason.value] = self.removals.get(reason.value, 0) + 1


def load_demo(
    ledger: Ledger,
    *,
    published_lists: Path = PUBLISHED_LISTS,
    announcements: Path = ANNOUNCEMENTS,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> DemoReport:
    """Import the real record, then record the fictitious story beside it."""
    report = DemoReport()

    def import_progress(step: object) -> None:
        if progress is not None:
            done, total = getattr(step, "done", 0), getattr(step, "total", 0)
            progress("导入已公布名单 Importing the published lists", done, total)

    report.imported = import_published_lists(
        ledger, read_published_lists(published_lists), progress=import_progress
    )
    report.announced = import_announcements(ledger, read_announcements(announcements))
    story = _Story(ledger, random.Random(seed), report, progress)
    with ledger.bulk(commands_per_save=500) as bulk:
        story.tell()
        tiers = tell_tiers(ledger, story.rng, nomination_indicators)  # ADR 0144
        report.provincial_units, report.star_ratings = tiers.units, tiers.star_ratings
        report.fictitious_enterprises += tiers.units
    report.position = bulk.position or ledger.position
    return report


@dataclass
class _Unit:
    """A fictitious unit: what the story remembers to plan its next facts."""

    listing_id: UUID
    enterprise_id: UUID
    region: Region
    category: Category
    name: str


class _Story:
    def __init__(
        self, ledger: Ledger, rng: random.Random, report: DemoReport, progress: Progress | None
    ) -> None:
        self.ledger = ledger
        self.rng = rng
        self.report = report
        self.progress = progress
        self.units: list[_Unit] = []
        self.assessors: dict[str, UUID] = {}
        #: Removals the next list announces, in the order they were decided.
        self.removals: list[RemovalRequest] = []

    def tell(self) -> None:
        self.register_assessors(date(2022, 6, 1))
        steps = len(LISTS) + len(CYCLES)
        for number, (annual_list, cycle) in enumerate(zip(LISTS, CYCLES, strict=True)):
            self.ledger.open_batch(
                level="national",
                batch_year=annual_list.batch_year,
                provenance=self.ministry(annual_list.opened_on),
            )
            self.nominate_round(annual_list)
            self.publish(annual_list)
            self.tell_stage(
                f"{batch_label(annual_list.batch_year)}名单 list", 2 * number + 1, steps
            )
            self.cycle(cycle)
            if cycle.report_year == GREEN_CODE_YEAR:
                self.green_codes(cycle)
            if cycle.report_year == GRAVE_ACCIDENT_YEAR:
                self.grave_accident(cycle)
            self.tell_stage(
                f"{cycle.report_year}年度动态管理 dynamic management", 2 * number + 2, steps
            )

    def tell_stage(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(f"示例单位 Fictitious units: {stage}", done, total)

    # -- rounds -------------------------------------------------------------------------------

    def register_assessors(self, day: date) -> None:
        for number, region in enumerate(Region.all(), start=1):
            receipt = self.ledger.register_assessor(
                name=f"{FICTITIOUS}{region.label}绿色评价中心有限公司",
                uscc=fictitious_uscc(region, number),
                senior_staff=6,
                intermediate_staff=10,
                synthetic=True,
                provenance=self.ministry(day),
            )
            if receipt.id is None:  # register_assessor always names the assessor
                raise RuntimeError(f"no assessor id for region {region.code}")
            self.assessors[region.code] = receipt.id
            self.report.assessors += 1

    def nominate_round(self, annual_list: AnnualList) -> None:
        """Each province nominates its fictitious units in the round."""
        for region_number, region in enumerate(Region.all()):
            serial = sum(1 for unit in self.units if unit.region == region)
            for category, count in annual_list.units.items():
                for _ in range(count):
                    self.units.append(
                        self.nominate(annual_list, region, category, region_number + serial)
                    )
                    serial += 1

    def nominate(
        self, annual_list: AnnualList, region: Region, category: Category, serial: int
    ) -> _Unit:
        """Register a fictitious enterprise and nominate it, with the evidence its category
        needs (a self-evaluation, a third-party evaluation, the indicators its rules read)."""
        start = annual_list.nominations_from or annual_list.opened_on
        day = start + timedelta(days=self.rng.randint(0, 50))
        name, industry, product = fictitious_unit(region, category, serial)
        from_provincial_list = rulebook_for(day).requires_provincial_listing(category)
        registered = self.ledger.register_enterprise(
            name=name,
            region=region,
            industry=industry,
            synthetic=True,
            provenance=self.province(
                region, start - PROVINCIAL_LEAD if from_provincial_list else day
            ),
        )
        if registered.id is None:  # register_enterprise always names the enterprise
            raise RuntimeError(f"no enterprise id for {name}")
        if from_provincial_list:  # REC-2 (13号): chosen from the province's list
            self.provincial_listing(annual_list, region, registered.id, category, industry)
        evaluation = None
        if category is not Category.GREEN_DESIGN_PRODUCT:
            evaluation = ThirdPartyEvaluation(
                self.assessors[region.code],
                Reference(title=f"{FICTITIOUS}：{name}第三方评价报告（虚构）"),
                EvaluationConclusion.PASS,
            )
        nominated = self.ledger.nominate_listing(
            enterprise_id=registered.id,
            category=category,
            level="national",
            batch_year=annual_list.batch_year,
            product=product,
            park_level="provincial" if category is Category.GREEN_PARK else None,
            self_evaluation=Reference(title=f"{FICTITIOUS}：{name}自评价报告（虚构）"),
            third_party_evaluation=evaluation,
            indicators=nomination_indicators(category, industry, self.rng),
            provenance=self.province(region, day),
        )
        if nominated.id is None:  # nominate_listing always names the listing
            raise RuntimeError(f"no listing id for {name}")
        if evaluation is not None:
            # The fictitious evaluator confirms the evaluation the province cited: only then
            # does it count toward its cap (EVAL-4, ADR 0110).
            self.ledger.confirm_evaluation(
                evaluation.assessor_id,
                nominated.ids[-1],
                provenance=Provenance(
                    f"assessor:{evaluation.assessor_id}", day, (SYNTHETIC,), SYNTHETIC_NOTE
                ),
            )
        self.report.fictitious_enterprises += 1
        self.report.nominations += 1
        return _Unit(nominated.id, registered.id, region, category, name)

    def provincial_listing(
        self,
        annual_list: AnnualList,
        region: Region,
        enterprise_id: UUID,
        category: Category,
        industry: str | None,
    ) -> None:
        """REC-2: the unit is put on its province's (fictitious) provincial list first."""
        start = annual_list.nominations_from or annual_list.opened_on
        self.ledger.open_batch(
            level="provincial",
            batch_year=annual_list.batch_year,
            region=region.code,
            provenance=self.province(region, start - PROVINCIAL_LEAD),
        )
        nominated = self.ledger.nominate_listing(
            enterprise_id=enterprise_id,
            category=category,
            level="provincial",
            batch_year=annual_list.batch_year,
            self_evaluation=Reference(title=f"{FICTITIOUS}：省级绿色工厂自评价报告（虚构）"),
            indicators=nomination_indicators(category, industry, self.rng),
            provenance=self.province(region, start - PROVINCIAL_LEAD),
        )
        if nominated.id is None:
            raise RuntimeError("no provincial listing id")
        notice = fictitious_notice(
            annual_list.batch_year, 100 + int(region.code[:2]), f"{region.label}省级绿色工厂名单"
        )
        self.ledger.publish_batch(
            level="provincial",
            batch_year=annual_list.batch_year,
            announcement=notice,
            listed=[nominated.id],
            region=region.code,
            provenance=Provenance(
                f"province:{region.code}",
                start - PROVINCIAL_LEAD / 2,
                (notice, SYNTHETIC),
                SYNTHETIC_NOTE,
            ),
        )
        self.report.provincial_listings += 1

    def publicise(self, annual_list: AnnualList, nominated: list[UUID]) -> dict[UUID, str]:
        """PUB-1 (13号): the nominees publicised for 15 days before the list; an objection
        against a few, who fall out of the list with their reason."""
        start = annual_list.day - PUBLICITY_LEAD
        notice = fictitious_notice(annual_list.day.year, 50, "拟入选国家级绿色工厂名单公示")
        self.ledger.publicise_batch(
            batch_year=annual_list.batch_year,
            announcement=notice,
            nominees=nominated,
            provenance=Provenance(MINISTRY, start, (notice, SYNTHETIC), SYNTHETIC_NOTE),
        )
        fallen = [i for i in nominated if self.rng.random() < REJECTED]
        for listing_id in fallen:
            self.ledger.record_objection(
                batch_year=annual_list.batch_year,
                listing_id=listing_id,
                objection="示例异议：反映该单位申报数据与实际不符（虚构）",
                objector="示例实名举报人",
                provenance=self.ministry(start + timedelta(days=self.rng.randint(1, 14))),
            )
            self.report.objections += 1
        self.report.publicised += len(nominated)
        return dict.fromkeys(fallen, "示例：公示期间异议经核实成立，不予列入（虚构）")

    def publish(self, annual_list: AnnualList) -> None:
        """The fictitious list: the round's nominations listed (a few not), removals announced;
        under 13号 after a publicity, the nominees that fell out rejected with their reason."""
        nominated = [
            unit.listing_id
            for unit in self.units
            if self.listing(unit).status is ListingStatus.NOMINATED
            and self.listing(unit).batch_year == annual_list.batch_year
        ]
        reasons: dict[UUID, str] = {}
        if nominated and rulebook_for(annual_list.day).publicity_days is not None:
            reasons = self.publicise(annual_list, nominated)
            rejected = list(reasons)
        else:
            rejected = [i for i in nominated if self.rng.random() < REJECTED]
        self.ledger.publish_batch(
            level="national",
            batch_year=annual_list.batch_year,
            announcement=annual_list.announcement,
            listed=[i for i in nominated if i not in rejected],
            rejected=rejected,
            rejection_reasons=reasons,
            removed=self.removals,
            provenance=Provenance(
                MINISTRY,
                annual_list.day,
                (annual_list.announcement, SYNTHETIC),
                SYNTHETIC_NOTE,
            ),
        )
        self.report.fictitious_units += len(nominated) - len(rejected)
        self.report.rejected += len(rejected)
        for request in self.removals:
            self.report.count_removal(request.reasons[0])
        self.removals = []

    # -- a year of dynamic management ---------------------------------------------------------

    def cycle(self, cycle: Cycle) -> None:
        units = [
            unit
            for unit in self.units
            if self.listing(unit).is_on_list
            and self.listing(unit).first_report_year <= cycle.report_year
        ]
        shuffled = self.rng.sample(units, len(units))
        marks = (NON_FILERS, NON_COMPLIANT, INCIDENTS)
        counts = [round(share * len(units)) for share in marks]
        non_filers = shuffled[: counts[0]]
        non_compliant = shuffled[counts[0] : counts[0] + counts[1]]
        incidents = shuffled[counts[0] + counts[1] : sum(counts)]
        for unit in units:
            if unit not in non_filers:
                self.file_and_review(cycle, unit, poor=unit in non_compliant)
        self.non_filers(cycle, non_filers)
        for unit in non_compliant:
            self.assess(cycle, unit)
        for unit in incidents:
            self.incident(cycle, unit)
        renamed = [u for u in shuffled[sum(counts) :] if self.rng.random() < RENAMES]
        for unit in renamed:
            self.rename(cycle, unit)

    def green_codes(self, cycle: Cycle) -> None:
        """企业绿码 (ADR 0151): the fictitious national factories on the list apply; the ministry
        assigns the year's codes by the documented method (non-filers get none)."""
        applied = cycle.deadline + timedelta(days=10)
        for unit in self.units:
            listing = self.listing(unit)
            if unit.category is Category.GREEN_FACTORY and listing.is_on_list:
                record_green_code_application(
                    self.ledger,
                    unit.listing_id,
                    report_year=cycle.report_year,
                    provenance=self.province(unit.region, applied),
                )
                self.report.green_code_applications += 1
        notice = fictitious_notice(cycle.report_year + 1, 80, f"{cycle.report_year}年度企业绿码")
        assign_green_codes(
            self.ledger,
            report_year=cycle.report_year,
            announcement=notice,
            provenance=Provenance(MINISTRY, GREEN_CODES_ON, (notice, SYNTHETIC), SYNTHETIC_NOTE),
        )

    def file_and_review(self, cycle: Cycle, unit: _Unit, *, poor: bool) -> None:
        window = (cycle.deadline - cycle.filings_from).days
        filed_on = cycle.filings_from + timedelta(days=self.rng.randint(0, window))
        self.ledger.submit_filing(
            unit.listing_id,
            report_year=cycle.report_year,
            indicators=filing_indicators(unit.category, self.rng, poor=poor),
            provenance=self.province(unit.region, filed_on),
        )
        reviewed_on = min(filed_on + timedelta(days=self.rng.randint(3, 20)), cycle.deadline)
        self.ledger.review_filing(
            unit.listing_id,
            report_year=cycle.report_year,
            outcome="non_compliant" if poor else "compliant",
            findings=["关键指标未达到评价要求"] if poor else [],
            provenance=self.province(unit.region, max(reviewed_on, filed_on)),
        )
        self.report.filings += 1
        self.report.reviews += 1
        self.report.flagged += poor

    def non_filers(self, cycle: Cycle, units: Iterable[_Unit]) -> None:
        """Overdue after the deadline; some file late, the others are proposed for removal."""
        for unit in units:
            noticed = cycle.deadline + timedelta(days=self.rng.randint(3, 10))
            self.ledger.record_filing_overdue(
                unit.listing_id,
                report_year=cycle.report_year,
                provenance=self.ministry(noticed),
            )
            self.report.overdue += 1
            if self.rng.random() < 0.4:
                self.ledger.submit_filing(
                    unit.listing_id,
                    report_year=cycle.report_year,
                    indicators=filing_indicators(unit.category, self.rng, poor=False),
                    provenance=self.province(
                        unit.region, noticed + timedelta(days=self.rng.randint(5, 30)), "逾期补报"
                    ),
                )
                self.report.late_filings += 1
                continue
            self.propose(cycle, unit, "remove", "拒不填报动态管理表", (0.3, 0.4))
            self.removals.append(RemovalRequest(unit.listing_id, (RemovalReason.REFUSED_FILING,)))

    def assess(self, cycle: Cycle, unit: _Unit) -> None:
        """DYN-2: the flagged unit assessed on site; the province proposes after."""
        ordered_on = self.after(unit, cycle.phase(0.05, 0.15, self.rng))
        assessment = self.ledger.order_assessment(
            unit.listing_id,
            reason="动态管理表关键指标未达到评价要求",
            provenance=self.province(unit.region, ordered_on),
        )
        if assessment.id is None:  # order_assessment always names the assessment it orders
            raise RuntimeError(f"no assessment id for listing {unit.listing_id}")
        self.report.assessments += 1
        draw = self.rng.random()
        outcome, findings = (
            ("does_not_meet", "现场评估确认关键指标不达标")
            if draw < 0.4
            else ("meets", "现场核实指标符合要求，填报有误已更正")
            if draw < 0.75
            else ("rectification_required", "限期整改能效水平")
        )
        self.ledger.conclude_assessment(
            unit.listing_id,
            assessment.id,
            outcome=outcome,
            findings=[findings],
            provenance=self.province(
                unit.region, self.after(unit, cycle.phase(0.2, 0.3, self.rng))
            ),
        )
        if outcome == "does_not_meet":
            self.propose(cycle, unit, "remove", "现场评估不符合要求", (0.35, 0.5))
            self.removals.append(RemovalRequest(unit.listing_id, (RemovalReason.INDICATORS,)))
        elif outcome == "rectification_required":
            self.propose(cycle, unit, "retain", "整改期内保留，下年度复核", (0.35, 0.5))

    def incident(self, cycle: Cycle, unit: _Unit) -> None:
        """A lesser incident flags the unit; the province proposes its removal."""
        kind, grade = self.rng.choice(INCIDENT_KINDS)
        recorded_on = self.after(unit, cycle.phase(0.05, 0.2, self.rng))
        self.ledger.record_incident(
            unit.enterprise_id,
            kind=kind,
            grade=grade,
            occurred_on=recorded_on - timedelta(days=self.rng.randint(1, 20)),
            source=self.rng.choice(("credit_china", "gsxt", "province_report")),
            reference=Reference(title=f"{FICTITIOUS}：{unit.name}信用记录（虚构）"),
            provenance=self.ministry(recorded_on),
        )
        self.report.incidents += 1
        self.propose(cycle, unit, "remove", "发生违法违规行为或触及负面清单", (0.3, 0.45))
        reason = (
            RemovalReason.NEGATIVE_LIST if kind in NEGATIVE_LIST_KINDS else RemovalReason.INCIDENT
        )
        self.removals.append(RemovalRequest(unit.listing_id, (reason,)))

    def rename(self, cycle: Cycle, unit: _Unit) -> None:
        new_name = renamed(unit.name)
        if new_name is None:
            return
        day = self.after(unit, cycle.phase(0.1, 0.2, self.rng))
        self.ledger.rename_enterprise(
            unit.enterprise_id, name=new_name, provenance=self.province(unit.region, day)
        )
        self.ledger.propose_adjustment(
            unit.listing_id,
            action="rename",
            reasons=["企业名称变更，已在动态管理表中申报"],
            new_name=new_name,
            provenance=self.province(unit.region, day),
        )
        unit.name = new_name
        self.report.renames += 1
        self.report.proposals += 1

    def propose(
        self, cycle: Cycle, unit: _Unit, action: str, reason: str, phase: tuple[float, float]
    ) -> None:
        self.ledger.propose_adjustment(
            unit.listing_id,
            action=action,
            reasons=[reason],
            provenance=self.province(unit.region, self.after(unit, cycle.phase(*phase, self.rng))),
        )
        self.report.proposals += 1

    def grave_accident(self, cycle: Cycle) -> None:
        """One grave safety accident (特别重大): the unit is removed at once (DYN-3, DYN-4)."""
        proposed = {request.listing_id for request in self.removals}
        factories = [
            unit
            for unit in self.units
            if unit.category is Category.GREEN_FACTORY
            and self.listing(unit).status is ListingStatus.LISTED
            and unit.listing_id not in proposed
        ]
        unit = self.rng.choice(factories)
        day = self.after(unit, cycle.phase(0.5, 0.6, self.rng))
        self.ledger.record_incident(
            unit.enterprise_id,
            kind="safety",
            grade="grave",
            occurred_on=day - timedelta(days=2),
            source="province_report",
            reference=Reference(title=f"{FICTITIOUS}：{unit.name}特别重大生产安全事故报告（虚构）"),
            provenance=self.ministry(day),
        )
        self.report.incidents += 1
        self.report.grave_accidents += 1
        self.report.count_removal(RemovalReason.INCIDENT)

    # -- helpers ------------------------------------------------------------------------------

    def listing(self, unit: _Unit) -> Listing:
        return self.ledger.get_listing(unit.listing_id)

    def after(self, unit: _Unit, planned: date) -> date:
        """The planned day, or the unit's last fact's day when that is later."""
        return max(planned, self.listing(unit).last_effective_on)

    @staticmethod
    def province(region: Region, day: date, note: str | None = None) -> Provenance:
        return Provenance(
            f"province:{region.code}",
            day,
            (SYNTHETIC,),
            SYNTHETIC_NOTE + (f"；{note}" if note else ""),
        )

    @staticmethod
    def ministry(day: date) -> Provenance:
        return Provenance(MINISTRY, day, (SYNTHETIC,), SYNTHETIC_NOTE)


# -- fictitious names and figures --------------------------------------------------------------

#: Invented words for fictitious names; with the "示例" prefix and the region no name is real.
WORDS = (
    "青禾", "远航", "明川", "嘉木", "云岭", "星河", "蓝湾", "禾丰", "朗润", "恒远", "泽源",
    "启明", "同舟", "瑞丰", "清风", "松涛", "若水", "长青", "晨曦", "望岳",
)  # fmt: skip
FACTORY_INDUSTRIES = ("钢铁", "水泥", "电子", "汽车零部件", "纺织", "食品", "机械", "家电")
SUPPLY_CHAIN_INDUSTRIES = ("电子", "汽车", "机械", "家电")
DESIGN_PRODUCTS = (("节能冰箱", "GB/T 32161-2015"), ("再生纸", "GB/T 32161-2015"))


def fictitious_unit(
    region: Region, category: Category, serial: int
) -> tuple[str, str | None, Product | None]:
    """A fictitious unit's name, industry and product: "示例" + region + an invented word."""
    word = WORDS[serial % len(WORDS)]
    place = f"{FICTITIOUS}{region.label}{word}"
    if category is Category.GREEN_PARK:
        return f"{place}绿色产业园区", None, None
    if category is Category.GREEN_SUPPLY_CHAIN:
        industry = SUPPLY_CHAIN_INDUSTRIES[serial % len(SUPPLY_CHAIN_INDUSTRIES)]
        return f"{place}{industry}集团有限公司", industry, None
    if category is Category.GREEN_DESIGN_PRODUCT:
        product, standard = DESIGN_PRODUCTS[serial % len(DESIGN_PRODUCTS)]
        return (
            f"{place}家居用品有限公司",
            "家电",
            Product(f"{FICTITIOUS}{product}", f"SL-{serial + 100}", standard),
        )
    industry = FACTORY_INDUSTRIES[serial % len(FACTORY_INDUSTRIES)]
    return f"{place}{industry}有限公司", industry, None


def fictitious_uscc(region: Region, number: int) -> str:
    """A credit code no real organisation holds: its organisation-code part (positions 9–17)
    carries a GB 11714 check digit that is wrong, while the whole passes GB 32100's check."""
    body = f"DEM{number:05d}"
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c, 36) * w for c, w in zip(body, weights, strict=True))
    right = {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))
    wrong = next(d for d in "0123456789" if d != right)
    first17 = f"91{region.code}{body}{wrong}"
    if any(c not in USCC_CHARSET for c in first17):
        raise ValueError(first17)  # a programming error: the parts are fixed above
    return first17 + uscc_check_character(first17)


def nomination_indicators(
    category: Category, industry: str | None, rng: random.Random
) -> dict[str, Indicator]:
    """What a nomination's rules read: energy class (FAC-2), value added (PARK-1), suppliers
    (SC-1)."""
    if category is Category.GREEN_FACTORY:
        key = industry in ("钢铁", "水泥")
        return {
            "energy_benchmark_class": Indicator("benchmark" if key else "advanced", "class"),
            "energy_per_unit_product": Indicator(_number(rng, 380, 560), "kgce/t"),
        }
    if category is Category.GREEN_PARK:
        return {"industrial_value_added_share": Indicator(_number(rng, 55, 85), "%")}
    if category is Category.GREEN_SUPPLY_CHAIN:
        return {"green_supplier_share": Indicator(_number(rng, 35, 80), "%")}
    return {}


def filing_indicators(
    category: Category, rng: random.Random, *, poor: bool
) -> dict[str, Indicator]:
    """A yearly table's key indicators, per category, in the units of indicators.csv."""
    if category is Category.GREEN_FACTORY:
        return {
            "energy_per_unit_product": Indicator(
                _number(rng, 620, 780) if poor else _number(rng, 380, 560), "kgce/t"
            ),
            "energy_benchmark_class": Indicator(
                rng.choice(("baseline", "below"))
                if poor
                else rng.choice(("benchmark", "advanced")),
                "class",
            ),
            "carbon_per_unit_product": Indicator(_number(rng, 0.8, 2.6, 2), "tCO2e/t"),
            "water_per_unit_product": Indicator(_number(rng, 1.2, 6.5, 2), "m3/t"),
            "solid_waste_utilisation_rate": Indicator(
                _number(rng, 60, 80) if poor else _number(rng, 85, 99.5), "%"
            ),
            "green_power_share": Indicator(
                _number(rng, 3, 12) if poor else _number(rng, 12, 45), "%"
            ),
        }
    if category is Category.GREEN_PARK:
        return {
            "industrial_value_added_share": Indicator(
                _number(rng, 42, 50) if poor else _number(rng, 55, 85), "%"
            ),
            "energy_output_rate": Indicator(_number(rng, 1.2, 4.5, 2), "万元/tce"),
            "renewable_energy_share": Indicator(_number(rng, 5, 35), "%"),
            "water_reuse_rate": Indicator(_number(rng, 75, 97), "%"),
        }
    if category is Category.GREEN_SUPPLY_CHAIN:
        return {
            "green_supplier_share": Indicator(
                _number(rng, 10, 25) if poor else _number(rng, 35, 80), "%"
            ),
            "recycling_rate": Indicator(_number(rng, 40, 95), "%"),
        }
    return {
        "recycling_rate": Indicator(_number(rng, 30, 55) if poor else _number(rng, 60, 98), "%")
    }


def _number(rng: random.Random, low: float, high: float, places: int = 1) -> Decimal:
    return Decimal(str(round(rng.uniform(low, high), places)))


_RENAMES = (
    ("集团有限公司", "集团股份有限公司"),
    ("有限公司", "股份有限公司"),
    ("园区", "园区管理委员会"),
)


def renamed(name: str) -> str | None:
    """A plausible new name (a change of legal form), or None when none fits."""
    for old, new in _RENAMES:
        if name.endswith(old) and not name.endswith(new):
            return name[: -len(old)] + new
    return None
