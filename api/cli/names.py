"""What a person types on the command line for a region, a category, a level or a status: the
code, or its Chinese name (`--region 江苏`, `--category 绿色工厂`, `--status 已移出`).

A region is found by its six-digit code, its Chinese name (江苏省), the label the published lists
use (江苏) or an alias (兵团); a coded value by its code or its Chinese label; stars and a 企业绿码
exactly as `GET /v1/list` takes them (3, 4, 5; A+, A, B). Anything else is refused naming the
option and what it may be.
"""

from __future__ import annotations

from typing import TypeVar

import typer

from domain.national.scoring import GreenCode
from domain.tiers.stars import STARS
from domain.values import Category, Coded, Level, ListingStatus, Region

C = TypeVar("C", bound=Coded)


def region_named(text: str, option: str = "--region") -> Region:
    """The reporting region `text` names (code, Chinese name, list label or alias)."""
    found = Region.resolve(text)
    if found is None:
        raise typer.BadParameter(
            f"“{text}”不是37个报送地区之一（如 320000、江苏、江苏省） "
            f"{text!r} is not one of the 37 reporting regions",
            param_hint=option,
        )
    return found


def coded_named(kind: type[C], text: str, option: str) -> C:
    """The member of `kind` whose code or Chinese label is `text`."""
    wanted = text.strip()
    for member in kind:
        if wanted in (member.value, member.label_zh):
            return member
    allowed = "、".join(f"{m.label_zh}（{m.value}）" for m in kind)
    raise typer.BadParameter(f"“{text}”无效，应为：{allowed}", param_hint=option)


def category_named(text: str) -> Category:
    return coded_named(Category, text, "--category")


def level_named(text: str) -> Level:
    return coded_named(Level, text, "--level")


def status_named(text: str) -> ListingStatus:
    return coded_named(ListingStatus, text, "--status")


def stars_named(text: str, option: str = "--stars") -> int:
    """Stars as the API's `stars` takes them: 3, 4 or 5 (ADR 0142)."""
    wanted = text.strip()
    if wanted not in {str(stars) for stars in STARS}:
        raise typer.BadParameter(
            f"“{text}”无效，星级应为3、4或5 {text!r} is not 3, 4 or 5 stars", param_hint=option
        )
    return int(wanted)


def green_code_named(text: str, option: str = "--green-code") -> str:
    """A 企业绿码 as the API's `green_code` takes it, exactly: A+, A or B (ADR 0151)."""
    codes = [code.value for code in GreenCode]
    if text not in codes:
        raise typer.BadParameter(
            f"“{text}”无效，企业绿码应为A+、A或B {text!r} is not a green code (A+, A, B)",
            param_hint=option,
        )
    return text
