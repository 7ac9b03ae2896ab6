"""Stars (星级): provinces may rate the units of their own lists 三星, 四星 or 五星 (regulation.md,
Corrections and precisions (2026-12), "Stars and tiers": 河北 by points, 三星 60–75, 四星 75–90,
五星 ≥ 90; 上海 raised units from 四星 to 五星 on 2024-09-26; 宁波's 三星级 municipal factories).
A rating is a fact with its announcement and effective date; a later one upgrades or downgrades
the unit from its own date, and the history keeps both (ADR 0142)."""

from __future__ import annotations

from domain.tiers.errors import TierInputError

STARS = (3, 4, 5)

_ZH = {3: "三星", 4: "四星", 5: "五星"}
_EN = {3: "three stars", 4: "four stars", 5: "five stars"}


def check_stars(stars: int, field: str = "stars") -> int:
    if isinstance(stars, bool) or stars not in STARS:
        raise TierInputError(
            field, f"{stars!r} is not 3, 4 or 5 stars", f"“{stars}”无效，星级应为3、4或5"
        )
    return stars


def stars_zh(stars: int | None) -> str:
    """三星 / 四星 / 五星, or empty when the unit has no rating."""
    return _ZH.get(stars, "") if stars is not None else ""


def stars_en(stars: int | None) -> str:
    return _EN.get(stars, "") if stars is not None else ""
