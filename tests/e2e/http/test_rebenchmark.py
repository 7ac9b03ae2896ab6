"""The 2025 re-benchmark over HTTP on SQLite and PostgreSQL (390号, ADR 0152): launched over every
national green factory on the list, a province records its units' results, the ministry flags
the rest after the due date, and the province's work list shows them, first the flagged."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from api.http.auth import Role
from tests.e2e.http.live import LiveApi, live_api
from tests.e2e.http.world import JIANGSU, ZHEJIANG, expect, listed_factories

pytestmark = pytest.mark.e2e

REQUIREMENTS = {"doc_no": "工信厅节函〔2025〕390号", "date": "2025-11-01"}


@pytest.fixture
def api(sql_database_url: str) -> Iterator[LiveApi]:
    with live_api(sql_database_url) as served:
        yield served


def test_a_provinces_rebenchmark_work_list(api: LiveApi) -> None:
    ministry, jiangsu = api.ministry(), api.province(JIANGSU)
    done, failing, silent = listed_factories(
        ministry,
        jiangsu,
        ["江苏示例对标甲有限公司", "江苏示例对标乙有限公司", "江苏示例对标丙有限公司"],
    )
    launch = {"due_on": "2026-03-31", "requirements": REQUIREMENTS, "effective_on": "2025-11-01"}
    expect(ministry.post("/v1/rebenchmark/2025", launch), 201)
    assert ministry.post("/v1/rebenchmark/2025", launch).status_code == 409
    for unit, outcome in ((done, "meets"), (failing, "does_not_meet")):
        body = {
            "listing_id": str(unit),
            "outcome": outcome,
            "self_evaluation": {"title": "对标复核自评价报告"},
            "effective_on": "2026-03-20",
        }
        expect(jiangsu.post("/v1/rebenchmark/2025/results", body), 201)
    early = ministry.post("/v1/rebenchmark/2025/flags", {"effective_on": "2026-03-31"})
    assert early.status_code == 409
    expect(ministry.post("/v1/rebenchmark/2025/flags", {"effective_on": "2026-04-01"}), 200)

    work = expect(jiangsu.get("/v1/rebenchmark/2025"), 200)
    assert work["counts"] == {"meets": 1, "does_not_meet": 1, "not_rebenchmarked": 1}
    assert work["items"][0]["listing_id"] == str(silent)
    assert work["items"][0]["flagged_on"] == "2026-04-01"
    flagged = expect(jiangsu.get("/v1/rebenchmark/2025", state="not_rebenchmarked"), 200)
    assert [i["listing_id"] for i in flagged["items"]] == [str(silent)]
    assert api.province(ZHEJIANG).get("/v1/rebenchmark/2025", region=JIANGSU).status_code == 403

    with httpx.Client(base_url=api.base_url, timeout=60) as browser:
        issued = api.tokens.create(Role.PROVINCE, region=JIANGSU)
        browser.post("/sign-in", data={"token": issued.token, "next": "/"})
        page = browser.get("/rebenchmark")
        queue = browser.get("/queue")
    assert page.status_code == 200, page.text
    assert "逾期未完成" in page.text
    assert "江苏示例对标丙有限公司" in page.text
    assert 'id="rebenchmark-link"' in queue.text
