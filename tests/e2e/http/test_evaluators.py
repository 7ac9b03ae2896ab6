"""Evaluators over the API: the yearly work report (EVAL-5, 附件10) an assessor files, and the pass
rates the ministry publishes (EVAL-4), which anyone may read."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from domain.ledger import Ledger
from tests.e2e.http.live import LiveApi, live_api
from tests.e2e.http.world import (
    JIANGSU,
    ZHEJIANG,
    confirm_citations,
    expect,
    listed_factories,
    nominate,
    open_batch,
    register_assessor,
    register_enterprise,
)

pytestmark = pytest.mark.e2e

REPORT = {
    "report_year": 2022,
    "report": {"title": "2022年度第三方评价工作报告"},
    "evaluations": 2,
    "passed": 2,
    "summary": "评价绿色工厂2家",
    "effective_on": "2022-10-28",
}


@pytest.fixture
def api(sql_database_url: str) -> Iterator[LiveApi]:
    with live_api(sql_database_url) as served:
        yield served


def test_an_assessor_files_its_work_report_and_the_pass_rates_show_it(api: LiveApi) -> None:
    ministry = api.ministry()
    assessor_id = register_assessor(ministry, 7)
    listed_factories(ministry, api.province(JIANGSU), ["江苏甲厂", "江苏乙厂"], assessor_id)
    assert confirm_citations(api, assessor_id) == 2
    assessor = api.assessor(assessor_id)

    filed = expect(assessor.post(f"/v1/assessors/{assessor_id}/work-reports", REPORT), 201)

    assert filed["written"] is True
    rates = expect(api.anonymous.get("/v1/assessors/pass-rates", batch_year=2022), 200)
    (mine,) = [item for item in rates["items"] if item["assessor_id"] == str(assessor_id)]
    assert mine["evaluations"] == 2
    assert mine["passed"] == 2
    assert mine["pass_rate"] == 1.0
    assert mine["blacklisted"] is False
    assert mine["work_report_year"] == 2022
    assert mine["work_report_on"] == "2022-10-28"


def test_a_work_report_with_more_passed_than_evaluated_is_refused_in_chinese(
    api: LiveApi,
) -> None:
    assessor_id = register_assessor(api.ministry(), 8)
    with Ledger.open(api.database_url) as ledger:
        before = ledger.position

    response = api.assessor(assessor_id).post(
        f"/v1/assessors/{assessor_id}/work-reports", {**REPORT, "passed": 3}
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "passed",
            "message": "3 is more than the 2 evaluations",
            "message_zh": "通过数 3 超过评价数 2",
            "location": "body",
        }
    ]
    with Ledger.open(api.database_url) as ledger:
        assert ledger.position == before


def test_an_assessor_files_no_work_report_for_another(api: LiveApi) -> None:
    ministry = api.ministry()
    mine, other = register_assessor(ministry, 9), register_assessor(ministry, 10)

    response = api.assessor(mine).post(f"/v1/assessors/{other}/work-reports", REPORT)

    assert response.status_code == 403


# -- confirmation before an evaluation counts (issue 16, finding 6; ADR 0110) ---------------------


def workload(api: LiveApi, assessor_id: object) -> int:
    answer = expect(api.assessor(assessor_id).get(f"/v1/assessors/{assessor_id}/workload"), 200)
    return int(answer["evaluations"])


def test_fifteen_citations_by_a_province_no_longer_exhaust_the_assessors_cap(
    api: LiveApi,
) -> None:
    """Jiangsu cites the assessor's evaluations in fifteen nominations; the assessor never
    confirms them. Its own genuine report of a sixteenth unit is accepted and is all it counts."""
    ministry, jiangsu = api.ministry(), api.province(JIANGSU)
    assessor_id = register_assessor(ministry, 11)
    open_batch(ministry, 2022, "2022-09-16")
    cited = [
        nominate(jiangsu, register_enterprise(jiangsu, f"江苏引用评价{n}有限公司"), assessor_id)
        for n in range(15)
    ]
    genuine = created(
        jiangsu.post(
            "/v1/listings",
            {
                "enterprise_id": str(register_enterprise(jiangsu, "江苏真实委托有限公司")),
                "category": "green_factory",
                "level": "national",
                "batch_year": 2022,
                "self_evaluation": {"title": "绿色工厂自评价报告"},
                "effective_on": "2022-10-20",
            },
        )
    )

    reported = api.assessor(assessor_id).post(
        f"/v1/assessors/{assessor_id}/evaluations",
        {
            "listing_id": genuine,
            "conclusion": "pass",
            "report": {"doc_no": "真实评价报告-001"},
            "effective_on": "2022-10-25",
        },
    )

    assert reported.status_code == 201, reported.text
    assert len(cited) == 15
    assert workload(api, assessor_id) == 1


def created(response: object) -> str:
    body = expect(response, 201)  # type: ignore[arg-type]
    return str(body["id"])


def test_the_assessor_confirms_a_citation_and_only_then_it_counts(api: LiveApi) -> None:
    ministry, jiangsu = api.ministry(), api.province(JIANGSU)
    assessor_id, other_id = register_assessor(ministry, 12), register_assessor(ministry, 13)
    open_batch(ministry, 2022, "2022-09-16")
    answer = jiangsu.post(
        "/v1/listings",
        {
            "enterprise_id": str(register_enterprise(jiangsu, "江苏待确认有限公司")),
            "category": "green_factory",
            "level": "national",
            "batch_year": 2022,
            "self_evaluation": {"title": "绿色工厂自评价报告"},
            "third_party_evaluation": {
                "assessor_id": str(assessor_id),
                "report": {"doc_no": "评价报告-待确认"},
                "conclusion": "pass",
            },
            "effective_on": "2022-10-20",
        },
    )
    body = expect(answer, 201)
    evaluation_id = body["ids"][-1]  # listing, enterprise, batch, assessor, the evaluation
    listed = expect(api.assessor(assessor_id).get("/v1/evaluations"), 200)
    (item,) = listed["items"]
    assert item["evaluation_id"] == evaluation_id
    assert (item["listing_id"], item["conclusion"]) == (body["id"], "pass")
    assert (item["cited_by"], item["cited_on"]) == ("province:320000", "2022-10-20")
    assert item["report"]["doc_no"] == "评价报告-待确认"
    assert expect(api.assessor(other_id).get("/v1/evaluations"), 200)["items"] == []
    path = f"/v1/evaluations/{evaluation_id}/confirmation"
    assert workload(api, assessor_id) == 0

    by_province = jiangsu.post(path, {})
    by_other = api.assessor(other_id).post(path, {})
    unknown = api.assessor(assessor_id).post(
        "/v1/evaluations/00000000-0000-4000-8000-000000000000/confirmation", {}
    )
    confirmed = api.assessor(assessor_id).post(path, {"effective_on": "2022-10-25"})
    again = api.assessor(assessor_id).post(path, {"effective_on": "2022-10-26"})

    assert by_province.status_code == 403
    assert by_other.status_code == 404
    assert unknown.status_code == 404
    assert unknown.json()["zh"]["title"] == "未找到"
    assert expect(confirmed, 200)["written"] is True
    assert expect(again, 200)["written"] is False
    assert workload(api, assessor_id) == 1
    assert expect(api.assessor(assessor_id).get("/v1/evaluations"), 200)["items"] == []
    history = expect(jiangsu.get(f"/v1/enterprises/{body['ids'][1]}/history"), 200)
    said = [entry["summary_zh"] for entry in history["entries"]]
    assert any("待评价机构确认" in line for line in said), said
    assert any(line.startswith("评价机构确认") for line in said), said


def test_a_province_cannot_confirm_for_a_zhejiang_nomination_either(api: LiveApi) -> None:
    """The route is the assessor's alone, whatever the region."""
    ministry, zhejiang = api.ministry(), api.province(ZHEJIANG)
    assessor_id = register_assessor(ministry, 14)
    open_batch(ministry, 2022, "2022-09-16")
    nominate(
        zhejiang, register_enterprise(zhejiang, "浙江引用有限公司", region=ZHEJIANG), assessor_id
    )

    refused = ministry.post("/v1/evaluations/00000000-0000-4000-8000-000000000000/confirmation", {})

    assert refused.status_code == 403
    assert workload(api, assessor_id) == 0
