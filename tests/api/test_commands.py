"""Every command of api.md over real HTTP, on SQLite and PostgreSQL: the answer, the events."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest

from domain.facts import Fact
from domain.ledger import Ledger
from domain.values import ListingStatus
from tests.api.live import LiveApi, live_api
from tests.api.world import (
    BASIS,
    JIANGSU,
    credit_code,
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


def actors_of(database_url: str, aggregate_id: UUID) -> list[tuple[str, str]]:
    """(event class, actor) of every stored event of one aggregate."""
    with Ledger.open(database_url) as ledger:
        return [
            (type(event).__qualname__, event.actor)
            for event in ledger.repository.event_store.get(aggregate_id)
            if isinstance(event, Fact)
        ]


def test_the_lifecycle_of_a_listing_runs_over_http_and_each_answer_carries_ids_and_position(
    api: LiveApi,
) -> None:
    ministry, jiangsu = api.ministry(), api.province(JIANGSU)
    positions: list[int] = []

    def step(response_json: dict[str, Any]) -> dict[str, Any]:
        position = response_json["position"]
        assert isinstance(position, int)
        positions.append(position)
        return response_json

    assessor_id = register_assessor(ministry)
    assessor = api.assessor(assessor_id)
    open_batch(ministry, 2022, "2022-09-16")
    factory = register_enterprise(jiangsu, "江苏绿源钢铁有限公司", industry="黑色金属冶炼")
    other = register_enterprise(jiangsu, "江苏蓝天纺织有限公司")
    listing = nominate(jiangsu, factory, assessor_id)
    not_chosen = nominate(jiangsu, other, assessor_id)
    step(
        expect(
            assessor.post(
                f"/v1/assessors/{assessor_id}/evaluations",
                {
                    "listing_id": str(listing),
                    "conclusion": "pass",
                    "report": {"doc_no": "中环评〔2022〕118号"},
                    "effective_on": "2022-10-25",
                },
            ),
            201,
        )
    )
    published = step(publish(ministry, 2022, [listing], rejected=[not_chosen]))
    assert set(published["ids"]) >= {str(listing), str(not_chosen)}

    on_listing = f"/v1/listings/{listing}"
    step(
        expect(
            jiangsu.post(
                f"{on_listing}/filings",
                {
                    "report_year": 2023,
                    "indicators": {"energy_per_unit_product": {"value": 640, "unit": "kgce/t"}},
                    "effective_on": "2024-03-30",
                },
            ),
            201,
        )
    )
    step(
        expect(
            jiangsu.post(
                f"{on_listing}/filings/2023/review",
                {
                    "outcome": "non_compliant",
                    "findings": ["能耗高于标杆值"],
                    "effective_on": "2024-04-20",
                },
            ),
            200,
        )
    )
    ordered = step(
        expect(
            jiangsu.post(
                f"{on_listing}/assessments",
                {"reason": "指标不达标，组织现场核查", "effective_on": "2024-05-06"},
            ),
            201,
        )
    )
    step(
        expect(
            jiangsu.post(
                f"{on_listing}/assessments/{ordered['id']}/conclusion",
                {
                    "outcome": "does_not_meet",
                    "findings": ["能耗不达标"],
                    "effective_on": "2024-06-01",
                },
            ),
            200,
        )
    )
    step(
        expect(
            jiangsu.post(
                f"{on_listing}/proposals",
                {
                    "action": "remove",
                    "reasons": ["现场评估不符合要求"],
                    "effective_on": "2024-06-10",
                },
            ),
            201,
        )
    )
    step(
        expect(
            ministry.post(
                f"{on_listing}/removal",
                {
                    "reasons": ["indicators"],
                    "announcement": {"doc_no": "工信厅节函〔2024〕99号"},
                    "effective_on": "2024-07-01",
                },
            ),
            200,
        )
    )
    step(
        expect(
            ministry.post(
                f"{on_listing}/removal/rescission",
                {"reason": "复核后撤销移出决定", "effective_on": "2024-07-15"},
            ),
            200,
        )
    )

    assert positions == sorted(positions)
    assert len(set(positions)) == len(positions)
    assert actors_of(api.database_url, listing) == [
        ("Listing.Nominated", "province:320000"),
        ("Listing.Listed", "ministry"),
        ("Listing.IndicatorFilingSubmitted", "province:320000"),
        ("Listing.FilingReviewed", "province:320000"),
        ("Listing.OnSiteAssessmentOrdered", "province:320000"),
        ("Listing.OnSiteAssessmentConcluded", "province:320000"),
        ("Listing.AdjustmentProposed", "province:320000"),
        ("Listing.Removed", "ministry"),
        ("Listing.RemovalRescinded", "ministry"),
    ]
    with Ledger.open(api.database_url) as ledger:
        # The rescission voids the removal: back to the status before it.
        assert ledger.get_listing(listing).status is ListingStatus.REMOVAL_PROPOSED
        assert ledger.get_listing(not_chosen).status is ListingStatus.REJECTED
        assert ledger.position == positions[-1]
    assert ("Assessor.EvaluationReported", f"assessor:{assessor_id}") in actors_of(
        api.database_url, assessor_id
    )


def test_the_credit_record_of_an_enterprise_is_kept_over_http(api: LiveApi) -> None:
    ministry, jiangsu = api.ministry(), api.province(JIANGSU)
    enterprise = register_enterprise(jiangsu, "江苏绿源钢铁有限公司")
    on_enterprise = f"/v1/enterprises/{enterprise}"

    renamed = expect(
        jiangsu.post(
            f"{on_enterprise}/name",
            {"name": "江苏绿源新材料有限公司", "effective_on": "2023-01-05"},
        ),
        200,
    )
    coded = expect(
        ministry.post(f"{on_enterprise}/credit-code", {"uscc": credit_code(7), "basis": BASIS}), 200
    )
    incident = expect(
        jiangsu.post(
            f"{on_enterprise}/incidents",
            {
                "kind": "quality",
                "grade": "minor",
                "occurred_on": "2023-04-02",
                "source": "credit_china",
                "reference": {"title": "信用中国行政处罚公示"},
                "effective_on": "2023-05-04",
            },
        ),
        201,
    )
    retracted = expect(
        ministry.post(
            f"{on_enterprise}/incidents/{incident['id']}/retraction",
            {"reason": "信用中国已撤销该信息", "effective_on": "2023-06-01"},
        ),
        200,
    )
    overdue = expect(
        jiangsu.post(
            f"{on_enterprise}/incidents",
            {
                "kind": "energy_rectification_overdue",
                "occurred_on": "2023-07-01",
                "source": "inspection",
                "reference": {"doc_no": "苏工信节能监察〔2023〕8号"},
                "effective_on": "2023-07-10",
            },
        ),
        201,
    )
    rectified = expect(
        jiangsu.post(
            f"{on_enterprise}/incidents/{overdue['id']}/rectification",
            {"effective_on": "2023-12-01"},
        ),
        200,
    )

    answers = [renamed, coded, incident, retracted, overdue, rectified]
    assert all(answer["written"] and str(enterprise) in answer["ids"] for answer in answers)
    assert actors_of(api.database_url, enterprise) == [
        ("Enterprise.Registered", "province:320000"),
        ("Enterprise.Renamed", "province:320000"),
        ("Enterprise.CreditCodeAssigned", "ministry"),
        ("Enterprise.CreditIncidentRecorded", "province:320000"),
        ("Enterprise.CreditIncidentRetracted", "ministry"),
        ("Enterprise.CreditIncidentRecorded", "province:320000"),
        ("Enterprise.RectificationCompleted", "province:320000"),
    ]


def test_an_assessor_is_registered_blacklisted_and_lifted_over_http(api: LiveApi) -> None:
    ministry = api.ministry()
    assessor = register_assessor(ministry)

    blacklisted = expect(
        ministry.post(
            f"/v1/assessors/{assessor}/blacklisting",
            {"reason": "评价报告数据造假", "effective_on": "2023-03-01"},
        ),
        200,
    )
    lifted = expect(
        ministry.post(
            f"/v1/assessors/{assessor}/blacklisting/lifting",
            {"reason": "经复核，处理决定撤销", "effective_on": "2023-04-01"},
        ),
        200,
    )

    assert blacklisted["position"] < lifted["position"]
    assert [name for name, _ in actors_of(api.database_url, assessor)] == [
        "Assessor.Registered",
        "Assessor.Blacklisted",
        "Assessor.BlacklistLifted",
    ]


def test_registering_a_known_enterprise_again_answers_200_and_writes_nothing(
    api: LiveApi,
) -> None:
    jiangsu = api.province(JIANGSU)
    body = {"name": "江苏绿源钢铁有限公司", "region": JIANGSU, "uscc": credit_code(3)}
    first = expect(jiangsu.post("/v1/enterprises", body), 201)

    again = expect(jiangsu.post("/v1/enterprises", body), 200)

    assert again == {**first, "written": False}


def test_a_batch_opened_twice_answers_200_the_second_time(api: LiveApi) -> None:
    ministry = api.ministry()
    body = {"level": "national", "year": 2023, "effective_on": "2023-09-01"}
    first = expect(ministry.post("/v1/batches", body), 201)

    again = expect(ministry.post("/v1/batches", body), 200)

    assert again["id"] == first["id"]
    assert again["written"] is False


def test_a_continuing_condition_ends_over_http_and_bars_three_years_from_its_end(
    api: LiveApi,
) -> None:
    jiangsu = api.province(JIANGSU)
    enterprise = register_enterprise(jiangsu, "江苏长期失信有限公司", day="2019-01-01")
    on_incidents = f"/v1/enterprises/{enterprise}/incidents"
    debtor = expect(
        jiangsu.post(
            on_incidents,
            {
                "kind": "dishonest_debtor",
                "occurred_on": "2019-01-01",
                "source": "credit_china",
                "reference": {"title": "失信被执行人名单"},
                "effective_on": "2019-01-02",
            },
        ),
        201,
    )
    on_debtor = f"{on_incidents}/{debtor['id']}"

    too_early = expect(jiangsu.post(f"{on_debtor}/end", {"ended_on": "2018-12-31"}), 422)
    ended = expect(
        jiangsu.post(f"{on_debtor}/end", {"ended_on": "2021-06-30", "effective_on": "2021-07-05"}),
        200,
    )
    again = expect(jiangsu.post(f"{on_debtor}/end", {"ended_on": "2021-06-30"}), 409)
    last_day = expect(
        jiangsu.get(f"/v1/enterprises/{enterprise}/eligibility", on="2024-06-29"), 200
    )
    day_after = expect(
        jiangsu.get(f"/v1/enterprises/{enterprise}/eligibility", on="2024-06-30"), 200
    )

    assert [e["field"] for e in too_early["errors"]] == ["ended_on"]
    assert (ended["id"], ended["written"]) == (debtor["id"], True)
    assert again["conflict"]["kind"] == "transition_refused"
    (bar,) = [f for f in last_day["findings"] if f["applies"]]
    assert (last_day["eligible"], bar["rule_id"], bar["barred_until"]) == (
        False,
        "NEG-6",
        "2024-06-29",
    )
    assert day_after["eligible"]
    assert actors_of(api.database_url, enterprise)[-1] == (
        "Enterprise.CreditIncidentEnded",
        "province:320000",
    )


def test_a_proposal_to_retain_a_unit_with_a_reported_accident_is_refused_citing_dyn_3(
    api: LiveApi,
) -> None:
    ministry, jiangsu = api.ministry(), api.province(JIANGSU)
    assessor_id = register_assessor(ministry)
    open_batch(ministry, 2022, "2022-09-16")
    factory = register_enterprise(jiangsu, "江苏小事故钢铁有限公司")
    listing = nominate(jiangsu, factory, assessor_id)
    publish(ministry, 2022, [listing])
    expect(
        jiangsu.post(
            f"/v1/enterprises/{factory}/incidents",
            {
                "kind": "environment",
                "grade": "minor",
                "occurred_on": "2023-05-01",
                "source": "province_report",
                "reference": {"title": "环境污染事件通报"},
                "effective_on": "2023-05-03",
            },
        ),
        201,
    )

    refused = expect(
        jiangsu.post(
            f"/v1/listings/{listing}/proposals",
            {"action": "retain", "reasons": ["情节轻微"], "effective_on": "2023-06-01"},
        ),
        409,
    )

    assert refused["rule"]["id"] == "DYN-3"
    assert refused["rule"]["citation"] == "工信厅节函〔2022〕235号 二 第二段"
    assert refused["rule"]["statement_zh"].startswith("发生安全（含网络安全、数据安全）")
