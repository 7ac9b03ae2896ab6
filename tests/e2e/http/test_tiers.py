"""A province's own lists over HTTP (ADR 0140–0142): who may open and publish which round, the
city of a municipal round, stars on the list (filter, unit, history, export) on dates between an
upgrade and a downgrade, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest

from tests.e2e.http.live import Caller, LiveApi, live_api
from tests.e2e.http.world import JIANGSU, ZHEJIANG, created_id, expect, register_enterprise

pytestmark = pytest.mark.e2e

NINGBO = "330200"


@pytest.fixture
def api(sql_database_url: str) -> Iterator[LiveApi]:
    with live_api(sql_database_url) as served:
        yield served


def round_body(level: str, **more: Any) -> dict[str, Any]:
    return {"level": level, "year": 2023, "effective_on": "2023-05-01", **more}


def nominate(province: Caller, enterprise: UUID, level: str, **more: Any) -> UUID:
    return created_id(
        province.post(
            "/v1/listings",
            {
                "enterprise_id": str(enterprise),
                "category": "green_factory",
                "level": level,
                "batch_year": 2023,
                "self_evaluation": {"title": "绿色工厂自评价报告"},
                "effective_on": "2023-06-01",
                **more,
            },
        )
    )


def publication(listed: list[UUID], **more: Any) -> dict[str, Any]:
    return {
        "level": "provincial",
        "listed": [str(i) for i in listed],
        "announcement": {"doc_no": "苏工信节能〔2023〕30号", "date": "2023-12-01"},
        **more,
    }


def test_a_province_keeps_its_own_lists_and_only_those(api: LiveApi) -> None:
    ministry, jiangsu, zhejiang = api.ministry(), api.province(JIANGSU), api.province(ZHEJIANG)
    # The national round is the ministry's; the provincial and municipal rounds the province's.
    expect(jiangsu.post("/v1/batches", round_body("national")), 403)
    expect(ministry.post("/v1/batches", round_body("provincial", region=JIANGSU)), 403)
    expect(zhejiang.post("/v1/batches", round_body("provincial", region=JIANGSU)), 403)
    created_id(jiangsu.post("/v1/batches", round_body("provincial")))
    expect(jiangsu.post("/v1/batches", round_body("provincial")), 200)  # already open
    created_id(jiangsu.post("/v1/batches", round_body("municipal", city="320500")))
    # A city outside the region, or none, is refused naming `city`, in Chinese first.
    for body, zh in (
        (round_body("municipal", city="330100"), "杭州市（330100）不属于江苏省"),
        (round_body("municipal"), "市级名单须填写城市代码（六位）"),
    ):
        problem = expect(jiangsu.post("/v1/batches", body), 422)
        (error,) = problem["errors"]
        assert error["field"] == "city"
        assert error["message_zh"] == zh
    # 宁波 (计划单列市) keeps the municipal list of its own city; 浙江 may not.
    created_id(api.province(NINGBO).post("/v1/batches", round_body("municipal", city=NINGBO)))
    expect(zhejiang.post("/v1/batches", round_body("municipal", city=NINGBO)), 422)

    company = register_enterprise(jiangsu, "江苏示例星级纺织有限公司")
    provincial = nominate(jiangsu, company, "provincial")
    # Another province may not publish Jiangsu's list, nor the ministry.
    # (Without `region`, a province means its own round: Zhejiang has none open.)
    expect(zhejiang.post("/v1/batches/2023/publication", publication([provincial])), 404)
    expect(
        zhejiang.post("/v1/batches/2023/publication", publication([provincial], region=JIANGSU)),
        403,
    )
    expect(
        ministry.post("/v1/batches/2023/publication", publication([provincial], region=JIANGSU)),
        403,
    )
    expect(jiangsu.post("/v1/batches/2023/publication", publication([provincial])), 200)
    listed = expect(api.anonymous.get("/v1/list", level="provincial", as_of="2023-12-01"), 200)
    assert [item["listing_id"] for item in listed["items"]] == [str(provincial)]

    other = register_enterprise(jiangsu, "江苏示例市级机械有限公司")
    municipal = nominate(jiangsu, other, "municipal", city="320500")
    expect(
        jiangsu.post(
            "/v1/batches/2023/publication",
            publication([municipal], level="municipal", city="320500"),
        ),
        200,
    )
    items = expect(api.anonymous.get("/v1/list", level="municipal"), 200)["items"]
    assert [(i["listing_id"], i["city"]) for i in items] == [(str(municipal), "320500")]
    the_round = expect(
        zhejiang.get("/v1/batches/2023", level="municipal", region=JIANGSU, city="320500"), 200
    )
    assert (the_round["region"], the_round["city"], the_round["nominations"]) == (
        JIANGSU,
        "320500",
        1,
    )


def rate(province: Caller, listing: UUID, stars: int, day: str) -> Any:
    return province.post(
        f"/v1/listings/{listing}/stars",
        {
            "stars": stars,
            "announcement": {"doc_no": f"苏工信节能〔{day[:4]}〕{stars}号", "date": day},
        },
    )


def test_stars_are_upgraded_then_downgraded_and_every_date_shows_its_own(api: LiveApi) -> None:
    ministry, jiangsu = api.ministry(), api.province(JIANGSU)
    created_id(jiangsu.post("/v1/batches", round_body("provincial")))
    listing = nominate(
        jiangsu, register_enterprise(jiangsu, "江苏示例星级钢铁有限公司"), "provincial"
    )
    expect(jiangsu.post("/v1/batches/2023/publication", publication([listing])), 200)

    created_id(rate(jiangsu, listing, 4, "2024-03-01"))
    created_id(rate(jiangsu, listing, 5, "2024-09-26"))  # upgrade
    created_id(rate(jiangsu, listing, 3, "2025-03-01"))  # downgrade
    expect(rate(api.province(ZHEJIANG), listing, 5, "2025-04-01"), 403)
    expect(rate(ministry, listing, 5, "2025-04-01"), 403)
    problem = expect(rate(jiangsu, listing, 6, "2025-04-01"), 422)
    assert problem["errors"][0]["field"] == "stars"

    anyone = api.anonymous
    for day, stars in (
        ("2024-02-29", None),
        ("2024-03-01", 4),
        ("2024-09-25", 4),
        ("2024-09-26", 5),
        ("2025-02-28", 5),
        ("2025-03-01", 3),
    ):
        (item,) = expect(anyone.get("/v1/list", level="provincial", as_of=day), 200)["items"]
        assert item["stars"] == stars, day
    # The filter: five stars on 2024-12-31, none on 2025-06-30.
    assert expect(anyone.get("/v1/list", stars=5, as_of="2024-12-31"), 200)["total"] == 1
    assert expect(anyone.get("/v1/list", stars=5, as_of="2025-06-30"), 200)["total"] == 0
    assert expect(anyone.get("/v1/list", stars=3, as_of="2025-06-30"), 200)["total"] == 1
    expect(anyone.get("/v1/list", stars=2), 422)

    # The unit and its history keep the upgrade and the downgrade.
    state = expect(jiangsu.get(f"/v1/listings/{listing}", as_of="2024-12-31"), 200)
    assert state["stars"] == 5
    assert [(r["effective_on"], r["stars"]) for r in state["star_history"]] == [
        ("2024-03-01", 4),
        ("2024-09-26", 5),
        ("2025-03-01", 3),
    ]
    history = expect(jiangsu.get(f"/v1/listings/{listing}/history"), 200)
    rated = [e for e in history["entries"] if e["event"] == "Listing.StarsRated"]
    assert [e["summary_zh"][:5] for e in rated] == ["评定为四星", "评定为五星", "评定为三星"]

    # The feed carries each rating, with its stars and announcement (api.md v1).
    feed = expect(anyone.get("/v1/feed", after=0), 200)
    rated_entries = [e for e in feed["entries"] if e["kind"] == "stars_rated"]
    assert [(e["effective_on"], e["stars"]) for e in rated_entries] == [
        ("2024-03-01", 4),
        ("2024-09-26", 5),
        ("2025-03-01", 3),
    ]
    assert rated_entries[1]["announcement"]["doc_no"] == "苏工信节能〔2024〕5号"
    assert rated_entries[1]["listing_id"] == str(listing)

    # The export carries the stars of its date.
    exported = jiangsu.get("/v1/exports/list.csv", level="provincial", as_of="2024-12-31")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[1][rows[0].index("星级")] == "五星"


def test_a_national_listing_is_not_rated(api: LiveApi) -> None:
    ministry, jiangsu = api.ministry(), api.province(JIANGSU)
    created_id(ministry.post("/v1/batches", round_body("national")))
    listing = nominate(jiangsu, register_enterprise(jiangsu, "江苏示例国家级有限公司"), "national")
    expect(
        ministry.post(
            "/v1/batches/2023/publication",
            {
                "level": "national",
                "listed": [str(listing)],
                "announcement": {"doc_no": "工信厅节函〔2024〕1号", "date": "2024-01-05"},
            },
        ),
        200,
    )
    problem = expect(rate(jiangsu, listing, 4, "2024-03-01"), 409)
    assert "国家级名单不评星级" in problem["title"] + problem["detail"]


LIST_CSV = """江苏省2024年度省级绿色工厂名单（示例）
序号,名称,类别,星级,统一社会信用代码
1,江苏示例导入甲纺织有限公司,绿色工厂,四星,
2,江苏示例导入乙机械有限公司,绿色工厂,五星级,
3,江苏示例导入丙经济开发区,绿色工业园区,,
4,,绿色工厂,三星,
5,江苏示例导入丁有限公司,绿色设计产品,,
6,江苏示例导入戊有限公司,绿色工厂,六星,
"""


def upload(caller: Caller, api: LiveApi, content: bytes, name: str, **fields: str) -> Any:
    data = {"year": "2024", "doc_no": "苏工信节能〔2024〕40号", "date": "2024-12-20", **fields}
    return caller.positions.saw(  # its reads wait for the import's position (ADR 0130)
        api.client.post(
            "/v1/imports/provincial-lists",
            files={"file": (name, content)},
            data=data,
            headers=caller.headers(),
        )
    )


def test_a_province_imports_its_list_with_stars_once(api: LiveApi) -> None:
    jiangsu = api.province(JIANGSU)
    content = LIST_CSV.encode("utf-8")
    first = expect(upload(jiangsu, api, content, "省级名单.csv"), 201)
    assert (first["listed"], first["stars_rated"]) == (3, 2)
    assert [(r["line"], r["reason_zh"][:4]) for r in first["refused"]] == [
        (6, "名称为空"),
        (7, "类别“绿"),
        (8, "星级“六"),
    ]
    again = expect(upload(jiangsu, api, content, "省级名单.csv"), 200)
    assert (again["listed"], again["already_listed"], again["stars_rated"]) == (0, 3, 0)
    assert not again["written"]
    expect(upload(api.ministry(), api, content, "省级名单.csv"), 403)

    page = expect(api.anonymous.get("/v1/list", level="provincial", as_of="2024-12-20"), 200)
    stars = {item["name"]: item["stars"] for item in page["items"]}
    assert stars == {
        "江苏示例导入甲纺织有限公司": 4,
        "江苏示例导入乙机械有限公司": 5,
        "江苏示例导入丙经济开发区": None,
    }
    assert (
        expect(api.anonymous.get("/v1/list", level="provincial", as_of="2024-12-19"), 200)["total"]
        == 0
    )


def test_a_municipal_list_is_imported_from_a_workbook(api: LiveApi) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["苏州市三星级绿色工厂名单（示例）"])
    sheet.append(["序号", "企业名称", "星级"])
    sheet.append([1, "江苏示例苏州三星有限公司", "三星"])
    out = io.BytesIO()
    book.save(out)
    jiangsu = api.province(JIANGSU)
    answer = expect(
        upload(jiangsu, api, out.getvalue(), "苏州.xlsx", level="municipal", city="320500"),
        201,
    )
    assert (answer["listed"], answer["stars_rated"]) == (1, 1)
    (item,) = expect(api.anonymous.get("/v1/list", level="municipal", stars=3), 200)["items"]
    assert (item["city"], item["stars"]) == ("320500", 3)
    problem = expect(
        upload(jiangsu, api, out.getvalue(), "苏州.xlsx", level="municipal", city="330100"), 422
    )
    assert problem["errors"][0]["field"] == "city"


def test_a_province_removes_and_renames_on_its_own_list_only(api: LiveApi) -> None:
    ministry, jiangsu = api.ministry(), api.province(JIANGSU)
    created_id(ministry.post("/v1/batches", round_body("national")))
    national = nominate(
        jiangsu, register_enterprise(jiangsu, "江苏示例国家级甲有限公司"), "national"
    )
    created_id(jiangsu.post("/v1/batches", round_body("provincial")))
    kept = nominate(jiangsu, register_enterprise(jiangsu, "江苏示例省级留用有限公司"), "provincial")
    dropped = nominate(
        jiangsu, register_enterprise(jiangsu, "江苏示例省级移出有限公司"), "provincial"
    )
    # A national nominee is not on the province's list: neither listed nor removed by it (409).
    problem = expect(
        jiangsu.post("/v1/batches/2023/publication", publication([kept, national])), 409
    )
    assert "listed[1]" in problem["detail"]
    expect(jiangsu.post("/v1/batches/2023/publication", publication([kept, dropped])), 200)
    expect(
        ministry.post(
            "/v1/batches/2023/publication",
            {
                "level": "national",
                "listed": [str(national)],
                "announcement": {"doc_no": "工信厅节函〔2024〕1号", "date": "2024-01-05"},
            },
        ),
        200,
    )
    created_id(jiangsu.post("/v1/batches", {**round_body("provincial"), "year": 2024}))
    later = {"doc_no": "苏工信节能〔2024〕60号", "date": "2024-12-01"}
    expect(
        jiangsu.post(
            "/v1/batches/2024/publication",
            {
                "level": "provincial",
                "removed": [{"listing_id": str(national), "reasons": ["withdrawn"]}],
                "announcement": later,
            },
        ),
        409,
    )
    expect(
        jiangsu.post(
            "/v1/batches/2024/publication",
            {
                "level": "provincial",
                "removed": [{"listing_id": str(dropped), "reasons": ["withdrawn"]}],
                "renamed": [{"listing_id": str(kept), "name": "江苏示例省级留用集团有限公司"}],
                "announcement": later,
            },
        ),
        200,
    )
    state = expect(jiangsu.get(f"/v1/listings/{dropped}"), 200)
    assert (state["status"], state["removed_on"]) == ("removed", "2024-12-01")
    assert (
        expect(jiangsu.get(f"/v1/listings/{kept}"), 200)["name"] == "江苏示例省级留用集团有限公司"
    )
    assert expect(jiangsu.get(f"/v1/listings/{national}"), 200)["status"] == "listed"
