"""A province publishes its own provincial list with stars, in Chromium (issue 17, ADR 0141,
0142): Jiangsu's officer signs in, publishes each of three fictitious nominees of its 2024
provincial round from the unit's page, rates them 四星, 五星 and 三星 by its announcement,
raises one later, and reads its list filtered by stars, on the dates before and after. Every
unit is fictitious (示例 in its name). Screenshots stay in the test's temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest
from playwright.sync_api import Browser, Page, expect

from api.http.auth import Role
from domain.ledger import Ledger
from domain.values import Provenance, Reference
from tests.e2e.http.live import LiveApi, live_api

pytestmark = pytest.mark.e2e

JIANGSU = "320000"
NAMES = ("江苏示例省级甲纺织有限公司", "江苏示例省级乙机械有限公司", "江苏示例省级丙食品有限公司")


@dataclass(frozen=True)
class Round:
    api: LiveApi
    nominees: tuple[UUID, ...]


@pytest.fixture(scope="module")
def provincial_round(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Round]:
    url = f"sqlite:///{tmp_path_factory.mktemp('stars') / 'ledger.db'}"
    province = Provenance(actor=f"province:{JIANGSU}", effective_on=date(2024, 4, 1))
    nominees = []
    with Ledger.open(url) as ledger:
        ledger.open_batch(level="provincial", batch_year=2024, region=JIANGSU, provenance=province)
        for name in NAMES:
            enterprise = ledger.register_enterprise(
                name=name, region=JIANGSU, synthetic=True, provenance=province
            )
            assert enterprise.id is not None
            nominated = ledger.nominate_listing(
                enterprise_id=enterprise.id,
                category="green_factory",
                level="provincial",
                batch_year=2024,
                self_evaluation=Reference(title="自评价报告（示例）"),
                provenance=province,
            )
            assert nominated.id is not None
            nominees.append(nominated.id)
    with live_api(url) as api:
        yield Round(api, tuple(nominees))


def sign_in(page: Page, api: LiveApi, role: Role, region: str | None = None) -> None:
    token = api.tokens.create(role, region=region, name="browser test").token
    page.goto(f"{api.base_url}/sign-in?next=/")
    page.get_by_label("令牌").fill(token)
    page.locator("form.sign-in button").click()
    expect(page.locator("header .role")).to_be_visible()


def give(page: Page, form: str, fields: dict[str, str], choose: dict[str, str]) -> None:
    box = page.locator(f"#form-{form}")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    for label, value in fields.items():
        box.get_by_label(label, exact=False).first.fill(value)
    for label, value in choose.items():
        box.get_by_label(label, exact=False).first.select_option(label=value)
    box.get_by_role("button", name="提交").click()


def test_a_province_publishes_its_provincial_list_with_stars(
    provincial_round: Round, browser: Browser, tmp_path: Path
) -> None:
    api = provincial_round.api
    page = browser.new_context(locale="zh-CN").new_page()
    sign_in(page, api, Role.PROVINCE, JIANGSU)

    for listing_id, stars in zip(provincial_round.nominees, ("四星", "五星", "三星"), strict=True):
        page.goto(f"{api.base_url}/units/{listing_id}")
        expect(page.locator("#status")).to_have_text("已推荐")
        give(
            page,
            "publication",
            {"公告文号": "苏工信节能〔2024〕50号", "公告日期": "2024-06-28"},
            {"公布结果": "列入名单"},
        )
        expect(page.locator("#status")).to_have_text("在名单")
        give(
            page,
            "stars",
            {"公告文号": "苏工信节能〔2024〕51号", "公告日期": "2024-06-28"},
            {"星级": stars},
        )
        expect(page.locator("#stars")).to_have_text(stars)
    page.screenshot(path=tmp_path / "1-unit-rated.png", full_page=True)

    # The first unit is raised to 五星 in the autumn; its history keeps both ratings.
    page.goto(f"{api.base_url}/units/{provincial_round.nominees[0]}")
    give(
        page,
        "stars",
        {"公告文号": "苏工信节能〔2024〕80号", "公告日期": "2024-09-26"},
        {"星级": "五星"},
    )
    expect(page.locator("#stars")).to_have_text("五星")
    expect(page.locator("#star-history li")).to_have_count(2)
    expect(page.locator("#star-history li").first).to_contain_text("2024-06-28 四星")
    page.screenshot(path=tmp_path / "2-unit-raised.png", full_page=True)

    # The list, filtered by stars, on a date between and after.
    page.goto(f"{api.base_url}/?level=provincial&stars=5&as_of=2024-07-01")
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    expect(page.locator("table.list tbody tr").first).to_contain_text(NAMES[1])
    page.goto(f"{api.base_url}/?level=provincial&stars=5&as_of=2024-10-01")
    expect(page.locator("table.list tbody tr")).to_have_count(2)
    page.goto(f"{api.base_url}/?level=provincial&as_of=2024-10-01")
    # In the list's order (by name: 丙, 甲, 乙).
    expect(page.locator("table.list td.stars")).to_have_text(["三星", "五星", "五星"])
    page.screenshot(path=tmp_path / "3-list-with-stars.png", full_page=True)

    # Another province is not offered Jiangsu's forms, and the ministry no provincial one.
    other = browser.new_context(locale="zh-CN").new_page()
    sign_in(other, api, Role.MINISTRY)
    other.goto(f"{api.base_url}/units/{provincial_round.nominees[0]}")
    expect(other.locator("#form-stars")).to_have_count(0)
