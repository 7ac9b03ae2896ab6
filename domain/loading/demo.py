"""The demo ledger: the real published lists, and a synthetic history of dynamic management on top.

`make run` loads it into a new ledger so that a first look shows a living ledger, not an empty one
(issue 6). What is real: the national lists of batches 1–5 and 2021年度 (data/published-lists/),
and the removal of the batch-2 park 江苏省泰兴经济开发区 in November 2018 (工信厅节函〔2018〕341号,
regulation.md). Everything else is synthetic and says so in its basis and note: four yearly cycles
of indicator filings (report years 2021–2024) with plausible figures per category, their reviews,
a few per cent flagged and assessed on site, removals at about the published yearly rates with the
real announcements of those years, renames, a few incidents and one grave accident removing a unit
at once. A fixed seed makes it the same history every time.

Every fact goes through the ledger's own commands — the rules check each of them — in bulk
(`Ledger.bulk()`), so the whole history takes seconds.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from domain.ledger import Ledger, RemovalRequest
from domain.listing import Listing
from domain.loading.importing import ImportReport, import_published_lists
from domain.loading.published_lists import read_published_lists
from domain.values import (
    Category,
    Indicator,
    Level,
    ListingStatus,
    Provenance,
    Reference,
    RemovalReason,
    batch_label,
)

DEFAULT_SEED = 235  # 工信厅节函〔2022〕235号
PUBLISHED_LISTS = Path(__file__).resolve().parents[2] / "data" / "published-lists"

SYNTHETIC = Reference(
    doc_no="DEMO",
    title="合成演示数据，非真实记录 Synthetic demo data, not a real record",
)
SYNTHETIC_NOTE = "演示数据（合成）synthetic demo data"

MINISTRY = "ministry"

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class AnnualList:
    """A yearly list announcement: it lists the round's units and announces the removals."""

    batch_year: int
    day: date
    announcement: Reference
    #: Published removals per category over the units listed then (regulation.md), as rates.
    removal_rates: dict[Category, float]


@dataclass(frozen=True)
class Cycle:
    """One year of dynamic management: filings for `report_year` due on `deadline`."""

    report_year: int
    filings_from: date
    deadline: date
    annual_list: AnnualList

    @property
    def span(self) -> int:
        return (self.annual_list.day - self.deadline).days

    def phase(self, start: float, end: float, rng: random.Random) -> date:
        """A day between the deadline and the next list, at the given fractions of the span."""
        return self.deadline + timedelta(
            days=rng.randint(int(start * self.span), int(end * self.span))
        )


_DAY_ASSUMED = "公告日期仅到月份，日为演示所设 (the day of the month is assumed for the demo)"

ANNUAL_LISTS = (
    AnnualList(
        2022,
        date(2023, 3, 23),
        Reference(doc_no="工信厅节函〔2023〕64号", title="2022年度绿色制造名单"),
        {
            Category.GREEN_FACTORY: 41 / 2783,
            Category.GREEN_PARK: 3 / 224,
            Category.GREEN_SUPPLY_CHAIN: 5 / 296,
            Category.GREEN_DESIGN_PRODUCT: 72 / 3139,
        },
    ),
    AnnualList(
        2023,
        date(2024, 1, 31),
        Reference(title="2023年度绿色制造名单（384号）", doc_no=None),
        {Category.GREEN_FACTORY: 9 / 3657, Category.GREEN_SUPPLY_CHAIN: 3 / 400},
    ),
    AnnualList(
        2024,
        date(2025, 1, 22),
        Reference(doc_no="工信厅节函〔2025〕33号", title="2024年度绿色制造名单"),
        {
            Category.GREEN_FACTORY: 47 / 5145,
            Category.GREEN_PARK: 3 / 300,
            Category.GREEN_SUPPLY_CHAIN: 4 / 500,
        },
    ),
    AnnualList(
        2025,
        date(2026, 3, 20),
        Reference(title="2025年度绿色制造名单（97号）", doc_no=None),
        {Category.GREEN_FACTORY: 132 / 6527, Category.GREEN_PARK: 3 / 350},
    ),
)

CYCLES = (
    Cycle(2021, date(2022, 9, 20), date(2022, 11, 30), ANNUAL_LISTS[0]),
    # The 2022 tables were due by 30 April 2023 (工信厅节函〔2023〕64号 of 2023-03-23).
    Cycle(2022, date(2023, 3, 24), date(2023, 4, 30), ANNUAL_LISTS[1]),
    Cycle(2023, date(2024, 2, 15), date(2024, 4, 15), ANNUAL_LISTS[2]),
    Cycle(2024, date(2025, 2, 15), date(2025, 4, 15), ANNUAL_LISTS[3]),
)

TAIXING = "江苏省泰兴经济开发区"
TAIXING_REMOVAL = Reference(
    doc_no="工信厅节函〔2018〕341号",
    title="关于江苏省泰兴经济开发区移出绿色制造名单的通知",
)

#: Share of listings flagged by their review each cycle, and what their assessment finds.
FLAGGED_SHARE = 0.03
NON_FILERS_SHARE = 0.01
RENAMES_PER_CYCLE = 12
LESSER_INCIDENTS_PER_CYCLE = 3


@dataclass
class DemoReport:
    """What the demo recorded."""

    imported: ImportReport | None = None
    filings: int = 0
    reviews: int = 0
    flagged: int = 0
    assessments: int = 0
    overdue: int = 0
    renames: int = 0
    incidents: int = 0
    removals: dict[str, int] = field(default_factory=dict)
    position: int = 0

    @property
    def removed(self) -> int:
        return sum(self.removals.values())


def load_demo(
    ledger: Ledger,
    *,
    published_lists: Path = PUBLISHED_LISTS,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> DemoReport:
    """Import the published lists, then record the synthetic history on top."""
    report = DemoReport()

    def import_progress(step: object) -> None:
        if progress is not None:
            done, total = getattr(step, "done", 0), getattr(step, "total", 0)
            progress("导入已公布名单 Importing the published lists", done, total)

    report.imported = import_published_lists(
        ledger, read_published_lists(published_lists), progress=import_progress
    )
    history = _History(ledger, random.Random(seed), report, progress)
    with ledger.bulk(commands_per_save=500) as bulk:
        history.record()
    report.position = bulk.position or ledger.position
    return report


class _History:
    def __init__(
        self, ledger: Ledger, rng: random.Random, report: DemoReport, progress: Progress | None
    ) -> None:
        self.ledger = ledger
        self.rng = rng
        self.report = report
        self.progress = progress
        self.listing_ids = sorted(
            (
                listing_id
                for year in (1, 2, 3, 4, 5, 2021)
                for listing_id in ledger.get_batch(Level.NATIONAL, year).nominations
            ),
            key=str,
        )

    # -- the history --------------------------------------------------------------------------

    def record(self) -> None:
        self.taixing_removal()
        for number, cycle in enumerate(CYCLES, start=1):
            self.tell(f"{cycle.report_year}年度动态管理 Dynamic management", number, len(CYCLES))
            self.cycle(cycle)

    def tell(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)

    def cycle(self, cycle: Cycle) -> None:
        rng = self.rng
        self.open_round(cycle.annual_list)
        active = [self.ledger.get_listing(i) for i in self.listing_ids]
        active = [listing for listing in active if listing.is_on_list]
        targets = self.removal_targets(cycle, active)
        non_filers = {x.id for x in rng.sample(active, round(NON_FILERS_SHARE * len(active)))}
        flagged = {x.id for x in rng.sample(active, round(FLAGGED_SHARE * len(active)))}
        flagged |= {x.id for x in targets[RemovalReason.INDICATORS]}
        non_filers |= {x.id for x in targets[RemovalReason.REFUSED_FILING]}
        non_filers -= flagged

        for listing in active:
            if listing.id not in non_filers:
                self.file_and_review(cycle, listing, non_compliant=listing.id in flagged)
        self.close_year(cycle)
        late = [i for i in sorted(non_filers, key=str) if rng.random() < 0.4]
        late = [i for i in late if i not in {x.id for x in targets[RemovalReason.REFUSED_FILING]}]
        for listing_id in late:
            self.file_late(cycle, listing_id)
        self.renames(cycle, active)
        incidents = self.incidents(cycle, active, targets[RemovalReason.INCIDENT])
        # A unit whose enterprise has a ground for removal (DYN-3) goes for it, not assessed.
        grounded = {enterprise_id for enterprise_id, remove in incidents if remove}
        flagged = {i for i in flagged if self.ledger.get_listing(i).enterprise_id not in grounded}
        to_remove = [x.id for x in targets[RemovalReason.INDICATORS] if x.id in flagged]
        for listing_id in sorted(flagged, key=str):
            removed = self.assess(cycle, listing_id, remove=listing_id in to_remove)
            if not removed:
                to_remove = [i for i in to_remove if i != listing_id]
        incident_removals = self.propose_after_incidents(cycle, incidents)
        requests = (
            [RemovalRequest(i, (RemovalReason.INDICATORS,)) for i in to_remove]
            + [
                RemovalRequest(x.id, (RemovalReason.REFUSED_FILING,))
                for x in targets[RemovalReason.REFUSED_FILING]
            ]
            + [RemovalRequest(i, (RemovalReason.INCIDENT,)) for i in incident_removals]
        )
        self.publish(cycle.annual_list, requests)
        if cycle.report_year == 2023:
            self.grave_accident(cycle)

    def removal_targets(
        self, cycle: Cycle, active: list[Listing]
    ) -> dict[RemovalReason, list[Listing]]:
        """Which listings this cycle's list will remove, at about the published rates."""
        targets: dict[RemovalReason, list[Listing]] = {
            RemovalReason.INDICATORS: [],
            RemovalReason.REFUSED_FILING: [],
            RemovalReason.INCIDENT: [],
        }
        for category, rate in cycle.annual_list.removal_rates.items():
            pool = [
                x for x in active if x.category is category and x.status is ListingStatus.LISTED
            ]
            chosen = self.rng.sample(pool, min(len(pool), round(rate * len(pool))))
            for listing in chosen:
                draw = self.rng.random()
                reason = (
                    RemovalReason.INDICATORS
                    if draw < 0.75
                    else RemovalReason.REFUSED_FILING
                    if draw < 0.95
                    else RemovalReason.INCIDENT
                )
                targets[reason].append(listing)
        return targets

    # -- rounds and lists ---------------------------------------------------------------------

    def open_round(self, annual_list: AnnualList) -> None:
        opened = annual_list.day - timedelta(days=200)
        self.ledger.open_batch(
            level="national",
            batch_year=annual_list.batch_year,
            provenance=self.ministry(opened, (SYNTHETIC,)),
        )

    def publish(self, annual_list: AnnualList, removals: list[RemovalRequest]) -> None:
        """The year's list announces the removals (its new units are not in the demo's data)."""
        if not removals:
            return
        note = f"{batch_label(annual_list.batch_year)}名单公布的移出（移出对象为合成数据）"
        if annual_list.announcement.doc_no is None:
            note += "；" + _DAY_ASSUMED
        self.ledger.publish_batch(
            level="national",
            batch_year=annual_list.batch_year,
            announcement=annual_list.announcement,
            removed=removals,
            provenance=Provenance(
                MINISTRY, annual_list.day, (annual_list.announcement, SYNTHETIC), note
            ),
        )
        for request in removals:
            reason = request.reasons[0].value
            self.report.removals[reason] = self.report.removals.get(reason, 0) + 1

    # -- filings ------------------------------------------------------------------------------

    def file_and_review(self, cycle: Cycle, listing: Listing, *, non_compliant: bool) -> None:
        rng = self.rng
        window = (cycle.deadline - cycle.filings_from).days
        filed_on = cycle.filings_from + timedelta(days=rng.randint(0, window))
        self.ledger.submit_filing(
            listing.id,
            report_year=cycle.report_year,
            indicators=indicators_for(listing.category, rng, poor=non_compliant),
            provenance=self.province(listing, filed_on),
        )
        self.report.filings += 1
        reviewed_on = min(
            filed_on + timedelta(days=rng.randint(3, 20)),
            cycle.deadline + timedelta(days=int(0.15 * cycle.span)),
        )
        findings = ["关键指标未达到评价要求"] if non_compliant else []
        self.ledger.review_filing(
            listing.id,
            report_year=cycle.report_year,
            outcome="non_compliant" if non_compliant else "compliant",
            findings=findings,
            provenance=self.province(listing, reviewed_on),
        )
        self.report.reviews += 1
        self.report.flagged += non_compliant

    def close_year(self, cycle: Cycle) -> None:
        receipt = self.ledger.close_filing_year(
            cycle.report_year,
            self.ministry(cycle.deadline + timedelta(days=1), (SYNTHETIC,)),
        )
        self.report.overdue += len(receipt.ids)

    def file_late(self, cycle: Cycle, listing_id: UUID) -> None:
        listing = self.ledger.get_listing(listing_id)
        filed_on = cycle.deadline + timedelta(days=self.rng.randint(5, int(0.15 * cycle.span)))
        self.ledger.submit_filing(
            listing_id,
            report_year=cycle.report_year,
            indicators=indicators_for(listing.category, self.rng, poor=False),
            provenance=self.province(listing, filed_on, "逾期补报 filed late"),
        )
        self.report.filings += 1

    # -- on-site assessment, proposals --------------------------------------------------------

    def assess(self, cycle: Cycle, listing_id: UUID, *, remove: bool) -> bool:
        """Assess a flagged listing on site; True when the province proposes its removal."""
        rng = self.rng
        listing = self.ledger.get_listing(listing_id)
        if not listing.is_on_list:
            return False
        ordered_on = self.after(listing, cycle.phase(0.2, 0.3, rng))
        assessment = self.ledger.order_assessment(
            listing_id,
            reason="动态管理表关键指标未达到评价要求",
            provenance=self.province(listing, ordered_on),
        )
        if assessment.id is None:  # order_assessment always names the assessment it orders
            raise RuntimeError(f"no assessment id for listing {listing_id}")
        self.report.assessments += 1
        concluded_on = max(ordered_on, cycle.phase(0.4, 0.55, rng))
        if remove:
            outcome, findings = "does_not_meet", ["现场评估确认关键指标不达标"]
        elif rng.random() < 0.5:
            outcome, findings = "meets", ["现场核实指标符合要求，填报有误已更正"]
        else:
            outcome, findings = "rectification_required", ["限期整改能效水平"]
        self.ledger.conclude_assessment(
            listing_id,
            assessment.id,
            outcome=outcome,
            findings=findings,
            provenance=self.province(listing, concluded_on),
        )
        if outcome == "meets":
            return False
        proposed_on = max(concluded_on, cycle.phase(0.6, 0.8, rng))
        self.ledger.propose_adjustment(
            listing_id,
            action="remove" if remove else "retain",
            reasons=["现场评估不符合要求"] if remove else ["整改期内保留，下年度复核"],
            provenance=self.province(listing, proposed_on),
        )
        return remove

    # -- enterprises: renames, incidents ------------------------------------------------------

    def renames(self, cycle: Cycle, active: list[Listing]) -> None:
        rng = self.rng
        seen: set[UUID] = set()
        for listing in rng.sample(active, min(RENAMES_PER_CYCLE, len(active))):
            if listing.enterprise_id in seen:
                continue
            seen.add(listing.enterprise_id)
            enterprise = self.ledger.get_enterprise(listing.enterprise_id)
            new_name = renamed(enterprise.name)
            if new_name is None:
                continue
            day = cycle.phase(0.16, 0.19, rng)
            self.ledger.rename_enterprise(
                enterprise.id, name=new_name, provenance=self.province(listing, day)
            )
            current = self.ledger.get_listing(listing.id)
            if current.is_on_list and current.last_effective_on <= day:
                self.ledger.propose_adjustment(
                    listing.id,
                    action="rename",
                    reasons=["企业名称变更，已在动态管理表中申报"],
                    new_name=new_name,
                    provenance=self.province(listing, day),
                )
            self.report.renames += 1

    def incidents(
        self, cycle: Cycle, active: list[Listing], to_remove: list[Listing]
    ) -> list[tuple[UUID, bool]]:
        """Lesser incidents flag their units: (enterprise, whether its units are to go).

        An accident or tax evasion is a ground for removal (DYN-3): the units it flags go; those
        kept on the list were flagged for a negative-list finding the province weighs.
        """
        rng = self.rng
        chosen = list(to_remove) + rng.sample(active, LESSER_INCIDENTS_PER_CYCLE)
        recorded: list[tuple[UUID, bool]] = []
        grounds = ("quality", "environment", "tax_evasion")
        findings = ("dishonest_debtor", "inspection_problem")
        for listing in chosen:
            current = self.ledger.get_listing(listing.id)
            if not current.is_on_list:
                continue
            occurred_on = cycle.phase(0.17, 0.18, rng)
            recorded_on = max(cycle.phase(0.19, 0.2, rng), current.last_effective_on)
            kind = rng.choice(grounds if listing in to_remove else findings)
            self.ledger.record_incident(
                listing.enterprise_id,
                kind=kind,
                grade="serious" if kind in ("quality", "environment") else None,
                occurred_on=min(occurred_on, recorded_on),
                source=rng.choice(("credit_china", "gsxt", "province_report")),
                reference=SYNTHETIC,
                provenance=self.ministry(recorded_on, (SYNTHETIC,)),
            )
            self.report.incidents += 1
            recorded.append((listing.enterprise_id, listing in to_remove))
        return recorded

    def propose_after_incidents(
        self, cycle: Cycle, incidents: list[tuple[UUID, bool]]
    ) -> list[UUID]:
        """The province's proposal for each unit an incident flagged; those to be removed."""
        removals: list[UUID] = []
        for enterprise_id, remove in incidents:
            for listing_id in self.ledger.get_enterprise(enterprise_id).listing_ids:
                flagged = self.ledger.get_listing(listing_id)
                if flagged.status is not ListingStatus.FLAGGED or listing_id in removals:
                    continue
                self.ledger.propose_adjustment(
                    listing_id,
                    action="remove" if remove else "retain",
                    reasons=["发生违法违规行为" if remove else "情节轻微，已整改"],
                    provenance=self.province(
                        flagged, self.after(flagged, cycle.phase(0.85, 0.9, self.rng))
                    ),
                )
                if remove:
                    removals.append(listing_id)
        return removals

    @staticmethod
    def after(listing: Listing, planned: date) -> date:
        """The planned day, or the listing's last fact's day when that is later."""
        return max(planned, listing.last_effective_on)

    def grave_accident(self, cycle: Cycle) -> None:
        """One grave safety accident (特别重大) in 2025: removed at once (13号, DYN-4)."""
        candidates = [self.ledger.get_listing(i) for i in self.listing_ids]
        factories = [
            x
            for x in candidates
            if x.category is Category.GREEN_FACTORY and x.status is ListingStatus.LISTED
        ]
        listing = self.rng.choice(factories)
        day = max(cycle.annual_list.day + timedelta(days=40), listing.last_effective_on)
        self.ledger.record_incident(
            listing.enterprise_id,
            kind="safety",
            grade="grave",
            occurred_on=day - timedelta(days=2),
            source="province_report",
            reference=SYNTHETIC,
            provenance=self.ministry(day, (SYNTHETIC,)),
        )
        self.report.incidents += 1
        self.report.removals["incident"] = self.report.removals.get("incident", 0) + 1

    def taixing_removal(self) -> None:
        """The first removal on record: 江苏省泰兴经济开发区, November 2018 (real)."""
        enterprise = self.ledger.find_enterprise(region="320000", name=TAIXING)
        if enterprise is None:
            return
        removed_on = date(2018, 11, 1)
        real = (
            "工信厅节函〔2018〕341号：环境污染事件后移出"
            "（真实记录；事件与移出的具体日期为演示所设） "
            "removed after an environmental-pollution event (real; exact days assumed)"
        )
        self.ledger.record_incident(
            enterprise.id,
            kind="environment",
            grade=None,
            occurred_on=date(2018, 10, 1),
            source="inspection",
            reference=TAIXING_REMOVAL,
            provenance=Provenance(MINISTRY, removed_on, (TAIXING_REMOVAL,), real),
        )
        for listing_id in enterprise.listing_ids:
            self.ledger.remove_listing(
                listing_id,
                reasons=["incident"],
                announcement=TAIXING_REMOVAL,
                provenance=Provenance(MINISTRY, removed_on, (TAIXING_REMOVAL,), real),
            )
            self.report.removals["incident"] = self.report.removals.get("incident", 0) + 1

    # -- provenance ---------------------------------------------------------------------------

    def province(self, listing: Listing, day: date, note: str | None = None) -> Provenance:
        return Provenance(
            f"province:{listing.region.code}",
            day,
            (SYNTHETIC,),
            SYNTHETIC_NOTE + (f"；{note}" if note else ""),
        )

    def ministry(self, day: date, basis: tuple[Reference, ...]) -> Provenance:
        return Provenance(MINISTRY, day, basis, SYNTHETIC_NOTE)


# -- plausible figures -----------------------------------------------------------------------


def indicators_for(category: Category, rng: random.Random, *, poor: bool) -> dict[str, Indicator]:
    """A filing's key indicators, per category, in the units of indicators.csv."""

    def number(low: float, high: float, places: int = 1) -> Decimal:
        return Decimal(str(round(rng.uniform(low, high), places)))

    if category is Category.GREEN_FACTORY:
        return {
            "energy_per_unit_product": Indicator(
                number(620, 780) if poor else number(380, 560), "kgce/t"
            ),
            "energy_benchmark_class": Indicator(
                rng.choice(("baseline", "below"))
                if poor
                else rng.choice(("benchmark", "advanced")),
                "class",
            ),
            "carbon_per_unit_product": Indicator(number(0.8, 2.6, 2), "tCO2e/t"),
            "water_per_unit_product": Indicator(number(1.2, 6.5, 2), "m3/t"),
            "solid_waste_utilisation_rate": Indicator(
                number(60, 80) if poor else number(85, 99.5), "%"
            ),
            "green_power_share": Indicator(number(3, 12) if poor else number(12, 45), "%"),
        }
    if category is Category.GREEN_PARK:
        return {
            "industrial_value_added_share": Indicator(
                number(42, 50) if poor else number(55, 85), "%"
            ),
            "energy_output_rate": Indicator(number(1.2, 4.5, 2), "万元/tce"),
            "renewable_energy_share": Indicator(number(5, 35), "%"),
            "solid_waste_utilisation_rate": Indicator(number(70, 99), "%"),
            "water_reuse_rate": Indicator(number(75, 97), "%"),
            "green_power_share": Indicator(number(8, 40), "%"),
        }
    if category is Category.GREEN_SUPPLY_CHAIN:
        return {
            "green_supplier_share": Indicator(number(10, 25) if poor else number(35, 80), "%"),
            "recycling_rate": Indicator(number(40, 95), "%"),
            "industrial_output_value": Indicator(number(50_000, 5_000_000, 0), "万元"),
        }
    return {"recycling_rate": Indicator(number(30, 55) if poor else number(60, 98), "%")}


_RENAMES = (
    ("有限责任公司", "股份有限公司"),
    ("有限公司", "股份有限公司"),
    ("股份有限公司", "集团股份有限公司"),
)


def renamed(name: str) -> str | None:
    """A plausible new name (a change of legal form), or None when none fits."""
    for old, new in _RENAMES:
        if name.endswith(old) and not name.endswith(new):
            return name[: -len(old)] + new
    return None
