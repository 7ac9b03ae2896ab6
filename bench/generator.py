"""A national-scale history, generated: the same seed and scale give the same commands.

N listings (one enterprise each) across the 37 regions and the four categories, nominated in the
national rounds 2016–2024 and listed in September of their year (from 13号 on, a national factory
first on its province's synthetic list: REC-2), then ten years of dynamic management (report
years 2016–2025, filed in the spring of the next year): indicator filings and their reviews,
overdue filings, on-site assessments after a non-compliant review, proposals and removals
(DYN-2), credit incidents that flag a unit for the province's proposal, accidents that remove at
once (DYN-3), renames. Every fact is a `Ledger` command, so the rulebook checks each of
them, as it would in production. The default scale, 50,000 listings, makes about a million events.

The stream is data (`Command`: a ledger method and its keyword arguments) and it is computed
without the ledger: identities are uuid5 (ADR 0003), so the generator knows every id a command
will answer.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.enterprise import key_id, name_key
from domain.ledger import Ledger
from domain.listing import assessment_id_for, listing_id_for
from domain.rules import rulebook_for
from domain.values import (
    Category,
    Indicator,
    Level,
    Product,
    Provenance,
    Reference,
    Region,
)

DEFAULT_SCALE = 50_000
DEFAULT_SEED = 2026
ROUNDS = tuple(range(2016, 2025))
#: Report years filed: each in the spring of the next year, the last in 2026.
LAST_REPORT_YEAR = 2025

SYNTHETIC = Reference(doc_no="BENCH", title="基准测试合成数据 Synthetic benchmark data")
SELF_EVALUATION = Reference(doc_no="BENCH-SE", title="自评价报告（合成）")

#: DYN-1 makes the yearly filing due from the 2021 tables on (工信厅节函〔2022〕235号).
FIRST_YEAR_DUE = 2021
#: DYN-4 removes at once for a major accident from 13号 (2024-01-19) on; before, the ministry
#: decides on it.
FIRST_YEAR_IMMEDIATE = 2024
#: REC-1: the 2023 round (工信厅节函〔2023〕202号) recommends no green design products.
NO_DESIGN_PRODUCTS = (2023,)
#: Per listing and year on the list.
NON_COMPLIANT_SHARE = 0.04
NON_FILER_SHARE = 0.01
INCIDENT_SHARE = 0.006
ACCIDENT_SHARE = 0.001
RENAME_SHARE = 0.004
#: Of a round's nominations.
REJECTED_SHARE = 0.02
#: A round's list is recorded in slices of this many units, each one command (and two events a
#: unit): the library's pipelined insert hangs on PostgreSQL past about 3,000 events in one save
#: (ADR 0060), and a national round holds thousands of units.
PUBLICATION_SLICE = 300

#: The kinds of fact the history holds: the ledger commands it issues.
FACT_KINDS = (
    "open_batch",
    "register_enterprise",
    "nominate_listing",
    "publish_batch",
    "submit_filing",
    "review_filing",
    "record_filing_overdue",
    "order_assessment",
    "conclude_assessment",
    "propose_adjustment",
    "remove_listing",
    "record_incident",
    "rename_enterprise",
)


@dataclass(frozen=True)
class Command:
    """One ledger command: the `Ledger` method's name and its keyword arguments."""

    name: str
    arguments: Mapping[str, Any]

    def issue(self, ledger: Ledger) -> object:
        return getattr(ledger, self.name)(**self.arguments)


@dataclass
class _Unit:
    """What the generator remembers of a listing to plan its next facts."""

    listing_id: UUID
    enterprise_id: UUID
    name: str
    region: str
    category: Category
    batch_year: int
    assessments: int = 0
    renamed: bool = False


@dataclass
class History:
    """The commands of a national history of `scale` listings, from `seed`."""

    scale: int = DEFAULT_SCALE
    seed: int = DEFAULT_SEED
    regions: tuple[str, ...] = field(default_factory=lambda: tuple(r.code for r in Region.all()))

    def __post_init__(self) -> None:
        if self.scale < len(Category) * 2:
            raise ValueError(f"scale {self.scale} is too small for a history (at least 8)")

    def __iter__(self) -> Iterator[Command]:
        rng = random.Random(self.seed)
        on_list: dict[UUID, _Unit] = {}
        per_round = _split(self.scale, len(ROUNDS))
        serial = 0
        for year in range(ROUNDS[0], LAST_REPORT_YEAR + 2):
            yield from self._dynamic_management(rng, year, on_list)
            if year in ROUNDS:
                count = per_round[ROUNDS.index(year)]
                units = self._round_units(rng, year, count, serial)
                serial += count
                yield from self._round(rng, year, units, on_list)

    # -- a national round ---------------------------------------------------------------------

    def _round_units(self, rng: random.Random, year: int, count: int, serial: int) -> list[_Unit]:
        units: list[_Unit] = []
        parks: dict[str, int] = {}
        categories = (
            Category.GREEN_FACTORY,
            Category.GREEN_DESIGN_PRODUCT,
            Category.GREEN_SUPPLY_CHAIN,
            Category.GREEN_PARK,
        )
        for number in range(count):
            # Every region and category from the first round on; then at random.
            index = serial + number
            region = self.regions[index % len(self.regions)]
            if index < len(categories):
                category = categories[index]
            else:
                draw = rng.random()
                category = (
                    Category.GREEN_FACTORY
                    if draw < 0.70
                    else Category.GREEN_DESIGN_PRODUCT
                    if draw < 0.88
                    else Category.GREEN_SUPPLY_CHAIN
                    if draw < 0.97
                    else Category.GREEN_PARK
                )
            if category is Category.GREEN_DESIGN_PRODUCT and year in NO_DESIGN_PRODUCTS:
                category = Category.GREEN_FACTORY
            if category is Category.GREEN_PARK:  # PARK-2: three a region a round
                if parks.get(region, 0) >= 3:
                    category = Category.GREEN_FACTORY
                else:
                    parks[region] = parks.get(region, 0) + 1
            kind = "园区管委会" if category is Category.GREEN_PARK else "有限公司"
            name = f"基准{Region.of(region).name_zh}{year}第{number + 1}号绿色{kind}"
            enterprise_id = key_id(name_key(Region.of(region), name))
            listing_id = listing_id_for(
                enterprise_id, category, Level.NATIONAL, _product(category, name)
            )
            units.append(_Unit(listing_id, enterprise_id, name, region, category, year))
        return units

    def _round(
        self, rng: random.Random, year: int, units: list[_Unit], on_list: dict[UUID, _Unit]
    ) -> Iterator[Command]:
        opened = date(year, 3, 1)
        yield Command(
            "open_batch",
            {"level": "national", "batch_year": year, "provenance": _ministry(opened)},
        )
        days = [opened + timedelta(days=rng.randint(30, 90)) for _ in units]
        resting = [
            unit
            for unit, day in zip(units, days, strict=True)
            if rulebook_for(day).requires_provincial_listing(unit.category)
        ]
        yield from self._provincial_lists(year, resting)
        registered = {unit.enterprise_id for unit in resting}
        for unit, day in zip(units, days, strict=True):
            if unit.enterprise_id not in registered:
                yield _registration(unit, day)
            yield Command("nominate_listing", _nomination(unit, Level.NATIONAL, year, day))
        rejected = {u.listing_id for u in units if rng.random() < REJECTED_SHARE}
        announcement = Reference(doc_no=f"BENCH-{year}", title=f"{year}年度绿色制造名单")
        for first in range(0, len(units), PUBLICATION_SLICE):
            part = units[first : first + PUBLICATION_SLICE]
            yield Command(
                "publish_batch",
                {
                    "level": "national",
                    "batch_year": year,
                    "announcement": announcement,
                    "listed": [u.listing_id for u in part if u.listing_id not in rejected],
                    "rejected": [u.listing_id for u in part if u.listing_id in rejected],
                    "provenance": _ministry(date(year, 9, 1)),
                },
            )
        on_list.update((u.listing_id, u) for u in units if u.listing_id not in rejected)

    def _provincial_lists(self, year: int, units: list[_Unit]) -> Iterator[Command]:
        """REC-2 (13号, 390号): the units a national nomination must rest on, put on their
        provinces' (synthetic) lists first: registered, nominated and listed in March, before
        the national nominations from 31 March on."""
        opened, published = date(year, 3, 1), date(year, 3, 15)
        for region in dict.fromkeys(unit.region for unit in units):
            here = [unit for unit in units if unit.region == region]
            yield Command(
                "open_batch",
                {
                    "level": "provincial",
                    "batch_year": year,
                    "region": region,
                    "provenance": _province(region, opened),
                },
            )
            for unit in here:
                yield _registration(unit, opened)
                yield Command("nominate_listing", _nomination(unit, Level.PROVINCIAL, year, opened))
            announcement = Reference(doc_no=f"BENCH-{region}-{year}", title=f"{year}年度省级名单")
            for first in range(0, len(here), PUBLICATION_SLICE):
                part = here[first : first + PUBLICATION_SLICE]
                yield Command(
                    "publish_batch",
                    {
                        "level": "provincial",
                        "batch_year": year,
                        "region": region,
                        "announcement": announcement,
                        "listed": [_provincial_listing_id(unit) for unit in part],
                        "provenance": _province(region, published),
                    },
                )

    # -- a year of dynamic management ---------------------------------------------------------

    def _dynamic_management(
        self, rng: random.Random, year: int, on_list: dict[UUID, _Unit]
    ) -> Iterator[Command]:
        """The spring filings for `year - 1` and what follows them, in that year's order."""
        report_year = year - 1
        deadline = rulebook_for(date(year, 12, 31)).filing_deadline(report_year)
        later: list[Command] = []
        for unit in list(on_list.values()):
            if unit.batch_year > report_year:
                continue
            draw = rng.random()
            if draw < NON_FILER_SHARE and report_year >= FIRST_YEAR_DUE:
                later.append(
                    Command(
                        "record_filing_overdue",
                        {
                            "listing_id": unit.listing_id,
                            "report_year": report_year,
                            "provenance": _ministry(deadline + timedelta(days=10)),
                        },
                    )
                )
                continue
            non_compliant = draw < NON_FILER_SHARE + NON_COMPLIANT_SHARE
            yield from _filed_and_reviewed(rng, year, unit, non_compliant)
            if non_compliant:
                yield from self._assessment(rng, year, unit, on_list)
            elif rng.random() < INCIDENT_SHARE:
                yield from self._incident(rng, year, unit, on_list)
            elif year >= FIRST_YEAR_IMMEDIATE and rng.random() < ACCIDENT_SHARE:
                yield from self._accident(rng, year, unit, on_list)
            elif not unit.renamed and rng.random() < RENAME_SHARE:
                unit.renamed = True
                yield Command(
                    "rename_enterprise",
                    {
                        "enterprise_id": unit.enterprise_id,
                        "name": unit.name.replace("有限公司", "股份有限公司"),
                        "provenance": _province(unit.region, date(year, 10, rng.randint(1, 20))),
                    },
                )
        yield from later

    def _assessment(
        self, rng: random.Random, year: int, unit: _Unit, on_list: dict[UUID, _Unit]
    ) -> Iterator[Command]:
        """DYN-2: a non-compliant review, an on-site assessment, and perhaps a removal."""
        unit.assessments += 1
        yield Command(
            "order_assessment",
            {
                "listing_id": unit.listing_id,
                "reason": "动态管理表关键指标未达到评价要求",
                "provenance": _province(unit.region, date(year, 5, rng.randint(10, 20))),
            },
        )
        fails = rng.random() < 0.6
        yield Command(
            "conclude_assessment",
            {
                "listing_id": unit.listing_id,
                "assessment_id": assessment_id_for(unit.listing_id, unit.assessments),
                "outcome": "does_not_meet" if fails else "meets",
                "findings": ["现场评估确认关键指标不达标" if fails else "现场核实指标符合要求"],
                "provenance": _province(unit.region, date(year, 6, rng.randint(1, 15))),
            },
        )
        if fails:
            yield from self._removal(rng, year, unit, on_list, "indicators", "现场评估不符合要求")

    def _incident(
        self, rng: random.Random, year: int, unit: _Unit, on_list: dict[UUID, _Unit]
    ) -> Iterator[Command]:
        """A credit incident flags the unit; the province proposes, the ministry decides."""
        yield Command(
            "record_incident",
            {
                "enterprise_id": unit.enterprise_id,
                "kind": "dishonest_debtor",
                "occurred_on": date(year, 6, rng.randint(1, 15)),
                "source": "credit_china",
                "reference": SYNTHETIC,
                "provenance": _ministry(date(year, 6, rng.randint(16, 30))),
            },
        )
        if rng.random() < 0.5:
            yield from self._removal(rng, year, unit, on_list, "incident", "发生违法违规行为")
        else:
            yield Command(
                "propose_adjustment",
                {
                    "listing_id": unit.listing_id,
                    "action": "retain",
                    "reasons": ["情节轻微，已整改"],
                    "provenance": _province(unit.region, date(year, 7, rng.randint(1, 10))),
                },
            )

    def _accident(
        self, rng: random.Random, year: int, unit: _Unit, on_list: dict[UUID, _Unit]
    ) -> Iterator[Command]:
        """DYN-4 (13号): a major safety accident removes the unit at once."""
        yield Command(
            "record_incident",
            {
                "enterprise_id": unit.enterprise_id,
                "kind": "safety",
                "grade": "major",
                "occurred_on": date(year, 6, rng.randint(1, 15)),
                "source": "province_report",
                "reference": SYNTHETIC,
                "provenance": _ministry(date(year, 6, rng.randint(16, 30))),
            },
        )
        del on_list[unit.listing_id]

    def _removal(
        self,
        rng: random.Random,
        year: int,
        unit: _Unit,
        on_list: dict[UUID, _Unit],
        reason: str,
        why: str,
    ) -> Iterator[Command]:
        yield Command(
            "propose_adjustment",
            {
                "listing_id": unit.listing_id,
                "action": "remove",
                "reasons": [why],
                "provenance": _province(unit.region, date(year, 7, rng.randint(1, 10))),
            },
        )
        yield Command(
            "remove_listing",
            {
                "listing_id": unit.listing_id,
                "reasons": [reason],
                "provenance": _ministry(date(year, 8, rng.randint(1, 20))),
            },
        )
        del on_list[unit.listing_id]


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if index < total % parts else 0) for index in range(parts)]


def _registration(unit: _Unit, day: date) -> Command:
    return Command(
        "register_enterprise",
        {
            "name": unit.name,
            "region": unit.region,
            "industry": "钢铁" if unit.category is Category.GREEN_FACTORY else None,
            "provenance": _province(unit.region, day),
        },
    )


def _nomination(unit: _Unit, level: Level, year: int, day: date) -> dict[str, Any]:
    nomination: dict[str, Any] = {
        "enterprise_id": unit.enterprise_id,
        "category": unit.category.value,
        "level": level.value,
        "batch_year": year,
        "provenance": _province(unit.region, day),
    }
    if unit.category is Category.GREEN_DESIGN_PRODUCT:
        nomination["product"] = _product(unit.category, unit.name)
        nomination["self_evaluation"] = SELF_EVALUATION
    if unit.category is Category.GREEN_PARK:  # PARK-1: the level and the share shown
        nomination["park_level"] = "provincial"
        nomination["indicators"] = {"industrial_value_added_share": Indicator(Decimal("65.0"), "%")}
    return nomination


def _provincial_listing_id(unit: _Unit) -> UUID:
    return listing_id_for(
        unit.enterprise_id, unit.category, Level.PROVINCIAL, _product(unit.category, unit.name)
    )


def _product(category: Category, name: str) -> Product | None:
    if category is not Category.GREEN_DESIGN_PRODUCT:
        return None
    return Product(name=f"{name}节能产品", model="GL-1", standard="GB/T 32161-2015")


def _province(region: str, day: date) -> Provenance:
    return Provenance(f"province:{region}", day, (SYNTHETIC,))


def _ministry(day: date) -> Provenance:
    return Provenance("ministry", day, (SYNTHETIC,))


def _indicators(category: Category, rng: random.Random, *, poor: bool) -> dict[str, Indicator]:
    def number(low: float, high: float) -> Decimal:
        return Decimal(str(round(rng.uniform(low, high), 1)))

    if category is Category.GREEN_FACTORY:
        return {
            "energy_per_unit_product": Indicator(
                number(620, 780) if poor else number(380, 560), "kgce/t"
            ),
            "solid_waste_utilisation_rate": Indicator(
                number(60, 80) if poor else number(85, 99), "%"
            ),
        }
    if category is Category.GREEN_PARK:
        return {
            "industrial_value_added_share": Indicator(
                number(42, 50) if poor else number(55, 85), "%"
            )
        }
    if category is Category.GREEN_SUPPLY_CHAIN:
        return {"green_supplier_share": Indicator(number(10, 25) if poor else number(35, 80), "%")}
    return {"recycling_rate": Indicator(number(30, 55) if poor else number(60, 98), "%")}


def _filed_and_reviewed(
    rng: random.Random, year: int, unit: _Unit, non_compliant: bool
) -> Iterator[Command]:
    """The spring filing for `year - 1` and the province's review of it."""
    report_year = year - 1
    filed = date(year, 3, 1) + timedelta(days=rng.randint(0, 40))
    yield Command(
        "submit_filing",
        {
            "listing_id": unit.listing_id,
            "report_year": report_year,
            "indicators": _indicators(unit.category, rng, poor=non_compliant),
            "provenance": _province(unit.region, filed),
        },
    )
    yield Command(
        "review_filing",
        {
            "listing_id": unit.listing_id,
            "report_year": report_year,
            "outcome": "non_compliant" if non_compliant else "compliant",
            "findings": ["关键指标未达到评价要求"] if non_compliant else [],
            "provenance": _province(unit.region, filed + timedelta(days=rng.randint(3, 20))),
        },
    )
