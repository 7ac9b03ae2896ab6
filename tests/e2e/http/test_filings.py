"""A province's year over the API: the review queue, the template of the dynamic management tables,
the upload (preview, commit, the same file again) and the printed reports."""

from __future__ import annotations

import io
from collections.abc import Iterator
from uuid import UUID

import pytest
from openpyxl import load_workbook

from domain.ledger import Ledger
from tests.e2e.http.live import Caller, LiveApi, live_api
from tests.e2e.http.world import (
    JIANGSU,
    ZHEJIANG,
    expect,
    listed_factories,
    register_assessor,
)

pytestmark = pytest.mark.e2e

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NAMES = [f"江苏示例第{n:02d}号纺织有限公司" for n in range(1, 9)]


@pytest.fixture
def api(sql_database_url: str) -> Iterator[LiveApi]:
    with live_api(sql_database_url) as served:
        yield served


def position(api: LiveApi) -> int:
    with Ledger.open(api.database_url) as ledger:
        return ledger.position


def file_2023(jiangsu: Caller, listing: UUID, value: float) -> None:
    expect(
        jiangsu.post(
            f"/v1/listings/{listing}/filings",
            {
                "report_year": 2023,
                "indicators": {"energy_per_unit_product": {"value": value, "unit": "kgce/t"}},
                "effective_on": "2024-03-30",
            },
        ),
        201,
    )


@pytest.fixture
def year(api: LiveApi) -> tuple[Caller, Caller, list[UUID]]:
    """Eight Jiangsu factories listed on 2023-03-23; two filed for 2023, one of them reviewed."""
    ministry, jiangsu = api.ministry(), api.province(JIANGSU)
    listings = listed_factories(ministry, jiangsu, NAMES, register_assessor(ministry))
    file_2023(jiangsu, listings[0], 501.5)
    file_2023(jiangsu, listings[1], 610)
    expect(
        jiangsu.post(
            f"/v1/listings/{listings[1]}/filings/2023/review",
            {"outcome": "compliant", "effective_on": "2024-04-20"},
        ),
        200,
    )
    return ministry, jiangsu, listings


def test_the_queue_shows_submitted_reviewed_and_overdue_units(
    api: LiveApi, year: tuple[Caller, Caller, list[UUID]]
) -> None:
    ministry, jiangsu, listings = year

    queue = expect(jiangsu.get("/v1/filings", report_year=2023), 200)

    assert queue["region"] == JIANGSU
    assert queue["deadline"] == "2024-04-15"
    assert queue["counts"] == {"submitted": 1, "reviewed": 1, "overdue": 6}
    by_id = {item["listing_id"]: item for item in queue["items"]}
    assert by_id[str(listings[0])]["state"] == "submitted"
    assert by_id[str(listings[1])]["outcome"] == "compliant"
    submitted = expect(jiangsu.get("/v1/filings", report_year=2023, state="submitted"), 200)
    assert [item["listing_id"] for item in submitted["items"]] == [str(listings[0])]
    assert expect(ministry.get("/v1/filings", report_year=2023), 200)["counts"]["overdue"] == 6
    other = api.province(ZHEJIANG).get("/v1/filings", region=JIANGSU)
    assert other.status_code == 403
    assert other.json()["zh"]["detail"].startswith("省级身份")


def fill(template: bytes, bad: dict[int, str | int]) -> bytes:
    """Every unit's 2024 energy per unit product, and the value of `bad` in those rows."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook["绿色工厂"]
    headers = [cell.value for cell in sheet[2]]
    column = headers.index("单位产品综合能耗（kgce/t）") + 1
    for row in range(3, sheet.max_row + 1):
        sheet.cell(row=row, column=column, value=bad.get(row, 480 + row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(jiangsu: Caller, content: bytes, dry_run: bool) -> dict[str, object]:
    response = jiangsu.positions.saw(
        jiangsu.client.post(
            "/v1/imports/filings",
            params={"dry_run": str(dry_run).lower()},
            files={"file": ("动态管理表.xlsx", content, XLSX)},
            headers=jiangsu.headers(),
        )
    )
    assert response.status_code in (200, 201), response.text
    answer: dict[str, object] = response.json()
    return answer


def test_the_template_preview_commit_and_second_upload(
    api: LiveApi, year: tuple[Caller, Caller, list[UUID]]
) -> None:
    _, jiangsu, listings = year
    template = jiangsu.client.get(
        "/v1/templates/filings.xlsx",
        params={
            "report_year": 2024,
            "category": "green_factory",
            **jiangsu.positions.wanted("/v1/"),
        },
        headers=jiangsu.headers(),
    )
    assert template.status_code == 200
    sheet = load_workbook(io.BytesIO(template.content))["绿色工厂"]
    assert "附件6" in str(sheet["A1"].value)
    headers = [cell.value for cell in sheet[2]]
    assert headers[:6] == ["序号", "名单编号", "单位名称", "级别", "批次", "报告年度"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert sorted(str(row[2]) for row in rows) == sorted(NAMES)
    previous = headers.index("上年 单位产品综合能耗（kgce/t）")
    last_year = {str(row[1]): row[previous] for row in rows}
    assert last_year[str(listings[0])] == 501.5  # last year's value, for reference

    filled = fill(template.content, {4: "约500", 7: -3})
    before = position(api)
    preview = upload(jiangsu, filled, dry_run=True)

    assert position(api) == before
    assert preview["counts"] == {
        "would_write": 6, "written": 0, "unchanged": 0, "empty": 0, "refused": 2,
    }  # fmt: skip
    refused = [row for row in preview["rows"] if row["outcome"] == "refused"]  # type: ignore[attr-defined]
    assert [
        (e["sheet"], e["row"], e["column"], e["rule"]) for r in refused for e in r["errors"]
    ] == [
        ("绿色工厂", 4, "G 单位产品综合能耗（kgce/t）", "数值"),
        ("绿色工厂", 7, "G 单位产品综合能耗（kgce/t）", "数值范围"),
    ]

    committed = upload(jiangsu, filled, dry_run=False)
    assert committed["counts"]["written"] == 6  # type: ignore[index]
    assert committed["written"] is True
    queue = expect(jiangsu.get("/v1/filings", report_year=2024, state="submitted"), 200)
    assert queue["counts"]["submitted"] == 6

    after = position(api)
    again = upload(jiangsu, filled, dry_run=False)
    assert again["counts"]["written"] == 0  # type: ignore[index]
    assert again["counts"]["unchanged"] == 6  # type: ignore[index]
    assert position(api) == after


def test_an_upload_that_is_no_workbook_is_refused_in_chinese(
    api: LiveApi, year: tuple[Caller, Caller, list[UUID]]
) -> None:
    _, jiangsu, _ = year
    response = jiangsu.client.post(
        "/v1/imports/filings",
        files={"file": ("notes.xlsx", b"not a workbook", XLSX)},
        headers=jiangsu.headers(),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["message_zh"] == "上传的文件不是 Excel 工作簿（.xlsx）"


@pytest.mark.parametrize(
    ("path", "params", "title"),
    [
        ("/v1/exports/filings.xlsx", {"report_year": 2023}, "审核队列"),
        ("/v1/exports/dynamic-management.xlsx", {"report_year": 2023}, "动态管理汇总表"),
        (
            "/v1/exports/nominations.xlsx",
            {"batch_year": 2022},
            "国家级2022年度绿色制造名单推荐汇总表",
        ),
    ],
)
def test_the_printed_reports_are_titled_workbooks(
    api: LiveApi,
    year: tuple[Caller, Caller, list[UUID]],
    path: str,
    params: dict[str, int],
    title: str,
) -> None:
    _, jiangsu, _ = year
    wanted = jiangsu.positions.wanted(path)
    answer = jiangsu.client.get(path, params={**params, **wanted}, headers=jiangsu.headers())
    assert answer.status_code == 200, answer.text
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    table = list(sheet.iter_rows(values_only=True))
    assert str(table[0][0]).startswith(title)
    assert "地区：江苏省" in str(table[0][0])
    assert len(table) == 2 + 8
