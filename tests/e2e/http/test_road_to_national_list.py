"""A national nomination from the provincial list, end to end over HTTP on SQLite and PostgreSQL
(issue 17, ADR 0150): the provincial listing REC-2 rests on, recommendations closing on 31 July
(REC-3), 15 days of publicity with an objection inside them (PUB-1), and the list, from which a
publicised nominee falls out with its reason."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

import httpx
import pytest

from api.http.auth import Role
from tests.e2e.http.live import LiveApi, live_api
from tests.e2e.http.test_problems import ledger_position, problem_of
from tests.e2e.http.world import (
    JIANGSU,
    created_id,
    expect,
    nominate,
    open_batch,
    register_assessor,
    register_enterprise,
)

pytestmark = pytest.mark.e2e

PUBLICITY = {"doc_no": "示例公示〔2024〕1号", "date": "2024-12-01"}
LIST_2024 = {"doc_no": "示例公告〔2025〕1号", "date": "2025-01-22"}


@pytest.fixture
def api(sql_database_url: str) -> Iterator[LiveApi]:
    with live_api(sql_database_url) as served:
        yield served


def test_a_national_factory_is_chosen_from_the_provincial_list_after_its_publicity(
    api: LiveApi,
) -> None:
    ministry, jiangsu = api.ministry(), api.province(JIANGSU)
    assessor = register_assessor(ministry, 31)
    names = ("江苏示例青禾纺织有限公司", "江苏示例远航纺织有限公司", "江苏示例明川纺织有限公司")
    enterprises = [register_enterprise(jiangsu, name, day="2024-01-05") for name in names]
    provincial_round = {"level": "provincial", "year": 2024, "region": JIANGSU}
    expect(jiangsu.post("/v1/batches", {**provincial_round, "effective_on": "2024-01-10"}), 201)
    provincial = [
        nominate(jiangsu, e, assessor, year=2024, day="2024-02-01", level="provincial")
        for e in enterprises
    ]
    expect(
        jiangsu.post(
            "/v1/batches/2024/publication",
            {
                "level": "provincial",
                "region": JIANGSU,
                "listed": [str(i) for i in provincial],
                "announcement": {"doc_no": "苏工信节能〔2024〕9号", "date": "2024-04-01"},
            },
        ),
        200,
    )
    open_batch(ministry, 2024, "2024-03-01")
    exception = {"region": JIANGSU, "parks": 2, "reason": "国家级新区整体申报"}
    expect(
        ministry.post(
            "/v1/batches/2024/park-quota-exceptions", {**exception, "effective_on": "2024-03-02"}
        ),
        201,
    )

    kept, fallen = (
        nominate(jiangsu, e, assessor, year=2024, day="2024-07-31") for e in enterprises[:2]
    )
    late = jiangsu.post(
        "/v1/listings",
        {
            "enterprise_id": str(enterprises[2]),
            "category": "green_factory",
            "level": "national",
            "batch_year": 2024,
            "self_evaluation": {"title": "绿色工厂自评价报告"},
            "effective_on": "2024-08-01",
        },
    )
    assert late.status_code == 409
    assert late.json()["rule"]["id"] == "REC-3"
    explanation = expect(jiangsu.get(f"/v1/listings/{kept}/explanation"), 200)
    (rests_on,) = [
        finding
        for decision in explanation["record"]
        for finding in decision["findings"]
        if finding["rule_id"] == "REC-2"
    ]
    assert not rests_on["applies"]
    assert [(f["originator_id"], f["event"]) for f in rests_on["facts"]] == [
        (str(provincial[0]), "Listing.Listed")
    ]

    publicity = {"nominees": [str(kept), str(fallen)], "announcement": PUBLICITY}
    expect(
        ministry.post("/v1/batches/2024/publicity", {**publicity, "effective_on": "2024-12-01"}),
        201,
    )
    batch = expect(ministry.get("/v1/batches/2024"), 200)
    assert batch["publicity"]["starts_on"] == "2024-12-01"
    assert batch["publicity"]["ends_on"] == "2024-12-15"
    assert batch["park_quota_exceptions"] == [exception]

    objection = {"listing_id": str(fallen), "objection": "反映能耗数据与统计不符"}
    too_late = ministry.post(
        "/v1/batches/2024/objections", {**objection, "effective_on": "2024-12-16"}
    )
    assert too_late.status_code == 409
    assert too_late.json()["rule"]["id"] == "PUB-1"
    by_province = jiangsu.post(
        "/v1/batches/2024/objections", {**objection, "effective_on": "2024-12-15"}
    )
    assert by_province.status_code == 403
    created_id(
        ministry.post("/v1/batches/2024/objections", {**objection, "effective_on": "2024-12-15"})
    )

    publication = {
        "level": "national",
        "listed": [str(kept)],
        "rejected": [str(fallen)],
        "announcement": LIST_2024,
    }
    on_the_15th = ministry.post(
        "/v1/batches/2024/publication",
        {**publication, "announcement": {**LIST_2024, "date": "2024-12-15"}},
    )
    assert on_the_15th.status_code == 409
    assert on_the_15th.json()["rule"]["id"] == "PUB-1"
    no_reason = ministry.post("/v1/batches/2024/publication", publication)
    assert no_reason.status_code == 422
    assert "rejection_reasons" in no_reason.text
    reasons = {str(fallen): "公示期间异议经核实成立"}
    expect(
        ministry.post(
            "/v1/batches/2024/publication", {**publication, "rejection_reasons": reasons}
        ),
        200,
    )

    assert _status(api, kept) == "listed"
    assert _status(api, fallen) == "rejected"
    why = expect(ministry.get(f"/v1/listings/{fallen}/explanation"), 200)
    assert "公示期间异议经核实成立" in str(why)
    fallen_enterprise = enterprises[1]
    history = expect(ministry.get(f"/v1/enterprises/{fallen_enterprise}/history"), 200)
    assert any("异议" in line["summary_zh"] for line in history["entries"])
    _the_round_page_shows_the_publicity(api, kept)


def test_a_national_factory_off_its_provincial_list_is_refused_from_the_day_13_hao_took_effect(
    api: LiveApi,
) -> None:
    ministry, jiangsu = api.ministry(), api.province(JIANGSU)
    assessor = register_assessor(ministry, 32)
    open_batch(ministry, 2023, "2023-08-01")
    before, on_the_day = (
        register_enterprise(jiangsu, name, day="2023-09-05")
        for name in ("江苏示例晨光纺织有限公司", "江苏示例晚照纺织有限公司")
    )
    accepted = nominate(jiangsu, before, assessor, year=2023, day="2024-01-18")
    written = ledger_position(api)

    response = jiangsu.post(
        "/v1/listings",
        {
            "enterprise_id": str(on_the_day),
            "category": "green_factory",
            "level": "national",
            "batch_year": 2023,
            "self_evaluation": {"title": "绿色工厂自评价报告"},
            "effective_on": "2024-01-19",
        },
    )

    problem = problem_of(response, 409)  # Chinese first (the title and the detail)
    rule = problem["rule"]
    assert isinstance(rule, dict)
    assert rule["id"] == "REC-2"
    assert rule["citation"].startswith("工信部节〔2024〕13号")
    assert "未核实" in rule["citation"]
    zh = problem["zh"]
    assert isinstance(zh, dict)
    assert zh["detail"].startswith("规则 REC-2（工信部节〔2024〕13号")
    assert "推荐国家级绿色工厂的，须已列入本省级名单" in zh["detail"]  # 13号's reading
    findings = problem["findings"]
    assert isinstance(findings, list)
    assert [(f["rule_id"], f["applies"]) for f in findings] == [("REC-2", True)]
    assert findings[0]["detail"].startswith("未列入省级绿色工厂名单")
    assert ledger_position(api) == written
    assert "REC-2" not in str(expect(jiangsu.get(f"/v1/listings/{accepted}/explanation"), 200))


def _the_round_page_shows_the_publicity(api: LiveApi, kept: UUID) -> None:
    """The round's page: the window, the objection, 2 publicised and 1 listed; the unit's page
    links to it."""
    with httpx.Client(base_url=api.base_url, timeout=60) as browser:
        issued = api.tokens.create(Role.PROVINCE, region=JIANGSU)
        signed_in = browser.post("/sign-in", data={"token": issued.token, "next": "/"})
        assert signed_in.status_code in (200, 303)
        page = browser.get("/batches/2024")
        unit = browser.get(f"/units/{kept}")
        missing = browser.get("/batches/2019")

    assert page.status_code == 200, page.text
    assert "2024-12-01 – 2024-12-15" in page.text
    assert "反映能耗数据与统计不符" in page.text
    assert "公示2家，列入1家" in page.text
    assert "园区名额例外 Park quota exceptions" in page.text
    assert "国家级新区整体申报" in page.text  # the ministry's exception to PARK-2 (issue 13)
    assert 'href="/batches/2024"' in unit.text
    assert missing.status_code == 404


def _status(api: LiveApi, listing_id: UUID) -> str:
    answer = expect(api.ministry().get(f"/v1/listings/{listing_id}"), 200)
    status: str = answer["status"]
    return status
