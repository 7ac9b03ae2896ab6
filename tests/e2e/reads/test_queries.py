"""Every query of api.md over real HTTP, on SQLite and PostgreSQL, reading its own writes."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

import pytest
from openpyxl import load_workbook

from tests.e2e.http.live import LiveApi, live_api
from tests.e2e.http.world import (
    JIANGSU,
    confirm_citations,
    expect,
    nominate,
    open_batch,
    publish,
    register_assessor,
    register_enterprise,
)


@pytest.fixture
def api(sql_database_url: str) -> Iterator[LiveApi]:
    with live_api(sql_database_url) as served:
        yield served


def listing_ids(page: dict[str, Any]) -> list[str]:
    return [item["listing_id"] for item in page["items"]]


def test_the_list_the_listing_and_its_story_read_back_what_was_just_written(
    api: LiveApi,
) -> None:
    ministry, jiangsu, auditor = api.ministry(), api.province(JIANGSU), api.auditor()
    assessor_id = register_assessor(ministry)
    open_batch(ministry, 2022, "2022-09-16")
    factory = register_enterprise(jiangsu, "江苏绿源钢铁有限公司")
    listing = nominate(jiangsu, factory, assessor_id)
    published = publish(ministry, 2022, [listing])

    public = expect(api.anonymous.get("/v1/list"), 200)
    assert public["position"] >= published["position"]
    assert listing_ids(public) == [str(listing)]
    assert public["items"][0] | {"listing_id": None, "enterprise_id": None} == {
        "listing_id": None,
        "enterprise_id": None,
        "name": "江苏绿源钢铁有限公司",
        "region": JIANGSU,
        "category": "green_factory",
        "level": "national",
        "batch_year": 2022,
        "status": "listed",
        "listed_on": "2023-03-23",
        "removed_on": None,
        "synthetic": False,
        "uscc": None,
        "product_name": None,
        "product_model": None,
        "product_standard": None,
        "city": None,  # a municipal unit's prefecture (ADR 0140)
        "stars": None,  # the national list has no stars (ADR 0142)
        "green_code": None,  # nor a 企业绿码 assigned (ADR 0151)
        "green_code_year": None,
    }
    before_listing = expect(api.anonymous.get("/v1/list", as_of="2023-03-22"), 200)
    assert before_listing["total"] == 0

    history = expect(jiangsu.get(f"/v1/listings/{listing}/history"), 200)
    assert [entry["event"] for entry in history["entries"]] == [
        "Listing.Nominated",
        "Listing.Listed",
    ]
    assert history["entries"][1]["actor"] == "ministry"
    assert history["entries"][1]["summary_zh"]
    nominated_at = history["entries"][0]["recorded_at"]
    as_known_then = expect(jiangsu.get("/v1/list", as_of="2023-06-30", known_at=nominated_at), 200)
    assert as_known_then["total"] == 0
    assert as_known_then["known_at"] is not None

    state = expect(jiangsu.get(f"/v1/listings/{listing}"), 200)
    assert state["status"] == "listed"
    assert state["flags"]["renamed"] is False

    removed = expect(
        ministry.post(
            f"/v1/listings/{listing}/removal",
            {
                "reasons": ["refused_filing"],
                "announcement": {"doc_no": "工信厅节函〔2024〕1号"},
                "effective_on": "2024-01-05",
            },
        ),
        200,
    )
    after = expect(api.anonymous.get("/v1/list"), 200)
    assert after["position"] >= removed["position"]
    assert after["total"] == 0
    on_the_day_before = expect(api.anonymous.get("/v1/list", as_of="2024-01-04"), 200)
    assert listing_ids(on_the_day_before) == [str(listing)]

    explanation = expect(auditor.get(f"/v1/listings/{listing}/explanation"), 200)
    assert explanation["status"] == "removed"
    assert explanation["on_list"] is False
    assert explanation["deciding"]["actor"] == "ministry"
    assert explanation["deciding"]["effective_on"] == "2024-01-05"

    eligibility = expect(
        jiangsu.get(f"/v1/enterprises/{factory}/eligibility", on="2025-01-05"), 200
    )
    assert eligibility["eligible"] is False
    barring = [f for f in eligibility["findings"] if f["applies"]]
    assert [f["rule_id"] for f in barring] == ["NEG-3"]
    assert barring[0]["barred_until"] == "2027-01-04"

    enterprise_history = expect(jiangsu.get(f"/v1/enterprises/{factory}/history"), 200)
    assert len(enterprise_history["entries"]) > len(history["entries"])

    health = expect(api.anonymous.get("/health"), 200)
    assert health["projections_lag"] == 0


def test_statistics_workload_batches_replay_and_exports_answer_over_http(api: LiveApi) -> None:
    ministry, jiangsu, auditor = api.ministry(), api.province(JIANGSU), api.auditor()
    assessor_id = register_assessor(ministry)
    open_batch(ministry, 2022, "2022-09-16")
    listings = [
        nominate(jiangsu, register_enterprise(jiangsu, name), assessor_id)
        for name in ("江苏绿源钢铁有限公司", "江苏蓝天纺织有限公司")
    ]
    publish(ministry, 2022, listings)
    assert confirm_citations(api, assessor_id) == 2  # cited evaluations count once confirmed

    statistics = expect(ministry.get("/v1/statistics", as_of="2023-06-30", group_by="region"), 200)
    assert statistics["counts"] == [
        {"region": JIANGSU, "category": None, "level": None, "status": None, "count": 2}
    ]
    timeline = expect(ministry.get("/v1/statistics/timeline", **{"from": 2022, "to": 2023}), 200)
    factories_2023 = [
        y for y in timeline["years"] if y["year"] == 2023 and y["category"] == "green_factory"
    ]
    assert factories_2023 == [
        {"year": 2023, "category": "green_factory", "on_list": 2, "listed": 2, "removed": 0}
    ]

    workload = expect(api.assessor(assessor_id).get(f"/v1/assessors/{assessor_id}/workload"), 200)
    assert workload["evaluations"] == 2
    assert workload["batches"][0]["remaining"] == workload["batches"][0]["cap"] - 2

    batch = expect(jiangsu.get("/v1/batches/2022"), 200)
    assert batch["label"] == "2022年度"
    assert batch["nominations"] == 2
    assert batch["nominations_by_region"] == {JIANGSU: 2}
    assert batch["publications"][0]["listed"] == 2

    report = expect(auditor.post("/v1/audit/reports", {}), 202)
    assert api.app is not None
    api.app.state.audit_desk.wait(UUID(report["report_id"]))
    replay = expect(auditor.get("/v1/audit/replay"), 200)
    assert replay["decisions_checked"] >= 4
    assert replay["mismatches"] == []

    xlsx = api.client.get(
        "/v1/exports/list.xlsx", params={"as_of": "2023-06-30"}, headers=auditor.headers()
    )
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    _title, *rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "地区", "名称")
    assert sorted(str(row[2]) for row in rows[1:]) == [
        "江苏绿源钢铁有限公司",
        "江苏蓝天纺织有限公司",
    ]
    assert {row[3] for row in rows[1:]} == {"绿色工厂"}

    exported = api.client.get(
        "/v1/exports/list.csv", params={"as_of": "2023-06-30"}, headers=auditor.headers()
    )
    assert exported.status_code == 200
    assert exported.content.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert len(table) == 3
    assert table[1][1] == "江苏省"
    assert int(exported.headers["Ledger-Position"]) == batch["position"]


def test_the_list_as_known_at_an_instant_needs_a_token(api: LiveApi) -> None:
    response = api.anonymous.get("/v1/list", known_at=datetime(2024, 1, 1).isoformat() + "Z")

    assert response.status_code == 401


def test_the_indicator_catalogue_of_a_category_lists_its_indicators_with_units(
    api: LiveApi,
) -> None:
    catalogue = expect(api.anonymous.get("/v1/indicators", category="green_park"), 200)

    assert catalogue["category"] == "green_park"
    by_code = {item["code"]: item for item in catalogue["items"]}
    assert by_code["industrial_value_added_share"] == {
        "code": "industrial_value_added_share",
        "name_zh": "工业增加值占比",
        "unit": "%",
        "categories": ["green_park"],
        "note": "PARK-1: must exceed 50",
    }
    assert "energy_per_unit_product" not in by_code
    everything = expect(api.anonymous.get("/v1/indicators"), 200)
    assert len(everything["items"]) == 21
    assert api.anonymous.get("/v1/indicators", category="绿色工厂").status_code == 422
