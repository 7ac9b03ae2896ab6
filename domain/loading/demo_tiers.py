"""The demo's provincial and municipal lists (ADR 0144): fictitious units only ("示例…",
registered `synthetic`), on the own lists of four regions, rated with stars — raised and lowered
later — by fictitious announcements ("示例公告"). Nothing here is about a real organisation.

- 河北 (130000): its 2024 provincial list, rated 三星 / 四星 / 五星; one unit raised to 五星 on
  2024-09-26, one lowered to 三星 on 2025-09-30.
- 上海 (310000): its 2024 provincial list, 四星 and 五星.
- 江苏 (320000): the 2024 municipal list of 苏州市 (320500), 三星 and 四星.
- 宁波 (330200, a 计划单列市): the 2024 municipal list of its own city, 三星.

Every fact goes through the province's own commands (the same rules as every nomination).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from domain.ledger import Ledger
from domain.values import Category, Indicator, Provenance, Reference, Region

FICTITIOUS = "示例"
SYNTHETIC = Reference(
    doc_no="示例", title="示例数据：虚构单位，非真实记录 (fictitious demo data, not a real record)"
)
SYNTHETIC_NOTE = "示例数据：虚构单位及其经历，非真实记录 (a fictitious unit: not a real record)"
WORDS = ("青岚", "禾润", "星湾", "云帆", "朗月", "松石", "清源", "嘉禾", "远山", "明湖")
INDUSTRIES = ("纺织", "食品", "机械", "电子", "家电")
OPENED = date(2024, 3, 1)
PUBLISHED = date(2024, 6, 28)
UPGRADE = date(2024, 9, 26)
DOWNGRADE = date(2025, 9, 30)


#: What a nomination's rules read, for a category and industry (the demo's).
Indicators = Callable[[Category, str | None, random.Random], dict[str, Indicator]]


@dataclass(frozen=True)
class OwnList:
    region: str
    city: str | None
    units: int
    stars: tuple[int, ...]


OWN_LISTS = (
    OwnList("130000", None, 6, (3, 4, 5)),
    OwnList("310000", None, 4, (4, 5)),
    OwnList("320000", "320500", 4, (3, 4)),
    OwnList("330200", "330200", 3, (3,)),
)


@dataclass
class TiersReport:
    units: int = 0
    star_ratings: int = 0


def tell_tiers(ledger: Ledger, rng: random.Random, indicators: Indicators) -> TiersReport:
    """The four regions' own lists of 2024, their stars, one upgrade and one downgrade.
    `indicators(category, industry, rng)` gives a nomination's indicators (the demo's)."""
    report = TiersReport()
    for own in OWN_LISTS:
        region = Region.of(own.region)
        level = "municipal" if own.city else "provincial"
        notice = _notice(region, own.city)
        ledger.open_batch(
            level=level,
            batch_year=2024,
            region=region,
            city=own.city,
            provenance=_province(region, OPENED),
        )
        listed = [
            _nominate(ledger, rng, region, own, serial, indicators) for serial in range(own.units)
        ]
        ledger.publish_batch(
            level=level,
            batch_year=2024,
            region=region,
            city=own.city,
            announcement=notice,
            listed=listed,
            provenance=_province(region, PUBLISHED, notice),
        )
        report.units += len(listed)
        for serial, listing_id in enumerate(listed):
            stars = own.stars[serial % len(own.stars)]
            ledger.rate_stars(
                listing_id,
                stars=stars,
                announcement=notice,
                provenance=_province(region, PUBLISHED, notice),
            )
            report.star_ratings += 1
        if own.region == "130000":  # one raised, one lowered, both kept in the history
            for listing_id, stars, day in ((listed[0], 5, UPGRADE), (listed[2], 3, DOWNGRADE)):
                later = _notice(region, None, day)
                ledger.rate_stars(
                    listing_id,
                    stars=stars,
                    announcement=later,
                    provenance=_province(region, day, later),
                )
                report.star_ratings += 1
    return report


def _nominate(
    ledger: Ledger,
    rng: random.Random,
    region: Region,
    own: OwnList,
    serial: int,
    indicators: Indicators,
) -> UUID:
    industry = INDUSTRIES[serial % len(INDUSTRIES)]
    word = WORDS[(serial + len(region.label)) % len(WORDS)]
    tier = "市级" if own.city else "省级"
    name = f"{FICTITIOUS}{region.label}{tier}{word}{industry}有限公司"
    day = OPENED + timedelta(days=rng.randint(10, 60))
    registered = ledger.register_enterprise(
        name=name, region=region, industry=industry, synthetic=True,
        provenance=_province(region, day),
    )  # fmt: skip
    if registered.id is None:  # register_enterprise always names the enterprise
        raise RuntimeError(f"no enterprise id for {name}")
    nominated = ledger.nominate_listing(
        enterprise_id=registered.id,
        category=Category.GREEN_FACTORY,
        level="municipal" if own.city else "provincial",
        batch_year=2024,
        self_evaluation=Reference(title=f"{FICTITIOUS}：{name}自评价报告（虚构）"),
        indicators=indicators(Category.GREEN_FACTORY, industry, rng),
        city=own.city,
        provenance=_province(region, day),
    )
    if nominated.id is None:
        raise RuntimeError(f"no listing id for {name}")
    return nominated.id


def _notice(region: Region, city: str | None, day: date = PUBLISHED) -> Reference:
    what = "市级" if city else "省级"
    return Reference(
        doc_no=f"示例{region.label}公告〔{day.year}〕{day.month}号",
        title=f"示例：{region.label}{what}绿色工厂名单及星级（虚构公告，仅供演示 fictitious）",
    )


def _province(region: Region, day: date, notice: Reference | None = None) -> Provenance:
    basis = (notice, SYNTHETIC) if notice is not None else (SYNTHETIC,)
    return Provenance(f"province:{region.code}", day, basis, SYNTHETIC_NOTE)
