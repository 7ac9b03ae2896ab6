"""Every read tells the same story (issue 15), over real HTTP on SQLite and PostgreSQL: a unit's
state, explanation and timeline for one (as_of, known_at); counts that are the list's totals; only
published statuses for anonymous callers; unknown query parameters refused, on routes and pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest

from tests.builders import VALID_USCC
from tests.e2e.http.live import LiveApi, live_api
from tests.e2e.http.world import (
    JIANGSU,
    expect,
    listed_factories,
)


@pytest.fixture
def api(sql_database_url: str) -> Iterator[LiveApi]:
    with live_api(sql_database_url) as served:
        yield served


def removed_in_2024(api: LiveApi) -> tuple[UUID, UUID]:
    """Two Jiangsu factories listed on 2023-03-23; the first removed on 2024-06-30."""
    ministry, jiangsu = api.ministry(), api.province(JIANGSU)
    removed, kept = listed_factories(
        ministry, jiangsu, ["江苏绿源钢铁有限公司", "江苏蓝天纺织有限公司"]
    )
    body = {
        "reasons": ["falsified_data"],
        "effective_on": "2024-06-30",
        "basis": [{"doc_no": "工信厅节函〔2024〕88号"}],
    }
    expect(ministry.post(f"/v1/listings/{removed}/removal", body), 200)
    return removed, kept


def test_the_explanation_and_the_timeline_on_a_date_explain_the_status_then(
    api: LiveApi,
) -> None:
    removed, _ = removed_in_2024(api)
    jiangsu = api.province(JIANGSU)
    then = {"as_of": "2023-12-31"}

    state = expect(jiangsu.get(f"/v1/listings/{removed}", **then), 200)
    why = expect(jiangsu.get(f"/v1/listings/{removed}/explanation", **then), 200)
    history = expect(jiangsu.get(f"/v1/listings/{removed}/history", **then), 200)
    today = expect(jiangsu.get(f"/v1/listings/{removed}/explanation"), 200)

    assert (state["status"], why["status"], why["on_list"]) == ("listed", "listed", True)
    assert why["deciding"]["kind"] == "listing"
    assert why["summary_zh"].startswith("江苏绿源钢铁有限公司于2023-12-31的状态：在名单")
    assert [e["event"] for e in history["entries"]] == ["Listing.Nominated", "Listing.Listed"]
    assert (today["status"], today["deciding"]["kind"]) == ("removed", "removal")


def test_before_the_ledger_knew_of_a_unit_none_of_its_reads_finds_it(api: LiveApi) -> None:
    removed, _ = removed_in_2024(api)
    jiangsu = api.province(JIANGSU)
    before = {"known_at": "2000-01-01T00:00:00Z"}

    for path in ("", "/explanation", "/history"):
        assert jiangsu.get(f"/v1/listings/{removed}{path}", **before).status_code == 404, path


def test_the_statistics_count_the_units_the_list_lists_and_not_the_removed(
    api: LiveApi,
) -> None:
    removed_in_2024(api)
    ministry = api.ministry()

    for as_of in ("2023-06-30", "2024-06-29", "2024-06-30", "2025-01-01"):
        listed = expect(ministry.get("/v1/list", as_of=as_of, region=JIANGSU), 200)
        counted = expect(
            ministry.get("/v1/statistics", as_of=as_of, region=JIANGSU, group_by="category"), 200
        )
        assert counted["total"] == listed["total"], as_of
    on_2025 = expect(ministry.get("/v1/statistics", as_of="2025-01-01", group_by="status"), 200)
    assert [(c["status"], c["count"]) for c in on_2025["counts"]] == [("listed", 1)]
    removed = expect(
        ministry.get("/v1/statistics", as_of="2025-01-01", status="removed", group_by="status"),
        200,
    )
    assert [(c["status"], c["count"]) for c in removed["counts"]] == [("removed", 1)]


def test_the_yearly_series_of_a_region_counts_that_region_only(api: LiveApi) -> None:
    removed_in_2024(api)
    ministry = api.ministry()

    def factories(region: str, year: int) -> dict[str, Any]:
        timeline = expect(
            ministry.get("/v1/statistics/timeline", region=region, **{"from": 2023, "to": 2024}),
            200,
        )
        assert timeline["region"] == region
        (found,) = [
            y for y in timeline["years"] if y["year"] == year and y["category"] == "green_factory"
        ]
        return dict(found)

    assert factories(JIANGSU, 2024) | {"year": 0} == {
        "year": 0,
        "category": "green_factory",
        "on_list": 1,
        "listed": 0,
        "removed": 1,
    }
    assert factories("330000", 2023)["on_list"] == 0


@pytest.mark.parametrize("status", ["nominated", "rejected"])
def test_an_anonymous_caller_may_not_ask_for_unpublished_statuses(
    api: LiveApi, status: str
) -> None:
    refused = api.anonymous.get("/v1/list", status=status)

    assert refused.status_code == 403
    assert status in refused.json()["detail"]


def test_an_anonymous_caller_reads_the_removed_units(api: LiveApi) -> None:
    removed, _ = removed_in_2024(api)

    page = expect(api.anonymous.get("/v1/list", status="removed"), 200)

    assert [item["listing_id"] for item in page["items"]] == [str(removed)]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/v1/list", {"uscc": "91320000MA1XXXXX0X", "regoin": "320000"}),
        ("/v1/statistics", {"groupby": "region"}),
        ("/v1/statistics/timeline", {"province": "320000"}),
        ("/health", {"verbose": "1"}),
        ("/v1/feed", {"since": "1"}),
    ],
)
def test_an_unknown_query_parameter_is_refused_naming_it(
    api: LiveApi, path: str, params: dict[str, str]
) -> None:
    refused = api.ministry().get(path, **params)

    assert refused.status_code == 422
    named = {error["field"] for error in refused.json()["errors"]}
    assert named == set(params)
    assert all(error["message_zh"] for error in refused.json()["errors"])


def test_a_command_refuses_an_unknown_query_parameter_and_writes_nothing(api: LiveApi) -> None:
    ministry = api.ministry()
    before = expect(api.anonymous.get("/health"), 200)["position"]

    refused = ministry.client.post(
        "/v1/batches",
        params={"dryrun": "true"},
        json={"level": "national", "year": 2030},
        headers=ministry.headers(),
    )

    assert refused.status_code == 422
    assert [error["field"] for error in refused.json()["errors"]] == ["dryrun"]
    assert expect(api.anonymous.get("/health"), 200)["position"] == before


def test_a_page_refuses_an_unknown_query_parameter_on_the_page(api: LiveApi) -> None:
    refused = api.client.get("/", params={"uscc": "x", "lang": "en"})
    kept = api.client.get("/", params={"lang": "en", "q": "钢铁"})

    assert refused.status_code == 422
    assert "uscc" in refused.text
    assert refused.headers["content-type"].startswith("text/html")
    assert kept.status_code == 200


def test_a_credit_code_looked_up_by_anyone_names_the_removal_its_reasons_and_notice(
    api: LiveApi,
) -> None:
    ministry, jiangsu = api.ministry(), api.province(JIANGSU)
    removed = listed_factories(ministry, jiangsu, ["江苏绿源钢铁有限公司"])[0]
    enterprise = expect(jiangsu.get(f"/v1/listings/{removed}"), 200)["enterprise_id"]
    expect(
        jiangsu.post(
            f"/v1/enterprises/{enterprise}/credit-code",
            {"uscc": VALID_USCC[0], "effective_on": "2023-05-01"},
        ),
        200,
    )
    body = {
        "reasons": ["refused_filing"],
        "announcement": {"doc_no": "工信厅节函〔2024〕88号"},
        "effective_on": "2024-06-30",
    }
    expect(ministry.post(f"/v1/listings/{removed}/removal", body), 200)

    found = expect(api.anonymous.get("/v1/lookup", uscc=VALID_USCC[0]), 200)
    page = api.client.get("/", params={"q": VALID_USCC[0]})
    by_name = api.client.get("/", params={"q": "江苏绿源钢铁有限公司"})

    (match,) = found["enterprises"]
    assert (match["uscc"], match["matched_by"]) == (VALID_USCC[0], "uscc")
    (unit,) = match["units"]
    assert unit["status"] == "removed"
    assert unit["removal"]["removed_on"] == "2024-06-30"
    assert unit["removal"]["reasons_zh"] == ["拒不填报动态管理表"]
    assert unit["removal"]["announcement"]["doc_no"] == "工信厅节函〔2024〕88号"
    for shown in (page, by_name):
        assert shown.status_code == 200
        assert "已于2024-06-30移出名单" in shown.text
        assert "工信厅节函〔2024〕88号" in shown.text
        assert "没有符合条件的单位" not in shown.text
    assert api.anonymous.get("/v1/lookup").status_code == 422
    assert api.anonymous.get("/v1/lookup", uscc="91350200776049653B").status_code == 422
