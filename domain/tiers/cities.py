"""Prefecture-level divisions (地级行政区, GB/T 2260) of the 37 reporting regions: the `city` of a
municipal list (市级名单, 工信部节〔2024〕13号 第二条).

`domain/data/prefectures.csv` holds the 333 prefecture-level codes of the Ministry of Civil
Affairs' edition of December 2021, each under the reporting region that reports for it: the five
cities specifically designated in the state plan (计划单列市: 大连, 青岛, 宁波, 厦门, 深圳) are
reporting regions of their own, so each is the one city inside its own region and not a city of
its province. The four municipalities (北京, 天津, 上海, 重庆) and 新疆生产建设兵团 have no
prefecture-level division: they keep no municipal list (ADR 0140).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from domain.tiers.errors import TierInputError
from domain.values import Level, Region


@dataclass(frozen=True)
class City:
    """A prefecture-level division and the reporting region whose municipal lists it keeps."""

    code: str
    name_zh: str
    region_code: str

    @classmethod
    def all(cls) -> tuple[City, ...]:
        return tuple(_cities().values())

    @classmethod
    def find(cls, code: str) -> City | None:
        return _cities().get(code)

    @classmethod
    def of_region(cls, region: Region | str) -> tuple[City, ...]:
        code = region.code if isinstance(region, Region) else region
        return tuple(c for c in _cities().values() if c.region_code == code)


@cache
def _cities() -> dict[str, City]:
    text = resources.files("domain").joinpath("data/prefectures.csv").read_text(encoding="utf-8")
    return {
        row["code"]: City(row["code"], row["name_zh"], row["region_code"])
        for row in csv.DictReader(text.splitlines())
    }


def check_tier(
    level: Level, region: Region | None, city: str | None, *, field: str = "city"
) -> str | None:
    """The city a list of `level` in `region` names, checked: none for the national and the
    provincial lists, a prefecture-level code inside the region for a municipal one."""
    if level is not Level.MUNICIPAL:
        if city:
            raise TierInputError(
                field,
                f"only a municipal list names a city, not a {level.value} one",
                f"只有市级名单填写城市，{level.label_zh}名单不填",
            )
        return None
    if not city:
        raise TierInputError(
            field,
            "a municipal list names its city (six-digit code)",
            "市级名单须填写城市代码（六位）",
        )
    found = City.find(city.strip())
    if found is None:
        raise TierInputError(
            field,
            f"{city!r} is not a prefecture-level code of GB/T 2260",
            f"“{city}”不是地级行政区划代码（GB/T 2260）",
        )
    if region is not None and found.region_code != region.code:
        raise TierInputError(
            field,
            f"{found.code} {found.name_zh} is not inside region {region.code} ({region.name_en})",
            f"{found.name_zh}（{found.code}）不属于{region.name_zh}",
        )
    return found.code


def check_region_for(
    level: Level, region: str | Region | None, field: str = "region"
) -> Region | None:
    """The region of a list of `level`: none for the national list, required for the others."""
    if level is Level.NATIONAL:
        if region:
            raise TierInputError(
                field,
                "the national list belongs to no region",
                "国家级名单不属于某一地区，不填写地区",
            )
        return None
    if not region:
        raise TierInputError(
            field,
            f"a {level.value} list names the region that keeps it",
            f"{level.label_zh}名单须填写所属地区",
        )
    return Region.of(region, field)
