"""企业绿码 over HTTP on SQLite and PostgreSQL (ADR 0151): applications, the year's codes by the
documented score, a non-filer and abnormal data without a code, a grade recorded as assigned
elsewhere, the grades read back by region, and the unit's page showing its code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from uuid import UUID

import httpx
import pytest

from api.http.auth import Role
from api.spreadsheets import read_first_sheet
from tests.e2e.http.live import Caller, LiveApi, live_api
from tests.e2e.http.world import JIANGSU, expect, listed_factories, register_assessor

pytestmark = pytest.mark.e2e


@pytest.fixture
def api(sql_database_url: str) -> Iterator[LiveApi]:
    with live_api(sql_database_url) as served:
        yield served


def file_2024(province: Caller, listing_id: UUID, energy: int, waste: int = 92) -> None:
    indicators = {
        "energy_per_unit_product": {"value": energy, "unit": "kgce/t"},
        "energy_benchmark_class": {"value": "advanced", "unit": "class"},
        "solid_waste_utilisation_rate": {"value": waste, "unit": "%"},
    }
    body = {"report_year": 2024, "indicators": indicators, "effective_on": "2025-03-20"}
    expect(province.post(f"/v1/listings/{listing_id}/filings", body), 201)


def test_the_years_green_codes_are_assigned_read_and_shown(api: LiveApi) -> None:
    ministry, jiangsu = api.ministry(), api.province(JIANGSU)
    names = [f"江苏示例绿码{n}号纺织有限公司" for n in range(22)]
    units = [  # two evaluators: at most 15 evaluations each in a batch (EVAL-4)
        *listed_factories(ministry, jiangsu, names[:11], register_assessor(ministry, 901)),
        *listed_factories(ministry, jiangsu, names[11:], register_assessor(ministry, 902)),
    ]
    filers, silent, abnormal = units[:20], units[20], units[21]
    for n, unit in enumerate(filers):
        file_2024(jiangsu, unit, energy=380 + 5 * n)  # under the cap of 1.2: no ties
    file_2024(jiangsu, abnormal, energy=400, waste=130)  # a rate above 100 %
    for unit in units:
        expect(
            jiangsu.post(
                "/v1/green-codes/2024/applications",
                {"listing_id": str(unit), "effective_on": "2025-04-20"},
            ),
            201,
        )
    other = api.province("330000").post(
        "/v1/green-codes/2024/applications", {"listing_id": str(units[0])}
    )
    assert other.status_code == 403

    expect(ministry.post("/v1/green-codes/2024", {"effective_on": "2025-09-01"}), 201)
    again = ministry.post("/v1/green-codes/2024", {"effective_on": "2025-09-02"})
    assert again.status_code == 409

    codes = expect(jiangsu.get("/v1/green-codes", report_year=2024), 200)
    assert codes["distribution"] == {"A+": 1, "A": 7, "B": 12}
    best = codes["items"][0]
    assert (best["listing_id"], best["grade"], best["rank"], best["graded"]) == (
        str(filers[0]),
        "A+",
        1,
        20,
    )
    only_a = expect(jiangsu.get("/v1/green-codes", report_year=2024, grade="A"), 200)
    assert {i["grade"] for i in only_a["items"]} == {"A"}
    assert len(only_a["items"]) == 7
    withheld = {w["listing_id"]: w["reason"] for w in codes["withheld"]}
    assert "未填报" in withheld[str(silent)]
    assert "数据异常" in withheld[str(abnormal)]

    expect(
        ministry.post(
            "/v1/green-codes/2024/grades",
            {"listing_id": str(silent), "grade": "B", "effective_on": "2025-10-01"},
        ),
        201,
    )
    recorded = {
        i["listing_id"]: i
        for i in expect(ministry.get("/v1/green-codes", report_year=2024), 200)["items"]
    }
    assert (recorded[str(silent)]["grade"], recorded[str(silent)]["score"]) == ("B", None)

    listed_with_codes(jiangsu, filers, silent)
    fed_with_codes(api, filers, silent, names[0])
    fed_without_codes(api, silent, abnormal, names[20])

    workbook = jiangsu.get("/v1/green-codes.xlsx", report_year=2024)
    assert workbook.status_code == 200
    sheet = read_first_sheet(workbook.content)
    assert sheet[1][:4] == ["序号", "单位名称", "地区", "企业绿码"]
    assert sheet[2][1:4] == [names[0], "江苏省", "A+"]

    api.settled()  # the pages below pass no min_position
    with httpx.Client(base_url=api.base_url, timeout=60) as browser:
        issued = api.tokens.create(Role.MINISTRY)
        browser.post("/sign-in", data={"token": issued.token, "next": "/"})
        page = browser.get(f"/units/{filers[0]}")
        over_time = browser.get("/over-time", params={"from": "2020", "to": "2025"})
        graded = browser.get("/", params={"as_of": "2025-10-02", "green_code": "A+"})
        graded_b = browser.get(
            "/", params={"as_of": "2025-10-02", "green_code": "B", "page_size": "100"}
        )
        everyone = browser.get("/", params={"as_of": "2025-10-02", "page_size": "100"})
        unencoded = browser.get("/?as_of=2025-10-02&green_code=A+")
    assert graded.status_code == 200, graded.text
    assert names[0] in graded.text
    assert not any(name in graded.text for name in names[1:])
    assert '<option value="A+" selected>A+</option>' in graded.text
    assert unencoded.status_code == 422
    shown_with_codes(jiangsu, graded.text, graded_b.text, everyone.text)
    assert over_time.status_code == 200, over_time.text
    assert 'id="table-green-codes"' in over_time.text
    assert "2024年度企业绿码分布" in over_time.text
    # One row per region, its Chinese name on its own line, the row's figures in its title.
    assert re.findall(r'<g class="row"><title>([^<]*)</title>', over_time.text) == [
        "江苏省：A+ 1，A 7，B 13（21）"
    ]
    assert 'aria-describedby="chart-green-codes-desc"' in over_time.text
    assert page.status_code == 200
    assert 'class="green-code">A+<' in page.text
    assert "1 / 20" in page.text


def listed_with_codes(province: Caller, filers: list[UUID], silent: UUID) -> None:
    """The list filtered by code answers exactly the units graded so, its total is the
    statistics' for the same filter, a code known later is not on the list as known before, and
    the exports carry the code and its report year."""
    day = "2025-10-02"
    best = expect(province.get("/v1/list", as_of=day, green_code="A+"), 200)  # sent as A%2B
    assert [(i["listing_id"], i["green_code"], i["green_code_year"]) for i in best["items"]] == [
        (str(filers[0]), "A+", 2024)
    ]
    graded_b = expect(province.get("/v1/list", as_of=day, green_code="B", page_size=100), 200)
    assert {i["listing_id"] for i in graded_b["items"]} == {*map(str, filers[8:]), str(silent)}
    counted = expect(province.get("/v1/statistics", as_of=day, green_code="B"), 200)
    assert counted["total"] == graded_b["total"] == 13
    before = expect(province.get("/v1/list", as_of="2025-08-31", green_code="A"), 200)
    assert before["total"] == 0  # the codes are effective from 2025-09-01
    for wrong in ("A ", "C", "a_plus"):
        refused = province.get("/v1/list", green_code=wrong)
        assert refused.status_code == 422, refused.text
        assert "green_code" in refused.text

    sheet = read_first_sheet(
        province.get("/v1/exports/list.xlsx", as_of=day, green_code="A+").content
    )
    header = next(row for row in sheet if "企业绿码" in row)
    at, year_at = header.index("企业绿码"), header.index("企业绿码报告年度")
    assert [(row[at], row[year_at]) for row in sheet[sheet.index(header) + 1 :]] == [("A+", "2024")]
    csv = province.get("/v1/exports/list.csv", as_of=day, green_code="A")
    assert csv.status_code == 200, csv.text
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[-2:] == ["企业绿码", "企业绿码报告年度"]
    assert len(lines) == 8
    assert all(line.split(",")[-2:] == ["A", "2024"] for line in lines[1:])


def fed_with_codes(api: LiveApi, filers: list[UUID], silent: UUID, best_name: str) -> None:
    """Each code assigned, computed or recorded, is a feed entry naming its unit, in JSON and
    in the Atom feed."""
    feed = expect(api.anonymous.get("/v1/feed", after=0, limit=1000), 200)
    codes = [e for e in feed["entries"] if e["kind"] == "green_code_assigned"]
    assert len(codes) == 21
    assert {e["listing_id"] for e in codes} == {*map(str, filers), str(silent)}
    best = next(e for e in codes if e["listing_id"] == str(filers[0]))
    assert (best["green_code"], best["report_year"], best["name"]) == ("A+", 2024, best_name)
    assert (best["event"], best["effective_on"]) == (
        "GreenCodeRound.GreenCodeAssigned",
        "2025-09-01",
    )
    recorded = codes[-1]
    assert (recorded["listing_id"], recorded["green_code"]) == (str(silent), "B")
    atom = api.anonymous.get("/v1/feed.atom")
    assert atom.status_code == 200, atom.text
    assert f"2024年度企业绿码A+：{best_name}" in atom.text


def fed_without_codes(api: LiveApi, silent: UUID, abnormal: UUID, silent_name: str) -> None:
    """Each applicant withheld a code is a feed entry naming its unit, the report year and why,
    Chinese first, in JSON and in the Atom feed."""
    feed = expect(api.anonymous.get("/v1/feed", after=0, limit=1000), 200)
    withheld = {e["listing_id"]: e for e in feed["entries"] if e["kind"] == "green_code_withheld"}
    assert set(withheld) == {str(silent), str(abnormal)}
    not_filed, implausible = withheld[str(silent)], withheld[str(abnormal)]
    assert (not_filed["name"], not_filed["report_year"], not_filed["green_code"]) == (
        silent_name,
        2024,
        None,
    )
    assert (not_filed["event"], not_filed["effective_on"]) == (
        "GreenCodeRound.GreenCodeWithheld",
        "2025-09-01",
    )
    assert not_filed["reason"].startswith("未填报当年动态管理表，不予赋码 / ")
    assert implausible["reason"].startswith("数据异常，不予赋码 / ")
    assert implausible["region"] == JIANGSU
    atom = api.anonymous.get("/v1/feed.atom")
    assert atom.status_code == 200, atom.text
    assert f"2024年度未获企业绿码：{silent_name}（江苏省，国家级绿色工厂）" in atom.text
    assert "原因：未填报当年动态管理表" in atom.text


def codes_shown(html: str) -> list[str]:
    return re.findall(r'<td class="green-code">([^<]*)</td>', html)


def shown_with_codes(province: Caller, best: str, graded_b: str, everyone: str) -> None:
    """The list page's 企业绿码 column, beside 星级: each code with its report year, the same
    units and codes as `GET /v1/list` on the same date."""
    assert re.search(r"<th>星级</th>\s*<th>企业绿码</th>", best)
    assert codes_shown(best) == ["A+（2024年度）"]
    assert codes_shown(graded_b) == ["B（2024年度）"] * 13
    listed = expect(province.get("/v1/list", as_of="2025-10-02", page_size=100), 200)
    assert codes_shown(everyone) == [
        f"{i['green_code']}（{i['green_code_year']}年度）" if i["green_code"] else ""
        for i in listed["items"]
    ]
    assert sorted(codes_shown(everyone)) == sorted(
        ["A+（2024年度）"] + ["A（2024年度）"] * 7 + ["B（2024年度）"] * 13 + [""]
    )
