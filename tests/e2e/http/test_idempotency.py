"""Idempotency-Key: a retry returns the first answer and writes nothing; another body is 422."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import httpx
import pytest

from domain.ledger import Ledger
from tests.builders import stored_event_count
from tests.e2e.http.live import Caller, LiveApi, live_api
from tests.e2e.http.world import JIANGSU, ZHEJIANG, expect, register_enterprise


@pytest.fixture
def api(sql_database_url: str) -> Iterator[LiveApi]:
    with live_api(sql_database_url) as served:
        yield served


def incident(kind: str = "quality") -> dict[str, Any]:
    return {
        "kind": kind,
        "grade": "minor",
        "occurred_on": "2023-04-02",
        "source": "credit_china",
        "reference": {"title": "信用中国行政处罚公示"},
        "effective_on": "2023-05-04",
    }


def events_written(api: LiveApi) -> int:
    with Ledger.open(api.database_url) as ledger:
        return stored_event_count(ledger)


def incidents_recorded(api: LiveApi, enterprise_id: UUID) -> int:
    with Ledger.open(api.database_url) as ledger:
        return len(ledger.get_enterprise(enterprise_id).incidents)


def test_a_command_retried_with_its_key_returns_the_first_answer_and_writes_once(
    api: LiveApi,
) -> None:
    jiangsu = api.province(JIANGSU)
    enterprise = register_enterprise(jiangsu, "江苏绿源钢铁有限公司")
    path = f"/v1/enterprises/{enterprise}/incidents"
    first = jiangsu.post(path, incident(), idempotency_key="incident-2023-05-04-1")
    written = events_written(api)

    retry = jiangsu.post(path, incident(), idempotency_key="incident-2023-05-04-1")

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert events_written(api) == written
    assert incidents_recorded(api, enterprise) == 1


def test_the_same_key_with_another_body_is_refused_with_422_and_writes_nothing(
    api: LiveApi,
) -> None:
    jiangsu = api.province(JIANGSU)
    enterprise = register_enterprise(jiangsu, "江苏绿源钢铁有限公司")
    path = f"/v1/enterprises/{enterprise}/incidents"
    expect(jiangsu.post(path, incident("quality"), idempotency_key="k-1"), 201)
    written = events_written(api)

    refused = jiangsu.post(path, incident("environment"), idempotency_key="k-1")

    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["errors"][0]["field"] == "Idempotency-Key"
    assert events_written(api) == written


def test_the_same_key_on_another_route_is_refused_with_422(api: LiveApi) -> None:
    jiangsu = api.province(JIANGSU)
    expect(
        jiangsu.post(
            "/v1/enterprises",
            {"name": "江苏绿源钢铁有限公司", "region": JIANGSU},
            idempotency_key="k",
        ),
        201,
    )
    enterprise = register_enterprise(jiangsu, "江苏蓝天纺织有限公司")

    refused = jiangsu.post(
        f"/v1/enterprises/{enterprise}/name", {"name": "江苏绿源钢铁有限公司"}, idempotency_key="k"
    )

    assert refused.status_code == 422


def test_concurrent_identical_requests_with_one_key_write_once(api: LiveApi) -> None:
    jiangsu = api.province(JIANGSU)
    enterprise = register_enterprise(jiangsu, "江苏绿源钢铁有限公司")
    path = f"/v1/enterprises/{enterprise}/incidents"
    start = threading.Barrier(6)
    answers: list[httpx.Response] = []

    def send() -> None:
        with httpx.Client(base_url=api.base_url, timeout=60) as client:
            caller = Caller(client, jiangsu.token)
            start.wait()
            answers.append(caller.post(path, incident(), idempotency_key="same-key"))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(answer.status_code for answer in answers)
    assert set(statuses) <= {201, 409}
    assert 201 in statuses
    created = {answer.json()["id"] for answer in answers if answer.status_code == 201}
    assert len(created) == 1
    in_progress = [answer.json() for answer in answers if answer.status_code == 409]
    assert all(p["conflict"] == {"kind": "request_in_progress", "retry": True} for p in in_progress)
    assert incidents_recorded(api, enterprise) == 1


def test_a_refused_command_gives_its_key_back(api: LiveApi) -> None:
    jiangsu = api.province(JIANGSU)
    enterprise = register_enterprise(jiangsu, "江苏绿源钢铁有限公司")
    path = f"/v1/enterprises/{enterprise}/incidents"
    too_early = {**incident(), "effective_on": "2023-01-01"}  # before the incident occurred
    expect(jiangsu.post(path, too_early, idempotency_key="k-2"), 422)

    accepted = jiangsu.post(path, incident(), idempotency_key="k-2")

    assert accepted.status_code == 201
    assert incidents_recorded(api, enterprise) == 1


def test_keys_belong_to_their_principal(api: LiveApi) -> None:
    jiangsu, zhejiang = api.province(JIANGSU), api.province(ZHEJIANG)

    in_jiangsu = jiangsu.post(
        "/v1/enterprises", {"name": "江苏绿源钢铁有限公司", "region": JIANGSU}, idempotency_key="k"
    )
    in_zhejiang = zhejiang.post(
        "/v1/enterprises", {"name": "浙江绿源钢铁有限公司", "region": ZHEJIANG}, idempotency_key="k"
    )

    assert in_jiangsu.status_code == in_zhejiang.status_code == 201
    assert in_jiangsu.json()["id"] != in_zhejiang.json()["id"]


def test_a_key_reused_by_another_token_of_the_same_actor_is_another_key(api: LiveApi) -> None:
    """Two tokens of one province (two desks of 江苏省工信厅): the same Idempotency-Key on each
    is two requests, each written and answered for itself; neither gets the other's answer."""
    desk_a, desk_b = api.province(JIANGSU), api.province(JIANGSU)
    enterprise = register_enterprise(desk_a, "江苏绿源钢铁有限公司")
    path = f"/v1/enterprises/{enterprise}/incidents"
    first = desk_a.post(path, incident("quality"), idempotency_key="desk-key-1")
    written = events_written(api)

    other = desk_b.post(path, incident("environment"), idempotency_key="desk-key-1")
    same_body = desk_b.post(path, incident("quality"), idempotency_key="desk-key-2")
    again = desk_a.post(path, incident("quality"), idempotency_key="desk-key-2")

    assert first.status_code == other.status_code == 201
    assert "Idempotent-Replayed" not in other.headers
    assert other.json()["position"] > first.json()["position"]
    assert events_written(api) > written
    assert same_body.status_code == again.status_code == 201
    assert "Idempotent-Replayed" not in again.headers
    assert incidents_recorded(api, enterprise) == 4
