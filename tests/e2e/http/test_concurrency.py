"""Many clients at once: commands of one server never answer 409 to each other (ADR 0053), and
each reads its own write."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from uuid import UUID

import httpx
import pytest

from tests.e2e.http.live import Caller, LiveApi, live_api
from tests.e2e.http.world import JIANGSU, expect, open_batch, register_assessor, register_enterprise


@pytest.fixture
def api(sql_database_url: str) -> Iterator[LiveApi]:
    with live_api(sql_database_url) as served:
        yield served


def test_concurrent_nominations_into_one_batch_all_succeed_and_read_their_own_write(
    api: LiveApi,
) -> None:
    ministry, jiangsu = api.ministry(), api.province(JIANGSU)
    assessor = register_assessor(ministry)
    open_batch(ministry, 2022, "2022-09-16")
    enterprises = [register_enterprise(jiangsu, f"江苏并发测试{i}有限公司") for i in range(6)]
    start = threading.Barrier(len(enterprises))
    outcomes: dict[UUID, tuple[int, bool]] = {}

    def nominate(enterprise: UUID) -> None:
        with httpx.Client(base_url=api.base_url, timeout=60) as client:
            caller = Caller(client, jiangsu.token)
            start.wait()
            answer = caller.post(
                "/v1/listings",
                {
                    "enterprise_id": str(enterprise),
                    "category": "green_factory",
                    "level": "national",
                    "batch_year": 2022,
                    "self_evaluation": {"title": "自评价报告"},
                    "third_party_evaluation": {
                        "assessor_id": str(assessor),
                        "report": {"doc_no": f"评价报告-{enterprise.hex[:6]}"},
                        "conclusion": "pass",
                    },
                    "effective_on": "2022-10-20",
                },
            )
            seen = caller.get("/v1/list", status="nominated", page_size=50)
            mine = answer.status_code == 201 and answer.json()["id"] in {
                item["listing_id"] for item in seen.json()["items"]
            }
            outcomes[enterprise] = (answer.status_code, mine)

    threads = [threading.Thread(target=nominate, args=(e,)) for e in enterprises]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes == dict.fromkeys(enterprises, (201, True))
    assert expect(jiangsu.get("/v1/batches/2022"), 200)["nominations"] == len(enterprises)
