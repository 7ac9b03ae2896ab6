"""The pages as a browser without scripts gets them: server-rendered HTML over real HTTP, on SQLite
and PostgreSQL. Every assertion is on what the page says to its reader."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from api.http.auth import Role
from api.web.session import LANGUAGE_COOKIE, SESSION_COOKIE
from tests.e2e.http.world import JIANGSU, ZHEJIANG
from tests.e2e.web.site import (
    FLAGGED_NAME,
    REMOVAL_DOC_NO,
    REMOVAL_URL,
    REMOVED_NAME,
    ZHEJIANG_NAME,
    Site,
    text_of,
    unit_links,
)

# -- the list --------------------------------------------------------------------------------------


def test_the_public_list_on_a_date_shows_its_units_and_their_total(site: Site) -> None:
    with site.browser() as anyone:
        page = anyone.get("/", params={"as_of": "2023-06-30"})

    assert page.status_code == 200
    shown = text_of(page.text)
    assert "共 3 个单位" in shown
    assert {REMOVED_NAME, FLAGGED_NAME, ZHEJIANG_NAME} <= set(re.findall(r"\w+有限公司", shown))
    assert "2023-03-23" in shown  # listed on


def test_before_the_announcement_the_list_is_empty_and_says_so(site: Site) -> None:
    with site.browser() as anyone:
        page = anyone.get("/", params={"as_of": "2023-03-22"})

    assert "共 0 个单位" in text_of(page.text)
    assert "没有符合条件的单位" in text_of(page.text)


def test_a_removed_unit_leaves_the_list_on_its_removal_date(site: Site) -> None:
    with site.browser() as anyone:
        before = text_of(anyone.get("/", params={"as_of": "2024-01-04"}).text)
        after = text_of(anyone.get("/", params={"as_of": "2024-01-05"}).text)
        removed = text_of(anyone.get("/", params={"status": "removed"}).text)

    assert REMOVED_NAME in before
    assert REMOVED_NAME not in after
    assert "共 2 个单位" in after
    assert REMOVED_NAME in removed
    assert "已移出" in removed
    assert "2024-01-05" in removed


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"region": ZHEJIANG}, {ZHEJIANG_NAME}),
        ({"region": JIANGSU}, {FLAGGED_NAME}),
        ({"q": "蓝天"}, {FLAGGED_NAME}),
        ({"status": "flagged"}, {FLAGGED_NAME}),
        ({"category": "green_park"}, set()),
        ({"level": "provincial"}, set()),
    ],
)
def test_each_filter_narrows_the_list(site: Site, params: dict[str, str], names: set[str]) -> None:
    with site.browser() as anyone:
        page = anyone.get("/", params=params)

    shown = text_of(page.text)
    assert set(re.findall(r"\w+有限公司", shown)) == names
    assert f"共 {len(names)} 个单位" in shown


def test_pages_of_the_list_link_to_each_other_keeping_the_filters(site: Site) -> None:
    with site.browser() as anyone:
        first = anyone.get("/", params={"as_of": "2023-06-30", "page_size": "2"})
        next_link = re.search(r'<a rel="next" href="([^"]+)"', first.text)
        assert next_link is not None
        second = anyone.get(next_link.group(1).replace("&amp;", "&"))

    assert "第 1 / 2 页" in text_of(first.text)
    assert "as_of=2023-06-30" in next_link.group(1)
    assert "第 2 / 2 页" in text_of(second.text)
    on_first = set(re.findall(r"\w+有限公司", text_of(first.text)))
    on_second = set(re.findall(r"\w+有限公司", text_of(second.text)))
    assert len(on_first) == 2
    assert len(on_second) == 1
    assert on_first.isdisjoint(on_second)


@pytest.mark.parametrize(
    ("params", "field", "says"),
    [
        ({"as_of": "2023-02-30"}, "as_of", "不是有效日期"),
        ({"as_of": "yesterday"}, "as_of", "YYYY-MM-DD"),
        ({"region": "999999"}, "region", "不是37个报送地区之一"),
        ({"category": "green_city"}, "category", "green_factory"),
        ({"status": "gone"}, "status", "removed"),
        ({"page": "0"}, "page", "整数"),
        ({"page_size": "5000"}, "page_size", "整数"),
    ],
)
def test_a_bad_filter_is_named_on_the_page_not_answered_with_a_server_error(
    site: Site, params: dict[str, str], field: str, says: str
) -> None:
    with site.browser() as anyone:
        page = anyone.get("/", params=params)

    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    error = re.search(rf'<li data-field="{field}">(.*?)</li>', page.text)
    assert error is not None, page.text
    assert says in text_of(error.group(1))
    assert '<form method="get" action="/"' in page.text  # the form is still there to correct it


def test_the_list_and_the_unit_page_work_without_any_script(site: Site) -> None:
    with site.browser(Role.MINISTRY) as ministry:
        listing = ministry.get("/", params={"status": "removed"})
        unit = ministry.get(unit_links(listing.text)[0])

    for page in (listing, unit):
        assert page.status_code == 200
        assert "<script" not in page.text
    assert re.search(r'<form method="get" action="/"', listing.text)
    assert "为何如此" in text_of(unit.text)


def test_the_list_as_known_at_an_instant_asks_an_anonymous_reader_to_sign_in(
    site: Site,
) -> None:
    with site.browser() as anyone:
        page = anyone.get("/", params={"known_at": "2024-01-01T00:00:00Z"}, follow_redirects=False)

    assert page.status_code == 303
    assert page.headers["location"].startswith("/sign-in?next=")


def test_the_list_as_known_before_the_removal_still_shows_the_unit(site: Site) -> None:
    with site.browser(Role.AUDITOR) as auditor:
        history = auditor.get(f"/units/{site.world.removed}").text
        recorded = re.findall(r"(\d{4}-\d\d-\d\d \d\d:\d\d) 北京时间 UTC\+8", history)
        assert recorded
        page = auditor.get(
            "/", params={"as_of": "2024-06-30", "known_at": "2000-01-01T00:00:00+00:00"}
        )

    assert page.status_code == 200
    assert "共 0 个单位" in text_of(page.text)


# -- a unit ----------------------------------------------------------------------------------------


def test_a_removed_unit_shows_its_status_the_decision_the_rules_and_the_documents(
    site: Site,
) -> None:
    with site.browser(Role.PROVINCE, region=JIANGSU) as jiangsu:
        page = jiangsu.get(f"/units/{site.world.removed}")

    assert page.status_code == 200
    shown = text_of(page.text)
    assert REMOVED_NAME in shown
    status = re.search(r'id="status">([^<]+)<', page.text)
    assert status is not None
    assert status.group(1) == "已移出"
    assert "禁止申报至" in shown  # the bar the removal set
    assert "工业和信息化部" in shown  # who decided
    assert "2024-01-05" in shown  # when, effective
    assert f'href="{REMOVAL_URL}"' in page.text  # the decision's document, linked
    assert REMOVAL_DOC_NO in shown
    assert "拒不填报动态管理表" in shown  # the reason, in words
    explanation = page.text.split('id="explanation"')[1].split('id="timeline"')[0]
    rule_ids = re.findall(r'<strong class="rule-id">([^<]+)</strong>', explanation)
    assert rule_ids == ["DYN-1"]  # the rule the decision applied, with its citation and text
    assert "工信厅节函〔2022〕235号 二 第一段" in text_of(explanation)
    assert "已入选名单的单位每年填报动态管理表" in text_of(explanation)


def test_the_timeline_gives_both_dates_on_every_entry(site: Site) -> None:
    with site.browser(Role.MINISTRY) as ministry:
        page = ministry.get(f"/units/{site.world.removed}")

    timeline = page.text.split('id="timeline"')[1]
    rows = re.findall(r'<tr id="event-\d+">(.*?)</tr>', timeline, flags=re.S)
    assert len(rows) == 3  # nominated, listed, removed
    for row in rows:
        assert re.search(r'class="effective">\d{4}-\d\d-\d\d<', row)
        assert re.search(r'class="recorded">\d{4}-\d\d-\d\d \d\d:\d\d 北京时间 UTC\+8<', row)
    assert "2024-01-05" in rows[-1]


def test_a_flagged_unit_shows_its_latest_filing_and_why_it_is_still_listed(site: Site) -> None:
    with site.browser(Role.MINISTRY) as ministry:
        page = ministry.get(f"/units/{site.world.flagged}")

    shown = text_of(page.text)
    assert "待核查" in shown
    assert "仍在名单的理由" in shown
    assert "2023 · 2024-03-30 · 不符合要求" in shown


def test_a_unit_page_needs_a_signed_in_reader(site: Site) -> None:
    with site.browser() as anyone:
        page = anyone.get(f"/units/{site.world.removed}", follow_redirects=False)

    assert page.status_code == 303
    assert page.headers["location"] == f"/sign-in?next=%2Funits%2F{site.world.removed}"


def test_an_assessor_may_not_read_a_unit_page(site: Site) -> None:
    with site.browser(Role.ASSESSOR, assessor_id=site.world.assessor_id) as assessor:
        page = assessor.get(f"/units/{site.world.removed}")

    assert page.status_code == 403
    assert "无权查看此页" in text_of(page.text)


def test_a_province_reads_units_of_other_regions_as_the_api_lets_it(site: Site) -> None:
    with site.browser(Role.PROVINCE, region=ZHEJIANG) as zhejiang:
        page = zhejiang.get(f"/units/{site.world.removed}")

    assert page.status_code == 200
    assert REMOVED_NAME in text_of(page.text)


@pytest.mark.parametrize(
    "path", ["/units/00000000-0000-0000-0000-000000000000", "/units/not-an-id"]
)
def test_an_unknown_unit_is_a_not_found_page(site: Site, path: str) -> None:
    with site.browser(Role.MINISTRY) as ministry:
        page = ministry.get(path)

    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "返回名单" in text_of(page.text)


BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.mark.parametrize("path", ["/no-such-page", "/units", "/static-not/x.css"])
def test_an_address_no_page_serves_is_a_not_found_page_for_a_browser(site: Site, path: str) -> None:
    with site.browser() as anyone:
        page = anyone.get(path, headers=BROWSER)
        # an API client at the same address, and a browser under /v1/, get the problem
        problem = anyone.get(path)
        api_path = anyone.get("/v1/no-such-route", headers=BROWSER)

    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "未找到该页面" in text_of(page.text)
    assert "返回名单" in text_of(page.text)
    for answer in (problem, api_path):
        assert answer.status_code == 404
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["title"].startswith("未找到")


def test_a_unit_page_with_a_bad_date_names_the_field(site: Site) -> None:
    with site.browser(Role.MINISTRY) as ministry:
        page = ministry.get(f"/units/{site.world.removed}", params={"as_of": "2024-13-01"})

    assert page.status_code == 422
    assert "as_of" in text_of(page.text)


# -- exports ---------------------------------------------------------------------------------------


def test_the_export_buttons_download_the_list_the_page_shows(site: Site) -> None:
    with site.browser(Role.MINISTRY) as ministry:
        page = ministry.get("/", params={"as_of": "2023-06-30", "region": JIANGSU})
        link = re.search(r'href="(/export/list\.xlsx\?[^"]*)"', page.text)
        assert link is not None
        xlsx = ministry.get(link.group(1).replace("&amp;", "&"))
        csv_link = re.search(r'href="(/export/list\.csv\?[^"]*)"', page.text)
        assert csv_link is not None
        csv = ministry.get(csv_link.group(1).replace("&amp;", "&"))

    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    _title, *rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "地区", "名称")
    assert sorted(str(row[2]) for row in rows[1:]) == sorted([REMOVED_NAME, FLAGGED_NAME])
    assert {row[1] for row in rows[1:]} == {"江苏省"}
    assert csv.content.decode("utf-8-sig").count("\n") == 3


def test_an_export_needs_a_signed_in_reader(site: Site) -> None:
    with site.browser() as anyone:
        page = anyone.get("/export/list.xlsx", follow_redirects=False)
    with site.browser(Role.ASSESSOR, assessor_id=site.world.assessor_id) as assessor:
        refused = assessor.get("/export/list.csv")

    assert page.status_code == 303
    assert page.headers["location"].startswith("/sign-in")
    assert refused.status_code == 403


# -- sign-in ---------------------------------------------------------------------------------------


def test_signing_in_keeps_the_token_in_a_strict_http_only_cookie_and_returns_to_the_page(
    site: Site,
) -> None:
    issued = site.api.tokens.create(Role.AUDITOR)
    with site.browser() as browser:
        answer = browser.post(
            "/sign-in",
            data={"token": issued.token, "next": "/over-time"},
            follow_redirects=False,
        )
        cookie = answer.headers["set-cookie"]
        page = browser.get("/over-time")

    assert answer.status_code == 303
    assert answer.headers["location"] == "/over-time"
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert page.status_code == 200
    assert "当前身份：审计" in text_of(page.text)


def test_a_wrong_token_is_refused_on_the_form(site: Site) -> None:
    with site.browser() as browser:
        answer = browser.post("/sign-in", data={"token": "glt_not-a-token", "next": "/"})

    assert answer.status_code == 401
    assert "令牌无效或已撤销" in text_of(answer.text)
    assert SESSION_COOKIE not in answer.cookies


def test_sign_in_never_sends_the_reader_to_another_site(site: Site) -> None:
    issued = site.api.tokens.create(Role.MINISTRY)
    with site.browser() as browser:
        answer = browser.post(
            "/sign-in",
            data={"token": issued.token, "next": "//elsewhere.example/"},
            follow_redirects=False,
        )

    assert answer.headers["location"] == "/"


def test_signing_out_forgets_the_token(site: Site) -> None:
    with site.browser(Role.MINISTRY) as ministry:
        assert ministry.get(f"/units/{site.world.removed}").status_code == 200
        ministry.post("/sign-out", follow_redirects=False)
        after = ministry.get(f"/units/{site.world.removed}", follow_redirects=False)

    assert after.status_code == 303


def test_a_revoked_token_signs_the_reader_out(site: Site) -> None:
    issued = site.api.tokens.create(Role.MINISTRY)
    with site.browser() as browser:
        browser.post("/sign-in", data={"token": issued.token, "next": "/"})
        site.api.tokens.revoke(issued.token)
        page = browser.get(f"/units/{site.world.removed}", follow_redirects=False)

    assert page.status_code == 303


# -- language --------------------------------------------------------------------------------------


def test_pages_are_in_chinese_first_and_english_on_asking_remembered_afterwards(
    site: Site,
) -> None:
    with site.browser() as browser:
        chinese = browser.get("/")
        english = browser.get("/", params={"lang": "en", "as_of": "2023-06-30"})
        remembered = browser.get("/", params={"as_of": "2023-06-30"})
        back = browser.get("/", params={"lang": "zh"})

    assert '<html lang="zh-CN">' in chinese.text
    assert "绿色制造名单" in text_of(chinese.text)
    assert '<html lang="en">' in english.text
    assert "The green manufacturing list" in text_of(english.text)
    assert "3 units" in text_of(english.text)
    assert "Jiangsu" in text_of(english.text)
    assert english.cookies.get(LANGUAGE_COOKIE) == "en"
    assert "The green manufacturing list" in text_of(remembered.text)
    assert "绿色制造名单" in text_of(back.text)
    assert '<html lang="zh-CN">' in back.text


def test_labels_take_their_languages_colon(site: Site) -> None:
    """“当前身份：工信部” in Chinese, “Signed in as: Ministry” in English — not a full-width colon
    after English words."""
    with site.browser(Role.MINISTRY) as ministry:
        chinese = text_of(ministry.get("/", params={"lang": "zh"}).text)
        english = text_of(ministry.get("/", params={"lang": "en"}).text)

    assert "当前身份：工信部" in chinese
    assert "Signed in as: Ministry" in english
    assert not re.search(r"[A-Za-z]：", english)


def test_the_language_link_keeps_the_page_and_its_filters(site: Site) -> None:
    with site.browser() as browser:
        page = browser.get("/", params={"region": JIANGSU})

    link = re.search(r'<a class="lang" href="([^"]+)"', page.text)
    assert link is not None
    assert "region=320000" in link.group(1)
    assert "lang=en" in link.group(1)


# -- over time, audit, province --------------------------------------------------------------------


def year_row(table: str, year: int) -> tuple[list[str], str]:
    """The numbers of one year's row of a table: per category, and the total."""
    row = re.search(rf'<th scope="row">{year}</th>(.*?)</tr>', table, flags=re.S)
    assert row is not None, table
    cells = re.findall(r"<td[^>]*>(\d+)</td>", row.group(1))
    return cells[:-1], cells[-1]


def test_the_list_over_time_draws_the_counts_and_tables_the_same_numbers(site: Site) -> None:
    with site.browser(Role.MINISTRY) as ministry:
        page = ministry.get("/over-time", params={"from": "2022", "to": "2024"})

    assert page.status_code == 200
    on_list = page.text.split('id="table-on-list"')[1].split("</table>")[0]
    removed = page.text.split('id="table-removed"')[1].split("</table>")[0]
    assert year_row(on_list, 2023) == (["3", "0", "0", "0"], "3")
    assert year_row(on_list, 2024) == (["2", "0", "0", "0"], "2")
    assert year_row(removed, 2024) == (["1", "0", "0", "0"], "1")
    chart = page.text.split('id="chart-on-list"')[1].split("</svg>")[0]
    assert "<title>绿色工厂 2023: 3</title>" in chart
    removals = page.text.split('id="chart-removed"')[1].split("</svg>")[0]
    assert "<title>绿色工厂 2024: 1</title>" in removals


def test_the_list_over_time_is_for_readers_with_a_token(site: Site) -> None:
    with site.browser(Role.ASSESSOR, assessor_id=site.world.assessor_id) as assessor:
        refused = assessor.get("/over-time")
    with site.browser(Role.MINISTRY) as ministry:
        bad_year = ministry.get("/over-time", params={"from": "1999"})

    assert refused.status_code == 403
    assert bad_year.status_code == 422
    assert "from" in text_of(bad_year.text)


def test_a_province_sees_its_own_flagged_units_and_not_another_regions(site: Site) -> None:
    with site.browser(Role.PROVINCE, region=JIANGSU) as jiangsu:
        own = jiangsu.get("/province")
        other = jiangsu.get("/province", params={"region": ZHEJIANG})
    with site.browser(Role.PROVINCE, region=ZHEJIANG) as zhejiang:
        theirs = zhejiang.get("/province")

    assert own.status_code == 200
    flagged = own.text.split('id="flagged"')[1].split("</section>")[0]
    assert FLAGGED_NAME in text_of(flagged)
    assert "(1)" in text_of(flagged)
    assert other.status_code == 403
    assert FLAGGED_NAME not in text_of(theirs.text)


def test_the_ministry_chooses_the_region_of_the_work_it_looks_at(site: Site) -> None:
    with site.browser(Role.MINISTRY) as ministry:
        every = ministry.get("/province")
        zhejiang = ministry.get("/province", params={"region": ZHEJIANG})
        unknown = ministry.get("/province", params={"region": "123456"})

    assert FLAGGED_NAME in text_of(every.text)
    assert FLAGGED_NAME not in text_of(zhejiang.text)
    assert unknown.status_code == 422
    assert "region" in text_of(unknown.text)
