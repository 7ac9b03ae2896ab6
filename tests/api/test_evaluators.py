"""Evaluators over the API: the yearly work report (EVAL-5, 附件10) an assessor files, and the pass
rates the ministry publishes (EVAL-4), which anyone may read."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from domain.ledger import Ledger
from tests.api.live import LiveApi, live_api
from tests.api.world import JIANGSU, expect, listed_factories, register_assessor

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
